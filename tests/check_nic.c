/* check_nic.c: the network card alone, on the device contract only (no
 * VM, no CPU, no switch): its registers through the region callbacks,
 * the rings against a small fake guest memory (DMA) and a fake link,
 * every bad-descriptor case (each sets ERROR and ERRADDR, and neither
 * memory nor the wire changes), rings that wrap, the receive FIFO, the
 * interrupt line and the polled mode, the MAC, and the mirrored
 * save/parse/load of its state. */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "dev/nic.h"

/* Guest memory: MEM_SIZE bytes at MEM_BASE, the first page "text" (DMA
 * may read it, never write it); anything else does not exist. */
#define MEM_BASE 0x10000u
#define MEM_SIZE 0x10000u
#define TEXT_END (MEM_BASE + 0x1000u)
#define RXRING 0x11000u
#define TXRING 0x11100u
#define BUF(i) (0x12000u + 0x600u * (i)) /* 1536-byte buffers */
static uint8_t mem[MEM_SIZE];

static int fake_read(void *opaque, uint32_t addr, void *dst, uint32_t n)
{
    if (addr < MEM_BASE || (uint64_t)addr + n > MEM_BASE + MEM_SIZE)
        return -1;
    memcpy(dst, mem + (addr - MEM_BASE), n);
    return 0;
}
static int fake_write(void *opaque, uint32_t addr, const void *src, uint32_t n)
{
    if (addr < TEXT_END || (uint64_t)addr + n > MEM_BASE + MEM_SIZE)
        return -1;
    memcpy(mem + (addr - MEM_BASE), src, n);
    return 0;
}
static uint32_t peek32(uint32_t addr) { return bh_get32(mem + (addr - MEM_BASE)); }
static void poke32(uint32_t addr, uint32_t v) { bh_put32(mem + (addr - MEM_BASE), v); }

/* The wire: frames waiting for the card, frames the card sent. */
#define WIRE 16
static struct bh_nic_frame waiting[WIRE], sent[WIRE];
static uint64_t sent_ns[WIRE];
static unsigned nwaiting, first_waiting, nsent;
static void wire_send(void *opaque, const void *frame, uint32_t len, uint64_t ns)
{
    ck_assert_uint_lt(nsent, WIRE);
    sent[nsent].len = len;
    memcpy(sent[nsent].data, frame, len);
    sent_ns[nsent++] = ns;
}
static uint32_t wire_recv(void *opaque, void *buf, uint32_t cap)
{
    if (first_waiting == nwaiting)
        return 0;
    const struct bh_nic_frame *f = &waiting[first_waiting++];
    ck_assert_uint_ge(cap, f->len);
    memcpy(buf, f->data, f->len);
    return f->len;
}
/* A frame of len bytes whose bytes say which (tag) it is. */
static void wire_put(uint32_t len, uint8_t tag)
{
    ck_assert_uint_lt(nwaiting, WIRE);
    struct bh_nic_frame *f = &waiting[nwaiting++];
    f->len = len;
    for (uint32_t i = 0; i < len; i++)
        f->data[i] = (uint8_t)(tag + i);
}

static uint64_t now = 1000000000123456789ull;
static uint64_t clock_now(void *opaque) { return now; }

static int line = -1, sets;
static void record(void *opaque, unsigned n, int lv)
{
    ck_assert_uint_eq(n, 4);
    line = lv;
    sets++;
}

static const uint8_t MAC[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static struct bh_nic n;

static void setup(void)
{
    bh_nic_init(&n, MAC);
    n.dma = (struct bh_dma){fake_read, fake_write, NULL};
    n.irq = (struct bh_irq){record, NULL, 4};
    n.link = (struct bh_net_link){wire_send, wire_recv, NULL};
    n.clock = (struct bh_clock_src){clock_now, NULL, NULL};
    memset(mem, 0xee, sizeof mem);
    nwaiting = first_waiting = nsent = 0;
    line = -1;
    sets = 0;
}

static uint32_t rd(uint32_t off)
{
    uint32_t v = 0xdeadbeef;
    ck_assert_int_eq(bh_nic_region.read(&n, off, 4, &v), 0);
    return v;
}
static void wr(uint32_t off, uint32_t v)
{
    ck_assert_int_eq(bh_nic_region.write(&n, off, 4, v), 0);
}

/* A descriptor: buffer and length (DONE clear). */
static void desc(uint32_t ring, uint32_t i, uint32_t addr, uint32_t len)
{
    poke32(ring + 8 * i, addr);
    poke32(ring + 8 * i + 4, len);
}
static void tx_ring(uint32_t base, uint32_t size)
{
    wr(BH_NIC_REG_TX_BASE, base);
    wr(BH_NIC_REG_TX_SIZE, size);
}
static void rx_ring(uint32_t base, uint32_t size, uint32_t bufsize)
{
    wr(BH_NIC_REG_RX_BASE, base);
    wr(BH_NIC_REG_RX_SIZE, size);
    for (uint32_t i = 0; i < size; i++)
        desc(base, i, BUF(i), bufsize);
}
/* A frame of len bytes at addr (tagged as wire_put does). */
static void frame_at(uint32_t addr, uint32_t len, uint8_t tag)
{
    for (uint32_t i = 0; i < len; i++)
        mem[addr - MEM_BASE + i] = (uint8_t)(tag + i);
}
static int frame_is(const uint8_t *p, uint32_t len, uint8_t tag)
{
    for (uint32_t i = 0; i < len; i++)
        if (p[i] != (uint8_t)(tag + i))
            return 0;
    return 1;
}

START_TEST(registers)
{
    ck_assert_uint_eq(rd(BH_NIC_REG_MAC_LO), 0x33221102u);
    ck_assert_uint_eq(rd(BH_NIC_REG_MAC_HI), 0x5544u);
    ck_assert_uint_eq(rd(BH_NIC_REG_STATUS), BH_NIC_ST_LINK);
    wr(BH_NIC_REG_CONTROL, 0xffffffffu);
    ck_assert_uint_eq(rd(BH_NIC_REG_CONTROL), BH_NIC_CTL_RXEN | BH_NIC_CTL_TXEN);
    wr(BH_NIC_REG_IMASK, 0xffffffffu);
    ck_assert_uint_eq(rd(BH_NIC_REG_IMASK), BH_NIC_INT_ALL);
    wr(BH_NIC_REG_RX_BASE, RXRING);
    wr(BH_NIC_REG_RX_SIZE, 4);
    wr(BH_NIC_REG_RX_TAIL, 3);
    ck_assert_uint_eq(rd(BH_NIC_REG_RX_BASE), RXRING);
    ck_assert_uint_eq(rd(BH_NIC_REG_RX_SIZE), 4);
    ck_assert_uint_eq(rd(BH_NIC_REG_RX_TAIL), 3);
    /* a new size empties the ring */
    wr(BH_NIC_REG_RX_SIZE, 8);
    ck_assert_uint_eq(rd(BH_NIC_REG_RX_TAIL), 0);
    ck_assert_uint_eq(rd(BH_NIC_REG_RX_HEAD), 0);
    /* read-only registers, other sizes, offsets past the card: bus errors */
    static const uint32_t ro[] = {BH_NIC_REG_MAC_LO, BH_NIC_REG_MAC_HI, BH_NIC_REG_STATUS,
                                  BH_NIC_REG_RX_HEAD, BH_NIC_REG_TX_HEAD, BH_NIC_REG_ERRADDR};
    for (unsigned i = 0; i < sizeof ro / sizeof ro[0]; i++)
        ck_assert_int_eq(bh_nic_region.write(&n, ro[i], 4, 1), -1);
    uint32_t v;
    ck_assert_int_eq(bh_nic_region.read(&n, BH_NIC_REG_CONTROL, 1, &v), -1);
    ck_assert_int_eq(bh_nic_region.write(&n, BH_NIC_REG_CONTROL, 2, 1), -1);
    ck_assert_int_eq(bh_nic_region.read(&n, BH_NIC_MMIO_SIZE, 4, &v), -1);
    ck_assert_int_eq(bh_nic_region.write(&n, BH_NIC_MMIO_SIZE, 4, 0), -1);
    ck_assert_int_eq(bh_nic_region.read(&n, 2, 4, &v), -1);
    /* unplugged: no link */
    n.link = (struct bh_net_link){0};
    ck_assert_uint_eq(rd(BH_NIC_REG_STATUS), 0);
    ck_assert_uint_eq(rd(BH_NIC_REG_ERROR), 0);
}
END_TEST

START_TEST(transmit_and_wrap)
{
    tx_ring(TXRING, 3);
    wr(BH_NIC_REG_CONTROL, BH_NIC_CTL_TXEN);
    /* seven frames one by one through a ring of three: the indices wrap */
    for (uint32_t k = 0; k < 7; k++) {
        uint32_t i = k % 3, len = 60 + 100 * k;
        frame_at(BUF(i), len, (uint8_t)k);
        desc(TXRING, i, BUF(i), len);
        now += 1000;
        wr(BH_NIC_REG_TX_TAIL, (i + 1) % 3);
        ck_assert_uint_eq(nsent, k + 1);
        ck_assert_uint_eq(sent[k].len, len);
        ck_assert(frame_is(sent[k].data, len, (uint8_t)k));
        ck_assert_uint_eq(sent_ns[k], now);
        ck_assert_uint_eq(peek32(TXRING + 8 * i + 4), len | BH_NIC_DESC_DONE);
        ck_assert_uint_eq(rd(BH_NIC_REG_TX_HEAD), (i + 1) % 3);
    }
    ck_assert_uint_eq(n.r.tx_frames, 7);
    ck_assert_uint_eq(rd(BH_NIC_REG_ICAUSE), BH_NIC_INT_TX);
    /* two at once */
    frame_at(BUF(0), 14, 0x40);
    frame_at(BUF(1), 1514, 0x41);
    desc(TXRING, 1, BUF(0), 14); /* TX_HEAD is 1 after seven */
    desc(TXRING, 2, BUF(1), 1514);
    wr(BH_NIC_REG_TX_TAIL, 0);
    ck_assert_uint_eq(nsent, 9);
    ck_assert(frame_is(sent[7].data, 14, 0x40) && frame_is(sent[8].data, 1514, 0x41));
    ck_assert_uint_eq(rd(BH_NIC_REG_TX_HEAD), 0);
    /* TXEN clear: nothing goes until it is set */
    wr(BH_NIC_REG_CONTROL, 0);
    desc(TXRING, 0, BUF(0), 60);
    wr(BH_NIC_REG_TX_TAIL, 1);
    ck_assert_uint_eq(nsent, 9);
    wr(BH_NIC_REG_CONTROL, BH_NIC_CTL_TXEN);
    ck_assert_uint_eq(nsent, 10);
    /* no link: the frame completes and is counted as sent into nothing */
    n.link = (struct bh_net_link){0};
    desc(TXRING, 1, BUF(0), 60);
    wr(BH_NIC_REG_TX_TAIL, 2);
    ck_assert_uint_eq(nsent, 10);
    ck_assert_uint_eq(n.r.tx_nolink, 1);
    ck_assert_uint_eq(rd(BH_NIC_REG_ERROR), 0);
}
END_TEST

START_TEST(receive_wrap_and_fifo)
{
    rx_ring(RXRING, 3, 1536);
    for (unsigned k = 0; k < 12; k++)
        wire_put(60 + 10 * k, (uint8_t)(0x80 + k));
    wr(BH_NIC_REG_RX_TAIL, 2); /* descriptors 0 and 1 */
    /* RXEN clear: the card takes nothing from the wire */
    bh_nic_poll(&n);
    ck_assert_uint_eq(first_waiting, 0);
    wr(BH_NIC_REG_CONTROL, BH_NIC_CTL_RXEN);
    /* two in the ring, the FIFO full, the rest still on the wire */
    ck_assert_uint_eq(rd(BH_NIC_REG_RX_HEAD), 2);
    ck_assert_uint_eq(n.fifo_count, BH_NIC_FIFO);
    ck_assert_uint_eq(first_waiting, 2 + BH_NIC_FIFO);
    /* a driver that hands back one descriptor at a time gets all twelve
     * in order, through a ring of three */
    uint32_t next = 0, tail = 2;
    for (unsigned k = 0; k < 12; k++) {
        ck_assert_uint_ne(rd(BH_NIC_REG_RX_HEAD), next);
        uint32_t w = peek32(RXRING + 8 * next + 4), addr = peek32(RXRING + 8 * next);
        ck_assert_uint_eq(w, (60 + 10 * k) | BH_NIC_DESC_DONE);
        ck_assert(frame_is(mem + (addr - MEM_BASE), 60 + 10 * k, (uint8_t)(0x80 + k)));
        desc(RXRING, next, addr, 1536);
        next = (next + 1) % 3;
        tail = (tail + 1) % 3;
        wr(BH_NIC_REG_RX_TAIL, tail);
    }
    ck_assert_uint_eq(rd(BH_NIC_REG_RX_HEAD), next);
    ck_assert_uint_eq(n.r.rx_frames, 12);
    ck_assert_uint_eq(n.fifo_count, 0);
    ck_assert_uint_eq(rd(BH_NIC_REG_ERROR), 0);
}
END_TEST

/* ---- bad descriptors ---- */

static uint8_t before[MEM_SIZE];

/* The card stopped with code at erraddr, memory is as before, nothing
 * went on the wire; then ERROR is cleared. */
static void refused(uint32_t code, uint32_t erraddr, unsigned sent_before)
{
    ck_assert_uint_eq(rd(BH_NIC_REG_ERROR), code);
    ck_assert_uint_eq(rd(BH_NIC_REG_ERRADDR), erraddr);
    ck_assert(rd(BH_NIC_REG_ICAUSE) & BH_NIC_INT_ERR);
    ck_assert_uint_eq(nsent, sent_before);
    ck_assert(memcmp(before, mem, sizeof mem) == 0);
}

/* One transmit descriptor (addr, len) in a ring of 4 at base: refused
 * with code, at erraddr. */
static void tx_refused(uint32_t base, uint32_t addr, uint32_t len, uint32_t code,
                       uint32_t erraddr)
{
    setup();
    tx_ring(base, 4);
    wr(BH_NIC_REG_CONTROL, BH_NIC_CTL_TXEN);
    if (base >= MEM_BASE && (uint64_t)base + 8 <= MEM_BASE + MEM_SIZE)
        desc(base, 0, addr, len);
    frame_at(BUF(0), 1536, 0);
    memcpy(before, mem, sizeof mem);
    wr(BH_NIC_REG_TX_TAIL, 1);
    refused(code, erraddr, 0);
    ck_assert_uint_eq(rd(BH_NIC_REG_TX_HEAD), 0);
}

START_TEST(bad_transmit_descriptors)
{
    tx_refused(0x11004, BUF(0), 60, BH_NIC_E_ALIGN, 0x11004);        /* ring misaligned */
    tx_refused(0xfffffff8u, BUF(0), 60, BH_NIC_E_RING, 0xfffffff8u); /* ring past 4 GiB */
    tx_refused(0x90000, BUF(0), 60, BH_NIC_E_ADDRESS, 0x90000);      /* ring not memory */
    tx_refused(TXRING, BUF(0) + 2, 60, BH_NIC_E_ALIGN, TXRING);      /* buffer misaligned */
    tx_refused(TXRING, BUF(0), 13, BH_NIC_E_LENGTH, TXRING);         /* shorter than a header */
    tx_refused(TXRING, BUF(0), 1515, BH_NIC_E_LENGTH, TXRING);       /* longer than 1514 */
    tx_refused(TXRING, 0x90000, 60, BH_NIC_E_ADDRESS, TXRING);       /* buffer not memory */
    tx_refused(TXRING, 0x1fff0, 60, BH_NIC_E_ADDRESS, TXRING);       /* buffer half memory */
    tx_refused(TXRING, 0xfffffff0u, 60, BH_NIC_E_ADDRESS, TXRING);   /* past 4 GiB */
    tx_refused(TXRING, TXRING + 8, 60, BH_NIC_E_LOOP, TXRING);       /* buffer over its ring */
    /* buffer over the other ring */
    setup();
    wr(BH_NIC_REG_RX_BASE, RXRING);
    wr(BH_NIC_REG_RX_SIZE, 4);
    tx_ring(TXRING, 4);
    wr(BH_NIC_REG_CONTROL, BH_NIC_CTL_TXEN);
    desc(TXRING, 0, RXRING, 60);
    memcpy(before, mem, sizeof mem);
    wr(BH_NIC_REG_TX_TAIL, 1);
    refused(BH_NIC_E_LOOP, TXRING, 0);
    /* the rings overlap: a ring that loops into the other */
    setup();
    wr(BH_NIC_REG_RX_BASE, TXRING + 16);
    wr(BH_NIC_REG_RX_SIZE, 4);
    tx_ring(TXRING, 4);
    wr(BH_NIC_REG_CONTROL, BH_NIC_CTL_TXEN);
    desc(TXRING, 0, BUF(0), 60);
    memcpy(before, mem, sizeof mem);
    wr(BH_NIC_REG_TX_TAIL, 1);
    refused(BH_NIC_E_LOOP, TXRING, 0);
    /* TAIL without a ring, TAIL past SIZE, SIZE past the limit */
    setup();
    memcpy(before, mem, sizeof mem);
    wr(BH_NIC_REG_TX_TAIL, 0);
    refused(BH_NIC_E_RING, 0, 0);
    setup();
    tx_ring(TXRING, 4);
    memcpy(before, mem, sizeof mem);
    wr(BH_NIC_REG_TX_TAIL, 4);
    refused(BH_NIC_E_INDEX, TXRING, 0);
    ck_assert_uint_eq(rd(BH_NIC_REG_TX_TAIL), 0);
    setup();
    tx_ring(TXRING, BH_NIC_MAX_RING + 1);
    wr(BH_NIC_REG_TX_TAIL, 1);
    ck_assert_uint_eq(rd(BH_NIC_REG_ERROR), BH_NIC_E_RING);
}
END_TEST

START_TEST(bad_stops_until_cleared)
{
    /* the second of three is bad: the first goes, the card stops at the
     * second, and goes on from there once the driver fixed it and
     * cleared ERROR */
    tx_ring(TXRING, 4);
    wr(BH_NIC_REG_CONTROL, BH_NIC_CTL_TXEN);
    frame_at(BUF(0), 60, 1);
    frame_at(BUF(1), 60, 2);
    frame_at(BUF(2), 60, 3);
    desc(TXRING, 0, BUF(0), 60);
    desc(TXRING, 1, BUF(1), 5000);
    desc(TXRING, 2, BUF(2), 60);
    wr(BH_NIC_REG_TX_TAIL, 3);
    ck_assert_uint_eq(nsent, 1);
    ck_assert_uint_eq(rd(BH_NIC_REG_ERROR), BH_NIC_E_LENGTH);
    ck_assert_uint_eq(rd(BH_NIC_REG_ERRADDR), TXRING + 8);
    ck_assert_uint_eq(rd(BH_NIC_REG_TX_HEAD), 1);
    /* stopped: a TAIL write changes nothing */
    wr(BH_NIC_REG_TX_TAIL, 0);
    ck_assert_uint_eq(rd(BH_NIC_REG_TX_TAIL), 3);
    ck_assert_uint_eq(nsent, 1);
    desc(TXRING, 1, BUF(1), 60);
    wr(BH_NIC_REG_ERROR, 0);
    ck_assert_uint_eq(rd(BH_NIC_REG_ERROR), 0);
    ck_assert_uint_eq(nsent, 3);
    ck_assert(frame_is(sent[1].data, 60, 2) && frame_is(sent[2].data, 60, 3));
    ck_assert_uint_eq(n.r.errors, 1);
}
END_TEST

/* One frame of flen bytes for a receive descriptor (addr, cap) in a
 * ring of 4 at base: refused with code at erraddr, the frame kept. */
static void rx_refused(uint32_t base, uint32_t addr, uint32_t cap, uint32_t flen, uint32_t code,
                       uint32_t erraddr)
{
    setup();
    wr(BH_NIC_REG_RX_BASE, base);
    wr(BH_NIC_REG_RX_SIZE, 4);
    if (base >= MEM_BASE && (uint64_t)base + 8 <= MEM_BASE + MEM_SIZE)
        desc(base, 0, addr, cap);
    wire_put(flen, 7);
    memcpy(before, mem, sizeof mem);
    wr(BH_NIC_REG_RX_TAIL, 1);
    wr(BH_NIC_REG_CONTROL, BH_NIC_CTL_RXEN);
    refused(code, erraddr, 0);
    ck_assert_uint_eq(rd(BH_NIC_REG_RX_HEAD), 0);
    ck_assert_uint_eq(n.fifo_count, 1); /* the frame waits for a good descriptor */
}

START_TEST(bad_receive_descriptors)
{
    rx_refused(0x11004, BUF(0), 1536, 60, BH_NIC_E_ALIGN, 0x11004);
    rx_refused(0xfffffff8u, BUF(0), 1536, 60, BH_NIC_E_RING, 0xfffffff8u);
    rx_refused(0x90000, BUF(0), 1536, 60, BH_NIC_E_ADDRESS, 0x90000);
    rx_refused(RXRING, BUF(0) + 1, 1536, 60, BH_NIC_E_ALIGN, RXRING);
    rx_refused(RXRING, BUF(0), 100, 101, BH_NIC_E_LENGTH, RXRING); /* frame > buffer */
    rx_refused(RXRING, 0x90000, 1536, 60, BH_NIC_E_ADDRESS, RXRING);
    rx_refused(RXRING, MEM_BASE, 1536, 60, BH_NIC_E_ADDRESS, RXRING); /* into text */
    rx_refused(RXRING, 0x1ffe0, 1536, 60, BH_NIC_E_ADDRESS, RXRING);  /* half memory */
    rx_refused(RXRING, 0xfffffff0u, 1536, 60, BH_NIC_E_ADDRESS, RXRING);
    rx_refused(RXRING, RXRING, 1536, 60, BH_NIC_E_LOOP, RXRING); /* over its own descriptors */
    /* fixed and cleared: the frame kept in the FIFO arrives */
    desc(RXRING, 0, BUF(0), 1536);
    wr(BH_NIC_REG_ERROR, 0);
    ck_assert_uint_eq(rd(BH_NIC_REG_RX_HEAD), 1);
    ck_assert(frame_is(mem + (BUF(0) - MEM_BASE), 60, 7));
    /* frames the wire should never give (too short) are not taken */
    setup();
    rx_ring(RXRING, 4, 1536);
    wire_put(10, 1);
    wr(BH_NIC_REG_RX_TAIL, 3);
    wr(BH_NIC_REG_CONTROL, BH_NIC_CTL_RXEN);
    ck_assert_uint_eq(rd(BH_NIC_REG_RX_HEAD), 0);
    ck_assert_uint_eq(n.fifo_count, 0);
}
END_TEST

START_TEST(interrupts_and_polling)
{
    rx_ring(RXRING, 4, 1536);
    tx_ring(TXRING, 4);
    wr(BH_NIC_REG_RX_TAIL, 3);
    wr(BH_NIC_REG_CONTROL, BH_NIC_CTL_RXEN | BH_NIC_CTL_TXEN);
    /* polled: IMASK 0, the line never rises; reading RX_HEAD takes the frame */
    wire_put(60, 1);
    ck_assert_uint_eq(rd(BH_NIC_REG_RX_HEAD), 1);
    ck_assert_int_ne(line, 1);
    ck_assert_uint_eq(rd(BH_NIC_REG_ICAUSE), BH_NIC_INT_RX);
    wr(BH_NIC_REG_ICAUSE, BH_NIC_INT_RX);
    ck_assert_uint_eq(rd(BH_NIC_REG_ICAUSE), 0);
    /* receive interrupt: the machine's poll raises the line */
    wr(BH_NIC_REG_IMASK, BH_NIC_INT_RX);
    wire_put(60, 2);
    bh_nic_poll(&n);
    ck_assert_int_eq(line, 1);
    wr(BH_NIC_REG_ICAUSE, BH_NIC_INT_RX); /* acknowledged: it drops */
    ck_assert_int_eq(line, 0);
    /* a transmit while only RX is unmasked: ICAUSE says so, no line */
    desc(TXRING, 0, BUF(3), 60);
    wr(BH_NIC_REG_TX_TAIL, 1);
    ck_assert_uint_eq(rd(BH_NIC_REG_ICAUSE), BH_NIC_INT_TX);
    ck_assert_int_eq(line, 0);
    /* unmasking a pending cause raises the line at once */
    wr(BH_NIC_REG_IMASK, BH_NIC_INT_TX);
    ck_assert_int_eq(line, 1);
    wr(BH_NIC_REG_ICAUSE, BH_NIC_INT_ALL);
    ck_assert_int_eq(line, 0);
    /* an error interrupts when ERR is unmasked */
    wr(BH_NIC_REG_IMASK, BH_NIC_INT_ERR);
    wr(BH_NIC_REG_TX_TAIL, 9);
    ck_assert_int_eq(line, 1);
    ck_assert_uint_eq(rd(BH_NIC_REG_ERROR), BH_NIC_E_INDEX);
}
END_TEST

START_TEST(mac_addresses)
{
    uint8_t a[6], b[6], c[6];
    bh_nic_mac_of_name("vm1", a);
    bh_nic_mac_of_name("vm1", b);
    bh_nic_mac_of_name("vm2", c);
    ck_assert(memcmp(a, b, 6) == 0);
    ck_assert(memcmp(a, c, 6) != 0);
    ck_assert_uint_eq(a[0] & 3u, 2u); /* unicast, locally administered */
    ck_assert_uint_eq(c[0] & 3u, 2u);
    ck_assert_int_eq(bh_nic_parse_mac("02:0a:FF:00:10:ee", a), 0);
    static const uint8_t want[6] = {0x02, 0x0a, 0xff, 0x00, 0x10, 0xee};
    ck_assert(memcmp(a, want, 6) == 0);
    static const char *const bad[] = {"01:00:00:00:00:01", "02:00:00:00:00", "02-00-00-00-00-01",
                                      "02:00:00:00:00:0g", "02:00:00:00:00:001", ""};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(bh_nic_parse_mac(bad[i], a) == -1, "%s", bad[i]);
}
END_TEST

START_TEST(state_round_trip)
{
    rx_ring(RXRING, 2, 1536);
    tx_ring(TXRING, 4);
    for (unsigned k = 0; k < 5; k++)
        wire_put(60 + k, (uint8_t)k);
    wr(BH_NIC_REG_RX_TAIL, 1);
    wr(BH_NIC_REG_IMASK, BH_NIC_INT_RX);
    wr(BH_NIC_REG_CONTROL, BH_NIC_CTL_RXEN | BH_NIC_CTL_TXEN);
    ck_assert_uint_eq(n.fifo_count, 4); /* one in the ring, four pending */
    struct bh_buf b = {0};
    ck_assert_int_eq(bh_nic_save(&n, &b), 0);
    struct bh_rd r = {b.data, b.len, 0, 0};
    struct bh_nic_saved *s = malloc(sizeof *s);
    char err[256];
    ck_assert_msg(bh_nic_parse(&r, BH_NIC_STATE_VERSION, s, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(r.off, b.len);
    struct bh_nic m;
    static const uint8_t other[6] = {2, 9, 9, 9, 9, 9};
    bh_nic_init(&m, other);
    bh_nic_load(&m, s);
    ck_assert(memcmp(m.mac, MAC, 6) == 0);
    ck_assert(m.r.control == n.r.control && m.r.icause == n.r.icause && m.r.imask == n.r.imask);
    ck_assert(m.r.rx.base == RXRING && m.r.rx.size == 2 && m.r.rx.head == 1 && m.r.rx.tail == 1);
    ck_assert(m.r.tx.base == TXRING && m.r.tx.size == 4);
    ck_assert(m.r.rx_frames == 1 && m.r.rx_bytes == 60);
    ck_assert_uint_eq(m.fifo_count, 4);
    for (unsigned k = 0; k < 4; k++)
        ck_assert(m.fifo[k].len == 61 + k && frame_is(m.fifo[k].data, 61 + k, (uint8_t)(k + 1)));
    /* damaged bodies: each refused with its reason */
    ck_assert_int_eq(bh_nic_parse(&(struct bh_rd){b.data, b.len, 0, 0}, 3, s, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "version 3"));
    ck_assert_int_eq(bh_nic_parse(&(struct bh_rd){b.data, b.len - 1, 0, 0}, 2, s, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "truncated"));
    uint8_t *d = malloc(b.len);
    /* offsets: mac 0, control 6, icause 10, imask 14, error 18, erraddr 22,
     * rx 26 (base, size, head, tail), tx 42, counters 58..105, fifo count 106 */
    struct { size_t off; uint32_t val; const char *says; } cases[] = {
        {6, 4, "bits"}, {10, 8, "bits"}, {18, 7, "error 7"}, {30, 2000, "rings"},
        {34, 2, "rings"}, {106, 9, "9 frames"}, {110, 13, "13 bytes"},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(d, b.data, b.len);
        if (cases[i].off == 110)
            bh_put16(d + 110, (uint16_t)cases[i].val);
        else
            bh_put32(d + cases[i].off, cases[i].val);
        ck_assert_int_eq(bh_nic_parse(&(struct bh_rd){d, b.len, 0, 0}, 1, s, err, sizeof err), -1);
        ck_assert_msg(strstr(err, cases[i].says), "case %u: %s", i, err);
    }
    free(d);
    free(s);
    bh_buf_free(&b);
}
END_TEST

/* Version 2 carries the LAN's name; version 1 (without it) still reads;
 * a name that is not one is refused, naming it. */
START_TEST(state_lan_name)
{
    snprintf(n.lan, sizeof n.lan, "lan0");
    struct bh_buf b = {0};
    ck_assert_int_eq(bh_nic_save(&n, &b), 0);
    struct bh_nic_saved *s = malloc(sizeof *s);
    char err[256];
    struct bh_rd r = {b.data, b.len, 0, 0};
    ck_assert_msg(bh_nic_parse(&r, 2, s, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(r.off, b.len);
    ck_assert_str_eq(s->lan, "lan0");
    /* a card not plugged takes the name; a plugged one keeps its own */
    struct bh_nic m;
    bh_nic_init(&m, MAC);
    bh_nic_load(&m, s);
    ck_assert_str_eq(m.lan, "lan0");
    snprintf(m.lan, sizeof m.lan, "lan7");
    m.link.send = n.link.send;
    bh_nic_load(&m, s);
    ck_assert_str_eq(m.lan, "lan7");
    /* version 1: the same body without the name's 5 bytes */
    r = (struct bh_rd){b.data, b.len - 5, 0, 0};
    ck_assert_msg(bh_nic_parse(&r, 1, s, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(r.off, b.len - 5);
    ck_assert_str_eq(s->lan, "");
    /* corrupt names */
    uint8_t *d = malloc(b.len + 40);
    memcpy(d, b.data, b.len);
    d[b.len - 2] = ' '; /* "la n0"... */
    ck_assert_int_eq(bh_nic_parse(&(struct bh_rd){d, b.len, 0, 0}, 2, s, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "the LAN's name 'la\\x20") != NULL, "%s", err);
    d[b.len - 2] = 0;
    ck_assert_int_eq(bh_nic_parse(&(struct bh_rd){d, b.len, 0, 0}, 2, s, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "'la\\x00") != NULL, "%s", err);
    d[b.len - 5] = 30; /* longer than a name may be */
    memset(d + b.len - 4, 'a', 34);
    ck_assert_int_eq(bh_nic_parse(&(struct bh_rd){d, b.len + 30, 0, 0}, 2, s, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "LAN's name is truncated or 30 bytes") != NULL, "%s", err);
    d[b.len - 5] = 9; /* past the end */
    ck_assert_int_eq(bh_nic_parse(&(struct bh_rd){d, b.len, 0, 0}, 2, s, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "truncated or 9 bytes") != NULL, "%s", err);
    free(d);
    free(s);
    bh_buf_free(&b);
}
END_TEST

Suite *nic_suite(void)
{
    Suite *s = suite_create("nic");
    TCase *t = tcase_create("nic");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, registers);
    tcase_add_test(t, transmit_and_wrap);
    tcase_add_test(t, receive_wrap_and_fifo);
    tcase_add_test(t, bad_transmit_descriptors);
    tcase_add_test(t, bad_stops_until_cleared);
    tcase_add_test(t, bad_receive_descriptors);
    tcase_add_test(t, interrupts_and_polling);
    tcase_add_test(t, mac_addresses);
    tcase_add_test(t, state_round_trip);
    tcase_add_test(t, state_lan_name);
    suite_add_tcase(s, t);
    return s;
}
