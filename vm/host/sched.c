/* sched.c: the scheduler: weighted round-robin turns of bh_monitor_step on
 * a pool of host threads, each turn charged the host CPU time it used (see
 * sched.h for the rules, docs/scheduling.md for the why).
 *
 * Every decision is taken under one mutex: which VM runs next, the round
 * counter, the waiting list, the charging of turns.  A turn itself (the
 * host time of 100,000 instructions by default, about a tenth of a
 * millisecond) runs without the lock, so with 1,000 VMs and a handful of
 * threads the lock is taken some twenty times per millisecond per thread:
 * nothing to contend over.
 *
 * Queues: VMs wait for their turn in one FIFO per round, for rounds R, R+1
 * and R+2 (a ring of three).  A thread takes from round R, else from R+1;
 * a VM that ends a turn of round r joins round r+1.  Round R is over when
 * its queue is empty and none of its turns is still running.
 *
 * Waiting for input: a waiting VM sits in a list.  Its input fd is polled
 * without blocking before each pick, and, when no VM can run, one thread
 * blocks in poll(2) on all of them plus a wake-up pipe (written when a VM
 * becomes runnable or starts waiting meanwhile).  A VM waiting for a held
 * input (fd -1: poll ignores it) leaves the list only by the hand-over.
 *
 * The hand-over of a shared input is decided under the lock when the
 * holder stops, and done by the receiving VM's thread before its next
 * turn: both VMs are still then (one stopped, one between turns), so no
 * device state is touched while its VM runs. */
#include "host/sched.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bh_util.h"
#include "machine/machine.h"

#define NONE ((size_t)-1)

struct fifo {
    size_t head, tail; /* VM indices linked through next_; NONE when empty */
};

struct sched {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct bh_sched_vm *vms;
    size_t n;
    struct bh_sched_hooks hooks;
    double t0;
    double ref_rate; /* the fastest VM's instructions per CPU second (see charge) */

    struct fifo q[3];       /* q[r % 3]: VMs waiting for their turn of round r */
    size_t inflight[3];     /* turns of round r % 3 running now */
    uint64_t round;         /* R: turns of R and R+1 may start */
    size_t live;            /* VMs not stopped */
    size_t stopped;         /* VMs stopped during this run */
    int idle;               /* threads in pthread_cond_wait */
    int nthreads;           /* workers started so far: each one's number */

    size_t *waiting;        /* VM indices waiting for input */
    size_t nwaiting;
    struct pollfd *pfd;     /* nwaiting + 1 (the wake-up pipe) */
    size_t *pidx;           /* the VM of each pfd */
    int polling;            /* a thread is blocked in poll() */
    int wake[2];            /* wake-up pipe, -1 if it could not be made */
};

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

/* The calling thread's CPU time: what a turn cost the host, without the
 * time its thread was preempted (other VMs' threads, other processes) or
 * blocked. */
static double cpu_now(void)
{
    return clock_seconds(CLOCK_THREAD_CPUTIME_ID);
}

int bh_sched_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* ---- queues (all under s->mu) ---- */

static void fifo_push(struct sched *s, struct fifo *f, size_t i)
{
    s->vms[i].next_ = NONE;
    if (f->tail == NONE) f->head = i;
    else s->vms[f->tail].next_ = i;
    f->tail = i;
}

static size_t fifo_pop(struct sched *s, struct fifo *f)
{
    size_t i = f->head;
    if (i == NONE) return NONE;
    f->head = s->vms[i].next_;
    if (f->head == NONE) f->tail = NONE;
    return i;
}

static int round_busy(const struct sched *s, uint64_t r)
{
    return s->q[r % 3].head != NONE || s->inflight[r % 3] != 0;
}

/* Move R forward past finished rounds, as long as some later round has
 * work (otherwise every live VM is waiting and R stays). */
static void advance(struct sched *s)
{
    while (!round_busy(s, s->round) && (round_busy(s, s->round + 1) || round_busy(s, s->round + 2)))
        s->round++;
}

static void wake_poller(struct sched *s)
{
    if (s->polling && s->wake[1] >= 0) {
        char c = 1;
        ssize_t r = write(s->wake[1], &c, 1); /* full pipe: a wake-up is pending anyway */
        (void)r;
    }
}

/* A VM becomes runnable: it joins the current round (as a woken task joins
 * at the minimum virtual time in CFS: no catch-up burst, no penalty). */
static void make_runnable(struct sched *s, size_t i, uint64_t round)
{
    s->vms[i].parked = 0;
    s->vms[i].round_ = round;
    fifo_push(s, &s->q[round % 3], i);
    advance(s);
    if (s->idle) pthread_cond_broadcast(&s->cv);
    wake_poller(s);
}

/* ---- waiting for input ---- */

/* -1 (ignored by poll) while the input is held: only the hand-over wakes it. */
static int input_fd(const struct bh_sched_vm *v)
{
    if (v->parked) return v->park_fd;
    const struct bh_console *d = bh_vm_console(v->vm);
    return d->in_held ? -1 : d->in_fd;
}

/* Fill pfd/pidx with the waiting VMs (and the wake pipe when blocking). */
static size_t poll_set(struct sched *s, int with_wake)
{
    size_t k = 0;
    for (size_t w = 0; w < s->nwaiting; w++) {
        s->pfd[k] = (struct pollfd){.fd = input_fd(&s->vms[s->waiting[w]]), .events = POLLIN};
        s->pidx[k++] = s->waiting[w];
    }
    if (with_wake && s->wake[0] >= 0) {
        s->pfd[k] = (struct pollfd){.fd = s->wake[0], .events = POLLIN};
        s->pidx[k++] = NONE;
    }
    return k;
}

/* Move the VMs whose input is ready (per pfd[0..k)) back into the rounds;
 * all of them when poll failed (their reads will tell what is wrong). */
static void wake_ready(struct sched *s, size_t k, int all)
{
    for (size_t j = 0; j < k; j++) {
        size_t i = s->pidx[j];
        if (i == NONE) {
            char buf[64];
            while (read(s->wake[0], buf, sizeof buf) > 0) {
            }
            continue;
        }
        if (!all && !s->pfd[j].revents) continue;
        for (size_t w = 0; w < s->nwaiting; w++) {
            if (s->waiting[w] != i) continue;
            s->waiting[w] = s->waiting[--s->nwaiting];
            make_runnable(s, i, s->round);
            break;
        }
    }
}

/* Waiting VMs the caller has work for (hooks.busy) rejoin the rounds. */
static void wake_busy(struct sched *s)
{
    if (!s->hooks.busy) return;
    for (size_t w = 0; w < s->nwaiting;) {
        size_t i = s->waiting[w];
        if (!s->hooks.busy(s->hooks.ctx, &s->vms[i])) {
            w++;
            continue;
        }
        s->waiting[w] = s->waiting[--s->nwaiting];
        make_runnable(s, i, s->round);
    }
}

/* Non-blocking check of the waiting VMs (under the lock). */
static void poll_now(struct sched *s)
{
    wake_busy(s);
    size_t k = poll_set(s, 0);
    int r;
    do r = poll(s->pfd, (nfds_t)k, 0);
    while (r < 0 && errno == EINTR);
    if (r != 0) wake_ready(s, k, r < 0);
}

/* No VM can run and some wait: block in poll (lock released meanwhile).
 * A signal (SIGUSR1) ends the poll early; the loop simply polls again. */
static void poll_block(struct sched *s)
{
    s->polling = 1;
    size_t k = poll_set(s, 1);
    int timeout = s->wake[0] >= 0 ? -1 : 10; /* without the pipe, look again every 10 ms */
    if (s->hooks.busy) timeout = BH_SCHED_BUSY_POLL_MS; /* a trigger (a signal) may come */
    pthread_mutex_unlock(&s->mu);
    int r = poll(s->pfd, (nfds_t)k, timeout);
    int e = errno;
    pthread_mutex_lock(&s->mu);
    s->polling = 0;
    if (r > 0 || (r < 0 && e != EINTR)) wake_ready(s, k, r < 0);
}

/* ---- shared input ---- */

/* v stopped: if it held the shared input (or was about to receive it),
 * the input goes to the next VM of the chain that has not stopped. */
static void pass_input(struct sched *s, struct bh_sched_vm *v)
{
    struct bh_sched_vm *src = v->input_from_ ? v->input_from_
                              : !bh_vm_console(v->vm)->in_held ? v : NULL;
    v->input_from_ = NULL;
    if (!src) return;
    struct bh_sched_vm *n = v->input_next;
    while (n && n->done_) n = n->input_next;
    if (!n) return;
    n->input_from_ = src;
    for (size_t w = 0; w < s->nwaiting; w++) {
        size_t i = s->waiting[w];
        if (&s->vms[i] != n) continue;
        s->waiting[w] = s->waiting[--s->nwaiting];
        make_runnable(s, i, s->round);
        break;
    }
}

/* ---- charging turns by host CPU time (all under s->mu) ----
 *
 * Weights share the host CPU, not instructions: an instruction that exits
 * to the monitor (a syscall) costs ten to forty times one that does not,
 * and counting instructions let a chatty VM take most of the CPU.  So each
 * turn is worth a quantum of host CPU time, slice * weight instructions at
 * the fastest VM's speed (ref_rate): a compute VM still runs slice *
 * weight instructions per turn, a VM ten times slower per instruction runs
 * a tenth of that.  The budget (always in instructions: the core counts
 * nothing else) is the VM's credit times its own recent speed, at most
 * slice * weight.  The turn is then charged the CPU time it really used,
 * on its thread's clock (see worker): a VM that overran its credit sits
 * out rounds until the quanta repay it, as in deficit round-robin.  Only
 * where turns end changes, and no VM's output or instruction count
 * depends on that. */

/* A turn has a fixed cost (the clock, the lock, entering the core): about
 * a microsecond here.  A quantum smaller than that (slices of a few
 * hundred instructions) would charge a VM mostly for it and make it sit
 * out hundreds of rounds per turn; each turn is worth at least this. */
#define MIN_QUANTUM 1e-6

static int64_t turn_insns(const struct bh_sched_vm *v)
{
    int64_t slice = v->slice > 0 ? v->slice : BH_SCHED_DEFAULT_SLICE;
    return slice * (int64_t)(v->weight ? v->weight : 1);
}

static double quantum(const struct sched *s, const struct bh_sched_vm *v)
{
    double q = (double)turn_insns(v) / s->ref_rate;
    double least = MIN_QUANTUM * (double)(v->weight ? v->weight : 1);
    return q > least ? q : least;
}

/* The budget of v's next turn in instructions, or 0 when, with this
 * round's quantum, its credit is still under half a quantum (it owes host
 * time: it skips the round; and a shorter turn would be mostly the turn's
 * fixed cost).  Never more than slice * weight instructions, the most a
 * turn ran before: a VM not measured yet runs that. */
static int64_t turn_budget(struct sched *s, struct bh_sched_vm *v)
{
    int64_t most = turn_insns(v);
    if (v->rate_ <= 0) return most;
    double q = quantum(s, v);
    v->credit_ += q;
    if (v->credit_ < q / 2) return 0;
    /* A VM at least half as fast as the fastest runs whole slices: speeds
     * measured on a busy host vary by tens of percent from turn to turn,
     * and shaving every turn by that noise would only add turns; what it
     * overruns is charged, and repaid by sitting out a round now and then
     * (a skip costs far less than a turn). */
    double b = v->credit_ * v->rate_;
    return b < (double)most / 2 ? (int64_t)b + 1 : most;
}

/* Charge v's turn: did instructions in used CPU seconds. */
static void charge(struct sched *s, struct bh_sched_vm *v, uint64_t did, double used,
                   enum bh_vm_state st)
{
    int first = v->rate_ <= 0;
    /* Only a turn that ran its whole budget tells the VM's speed: one cut
     * short by a wait ran a few instructions and mostly the turn's fixed
     * cost, and would make the next budgets tiny. */
    if (st == BH_VM_RUNNING && did > 0 && used > 0) {
        double r = (double)did / used;
        v->rate_ = first ? r : v->rate_ + (r - v->rate_) / 4; /* smooths one-off stalls */
        if (v->rate_ > s->ref_rate) s->ref_rate = v->rate_;
    }
    if (v->rate_ <= 0) return;
    if (first) v->credit_ = quantum(s, v); /* its first turn ran uncharged: charge it now */
    v->credit_ -= used;
    /* Time not used is not banked beyond one quantum (a turn shortened by a
     * hook, a fast patch), and not at all by a VM that waits: it rejoins
     * with no burst to make up, as it does in the rounds. */
    double q = quantum(s, v);
    if (v->credit_ > q) v->credit_ = q;
    if (st == BH_VM_WAITING && v->credit_ > 0) v->credit_ = 0;
}

/* ---- the workers ---- */

static size_t pick(struct sched *s)
{
    size_t i = fifo_pop(s, &s->q[s->round % 3]);
    if (i == NONE) i = fifo_pop(s, &s->q[(s->round + 1) % 3]);
    return i;
}

/* Take over the console input of the stopped VM from (see sched.h). */
static void take_input(struct bh_sched_vm *v, struct bh_sched_vm *from)
{
    struct bh_console *to = bh_vm_console(v->vm), *src = bh_vm_console(from->vm);
    to->in_held = 0;
    bh_console_attach(to, src->in, NULL, NULL);
    bh_console_pass_input(to, src);
}

static uint64_t exits_of(struct bh_vm *vm)
{
    const struct bh_stats *st = bh_vm_stats(vm);
    uint64_t n = 0;
    for (int k = 0; k < BH_STAT_EXITS; k++) n += st->nexits[k];
    return n;
}

/* One turn of VM i, without the lock; from: an input hand-over to do first.
 * Returns its state; *did_out: the instructions it ran; *cut_out: 1 when
 * the budget hook shortened the turn; rec (NULL when there is no turn
 * hook): its start, length, budget and exits. */
static enum bh_vm_state turn(struct sched *s, struct bh_sched_vm *v, int64_t budget, int fair,
                             struct bh_sched_vm *from, uint64_t *did_out, int *cut_out,
                             struct bh_sched_turn *rec)
{
    char msg[2048];
    if (from) take_input(v, from);
    *cut_out = 0;
    if (s->hooks.budget) {
        int64_t b = s->hooks.budget(s->hooks.ctx, v, budget);
        *cut_out = b < budget;
        budget = b;
    }
    uint64_t before = bh_vm_icount(v->vm);
    uint64_t exits = rec ? exits_of(v->vm) : 0;
    double t = now();
    msg[0] = '\0';
    enum bh_vm_state st = budget > 0 ? bh_monitor_step(v->vm, budget, msg, sizeof msg)
                                     : (enum bh_vm_state)bh_vm_ctl(v->vm)->state;
    double t1 = now();
    uint64_t did = bh_vm_icount(v->vm) - before;
    *did_out = did;
    if (rec) {
        rec->start = t - s->t0;
        rec->wall = t1 - t;
        rec->budget = budget;
        rec->insns = did;
        rec->exits = exits_of(v->vm) - exits;
        rec->state = st;
    }
    v->busy_seconds += t1 - t;
    v->insns += did;
    if (fair) v->fair_insns += did;
    v->turns++;
    if (st == BH_VM_WAITING) v->waits++;
    if (st == BH_VM_RUNNING || st == BH_VM_WAITING) {
        if (s->hooks.between) s->hooks.between(s->hooks.ctx, v);
    } else {
        v->state = st;
        v->end_seconds = t1 - s->t0;
        if (s->hooks.stopped) s->hooks.stopped(s->hooks.ctx, v, msg);
    }
    return st;
}

static void *worker(void *arg)
{
    struct sched *s = arg;
    /* This thread's CPU clock when its last turn ended: a turn is charged
     * from there to its own end, so one read of the clock (a system call,
     * about a microsecond) per turn is enough.  Waiting for work uses no
     * CPU; what lies between is picking the VM and its hooks. */
    double mark = cpu_now();
    pthread_mutex_lock(&s->mu);
    int self = s->nthreads++;
    while (s->live) {
        if (s->nwaiting && !s->polling) poll_now(s);
        size_t i = pick(s);
        if (i == NONE) {
            if (s->nwaiting && !s->polling) {
                poll_block(s);
            } else {
                s->idle++;
                pthread_cond_wait(&s->cv, &s->mu);
                s->idle--;
            }
            continue;
        }
        struct bh_sched_vm *v = &s->vms[i];
        uint64_t r = v->round_;
        int64_t budget = turn_budget(s, v);
        if (budget == 0) { /* it still owes host time: it sits this round out */
            v->round_ = r + 1;
            fifo_push(s, &s->q[(r + 1) % 3], i);
            advance(s);
            continue;
        }
        int fair = s->stopped == 0;
        struct bh_sched_vm *from = v->input_from_;
        v->input_from_ = NULL;
        s->inflight[r % 3]++;
        pthread_mutex_unlock(&s->mu);

        uint64_t did;
        struct bh_sched_turn rec;
        int cut;
        enum bh_vm_state st = turn(s, v, budget, fair, from, &did, &cut, s->hooks.turn ? &rec : NULL);
        double c = cpu_now(), used = c - mark;
        mark = c;
        v->cpu_seconds += used;
        if (fair) v->fair_cpu_seconds += used;
        if (s->hooks.turn) {
            rec.thread = self;
            rec.round = r;
            rec.cpu = used;
            s->hooks.turn(s->hooks.ctx, v, &rec);
        }

        pthread_mutex_lock(&s->mu);
        s->inflight[r % 3]--;
        /* A turn the budget hook shortened does not tell the VM's speed
         * (charge measures it from whole turns): mostly fixed cost, it
         * made the next budgets smaller, until the hook's cut of one was
         * 0 and the VM never ran again.  Its time is charged all the same. */
        charge(s, v, cut ? 0 : did, used, st);
        if (v->parked && (st == BH_VM_RUNNING || st == BH_VM_WAITING)) {
            s->waiting[s->nwaiting++] = i; /* until park_fd is readable */
            wake_poller(s);
        } else if (st == BH_VM_RUNNING) {
            v->round_ = r + 1;
            fifo_push(s, &s->q[(r + 1) % 3], i);
        } else if (st == BH_VM_WAITING && !v->input_from_ &&
                   !(s->hooks.busy && s->hooks.busy(s->hooks.ctx, v))) {
            s->waiting[s->nwaiting++] = i;
            wake_poller(s); /* the blocked poller must watch this fd too */
        } else if (st == BH_VM_WAITING) {
            /* The input came while it ran: take it over at once; or the
             * caller has work for it between turns (hooks.busy). */
            v->round_ = r + 1;
            fifo_push(s, &s->q[(r + 1) % 3], i);
        } else {
            v->done_ = 1;
            s->live--;
            s->stopped++;
            pass_input(s, v);
        }
        advance(s);
        if (s->idle) pthread_cond_broadcast(&s->cv);
        wake_poller(s);
    }
    pthread_cond_broadcast(&s->cv);
    wake_poller(s);
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int bh_sched_run(struct bh_sched_vm *vms, size_t n, const struct bh_sched_opts *o,
                 struct bh_sched_result *res, char *err, size_t errlen)
{
    struct sched s;
    memset(&s, 0, sizeof s);
    s.vms = vms;
    s.n = n;
    if (o) s.hooks = o->hooks;
    for (int k = 0; k < 3; k++) s.q[k].head = s.q[k].tail = NONE;
    s.waiting = malloc(sizeof *s.waiting * (n ? n : 1));
    s.pidx = malloc(sizeof *s.pidx * (n + 1));
    s.pfd = malloc(sizeof *s.pfd * (n + 1));
    if (!s.waiting || !s.pidx || !s.pfd) {
        free(s.waiting);
        free(s.pidx);
        free(s.pfd);
        return bh_errf(err, errlen, "scheduler: out of memory for %zu VMs", n);
    }
    s.wake[0] = s.wake[1] = -1;
    if (pipe(s.wake) == 0) {
        for (int k = 0; k < 2; k++) {
            fcntl(s.wake[k], F_SETFL, fcntl(s.wake[k], F_GETFL) | O_NONBLOCK);
            fcntl(s.wake[k], F_SETFD, FD_CLOEXEC);
        }
    } else {
        s.wake[0] = s.wake[1] = -1;
    }
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv, NULL);

    for (size_t i = 0; i < n; i++) {
        struct bh_sched_vm *v = &vms[i];
        int st = bh_vm_ctl(v->vm)->state;
        v->state = (enum bh_vm_state)st;
        v->input_from_ = NULL;
        v->parked = 0;
        v->done_ = st != BH_VM_RUNNING && st != BH_VM_WAITING;
        if (v->done_) continue; /* stopped already */
        v->round_ = 0;
        v->rate_ = v->credit_ = 0;
        fifo_push(&s, &s.q[0], i);
        s.live++;
    }
    for (size_t i = 0; i < n; i++)
        if (vms[i].done_) pass_input(&s, &vms[i]);

    int threads = o && o->threads > 0 ? o->threads : bh_sched_default_threads();
    if ((size_t)threads > s.live) threads = s.live ? (int)s.live : 1;
    s.t0 = now();
    /* The calling thread is one of the workers. */
    pthread_t *tid = malloc(sizeof *tid * (size_t)threads);
    int started = 0;
    for (int k = 1; tid && k < threads; k++) {
        if (pthread_create(&tid[k], NULL, worker, &s) != 0) break;
        started++;
    }
    worker(&s);
    for (int k = 1; k <= started; k++) pthread_join(tid[k], NULL);
    free(tid);

    if (res) {
        memset(res, 0, sizeof *res);
        res->threads = started + 1;
        res->rounds = s.round;
        res->seconds = now() - s.t0;
        for (size_t i = 0; i < n; i++) res->insns += vms[i].insns;
    }
    pthread_cond_destroy(&s.cv);
    pthread_mutex_destroy(&s.mu);
    if (s.wake[0] >= 0) {
        close(s.wake[0]);
        close(s.wake[1]);
    }
    free(s.waiting);
    free(s.pidx);
    free(s.pfd);
    return 0;
}

double bh_sched_jain(const struct bh_sched_vm *vms, size_t n)
{
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++) {
        double x = vms[i].fair_cpu_seconds / (double)(vms[i].weight ? vms[i].weight : 1);
        sum += x;
        sq += x * x;
    }
    if (n == 0 || sq == 0) return 1.0;
    return sum * sum / ((double)n * sq);
}

/* ---- command line ---- */

static const struct bh_option rows[] = {
    {"jobs", 'j', BH_OPT_GLUED, 0,
     "  -j N, --jobs N         run the VMs on N host threads (default: one per core)\n"},
};

/* -j N, -jN, --jobs N, --jobs=N */
static int apply_jobs(void *ctx, int id, const char *v, char *err, size_t errlen)
{
    uint64_t j;
    (void)id;
    if (bh_options_number(v, 0, &j) != 0 || j < 1 || j > 1024)
        return bh_errf(err, errlen, "-j needs a number of threads from 1 to 1024, not '%s'",
                       v ? v : "");
    *(int *)ctx = (int)j;
    return 0;
}

struct bh_option_set bh_sched_cli_options(int *threads)
{
    return (struct bh_option_set){rows, sizeof rows / sizeof rows[0], apply_jobs, threads};
}
