/* netlink_proto.h: the byte format of a link between two myvmm
 * processes' switches (--net-link, docs/network.md "Link protocol"), and
 * its decoder: a pure function fed one byte at a time, so a peer's bytes
 * may arrive split anywhere.  The peer is not trusted: every field is
 * checked before it is used, and nothing here allocates.
 *
 * Each side first sends a hello:
 *   "BHLK"  magic, 4 bytes
 *   u8      version (1)
 *   u8      length of the LAN's name, 1..23
 *   bytes   the LAN's name (letters, digits, '_', '.', '-', as vm_net)
 * then any number of frames:
 *   u16     the frame's length, 14..1514 (little-endian, as every field)
 *   u64     its time: the sending VM's virtual clock in ns (for captures)
 *   bytes   the Ethernet frame, without FCS
 * A hello whose name is not this side's LAN, or any field out of range,
 * is an error: the connection is dropped. */
#ifndef BH_NETLINK_PROTO_H
#define BH_NETLINK_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "host/switch.h"

#define BH_NETLINK_MAGIC "BHLK"
#define BH_NETLINK_VERSION 1u
#define BH_NETLINK_NAME_MAX 23u
#define BH_NETLINK_HELLO_MAX (6u + BH_NETLINK_NAME_MAX)
#define BH_NETLINK_HDR 10u /* a frame's length and time */

enum bh_netlink_event {
    BH_NETLINK_MORE,  /* the byte was taken; nothing complete yet */
    BH_NETLINK_HELLO, /* the peer's hello is complete and good */
    BH_NETLINK_FRAME, /* a frame is complete: frame, len, ns */
    BH_NETLINK_ERROR  /* err says what was wrong; every later byte too */
};

struct bh_netlink_dec {
    char lan[BH_NETLINK_NAME_MAX + 1]; /* this side's LAN */
    int state;
    uint32_t have, need;
    uint8_t head[BH_NETLINK_HELLO_MAX]; /* the hello, or a frame's header */
    uint32_t len;                      /* a frame's length */
    uint64_t ns;                       /* and time */
    uint8_t frame[BH_SWITCH_FRAME_MAX];
    char err[160];
};

/* A decoder for the link of LAN lan (its name is what the peer's hello
 * must say). */
void bh_netlink_dec_init(struct bh_netlink_dec *d, const char *lan);
/* Take one byte of the peer's stream: an event (above). */
enum bh_netlink_event bh_netlink_feed(struct bh_netlink_dec *d, uint8_t byte);

/* This side's hello for LAN lan (1..23 bytes) into out
 * (BH_NETLINK_HELLO_MAX bytes): its length. */
size_t bh_netlink_hello(uint8_t *out, const char *lan);
/* A frame's header: len bytes sent at ns. */
void bh_netlink_frame_header(uint8_t out[BH_NETLINK_HDR], uint32_t len, uint64_t ns);

#endif
