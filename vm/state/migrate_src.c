/* migrate_src.c: live migration, the source's state machine (migrate.h;
 * the stream is specified in docs/migration-protocol.md, framed by
 * migrate_stream.c).
 *
 * Source:  IDLE --trigger--> PRECOPY (round 0: every touched page; round
 * n: the pages the harvest found dirty during round n-1) --converged-->
 * switch-over (the VM is paused: it simply does not run while the tick
 * sends the rest, CPU, DEV, END and waits for CONFIRM, then GO and ACK)
 * --> GONE, or on any failure before the destination took the VM --> the
 * VM resumes here (back to IDLE: the next SIGUSR2 or guest request tries
 * again; --migrate-after fires only once).
 *
 * Nothing here prints: lines go to the caller's report callback.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* auto-converge: the share of host time the VM is held back, per level */
static const unsigned throttle_pct[] = {0, 20, 40, 60, 80, 90, 95, 99};
#define THROTTLE_MAX (sizeof throttle_pct / sizeof throttle_pct[0] - 1)

struct bh_mig_src {
    struct bh_mig_src_opts o;
    char *addr, *rescue;
    enum src_state state;
    struct conn c;
    struct mig_psk psk;
    uint64_t id;
    int requested;
    int after_fired; /* --migrate-after started one already: not again */
    unsigned attempts;
    struct bh_buf b;  /* outgoing bodies */
    struct bh_buf in; /* incoming bodies */
    /* the current round: pages to send (sorted), how many went */
    uint32_t *list;
    size_t nlist, cap, pos;
    unsigned round;
    uint64_t round_pages;
    double round_start;
    uint64_t prev_dirty;
    unsigned throttle;
    double last_tick; /* end of the previous tick: the VM ran since */
    /* totals */
    double t_start, t_pause, send_seconds;
    uint64_t pages_sent, touched_pages;
    const char *reason;
    char why[160];
    int draining; /* switch-over decided: waiting for the link to drain */
    double drain_start;
};

struct bh_mig_src *bh_migrate_src_new(const struct bh_mig_src_opts *o, char *err, size_t errlen)
{
    struct bh_mig_src *m = calloc(1, sizeof *m);
    if (!m) {
        bh_errf(err, errlen, "out of memory");
        return NULL;
    }
    m->c.fd = -1;
    if (bh_mig_setup_key(o->psk_file, o->addr, o->insecure, "--migrate", &m->psk, err, errlen)) {
        bh_migrate_src_free(m);
        return NULL;
    }
    m->o = *o;
    m->addr = strdup(o->addr);
    m->rescue = strdup(o->rescue_path ? o->rescue_path : "migration-rescue.snap");
    if (!m->addr || !m->rescue) {
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

void bh_migrate_src_free(struct bh_mig_src *m)
{
    if (!m)
        return;
    bh_mig_close(&m->c);
    bh_mig_psk_clear(&m->psk);
    bh_buf_free(&m->b);
    bh_buf_free(&m->in);
    free(m->list);
    free(m->addr);
    free(m->rescue);
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

void bh_migrate_src_attach(struct bh_mig_src *m, struct bh_vm *vm)
{
    (void)m;
    bh_vm_ctl(vm)->mig_armed = 1;
}

int bh_migrate_src_pending(const struct bh_mig_src *m, struct bh_vm *vm)
{
    /* GONE: the VM must still take the turn that finds it ended */
    if (m->state == S_PRECOPY || m->state == S_GONE)
        return 1;
    return m->state == S_IDLE && (m->requested || bh_vm_ctl(vm)->mig_request);
}

int64_t bh_migrate_src_budget(const struct bh_mig_src *m, const struct bh_vm *vm, int64_t slice)
{
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
    /* Read-only pages (text) come from the image the destination checks. */
    if (!(flags & BH_PAGE_WRITABLE))
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

static void ignore_page(void *ctx, uint32_t addr, const uint8_t *data, unsigned flags)
{
    (void)ctx;
    (void)addr;
    (void)data;
    (void)flags;
}

/* Link rate in bytes per second, as measured, capped by --max-bandwidth. */
static double link_rate(const struct bh_mig_src *m)
{
    double r = m->send_seconds > 1e-6 ? (double)m->c.bytes_out / m->send_seconds : 1e9;
    if (m->o.max_bandwidth && r > (double)m->o.max_bandwidth)
        r = (double)m->o.max_bandwidth;
    return r;
}

/* Send through the --max-bandwidth limit: while paused (block = 1) wait
 * for the tokens; while the VM runs, return 1 ("not yet") so it runs on. */
static int bandwidth_wait(struct bh_mig_src *m, size_t bytes, int block)
{
    if (!m->o.max_bandwidth)
        return 0;
    double due = m->t_start + (double)(m->c.bytes_out + bytes) / (double)m->o.max_bandwidth;
    double now = bh_net_now();
    if (due <= now)
        return 0;
    if (!block)
        return 1;
    bh_mig_sleep(due - now);
    return 0;
}

static int send_timed(struct bh_mig_src *m, uint32_t type, const void *body, size_t len, char *err,
                      size_t errlen)
{
    double t = bh_net_now();
    int rc = bh_mig_send(&m->c, type, body, len, err, errlen);
    m->send_seconds += bh_net_now() - t;
    return rc;
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

static int send_pages(struct bh_mig_src *m, struct bh_vm *vm, size_t n, char *err, size_t errlen)
{
    m->b.len = 0;
    if (bh_snap_put_mem_pages(&m->b, vm, m->list + m->pos, n, err, errlen) ||
        send_timed(m, M_PAGES, m->b.data, m->b.len, err, errlen))
        return -1;
    m->pos += n;
    m->pages_sent += n;
    m->round_pages += n;
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
    return send_timed(m, M_ROUND, r, sizeof r, err, errlen);
}

/* Start: connect, handshake, and the round-0 list (every touched page). */
static int src_start(struct bh_mig_src *m, struct bh_vm *vm, char *err, size_t errlen)
{
    char e[256];
    m->t_start = bh_net_now();
    m->t_pause = 0;
    m->reason = NULL;
    m->draining = 0;
    m->id = bh_mig_random_id();
    if (bh_mig_connect(&m->c, m->addr, &m->psk, m->o.timeout_ms, err, errlen))
        return -1;
    /* HELLO: version, page size, id, image hash, memory size, IDENT, IMAGE */
    uint8_t *img = NULL;
    size_t ilen = 0;
    if (bh_image_write(bh_vm_image(vm), &img, &ilen, e, sizeof e))
        return bh_errf(err, errlen, "handshake: %s", e);
    struct bh_buf *b = &m->b;
    b->len = 0;
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
    if (b->oom)
        return bh_errf(err, errlen, "out of memory");
    if (send_timed(m, M_HELLO, b->data, b->len, e, sizeof e))
        return bh_errf(err, errlen, "handshake: %s", e);
    uint32_t t;
    if (bh_mig_recv(&m->c, &t, &m->in, e, sizeof e))
        return bh_errf(err, errlen, "handshake: %s", e);
    if (t == M_REFUSE) {
        bh_mig_body_text(&m->in, e, sizeof e);
        return bh_errf(err, errlen, "the destination refused the VM: %s", e);
    }
    if (t != M_WELCOME)
        return bh_errf(err, errlen, "handshake: %s where WELCOME was due", bh_mig_msg_name(t));
    /* Clear the dirty bits first: every store from now on is seen again,
     * while the walk below lists what exists now. */
    bh_mem_dirty_harvest(bh_vm_mem(vm), ignore_page, NULL);
    m->nlist = m->pos = 0;
    bh_mem_foreach_page(bh_vm_mem(vm), list_add, m);
    m->touched_pages = m->nlist;
    m->round = 0;
    m->round_pages = 0;
    m->round_start = bh_net_now();
    m->prev_dirty = UINT64_MAX;
    m->throttle = 0;
    m->pages_sent = 0;
    m->send_seconds = 0;
    m->reason = NULL;
    m->draining = 0;
    m->t_pause = 0;
    char attempt[32] = "";
    if (m->attempts > 1)
        snprintf(attempt, sizeof attempt, " (attempt %u)", m->attempts);
    bh_mig_report(m->o.report, m->o.report_ctx,
                  "migrate: to %s%s: started at instruction %llu, %llu pages touched (%.1f MiB)",
                  m->addr, attempt, (unsigned long long)bh_vm_icount(vm),
                  (unsigned long long)m->nlist, (double)m->nlist * BH_PAGE_SIZE / 1048576.0);
    return 0;
}

static void src_summary(struct bh_mig_src *m, const char *outcome, double downtime)
{
    double total = bh_net_now() - m->t_start;
    double mem = (double)(m->touched_pages ? m->touched_pages : 1) * BH_PAGE_SIZE;
    bh_mig_report(
        m->o.report, m->o.report_ctx,
        "migrate: summary: %s; rounds %u, pages sent %llu, bytes sent %llu (%.2f x the %.1f MiB "
        "touched), total %.1f ms, downtime %.2f ms, switch-over: %s",
        outcome, m->round + 1, (unsigned long long)m->pages_sent,
        (unsigned long long)m->c.bytes_out, (double)m->c.bytes_out / mem, mem / 1048576.0,
        total * 1000.0, downtime * 1000.0, m->reason ? m->reason : "none (failed before)");
}

/* Any failure before the destination could have taken the VM. */
static enum bh_mig_tick src_fail(struct bh_mig_src *m, const char *why)
{
    char e[64];
    if (m->c.fd >= 0) {
        /* Best effort: tell the destination to discard what it has. */
        m->c.timeout_ms = 200;
        bh_mig_send(&m->c, M_ABORT, why, strlen(why), e, sizeof e);
        bh_mig_close(&m->c);
    }
    bh_mig_report(m->o.report, m->o.report_ctx,
                  "migrate: failed: %.*s; the VM resumes here (SIGUSR2 or syscall 60 tries "
                  "again)%s",
                  (int)bh_err_len(why), why, why + bh_err_len(why));
    if (m->t_start > 0)
        src_summary(m, "failed, VM resumed on the source",
                    m->t_pause > 0 ? bh_net_now() - m->t_pause : 0);
    /* Back to waiting for a trigger: the destination, which discarded
     * what it got, waits for the next source, so a retry can succeed. */
    m->state = S_IDLE;
    m->throttle = 0;
    m->draining = 0;
    return BH_MIG_RUN;
}

/* After GO without an ACK: ask the destination on a new connection
 * whether it took the VM.  1 taken, 0 not taken, -1 no answer. */
static int src_query(struct bh_mig_src *m)
{
    double deadline = bh_net_now() + 5.0;
    while (bh_net_now() < deadline) {
        char e[256];
        struct conn q;
        if (bh_mig_connect(&q, m->addr, &m->psk, 1000, e, sizeof e) == 0) {
            uint8_t id[8];
            bh_put64(id, m->id);
            uint32_t t;
            struct bh_buf in = {0};
            int rc = -1;
            if (bh_mig_send(&q, M_QUERY, id, 8, e, sizeof e) == 0 &&
                bh_mig_recv(&q, &t, &in, e, sizeof e) == 0 && t == M_STATUS && in.len == 12 &&
                bh_get64(in.data) == m->id)
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

/* Pause (the VM does not run while this runs), send the rest, commit. */
static enum bh_mig_tick src_switch(struct bh_mig_src *m, struct bh_vm *vm)
{
    char e[512], why[600];
    /* The harvest that ended the last round is the final dirty set. */
    uint64_t last = m->nlist;
    bh_mig_report(m->o.report, m->o.report_ctx,
                  "migrate: pausing the VM: %llu dirty pages left, switch-over: %s",
                  (unsigned long long)last, m->reason);
    m->round++;
    m->round_pages = 0;
    if (send_round(m, 1, last, e, sizeof e))
        goto fail;
    while (m->pos < m->nlist) {
        size_t n = m->nlist - m->pos;
        if (n > MIG_CHUNK_MAX)
            n = MIG_CHUNK_MAX;
        bandwidth_wait(m, n * (BH_PAGE_SIZE + 8), 1);
        if (send_pages(m, vm, n, e, sizeof e))
            goto fail;
    }
    /* The host shows the unfinished line now; the destination goes on
     * from there (DEV carries "mid-line"). */
    bh_console_flush(bh_vm_console(vm));
    m->b.len = 0;
    bh_snap_put_cpu(&m->b, vm);
    if (m->b.oom || send_timed(m, M_CPU, m->b.data, m->b.len, e, sizeof e))
        goto fail;
    m->b.len = 0;
    bh_snap_put_dev(&m->b, vm);
    if (m->b.oom || send_timed(m, M_DEV, m->b.data, m->b.len, e, sizeof e))
        goto fail;
    uint8_t end[12];
    bh_put64(end, m->pages_sent);
    bh_put32(end + 8, m->round + 1);
    if (send_timed(m, M_END, end, sizeof end, e, sizeof e))
        goto fail;
    double t_sent = bh_net_now();
    uint32_t t;
    do /* RECEIVED answers to earlier rounds may come first */
        if (bh_mig_recv(&m->c, &t, &m->in, e, sizeof e))
            goto fail;
    while (t == M_RECEIVED);
    if (t == M_REFUSE) {
        char txt[400];
        bh_mig_body_text(&m->in, txt, sizeof txt);
        snprintf(e, sizeof e, "the destination refused the VM: %s", txt);
        goto fail;
    }
    if (t != M_CONFIRM) {
        snprintf(e, sizeof e, "%s where CONFIRM was due", bh_mig_msg_name(t));
        goto fail;
    }
    /* The destination has everything and checked it.  GO hands it over. */
    double t_confirm = bh_net_now();
    uint8_t go[8];
    bh_put64(go, m->id);
    if (send_timed(m, M_GO, go, sizeof go, e, sizeof e))
        goto fail; /* not even written: the destination cannot have it */
    int taken = -1;
    if (bh_mig_recv(&m->c, &t, &m->in, e, sizeof e) == 0) {
        if (t == M_ACK && m->in.len == 8 && bh_get64(m->in.data) == m->id)
            taken = 1;
        else if (t == M_REFUSE)
            taken = 0;
    }
    double downtime = bh_net_now() - m->t_pause;
    /* Where the pause went: the final set and state written, the
     * destination's check (CONFIRM), the hand-over (ACK). */
    bh_mig_report(
        m->o.report, m->o.report_ctx,
        "migrate: pause: %.2f ms to write the last %llu pages and the state, CONFIRM after "
        "%.2f ms more, ACK after %.2f ms more",
        (t_sent - m->t_pause) * 1000.0, (unsigned long long)last, (t_confirm - t_sent) * 1000.0,
        (m->t_pause + downtime - t_confirm) * 1000.0);
    if (taken < 0) {
        bh_mig_report(
            m->o.report, m->o.report_ctx,
            "migrate: no answer to GO (%s): asking the destination whether it took the VM", e);
        taken = src_query(m);
        downtime = bh_net_now() - m->t_pause;
    }
    bh_mig_close(&m->c);
    if (taken == 0) {
        snprintf(e, sizeof e, "the destination did not take the VM after GO");
        goto fail;
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
        return BH_MIG_GONE;
    }
    src_summary(m, "handed over to the destination", downtime);
    m->state = S_GONE;
    return BH_MIG_GONE;
fail:
    snprintf(why, sizeof why, "%s", e);
    return src_fail(m, why);
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

/* End of a round: harvest what the VM dirtied meanwhile, decide. */
static enum bh_mig_tick src_end_round(struct bh_mig_src *m, struct bh_vm *vm)
{
    char e[512];
    double now = bh_net_now(), secs = now - m->round_start;
    m->nlist = m->pos = 0;
    uint64_t dirty = bh_mem_dirty_harvest(bh_vm_mem(vm), list_add, m);
    (void)dirty;
    if (m->nlist < dirty && m->nlist < m->cap) /* a failed realloc in list_add */
        return src_fail(m, "out of memory for the dirty page list");
    uint64_t left = m->nlist;
    double rate = link_rate(m);
    double est = (double)left * (BH_PAGE_SIZE + 8) / rate;
    char slowed[48] = "";
    if (m->throttle)
        snprintf(slowed, sizeof slowed, "; VM slowed by %u%%", throttle_pct[m->throttle]);
    bh_mig_report(
        m->o.report, m->o.report_ctx,
        "migrate: round %u: %llu pages sent in %.1f ms (%.1f MB/s); dirty pages left %llu "
        "(%.1f ms to send)%s",
        m->round, (unsigned long long)m->round_pages, secs * 1000.0,
        secs > 0 ? (double)m->round_pages * BH_PAGE_SIZE / secs / 1e6 : 0.0,
        (unsigned long long)left, est * 1000.0, slowed);
    if (send_round(m, 0, left, e, sizeof e))
        return src_fail(m, e);
    if (est <= m->o.max_downtime) {
        snprintf(m->why, sizeof m->why, "the %llu dirty pages fit the %.0f ms downtime budget",
                 (unsigned long long)left, m->o.max_downtime * 1000.0);
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
         * destination, or the downtime would include that backlog: the VM
         * runs on meanwhile, and what it dirties joins the final set. */
        m->draining = 1;
        m->drain_start = now;
        return BH_MIG_RUN;
    }
    m->prev_dirty = left;
    m->round++;
    m->round_pages = 0;
    m->round_start = now;
    return BH_MIG_RUN;
}

/* auto-converge: sleep a share of the time the VM just ran */
static void throttle_sleep(const struct bh_mig_src *m, double now)
{
    if (m->throttle) {
        double ran = now - m->last_tick, p = throttle_pct[m->throttle] / 100.0;
        bh_mig_sleep(ran * p / (1.0 - p));
    }
}

enum bh_mig_tick bh_migrate_src_tick(struct bh_mig_src *m, struct bh_vm *vm)
{
    char e[512];
    double now = bh_net_now();
    struct bh_vm_ctl *ctl = bh_vm_ctl(vm);
    if (m->state == S_IDLE) {
        int fire = m->requested || ctl->mig_request ||
                   (m->o.after && !m->after_fired && bh_vm_icount(vm) >= m->o.after);
        if (!fire)
            return BH_MIG_RUN;
        m->requested = 0;
        ctl->mig_request = 0;
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
    enum bh_mig_tick r = BH_MIG_RUN;
    if (m->draining) {
        /* Wait (the VM running) until the destination says it has taken
         * in the last round: RECEIVED.  A REFUSE here ends it at once. */
        int drained = 0;
        while (!drained && bh_net_readable(m->c.fd, 0) > 0) {
            uint32_t t;
            if (bh_mig_recv(&m->c, &t, &m->in, e, sizeof e))
                return src_fail(m, e);
            if (t == M_REFUSE) {
                char txt[400];
                bh_mig_body_text(&m->in, txt, sizeof txt);
                snprintf(e, sizeof e, "the destination refused the VM: %s", txt);
                return src_fail(m, e);
            }
            if (t != M_RECEIVED || m->in.len != 4) {
                snprintf(e, sizeof e, "%s where RECEIVED was due", bh_mig_msg_name(t));
                return src_fail(m, e);
            }
            drained = bh_get32(m->in.data) == m->round;
        }
        if (!drained && now - m->drain_start < 0.5) {
            throttle_sleep(m, now);
            m->last_tick = bh_net_now();
            return BH_MIG_RUN;
        }
        m->draining = 0;
        /* The VM's last slice ended when this tick began: downtime starts
         * there (no auto-converge sleep in between, it would only add to
         * the pause). */
        m->t_pause = now;
        /* merge what was dirtied while draining into the final set */
        size_t old = m->nlist;
        uint64_t more = bh_mem_dirty_harvest(bh_vm_mem(vm), list_add, m);
        if (m->nlist - old < more)
            return src_fail(m, "out of memory for the dirty page list");
        merge_sorted_into(m->list, old, &m->nlist);
        return src_switch(m, vm);
    }
    throttle_sleep(m, now);
    if (m->pos == m->nlist) {
        r = src_end_round(m, vm);
    } else {
        size_t n = m->nlist - m->pos, k = chunk_pages(m);
        if (n > k)
            n = k;
        if (!bandwidth_wait(m, n * (BH_PAGE_SIZE + 8), 0) && send_pages(m, vm, n, e, sizeof e))
            r = src_fail(m, e);
    }
    m->last_tick = bh_net_now();
    return r;
}

void bh_migrate_src_stopped(struct bh_mig_src *m)
{
    if (m->state != S_PRECOPY)
        return;
    bh_mig_report(m->o.report, m->o.report_ctx,
                  "migrate: the VM stopped during the migration: it ends here");
    char e[64];
    m->c.timeout_ms = 200;
    bh_mig_send(&m->c, M_ABORT, "the VM stopped on the source", 28, e, sizeof e);
    bh_mig_close(&m->c);
    m->state = S_GONE; /* the VM has ended: nothing left to move */
}
