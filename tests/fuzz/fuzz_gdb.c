/* fuzz_gdb.c: libFuzzer target for the gdb stub's protocol
 * (vm/host/gdb_proto.c) without sockets: the input is a client's byte
 * stream, fed to the framer; every packet it completes is answered by
 * bh_gdb_handle against a fake target of two threads (registers, 64 KiB
 * of memory, a table of points).  Invariants: no crash; the framer never
 * completes a packet longer than BH_GDB_PACKET_MAX; every answer, framed
 * by bh_gdb_frame and fed back through a framer, comes out the same; a
 * 'g' answer is 8 hex digits per register; the target is only asked
 * about threads that exist and memory inside what the request named. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/gdb_proto.h"

#define MEM_BASE 0x10000000u
#define MEM_SIZE 65536u

static uint32_t regs[2][BH_GDB_NREGS];
static uint8_t mem[MEM_SIZE];
static unsigned npoints;

static int alive(void *c, size_t t) { return t < 2; }
static void describe(void *c, size_t t, char *b, size_t n)
{
    if (t >= 2) abort();
    strncpy(b, t ? "vm2 (paused)" : "vm1 (paused)", n - 1);
    b[n - 1] = '\0';
}
static uint32_t reg(void *c, size_t t, unsigned r)
{
    if (t >= 2 || r >= BH_GDB_NREGS) abort();
    return regs[t][r];
}
static void set_reg(void *c, size_t t, unsigned r, uint32_t v)
{
    if (t >= 2 || r >= BH_GDB_NREGS) abort();
    regs[t][r] = v;
}
static int rd(void *c, size_t t, uint32_t a, void *dst, uint32_t n)
{
    if (t >= 2 || n > BH_GDB_PACKET_MAX) abort();
    if (a < MEM_BASE || a - MEM_BASE > MEM_SIZE || n > MEM_SIZE - (a - MEM_BASE)) return -1;
    memcpy(dst, mem + (a - MEM_BASE), n);
    return 0;
}
static int wr(void *c, size_t t, uint32_t a, const void *src, uint32_t n)
{
    if (t >= 2 || n > BH_GDB_PACKET_MAX) abort();
    if (a < MEM_BASE || a - MEM_BASE > MEM_SIZE || n > MEM_SIZE - (a - MEM_BASE)) return -1;
    memcpy(mem + (a - MEM_BASE), src, n);
    return 0;
}
static int point(void *c, unsigned type, uint32_t a, uint32_t len, int on)
{
    if (type > 4) abort();
    if (on && npoints == 16) return -1;
    npoints += on ? 1 : npoints > 0 ? -1u : 0;
    return 0;
}

static const struct bh_gdb_target target = {NULL, 2, alive, describe, reg, set_reg, rd, wr, point};

/* ans framed and framed back must give ans again. */
static void round_trip(const struct bh_buf *ans)
{
    struct bh_buf f = {0};
    bh_gdb_frame(&f, ans->data ? (const char *)ans->data : "", ans->len);
    static struct bh_gdb_rx rx;
    bh_gdb_rx_init(&rx);
    enum bh_gdb_rx_ev ev = BH_GDB_RX_NONE;
    for (size_t i = 0; i < f.len; i++) {
        ev = bh_gdb_rx_byte(&rx, f.data[i]);
        if (ev != BH_GDB_RX_NONE && i + 1 != f.len) abort();
    }
    if (ans->len <= BH_GDB_PACKET_MAX &&
        (ev != BH_GDB_RX_PACKET || rx.len != ans->len || (ans->len && memcmp(rx.pkt, ans->data, ans->len) != 0)))
        abort();
    bh_buf_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static struct bh_gdb_rx rx;
    struct bh_gdb_sess s;
    memset(regs, 0, sizeof regs);
    npoints = 0;
    bh_gdb_rx_init(&rx);
    bh_gdb_sess_init(&s, &target);
    for (size_t i = 0; i < n; i++) {
        enum bh_gdb_rx_ev ev = bh_gdb_rx_byte(&rx, d[i]);
        if (ev != BH_GDB_RX_PACKET) continue;
        if (rx.len > BH_GDB_PACKET_MAX || rx.pkt[rx.len] != '\0') abort();
        struct bh_buf ans = {0};
        size_t th = 12345;
        enum bh_gdb_action a = bh_gdb_handle(&s, rx.pkt, rx.len, &ans, &th);
        if ((a == BH_GDB_CONTINUE || a == BH_GDB_STEP) && th != BH_GDB_ALL && th >= 2) abort();
        if (a == BH_GDB_STEP && th == BH_GDB_ALL) abort();
        if (s.g_thread >= 2) abort();
        if (rx.len == 1 && rx.pkt[0] == 'g' && ans.len != 8u * BH_GDB_NREGS) abort();
        round_trip(&ans);
        bh_buf_free(&ans);
    }
    return 0;
}
