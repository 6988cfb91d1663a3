/* netlink.c: a link between two myvmm processes' switches (netlink.h). */
#include "host/netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bh_util.h"
#include "host/netlink_proto.h"
#include "state/net.h"

#define LINK_TRIES 5        /* connection attempts before the connecting side gives up */
#define LINK_BACKOFF 0.1    /* seconds before the first retry; doubled each time */
#define LINK_HELLO_S 5.0    /* a peer must say hello within this */
#define LINK_FLUSH_S 1.0    /* at the end, what is queued for the peer goes out within this */
#define LINK_CONNECT_MS 1000

struct bh_netlink {
    struct bh_switch_port *port;
    char lan[BH_NETLINK_NAME_MAX + 1];
    char addr[256]; /* tcp:HOST:PORT */
    int listening;
    int lfd;
    int wake[2]; /* written when the port's queue fills, or to stop */
    atomic_int stop;
    pthread_t thread;
    struct bh_netlink_dec dec;
    uint8_t out[BH_NETLINK_HDR + BH_SWITCH_FRAME_MAX]; /* what goes to the peer next */
    size_t out_len, out_off;
};

static void say(const struct bh_netlink *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    flockfile(stderr);
    fprintf(stderr, "myvmm: %s: ", l->lan);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    funlockfile(stderr);
    va_end(ap);
}

static void wake(void *ctx)
{
    struct bh_netlink *l = ctx;
    char c = 1;
    ssize_t r = write(l->wake[1], &c, 1); /* full pipe: a wake-up is pending anyway */
    (void)r;
}

static void drain(int fd)
{
    char b[64];
    while (read(fd, b, sizeof b) > 0)
        ;
}

/* Wait up to until (a bh_net_now() time; < 0: forever) for fd's events or
 * the wake pipe: fd's revents, 0 when woken or timed out. */
static short wait_for(struct bh_netlink *l, int fd, short events, double until)
{
    int t = -1;
    if (until >= 0) {
        double left = until - bh_net_now();
        t = left > 0 ? (int)(left * 1000.0) + 1 : 0;
    }
    struct pollfd p[2] = {{fd, events, 0}, {l->wake[0], POLLIN, 0}};
    if (poll(p, 2, t) <= 0)
        return 0;
    if (p[1].revents)
        drain(l->wake[0]);
    return p[0].revents;
}

static void peer_name(int fd, char *out, size_t n)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0) {
        if (ss.ss_family == AF_INET) {
            const struct sockaddr_in *a = (const void *)&ss;
            inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
            port = ntohs(a->sin_port);
        } else if (ss.ss_family == AF_INET6) {
            const struct sockaddr_in6 *a = (const void *)&ss;
            inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip);
            port = ntohs(a->sin6_port);
        }
    }
    snprintf(out, n, strchr(ip, ':') ? "tcp:[%s]:%d" : "tcp:%s:%d", ip, port);
}

/* Send what is pending, then the frames queued for the peer, until the
 * socket would block or nothing is left: 0, or -1 (the peer is gone). */
static int pump_out(struct bh_netlink *l, int fd, const char *peer, int linked)
{
    for (;;) {
        if (l->out_off == l->out_len) {
            uint64_t ns = 0;
            uint32_t n = linked ? bh_switch_recv_ns(l->port, l->out + BH_NETLINK_HDR,
                                                    BH_SWITCH_FRAME_MAX, &ns)
                                : 0;
            if (!n)
                return 0;
            bh_netlink_frame_header(l->out, n, ns);
            l->out_len = BH_NETLINK_HDR + n;
            l->out_off = 0;
        }
        ssize_t w = send(fd, l->out + l->out_off, l->out_len - l->out_off,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0)
            l->out_off += (size_t)w;
        else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return 0;
        else {
            say(l, "the link with %s failed: %s", peer, strerror(w < 0 ? errno : EPIPE));
            return -1;
        }
    }
}

/* Read what the peer sent and hand its frames to the switch: 0, or -1
 * (the peer left or broke the protocol: said). */
static int pump_in(struct bh_netlink *l, int fd, const char *peer, int *linked)
{
    uint8_t buf[4096];
    ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    if (r <= 0) {
        say(l, "the link with %s %s", peer, r == 0 ? "was closed by the peer" : strerror(errno));
        return -1;
    }
    for (ssize_t i = 0; i < r; i++) {
        switch (bh_netlink_feed(&l->dec, buf[i])) {
        case BH_NETLINK_MORE:
            break;
        case BH_NETLINK_HELLO: {
            char owner[300];
            snprintf(owner, sizeof owner, "link %s", peer);
            bh_switch_rename(l->port, owner);
            *linked = 1;
            say(l, "linked with %s", peer);
            break;
        }
        case BH_NETLINK_FRAME:
            bh_switch_send(l->port, l->dec.frame, l->dec.len, l->dec.ns);
            break;
        case BH_NETLINK_ERROR:
            say(l, "the link with %s is dropped: %s", peer, l->dec.err);
            return -1;
        }
    }
    return 0;
}

/* One connection, until the peer leaves or breaks the protocol, or the
 * link stops: 1 when the peer said a good hello. */
static int session(struct bh_netlink *l, int fd, const char *peer)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    bh_netlink_dec_init(&l->dec, l->lan);
    l->out_len = bh_netlink_hello(l->out, l->lan);
    l->out_off = 0;
    int linked = 0;
    double hello_end = bh_net_now() + LINK_HELLO_S, stop_end = -1;
    for (;;) {
        if (pump_out(l, fd, peer, linked) != 0)
            return linked;
        int pending = l->out_off < l->out_len;
        if (atomic_load(&l->stop)) {
            if (stop_end < 0)
                stop_end = bh_net_now() + LINK_FLUSH_S;
            if (!linked || !pending || bh_net_now() >= stop_end)
                return linked;
        }
        double until = stop_end >= 0 ? stop_end : linked ? -1 : hello_end;
        short ev = wait_for(l, fd, (short)(POLLIN | (pending ? POLLOUT : 0)), until);
        if (!linked && bh_net_now() >= hello_end) {
            say(l, "the link with %s is dropped: no hello within %.0f s", peer, LINK_HELLO_S);
            return 0;
        }
        if ((ev & (POLLIN | POLLHUP | POLLERR)) && pump_in(l, fd, peer, &linked) != 0)
            return linked;
    }
}

static void *run(void *arg)
{
    struct bh_netlink *l = arg;
    int tries = 0;
    double backoff = LINK_BACKOFF;
    char peer[300], err[300];
    while (!atomic_load(&l->stop)) {
        int fd;
        if (l->listening) { /* one peer at a time; then the next */
            if (!(wait_for(l, l->lfd, POLLIN, -1) & POLLIN))
                continue;
            if ((fd = bh_net_accept(l->lfd, 0, err, sizeof err)) < 0)
                continue;
            peer_name(fd, peer, sizeof peer);
            session(l, fd, peer);
            close(fd);
            continue;
        }
        fd = bh_net_connect(l->addr, LINK_CONNECT_MS, NULL, err, sizeof err);
        if (fd >= 0) {
            int linked = session(l, fd, l->addr);
            close(fd);
            if (linked) { /* it worked: try again at once */
                tries = 0;
                backoff = LINK_BACKOFF;
                continue;
            }
            snprintf(err, sizeof err, "the peer did not complete the hello");
        }
        if (atomic_load(&l->stop))
            break;
        if (++tries >= LINK_TRIES) {
            say(l, "no link to %s after %d tries (%s): the LAN goes on without it", l->addr,
                tries, err);
            while (!atomic_load(&l->stop))
                wait_for(l, -1, 0, -1);
            break;
        }
        wait_for(l, -1, 0, bh_net_now() + backoff);
        backoff *= 2;
    }
    return NULL;
}

int bh_netlink_check(const char *spec, char *err, size_t errlen)
{
    const char *addr = strncmp(spec, "listen:", 7) == 0 ? spec + 7 : spec;
    char host[256], port[8], e[300];
    if (bh_net_parse_addr(addr, host, sizeof host, port, sizeof port, e, sizeof e) != 0)
        return bh_errf(err, errlen, "%s (a link is tcp:HOST:PORT, or listen:tcp:HOST:PORT to wait for one)", e);
    return 0;
}

struct bh_netlink *bh_netlink_start(struct bh_switch *sw, const char *spec, int insecure,
                                    char *err, size_t errlen)
{
    if (bh_netlink_check(spec, err, errlen) != 0)
        return NULL;
    struct bh_netlink *l = calloc(1, sizeof *l);
    if (!l) {
        bh_errf(err, errlen, "out of memory");
        return NULL;
    }
    l->listening = strncmp(spec, "listen:", 7) == 0;
    snprintf(l->addr, sizeof l->addr, "%s", l->listening ? spec + 7 : spec);
    snprintf(l->lan, sizeof l->lan, "%s", bh_switch_name(sw));
    l->lfd = l->wake[0] = l->wake[1] = -1;
    char e[400], owner[300];
    int lo = bh_net_is_loopback(l->addr, l->listening, e, sizeof e);
    if (lo < 0) {
        bh_errf(err, errlen, "--net-link %s=%s: %s", l->lan, spec, e);
        goto fail;
    }
    if (!lo && !insecure) {
        bh_errf(err, errlen,
                "--net-link %s=%s: not a loopback address, and a link has no key: anyone who "
                "reaches it joins %s" BH_HELP "give --insecure to link off loopback anyway",
                l->lan, spec, l->lan);
        goto fail;
    }
    if (l->listening) {
        if ((l->lfd = bh_net_listen(l->addr, e, sizeof e)) < 0) {
            bh_errf(err, errlen, "--net-link %s: %s", l->lan, e);
            goto fail;
        }
        fcntl(l->lfd, F_SETFL, fcntl(l->lfd, F_GETFL) | O_NONBLOCK);
        snprintf(owner, sizeof owner, "link (waiting on %s)", l->addr);
    } else
        snprintf(owner, sizeof owner, "link %s", l->addr);
    if (pipe(l->wake) != 0 || fcntl(l->wake[0], F_SETFL, O_NONBLOCK) != 0 ||
        fcntl(l->wake[1], F_SETFL, O_NONBLOCK) != 0) {
        bh_errf(err, errlen, "--net-link %s: pipe: %s", l->lan, strerror(errno));
        goto fail;
    }
    if (!(l->port = bh_switch_attach(sw, owner))) {
        bh_errf(err, errlen, "out of memory");
        goto fail;
    }
    bh_switch_notify(l->port, wake, l);
    if (l->listening)
        say(l, "waiting for a link on %s (port %d)", l->addr, bh_net_local_port(l->lfd));
    /* The link's thread takes no signals: myvmm's main thread handles them. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&l->thread, NULL, run, l);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        bh_switch_notify(l->port, NULL, NULL);
        bh_switch_detach(l->port);
        bh_errf(err, errlen, "--net-link %s: a thread: %s", l->lan, strerror(rc));
        goto fail;
    }
    return l;
fail:
    if (l->lfd >= 0)
        close(l->lfd);
    for (int k = 0; k < 2; k++)
        if (l->wake[k] >= 0)
            close(l->wake[k]);
    free(l);
    return NULL;
}

void bh_netlink_stop(struct bh_netlink *l)
{
    if (!l)
        return;
    bh_switch_notify(l->port, NULL, NULL);
    atomic_store(&l->stop, 1);
    wake(l);
    pthread_join(l->thread, NULL);
    if (l->lfd >= 0)
        close(l->lfd);
    close(l->wake[0]);
    close(l->wake[1]);
    free(l);
}
