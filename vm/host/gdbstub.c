/* gdbstub.c: the gdb stub's thread (gdbstub.h): a socket, one client at
 * a time, the protocol of gdb_proto.c, the VMs through control.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cpu.h" /* BH_FIR, BH_C0_* */
#include "host/gdb_proto.h"
#include "host/gdbstub.h"
#include "host/hmp.h" /* bh_hmp_lock: one front end's command at a time */
#include "machine/machine.h"
#include "state/net.h"

#define MAX_POINTS 64
#define JUNK_MAX 65536     /* bytes without a packet before a client is dropped */
#define WRITE_TIMEOUT_MS 5000

struct point {
    unsigned type;
    uint32_t addr, len;
};

struct bh_gdbstub {
    struct bh_ctl *ctl;
    char addr[160];
    int lfd, cfd;
    int wake[2];   /* the control's events and bh_gdbstub_stop wake the thread */
    pthread_t th;
    pthread_mutex_t mu;
    int quit;      /* bh_gdbstub_stop: every VM has ended */
    int running;   /* the client was told the VMs run: a stop reply is owed */
    struct bh_gdb_target target;
    struct bh_gdb_sess sess;
    struct bh_gdb_rx rx;
    struct point points[MAX_POINTS];
    unsigned npoints;
};

static void say(const char *fmt, const char *a)
{
    fprintf(stderr, "myvmm: gdb: ");
    fprintf(stderr, fmt, a);
    fputc('\n', stderr);
}

/* ---- the target, for gdb_proto.c ---- */

static struct bh_vm *vm_of(struct bh_gdbstub *g, size_t t)
{
    return g->ctl->vms[t].vm;
}

static int t_alive(void *ctx, size_t t)
{
    struct bh_gdbstub *g = ctx;
    return t < g->ctl->n && bh_ctl_state(g->ctl, t) != BH_CTL_ENDED;
}

static const char *reason_name(enum bh_ctl_reason r)
{
    switch (r) {
    case BH_CTL_RUNNING: return "running";
    case BH_CTL_REQUEST: return "paused";
    case BH_CTL_START: return "paused at start";
    case BH_CTL_BREAK: return "paused at a breakpoint";
    case BH_CTL_WATCH: return "paused at a watchpoint";
    case BH_CTL_STEP: return "paused after a step";
    case BH_CTL_FAULT: return "paused at a fault";
    case BH_CTL_ENDED: return "ended";
    }
    return "?";
}

static void t_describe(void *ctx, size_t t, char *buf, size_t n)
{
    struct bh_gdbstub *g = ctx;
    snprintf(buf, n, "%s (%s)", g->ctl->vms[t].name ? g->ctl->vms[t].name : "vm",
             reason_name(bh_ctl_state(g->ctl, t)));
}

static uint32_t t_reg(void *ctx, size_t t, unsigned r)
{
    struct bh_vm *vm = vm_of(ctx, t);
    if (r < 32) return (uint32_t)bh_vm_reg(vm, r);
    if (r >= 38 && r < 70) return bh_vm_fpr(vm, r - 38);
    switch (r) {
    case 32: return bh_vm_c0(vm, BH_C0_STATUS);
    case 33: return (uint32_t)bh_vm_lo(vm);
    case 34: return (uint32_t)bh_vm_hi(vm);
    case 35: return bh_vm_c0(vm, BH_C0_BADVADDR);
    case 36: return bh_vm_c0(vm, BH_C0_CAUSE);
    case 37: return bh_vm_pc(vm);
    case 70: return bh_vm_fcsr(vm);
    default: return BH_FIR;
    }
}

static void t_set_reg(void *ctx, size_t t, unsigned r, uint32_t v)
{
    struct bh_vm *vm = vm_of(ctx, t);
    if (r < 32) bh_vm_set_reg(vm, r, (int32_t)v);
    else if (r >= 38 && r < 70) bh_vm_set_fpr(vm, r - 38, v);
    else if (r == 32) bh_vm_set_c0(vm, BH_C0_STATUS, v);
    else if (r == 33) bh_vm_set_hilo(vm, bh_vm_hi(vm), (int32_t)v);
    else if (r == 34) bh_vm_set_hilo(vm, (int32_t)v, bh_vm_lo(vm));
    else if (r == 35) bh_vm_set_c0(vm, BH_C0_BADVADDR, v);
    else if (r == 36) bh_vm_set_c0(vm, BH_C0_CAUSE, v);
    else if (r == 37) bh_vm_set_pc(vm, v);
    else if (r == 70) bh_vm_set_fcsr(vm, v);
    /* fir is read only */
}

static int t_read(void *ctx, size_t t, uint32_t addr, void *dst, uint32_t n)
{
    return bh_vm_read(vm_of(ctx, t), addr, dst, n);
}

static int t_write(void *ctx, size_t t, uint32_t addr, const void *src, uint32_t n)
{
    return bh_vm_write(vm_of(ctx, t), addr, src, n);
}

/* Z/z on every VM that has not ended.  gdb's watchpoint types: 2 write,
 * 3 read, 4 access. */
static int apply_point(struct bh_gdbstub *g, const struct point *p, int on)
{
    static const unsigned kinds[] = {0, 0, BH_WATCH_WRITE, BH_WATCH_READ,
                                     BH_WATCH_READ | BH_WATCH_WRITE};
    int rc = 0;
    for (size_t t = 0; t < g->ctl->n; t++) {
        if (!t_alive(g, t)) continue;
        struct bh_vm *vm = vm_of(g, t);
        int r = p->type <= 1 ? bh_vm_break(vm, p->addr, on)
                             : bh_vm_watch(vm, p->addr, p->len, kinds[p->type], on);
        if (r != 0) rc = -1;
    }
    return rc;
}

static int t_point(void *ctx, unsigned type, uint32_t addr, uint32_t len, int on)
{
    struct bh_gdbstub *g = ctx;
    struct point p = {type, addr, len};
    unsigned i = 0;
    while (i < g->npoints && memcmp(&g->points[i], &p, sizeof p) != 0) i++;
    if (on) {
        if (i < g->npoints) return 0;
        if (g->npoints == MAX_POINTS || apply_point(g, &p, 1) != 0) {
            apply_point(g, &p, 0); /* the VMs that took it */
            return -1;
        }
        g->points[g->npoints++] = p;
        return 0;
    }
    if (i == g->npoints) return 0;
    apply_point(g, &p, 0);
    g->points[i] = g->points[--g->npoints];
    return 0;
}

/* ---- the client ---- */

static int send_raw(struct bh_gdbstub *g, const void *p, size_t n)
{
    char err[256];
    if (g->cfd < 0) return -1;
    if (bh_net_write_all(g->cfd, p, n, WRITE_TIMEOUT_MS, err, sizeof err) != 0) {
        say("client dropped: %s", err);
        close(g->cfd);
        g->cfd = -1;
        return -1;
    }
    return 0;
}

static int send_packet(struct bh_gdbstub *g, const char *payload, size_t n)
{
    struct bh_buf b = {0};
    bh_gdb_frame(&b, payload, n);
    int rc = b.oom ? -1 : send_raw(g, b.data, b.len);
    bh_buf_free(&b);
    return rc;
}

static int all_ended(struct bh_gdbstub *g)
{
    for (size_t t = 0; t < g->ctl->n; t++)
        if (bh_ctl_state(g->ctl, t) != BH_CTL_ENDED) return 0;
    return 1;
}

/* Is every VM that has not ended paused? */
static int all_paused(struct bh_gdbstub *g)
{
    for (size_t t = 0; t < g->ctl->n; t++)
        if (bh_ctl_state(g->ctl, t) == BH_CTL_RUNNING) return 0;
    return 1;
}

/* Pause every VM that runs (waiting for each). */
static void pause_all(struct bh_gdbstub *g)
{
    for (size_t t = 0; t < g->ctl->n; t++) bh_ctl_pause(g->ctl, t, 1);
}

static void set_debug_faults(struct bh_gdbstub *g, int on)
{
    for (size_t t = 0; t < g->ctl->n; t++)
        if (bh_ctl_state(g->ctl, t) != BH_CTL_ENDED && bh_ctl_state(g->ctl, t) != BH_CTL_RUNNING)
            bh_vm_ctl(vm_of(g, t))->debug_faults = on;
}

static void resume(struct bh_gdbstub *g, size_t only)
{
    char err[256];
    for (size_t t = 0; t < g->ctl->n; t++) {
        if (only != BH_GDB_ALL && t != only) continue;
        enum bh_ctl_reason r = bh_ctl_state(g->ctl, t);
        if (r != BH_CTL_RUNNING && r != BH_CTL_ENDED) bh_ctl_resume(g->ctl, t, err, sizeof err);
    }
}

/* gdb's signal numbers for what stopped VM t. */
static int stop_signal(const struct bh_ctl_vm *v)
{
    switch (v->reason) {
    case BH_CTL_REQUEST: return 2; /* SIGINT */
    case BH_CTL_FAULT:
        switch (v->exc) {
        case BH_EXC_RI:
        case BH_EXC_CPU: return 4; /* SIGILL */
        case BH_EXC_OV:
        case BH_EXC_FPE: return 8; /* SIGFPE */
        case BH_EXC_IBE:
        case BH_EXC_DBE: return 10; /* SIGBUS */
        case BH_EXC_BP:
        case BH_EXC_TR: return 5; /* SIGTRAP */
        case BH_EXC_SYS: return 12; /* SIGSYS */
        default: return 11; /* SIGSEGV: address errors, TLB */
        }
    default: return 5; /* SIGTRAP */
    }
}

/* The stop reply for VM t (paused), kept for '?'. */
static void stop_reply_for(struct bh_gdbstub *g, size_t t)
{
    pthread_mutex_lock(&g->ctl->mu);
    struct bh_ctl_vm v = g->ctl->vms[t];
    pthread_mutex_unlock(&g->ctl->mu);
    unsigned wk = 0;
    if (v.reason == BH_CTL_WATCH) wk = v.watch_kind == BH_WATCH_WRITE ? 1 : 2;
    bh_gdb_stop_reply(&g->sess, t, stop_signal(&v), wk, v.watch_addr, v.reason == BH_CTL_BREAK);
}

/* Every VM ended: "W status" of the first one. */
static void exit_reply(struct bh_gdbstub *g)
{
    pthread_mutex_lock(&g->ctl->mu);
    int st = g->ctl->n ? g->ctl->vms[0].status : 0;
    pthread_mutex_unlock(&g->ctl->mu);
    bh_gdb_exit_reply(&g->sess, 1, st);
}

static void send_stop(struct bh_gdbstub *g)
{
    g->running = 0;
    send_packet(g, g->sess.stop, strlen(g->sess.stop));
}

/* Let go of the VMs: without our breakpoints and watchpoints, running. */
static void release(struct bh_gdbstub *g)
{
    while (g->npoints) t_point(g, g->points[0].type, g->points[0].addr, g->points[0].len, 0);
    set_debug_faults(g, 0);
    resume(g, BH_GDB_ALL);
    g->running = 0;
}

static void drop(struct bh_gdbstub *g, const char *why)
{
    say("client dropped: %s", why);
    if (g->cfd >= 0) close(g->cfd);
    g->cfd = -1;
    release(g);
}

static void connected(struct bh_gdbstub *g, int fd)
{
    g->cfd = fd;
    bh_gdb_rx_init(&g->rx);
    bh_gdb_sess_init(&g->sess, &g->target);
    say("client connected on %s: the VMs are stopped", g->addr);
    pause_all(g);
    set_debug_faults(g, 1);
    if (all_ended(g)) {
        exit_reply(g);
        return;
    }
    size_t first = BH_GDB_ALL;
    for (size_t t = 0; t < g->ctl->n && first == BH_GDB_ALL; t++)
        if (t_alive(g, t)) first = t;
    stop_reply_for(g, first);
    g->sess.stop[1] = '0', g->sess.stop[2] = '5'; /* an attach stops with SIGTRAP */
}

/* The VMs run for gdb: did one stop or all end? */
static void check_stopped(struct bh_gdbstub *g)
{
    if (!g->running || g->cfd < 0) return;
    if (all_ended(g)) {
        exit_reply(g);
        send_stop(g);
        return;
    }
    for (size_t t = 0; t < g->ctl->n; t++) {
        enum bh_ctl_reason r = bh_ctl_state(g->ctl, t);
        if (r == BH_CTL_RUNNING || r == BH_CTL_ENDED) continue;
        pause_all(g); /* all-stop: the others too */
        set_debug_faults(g, 1);
        stop_reply_for(g, t);
        send_stop(g);
        return;
    }
}

static void do_step(struct bh_gdbstub *g, size_t t)
{
    char err[256];
    if (t >= g->ctl->n || !t_alive(g, t)) {
        send_packet(g, "E01", 3);
        return;
    }
    int r = bh_ctl_step(g->ctl, t, err, sizeof err);
    if (r < 0) {
        send_packet(g, "E01", 3);
        return;
    }
    if (r == 1) { /* it ended: its end comes from the scheduler */
        bh_ctl_wait(g->ctl, t, -1);
        if (all_ended(g)) {
            exit_reply(g);
            send_stop(g);
            return;
        }
        for (size_t k = 0; k < g->ctl->n; k++)
            if (t_alive(g, k)) {
                stop_reply_for(g, k);
                break;
            }
        send_stop(g);
        return;
    }
    stop_reply_for(g, t);
    send_stop(g);
}

static void packet(struct bh_gdbstub *g)
{
    if (!g->sess.no_ack && send_raw(g, "+", 1) != 0) return;
    if (g->running) { /* all-stop: while the VMs run, only Ctrl-C is meant */
        send_packet(g, "E16", 3);
        return;
    }
    /* Another front end (QMP's cont, the monitor's continue) may have
     * resumed a VM gdb thinks stopped: its state is not ours to touch. */
    bh_hmp_lock();
    if (strchr("gGpPmMZzs", g->rx.pkt[0]) && !all_paused(g)) {
        bh_hmp_unlock();
        send_packet(g, "E16", 3);
        return;
    }
    struct bh_buf ans = {0};
    size_t thread = BH_GDB_ALL;
    enum bh_gdb_action a = bh_gdb_handle(&g->sess, g->rx.pkt, g->rx.len, &ans, &thread);
    bh_hmp_unlock();
    switch (a) {
    case BH_GDB_ANSWER:
        send_packet(g, ans.data ? (const char *)ans.data : "", ans.len);
        break;
    case BH_GDB_CONTINUE:
        if (all_ended(g)) {
            exit_reply(g);
            send_stop(g);
            break;
        }
        g->running = 1;
        resume(g, thread);
        check_stopped(g); /* a resume may stop at once (a watchpoint) */
        break;
    case BH_GDB_STEP:
        bh_hmp_lock(); /* no other front end resumes it meanwhile */
        do_step(g, thread);
        bh_hmp_unlock();
        break;
    case BH_GDB_DETACH:
        send_packet(g, "OK", 2);
        say("client detached: the VMs run on%s", "");
        if (g->cfd >= 0) close(g->cfd);
        g->cfd = -1;
        release(g);
        break;
    case BH_GDB_KILL:
        say("killed by the client: every VM ends%s", "");
        if (g->cfd >= 0) close(g->cfd);
        g->cfd = -1;
        g->npoints = 0;
        bh_ctl_quit(g->ctl);
        break;
    }
    bh_buf_free(&ans);
}

static void client_readable(struct bh_gdbstub *g)
{
    uint8_t buf[4096];
    ssize_t n = read(g->cfd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n == 0) { /* gone: the VMs run on without it */
        say("client disconnected%s", all_ended(g) ? "" : ": the VMs run on");
        close(g->cfd);
        g->cfd = -1;
        release(g);
        return;
    }
    if (n < 0) {
        drop(g, strerror(errno));
        return;
    }
    for (ssize_t i = 0; i < n && g->cfd >= 0; i++) {
        switch (bh_gdb_rx_byte(&g->rx, buf[i])) {
        case BH_GDB_RX_NONE: break;
        case BH_GDB_RX_PACKET: packet(g); break;
        case BH_GDB_RX_BADSUM:
            if (!g->sess.no_ack) send_raw(g, "-", 1);
            break;
        case BH_GDB_RX_INTERRUPT:
            if (g->running) {
                pause_all(g);
                set_debug_faults(g, 1);
                size_t t = g->sess.c_thread == BH_GDB_ALL ? g->sess.g_thread : g->sess.c_thread;
                if (!t_alive(g, t))
                    for (t = 0; t < g->ctl->n && !t_alive(g, t); t++) {
                    }
                if (t < g->ctl->n) stop_reply_for(g, t);
                else exit_reply(g);
                send_stop(g);
            }
            break;
        case BH_GDB_RX_TOOLONG: {
            char why[96];
            snprintf(why, sizeof why, "a packet longer than %d bytes", BH_GDB_PACKET_MAX);
            drop(g, why);
            return;
        }
        }
        if (g->cfd >= 0 && g->rx.junk > JUNK_MAX) {
            drop(g, "no packet in 65536 bytes (not a gdb client?)");
            return;
        }
    }
}

static void listener(void *ctx, const struct bh_ctl_event *e)
{
    struct bh_gdbstub *g = ctx;
    (void)e;
    char b = 1;
    ssize_t r = write(g->wake[1], &b, 1);
    (void)r;
}

static void *thread_main(void *arg)
{
    struct bh_gdbstub *g = arg;
    for (;;) {
        struct pollfd p[3] = {{.fd = g->lfd, .events = POLLIN},
                              {.fd = g->cfd, .events = POLLIN},
                              {.fd = g->wake[0], .events = POLLIN}};
        int r = poll(p, 3, -1);
        if (r < 0 && errno != EINTR) break;
        if (r <= 0) continue;
        if (p[2].revents) {
            char buf[64];
            while (read(g->wake[0], buf, sizeof buf) > 0) {
            }
            check_stopped(g);
            pthread_mutex_lock(&g->mu);
            int quit = g->quit;
            pthread_mutex_unlock(&g->mu);
            if (quit) break;
        }
        if (g->cfd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) client_readable(g);
        if (p[0].revents & POLLIN) {
            char err[256];
            int fd = bh_net_accept(g->lfd, 0, err, sizeof err);
            if (fd >= 0 && g->cfd >= 0) {
                say("a second client refused: one at a time (%s)", g->addr);
                close(fd);
            } else if (fd >= 0) {
                connected(g, fd);
            }
        }
    }
    if (g->cfd >= 0) {
        if (g->running) {
            exit_reply(g);
            send_stop(g);
        }
        if (g->cfd >= 0) close(g->cfd);
        g->cfd = -1;
    }
    return NULL;
}

int bh_gdbstub_start(struct bh_gdbstub **out, const char *spec, struct bh_ctl *ctl, char *err,
                     size_t errlen)
{
    struct bh_gdbstub *g = calloc(1, sizeof *g);
    if (!g) return bh_errf(err, errlen, "out of memory");
    g->ctl = ctl;
    g->cfd = -1;
    g->wake[0] = g->wake[1] = -1;
    g->lfd = bh_net_listen(spec, err, errlen);
    if (g->lfd < 0) {
        free(g);
        return -1;
    }
    fcntl(g->lfd, F_SETFL, O_NONBLOCK);
    int port = bh_net_local_port(g->lfd);
    if (port > 0 && strncmp(spec, "tcp:", 4) == 0) {
        const char *colon = strrchr(spec, ':');
        snprintf(g->addr, sizeof g->addr, "%.*s:%d", (int)(colon - spec), spec, port);
    } else {
        snprintf(g->addr, sizeof g->addr, "%s", spec);
    }
    g->target = (struct bh_gdb_target){g, ctl->n, t_alive, t_describe, t_reg, t_set_reg, t_read,
                                       t_write, t_point};
    bh_gdb_sess_init(&g->sess, &g->target);
    pthread_mutex_init(&g->mu, NULL);
    if (pipe(g->wake) != 0 || fcntl(g->wake[0], F_SETFL, O_NONBLOCK) != 0 ||
        fcntl(g->wake[1], F_SETFL, O_NONBLOCK) != 0 || bh_ctl_listen(ctl, listener, g) != 0 ||
        pthread_create(&g->th, NULL, thread_main, g) != 0) {
        bh_errf(err, errlen, "gdb stub: cannot start: %s", strerror(errno));
        close(g->lfd);
        if (g->wake[0] >= 0) close(g->wake[0]), close(g->wake[1]);
        pthread_mutex_destroy(&g->mu);
        free(g);
        return -1;
    }
    *out = g;
    return 0;
}

const char *bh_gdbstub_address(const struct bh_gdbstub *g)
{
    return g->addr;
}

void bh_gdbstub_stop(struct bh_gdbstub *g)
{
    if (!g) return;
    pthread_mutex_lock(&g->mu);
    g->quit = 1;
    pthread_mutex_unlock(&g->mu);
    listener(g, NULL);
    pthread_join(g->th, NULL);
    close(g->lfd);
    if (strncmp(g->addr, "unix:", 5) == 0) unlink(g->addr + 5);
    close(g->wake[0]);
    close(g->wake[1]);
    pthread_mutex_destroy(&g->mu);
    free(g);
}
