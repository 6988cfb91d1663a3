/* netlink.h: a link from this myvmm's switch to a switch in another
 * myvmm process, over TCP (--net-link LAN=SPEC, docs/network.md).
 *
 * The link is one more port on the switch: the switch learns the MACs
 * behind it and floods to it like to any port, its queue is bounded and
 * its drops counted.  A thread per link reads the socket and hands the
 * peer's frames to the switch, and sends what the switch queued for the
 * port; the VMs only ever touch the queue, so a slow peer costs them
 * dropped frames, never a wait.  The bytes on the wire are
 * netlink_proto.h's; the peer is not trusted.
 *
 * SPEC is tcp:HOST:PORT (connect there; after a failure or a lost
 * connection, retry a few times with backoff, then say so once and go on
 * without the link) or listen:tcp:HOST:PORT (wait for a peer there; one
 * at a time, and the next one after it leaves).  Off loopback only with
 * --insecure: the link has no key. */
#ifndef BH_NETLINK_H
#define BH_NETLINK_H

#include <stddef.h>

#include "host/switch.h"

struct bh_netlink;

/* Is spec a link's address (above)?  0, or -1 with a message. */
int bh_netlink_check(const char *spec, char *err, size_t errlen);
/* Start the link of switch sw to spec: a port on sw and its thread (a
 * listener's socket is open and its address printed when this returns).
 * NULL with a message. */
struct bh_netlink *bh_netlink_start(struct bh_switch *sw, const char *spec, int insecure,
                                    char *err, size_t errlen);
/* Stop the link (NULL: nothing): the frames queued for the peer are sent
 * first (for at most a second), then the connection is closed and the
 * thread joined. */
void bh_netlink_stop(struct bh_netlink *l);

#endif
