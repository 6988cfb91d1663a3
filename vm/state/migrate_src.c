/* migrate_src.c: live migration, the source's state machine (migrate.h;
 * the stream is specified in docs/migration-protocol.md, framed by
 * migrate_stream.c).
 *
 * Two threads per attempt.  The VM's own thread (its scheduler thread)
 * runs the VM and, between two slices, the tick: it decides (triggers,
 * rounds, the switch-over), and it alone touches the VM: it harvests the
 * dirty pages and copies pages and state into message bodies.  The
 * attempt's thread, started by the trigger, does all the network I/O:
 * connecting, the authentication and HELLO/WELCOME, sending the queued
 * bodies (with their tags), waiting for RECEIVED, CONFIRM and ACK.  They
 * share only a struct attempt, under its mutex: a queue of bodies (at
 * most two chunks, so pages are copied shortly before they go) and
 * the attempt thread's news (welcomed, drained, done, why it failed).
 * The VM never waits for the network: only the switch-over pauses it, and
 * then only that VM (the scheduler parks it on wake[0] and runs others).
 *
 * Source:  IDLE --trigger--> CONNECTING (the thread connects and shakes
 * hands; the VM runs) --WELCOME--> PRECOPY (round 0: every touched page;
 * round n: the pages the harvest found dirty during round n-1)
 * --converged, drained--> switch-over (the VM is parked: the final dirty
 * set, CPU, DEV, END are copied, the thread sends them, waits for
 * CONFIRM, then GO and ACK) --> GONE, or on any failure before the
 * destination took the VM --> the VM resumes here (back to IDLE: the next
 * SIGUSR2 or guest request tries again; --migrate-after fires only once).
 *
 * Nothing here prints: lines go to the caller's report callback, always
 * from the VM's thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "bh_util.h"
#include "config.h"
#include "image.h"
#include "mem.h"
#include "migrate.h"
#include "net.h"
#include "snapshot.h"
#include "vm.h"
#include "machine/machine.h"
#include "state/migrate_stream.h"

enum src_state { S_IDLE, S_PRECOPY, S_GONE };

/* What a cancelled attempt tells the destination (ABORT). */
#define CANCELLED "the migration was cancelled (migrate-cancel)"

/* auto-converge: the share of host time the VM is held back, per level */
static const unsigned throttle_pct[] = {0, 20, 40, 60, 80, 90, 95, 99};
#define THROTTLE_MAX (sizeof throttle_pct / sizeof throttle_pct[0] - 1)

/* A message's header and tag, at most (the progress estimate). */
#define MSG_MAX_HDR (MIG_HDR + MIG_TAG)

/* Queue entries besides messages: the attempt's thread waits for RECEIVED
 * of a round (Q_DRAIN, body: the round), or finishes the switch-over:
 * CONFIRM, GO, ACK (Q_FINISH). */
enum { Q_DRAIN = 100, Q_FINISH };

struct qmsg {
    struct qmsg *next;
    uint32_t type;
    size_t len, cap;
    uint8_t body[];
};

/* Sent messages kept for reuse, at most: a fresh 1 MiB body costs the
 * VM's thread a page fault per page it copies (0.4 to 0.7 ms, against
 * 0.07 ms into memory it wrote before), inside the pause too. */
#define SPARE_MAX 2u

/* One attempt, shared by the VM's thread and the attempt's thread. */
struct attempt {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int refs; /* the two threads: the last one frees it */
    /* set before the thread starts, then only read by it */
    char *addr;
    struct mig_psk psk;
    int timeout_ms;
    uint64_t max_bandwidth;
    uint64_t id;
    struct bh_buf hello;
    /* the VM's thread appends, the attempt's thread takes */
    struct qmsg *head, *tail;
    size_t queued;
    struct qmsg *spare; /* sent ones, for enqueue to fill again */
    unsigned nspare;
    int abandon; /* the VM's thread gave up on it: stop at the next chance */
    const char *stop_why; /* why (for ABORT): a cancel, or given up */
    /* the attempt's thread's news */
    int welcomed, drained, done, failed;
    char err[512];
    int taken;          /* after GO: 1 ACK, 0 refused, -1 no answer */
    char goerr[400];    /* why GO had no answer */
    double t_sent, t_confirm, t_end; /* END written, CONFIRM, the hand-over known */
    uint64_t bytes_out;
    double send_seconds;
    /* progress: the caller's callback, called under mu (set before the
     * thread starts; drop_attempt clears it);
     * what the handshake before HELLO sent (the attempt's thread), the
     * messages queued in all with their headers and the page bytes still
     * listed (the VM's thread) */
    bh_progress_fn progress;
    void *progress_ctx;
    uint64_t base, enqueued, left;
    int wake[2]; /* written once, when done: a parked VM's scheduler wakes */
    /* written when the attempt is to stop (abandon): every network wait
     * of the attempt's thread watches it, until GO (the commit point) */
    int cancel[2];
    struct bh_net_watch watch;
};

struct bh_mig_src {
    struct bh_mig_src_opts o;
    char *addr, *rescue;
    enum src_state state;
    struct mig_psk psk;
    struct attempt *a;
    pthread_t th;
    int listed;  /* WELCOME came and round 0 is listed */
    int paused;  /* the switch-over: the VM is parked */
    int away;    /* o.away said 1 (the switch-over began) and not yet 0 */
    uint64_t id;
    int requested;
    int after_fired; /* --migrate-after started one already: not again */
    unsigned attempts;
    struct bh_buf b;  /* outgoing bodies */
    /* the current round: pages to send (sorted), how many went */
    uint32_t *list;
    size_t nlist, cap, pos;
    /* the disk's blocks of the round (sorted; sent after its pages) */
    uint32_t *dlist;
    size_t ndlist, dcap, dpos;
    uint64_t disk_sectors; /* sent in DISK messages (END says how many) */
    int disk;              /* the VM has a disk */
    unsigned round;
    uint64_t round_pages;
    double round_start;
    uint64_t prev_dirty;
    unsigned throttle;
    double last_tick; /* end of the previous tick: the VM ran since */
    int timer_fd;     /* auto-converge parks the VM until it fires */
    int throttled;    /* parked on timer_fd since the last tick */
    double park_end;  /* when that park ended (the VM ran since) */
    /* totals */
    double t_start, t_pause;
    uint64_t pages_sent, touched_pages, bytes_out;
    const char *reason;
    char why[160];
    int draining; /* switch-over decided: waiting for the link to drain */
    int batching; /* src_pause queues without waking the attempt's thread */
    /* shared with the threads that start, cancel and query it: under smu
     * (m->a is written under it too, so a cancel finds a live attempt) */
    pthread_mutex_t smu;
    struct bh_mig_info info; /* published by the VM's thread */
    double t_asked;          /* when the latest migration was asked for */
    char *next_addr;         /* bh_migrate_src_start's address, for the tick */
    int start_req;           /* bh_migrate_src_start asked, the tick has not begun it */
    int cancel_req;          /* bh_migrate_src_cancel asked */
};

const char *bh_migrate_status_name(enum bh_mig_status st)
{
    static const char *const names[] = {"none",      "setup",     "active", "cancelling",
                                        "cancelled", "completed", "failed"};
    return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "?";
}

static int status_over(enum bh_mig_status st)
{
    return st == BH_MIG_NONE || st == BH_MIG_CANCELLED || st == BH_MIG_COMPLETED ||
           st == BH_MIG_FAILED;
}

/* A new status (with the error for FAILED), then the caller's callback
 * (no lock held). */
static void set_status(struct bh_mig_src *m, enum bh_mig_status st, const char *error)
{
    pthread_mutex_lock(&m->smu);
    if (st == BH_MIG_SETUP) { /* a new migration: new figures */
        m->t_asked = bh_net_now();
        memset(&m->info, 0, sizeof m->info);
    }
    if (status_over(st))
        m->info.total_time = bh_net_now() - m->t_asked;
    m->info.status = st;
    snprintf(m->info.error, sizeof m->info.error, "%s", error ? error : "");
    pthread_mutex_unlock(&m->smu);
    if (m->o.status)
        m->o.status(m->o.status_ctx, st);
}

/* The figures of the attempt, for bh_migrate_src_info (the VM's thread). */
static void publish(struct bh_mig_src *m)
{
    pthread_mutex_lock(&m->smu);
    m->info.transferred = m->bytes_out;
    m->info.pages = m->pages_sent;
    m->info.total = (uint64_t)m->touched_pages * BH_PAGE_SIZE;
    m->info.remaining = m->listed ? (uint64_t)(m->nlist - m->pos) * BH_PAGE_SIZE +
                                        (uint64_t)(m->ndlist - m->dpos) * BH_DISK_BLOCK
                                  : 0;
    m->info.rounds = m->listed ? m->round + 1 : 0;
    if (m->addr)
        snprintf(m->info.addr, sizeof m->info.addr, "%s", m->addr);
    pthread_mutex_unlock(&m->smu);
}

/* v[0..a) and v[a..n) are sorted: make v[0..n) sorted without repeats
 * (n shrinks through the caller's count). */
static void merge_sorted_into(uint32_t *v, size_t a, size_t *n)
{
    size_t total = *n;
    if (a == 0 || a == total)
        return;
    uint32_t *tmp = malloc(total * sizeof *tmp);
    if (!tmp) { /* fall back: insertion sort in place */
        for (size_t i = 1; i < total; i++)
            for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
                uint32_t t = v[j];
                v[j] = v[j - 1];
                v[j - 1] = t;
            }
    } else {
        size_t i = 0, j = a, k = 0;
        while (i < a || j < total)
            tmp[k++] = (j >= total || (i < a && v[i] <= v[j])) ? v[i++] : v[j++];
        memcpy(v, tmp, total * sizeof *tmp);
        free(tmp);
    }
    size_t w = 0;
    for (size_t i = 0; i < total; i++)
        if (w == 0 || v[w - 1] != v[i])
            v[w++] = v[i];
    *n = w;
}

/* ---------------------------------------------- the attempt's thread */

static void attempt_unref(struct attempt *a)
{
    pthread_mutex_lock(&a->mu);
    int left = --a->refs;
    pthread_mutex_unlock(&a->mu);
    if (left)
        return;
    while (a->head) {
        struct qmsg *q = a->head;
        a->head = q->next;
        free(q);
    }
    while (a->spare) {
        struct qmsg *q = a->spare;
        a->spare = q->next;
        free(q);
    }
    bh_buf_free(&a->hello);
    bh_mig_psk_clear(&a->psk);
    free(a->addr);
    close(a->wake[0]);
    close(a->wake[1]);
    close(a->cancel[0]);
    close(a->cancel[1]);
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
    free(a);
}

static int a_send(struct attempt *a, struct conn *c, uint32_t type, const void *body, size_t len,
                  char *err, size_t errlen)
{
    double t = bh_net_now();
    int rc = bh_mig_send(c, type, body, len, err, errlen);
    t = bh_net_now() - t;
    pthread_mutex_lock(&a->mu);
    a->send_seconds += t;
    a->bytes_out = c->bytes_out;
    /* under the mutex: once drop_attempt has cleared it, never again */
    if (a->progress)
        a->progress(a->progress_ctx,
                    &(struct bh_progress){a->bytes_out, a->base + MSG_MAX_HDR + a->hello.len +
                                                            a->enqueued + a->left, 0});
    pthread_mutex_unlock(&a->mu);
    return rc;
}

/* After GO without an ACK: ask the destination on a new connection (with
 * its own authentication and fresh nonces, so a recorded one cannot be
 * played again) whether it took the VM.  1 taken, 0 not taken, -1 no
 * answer. */
static int a_query(struct attempt *a)
{
    double deadline = bh_net_now() + 5.0;
    while (bh_net_now() < deadline) {
        char e[256];
        struct conn q;
        if (bh_mig_connect(&q, a->addr, &a->psk, 1000, NULL, e, sizeof e) == 0) {
            uint8_t id[8];
            bh_put64(id, a->id);
            uint32_t t;
            struct bh_buf in = {0};
            int rc = -1;
            if (bh_mig_send(&q, M_QUERY, id, 8, e, sizeof e) == 0 &&
                bh_mig_recv(&q, &t, &in, e, sizeof e) == 0 && t == M_STATUS && in.len == 12 &&
                bh_get64(in.data) == a->id)
                rc = bh_get32(in.data + 8) ? 1 : 0;
            bh_buf_free(&in);
            bh_mig_close(&q);
            if (rc >= 0)
                return rc;
        }
        bh_mig_sleep(0.2);
    }
    return -1;
}

/* Q_DRAIN: wait (at most 0.5 s) until the destination has taken in round
 * r (RECEIVED r); a REFUSE ends the attempt.  0, or -1 with err. */
static int a_drain(struct conn *c, struct bh_buf *in, uint32_t r, char *err, size_t errlen)
{
    double end = bh_net_now() + 0.5;
    for (;;) {
        int left = bh_net_ms_left(end), rc = left > 0 ? bh_net_readable(c->fd, left, c->watch) : 0;
        if (rc == -2)
            return bh_errf(err, errlen, "%s", c->watch->why);
        if (rc <= 0)
            return 0; /* not drained in time: switch over anyway */
        uint32_t t;
        if (bh_mig_recv(c, &t, in, err, errlen))
            return -1;
        if (t == M_REFUSE) {
            char txt[400];
            bh_mig_body_text(in, txt, sizeof txt);
            return bh_errf(err, errlen, "the destination refused the VM: %s", txt);
        }
        if (t != M_RECEIVED || in->len != 4)
            return bh_errf(err, errlen, "%s where RECEIVED was due", bh_mig_msg_name(t));
        if (bh_get32(in->data) == r)
            return 0;
    }
}

/* Q_FINISH: everything is sent: CONFIRM, then GO and ACK (or QUERY).
 * 0 with a->taken set, or -1 (the destination cannot have the VM). */
static int a_finish(struct attempt *a, struct conn *c, struct bh_buf *in, char *err,
                    size_t errlen)
{
    char e[400];
    uint32_t t;
    double t_sent = bh_net_now();
    do /* RECEIVED answers to earlier rounds may come first */
        if (bh_mig_recv(c, &t, in, err, errlen))
            return -1;
    while (t == M_RECEIVED);
    if (t == M_REFUSE) {
        bh_mig_body_text(in, e, sizeof e);
        return bh_errf(err, errlen, "the destination refused the VM: %s", e);
    }
    if (t != M_CONFIRM)
        return bh_errf(err, errlen, "%s where CONFIRM was due", bh_mig_msg_name(t));
    /* The destination has everything and checked it.  GO hands it over:
     * from here a cancel is too late (it would leave the outcome unknown). */
    c->watch = NULL;
    double t_confirm = bh_net_now();
    uint8_t go[8];
    bh_put64(go, a->id);
    if (a_send(a, c, M_GO, go, sizeof go, err, errlen))
        return -1; /* not even written: the destination cannot have it */
    int taken = -1;
    e[0] = '\0';
    if (bh_mig_recv(c, &t, in, e, sizeof e) == 0) {
        if (t == M_ACK && in->len == 8 && bh_get64(in->data) == a->id)
            taken = 1;
        else if (t == M_REFUSE)
            taken = 0;
        else
            snprintf(e, sizeof e, "%s where ACK was due", bh_mig_msg_name(t));
    }
    double t_end = bh_net_now();
    if (taken < 0) {
        snprintf(a->goerr, sizeof a->goerr, "%s", e);
        taken = a_query(a);
        t_end = bh_net_now();
    }
    bh_mig_close(c);
    pthread_mutex_lock(&a->mu);
    a->taken = taken;
    a->t_sent = t_sent;
    a->t_confirm = t_confirm;
    a->t_end = t_end;
    pthread_mutex_unlock(&a->mu);
    return 0;
}

static void *attempt_main(void *arg)
{
    struct attempt *a = arg;
    struct conn c = {.fd = -1};
    struct bh_buf in = {0};
    char e[400], err[512];
    uint32_t t;
    double t0 = bh_net_now();
    if (bh_mig_connect(&c, a->addr, &a->psk, a->timeout_ms, &a->watch, err, sizeof err))
        goto fail;
    pthread_mutex_lock(&a->mu);
    a->base = c.bytes_out;
    pthread_mutex_unlock(&a->mu);
    if (a_send(a, &c, M_HELLO, a->hello.data, a->hello.len, e, sizeof e) ||
        bh_mig_recv(&c, &t, &in, e, sizeof e)) {
        snprintf(err, sizeof err, "handshake: %s", e);
        goto fail;
    }
    if (t == M_REFUSE) {
        bh_mig_body_text(&in, e, sizeof e);
        snprintf(err, sizeof err, "the destination refused the VM: %s", e);
        goto fail;
    }
    if (t != M_WELCOME) {
        snprintf(err, sizeof err, "handshake: %s where WELCOME was due", bh_mig_msg_name(t));
        goto fail;
    }
    pthread_mutex_lock(&a->mu);
    a->welcomed = 1;
    pthread_mutex_unlock(&a->mu);
    for (;;) {
        pthread_mutex_lock(&a->mu);
        while (!a->head && !a->abandon)
            pthread_cond_wait(&a->cv, &a->mu);
        struct qmsg *q = a->abandon ? NULL : a->head;
        if (q) {
            a->head = q->next;
            if (!a->head)
                a->tail = NULL;
        }
        pthread_mutex_unlock(&a->mu);
        if (!q || bh_net_readable(a->cancel[0], 0, NULL) > 0) {
            free(q);
            goto fail; /* err: stop_why */
        }
        int rc = 0;
        if (q->type == Q_DRAIN) {
            rc = a_drain(&c, &in, bh_get32(q->body), err, sizeof err);
            pthread_mutex_lock(&a->mu);
            a->drained = 1;
            pthread_mutex_unlock(&a->mu);
        } else if (q->type == Q_FINISH) {
            rc = a_finish(a, &c, &in, err, sizeof err);
            free(q);
            if (rc)
                goto fail;
            break;
        } else {
            /* --max-bandwidth: wait here for the tokens (the VM runs on) */
            if (a->max_bandwidth) {
                double due = t0 + (double)(c.bytes_out + q->len) / (double)a->max_bandwidth;
                int ms = bh_net_ms_left(due);
                if (ms > 0 && bh_net_readable(a->cancel[0], ms, NULL) > 0) {
                    free(q);
                    goto fail; /* err: stop_why */
                }
            }
            rc = a_send(a, &c, q->type, q->body, q->len, err, sizeof err);
            pthread_mutex_lock(&a->mu);
            a->queued -= q->len;
            if (a->nspare < SPARE_MAX) {
                q->next = a->spare;
                a->spare = q;
                a->nspare++;
                q = NULL;
            }
            pthread_mutex_unlock(&a->mu);
        }
        free(q);
        if (rc)
            goto fail;
    }
    goto done;
fail:
    pthread_mutex_lock(&a->mu);
    if (a->abandon) /* whatever ended the wait, this is why */
        snprintf(err, sizeof err, "%s", a->stop_why);
    pthread_mutex_unlock(&a->mu);
    if (c.fd >= 0) {
        /* Best effort: tell the destination to discard what it has. */
        c.timeout_ms = 200;
        c.watch = NULL;
        bh_mig_send(&c, M_ABORT, err, strlen(err), e, sizeof e);
        bh_mig_close(&c);
    }
    pthread_mutex_lock(&a->mu);
    a->failed = 1;
    snprintf(a->err, sizeof a->err, "%s", err);
    pthread_mutex_unlock(&a->mu);
done:
    bh_buf_free(&in);
    pthread_mutex_lock(&a->mu);
    if (a->progress)
        a->progress(a->progress_ctx,
                    &(struct bh_progress){c.bytes_out, c.bytes_out, a->failed ? -1 : 1});
    a->done = 1;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    ssize_t w;
    do
        w = write(a->wake[1], "x", 1);
    while (w < 0 && errno == EINTR);
    attempt_unref(a);
    return NULL;
}

/* ------------------------------------------------- the VM's thread */

struct bh_mig_src *bh_migrate_src_new(const struct bh_mig_src_opts *o, char *err, size_t errlen)
{
    struct bh_mig_src *m = calloc(1, sizeof *m);
    if (!m) {
        bh_errf(err, errlen, "out of memory");
        return NULL;
    }
    m->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m->timer_fd < 0) {
        bh_errf(err, errlen, "timerfd: %s", strerror(errno));
        bh_migrate_src_free(m);
        return NULL;
    }
    pthread_mutex_init(&m->smu, NULL);
    if (o->addr ? bh_mig_setup_key(o->psk_file, o->addr, o->insecure, "--migrate", &m->psk, err,
                                   errlen)
                : bh_mig_setup_key(o->psk_file, "tcp:127.0.0.1:0", 1, "--migrate", &m->psk, err,
                                   errlen)) {
        bh_migrate_src_free(m);
        return NULL;
    }
    m->o = *o;
    m->addr = o->addr ? strdup(o->addr) : NULL;
    m->rescue = strdup(o->rescue_path ? o->rescue_path : "migration-rescue.snap");
    if ((o->addr && !m->addr) || !m->rescue) {
        bh_migrate_src_free(m);
        bh_errf(err, errlen, "out of memory");
        return NULL;
    }
    if (m->o.max_downtime <= 0)
        m->o.max_downtime = BH_MIG_DEFAULT_DOWNTIME_MS / 1000.0;
    if (!m->o.max_rounds)
        m->o.max_rounds = BH_MIG_DEFAULT_MAX_ROUNDS;
    if (m->o.timeout_ms <= 0)
        m->o.timeout_ms = 10000;
    return m;
}

/* Tell the attempt's thread to stop: it leaves any wait before GO at
 * once, sends ABORT saying why and ends. */
static void stop_attempt(struct attempt *a, const char *why)
{
    pthread_mutex_lock(&a->mu);
    if (!a->abandon)
        a->stop_why = why;
    a->abandon = 1;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    ssize_t w;
    do
        w = write(a->cancel[1], "x", 1);
    while (w < 0 && errno == EINTR);
}

/* Let go of the attempt: a thread that is done is joined; one still
 * blocked on the network (a hung destination) is left to end by itself
 * (its deadline, or the process's exit): nobody waits for it. */
static void drop_attempt(struct bh_mig_src *m)
{
    struct attempt *a = m->a;
    if (!a)
        return;
    stop_attempt(a, "abandoned");
    pthread_mutex_lock(&a->mu);
    a->progress = NULL; /* its context may go with the VM */
    int done = a->done;
    pthread_mutex_unlock(&a->mu);
    if (done)
        pthread_join(m->th, NULL);
    else
        pthread_detach(m->th);
    pthread_mutex_lock(&m->smu);
    m->a = NULL;
    pthread_mutex_unlock(&m->smu);
    attempt_unref(a);
}

void bh_migrate_src_free(struct bh_mig_src *m)
{
    if (!m)
        return;
    drop_attempt(m);
    if (m->timer_fd >= 0)
        close(m->timer_fd);
    bh_mig_psk_clear(&m->psk);
    bh_buf_free(&m->b);
    free(m->list);
    free(m->dlist);
    free(m->addr);
    free(m->next_addr);
    free(m->rescue);
    pthread_mutex_destroy(&m->smu);
    free(m);
}

void bh_migrate_src_request(struct bh_mig_src *m)
{
    m->requested = 1;
}
int bh_migrate_src_active(const struct bh_mig_src *m)
{
    return m->state == S_PRECOPY;
}

const char *bh_migrate_src_addr(const struct bh_mig_src *m)
{
    return m->addr ? m->addr : "";
}

int bh_migrate_src_start(struct bh_mig_src *m, const char *addr, char *err, size_t errlen)
{
    char host[256], port[8];
    if (!addr && !(addr = m->addr))
        return bh_errf(err, errlen, "no address to migrate to (tcp:HOST:PORT)");
    if (bh_net_parse_addr(addr, host, sizeof host, port, sizeof port, err, errlen) ||
        bh_mig_check_addr(addr, &m->psk, m->o.insecure, "migrate", err, errlen))
        return -1;
    char *copy = strdup(addr);
    if (!copy)
        return bh_errf(err, errlen, "out of memory");
    pthread_mutex_lock(&m->smu);
    enum bh_mig_status st = m->info.status;
    if (!status_over(st) || st == BH_MIG_COMPLETED) {
        pthread_mutex_unlock(&m->smu);
        free(copy);
        if (st == BH_MIG_COMPLETED)
            return bh_errf(err, errlen, "the VM has already migrated (to %s)", m->info.addr);
        return bh_errf(err, errlen,
                       "a migration of this VM is already under way (status %s): "
                       "migrate-cancel stops it",
                       bh_migrate_status_name(st));
    }
    free(m->next_addr);
    m->next_addr = copy;
    m->start_req = 1;
    m->cancel_req = 0;
    pthread_mutex_unlock(&m->smu);
    set_status(m, BH_MIG_SETUP, NULL);
    pthread_mutex_lock(&m->smu);
    snprintf(m->info.addr, sizeof m->info.addr, "%s", addr);
    pthread_mutex_unlock(&m->smu);
    return 0;
}

int bh_migrate_src_cancel(struct bh_mig_src *m)
{
    pthread_mutex_lock(&m->smu);
    enum bh_mig_status st = m->info.status;
    if (status_over(st)) {
        pthread_mutex_unlock(&m->smu);
        return 0;
    }
    if (st == BH_MIG_CANCELLING) {
        pthread_mutex_unlock(&m->smu);
        return 1;
    }
    if (m->start_req) { /* not begun yet: nothing to stop */
        m->start_req = 0;
        pthread_mutex_unlock(&m->smu);
        set_status(m, BH_MIG_CANCELLED, NULL);
        return 1;
    }
    m->cancel_req = 1;
    if (m->a)
        stop_attempt(m->a, CANCELLED);
    pthread_mutex_unlock(&m->smu);
    set_status(m, BH_MIG_CANCELLING, NULL);
    return 1;
}

void bh_migrate_src_info(struct bh_mig_src *m, struct bh_mig_info *info)
{
    pthread_mutex_lock(&m->smu);
    *info = m->info;
    if (!status_over(info->status))
        info->total_time = bh_net_now() - m->t_asked;
    pthread_mutex_unlock(&m->smu);
}

int bh_migrate_src_wait_fd(const struct bh_mig_src *m)
{
    if (!m->paused)
        return m->timer_fd;
    return m->a ? m->a->wake[0] : -1;
}

void bh_migrate_src_attach(struct bh_mig_src *m, struct bh_vm *vm)
{
    (void)m;
    bh_vm_ctl(vm)->mig_armed = 1;
}

int bh_migrate_src_pending(struct bh_mig_src *m, struct bh_vm *vm)
{
    /* GONE: the VM must still take the turn that finds it ended */
    if (m->state == S_PRECOPY || m->state == S_GONE)
        return 1;
    pthread_mutex_lock(&m->smu);
    int asked = m->start_req;
    pthread_mutex_unlock(&m->smu);
    return m->state == S_IDLE && (asked || m->requested || bh_vm_ctl(vm)->mig_request);
}

int64_t bh_migrate_src_budget(const struct bh_mig_src *m, const struct bh_vm *vm, int64_t slice)
{
    if (m->paused)
        return 0; /* the switch-over: the VM does not run */
    if (m->state == S_IDLE && m->o.after && !m->after_fired) {
        uint64_t ic = bh_vm_icount(vm);
        if (ic < m->o.after && m->o.after - ic < (uint64_t)slice)
            slice = (int64_t)(m->o.after - ic);
    }
    return slice;
}

static void list_add(void *ctx, uint32_t addr, const uint8_t *data, unsigned flags)
{
    struct bh_mig_src *m = ctx;
    (void)data;
    /* Text the program did not store into comes from the image the
     * destination checks. */
    if (!bh_page_carried(flags))
        return;
    if (m->nlist == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        uint32_t *v = realloc(m->list, cap * sizeof *v);
        if (!v)
            return; /* caught below: nlist stays short of the harvest's count */
        m->list = v;
        m->cap = cap;
    }
    m->list[m->nlist++] = addr;
}

static void dlist_add(void *ctx, uint32_t block)
{
    struct bh_mig_src *m = ctx;
    if (m->ndlist == m->dcap) {
        size_t cap = m->dcap ? m->dcap * 2 : 256;
        uint32_t *v = realloc(m->dlist, cap * sizeof *v);
        if (!v)
            return; /* caught by the callers: ndlist stays short */
        m->dlist = v;
        m->dcap = cap;
    }
    m->dlist[m->ndlist++] = block;
}

static void ignore_block(void *ctx, uint32_t block)
{
    (void)ctx;
    (void)block;
}

static void ignore_page(void *ctx, uint32_t addr, const uint8_t *data, unsigned flags)
{
    (void)ctx;
    (void)addr;
    (void)data;
    (void)flags;
}

/* Hand a body to the attempt's thread (it sends them in order). */
static int enqueue(struct bh_mig_src *m, uint32_t type, const void *body, size_t len, char *err,
                   size_t errlen)
{
    struct attempt *a = m->a;
    pthread_mutex_lock(&a->mu);
    struct qmsg *q = a->spare;
    if (q && q->cap >= len) {
        a->spare = q->next;
        a->nspare--;
    } else {
        q = NULL;
    }
    pthread_mutex_unlock(&a->mu);
    if (!q) {
        q = malloc(sizeof *q + len);
        if (!q)
            return bh_errf(err, errlen, "out of memory for a %zu-byte message", len);
        q->cap = len;
    }
    q->next = NULL;
    q->type = type;
    q->len = len;
    if (len)
        memcpy(q->body, body, len);
    pthread_mutex_lock(&a->mu);
    if (a->tail)
        a->tail->next = q;
    else
        a->head = q;
    a->tail = q;
    a->queued += len;
    a->enqueued += MSG_MAX_HDR + len; /* Q_DRAIN sends nothing, Q_FINISH sends GO */
    if (!m->batching)
        pthread_cond_signal(&a->cv);
    pthread_mutex_unlock(&a->mu);
    return 0;
}

/* For the progress estimate: the page bytes of the round not yet queued. */
static void note_left(struct bh_mig_src *m)
{
    pthread_mutex_lock(&m->a->mu);
    m->a->left = (uint64_t)(m->nlist - m->pos) * (BH_PAGE_SIZE + 8) +
                 (uint64_t)(m->ndlist - m->dpos) * (BH_DISK_BLOCK + 12);
    pthread_mutex_unlock(&m->a->mu);
}

/* Link rate in bytes per second, as measured, capped by --max-bandwidth. */
static double link_rate(const struct bh_mig_src *m)
{
    pthread_mutex_lock(&m->a->mu);
    double secs = m->a->send_seconds, bytes = (double)m->a->bytes_out;
    pthread_mutex_unlock(&m->a->mu);
    double r = secs > 1e-6 ? bytes / secs : 1e9;
    if (m->o.max_bandwidth && r > (double)m->o.max_bandwidth)
        r = (double)m->o.max_bandwidth;
    return r;
}

/* Pages per message: what the link carries in about 10 ms, so a limited
 * link is not flooded in bursts, and at most MIG_CHUNK_MAX. */
static size_t chunk_pages(const struct bh_mig_src *m)
{
    size_t n = MIG_CHUNK_MAX;
    if (m->o.max_bandwidth) {
        uint64_t k = m->o.max_bandwidth / 100 / BH_PAGE_SIZE;
        n = k < 1 ? 1 : k < n ? (size_t)k : n;
    }
    return n;
}

/* Bytes of bodies queued for the attempt's thread at most: two chunks (of
 * chunk_pages: with --max-bandwidth, 20 ms of the link), so that a round
 * ends when its pages are nearly sent, not when they are queued: a round
 * that ended with its pages still queued measured no dirtying and sent
 * the backlog's dirtying in the pause (issue 20's rounds). */
static size_t queue_max(const struct bh_mig_src *m)
{
    return 2u * chunk_pages(m) * (BH_PAGE_SIZE + 8u);
}

/* Copy the next n pages of the list into a PAGES body and queue it. */
static int send_pages(struct bh_mig_src *m, struct bh_vm *vm, size_t n, char *err, size_t errlen)
{
    m->b.len = 0;
    if (bh_snap_put_mem_pages(&m->b, vm, m->list + m->pos, n, err, errlen) ||
        enqueue(m, M_PAGES, m->b.data, m->b.len, err, errlen))
        return -1;
    m->pos += n;
    m->pages_sent += n;
    m->round_pages += n;
    note_left(m);
    return 0;
}

/* Copy the next n disk blocks of the list into a DISK body and queue it
 * (n may be 0 at the pause: the body still carries the registers). */
static int send_disk(struct bh_mig_src *m, struct bh_vm *vm, size_t n, char *err, size_t errlen)
{
    const struct bh_disk *d = bh_vm_disk(vm);
    m->b.len = 0;
    if (bh_snap_put_disk_blocks(&m->b, vm, m->dlist + m->dpos, n, err, errlen) ||
        enqueue(m, M_DISK, m->b.data, m->b.len, err, errlen))
        return -1;
    for (size_t i = 0; i < n; i++) {
        uint32_t first = m->dlist[m->dpos + i] * BH_DISK_BLOCK_SECTORS, left = d->nsectors - first;
        m->disk_sectors += left < BH_DISK_BLOCK_SECTORS ? left : BH_DISK_BLOCK_SECTORS;
    }
    m->dpos += n;
    note_left(m);
    return 0;
}

/* Round 0's disk blocks: every block of the image's data extents (a
 * sparse image's holes are zero at the destination already), after the
 * dirty bits are cleared, as for pages. */
static int list_disk(struct bh_mig_src *m, struct bh_vm *vm)
{
    struct bh_disk *d = bh_vm_disk(vm);
    m->ndlist = m->dpos = 0;
    if (!d)
        return 0;
    bh_disk_harvest(d, ignore_block, NULL);
    uint32_t nb = bh_disk_nblocks(d);
    for (uint32_t s = bh_disk_data_from(d, 0); s < d->nsectors;) {
        uint32_t end = bh_disk_hole_from(d, s);
        uint32_t last = end > s ? (end - 1) / BH_DISK_BLOCK_SECTORS : s / BH_DISK_BLOCK_SECTORS;
        for (uint32_t b = s / BH_DISK_BLOCK_SECTORS; b <= last && b < nb; b++) {
            if (m->ndlist && m->dlist[m->ndlist - 1] >= b)
                continue; /* an extent that began inside the last block */
            size_t before = m->ndlist;
            dlist_add(m, b);
            if (m->ndlist == before)
                return -1;
        }
        s = bh_disk_data_from(d, (last + 1) * BH_DISK_BLOCK_SECTORS);
    }
    return 0;
}

static int send_round(struct bh_mig_src *m, uint32_t flags, uint64_t dirty, char *err,
                      size_t errlen)
{
    uint8_t r[24];
    bh_put32(r, m->round);
    bh_put32(r + 4, flags);
    bh_put64(r + 8, m->round_pages);
    bh_put64(r + 16, dirty);
    return enqueue(m, M_ROUND, r, sizeof r, err, errlen);
}

/* Start: HELLO (version, page size, id, image hash, memory size, IDENT,
 * IMAGE) written here, then the attempt's thread connects and sends it. */
static int src_start(struct bh_mig_src *m, struct bh_vm *vm, char *err, size_t errlen)
{
    char e[256];
    m->t_start = bh_net_now();
    m->t_pause = 0;
    m->reason = NULL;
    m->draining = 0;
    m->listed = 0;
    m->paused = 0;
    m->round = 0;
    m->pages_sent = m->touched_pages = m->bytes_out = m->disk_sectors = 0;
    m->id = bh_mig_random_id();
    struct attempt *a = calloc(1, sizeof *a);
    if (!a)
        return bh_errf(err, errlen, "out of memory");
    if (pipe(a->wake)) {
        free(a);
        return bh_errf(err, errlen, "pipe: %s", strerror(errno));
    }
    if (pipe(a->cancel)) {
        close(a->wake[0]);
        close(a->wake[1]);
        free(a);
        return bh_errf(err, errlen, "pipe: %s", strerror(errno));
    }
    for (int k = 0; k < 2; k++) {
        fcntl(a->wake[k], F_SETFD, FD_CLOEXEC);
        fcntl(a->cancel[k], F_SETFD, FD_CLOEXEC);
        fcntl(a->cancel[k], F_SETFL, O_NONBLOCK);
    }
    a->watch = (struct bh_net_watch){a->cancel[0], 0, "stopped"};
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->cv, NULL);
    a->refs = 1;
    pthread_mutex_lock(&m->smu);
    m->a = a;
    if (m->cancel_req) /* cancelled while this was being set up */
        stop_attempt(a, CANCELLED);
    pthread_mutex_unlock(&m->smu);
    a->addr = strdup(m->addr);
    a->psk = m->psk;
    a->timeout_ms = m->o.timeout_ms;
    a->max_bandwidth = m->o.max_bandwidth;
    a->progress = m->o.progress;
    a->progress_ctx = m->o.progress_ctx;
    /* until WELCOME lists round 0: every page in use */
    a->left = (uint64_t)bh_mem_pages_in_use(bh_vm_mem(vm)) * (BH_PAGE_SIZE + 8);
    a->id = m->id;
    a->taken = -1;
    uint8_t *img = NULL;
    size_t ilen = 0;
    if (bh_image_write(bh_vm_image(vm), &img, &ilen, e, sizeof e))
        return bh_errf(err, errlen, "handshake: %s", e);
    struct bh_buf *b = &a->hello;
    bh_buf_put32(b, MIG_VERSION);
    bh_buf_put32(b, BH_PAGE_SIZE);
    bh_buf_put64(b, m->id);
    bh_buf_put64(b, bh_vm_image_hash(vm));
    bh_buf_put64(b, bh_vm_mem_limit(vm));
    size_t at = b->len;
    bh_buf_put32(b, 0);
    bh_snap_put_ident(b, vm);
    if (!b->oom)
        bh_put32(b->data + at, (uint32_t)(b->len - at - 4));
    bh_buf_put32(b, (uint32_t)ilen);
    bh_buf_append(b, img, ilen);
    free(img);
    const struct bh_disk *disk = bh_vm_disk(vm);
    bh_buf_put64(b, disk ? (uint64_t)disk->nsectors * BH_DISK_SECTOR : 0);
    m->disk = disk != NULL;
    if (b->oom || !a->addr)
        return bh_errf(err, errlen, "out of memory");
    a->refs = 2;
    int rc = pthread_create(&m->th, NULL, attempt_main, a);
    if (rc) {
        a->refs = 1;
        return bh_errf(err, errlen, "starting the migration thread: %s", strerror(rc));
    }
    return 0;
}

/* WELCOME came: the round-0 list (every touched page, every disk block
 * with data).  -1: out of memory. */
static int src_list(struct bh_mig_src *m, struct bh_vm *vm)
{
    /* Clear the dirty bits first: every store from now on is seen again,
     * while the walk below lists what exists now. */
    bh_mem_dirty_harvest(bh_vm_mem(vm), ignore_page, NULL);
    m->nlist = m->pos = 0;
    bh_mem_foreach_page(bh_vm_mem(vm), list_add, m);
    m->touched_pages = m->nlist;
    if (list_disk(m, vm))
        return -1;
    note_left(m);
    m->round = 0;
    m->round_pages = 0;
    m->round_start = bh_net_now();
    m->prev_dirty = UINT64_MAX;
    m->throttle = 0;
    m->listed = 1;
    publish(m);
    set_status(m, BH_MIG_ACTIVE, NULL);
    char attempt[32] = "";
    if (m->attempts > 1)
        snprintf(attempt, sizeof attempt, " (attempt %u)", m->attempts);
    bh_mig_report(m->o.report, m->o.report_ctx,
                  "migrate: to %s%s: started at instruction %llu, %llu pages touched (%.1f MiB); "
                  "connected in %.1f ms while the VM ran",
                  m->addr, attempt, (unsigned long long)bh_vm_icount(vm),
                  (unsigned long long)m->nlist, (double)m->nlist * BH_PAGE_SIZE / 1048576.0,
                  (bh_net_now() - m->t_start) * 1000.0);
    if (bh_vm_disk(vm))
        bh_mig_report(m->o.report, m->o.report_ctx,
                      "migrate: the disk: %llu blocks with data (%.1f MiB) go with round 0",
                      (unsigned long long)m->ndlist,
                      (double)m->ndlist * BH_DISK_BLOCK / 1048576.0);
    return 0;
}

static void src_summary(struct bh_mig_src *m, const char *outcome, double downtime)
{
    double total = bh_net_now() - m->t_start;
    double mem = (double)(m->touched_pages ? m->touched_pages : 1) * BH_PAGE_SIZE;
    char disk[64] = "";
    if (m->disk)
        snprintf(disk, sizeof disk, ", disk sectors sent %llu",
                 (unsigned long long)m->disk_sectors);
    bh_mig_report(
        m->o.report, m->o.report_ctx,
        "migrate: summary: %s; rounds %u, pages sent %llu, bytes sent %llu (%.2f x the %.1f MiB "
        "touched)%s, total %.1f ms, downtime %.2f ms, switch-over: %s",
        outcome, m->round + 1, (unsigned long long)m->pages_sent,
        (unsigned long long)m->bytes_out, (double)m->bytes_out / mem, mem / 1048576.0, disk,
        total * 1000.0, downtime * 1000.0, m->reason ? m->reason : "none (failed before)");
}

/* Any failure before the destination could have taken the VM. */
static enum bh_mig_tick src_fail(struct bh_mig_src *m, const char *why)
{
    if (m->a) {
        pthread_mutex_lock(&m->a->mu);
        m->bytes_out = m->a->bytes_out;
        pthread_mutex_unlock(&m->a->mu);
    }
    drop_attempt(m); /* a thread still running sends ABORT and ends */
    if (m->away) { /* the switch-over failed: the VM is back */
        m->away = 0;
        m->o.away(m->o.away_ctx, 0);
    }
    pthread_mutex_lock(&m->smu);
    int cancelled = m->cancel_req;
    m->cancel_req = 0;
    pthread_mutex_unlock(&m->smu);
    if (cancelled)
        bh_mig_report(m->o.report, m->o.report_ctx,
                      "migrate: cancelled (migrate-cancel); the VM runs on here");
    else
        bh_mig_report(m->o.report, m->o.report_ctx,
                      "migrate: failed: %.*s; the VM resumes here (SIGUSR2 or syscall 60 tries "
                      "again)%s",
                      (int)bh_err_len(why), why, why + bh_err_len(why));
    if (m->t_start > 0)
        src_summary(m,
                    m->t_pause > 0 ? (cancelled ? "cancelled, VM resumed on the source"
                                                : "failed, VM resumed on the source")
                    : cancelled    ? "cancelled, the VM was never paused"
                                   : "failed, the VM was never paused",
                    m->t_pause > 0 ? bh_net_now() - m->t_pause : 0);
    /* Back to waiting for a trigger: the destination, which discarded
     * what it got, waits for the next source, so a retry can succeed. */
    m->state = S_IDLE;
    m->throttle = 0;
    m->draining = 0;
    m->batching = 0;
    m->paused = 0;
    publish(m);
    char desc[400];
    snprintf(desc, sizeof desc, "%.*s", (int)bh_err_len(why), why);
    set_status(m, cancelled ? BH_MIG_CANCELLED : BH_MIG_FAILED, cancelled ? NULL : desc);
    return BH_MIG_RUN;
}

/* Pause: the final dirty set, CPU, DEV and END copied and queued; the
 * VM stays parked until the attempt's thread is done. */
static enum bh_mig_tick src_pause(struct bh_mig_src *m, struct bh_vm *vm, double now)
{
    char e[512];
    m->draining = 0;
    /* The VM's last slice ended when this tick began: downtime starts
     * there (no auto-converge sleep in between, it would only add to the
     * pause). */
    m->t_pause = now;
    /* merge what was dirtied while draining into the final set */
    size_t old = m->nlist;
    uint64_t more = bh_mem_dirty_harvest(bh_vm_mem(vm), list_add, m);
    if (m->nlist - old < more)
        return src_fail(m, "out of memory for the dirty page list");
    merge_sorted_into(m->list, old, &m->nlist);
    m->pos = 0;
    if (m->disk) { /* the same for the disk's blocks */
        size_t dold = m->ndlist;
        if (bh_disk_harvest(bh_vm_disk(vm), dlist_add, m) != m->ndlist - dold)
            return src_fail(m, "out of memory for the dirty disk block list");
        merge_sorted_into(m->dlist, dold, &m->ndlist);
        m->dpos = 0;
    }
    uint64_t last = m->nlist;
    char blocks[48] = "";
    if (m->disk)
        snprintf(blocks, sizeof blocks, " and %llu disk blocks", (unsigned long long)m->ndlist);
    if (m->o.away) { /* before anything the destination needs to take it */
        m->away = 1;
        m->o.away(m->o.away_ctx, 1);
    }
    bh_mig_report(m->o.report, m->o.report_ctx,
                  "migrate: pausing the VM: %llu dirty pages%s left, switch-over: %s",
                  (unsigned long long)last, blocks, m->reason);
    m->round++;
    m->round_pages = 0;
    /* Everything below is queued first and the attempt's thread woken
     * once, at the end: woken at the first message, it (and the
     * destination it wakes) can take this thread's CPU while it still
     * copies, for a whole time slice. */
    m->batching = 1;
    if (send_round(m, 1, last, e, sizeof e))
        return src_fail(m, e);
    while (m->pos < m->nlist) {
        size_t n = m->nlist - m->pos, k = chunk_pages(m);
        if (n > k)
            n = k;
        if (send_pages(m, vm, n, e, sizeof e))
            return src_fail(m, e);
    }
    /* The disk's last blocks, and its registers (at least one DISK). */
    for (int first = 1; m->disk && (first || m->dpos < m->ndlist); first = 0) {
        size_t n = m->ndlist - m->dpos, k = chunk_pages(m);
        if (send_disk(m, vm, n > k ? k : n, e, sizeof e))
            return src_fail(m, e);
    }
    /* The host shows the unfinished line now; the destination goes on
     * from there (DEV carries "mid-line"). */
    bh_console_flush(bh_vm_console(vm));
    m->b.len = 0;
    bh_snap_put_cpu(&m->b, vm);
    if (m->b.oom || enqueue(m, M_CPU, m->b.data, m->b.len, e, sizeof e))
        return src_fail(m, m->b.oom ? "out of memory" : e);
    if (bh_vm_machine(vm) == BH_MACHINE_BARE) {
        m->b.len = 0;
        bh_snap_put_mmu(&m->b, vm);
        if (m->b.oom || enqueue(m, M_MMU, m->b.data, m->b.len, e, sizeof e))
            return src_fail(m, m->b.oom ? "out of memory" : e);
    }
    m->b.len = 0;
    bh_snap_put_dev(&m->b, vm);
    if (m->b.oom || enqueue(m, M_DEV, m->b.data, m->b.len, e, sizeof e))
        return src_fail(m, m->b.oom ? "out of memory" : e);
    for (const uint32_t *t = bh_snap_dev_secs; *t; t++) {
        if (!bh_snap_has_section(vm, *t))
            continue;
        m->b.len = 0;
        bh_buf_put32(&m->b, *t);
        bh_buf_put32(&m->b, bh_snapfile_sec_version(*t));
        if (bh_snap_put_section(&m->b, vm, *t) ||
            enqueue(m, M_SECTION, m->b.data, m->b.len, e, sizeof e))
            return src_fail(m, m->b.oom ? "out of memory" : e);
    }
    uint8_t end[20];
    bh_put64(end, m->pages_sent);
    bh_put32(end + 8, m->round + 1);
    bh_put64(end + 12, m->disk_sectors);
    m->batching = 0;
    if (enqueue(m, M_END, end, sizeof end, e, sizeof e) || enqueue(m, Q_FINISH, NULL, 0, e, sizeof e))
        return src_fail(m, e);
    m->paused = 1;
    return BH_MIG_PAUSED;
}

/* The attempt's thread is done: take its outcome. */
static enum bh_mig_tick src_collect(struct bh_mig_src *m, struct bh_vm *vm)
{
    struct attempt *a = m->a;
    char e[600];
    pthread_mutex_lock(&a->mu);
    m->bytes_out = a->bytes_out;
    int failed = a->failed, taken = a->taken;
    double t_sent = a->t_sent, t_confirm = a->t_confirm, t_end = a->t_end;
    snprintf(e, sizeof e, "%s", failed ? a->err : a->goerr);
    pthread_mutex_unlock(&a->mu);
    if (failed)
        return src_fail(m, e);
    drop_attempt(m);
    m->paused = 0;
    double downtime = t_end - m->t_pause;
    /* Where the pause went: the final set and state written, the
     * destination's check (CONFIRM), the hand-over (ACK). */
    bh_mig_report(
        m->o.report, m->o.report_ctx,
        "migrate: pause: %.2f ms to write the last %llu pages and the state, CONFIRM after "
        "%.2f ms more, ACK after %.2f ms more",
        (t_sent - m->t_pause) * 1000.0, (unsigned long long)m->nlist,
        (t_confirm - t_sent) * 1000.0, (t_end - t_confirm) * 1000.0);
    if (e[0])
        bh_mig_report(m->o.report, m->o.report_ctx,
                      "migrate: no answer to GO (%s): asked the destination whether it took the "
                      "VM: %s",
                      e, taken > 0 ? "yes" : taken == 0 ? "no" : "no answer");
    if (taken == 0) {
        m->t_pause = bh_net_now() - downtime; /* the summary's downtime */
        return src_fail(m, "the destination did not take the VM after GO");
    }
    if (taken < 0) {
        /* Nobody can tell whether the destination runs it: resuming could
         * run it twice, dropping it could lose it.  Keep it on disk. */
        char se[512];
        if (bh_snapshot_save(vm, m->rescue, se, sizeof se) == 0)
            bh_mig_report(
                m->o.report, m->o.report_ctx,
                "migrate: the destination cannot be reached to confirm the hand-over; the VM "
                "is not resumed here (it may run there); its state is saved in %s: resume "
                "it with 'myvmm -s %s' only if the destination does not run it",
                m->rescue, m->rescue);
        else
            bh_mig_report(m->o.report, m->o.report_ctx,
                          "migrate: the destination cannot be reached and saving %s failed: %s",
                          m->rescue, se);
        src_summary(m, "outcome unknown, VM saved", downtime);
        m->state = S_GONE;
        char desc[400];
        snprintf(desc, sizeof desc,
                 "the destination cannot be reached to confirm the hand-over; the VM is saved "
                 "in %s",
                 m->rescue);
        publish(m);
        set_status(m, BH_MIG_FAILED, desc);
        return BH_MIG_GONE;
    }
    if (m->o.round_log) {
        struct bh_mig_round_stat rs = {m->attempts, m->round, m->round_pages, 0, 0, 0, downtime};
        m->o.round_log(m->o.round_ctx, &rs);
    }
    src_summary(m, "handed over to the destination", downtime);
    m->state = S_GONE;
    m->pos = m->nlist;
    m->dpos = m->ndlist;
    publish(m);
    pthread_mutex_lock(&m->smu);
    m->info.downtime = downtime;
    pthread_mutex_unlock(&m->smu);
    set_status(m, BH_MIG_COMPLETED, NULL);
    return BH_MIG_GONE;
}

/* End of a round: harvest what the VM dirtied meanwhile, decide. */
static enum bh_mig_tick src_end_round(struct bh_mig_src *m, struct bh_vm *vm, double now)
{
    char e[512];
    double secs = now - m->round_start;
    m->nlist = m->pos = 0;
    uint64_t dirty = bh_mem_dirty_harvest(bh_vm_mem(vm), list_add, m);
    if (m->nlist < dirty && m->nlist < m->cap) /* a failed realloc in list_add */
        return src_fail(m, "out of memory for the dirty page list");
    m->ndlist = m->dpos = 0;
    if (m->disk && bh_disk_harvest(bh_vm_disk(vm), dlist_add, m) != m->ndlist)
        return src_fail(m, "out of memory for the dirty disk block list");
    /* pages and disk blocks both go in the next round (and the pause) */
    uint64_t left = m->nlist + m->ndlist;
    note_left(m);
    double rate = link_rate(m);
    double est = ((double)m->nlist * (BH_PAGE_SIZE + 8) + (double)m->ndlist * (BH_DISK_BLOCK + 12)) /
                 rate;
    char slowed[48] = "";
    if (m->throttle)
        snprintf(slowed, sizeof slowed, "; VM slowed by %u%%", throttle_pct[m->throttle]);
    if (m->o.round_log) {
        struct bh_mig_round_stat rs = {m->attempts, m->round,    m->round_pages, secs,
                                       secs > 0 ? (double)m->nlist / secs : 0, m->nlist, -1};
        m->o.round_log(m->o.round_ctx, &rs);
    }
    char blocks[48] = "";
    if (m->disk)
        snprintf(blocks, sizeof blocks, ", disk blocks %llu", (unsigned long long)m->ndlist);
    bh_mig_report(
        m->o.report, m->o.report_ctx,
        "migrate: round %u: %llu pages sent in %.1f ms (%.1f MB/s); dirty pages left %llu%s "
        "(%.1f ms to send)%s",
        m->round, (unsigned long long)m->round_pages, secs * 1000.0,
        secs > 0 ? (double)m->round_pages * BH_PAGE_SIZE / secs / 1e6 : 0.0,
        (unsigned long long)m->nlist, blocks, est * 1000.0, slowed);
    if (send_round(m, 0, m->nlist, e, sizeof e))
        return src_fail(m, e);
    if (est <= m->o.max_downtime) {
        if (m->disk)
            snprintf(m->why, sizeof m->why,
                     "the %llu dirty pages and %llu disk blocks fit the %.0f ms downtime budget",
                     (unsigned long long)m->nlist, (unsigned long long)m->ndlist,
                     m->o.max_downtime * 1000.0);
        else
            snprintf(m->why, sizeof m->why, "the %llu dirty pages fit the %.0f ms downtime budget",
                     (unsigned long long)m->nlist, m->o.max_downtime * 1000.0);
        m->reason = m->why;
    } else if (m->round + 1 >= m->o.max_rounds) {
        snprintf(m->why, sizeof m->why, "round limit (%u) reached", m->o.max_rounds);
        m->reason = m->why;
    } else if (m->round >= 1 && left >= m->prev_dirty) {
        /* The dirty set stopped shrinking: hold the VM back (auto-converge),
         * and once that is at its maximum, stop anyway. */
        if (m->throttle < THROTTLE_MAX) {
            m->throttle++;
            bh_mig_report(
                m->o.report, m->o.report_ctx,
                "migrate: auto-converge: the VM dirties memory faster than the link carries "
                "it; slowing its slices by %u%%",
                throttle_pct[m->throttle]);
        } else {
            snprintf(m->why, sizeof m->why,
                     "the dirty rate stopped falling (auto-converge at %u%%)",
                     throttle_pct[m->throttle]);
            m->reason = m->why;
        }
    }
    if (m->reason) {
        /* Pause only once the pages already written have reached the
         * destination (the attempt's thread waits for RECEIVED of this
         * round, at most 0.5 s), or the downtime would include that
         * backlog: the VM runs on meanwhile, and what it dirties joins
         * the final set. */
        uint8_t r[4];
        bh_put32(r, m->round);
        if (enqueue(m, Q_DRAIN, r, sizeof r, e, sizeof e))
            return src_fail(m, e);
        m->draining = 1;
        return BH_MIG_RUN;
    }
    m->prev_dirty = left;
    m->round++;
    m->round_pages = 0;
    m->round_start = now;
    return BH_MIG_RUN;
}

/* auto-converge: how long to hold the VM back, a share of the time it
 * just ran (since the last tick or the end of the last hold). */
static double throttle_hold(const struct bh_mig_src *m, double now)
{
    if (!m->throttle)
        return 0;
    double since = m->last_tick > m->park_end ? m->last_tick : m->park_end;
    double ran = now - since, p = throttle_pct[m->throttle] / 100.0;
    return ran > 0 ? ran * p / (1.0 - p) : 0;
}

/* Hold the VM back for s seconds without holding its host thread: the
 * caller parks it on timer_fd (BH_MIG_PAUSED) and runs other VMs. */
static enum bh_mig_tick throttle_park(struct bh_mig_src *m, double s)
{
    struct itimerspec it = {{0, 0}, {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)}};
    if (it.it_value.tv_sec == 0 && it.it_value.tv_nsec < 1000)
        return BH_MIG_RUN; /* too short to be worth a park */
    if (timerfd_settime(m->timer_fd, 0, &it, NULL) != 0) {
        bh_mig_sleep(s); /* cannot happen with a valid fd; hold the old way */
        return BH_MIG_RUN;
    }
    m->throttled = 1;
    m->park_end = bh_net_now() + s;
    return BH_MIG_PAUSED;
}

enum bh_mig_tick bh_migrate_src_tick(struct bh_mig_src *m, struct bh_vm *vm)
{
    char e[512];
    double now = bh_net_now();
    struct bh_vm_ctl *ctl = bh_vm_ctl(vm);
    if (m->state == S_IDLE) {
        /* bh_migrate_src_start's request, with its address */
        pthread_mutex_lock(&m->smu);
        int asked = m->start_req;
        char *addr = asked ? m->next_addr : NULL;
        if (asked)
            m->next_addr = NULL;
        m->start_req = 0;
        pthread_mutex_unlock(&m->smu);
        if (addr) {
            free(m->addr);
            m->addr = addr;
        }
        int fire = asked || m->requested || ctl->mig_request ||
                   (m->o.after && !m->after_fired && bh_vm_icount(vm) >= m->o.after);
        if (!fire || !m->addr) /* no address: only a start gives one */
            return BH_MIG_RUN;
        m->requested = 0;
        ctl->mig_request = 0;
        if (!asked) { /* a trigger of --migrate's: a new migration too */
            pthread_mutex_lock(&m->smu);
            int busy = !status_over(m->info.status); /* a start came meanwhile */
            pthread_mutex_unlock(&m->smu);
            if (!busy)
                set_status(m, BH_MIG_SETUP, NULL);
        }
        m->after_fired = m->after_fired || m->o.after != 0;
        m->attempts++;
        m->state = S_PRECOPY;
        if (src_start(m, vm, e, sizeof e))
            return src_fail(m, e);
        m->last_tick = bh_net_now();
        return BH_MIG_RUN;
    }
    if (m->state != S_PRECOPY)
        return BH_MIG_RUN;
    /* Triggers during a migration are used up by it, not kept for later. */
    m->requested = 0;
    ctl->mig_request = 0;
    if (m->throttled) { /* back from an auto-converge hold: reset the timer */
        uint64_t fired;
        ssize_t rd = read(m->timer_fd, &fired, sizeof fired);
        (void)rd;
        m->throttled = 0;
    }
    struct attempt *a = m->a;
    pthread_mutex_lock(&a->mu);
    int done = a->done, welcomed = a->welcomed, drained = a->drained;
    size_t queued = a->queued;
    m->bytes_out = a->bytes_out;
    pthread_mutex_unlock(&a->mu);
    publish(m);
    if (done)
        return src_collect(m, vm);
    if (m->paused) /* a cancel ends the attempt's waits: its outcome comes soon */
        return BH_MIG_PAUSED;
    pthread_mutex_lock(&m->smu);
    int cancel = m->cancel_req;
    pthread_mutex_unlock(&m->smu);
    if (cancel)
        return src_fail(m, "cancelled");
    if (!welcomed) /* the attempt's thread connects meanwhile */
        return BH_MIG_RUN;
    if (!m->listed) {
        if (src_list(m, vm))
            return src_fail(m, "out of memory for the disk's block list");
        m->last_tick = bh_net_now();
        return BH_MIG_RUN;
    }
    if (m->draining && drained)
        return src_pause(m, vm, now);
    enum bh_mig_tick r = BH_MIG_RUN;
    double hold = throttle_hold(m, now);
    if (m->draining) {
        /* the VM runs on until the destination has the last round */
    } else if (m->pos == m->nlist && m->dpos == m->ndlist) {
        r = src_end_round(m, vm, now);
    } else if (queued < queue_max(m)) {
        /* the round's pages, then its disk blocks, a chunk at a time */
        int pages = m->pos < m->nlist;
        size_t n = pages ? m->nlist - m->pos : m->ndlist - m->dpos, k = chunk_pages(m);
        if (n > k)
            n = k;
        if (pages ? send_pages(m, vm, n, e, sizeof e) : send_disk(m, vm, n, e, sizeof e))
            r = src_fail(m, e);
    }
    m->last_tick = bh_net_now();
    if (r == BH_MIG_RUN && m->state == S_PRECOPY && hold > 0)
        r = throttle_park(m, hold);
    return r;
}

void bh_migrate_src_stopped(struct bh_mig_src *m)
{
    pthread_mutex_lock(&m->smu);
    int asked = m->start_req; /* asked for, never begun */
    m->start_req = 0;
    pthread_mutex_unlock(&m->smu);
    if (asked)
        set_status(m, BH_MIG_FAILED, "the VM ended before the migration began");
    if (m->state != S_PRECOPY)
        return;
    bh_mig_report(m->o.report, m->o.report_ctx,
                  "migrate: the VM stopped during the migration: it ends here%s",
                  m->listed ? "" : " (the attempt, still connecting, is abandoned)");
    /* The attempt's thread, if it waits for work, tells the destination to
     * discard what it has (ABORT); one blocked on a hung destination is
     * not waited for: the process may exit at once. */
    drop_attempt(m);
    m->state = S_GONE; /* the VM has ended: nothing left to move */
    publish(m);
    set_status(m, BH_MIG_FAILED, "the VM ended during the migration");
}
