/* switch.h: a learning switch (a bridge) that VMs' network cards plug
 * into, one per name (vm_net=lan0), inside this myvmm.
 *
 * A port is what a card's link (dev.h, bh_net_link) is plugged into.  The
 * switch learns the source MAC of every frame a port sends, forwards a
 * frame for a learnt unicast address to that one port, and floods
 * broadcasts, multicasts and unknown destinations to every other port.
 * Each port has a queue of at most queue_max frames, shared fairly by the
 * ports that send to it: one FIFO per sender, taken in turn, and a full
 * queue drops (and counts on that port) the last frame of the longest
 * FIFO, so a VM that floods the network can neither grow memory nor
 * starve the others.  The MAC table has no
 * ageing (VMs do not move inside one process); when it is full, new
 * addresses are not learnt and their frames are flooded.
 *
 * A port may also be a link to a switch of another myvmm (netlink.h): it
 * learns the MACs behind it and is flooded like any port.
 *
 * Ports are used from the VMs' threads: every call takes the switch's
 * one mutex, and a frame is copied in and out under it.  The switch
 * knows neither devices nor the machine. */
#ifndef BH_SWITCH_H
#define BH_SWITCH_H

#include <stdint.h>
#include <stdio.h>

#define BH_SWITCH_FRAME_MAX 1514u /* a frame's bytes, without FCS */
#define BH_SWITCH_QUEUE 64u       /* frames a port's queue holds by default */
#define BH_SWITCH_MACS 256u       /* MAC table entries */

struct bh_switch;
struct bh_switch_port;

/* Every frame the switch takes (before forwarding), for a capture; called
 * under the switch's mutex. */
typedef void (*bh_switch_tap_fn)(void *ctx, const void *frame, uint32_t len, uint64_t ns);

/* A switch named name (copied) whose ports queue queue_max frames (>= 1).
 * NULL when out of memory. */
struct bh_switch *bh_switch_new(const char *name, unsigned queue_max);
void bh_switch_free(struct bh_switch *sw);
const char *bh_switch_name(const struct bh_switch *sw);
void bh_switch_set_tap(struct bh_switch *sw, bh_switch_tap_fn fn, void *ctx);

/* A new port for owner (a VM's name, copied; for --stats).  NULL when out
 * of memory.  Ports live as long as the switch. */
struct bh_switch_port *bh_switch_attach(struct bh_switch *sw, const char *owner);
/* fn(ctx) is called (under the switch's mutex: it must not call the
 * switch) when a frame is queued for p and its queue was empty: a link to
 * another process (netlink.h) wakes its thread so. */
void bh_switch_notify(struct bh_switch_port *p, void (*fn)(void *ctx), void *ctx);
/* p's owner is now owner (copied): 0, or -1 when out of memory. */
int bh_switch_rename(struct bh_switch_port *p, const char *owner);
/* The port's VM is gone: frames for it are no longer queued (they are
 * dropped and counted, and floods pass it by), and what was queued is
 * freed and counted as dropped. */
void bh_switch_detach(struct bh_switch_port *p);
/* The port's VM is back (its migration failed): frames for it are queued
 * again. */
void bh_switch_reattach(struct bh_switch_port *p);

/* The link's two calls (dev.h): a frame from p's VM (14..1514 bytes;
 * others are dropped and counted), stamped ns; and the next frame queued
 * for p into buf (cap bytes): its length, 0 when none. */
void bh_switch_send(struct bh_switch_port *p, const void *frame, uint32_t len, uint64_t ns);
uint32_t bh_switch_recv(struct bh_switch_port *p, void *buf, uint32_t cap);
/* The same, and the time the frame was sent at into *ns (when ns is not
 * NULL). */
uint32_t bh_switch_recv_ns(struct bh_switch_port *p, void *buf, uint32_t cap, uint64_t *ns);

/* Counters of one port: in = frames its VM sent, out = frames queued for
 * it (less those a fuller flow's frame later pushed out), drops = frames
 * for it that found its queue full or were pushed out (or it detached),
 * or that it sent with a bad length. */
struct bh_switch_counts {
    uint64_t in_frames, in_bytes, out_frames, out_bytes, drops;
};
void bh_switch_port_counts(struct bh_switch_port *p, struct bh_switch_counts *c);
/* Where the switch learnt mac: the port, or NULL. */
struct bh_switch_port *bh_switch_lookup(struct bh_switch *sw, const uint8_t mac[6]);

/* --stats: one line per port, then the MAC table. */
void bh_switch_report(struct bh_switch *sw, FILE *f);

#endif
