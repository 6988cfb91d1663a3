/* gdb_proto.h: the gdb remote serial protocol, without sockets: the
 * framing of packets ($data#cs, acks, escapes, the interrupt byte) and
 * the answer to each packet, against a target given as callbacks.  The
 * stub (gdbstub.c) feeds it the bytes of its client; the fuzz target
 * (tests/fuzz/fuzz_gdb.c) feeds it anything.
 *
 * Registers are gdb's MIPS numbering, the order of the target description
 * this module serves (qXfer:features:read:target.xml): r0-r31 (0-31),
 * status (32, shown as sr), lo (33), hi (34), badvaddr (35), cause (36),
 * pc (37), f0-f31 (38-69), fcsr (70), fir (71).
 *
 * Threads are the VMs: thread id i + 1 is VM i. */
#ifndef BH_GDB_PROTO_H
#define BH_GDB_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h"

#define BH_GDB_NREGS 72
#define BH_GDB_PACKET_MAX 16384 /* the PacketSize we announce: the longest packet we take */

/* ---- framing ---- */

enum bh_gdb_rx_ev {
    BH_GDB_RX_NONE,      /* byte taken, nothing complete */
    BH_GDB_RX_PACKET,    /* a packet with a good checksum: rx->pkt, rx->len (NUL-terminated) */
    BH_GDB_RX_BADSUM,    /* a packet with a bad checksum: answer '-' */
    BH_GDB_RX_INTERRUPT, /* the interrupt byte 0x03 outside a packet (Ctrl-C) */
    BH_GDB_RX_TOOLONG    /* a packet longer than BH_GDB_PACKET_MAX: drop the client */
};

struct bh_gdb_rx {
    int state;        /* 0 between packets, 1 in data, 2 after '}', 3 and 4 in the checksum */
    uint8_t sum, want;
    size_t len;
    char pkt[BH_GDB_PACKET_MAX + 1];
    uint64_t junk;    /* bytes outside packets since the last good packet (not acks) */
};

void bh_gdb_rx_init(struct bh_gdb_rx *rx);
enum bh_gdb_rx_ev bh_gdb_rx_byte(struct bh_gdb_rx *rx, uint8_t c);
/* Frame payload as a packet ("$" payload "#" checksum), escaping what
 * must be escaped, appended to out. */
void bh_gdb_frame(struct bh_buf *out, const char *payload, size_t n);

/* ---- the target ---- */

struct bh_gdb_target {
    void *ctx;
    size_t nthreads;
    /* 1 while VM t (0-based) exists and has not ended */
    int (*alive)(void *ctx, size_t t);
    /* "vm1 (paused)": what `info threads` shows */
    void (*describe)(void *ctx, size_t t, char *buf, size_t n);
    uint32_t (*reg)(void *ctx, size_t t, unsigned regno);
    void (*set_reg)(void *ctx, size_t t, unsigned regno, uint32_t v);
    int (*read)(void *ctx, size_t t, uint32_t addr, void *dst, uint32_t n);        /* 0 or -1 */
    int (*write)(void *ctx, size_t t, uint32_t addr, const void *src, uint32_t n); /* 0 or -1 */
    /* Z/z type 0-4 (0, 1 breakpoints; 2 write, 3 read, 4 access
     * watchpoints) at addr, len bytes, on every VM: 0, -1 when refused. */
    int (*point)(void *ctx, unsigned type, uint32_t addr, uint32_t len, int on);
};

/* What the stub must do after a packet. */
enum bh_gdb_action {
    BH_GDB_ANSWER,  /* send the answer (when not empty... an empty answer too) */
    BH_GDB_CONTINUE,/* resume thread (or every VM when thread is BH_GDB_ALL); a stop reply later */
    BH_GDB_STEP,    /* step thread once; a stop reply then */
    BH_GDB_DETACH,  /* answer OK, then let the VMs run and wait for the next client */
    BH_GDB_KILL     /* end the VMs (no answer) */
};
#define BH_GDB_ALL ((size_t)-1)

struct bh_gdb_sess {
    const struct bh_gdb_target *t;
    size_t g_thread;   /* Hg: registers and memory (0-based) */
    size_t c_thread;   /* Hc: c and s without a thread (BH_GDB_ALL: every VM) */
    int no_ack;        /* QStartNoAckMode */
    char stop[128];    /* the last stop reply, for '?' */
};

void bh_gdb_sess_init(struct bh_gdb_sess *s, const struct bh_gdb_target *t);
/* Answer packet pkt (len bytes, NUL-terminated) into ans (unframed).
 * For CONTINUE and STEP, *thread says which VM (or BH_GDB_ALL). */
enum bh_gdb_action bh_gdb_handle(struct bh_gdb_sess *s, const char *pkt, size_t len,
                                 struct bh_buf *ans, size_t *thread);

/* The stop reply for VM t stopped with signal sig (5 SIGTRAP, 2 SIGINT...);
 * watch_kind 1 write, 2 read, 3 access with watch_addr, 0 none; swbreak
 * for a breakpoint.  Kept in s->stop for '?'. */
void bh_gdb_stop_reply(struct bh_gdb_sess *s, size_t t, int sig, unsigned watch_kind,
                       uint32_t watch_addr, int swbreak);
/* The process ended: "W<status>" or, killed by a fault, "X<signal>". */
void bh_gdb_exit_reply(struct bh_gdb_sess *s, int exited, int code);

#endif
