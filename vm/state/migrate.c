/* migrate.c: live migration, the source and destination state machines
 * (migrate.h; the stream is specified in docs/migration-protocol.md).
 *
 * Source:  IDLE --trigger--> PRECOPY (round 0: every touched page; round
 * n: the pages the harvest found dirty during round n-1) --converged-->
 * switch-over (the VM is paused: it simply does not run while the tick
 * sends the rest, CPU, DEV, END and waits for CONFIRM, then GO and ACK)
 * --> GONE, or on any failure before the destination took the VM --> the
 * VM resumes here (back to IDLE: the next SIGUSR2 or guest request tries
 * again; --migrate-after fires only once).
 *
 * Destination: accept -> HELLO (refuse what does not fit) -> WELCOME ->
 * pages, CPU, DEV -> END (check all) -> CONFIRM -> GO -> ACK -> run.
 * Anything else before GO discards the VM: the source still has it.
 *
 * Nothing here prints: lines go to the caller's report callback.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* ------------------------------------------------------------ stream */

#define MIG_MAGIC                                                                                  \
    "\x7f"                                                                                         \
    "BHMIG\r\n" /* 8 bytes; \r\n catches text-mode mangling */
#define MIG_MAGIC_LEN 8u
#define MIG_VERSION 1u
#define MIG_HDR 16u
#define MIG_MAX_BODY (64u << 20)
#define MIG_CHUNK_MAX 256u /* pages per PAGES message (1 MiB) */

enum mig_msg {
    M_HELLO = 1,
    M_WELCOME,
    M_REFUSE,
    M_PAGES,
    M_ROUND,
    M_CPU,
    M_DEV,
    M_END,
    M_CONFIRM,
    M_GO,
    M_ACK,
    M_QUERY,
    M_STATUS,
    M_ABORT,
    M_RECEIVED,
    M_MAX
};

static const char *msg_name(uint32_t t)
{
    static const char *const names[M_MAX] = {
        "?",   "HELLO",   "WELCOME", "REFUSE", "PAGES", "ROUND",  "CPU",   "DEV",
        "END", "CONFIRM", "GO",      "ACK",    "QUERY", "STATUS", "ABORT", "RECEIVED"};
    return t < M_MAX ? names[t] : "unknown";
}

/* One direction of one connection: sequence numbers catch a lost,
 * repeated or reordered message even when each one's CRC is right. */
struct conn {
    int fd;
    uint32_t seq_out, seq_in;
    int timeout_ms;
    uint64_t bytes_out, bytes_in;
};

static int send_msg(struct conn *c, uint32_t type, const void *body, size_t len, char *err,
                    size_t errlen)
{
    uint8_t h[MIG_HDR];
    bh_put32(h, type);
    bh_put32(h + 4, c->seq_out++);
    bh_put32(h + 8, (uint32_t)len);
    bh_put32(h + 12, bh_crc32c(bh_crc32c(0, h, 12), body, len));
    if (bh_net_write2(c->fd, h, MIG_HDR, body, len, c->timeout_ms, err, errlen))
        return -1;
    c->bytes_out += MIG_HDR + len;
    return 0;
}

/* Receive one message into b (replacing its contents).  Every check has
 * its own message: a corrupt stream is refused by name. */
static int recv_msg(struct conn *c, uint32_t *type, struct bh_buf *b, char *err, size_t errlen)
{
    uint8_t h[MIG_HDR];
    if (bh_net_read_all(c->fd, h, MIG_HDR, c->timeout_ms, err, errlen))
        return -1;
    uint32_t t = bh_get32(h), seq = bh_get32(h + 4), len = bh_get32(h + 8), crc = bh_get32(h + 12);
    if (len > MIG_MAX_BODY)
        return bh_errf(err, errlen, "corrupt stream: message %u claims %u bytes (at most %u)", seq,
                       len, MIG_MAX_BODY);
    b->len = 0;
    if (len) {
        bh_buf_append(b, NULL, 0);
        if (b->cap < len) {
            uint8_t *p = realloc(b->data, len);
            if (!p)
                return bh_errf(err, errlen, "out of memory for a %u-byte message", len);
            b->data = p;
            b->cap = len;
        }
        if (bh_net_read_all(c->fd, b->data, len, c->timeout_ms, err, errlen))
            return -1;
        b->len = len;
    }
    if (bh_crc32c(bh_crc32c(0, h, 12), b->data, len) != crc)
        return bh_errf(err, errlen, "corrupt stream: CRC32C mismatch in message %u (%s, %u bytes)",
                       seq, msg_name(t), len);
    if (seq != c->seq_in)
        return bh_errf(err, errlen, "corrupt stream: message %u where %u was due", seq, c->seq_in);
    if (t == 0 || t >= M_MAX)
        return bh_errf(err, errlen, "corrupt stream: unknown message type %u", t);
    c->seq_in++;
    c->bytes_in += MIG_HDR + len;
    *type = t;
    return 0;
}

/* REFUSE and ABORT carry a text: copy it out, bounded, printable. */
static void body_text(const struct bh_buf *b, char *dst, size_t cap)
{
    size_t n = b->len < cap - 1 ? b->len : cap - 1;
    for (size_t i = 0; i < n; i++)
        dst[i] = b->data[i] >= 32 && b->data[i] < 127 ? (char)b->data[i] : '?';
    dst[n] = '\0';
}

static void report(bh_mig_report_fn fn, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report(bh_mig_report_fn fn, void *ctx, const char *fmt, ...)
{
    if (!fn)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fn(ctx, line);
}

static void sleep_s(double s)
{
    if (s <= 0)
        return;
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static uint64_t random_id(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^ (uint64_t)getpid() << 48;
    x ^= (uint64_t)(uintptr_t)&ts;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33; /* splitmix finish */
    return x ? x : 1;
}

/* ------------------------------------------------------------ source */

static volatile sig_atomic_t usr2_count;
static void on_usr2(int sig)
{
    (void)sig;
    usr2_count++;
}

void bh_migrate_install_sigusr2(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr2;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &sa, NULL);
}

enum src_state { S_IDLE, S_PRECOPY, S_GONE };

/* auto-converge: the share of host time the VM is held back, per level */
static const unsigned throttle_pct[] = {0, 20, 40, 60, 80, 90, 95, 99};
#define THROTTLE_MAX (sizeof throttle_pct / sizeof throttle_pct[0] - 1)

struct bh_mig_src {
    struct bh_mig_src_opts o;
    char *addr, *rescue;
    enum src_state state;
    struct conn c;
    uint64_t id;
    sig_atomic_t usr2_seen;
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
    char host[256], port[8];
    if (bh_net_parse_addr(o->addr, host, sizeof host, port, sizeof port, err, errlen))
        return NULL;
    struct bh_mig_src *m = calloc(1, sizeof *m);
    if (!m) {
        bh_errf(err, errlen, "out of memory");
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
    m->c.fd = -1;
    m->usr2_seen = usr2_count;
    return m;
}

void bh_migrate_src_free(struct bh_mig_src *m)
{
    if (!m)
        return;
    bh_net_close(m->c.fd);
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
    return m->state == S_IDLE &&
           (m->requested || usr2_count != m->usr2_seen || bh_vm_ctl(vm)->mig_request);
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
    sleep_s(due - now);
    return 0;
}

static int send_timed(struct bh_mig_src *m, uint32_t type, const void *body, size_t len, char *err,
                      size_t errlen)
{
    double t = bh_net_now();
    int rc = send_msg(&m->c, type, body, len, err, errlen);
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
    m->id = random_id();
    m->c = (struct conn){.fd = -1, .timeout_ms = m->o.timeout_ms};
    m->c.fd = bh_net_connect(m->addr, m->o.timeout_ms, e, sizeof e);
    if (m->c.fd < 0)
        return bh_errf(err, errlen, "%s", e);
    if (bh_net_write_all(m->c.fd, MIG_MAGIC, MIG_MAGIC_LEN, m->o.timeout_ms, e, sizeof e))
        return bh_errf(err, errlen, "handshake: %s", e);
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
    if (recv_msg(&m->c, &t, &m->in, e, sizeof e))
        return bh_errf(err, errlen, "handshake: %s", e);
    if (t == M_REFUSE) {
        body_text(&m->in, e, sizeof e);
        return bh_errf(err, errlen, "the destination refused the VM: %s", e);
    }
    if (t != M_WELCOME)
        return bh_errf(err, errlen, "handshake: %s where WELCOME was due", msg_name(t));
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
    report(m->o.report, m->o.report_ctx,
           "migrate: to %s%s: started at instruction %llu, %llu pages touched (%.1f MiB)", m->addr,
           attempt, (unsigned long long)bh_vm_icount(vm), (unsigned long long)m->nlist,
           (double)m->nlist * BH_PAGE_SIZE / 1048576.0);
    return 0;
}

static void src_summary(struct bh_mig_src *m, const char *outcome, double downtime)
{
    double total = bh_net_now() - m->t_start;
    double mem = (double)(m->touched_pages ? m->touched_pages : 1) * BH_PAGE_SIZE;
    report(m->o.report, m->o.report_ctx,
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
        send_msg(&m->c, M_ABORT, why, strlen(why), e, sizeof e);
        bh_net_close(m->c.fd);
        m->c.fd = -1;
    }
    report(m->o.report, m->o.report_ctx,
           "migrate: failed: %s; the VM resumes here (SIGUSR2 or syscall 60 tries again)", why);
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
        struct conn q = {.fd = bh_net_connect(m->addr, 1000, e, sizeof e), .timeout_ms = 1000};
        if (q.fd >= 0) {
            uint8_t id[8];
            bh_put64(id, m->id);
            uint32_t t;
            struct bh_buf in = {0};
            int rc = -1;
            if (bh_net_write_all(q.fd, MIG_MAGIC, MIG_MAGIC_LEN, 1000, e, sizeof e) == 0 &&
                send_msg(&q, M_QUERY, id, 8, e, sizeof e) == 0 &&
                recv_msg(&q, &t, &in, e, sizeof e) == 0 && t == M_STATUS && in.len == 12 &&
                bh_get64(in.data) == m->id)
                rc = bh_get32(in.data + 8) ? 1 : 0;
            bh_buf_free(&in);
            bh_net_close(q.fd);
            if (rc >= 0)
                return rc;
        }
        sleep_s(0.2);
    }
    return -1;
}

/* Pause (the VM does not run while this runs), send the rest, commit. */
static enum bh_mig_tick src_switch(struct bh_mig_src *m, struct bh_vm *vm)
{
    char e[512], why[600];
    /* The harvest that ended the last round is the final dirty set. */
    uint64_t last = m->nlist;
    report(m->o.report, m->o.report_ctx,
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
        if (recv_msg(&m->c, &t, &m->in, e, sizeof e))
            goto fail;
    while (t == M_RECEIVED);
    if (t == M_REFUSE) {
        char txt[400];
        body_text(&m->in, txt, sizeof txt);
        snprintf(e, sizeof e, "the destination refused the VM: %s", txt);
        goto fail;
    }
    if (t != M_CONFIRM) {
        snprintf(e, sizeof e, "%s where CONFIRM was due", msg_name(t));
        goto fail;
    }
    /* The destination has everything and checked it.  GO hands it over. */
    double t_confirm = bh_net_now();
    uint8_t go[8];
    bh_put64(go, m->id);
    if (send_timed(m, M_GO, go, sizeof go, e, sizeof e))
        goto fail; /* not even written: the destination cannot have it */
    int taken = -1;
    if (recv_msg(&m->c, &t, &m->in, e, sizeof e) == 0) {
        if (t == M_ACK && m->in.len == 8 && bh_get64(m->in.data) == m->id)
            taken = 1;
        else if (t == M_REFUSE)
            taken = 0;
    }
    double downtime = bh_net_now() - m->t_pause;
    /* Where the pause went: the final set and state written, the
     * destination's check (CONFIRM), the hand-over (ACK). */
    report(m->o.report, m->o.report_ctx,
           "migrate: pause: %.2f ms to write the last %llu pages and the state, CONFIRM after "
           "%.2f ms more, ACK after %.2f ms more",
           (t_sent - m->t_pause) * 1000.0, (unsigned long long)last, (t_confirm - t_sent) * 1000.0,
           (m->t_pause + downtime - t_confirm) * 1000.0);
    if (taken < 0) {
        report(m->o.report, m->o.report_ctx,
               "migrate: no answer to GO (%s): asking the destination whether it took the VM", e);
        taken = src_query(m);
        downtime = bh_net_now() - m->t_pause;
    }
    bh_net_close(m->c.fd);
    m->c.fd = -1;
    if (taken == 0) {
        snprintf(e, sizeof e, "the destination did not take the VM after GO");
        goto fail;
    }
    if (taken < 0) {
        /* Nobody can tell whether the destination runs it: resuming could
         * run it twice, dropping it could lose it.  Keep it on disk. */
        char se[512];
        if (bh_snapshot_save(vm, m->rescue, se, sizeof se) == 0)
            report(m->o.report, m->o.report_ctx,
                   "migrate: the destination cannot be reached to confirm the hand-over; the VM "
                   "is not resumed here (it may run there); its state is saved in %s: resume "
                   "it with 'myvmm -s %s' only if the destination does not run it",
                   m->rescue, m->rescue);
        else
            report(m->o.report, m->o.report_ctx,
                   "migrate: the destination cannot be reached and saving %s failed: %s", m->rescue,
                   se);
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
    report(m->o.report, m->o.report_ctx,
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
            report(m->o.report, m->o.report_ctx,
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
        sleep_s(ran * p / (1.0 - p));
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
        if (usr2_count != m->usr2_seen) {
            m->usr2_seen = usr2_count;
            fire = 1;
        }
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
    m->usr2_seen = usr2_count;
    m->requested = 0;
    ctl->mig_request = 0;
    enum bh_mig_tick r = BH_MIG_RUN;
    if (m->draining) {
        /* Wait (the VM running) until the destination says it has taken
         * in the last round: RECEIVED.  A REFUSE here ends it at once. */
        int drained = 0;
        while (!drained && bh_net_readable(m->c.fd, 0) > 0) {
            uint32_t t;
            if (recv_msg(&m->c, &t, &m->in, e, sizeof e))
                return src_fail(m, e);
            if (t == M_REFUSE) {
                char txt[400];
                body_text(&m->in, txt, sizeof txt);
                snprintf(e, sizeof e, "the destination refused the VM: %s", txt);
                return src_fail(m, e);
            }
            if (t != M_RECEIVED || m->in.len != 4) {
                snprintf(e, sizeof e, "%s where RECEIVED was due", msg_name(t));
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
    report(m->o.report, m->o.report_ctx,
           "migrate: the VM stopped during the migration: it ends here");
    char e[64];
    m->c.timeout_ms = 200;
    send_msg(&m->c, M_ABORT, "the VM stopped on the source", 28, e, sizeof e);
    bh_net_close(m->c.fd);
    m->c.fd = -1;
    m->state = S_GONE; /* the VM has ended: nothing left to move */
}

/* ------------------------------------------------------- destination */

#define TAKEN_MAX 64

struct bh_mig_dst {
    struct bh_mig_dst_opts o;
    int lfd;
    uint64_t taken[TAKEN_MAX]; /* ids of VMs this destination took (ring) */
    unsigned ntaken;
    struct bh_buf in;
};

struct bh_mig_dst *bh_migrate_dst_new(const char *addr, const struct bh_mig_dst_opts *o, char *err,
                                      size_t errlen)
{
    struct bh_mig_dst *d = calloc(1, sizeof *d);
    if (!d) {
        bh_errf(err, errlen, "out of memory");
        return NULL;
    }
    d->o = *o;
    if (!d->o.max_memory)
        d->o.max_memory = 4ull << 30;
    if (d->o.timeout_ms <= 0)
        d->o.timeout_ms = 30000;
    d->lfd = bh_net_listen(addr, err, errlen);
    if (d->lfd < 0) {
        free(d);
        return NULL;
    }
    return d;
}

void bh_migrate_dst_free(struct bh_mig_dst *d)
{
    if (!d)
        return;
    bh_net_close(d->lfd);
    bh_buf_free(&d->in);
    free(d);
}

int bh_migrate_dst_port(const struct bh_mig_dst *d)
{
    return bh_net_local_port(d->lfd);
}

static int was_taken(const struct bh_mig_dst *d, uint64_t id)
{
    for (unsigned i = 0; i < TAKEN_MAX && i < d->ntaken; i++)
        if (d->taken[i] == id)
            return 1;
    return 0;
}

static void answer_query(struct bh_mig_dst *d, struct conn *c)
{
    char e[64];
    if (d->in.len != 8)
        return;
    uint8_t st[12];
    uint64_t id = bh_get64(d->in.data);
    bh_put64(st, id);
    bh_put32(st + 8, (uint32_t)was_taken(d, id));
    send_msg(c, M_STATUS, st, sizeof st, e, sizeof e);
}

/* One arriving VM: everything it needs while being received. */
struct arrival {
    struct bh_mig_dst *d;
    struct conn c;
    struct bh_image *img;
    struct bh_vm *vm;
    uint64_t id;
    uint64_t pages, rounds_seen;
    int have_cpu, have_dev;
    double t0, t_paused;
};

static int dst_pages(struct arrival *a, char *err, size_t errlen)
{
    int n = bh_snap_get_mem_pages(a->vm, a->d->in.data, a->d->in.len, err, errlen);
    if (n < 0)
        return -1;
    a->pages += (uint64_t)n;
    return 0;
}

struct page_addrs {
    uint32_t *v;
    size_t n, cap;
    int oom;
};

static void add_writable(void *ctx, uint32_t addr, const uint8_t *data, unsigned flags)
{
    struct page_addrs *s = ctx;
    (void)data;
    if (!(flags & BH_PAGE_WRITABLE) || s->oom)
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        uint32_t *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            s->oom = 1;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = addr;
}

/* Before any page arrives: the fresh VM's writable pages (its data, the
 * stack of its own argv) start as zeroes.  The source sends every page it
 * has (zero ones as ZERO entries), so what it never sends did not exist
 * there and must read as zeroes here, as in a snapshot restore. */
static int zero_writable(struct bh_vm *vm, char *err, size_t errlen)
{
    struct page_addrs s = {NULL, 0, 0, 0};
    bh_mem_foreach_page(bh_vm_mem(vm), add_writable, &s);
    int rc = s.oom ? bh_errf(err, errlen, "out of memory") : 0;
    for (size_t i = 0; i < s.n && rc == 0; i++) {
        uint8_t *pg = bh_mem_page_for_restore(bh_vm_mem(vm), s.v[i], BH_PAGE_WRITABLE, err, errlen);
        if (!pg)
            rc = -1;
        else
            memset(pg, 0, BH_PAGE_SIZE);
    }
    free(s.v);
    bh_mem_tlb_flush(bh_vm_mem(vm));
    return rc;
}

/* HELLO: refuse what does not fit, then build the VM. */
static int dst_hello(struct arrival *a, char *err, size_t errlen)
{
    const uint8_t *p = a->d->in.data;
    size_t n = a->d->in.len;
    if (n < 36)
        return bh_errf(err, errlen, "HELLO is %zu bytes, too short", n);
    uint32_t ver = bh_get32(p), psize = bh_get32(p + 4);
    a->id = bh_get64(p + 8);
    uint64_t hash = bh_get64(p + 16), limit = bh_get64(p + 24);
    if (ver != MIG_VERSION)
        return bh_errf(err, errlen, "protocol version %u: this myvmm speaks version %u", ver,
                       MIG_VERSION);
    if (psize != BH_PAGE_SIZE)
        return bh_errf(err, errlen, "page size %u: this myvmm uses %u", psize, BH_PAGE_SIZE);
    if (limit > a->d->o.max_memory)
        return bh_errf(
            err, errlen, "the VM has %llu MiB of memory, more than the %llu MiB allowed here",
            (unsigned long long)(limit >> 20), (unsigned long long)(a->d->o.max_memory >> 20));
    uint32_t ilen = bh_get32(p + 32);
    if (ilen > n - 36 || n - 36 - ilen < 4)
        return bh_errf(err, errlen, "HELLO: identity of %u bytes does not fit", ilen);
    struct bh_snap_ident id;
    if (bh_snap_get_ident(p + 36, ilen, &id, err, errlen))
        return -1;
    const uint8_t *q = p + 36 + ilen;
    uint32_t imglen = bh_get32(q);
    if (imglen != n - 40 - ilen)
        return bh_errf(err, errlen, "HELLO: program image of %u bytes where %zu are left", imglen,
                       n - 40 - ilen);
    a->img = calloc(1, sizeof *a->img);
    if (!a->img)
        return bh_errf(err, errlen, "out of memory");
    char e[256];
    if (bh_image_read(q + 4, imglen, a->img, e, sizeof e)) {
        free(a->img);
        a->img = NULL;
        return bh_errf(err, errlen, "the program image: %s", e);
    }
    if (bh_image_hash(a->img) != hash || id.image_hash != hash)
        return bh_errf(err, errlen,
                       "the program image does not match its identity (hash %016llx, "
                       "image %016llx)",
                       (unsigned long long)hash, (unsigned long long)bh_image_hash(a->img));
    if (id.mem_limit != limit)
        return bh_errf(err, errlen, "memory size %llu in HELLO, %llu in IDENT",
                       (unsigned long long)limit, (unsigned long long)id.mem_limit);
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = id.name[0] ? id.name : "vm1";
    o.mem_limit = limit;
    o.fs_root = a->d->o.fs_root;
    char *argv[] = {id.program[0] ? id.program : (char *)"migrated", NULL};
    o.argc = 1;
    o.argv = argv;
    if (bh_vm_create(a->img, &o, &a->vm, err, errlen))
        return -1;
    if (a->d->o.setup && a->d->o.setup(a->d->o.setup_ctx, a->vm, err, errlen))
        return -1;
    if (zero_writable(a->vm, err, errlen))
        return -1;
    report(a->d->o.report, a->d->o.report_ctx,
           "migrate: incoming VM %s (program %s, %llu MiB of memory)", o.name, id.program,
           (unsigned long long)(limit >> 20));
    return 0;
}

/* END: did everything arrive? */
static int dst_end(struct arrival *a, char *err, size_t errlen)
{
    const struct bh_buf *b = &a->d->in;
    if (b->len != 12)
        return bh_errf(err, errlen, "END is %zu bytes, not 12", b->len);
    if (!a->have_cpu || !a->have_dev)
        return bh_errf(err, errlen, "END before the %s state", a->have_cpu ? "device" : "CPU");
    if (bh_get64(b->data) != a->pages)
        return bh_errf(err, errlen, "the source sent %llu pages, %llu arrived",
                       (unsigned long long)bh_get64(b->data), (unsigned long long)a->pages);
    return 0;
}

static void arrival_discard(struct arrival *a)
{
    if (a->vm)
        bh_vm_destroy(a->vm);
    if (a->img) {
        bh_image_free(a->img);
        free(a->img);
    }
    a->vm = NULL;
    a->img = NULL;
}

/* Receive one VM on connection c, whose HELLO is in d->in.  0 with the VM
 * in a, or -1 with the reason (the source has been told when it can be). */
static int dst_receive(struct arrival *a, char *err, size_t errlen)
{
    struct bh_mig_dst *d = a->d;
    char e[512];
    uint32_t t;
    if (dst_hello(a, e, sizeof e))
        goto refuse;
    if (send_msg(&a->c, M_WELCOME, NULL, 0, e, sizeof e))
        goto broken;
    for (;;) {
        if (recv_msg(&a->c, &t, &d->in, e, sizeof e))
            goto refuse;
        const uint8_t *p = d->in.data;
        switch (t) {
        case M_PAGES:
            if (dst_pages(a, e, sizeof e))
                goto refuse;
            break;
        case M_ROUND:
            if (d->in.len != 24) {
                snprintf(e, sizeof e, "ROUND is %zu bytes, not 24", d->in.len);
                goto refuse;
            }
            if (bh_get32(p + 4) & 1) {
                a->t_paused = bh_net_now();
                report(d->o.report, d->o.report_ctx,
                       "migrate: the source paused the VM: %llu pages to come",
                       (unsigned long long)bh_get64(p + 16));
            } else {
                /* the source pauses the VM only once this has arrived */
                if (send_msg(&a->c, M_RECEIVED, p, 4, e, sizeof e))
                    goto broken;
                double s = bh_net_now() - a->t0;
                report(d->o.report, d->o.report_ctx,
                       "migrate: round %u received: %llu pages in it, %llu in all (%.1f MB/s); "
                       "dirty pages left %llu",
                       bh_get32(p), (unsigned long long)bh_get64(p + 8),
                       (unsigned long long)a->pages, s > 0 ? (double)a->c.bytes_in / s / 1e6 : 0.0,
                       (unsigned long long)bh_get64(p + 16));
            }
            a->rounds_seen++;
            break;
        case M_CPU:
            if (bh_snap_get_cpu(a->vm, p, d->in.len, e, sizeof e))
                goto refuse;
            a->have_cpu = 1;
            break;
        case M_DEV:
            if (bh_snap_get_dev(a->vm, p, d->in.len, e, sizeof e))
                goto refuse;
            a->have_dev = 1;
            break;
        case M_END:
            if (dst_end(a, e, sizeof e))
                goto refuse;
            if (send_msg(&a->c, M_CONFIRM, NULL, 0, e, sizeof e))
                goto broken;
            /* Prepared, not running: only GO makes the VM ours. */
            if (recv_msg(&a->c, &t, &d->in, e, sizeof e))
                goto refuse;
            if (t != M_GO || d->in.len != 8 || bh_get64(d->in.data) != a->id) {
                snprintf(e, sizeof e, "%s where GO was due", msg_name(t));
                goto refuse;
            }
            /* The commit point: from here the VM is ours alone.  The
             * paused time ends here, before the ACK is written: once it
             * is, the source may take the CPU (same host) and this clock
             * would run on while the VM is ready, so the figure could
             * exceed the source's downtime, which ends at the ACK. */
            double now = bh_net_now();
            d->taken[d->ntaken++ % TAKEN_MAX] = a->id;
            if (send_msg(&a->c, M_ACK, d->in.data, 8, e, sizeof e))
                report(d->o.report, d->o.report_ctx,
                       "migrate: the ACK did not reach the source (%s): it will ask", e);
            report(d->o.report, d->o.report_ctx,
                   "migrate: summary: VM received and running here; rounds %llu, pages %llu, "
                   "bytes %llu, total %.1f ms, paused for %.2f ms",
                   (unsigned long long)(a->rounds_seen), (unsigned long long)a->pages,
                   (unsigned long long)a->c.bytes_in, (now - a->t0) * 1000.0,
                   a->t_paused > 0 ? (now - a->t_paused) * 1000.0 : 0.0);
            return 0;
        case M_ABORT: {
            char txt[256];
            body_text(&d->in, txt, sizeof txt);
            snprintf(e, sizeof e, "the source cancelled: %s", txt);
            goto broken;
        }
        default:
            snprintf(e, sizeof e, "unexpected %s message", msg_name(t));
            goto refuse;
        }
    }
refuse:
    /* Tell the source why, so it resumes at once (best effort). */
    a->c.timeout_ms = 500;
    {
        char e2[64];
        send_msg(&a->c, M_REFUSE, e, strlen(e), e2, sizeof e2);
    }
broken:
    arrival_discard(a);
    return bh_errf(err, errlen, "%s", e);
}

int bh_migrate_dst_accept(struct bh_mig_dst *d, int timeout_ms, struct bh_vm **vm,
                          struct bh_image **img, char *err, size_t errlen)
{
    double deadline = bh_net_now() + timeout_ms / 1000.0;
    for (;;) {
        int left = -1;
        if (timeout_ms >= 0) {
            double l = deadline - bh_net_now();
            if (l <= 0)
                return -2;
            left = (int)(l * 1000.0) + 1;
        }
        char e[512];
        int fd = bh_net_accept(d->lfd, left, e, sizeof e);
        if (fd == -2)
            return -2;
        if (fd < 0)
            return bh_errf(err, errlen, "%s", e);
        struct arrival a = {.d = d, .c = {.fd = fd, .timeout_ms = d->o.timeout_ms}};
        a.t0 = bh_net_now();
        uint8_t magic[MIG_MAGIC_LEN];
        uint32_t t;
        int rc = -1;
        if (bh_net_read_all(fd, magic, sizeof magic, d->o.timeout_ms, e, sizeof e) == 0) {
            if (memcmp(magic, MIG_MAGIC, MIG_MAGIC_LEN) != 0)
                snprintf(e, sizeof e, "not a migration stream (bad magic)");
            else if (recv_msg(&a.c, &t, &d->in, e, sizeof e) == 0) {
                if (t == M_QUERY)
                    answer_query(d, &a.c);
                else if (t != M_HELLO)
                    snprintf(e, sizeof e, "%s where HELLO was due", msg_name(t));
                else
                    rc = dst_receive(&a, e, sizeof e);
                if (t == M_QUERY) {
                    bh_net_close(fd);
                    continue;
                }
            }
        }
        bh_net_close(fd);
        if (rc == 0) {
            *vm = a.vm;
            *img = a.img;
            return 0;
        }
        report(d->o.report, d->o.report_ctx,
               "migrate: incoming migration failed: %s; the source keeps its VM; waiting for "
               "the next one",
               e);
    }
}

void bh_migrate_dst_poll(struct bh_mig_dst *d)
{
    char e[256];
    int fd = bh_net_accept(d->lfd, 0, e, sizeof e);
    if (fd < 0)
        return;
    struct conn c = {.fd = fd, .timeout_ms = 500};
    uint8_t magic[MIG_MAGIC_LEN];
    uint32_t t;
    if (bh_net_read_all(fd, magic, sizeof magic, 500, e, sizeof e) == 0 &&
        memcmp(magic, MIG_MAGIC, MIG_MAGIC_LEN) == 0 &&
        recv_msg(&c, &t, &d->in, e, sizeof e) == 0) {
        if (t == M_QUERY)
            answer_query(d, &c);
        else if (t == M_HELLO) {
            static const char busy[] = "this destination is busy running another VM";
            send_msg(&c, M_REFUSE, busy, sizeof busy - 1, e, sizeof e);
        }
    }
    bh_net_close(fd);
}

/* ------------------------------------------------------ command line */

static int named(const char *a, const char *name)
{
    size_t n = strlen(name);
    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

/* "--opt VALUE" or "--opt=VALUE" */
static const char *value_of(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

static int positive(const char *v, uint64_t *out)
{
    char *end;
    if (!v || *v < '0' || *v > '9')
        return -1;
    errno = 0;
    *out = strtoull(v, &end, 10);
    return errno || *end ? -1 : 0;
}

int bh_migrate_cli_option(int argc, char **argv, int *i, struct bh_mig_cli *o, char *err,
                          size_t errlen)
{
    const char *a = argv[*i], *v;
    char host[256], port[8];
    uint64_t n;
    if (named(a, "--migrate")) {
        if (!(v = value_of(argc, argv, i, "--migrate")) || !*v)
            return bh_errf(err, errlen, "--migrate needs [NAME=]tcp:HOST:PORT");
        const char *eq = strchr(v, '=');
        o->to_name[0] = '\0';
        if (eq && strncmp(v, "tcp:", 4) != 0) {
            if ((size_t)(eq - v) >= sizeof o->to_name || eq == v)
                return bh_errf(err, errlen, "--migrate: bad VM name in '%s'", v);
            memcpy(o->to_name, v, (size_t)(eq - v));
            o->to_name[eq - v] = '\0';
            v = eq + 1;
        }
        if (bh_net_parse_addr(v, host, sizeof host, port, sizeof port, err, errlen))
            return -1;
        o->to = v;
    } else if (named(a, "--migrate-after")) {
        if (positive(v = value_of(argc, argv, i, "--migrate-after"), &o->after) || !o->after)
            return bh_errf(err, errlen, "--migrate-after needs a positive number of instructions");
    } else if (named(a, "--max-downtime")) {
        char *end;
        v = value_of(argc, argv, i, "--max-downtime");
        double ms = v ? strtod(v, &end) : -1;
        if (!v || end == v || (*end && strcmp(end, "ms") != 0) || !(ms > 0))
            return bh_errf(err, errlen, "--max-downtime needs milliseconds (e.g. 30), not '%s'",
                           v ? v : "");
        o->max_downtime = ms / 1000.0;
    } else if (named(a, "--max-bandwidth")) {
        v = value_of(argc, argv, i, "--max-bandwidth");
        if (!v || bh_parse_size(v, &o->max_bandwidth) || !o->max_bandwidth)
            return bh_errf(err, errlen, "--max-bandwidth needs bytes per second like 10M, not '%s'",
                           v ? v : "");
    } else if (named(a, "--max-rounds")) {
        if (positive(v = value_of(argc, argv, i, "--max-rounds"), &n) || !n || n > 1000)
            return bh_errf(err, errlen, "--max-rounds needs a number from 1 to 1000");
        o->max_rounds = (unsigned)n;
    } else if (named(a, "--incoming")) {
        if (!(v = value_of(argc, argv, i, "--incoming")) ||
            bh_net_parse_addr(v, host, sizeof host, port, sizeof port, err, errlen))
            return v ? -1 : bh_errf(err, errlen, "--incoming needs tcp:HOST:PORT");
        if (o->incoming && strcmp(o->incoming, v) != 0)
            return bh_errf(err, errlen, "--incoming: one address per myvmm ('%s', then '%s')",
                           o->incoming, v);
        o->incoming = v;
        o->incoming_count++;
    } else if (strcmp(a, "--incoming-prefix") == 0) {
        o->prefix = 1;
    } else {
        return 0;
    }
    return 1;
}

const char *bh_migrate_cli_usage(void)
{
    return "live migration (docs/migration-protocol.md):\n"
           "  --incoming tcp:HOST:PORT   receive a running VM there and run it (give it N\n"
           "                         times to receive N VMs, one after another; their\n"
           "                         output lines then start with 'NAME | ')\n"
           "  --incoming-prefix      start the received VM's lines with 'NAME | ' (as a\n"
           "                         source running several VMs does)\n"
           "  --migrate [NAME=]tcp:HOST:PORT  send the VM (or VM NAME) there when triggered:\n"
           "                         by --migrate-after, SIGUSR2, or the guest (syscall\n"
           "                         60); after a failed attempt SIGUSR2 tries again\n"
           "  --migrate-after N      start the migration after N instructions\n"
           "  --max-downtime MS      pause budget for the switch-over (default 30)\n"
           "  --max-bandwidth SIZE   bytes per second the migration may send (e.g. 10M)\n"
           "  --max-rounds N         pre-copy rounds before switching over anyway (default 30)\n";
}
