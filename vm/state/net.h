/* net.h: the TCP helpers live migration uses.  As Redis's anet.c: every
 * function returns -1 on failure and writes "what: strerror" into the
 * caller's buffer; nothing here prints or exits.
 *
 * Addresses are written "tcp:HOST:PORT" (HOST a name, an IPv4 address, or
 * [an IPv6 address]).  Sockets are blocking with TCP_NODELAY; reads and
 * writes take a timeout in milliseconds for the whole call, not per byte
 * (< 0: wait forever), so a dead or trickling peer never hangs a VM
 * forever.  SIGPIPE is never raised (MSG_NOSIGNAL):
 * a closed peer is an error return like any other. */
#ifndef BH_NET_H
#define BH_NET_H

#include <stddef.h>
#include <stdint.h>

/* Split "tcp:HOST:PORT" into host (cap bytes) and port.  -1 if malformed. */
int bh_net_parse_addr(const char *spec, char *host, size_t cap, char *port, size_t pcap, char *err,
                      size_t errlen);

/* 1 when every address spec resolves to is a loopback one (127.0.0.0/8,
 * ::1), 0 when one is not, -1 if it does not resolve.  passive: as a
 * listener would resolve it. */
int bh_net_is_loopback(const char *spec, int passive, char *err, size_t errlen);

/* Listen on spec ("tcp:0.0.0.0:4444"; port 0 picks a free one): the
 * listening fd, or -1.  SO_REUSEADDR is set.  "unix:PATH" listens on a
 * Unix socket of mode 0600 (a stale socket file at PATH is replaced). */
int bh_net_listen(const char *spec, char *err, size_t errlen);
/* The port a socket is bound to (after bh_net_listen with port 0). */
int bh_net_local_port(int fd);
/* Accept one connection within timeout_ms (< 0: wait forever): the fd,
 * -2 on timeout (err untouched), -1 on error. */
int bh_net_accept(int lfd, int timeout_ms, char *err, size_t errlen);
/* Something that cuts a wait short: fd (a listening socket, a cancel
 * pipe) becoming readable at or after the bh_net_now() time after.  why
 * is the message. */
struct bh_net_watch {
    int fd;
    double after;
    const char *why;
};
/* Connect to spec within timeout_ms: the fd or -1 (also when the watch
 * w, which may be NULL, fires first: err is its why). */
int bh_net_connect(const char *spec, int timeout_ms, const struct bh_net_watch *w, char *err,
                   size_t errlen);

/* Milliseconds left until deadline (a bh_net_now() time), at least 0:
 * the timeout_ms to pass for a deadline covering several calls. */
int bh_net_ms_left(double deadline);

/* Write all n bytes: 0, or -1 (peer gone, timeout). */
int bh_net_write_all(int fd, const void *p, size_t n, int timeout_ms, char *err, size_t errlen);
/* bh_net_write_all, also -1 with w->why in err when the watch (below)
 * fires while the write waits for room. */
int bh_net_write_watch(int fd, const void *p, size_t n, int timeout_ms,
                       const struct bh_net_watch *w, char *err, size_t errlen);
/* Write a header and a body with as few system calls as possible (one
 * segment on the wire for small messages, so the peer wakes once); w as
 * for bh_net_write_watch (may be NULL). */
int bh_net_write2(int fd, const void *h, size_t hn, const void *b, size_t bn, int timeout_ms,
                  const struct bh_net_watch *w, char *err, size_t errlen);
/* Read exactly n bytes: 0, or -1 (end of stream before n bytes, timeout). */
int bh_net_read_all(int fd, void *p, size_t n, int timeout_ms, char *err, size_t errlen);
/* bh_net_read_all, or -2 with w->why in err when the watch fired first. */
int bh_net_read_watch(int fd, void *p, size_t n, int timeout_ms, const struct bh_net_watch *w,
                      char *err, size_t errlen);
/* Is there something to read (or a hang-up) within timeout_ms?  1, 0, -1,
 * or -2 when the watch w (may be NULL) fired first. */
int bh_net_readable(int fd, int timeout_ms, const struct bh_net_watch *w);
void bh_net_close(int fd);

/* Monotonic time in seconds (for rates, downtime and timeouts). */
double bh_net_now(void);

#endif
