/* net.c: TCP helpers for live migration (see net.h).  Reports, never
 * prints: each failure is "what: strerror" in the caller's buffer. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "bh_util.h"
#include "net.h"

double bh_net_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int bh_net_parse_addr(const char *spec, char *host, size_t cap, char *port, size_t pcap, char *err,
                      size_t errlen)
{
    if (strncmp(spec, "tcp:", 4) != 0)
        return bh_errf(err, errlen, "'%s': an address is tcp:HOST:PORT", spec);
    const char *h = spec + 4, *colon;
    size_t hl;
    if (*h == '[') { /* [::1]:4444 */
        const char *close = strchr(h, ']');
        if (!close || close[1] != ':')
            return bh_errf(err, errlen, "'%s': an IPv6 address is tcp:[ADDR]:PORT", spec);
        h++;
        hl = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strrchr(h, ':');
        if (!colon)
            return bh_errf(err, errlen, "'%s': no port (tcp:HOST:PORT)", spec);
        hl = (size_t)(colon - h);
    }
    const char *p = colon + 1;
    if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 5)
        return bh_errf(err, errlen, "'%s': the port must be a number", spec);
    if (hl == 0 || hl >= cap || strlen(p) >= pcap)
        return bh_errf(err, errlen, "'%s': bad or too long host", spec);
    memcpy(host, h, hl);
    host[hl] = '\0';
    strcpy(port, p);
    return 0;
}

static int resolve(const char *spec, int passive, struct addrinfo **res, char *err, size_t errlen)
{
    char host[256], port[8];
    if (bh_net_parse_addr(spec, host, sizeof host, port, sizeof port, err, errlen))
        return -1;
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = passive ? AI_PASSIVE : 0;
    int rc = getaddrinfo(host, port, &hints, res);
    if (rc)
        return bh_errf(err, errlen, "%s: %s", spec, gai_strerror(rc));
    return 0;
}

int bh_net_is_loopback(const char *spec, int passive, char *err, size_t errlen)
{
    struct addrinfo *res, *ai;
    if (resolve(spec, passive, &res, err, errlen))
        return -1;
    int all = 1;
    for (ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET) {
            const struct sockaddr_in *a = (const void *)ai->ai_addr;
            all &= (ntohl(a->sin_addr.s_addr) >> 24) == 127;
        } else if (ai->ai_family == AF_INET6) {
            const struct sockaddr_in6 *a = (const void *)ai->ai_addr;
            all &= IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
        } else
            all = 0;
    }
    freeaddrinfo(res);
    return all;
}

static void tune(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* "unix:PATH": a socket file only its owner may connect to (mode 0600,
 * set before listen(), so no one connects in between); a stale socket
 * file left by an earlier run is replaced, any other file is refused. */
static int listen_unix(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (!path[0] || strlen(path) >= sizeof sa.sun_path)
        return bh_errf(err, errlen, "unix:%s: a socket path must have 1 to %zu characters", path,
                       sizeof sa.sun_path - 1);
    memcpy(sa.sun_path, path, strlen(path) + 1);
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return bh_errf(err, errlen, "unix:%s: the file exists and is not a socket", path);
        unlink(path);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return bh_errf(err, errlen, "unix:%s: %s", path, strerror(errno));
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || chmod(path, 0600) != 0 ||
        listen(fd, 8) != 0) {
        int e = errno;
        close(fd);
        return bh_errf(err, errlen, "listen on unix:%s: %s", path, strerror(e));
    }
    return fd;
}

int bh_net_listen(const char *spec, char *err, size_t errlen)
{
    if (strncmp(spec, "unix:", 5) == 0)
        return listen_unix(spec + 5, err, errlen);
    struct addrinfo *res, *ai;
    if (resolve(spec, 1, &res, err, errlen))
        return -1;
    int fd = -1, e = 0;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            e = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 8) == 0)
            break;
        e = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return bh_errf(err, errlen, "listen on %s: %s", spec, strerror(e));
    return fd;
}

int bh_net_local_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return -1;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return -1;
}

/* poll one fd for events within timeout_ms, restarting after signals
 * with the time left.  1 ready, 0 timeout, -1 error (errno). */
/* Wait until fd is ready for events or the absolute time end passes
 * (forever when end < 0), restarting after signals.  With a watch, also
 * until its fd is readable once its time has come: then -2.  1 ready,
 * 0 timed out, -1 error. */
static int wait_until(int fd, short events, double end, const struct bh_net_watch *w)
{
    for (;;) {
        double now = bh_net_now();
        int watching = w && w->fd >= 0 && now >= w->after;
        double until = end;
        if (w && w->fd >= 0 && !watching && (until < 0 || w->after < until))
            until = w->after; /* wake up when the watch starts */
        int t = until < 0 ? -1 : until > now ? (int)((until - now) * 1000.0) + 1 : 0;
        struct pollfd p[2] = {{fd, events, 0}, {watching ? w->fd : -1, POLLIN, 0}};
        int rc = poll(p, 2, t);
        if (rc < 0 && errno != EINTR)
            return -1;
        if (rc > 0 && p[0].revents)
            return 1;
        if (rc > 0 && p[1].revents)
            return -2;
        if (rc == 0 && end >= 0 && bh_net_now() >= end)
            return 0;
    }
}

static double end_of(int timeout_ms)
{
    return timeout_ms < 0 ? -1.0 : bh_net_now() + timeout_ms / 1000.0;
}

static int wait_fd(int fd, short events, int timeout_ms, const struct bh_net_watch *w)
{
    return wait_until(fd, events, end_of(timeout_ms), w);
}

int bh_net_accept(int lfd, int timeout_ms, char *err, size_t errlen)
{
    int rc = wait_fd(lfd, POLLIN, timeout_ms, NULL);
    if (rc == 0)
        return -2;
    if (rc < 0)
        return bh_errf(err, errlen, "accept: %s", strerror(errno));
    int fd;
    do
        fd = accept(lfd, NULL, NULL);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        if (errno == EAGAIN || errno == ECONNABORTED)
            return -2;
        return bh_errf(err, errlen, "accept: %s", strerror(errno));
    }
    tune(fd);
    return fd;
}

int bh_net_connect(const char *spec, int timeout_ms, const struct bh_net_watch *w, char *err,
                   size_t errlen)
{
    struct addrinfo *res, *ai;
    if (resolve(spec, 0, &res, err, errlen))
        return -1;
    int fd = -1, e = ETIMEDOUT;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            e = errno;
            continue;
        }
        /* Non-blocking connect so the timeout holds, then blocking again. */
        int fl = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
        int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            rc = wait_fd(fd, POLLOUT, timeout_ms, w);
            if (rc == -2) { /* the watch fired: no other address is tried */
                close(fd);
                freeaddrinfo(res);
                return bh_errf(err, errlen, "%s", w->why);
            }
            if (rc > 0) {
                socklen_t l = sizeof e;
                e = 0;
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l);
                rc = e ? -1 : 0;
            } else {
                e = rc == 0 ? ETIMEDOUT : errno;
                rc = -1;
            }
        } else if (rc != 0) {
            e = errno;
        }
        if (rc == 0) {
            fcntl(fd, F_SETFL, fl);
            break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return bh_errf(err, errlen, "connect to %s: %s", spec, strerror(e));
    tune(fd);
    return fd;
}

int bh_net_ms_left(double deadline)
{
    double l = deadline - bh_net_now();
    return l > 0 ? (int)(l * 1000.0) + 1 : 0;
}

int bh_net_write_all(int fd, const void *p, size_t n, int timeout_ms, char *err, size_t errlen)
{
    return bh_net_write_watch(fd, p, n, timeout_ms, NULL, err, errlen);
}

int bh_net_write_watch(int fd, const void *p, size_t n, int timeout_ms,
                       const struct bh_net_watch *wt, char *err, size_t errlen)
{
    const uint8_t *b = p;
    double end = end_of(timeout_ms); /* for the whole call: a slow reader cannot stretch it */
    while (n) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            b += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int rc = wait_until(fd, POLLOUT, end, wt);
            if (rc == -2)
                return bh_errf(err, errlen, "%s", wt->why);
            if (rc == 0)
                return bh_errf(err, errlen, "send: %s", strerror(ETIMEDOUT));
            if (rc < 0)
                return bh_errf(err, errlen, "send: %s", strerror(errno));
            continue;
        }
        return bh_errf(err, errlen, "send: %s", strerror(w < 0 ? errno : EPIPE));
    }
    return 0;
}

int bh_net_write2(int fd, const void *h, size_t hn, const void *b, size_t bn, int timeout_ms,
                  const struct bh_net_watch *wt, char *err, size_t errlen)
{
    struct iovec iov[2] = {{(void *)h, hn}, {(void *)b, bn}};
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = iov;
    mh.msg_iovlen = bn ? 2 : 1;
    ssize_t w;
    do
        w = sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (w < 0 && errno == EINTR);
    if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        return bh_errf(err, errlen, "send: %s", strerror(errno));
    size_t done = w > 0 ? (size_t)w : 0;
    /* the rest (a full socket buffer): the plain loop, which waits */
    if (done < hn &&
        bh_net_write_watch(fd, (const uint8_t *)h + done, hn - done, timeout_ms, wt, err, errlen))
        return -1;
    size_t bdone = done > hn ? done - hn : 0;
    if (bdone < bn &&
        bh_net_write_watch(fd, (const uint8_t *)b + bdone, bn - bdone, timeout_ms, wt, err, errlen))
        return -1;
    return 0;
}

int bh_net_read_all(int fd, void *p, size_t n, int timeout_ms, char *err, size_t errlen)
{
    return bh_net_read_watch(fd, p, n, timeout_ms, NULL, err, errlen);
}

int bh_net_read_watch(int fd, void *p, size_t n, int timeout_ms, const struct bh_net_watch *w,
                      char *err, size_t errlen)
{
    uint8_t *b = p;
    double end = end_of(timeout_ms); /* for the whole call: a trickling peer cannot stretch it */
    while (n) {
        ssize_t r = recv(fd, b, n, MSG_DONTWAIT);
        if (r > 0) {
            b += r;
            n -= (size_t)r;
            continue;
        }
        if (r == 0)
            return bh_errf(err, errlen, "receive: the peer closed the connection");
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int rc = wait_until(fd, POLLIN, end, w);
            if (rc == -2) {
                bh_errf(err, errlen, "%s", w->why);
                return -2;
            }
            if (rc == 0)
                return bh_errf(err, errlen, "receive: %s", strerror(ETIMEDOUT));
            if (rc < 0)
                return bh_errf(err, errlen, "receive: %s", strerror(errno));
            continue;
        }
        return bh_errf(err, errlen, "receive: %s", strerror(errno));
    }
    return 0;
}

int bh_net_readable(int fd, int timeout_ms, const struct bh_net_watch *w)
{
    return wait_fd(fd, POLLIN, timeout_ms, w);
}

void bh_net_close(int fd)
{
    if (fd >= 0)
        close(fd);
}
