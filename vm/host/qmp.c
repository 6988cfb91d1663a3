/* qmp.c: the QMP socket's server thread (qmp.h).  One poll() over the
 * listening socket, a pipe that says "events queued" (or "stop"), and the
 * clients, every one non-blocking: a line is answered when it is whole,
 * an answer goes out as the client takes it.  The VMs' events come from
 * the control's listener on whatever thread caused them: it only formats
 * them into a queue and writes the pipe. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "host/qmp.h"
#include "host/qmp_proto.h"
#include "state/net.h"

struct client {
    int fd; /* -1: a free slot */
    struct bh_buf in, out;
    size_t out_off;
    struct bh_qmp_session sess;
    int closing; /* close once out is sent */
};

struct bh_qmp_server {
    struct bh_qmp q;
    int lfd;
    char *unix_path; /* removed at the end */
    char where[160];
    int wake[2]; /* events queued, or stop */
    pthread_mutex_t mu; /* events, stop */
    struct bh_buf events;
    int stop;
    pthread_t thread;
    struct client c[BH_QMP_MAX_CLIENTS];
};

static void on_event(void *ctx, const struct bh_ctl_event *e)
{
    struct bh_qmp_server *s = ctx;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    pthread_mutex_lock(&s->mu);
    bh_qmp_event(s->q.ctl, e, (long long)tv.tv_sec, (long)tv.tv_usec, &s->events);
    pthread_mutex_unlock(&s->mu);
    char b = 1;
    ssize_t r = write(s->wake[1], &b, 1); /* full: a wake-up is pending anyway */
    (void)r;
}

static void drop(struct client *c)
{
    close(c->fd);
    c->fd = -1;
    bh_buf_free(&c->in);
    bh_buf_free(&c->out);
}

/* Send what the client takes now; 0, or -1 when it is gone. */
static int flush_out(struct client *c)
{
    while (c->out_off < c->out.len) {
        ssize_t n = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
        c->out_off += (size_t)n;
    }
    c->out.len = c->out_off = 0;
    return 0;
}

/* After out grew: a client that leaves more than BH_QMP_MAX_OUT unread
 * is dropped (it never reads; its events would pile up forever). */
static void check_out(struct client *c)
{
    if (c->out.oom || c->out.len - c->out_off > BH_QMP_MAX_OUT) drop(c);
}

/* Answer every whole line in c->in. */
static void take_lines(struct bh_qmp_server *s, struct client *c)
{
    size_t start = 0;
    for (size_t i = 0; i < c->in.len; i++) {
        if (c->in.data[i] != '\n') continue;
        size_t end = i;
        if (end > start && c->in.data[end - 1] == '\r') end--;
        if (end > start) bh_qmp_handle(&s->q, &c->sess, (const char *)c->in.data + start,
                                       end - start, &c->out);
        start = i + 1;
        if (s->q.quit) break; /* quit: nothing after it runs */
    }
    memmove(c->in.data, c->in.data + start, c->in.len - start);
    c->in.len -= start;
    if (c->in.len > BH_QMP_MAX_LINE) {
        bh_qmp_error_line("GenericError", "line too long (1 MiB at most): closing", &c->out);
        c->closing = 1;
        c->in.len = 0;
    }
}

static void read_client(struct bh_qmp_server *s, struct client *c)
{
    char buf[65536];
    ssize_t n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        drop(c);
        return;
    }
    if (n < 0) return;
    bh_buf_append(&c->in, buf, (size_t)n);
    if (c->in.oom) {
        drop(c);
        return;
    }
    take_lines(s, c);
}

/* One waiting client: 0, or -1 when none waits. */
static int accept_client(struct bh_qmp_server *s)
{
    int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return -1;
    struct client *c = NULL;
    for (int k = 0; k < BH_QMP_MAX_CLIENTS && !c; k++)
        if (s->c[k].fd < 0) c = &s->c[k];
    if (!c) { /* full: say so if it listens, and close */
        struct bh_buf b = {0};
        bh_qmp_error_line("GenericError", "too many QMP clients (16 at most): closing", &b);
        ssize_t r = send(fd, b.data, b.len, MSG_NOSIGNAL | MSG_DONTWAIT);
        (void)r;
        bh_buf_free(&b);
        close(fd);
        return 0;
    }
    memset(c, 0, sizeof *c);
    c->fd = fd;
    bh_qmp_greeting(&c->out);
    return 0;
}

/* Queued events to every client that negotiated. */
static void deliver_events(struct bh_qmp_server *s)
{
    pthread_mutex_lock(&s->mu);
    struct bh_buf ev = s->events;
    memset(&s->events, 0, sizeof s->events);
    pthread_mutex_unlock(&s->mu);
    for (int k = 0; k < BH_QMP_MAX_CLIENTS && ev.len; k++) {
        struct client *c = &s->c[k];
        if (c->fd < 0 || !c->sess.negotiated) continue;
        bh_buf_append(&c->out, ev.data, ev.len);
        check_out(c);
    }
    bh_buf_free(&ev);
}

static void *serve(void *arg)
{
    struct bh_qmp_server *s = arg;
    struct pollfd p[2 + BH_QMP_MAX_CLIENTS];
    for (;;) {
        p[0] = (struct pollfd){s->lfd, POLLIN, 0};
        p[1] = (struct pollfd){s->wake[0], POLLIN, 0};
        for (int k = 0; k < BH_QMP_MAX_CLIENTS; k++) {
            struct client *c = &s->c[k];
            p[2 + k] = (struct pollfd){c->fd, (short)((c->closing ? 0 : POLLIN) |
                                                      (c->out.len > c->out_off ? POLLOUT : 0)), 0};
        }
        if (poll(p, 2 + BH_QMP_MAX_CLIENTS, -1) < 0 && errno != EINTR) break;
        if (p[1].revents) {
            char buf[256];
            while (read(s->wake[0], buf, sizeof buf) > 0) {
            }
            deliver_events(s);
            pthread_mutex_lock(&s->mu);
            int stop = s->stop;
            pthread_mutex_unlock(&s->mu);
            if (stop) break;
        }
        for (int k = 0; k < BH_QMP_MAX_CLIENTS; k++) {
            struct client *c = &s->c[k];
            if (c->fd < 0 || p[2 + k].fd != c->fd) continue;
            if (p[2 + k].revents & (POLLIN | POLLHUP | POLLERR)) read_client(s, c);
            if (c->fd < 0) continue;
            check_out(c);
            if (c->fd < 0) continue;
            if (flush_out(c) != 0 || (c->closing && c->out.len == 0)) drop(c);
        }
        if (p[0].revents)
            while (accept_client(s) == 0) {
            }
    }
    /* The end: what is queued goes out within a short while. */
    double until = bh_net_now() + 0.5;
    for (;;) {
        int pending = 0;
        for (int k = 0; k < BH_QMP_MAX_CLIENTS; k++) {
            struct client *c = &s->c[k];
            if (c->fd >= 0 && flush_out(c) == 0 && c->out.len) pending = 1;
        }
        if (!pending || bh_net_now() > until) break;
        usleep(5000);
    }
    for (int k = 0; k < BH_QMP_MAX_CLIENTS; k++)
        if (s->c[k].fd >= 0) drop(&s->c[k]);
    return NULL;
}

struct bh_qmp_server *bh_qmp_start(const char *addr, struct bh_ctl *ctl,
                                   const struct bh_hmp_ops *ops, const char **where, char *err,
                                   size_t errlen)
{
    struct bh_qmp_server *s = calloc(1, sizeof *s);
    if (!s) {
        bh_errf(err, errlen, "--qmp: out of memory");
        return NULL;
    }
    s->lfd = s->wake[0] = s->wake[1] = -1;
    for (int k = 0; k < BH_QMP_MAX_CLIENTS; k++) s->c[k].fd = -1;
    bh_qmp_init(&s->q, ctl, ops);
    pthread_mutex_init(&s->mu, NULL);
    char host[64] = "", port[8] = "";
    int is_unix = !strncmp(addr, "unix:", 5);
    /* No password: whoever reaches the socket drives the VMs.  A unix one
     * is its owner's only (mode 0600, net.h); tcp stays on loopback. */
    int lo = is_unix ? 1 : bh_net_is_loopback(addr, 1, err, errlen);
    if (lo == 0)
        bh_errf(err, errlen, "--qmp %s: not a loopback address (QMP has no password: "
                             "use tcp:127.0.0.1:PORT, or unix:PATH)", addr);
    if (lo == 1 && (s->lfd = bh_net_listen(addr, err, errlen)) >= 0) {
        if (is_unix && !(s->unix_path = strdup(addr + 5))) {
            bh_errf(err, errlen, "--qmp: out of memory");
            goto fail;
        }
        fcntl(s->lfd, F_SETFL, fcntl(s->lfd, F_GETFL) | O_NONBLOCK);
        fcntl(s->lfd, F_SETFD, FD_CLOEXEC);
        listen(s->lfd, 64); /* a burst of clients waits to be told "too many", not refused */
        if (is_unix) snprintf(s->where, sizeof s->where, "%s", addr);
        else if (bh_net_parse_addr(addr, host, sizeof host, port, sizeof port, err, errlen) == 0)
            snprintf(s->where, sizeof s->where, "tcp:%s:%d", host, bh_net_local_port(s->lfd));
    }
    if (s->lfd < 0) {
        if (strncmp(err, "--qmp", 5)) { /* net.h's message: say whose */
            char m[512];
            snprintf(m, sizeof m, "%s", err);
            bh_errf(err, errlen, "--qmp: %s", m);
        }
        goto fail;
    }
    if (pipe(s->wake) != 0) {
        bh_errf(err, errlen, "--qmp: %s", strerror(errno));
        goto fail;
    }
    for (int k = 0; k < 2; k++) {
        fcntl(s->wake[k], F_SETFL, O_NONBLOCK);
        fcntl(s->wake[k], F_SETFD, FD_CLOEXEC);
    }
    if (bh_ctl_listen(ctl, on_event, s) != 0) {
        bh_errf(err, errlen, "--qmp: too many listeners on the VMs' control");
        goto fail;
    }
    int rc = pthread_create(&s->thread, NULL, serve, s);
    if (rc != 0) {
        bh_errf(err, errlen, "--qmp: cannot start its thread: %s", strerror(rc));
        goto fail; /* the listener stays registered on a control that ends with us */
    }
    *where = s->where;
    return s;
fail:
    if (s->lfd >= 0) close(s->lfd);
    if (s->unix_path) unlink(s->unix_path);
    free(s->unix_path);
    for (int k = 0; k < 2; k++)
        if (s->wake[k] >= 0) close(s->wake[k]);
    pthread_mutex_destroy(&s->mu);
    free(s);
    return NULL;
}

void bh_qmp_stop(struct bh_qmp_server *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_mutex_unlock(&s->mu);
    char b = 1;
    ssize_t r = write(s->wake[1], &b, 1);
    (void)r;
    pthread_join(s->thread, NULL);
    close(s->lfd);
    if (s->unix_path) unlink(s->unix_path);
    free(s->unix_path);
    close(s->wake[0]);
    close(s->wake[1]);
    bh_buf_free(&s->events);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
