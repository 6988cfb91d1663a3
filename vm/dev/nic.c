/* nic.c: the network card (nic.h): descriptor rings in guest memory,
 * transmit inside the write of TX_TAIL, receive when polled. */
#include "dev/nic.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void bh_nic_init(struct bh_nic *n, const uint8_t mac[6])
{
    memset(n, 0, sizeof *n);
    memcpy(n->mac, mac, 6);
}

/* ---- the MAC ---- */

void bh_nic_mac_of_name(const char *name, uint8_t mac[6])
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a: stable across runs and hosts */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)(h >> (8 * i));
    mac[0] = (uint8_t)((mac[0] & 0xfeu) | 0x02u); /* unicast, locally administered */
}

static int hexval(int c)
{
    return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

int bh_nic_parse_mac(const char *s, uint8_t mac[6])
{
    if (strlen(s) != 17)
        return -1;
    for (int i = 0; i < 6; i++) {
        const unsigned char *p = (const unsigned char *)s + 3 * i;
        int hi = hexval(p[0]), lo = hexval(p[1]);
        if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':'))
            return -1;
        mac[i] = (uint8_t)(hi << 4 | lo);
    }
    return mac[0] & 1u ? -1 : 0;
}

int bh_nic_lan_ok(const char *s)
{
    size_t n = strlen(s);
    int ok = n > 0 && n <= BH_NIC_LAN_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)s[i]) || strchr("_.-", s[i]);
    return ok;
}

/* ---- rings ---- */

static void update_irq(struct bh_nic *n)
{
    bh_irq_set(&n->irq, (n->r.icause & n->r.imask) != 0);
}

/* The first error stops the card until the driver clears ERROR. */
static void fail(struct bh_nic *n, uint32_t code, uint32_t addr)
{
    n->r.error = code;
    n->r.erraddr = addr;
    n->r.errors++;
    n->r.icause |= BH_NIC_INT_ERR;
}

static uint64_t ring_end(const struct bh_nic_ring *g)
{
    return (uint64_t)g->base + (uint64_t)g->size * BH_NIC_DESC;
}

/* Does [addr, addr + len) overlap ring g (an empty ring overlaps nothing)? */
static int overlaps(const struct bh_nic_ring *g, uint64_t addr, uint64_t len)
{
    return g->size && addr < ring_end(g) && g->base < addr + len;
}

/* Ring g, with other the card's other ring: 0, or its error. */
static uint32_t ring_check(const struct bh_nic_ring *g, const struct bh_nic_ring *other)
{
    if (g->size == 0 || g->size > BH_NIC_MAX_RING || ring_end(g) > 0x100000000ull)
        return BH_NIC_E_RING;
    if (g->base % BH_NIC_DESC)
        return BH_NIC_E_ALIGN;
    if (overlaps(other, g->base, (uint64_t)g->size * BH_NIC_DESC))
        return BH_NIC_E_LOOP;
    return BH_NIC_OK;
}

/* Descriptor i of ring g: its buffer's address and its length field. */
static int desc_read(struct bh_nic *n, const struct bh_nic_ring *g, uint32_t *addr, uint32_t *len)
{
    uint8_t d[BH_NIC_DESC];
    if (bh_dma_read(&n->dma, g->base + g->head * BH_NIC_DESC, d, sizeof d))
        return -1;
    *addr = bh_get32(d);
    *len = bh_get32(d + 4) & BH_NIC_DESC_LEN;
    return 0;
}

static int desc_done(struct bh_nic *n, const struct bh_nic_ring *g, uint32_t len)
{
    uint8_t w[4];
    bh_put32(w, len | BH_NIC_DESC_DONE);
    return bh_dma_write(&n->dma, g->base + g->head * BH_NIC_DESC + 4, w, 4);
}

/* The buffer [addr, addr + len) of a descriptor: 0, or its error. */
static uint32_t buffer_check(const struct bh_nic *n, uint32_t addr, uint32_t len)
{
    if (addr % 4)
        return BH_NIC_E_ALIGN;
    if ((uint64_t)addr + len > 0x100000000ull)
        return BH_NIC_E_ADDRESS;
    if (overlaps(&n->r.rx, addr, len) || overlaps(&n->r.tx, addr, len))
        return BH_NIC_E_LOOP;
    return BH_NIC_OK;
}

/* Send every descriptor in [TX_HEAD, TX_TAIL), stopping at the first bad one. */
static void transmit(struct bh_nic *n)
{
    struct bh_nic_ring *g = &n->r.tx;
    if (n->r.error || !(n->r.control & BH_NIC_CTL_TXEN) || g->head == g->tail)
        return;
    uint32_t e = ring_check(g, &n->r.rx);
    if (e) {
        fail(n, e, g->base);
        return;
    }
    uint8_t frame[BH_NIC_FRAME_MAX];
    while (g->head != g->tail) {
        uint32_t daddr = g->base + g->head * BH_NIC_DESC, addr, len;
        if (desc_read(n, g, &addr, &len)) {
            fail(n, BH_NIC_E_ADDRESS, daddr);
            return;
        }
        if (len < BH_NIC_FRAME_MIN || len > BH_NIC_FRAME_MAX)
            e = BH_NIC_E_LENGTH;
        else
            e = buffer_check(n, addr, len);
        if (!e && bh_dma_read(&n->dma, addr, frame, len))
            e = BH_NIC_E_ADDRESS;
        if (!e && desc_done(n, g, len))
            e = BH_NIC_E_ADDRESS;
        if (e) {
            fail(n, e, daddr);
            return;
        }
        if (n->link.send)
            n->link.send(n->link.opaque, frame, len, n->clock.now_ns ? n->clock.now_ns(n->clock.opaque) : 0);
        else
            n->r.tx_nolink++; /* a card without a cable sends into nothing */
        n->r.tx_frames++;
        n->r.tx_bytes += len;
        n->r.icause |= BH_NIC_INT_TX;
        g->head = (g->head + 1) % g->size;
    }
}

/* Move the FIFO's frames into [RX_HEAD, RX_TAIL), stopping at the first
 * bad descriptor (the frame stays in the FIFO). */
static void receive(struct bh_nic *n)
{
    struct bh_nic_ring *g = &n->r.rx;
    if (n->r.error || !n->fifo_count || g->head == g->tail)
        return;
    uint32_t e = ring_check(g, &n->r.tx);
    if (e) {
        fail(n, e, g->base);
        return;
    }
    while (n->fifo_count && g->head != g->tail) {
        const struct bh_nic_frame *f = &n->fifo[n->fifo_first];
        uint32_t daddr = g->base + g->head * BH_NIC_DESC, addr, cap;
        if (desc_read(n, g, &addr, &cap)) {
            fail(n, BH_NIC_E_ADDRESS, daddr);
            return;
        }
        e = f->len > cap ? BH_NIC_E_LENGTH : buffer_check(n, addr, f->len);
        /* Frame, then descriptor: a driver that sees DONE sees the frame. */
        if (!e && bh_dma_write(&n->dma, addr, f->data, f->len))
            e = BH_NIC_E_ADDRESS;
        if (!e && desc_done(n, g, f->len))
            e = BH_NIC_E_ADDRESS;
        if (e) {
            fail(n, e, daddr);
            return;
        }
        n->r.rx_frames++;
        n->r.rx_bytes += f->len;
        n->r.icause |= BH_NIC_INT_RX;
        n->fifo_first = (n->fifo_first + 1) % BH_NIC_FIFO;
        n->fifo_count--;
        g->head = (g->head + 1) % g->size;
    }
}

void bh_nic_poll(struct bh_nic *n)
{
    if (!(n->r.control & BH_NIC_CTL_RXEN))
        return;
    while (n->link.recv && n->fifo_count < BH_NIC_FIFO) {
        struct bh_nic_frame *f = &n->fifo[(n->fifo_first + n->fifo_count) % BH_NIC_FIFO];
        uint32_t len = n->link.recv(n->link.opaque, f->data, BH_NIC_FRAME_MAX);
        if (len == 0)
            break;
        if (len < BH_NIC_FRAME_MIN || len > BH_NIC_FRAME_MAX)
            continue; /* not a frame a card sends: the wire's business, never ours */
        f->len = len;
        n->fifo_count++;
    }
    receive(n);
    update_irq(n);
}

/* ---- registers ---- */

/* Word accesses at the sixteen registers only: anything else is a bus
 * error, so a wrong offset in a driver shows at once. */
static int nic_read(void *opaque, uint32_t offset, unsigned size, uint32_t *val)
{
    struct bh_nic *n = opaque;
    if (size != 4 || offset % 4 || offset >= BH_NIC_MMIO_SIZE)
        return -1;
    /* Polled mode: a driver that reads these is waiting for frames. */
    if (offset == BH_NIC_REG_STATUS || offset == BH_NIC_REG_RX_HEAD ||
        offset == BH_NIC_REG_ICAUSE)
        bh_nic_poll(n);
    const struct bh_nic_regs *r = &n->r;
    switch (offset) {
    case BH_NIC_REG_MAC_LO: *val = bh_get32(n->mac); break;
    case BH_NIC_REG_MAC_HI: *val = bh_get16(n->mac + 4); break;
    case BH_NIC_REG_CONTROL: *val = r->control; break;
    case BH_NIC_REG_STATUS: *val = n->link.send ? BH_NIC_ST_LINK : 0; break;
    case BH_NIC_REG_RX_BASE: *val = r->rx.base; break;
    case BH_NIC_REG_RX_SIZE: *val = r->rx.size; break;
    case BH_NIC_REG_RX_HEAD: *val = r->rx.head; break;
    case BH_NIC_REG_RX_TAIL: *val = r->rx.tail; break;
    case BH_NIC_REG_TX_BASE: *val = r->tx.base; break;
    case BH_NIC_REG_TX_SIZE: *val = r->tx.size; break;
    case BH_NIC_REG_TX_HEAD: *val = r->tx.head; break;
    case BH_NIC_REG_TX_TAIL: *val = r->tx.tail; break;
    case BH_NIC_REG_ICAUSE: *val = r->icause; break;
    case BH_NIC_REG_IMASK: *val = r->imask; break;
    case BH_NIC_REG_ERROR: *val = r->error; break;
    default: *val = r->erraddr; break; /* BH_NIC_REG_ERRADDR */
    }
    return 0;
}

/* A new TAIL for ring g: 0, or its error (the ring is not changed). */
static uint32_t set_tail(struct bh_nic_ring *g, uint32_t val)
{
    if (g->size == 0 || g->size > BH_NIC_MAX_RING)
        return BH_NIC_E_RING;
    if (val >= g->size)
        return BH_NIC_E_INDEX;
    g->tail = val;
    return BH_NIC_OK;
}

static int nic_write(void *opaque, uint32_t offset, unsigned size, uint32_t val)
{
    struct bh_nic *n = opaque;
    struct bh_nic_regs *r = &n->r;
    if (size != 4)
        return -1;
    struct bh_nic_ring *g = offset >= BH_NIC_REG_TX_BASE ? &r->tx : &r->rx;
    uint32_t e;
    switch (offset) {
    case BH_NIC_REG_CONTROL:
        r->control = val & (BH_NIC_CTL_RXEN | BH_NIC_CTL_TXEN);
        transmit(n);
        break;
    case BH_NIC_REG_RX_BASE:
    case BH_NIC_REG_TX_BASE:
        *g = (struct bh_nic_ring){.base = val, .size = g->size};
        break;
    case BH_NIC_REG_RX_SIZE:
    case BH_NIC_REG_TX_SIZE:
        *g = (struct bh_nic_ring){.base = g->base, .size = val};
        break;
    case BH_NIC_REG_RX_TAIL:
    case BH_NIC_REG_TX_TAIL:
        if (r->error)
            break; /* stopped: the driver clears ERROR first */
        if ((e = set_tail(g, val)) != BH_NIC_OK)
            fail(n, e, g->base);
        else if (g == &r->tx)
            transmit(n);
        break;
    case BH_NIC_REG_ICAUSE: r->icause &= ~val; break;
    case BH_NIC_REG_IMASK: r->imask = val & BH_NIC_INT_ALL; break;
    case BH_NIC_REG_ERROR:
        r->error = r->erraddr = 0;
        transmit(n); /* resumes where it stopped */
        break;
    default: return -1; /* the MAC, STATUS, the HEADs and ERRADDR are read-only */
    }
    bh_nic_poll(n);
    update_irq(n);
    return 0;
}

static const char *const nic_regs[] = {
    "mac_lo",  "mac_hi",  "control", "status",  "rx_base", "rx_size", "rx_head", "rx_tail",
    "tx_base", "tx_size", "tx_head", "tx_tail", "icause",  "imask",   "error",   "erraddr"};
const struct bh_dev_region bh_nic_region = {"nic", BH_NIC_MMIO_SIZE, nic_read, nic_write,
                                            nic_regs, 16};

/* ---- state ---- */

static void put_ring(struct bh_buf *b, const struct bh_nic_ring *g)
{
    bh_buf_put32(b, g->base);
    bh_buf_put32(b, g->size);
    bh_buf_put32(b, g->head);
    bh_buf_put32(b, g->tail);
}

int bh_nic_save(const struct bh_nic *n, struct bh_buf *b)
{
    const struct bh_nic_regs *r = &n->r;
    bh_buf_append(b, n->mac, 6);
    bh_buf_put32(b, r->control);
    bh_buf_put32(b, r->icause);
    bh_buf_put32(b, r->imask);
    bh_buf_put32(b, r->error);
    bh_buf_put32(b, r->erraddr);
    put_ring(b, &r->rx);
    put_ring(b, &r->tx);
    bh_buf_put64(b, r->rx_frames);
    bh_buf_put64(b, r->rx_bytes);
    bh_buf_put64(b, r->tx_frames);
    bh_buf_put64(b, r->tx_bytes);
    bh_buf_put64(b, r->tx_nolink);
    bh_buf_put64(b, r->errors);
    bh_buf_put32(b, n->fifo_count);
    for (unsigned i = 0; i < n->fifo_count; i++) {
        const struct bh_nic_frame *f = &n->fifo[(n->fifo_first + i) % BH_NIC_FIFO];
        bh_buf_put16(b, (uint16_t)f->len);
        bh_buf_append(b, f->data, f->len);
    }
    bh_buf_put8(b, (uint8_t)strlen(n->lan)); /* version 2 */
    bh_buf_append(b, n->lan, strlen(n->lan));
    return b->oom ? -1 : 0;
}

static void get_ring(struct bh_rd *rd, struct bh_nic_ring *g)
{
    g->base = bh_rd32(rd);
    g->size = bh_rd32(rd);
    g->head = bh_rd32(rd);
    g->tail = bh_rd32(rd);
}

static int ring_ok(const struct bh_nic_ring *g)
{
    if (g->size > BH_NIC_MAX_RING)
        return 0;
    return g->size ? g->head < g->size && g->tail < g->size : !g->head && !g->tail;
}

int bh_nic_parse(struct bh_rd *rd, uint32_t version, struct bh_nic_saved *s, char *err,
                 size_t errlen)
{
    if (version < 1 || version > BH_NIC_STATE_VERSION)
        return bh_errf(err, errlen, "nic state version %u is not known to this myvmm (1 to %u)",
                       version, BH_NIC_STATE_VERSION);
    memset(s, 0, sizeof *s);
    struct bh_nic_regs *r = &s->r;
    const uint8_t *mac = bh_rd_take(rd, 6);
    if (mac)
        memcpy(s->mac, mac, 6);
    r->control = bh_rd32(rd);
    r->icause = bh_rd32(rd);
    r->imask = bh_rd32(rd);
    r->error = bh_rd32(rd);
    r->erraddr = bh_rd32(rd);
    get_ring(rd, &r->rx);
    get_ring(rd, &r->tx);
    r->rx_frames = bh_rd64(rd);
    r->rx_bytes = bh_rd64(rd);
    r->tx_frames = bh_rd64(rd);
    r->tx_bytes = bh_rd64(rd);
    r->tx_nolink = bh_rd64(rd);
    r->errors = bh_rd64(rd);
    s->fifo_count = bh_rd32(rd);
    if (rd->bad)
        return bh_errf(err, errlen, "nic state: truncated");
    if (s->fifo_count > BH_NIC_FIFO)
        return bh_errf(err, errlen, "nic state: %u frames pending (the card holds %u)",
                       s->fifo_count, BH_NIC_FIFO);
    for (unsigned i = 0; i < s->fifo_count; i++) {
        struct bh_nic_frame *f = &s->fifo[i];
        f->len = bh_rd16(rd);
        const uint8_t *p = rd->bad || f->len < BH_NIC_FRAME_MIN || f->len > BH_NIC_FRAME_MAX
                               ? NULL
                               : bh_rd_take(rd, f->len);
        if (!p)
            return bh_errf(err, errlen, "nic state: pending frame %u is truncated or %u bytes "
                                        "(%u to %u)",
                           i, f->len, BH_NIC_FRAME_MIN, BH_NIC_FRAME_MAX);
        memcpy(f->data, p, f->len);
    }
    if (version >= 2) { /* the LAN's name: its length (0: no LAN), then its bytes */
        const uint8_t *nb = bh_rd_take(rd, 1);
        unsigned n = nb ? *nb : 0;
        const uint8_t *p = !nb || n > BH_NIC_LAN_MAX ? NULL : bh_rd_take(rd, n);
        if (!p)
            return bh_errf(err, errlen, "nic state: the LAN's name is truncated or %u bytes "
                                        "(at most %u)",
                           n, BH_NIC_LAN_MAX);
        memcpy(s->lan, p, n);
        s->lan[n] = 0;
        if (n && (memchr(p, 0, n) || !bh_nic_lan_ok(s->lan))) {
            char shown[4 * BH_NIC_LAN_MAX + 1];
            size_t k = 0;
            for (unsigned i = 0; i < n; i++)
                k += (size_t)snprintf(shown + k, sizeof shown - k,
                                      isgraph(p[i]) && p[i] != '\\' ? "%c" : "\\x%02x", p[i]);
            return bh_errf(err, errlen, "nic state: the LAN's name '%s' is not 1-%u letters, "
                                        "digits, '_', '.' or '-'",
                           shown, BH_NIC_LAN_MAX);
        }
    }
    if (r->control & ~(BH_NIC_CTL_RXEN | BH_NIC_CTL_TXEN) || r->icause & ~BH_NIC_INT_ALL ||
        r->imask & ~BH_NIC_INT_ALL)
        return bh_errf(err, errlen, "nic control 0x%x, icause 0x%x or imask 0x%x has bits the "
                                    "card has not",
                       r->control, r->icause, r->imask);
    if (r->error > BH_NIC_E_MAX)
        return bh_errf(err, errlen, "nic error %u is not one the card sets", r->error);
    if (!ring_ok(&r->rx) || !ring_ok(&r->tx))
        return bh_errf(err, errlen, "nic rings: a size above %u or an index past the size",
                       BH_NIC_MAX_RING);
    return 0;
}

void bh_nic_load(struct bh_nic *n, const struct bh_nic_saved *s)
{
    memcpy(n->mac, s->mac, 6);
    if (!n->link.send) /* a card plugged in here (vm_net) stays on its LAN */
        memcpy(n->lan, s->lan, sizeof n->lan);
    n->r = s->r;
    memcpy(n->fifo, s->fifo, sizeof n->fifo);
    n->fifo_first = 0;
    n->fifo_count = s->fifo_count;
    /* No interrupt line here: Cause holds it as it was (as the disk). */
}
