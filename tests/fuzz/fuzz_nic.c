/* fuzz_nic.c: libFuzzer target for the network card's descriptor
 * handling and its state reader (vm/dev/nic.c).
 *
 * The first byte chooses:
 *  - even: the rest is operations, 6 bytes each (offset, kind, a 32-bit
 *    value): register reads and writes of any size, a frame of any
 *    length put on the wire for the card, or a poll by the machine.  The
 *    guest memory is small and fake, between two guard zones, and the
 *    card's descriptors point anywhere.  After every operation the card's
 *    state is one it can be in (ERROR known, indices inside their rings,
 *    the FIFO bounded, the interrupt line = ICAUSE & IMASK); every frame
 *    it sends is 14..1514 bytes; at the end the guards are untouched.
 *  - odd: the rest is a NIC section body for bh_nic_parse; an accepted
 *    body, loaded and saved again, gives the same bytes.
 * No crash, leak or sanitizer report.
 *
 * BH_FUZZ_WRITE_SEED=dir writes seeds there: a driver that sets up both
 * rings, sends two frames and receives two; and the NIC body of a card
 * holding frames.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "dev/nic.h"

#define MEM_BASE 0x10000u
#define MEM_SIZE 0x4000u
#define GUARD 0x1000u
static uint8_t zone[GUARD + MEM_SIZE + GUARD];
#define MEM (zone + GUARD)

static int fake_read(void *opaque, uint32_t addr, void *dst, uint32_t n)
{
    if (addr < MEM_BASE || (uint64_t)addr + n > MEM_BASE + MEM_SIZE)
        return -1;
    memcpy(dst, MEM + (addr - MEM_BASE), n);
    return 0;
}
static int fake_write(void *opaque, uint32_t addr, const void *src, uint32_t n)
{
    /* the first page is "text": DMA may read it, not write it */
    if (addr < MEM_BASE + 0x1000u || (uint64_t)addr + n > MEM_BASE + MEM_SIZE)
        return -1;
    memcpy(MEM + (addr - MEM_BASE), src, n);
    return 0;
}

/* The wire: at most one frame waiting (of any length: the card must
 * refuse what no card sends). */
static uint8_t waiting[2048];
static uint32_t waiting_len;
static void wire_send(void *opaque, const void *frame, uint32_t len, uint64_t ns)
{
    if (len < BH_NIC_FRAME_MIN || len > BH_NIC_FRAME_MAX)
        abort();
    volatile uint8_t x = ((const uint8_t *)frame)[len - 1]; /* ASan: all of it readable */
    (void)x;
}
static uint32_t wire_recv(void *opaque, void *buf, uint32_t cap)
{
    uint32_t len = waiting_len;
    if (len > cap) /* a link never gives more than cap: the switch's promise */
        len = cap;
    memcpy(buf, waiting, len);
    waiting_len = 0;
    return len;
}
static uint64_t now_ns(void *opaque) { return 0; }

static int level = -1;
static void irq_set(void *opaque, unsigned line, int lv) { level = lv; }

static struct bh_nic nic;

static void check(void)
{
    const struct bh_nic_regs *r = &nic.r;
    if (r->error > BH_NIC_E_MAX || nic.fifo_count > BH_NIC_FIFO ||
        nic.fifo_first >= BH_NIC_FIFO || (r->icause & ~BH_NIC_INT_ALL) ||
        (r->imask & ~BH_NIC_INT_ALL))
        abort();
    for (unsigned i = 0; i < nic.fifo_count; i++) {
        uint32_t len = nic.fifo[(nic.fifo_first + i) % BH_NIC_FIFO].len;
        if (len < BH_NIC_FRAME_MIN || len > BH_NIC_FRAME_MAX)
            abort();
    }
    /* a ring the card moved in keeps its indices inside it */
    if ((r->rx.head && r->rx.head >= r->rx.size) || (r->tx.head && r->tx.head >= r->tx.size) ||
        (r->rx.tail && r->rx.tail >= r->rx.size) || (r->tx.tail && r->tx.tail >= r->tx.size))
        abort();
    if (level != -1 && level != ((r->icause & r->imask) != 0))
        abort();
}

static void operations(const uint8_t *p, size_t n)
{
    memset(zone, 0xa5, sizeof zone);
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
    bh_nic_init(&nic, mac);
    nic.dma = (struct bh_dma){fake_read, fake_write, NULL};
    nic.link = (struct bh_net_link){wire_send, wire_recv, NULL};
    nic.irq = (struct bh_irq){irq_set, NULL, 4};
    nic.clock = (struct bh_clock_src){now_ns, NULL, NULL};
    level = -1;
    waiting_len = 0;
    for (; n >= 6; p += 6, n -= 6) {
        uint32_t off = p[0] & 0x3fu, val = bh_get32(p + 2);
        unsigned size = 1u << (p[1] % 3);
        uint32_t v;
        switch (p[1] >> 2 & 3) {
        case 0: bh_nic_region.read(&nic, off, size, &v); break;
        case 1: bh_nic_region.write(&nic, off, size, val); break;
        case 2: /* a frame on the wire: its bytes from the memory's start */
            waiting_len = val % sizeof waiting;
            memcpy(waiting, MEM + (val >> 16) % 0x100u, waiting_len);
            break;
        default: bh_nic_poll(&nic); break;
        }
        check();
    }
    for (uint32_t i = 0; i < GUARD; i++)
        if (zone[i] != 0xa5 || zone[GUARD + MEM_SIZE + i] != 0xa5)
            abort();
}

static void body(const uint8_t *p, size_t n)
{
    struct bh_nic_saved *s = malloc(sizeof *s);
    char err[300];
    struct bh_rd r = {p, n, 0, 0};
    if (bh_nic_parse(&r, BH_NIC_STATE_VERSION, s, err, sizeof err) == 0) {
        struct bh_nic *m = malloc(sizeof *m);
        static const uint8_t mac[6] = {2, 0, 0, 0, 0, 2};
        bh_nic_init(m, mac);
        bh_nic_load(m, s);
        struct bh_buf b = {0};
        if (bh_nic_save(m, &b) || b.len != r.off || memcmp(b.data, p, b.len))
            abort(); /* what it read is what it writes */
        bh_buf_free(&b);
        free(m);
    }
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        body(data + 1, size - 1);
    else
        operations(data + 1, size - 1);
    return 0;
}

static void put_op(struct bh_buf *b, uint32_t off, unsigned kind, uint32_t val)
{
    bh_buf_put8(b, (uint8_t)off);
    bh_buf_put8(b, (uint8_t)(kind << 2 | 2)); /* a word */
    bh_buf_put32(b, val);
}

static int write_file(const char *dir, const char *name, const struct bh_buf *b)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f))
        return 1;
    return 0;
}

static int write_seeds(const char *dir)
{
    struct bh_buf b = {0};
    bh_buf_put8(&b, 0);
    /* the rings: receive 4 at MEM_BASE + 0x1000, transmit 2 after it; the
     * descriptors are zero in fake memory until the fuzzer writes them (a
     * ring at a place whose bytes the wire's frames copy) */
    put_op(&b, BH_NIC_REG_RX_BASE, 1, MEM_BASE + 0x1000u);
    put_op(&b, BH_NIC_REG_RX_SIZE, 1, 4);
    put_op(&b, BH_NIC_REG_TX_BASE, 1, MEM_BASE + 0x1020u);
    put_op(&b, BH_NIC_REG_TX_SIZE, 1, 2);
    put_op(&b, BH_NIC_REG_IMASK, 1, BH_NIC_INT_ALL);
    put_op(&b, BH_NIC_REG_CONTROL, 1, BH_NIC_CTL_RXEN | BH_NIC_CTL_TXEN);
    put_op(&b, BH_NIC_REG_RX_TAIL, 1, 3);
    put_op(&b, 0, 2, 60);
    put_op(&b, 0, 3, 0);
    put_op(&b, BH_NIC_REG_TX_TAIL, 1, 1);
    put_op(&b, BH_NIC_REG_ERROR, 0, 0);
    put_op(&b, BH_NIC_REG_ERROR, 1, 0);
    put_op(&b, BH_NIC_REG_TX_TAIL, 1, 0);
    put_op(&b, 0, 2, 1514);
    put_op(&b, BH_NIC_REG_RX_HEAD, 0, 0);
    put_op(&b, BH_NIC_REG_ICAUSE, 1, BH_NIC_INT_ALL);
    int rc = write_file(dir, "driver", &b);
    /* a NIC body with two frames pending */
    static struct bh_nic m;
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 3};
    bh_nic_init(&m, mac);
    m.r.rx = (struct bh_nic_ring){MEM_BASE + 0x1000u, 4, 1, 3};
    m.r.control = BH_NIC_CTL_RXEN;
    m.fifo_count = 2;
    m.fifo[0].len = 60;
    m.fifo[1].len = 1514;
    b.len = 0;
    bh_buf_put8(&b, 1);
    bh_nic_save(&m, &b);
    rc |= write_file(dir, "body", &b);
    bh_buf_free(&b);
    return rc;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *seed = getenv("BH_FUZZ_WRITE_SEED");
    if (seed)
        exit(write_seeds(seed));
    return 0;
}
