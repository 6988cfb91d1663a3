/* control.c: pause, resume and step VMs from outside their threads
 * (control.h).  The scheduler parks a paused VM on a pipe of its own
 * (sched.h's park_fd); resuming writes a byte to it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host/control.h"
#include "host/monitor.h"
#include "machine/machine.h"

int bh_ctl_init(struct bh_ctl *c, size_t n, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->vms = calloc(n ? n : 1, sizeof *c->vms);
    if (!c->vms) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->n = n;
    for (size_t i = 0; i < n; i++) c->vms[i].wake[0] = c->vms[i].wake[1] = -1;
    for (size_t i = 0; i < n; i++) {
        int *w = c->vms[i].wake;
        if (pipe(w) != 0 || fcntl(w[0], F_SETFL, O_NONBLOCK) != 0 ||
            fcntl(w[1], F_SETFL, O_NONBLOCK) != 0 || fcntl(w[0], F_SETFD, FD_CLOEXEC) != 0 ||
            fcntl(w[1], F_SETFD, FD_CLOEXEC) != 0) {
            snprintf(err, errlen, "cannot make the control pipes: %s", strerror(errno));
            bh_ctl_destroy(c);
            return -1;
        }
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    return 0;
}

void bh_ctl_destroy(struct bh_ctl *c)
{
    if (!c->vms) return;
    for (size_t i = 0; i < c->n; i++)
        for (int k = 0; k < 2; k++)
            if (c->vms[i].wake[k] >= 0) close(c->vms[i].wake[k]);
    free(c->vms);
    c->vms = NULL;
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
}

void bh_ctl_attach(struct bh_ctl *c, size_t i, struct bh_vm *vm, const char *name)
{
    c->vms[i].vm = vm;
    c->vms[i].name = name;
}

int bh_ctl_listen(struct bh_ctl *c, bh_ctl_listener_fn fn, void *ctx)
{
    pthread_mutex_lock(&c->mu);
    int rc = -1;
    if (c->nlisteners < BH_CTL_MAX_LISTENERS) {
        c->listeners[c->nlisteners].fn = fn;
        c->listeners[c->nlisteners++].ctx = ctx;
        rc = 0;
    }
    pthread_mutex_unlock(&c->mu);
    return rc;
}

long bh_ctl_find(const struct bh_ctl *c, const char *name)
{
    if (!name || !name[0]) return c->n == 1 ? 0 : -1;
    for (size_t i = 0; i < c->n; i++)
        if (c->vms[i].name && strcmp(c->vms[i].name, name) == 0) return (long)i;
    return -1;
}

/* Tell every listener; called without c->mu. */
static void notify(struct bh_ctl *c, const struct bh_ctl_event *e)
{
    pthread_mutex_lock(&c->mu);
    unsigned n = c->nlisteners;
    __typeof__(c->listeners[0]) l[BH_CTL_MAX_LISTENERS];
    memcpy(l, c->listeners, sizeof l);
    pthread_mutex_unlock(&c->mu);
    for (unsigned k = 0; k < n; k++) l[k].fn(l[k].ctx, e);
}

static struct bh_ctl_event paused_event(const struct bh_ctl *c, size_t i)
{
    const struct bh_ctl_vm *v = &c->vms[i];
    return (struct bh_ctl_event){.kind = BH_CTL_EV_PAUSED, .vm = i, .reason = v->reason,
                                 .pc = bh_vm_pc(v->vm), .watch_addr = v->watch_addr,
                                 .watch_kind = v->watch_kind, .exc = v->exc};
}

static void drain(int fd)
{
    char buf[16];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

static void wake(struct bh_ctl_vm *v)
{
    char b = 1;
    ssize_t r = write(v->wake[1], &b, 1); /* full: a wake-up is pending anyway */
    (void)r;
}

/* What the VM's last run stopped at, taken from the monitor (under c->mu). */
static enum bh_ctl_reason take_debug_hit(struct bh_ctl_vm *v)
{
    struct bh_vm_ctl *ctl = bh_vm_ctl(v->vm);
    if (!ctl->debug_hit) return BH_CTL_RUNNING;
    ctl->debug_hit = 0;
    if (ctl->debug.kind == BH_EXIT_FAULT) {
        v->exc = ctl->debug.exc;
        return BH_CTL_FAULT;
    }
    if (ctl->debug.code == BH_DEBUG_BREAK) return BH_CTL_BREAK;
    v->watch_addr = ctl->debug.badvaddr;
    v->watch_kind = ctl->debug.flags;
    return BH_CTL_WATCH;
}

void bh_ctl_hold(struct bh_ctl *c, size_t i)
{
    pthread_mutex_lock(&c->mu);
    c->vms[i].hold = 1;
    c->vms[i].want_pause = 1;
    pthread_mutex_unlock(&c->mu);
}

/* ---- the scheduler's side ---- */

int64_t bh_ctl_budget(struct bh_ctl *c, size_t i, int64_t budget)
{
    pthread_mutex_lock(&c->mu);
    if (c->vms[i].want_pause || c->vms[i].want_quit) budget = 0;
    pthread_mutex_unlock(&c->mu);
    return budget;
}

/* A checkpoint when one is due (a failure keeps the history as it was:
 * going back then replays further). */
static void tick(struct bh_ctl_vm *v)
{
    char err[256];
    if (v->hist) bh_history_tick(v->hist, err, sizeof err);
}

void bh_ctl_between(struct bh_ctl *c, size_t i, struct bh_sched_vm *sv)
{
    struct bh_ctl_vm *v = &c->vms[i];
    tick(v);
    pthread_mutex_lock(&c->mu);
    if (v->want_quit) {
        struct bh_vm_ctl *ctl = bh_vm_ctl(v->vm);
        ctl->state = BH_VM_EXITED; /* its next turn finds it ended */
        ctl->exit_status = 0;
        pthread_mutex_unlock(&c->mu);
        return;
    }
    enum bh_ctl_reason r = take_debug_hit(v);
    if (r == BH_CTL_RUNNING && v->want_pause) r = v->hold ? BH_CTL_START : BH_CTL_REQUEST;
    if (r == BH_CTL_RUNNING) {
        pthread_mutex_unlock(&c->mu);
        return;
    }
    v->want_pause = v->hold = 0;
    v->reason = r;
    v->pauses++;
    drain(v->wake[0]);
    v->parked = 1;
    sv->parked = 1;
    sv->park_fd = v->wake[0];
    pthread_cond_broadcast(&c->cv);
    struct bh_ctl_event e = paused_event(c, i);
    pthread_mutex_unlock(&c->mu);
    notify(c, &e);
}

int bh_ctl_busy(struct bh_ctl *c, size_t i)
{
    pthread_mutex_lock(&c->mu);
    int b = c->vms[i].want_pause || c->vms[i].want_quit;
    pthread_mutex_unlock(&c->mu);
    return b;
}

const char *bh_ctl_ended(struct bh_ctl *c, size_t i, int status, const char *msg)
{
    struct bh_ctl_vm *v = &c->vms[i];
    pthread_mutex_lock(&c->mu);
    v->reason = BH_CTL_ENDED;
    v->parked = 0;
    v->status = status;
    if (msg[0]) snprintf(v->msg, sizeof v->msg, "%s", msg);
    pthread_cond_broadcast(&c->cv);
    struct bh_ctl_event e = {.kind = BH_CTL_EV_ENDED, .vm = i, .reason = BH_CTL_ENDED,
                             .pc = bh_vm_pc(v->vm), .status = status, .msg = v->msg};
    pthread_mutex_unlock(&c->mu);
    notify(c, &e);
    return v->msg;
}

void bh_ctl_migrated(struct bh_ctl *c, size_t i)
{
    pthread_mutex_lock(&c->mu);
    c->vms[i].migrated = 1;
    pthread_mutex_unlock(&c->mu);
}

void bh_ctl_migration(struct bh_ctl *c, size_t i, const char *status)
{
    struct bh_ctl_event e = {.kind = BH_CTL_EV_MIGRATION, .vm = i, .msg = status};
    notify(c, &e);
}

/* ---- the controller's side ---- */

enum bh_ctl_reason bh_ctl_state(struct bh_ctl *c, size_t i)
{
    pthread_mutex_lock(&c->mu);
    enum bh_ctl_reason r = c->vms[i].reason;
    pthread_mutex_unlock(&c->mu);
    return r;
}

int bh_ctl_wait(struct bh_ctl *c, size_t i, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    if (timeout_ms > 0) {
        until.tv_sec += timeout_ms / 1000;
        until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&c->mu);
    int rc = 0;
    while (c->vms[i].reason == BH_CTL_RUNNING) {
        if (timeout_ms == 0) {
            rc = 2;
            break;
        }
        if (timeout_ms < 0) {
            pthread_cond_wait(&c->cv, &c->mu);
        } else if (pthread_cond_timedwait(&c->cv, &c->mu, &until) == ETIMEDOUT) {
            rc = 2;
            break;
        }
    }
    if (rc == 0) rc = c->vms[i].reason == BH_CTL_ENDED ? 1 : 0;
    pthread_mutex_unlock(&c->mu);
    return rc;
}

int bh_ctl_pause(struct bh_ctl *c, size_t i, int wait)
{
    if (i >= c->n) return -1;
    pthread_mutex_lock(&c->mu);
    enum bh_ctl_reason r = c->vms[i].reason;
    if (r == BH_CTL_RUNNING) c->vms[i].want_pause = 1;
    pthread_mutex_unlock(&c->mu);
    if (r == BH_CTL_ENDED) return 1;
    if (r != BH_CTL_RUNNING || !wait) return 0;
    return bh_ctl_wait(c, i, -1);
}

/* One instruction of paused VM v on this thread: over the watchpoint it
 * stopped at with watchpoints off, else as it comes (a breakpoint under
 * pc does not stop it).  Returns the VM's state; a stop it found is left
 * in v's reason (BH_CTL_WATCH), msg gets a fault's message. */
static enum bh_vm_state step_one(struct bh_ctl_vm *v, char *msg, size_t msglen)
{
    int over_watch = v->reason == BH_CTL_WATCH;
    if (over_watch) bh_vm_watch_enable(v->vm, 0);
    enum bh_vm_state st = bh_monitor_single(v->vm, msg, msglen);
    if (over_watch) bh_vm_watch_enable(v->vm, 1);
    return st;
}

/* After a step: the VM ended (give it back to the scheduler, which ends
 * it at its next turn: 1) or stays paused (0). */
static int after_step(struct bh_ctl *c, size_t i, enum bh_vm_state st, const char *msg,
                      enum bh_ctl_reason paused_as)
{
    struct bh_ctl_vm *v = &c->vms[i];
    pthread_mutex_lock(&c->mu);
    if (st != BH_VM_RUNNING && st != BH_VM_WAITING) {
        if (msg[0]) snprintf(v->msg, sizeof v->msg, "%s", msg);
        v->reason = BH_CTL_RUNNING;
        v->parked = 0;
        wake(v);
        pthread_mutex_unlock(&c->mu);
        return 1;
    }
    enum bh_ctl_reason hit = take_debug_hit(v);
    v->reason = hit != BH_CTL_RUNNING ? hit : paused_as;
    struct bh_ctl_event e = paused_event(c, i);
    pthread_mutex_unlock(&c->mu);
    if (paused_as != BH_CTL_RUNNING || hit != BH_CTL_RUNNING) notify(c, &e);
    return 0;
}

static int check_paused(struct bh_ctl *c, size_t i, char *err, size_t errlen)
{
    if (i >= c->n) {
        snprintf(err, errlen, "no such VM");
        return -1;
    }
    enum bh_ctl_reason r = bh_ctl_state(c, i);
    if (r == BH_CTL_RUNNING || r == BH_CTL_ENDED) {
        snprintf(err, errlen, "%s is %s", c->vms[i].name ? c->vms[i].name : "the VM",
                 r == BH_CTL_ENDED ? "no longer running" : "running (stop it first)");
        return -1;
    }
    return 0;
}

int bh_ctl_step(struct bh_ctl *c, size_t i, char *err, size_t errlen)
{
    if (check_paused(c, i, err, errlen) != 0) return -1;
    char msg[1024];
    msg[0] = '\0';
    enum bh_vm_state st = step_one(&c->vms[i], msg, sizeof msg);
    tick(&c->vms[i]);
    return after_step(c, i, st, msg, BH_CTL_STEP);
}

/* A breakpoint or watchpoint a replay found (reverse-continue). */
struct hit {
    uint64_t icount; /* UINT64_MAX: none */
    enum bh_ctl_reason reason;
    uint32_t watch_addr;
    unsigned watch_kind;
};

/* Run v forward from a checkpoint to exactly target: slices of half what
 * is left while more than fine is, then single instructions, stopping at
 * each recorded input's count too, so the console takes it where it took
 * it first.  A slice may overshoot its budget by a straight-line block:
 * -2 when one did (the caller starts again, finer).  A breakpoint or
 * watchpoint does not stop it; with hit, the last one before target is
 * kept there (watchpoints are then on: the caller's to set). */
static int replay(struct bh_ctl_vm *v, uint64_t target, struct hit *hit, uint64_t fine, char *err,
                  size_t errlen)
{
    struct bh_vm *vm = v->vm;
    struct bh_vm_ctl *ctl = bh_vm_ctl(vm);
    char msg[1024];
    uint64_t ic;
    while ((ic = bh_vm_icount(vm)) < target) {
        uint64_t stop = bh_history_next_input(v->hist, ic, target);
        bh_console_poll(bh_vm_console(vm)); /* input due now arrives now, as it did */
        msg[0] = '\0';
        int single = stop - ic <= fine;
        if (single && hit && bh_vm_break_at(vm, bh_vm_pc(vm))) /* a step runs over it */
            *hit = (struct hit){ic, BH_CTL_BREAK, 0, 0};
        enum bh_vm_state st = single ? bh_monitor_single(vm, msg, sizeof msg)
                                     : bh_monitor_step(vm, (int64_t)((stop - ic) / 2), msg, sizeof msg);
        if (ctl->debug_hit) {
            ctl->debug_hit = 0;
            uint64_t at = bh_vm_icount(vm);
            if (st == BH_VM_RUNNING && at < target) {
                if (hit && ctl->debug.kind == BH_EXIT_DEBUG) {
                    hit->icount = at;
                    hit->reason = ctl->debug.code == BH_DEBUG_BREAK ? BH_CTL_BREAK : BH_CTL_WATCH;
                    hit->watch_addr = ctl->debug.badvaddr;
                    hit->watch_kind = ctl->debug.flags;
                }
                bh_vm_watch_enable(vm, 0); /* over it */
                st = bh_monitor_single(vm, msg, sizeof msg);
                bh_vm_watch_enable(vm, hit != NULL);
                ctl->debug_hit = 0;
            }
        }
        if (st != BH_VM_RUNNING) {
            snprintf(err, errlen, "the replay stopped at instruction %llu (%s)%s%s",
                     (unsigned long long)bh_vm_icount(vm), bh_monitor_state_name(st),
                     msg[0] ? ": " : "", msg);
            return -1;
        }
        if (bh_vm_icount(vm) > stop) return -2;
    }
    return 0;
}

static int has_history(struct bh_ctl_vm *v, char *err, size_t errlen)
{
    if (v->hist) return 0;
    if (v->no_hist[0]) snprintf(err, errlen, "%s", v->no_hist);
    else snprintf(err, errlen, "%s keeps no history (--history 0)", v->name);
    return -1;
}

/* Restore the newest checkpoint at or before at (its count in *from),
 * then replay to target: in slices down to 256 instructions left, and
 * when a slice overshot (a longer straight-line block), again, finer, at
 * worst an instruction at a time. */
static int rewind_replay(struct bh_ctl_vm *v, uint64_t at, uint64_t target, struct hit *hit,
                         uint64_t *from, char *err, size_t errlen)
{
    static const uint64_t fine[] = {256, 4096, UINT64_MAX};
    for (unsigned k = 0; k < sizeof fine / sizeof fine[0]; k++) {
        if (bh_history_rewind(v->hist, at, err, errlen) != 0) return -1;
        if (from) *from = bh_vm_icount(v->vm);
        if (hit) hit->icount = UINT64_MAX;
        bh_vm_watch_enable(v->vm, hit != NULL);
        int rc = replay(v, target, hit, fine[k], err, errlen);
        bh_vm_watch_enable(v->vm, 1);
        if (rc != -2) return rc;
    }
    return -1; /* not reached: single instructions do not overshoot */
}

static int go(struct bh_ctl_vm *v, uint64_t target, char *err, size_t errlen)
{
    return rewind_replay(v, target, target, NULL, NULL, err, errlen);
}

static void paused_as(struct bh_ctl *c, size_t i, enum bh_ctl_reason r, const struct hit *hit)
{
    pthread_mutex_lock(&c->mu);
    c->vms[i].reason = r;
    if (hit) {
        c->vms[i].watch_addr = hit->watch_addr;
        c->vms[i].watch_kind = hit->watch_kind;
    }
    pthread_mutex_unlock(&c->mu);
}

int bh_ctl_goto(struct bh_ctl *c, size_t i, uint64_t target, char *err, size_t errlen)
{
    if (check_paused(c, i, err, errlen) != 0) return -1;
    struct bh_ctl_vm *v = &c->vms[i];
    if (has_history(v, err, errlen) != 0) return -1;
    /* What the host shows of the present stays shown (nothing is lost). */
    bh_console_close_output(bh_vm_console(v->vm));
    int rc = go(v, target, err, errlen);
    bh_console_close_output(bh_vm_console(v->vm));
    paused_as(c, i, BH_CTL_STEP, NULL);
    return rc;
}

int bh_ctl_reverse(struct bh_ctl *c, size_t i, char *err, size_t errlen)
{
    if (check_paused(c, i, err, errlen) != 0) return -1;
    struct bh_ctl_vm *v = &c->vms[i];
    if (has_history(v, err, errlen) != 0) return -1;
    bh_console_close_output(bh_vm_console(v->vm));
    uint64_t hi = bh_vm_icount(v->vm), oldest = bh_history_oldest(v->hist);
    struct hit hit = {UINT64_MAX, BH_CTL_STEP, 0, 0};
    int rc = 0;
    /* Each span between checkpoints, newest first, replayed with the
     * breakpoints and watchpoints on: the last hit of the first span that
     * has one. */
    while (rc == 0 && hit.icount == UINT64_MAX && hi > oldest) {
        uint64_t from = 0;
        rc = rewind_replay(v, hi - 1, hi, &hit, &from, err, errlen);
        hi = from;
    }
    if (rc == 0) rc = go(v, hit.icount == UINT64_MAX ? oldest : hit.icount, err, errlen);
    bh_console_close_output(bh_vm_console(v->vm));
    paused_as(c, i, rc == 0 && hit.icount != UINT64_MAX ? hit.reason : BH_CTL_STEP, &hit);
    return rc < 0 ? -1 : hit.icount == UINT64_MAX;
}

int bh_ctl_resume(struct bh_ctl *c, size_t i, char *err, size_t errlen)
{
    if (check_paused(c, i, err, errlen) != 0) return -1;
    struct bh_ctl_vm *v = &c->vms[i];
    /* Run the instruction at pc first: a breakpoint or watchpoint that
     * stopped it would stop it again before it ran. */
    char msg[1024];
    msg[0] = '\0';
    enum bh_vm_state st = step_one(v, msg, sizeof msg);
    if (after_step(c, i, st, msg, BH_CTL_RUNNING) == 1) return 0; /* it ended */
    pthread_mutex_lock(&c->mu);
    if (v->reason != BH_CTL_RUNNING) { /* that instruction hit a watchpoint */
        pthread_mutex_unlock(&c->mu);
        return 0;
    }
    v->parked = 0;
    wake(v);
    pthread_mutex_unlock(&c->mu);
    struct bh_ctl_event e = {.kind = BH_CTL_EV_RESUMED, .vm = i, .pc = bh_vm_pc(v->vm)};
    notify(c, &e);
    return 0;
}

int bh_ctl_release(struct bh_ctl *c, size_t i)
{
    pthread_mutex_lock(&c->mu);
    struct bh_ctl_vm *v = &c->vms[i];
    int was = v->reason != BH_CTL_RUNNING && v->reason != BH_CTL_ENDED;
    if (was) {
        v->reason = BH_CTL_RUNNING;
        v->parked = 0;
        v->want_pause = v->hold = 0;
    }
    pthread_mutex_unlock(&c->mu);
    return was;
}

void bh_ctl_quit(struct bh_ctl *c)
{
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->n; i++) {
        struct bh_ctl_vm *v = &c->vms[i];
        if (v->reason == BH_CTL_ENDED) continue;
        v->want_quit = 1;
        if (v->reason != BH_CTL_RUNNING) { /* paused: ours to end, then the scheduler's */
            struct bh_vm_ctl *ctl = bh_vm_ctl(v->vm);
            ctl->state = BH_VM_EXITED;
            ctl->exit_status = 0;
            v->reason = BH_CTL_RUNNING;
            v->parked = 0;
            wake(v);
        }
    }
    pthread_mutex_unlock(&c->mu);
}
