/* check_migrate.c: live migration inside one process: the source runs the
 * VM on the test's thread, the destination receives and runs it on
 * another, over loopback (through a small proxy thread that can flip a
 * byte or cut the connection at a chosen offset).  Every case checks that
 * exactly one copy ran to the end and that the output and final state
 * hash equal those of an unmigrated run. */
#include <check.h>
#include <pthread.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "migrate.h"
#include "monitor_test_util.h"
#include "net.h"
#include "snapshot.h"
#include "state/migrate_stream.h"

/* ---- the guest: rewrites a 64 KiB buffer, printing a count each pass ---- */

#define PASSES 3000
/* The attempt runs on its own thread while the guest runs on: a test that
 * needs two attempts to finish before the guest does runs it longer. */
static unsigned passes = PASSES;
#define BUF 0x10040000u

static void build_prog(struct mt_prog *p)
{
    memset(p, 0, sizeof *p);
    mt_li(p, S0, 0);
    mt_li(p, S1, passes);
    mt_li(p, T1, BUF);
    mt_li(p, 11, 65536); /* $t3 */
    unsigned outer = p->n;
    mt_li(p, T0, 0);
    unsigned inner = p->n;
    mt_emit(p, ISA_ADDU, T1, T0, T2, 0, 0);
    mt_emit(p, ISA_ADDU, S0, T0, 12, 0, 0); /* $t4 = pass + offset: every word changes */
    mt_emit(p, ISA_SW, T2, 12, 0, 0, 0);
    mt_emit(p, ISA_ADDIU, T0, T0, 0, 0, 64);
    mt_emit(p, ISA_BNE, T0, 11, 0, 0, (uint32_t)((int32_t)inner - (int32_t)p->n - 1));
    mt_syscall(p, 60); /* request migration: -1 unless armed; $v0 is reloaded below */
    mt_move(p, A0, S0);
    mt_syscall(p, 1); /* print_int: a line is split here and there */
    mt_li(p, A0, '\n');
    mt_syscall(p, 11); /* print_char */
    mt_emit(p, ISA_ADDIU, S0, S0, 0, 0, 1);
    mt_emit(p, ISA_BNE, S0, S1, 0, 0, (uint32_t)((int32_t)outer - (int32_t)p->n - 1));
    mt_syscall(p, 10);
}

struct reference {
    char *out;
    uint64_t hash, icount;
};
static struct reference ref;

static void make_reference(void)
{
    struct mt_prog p;
    struct mt_vm t;
    build_prog(&p);
    mt_start(&t, &p, NULL, NULL);
    do
        t.st = bh_monitor_step(t.vm, 100000, t.msg, sizeof t.msg);
    while (t.st == BH_VM_RUNNING);
    fflush(t.out);
    const char *out = t.outbuf;
    ck_assert_int_eq(t.st, BH_VM_EXITED);
    ref.out = strdup(out ? out : "");
    ref.hash = bh_snapshot_state_hash(t.vm);
    ref.icount = bh_vm_icount(t.vm);
    mt_end(&t);
}

/* ---- a proxy that corrupts or cuts its first connection ---- */

enum fault { FX_NONE, FX_FLIP_S2D, FX_FLIP_D2S, FX_CUT_S2D, FX_CUT_D2S };

struct proxy {
    int lfd, dport;
    enum fault fault;
    uint64_t at; /* byte offset of the fault in that direction */
    volatile int stop;
    uint64_t s2d, d2s; /* bytes forwarded on the first connection */
    pthread_t th;
};

/* Forward one connection until either side closes; 0 if it was cut. */
static void proxy_conn(struct proxy *px, int a, int first)
{
    char addr[64], e[128];
    snprintf(addr, sizeof addr, "tcp:127.0.0.1:%d", px->dport);
    int b = bh_net_connect(addr, 1000, NULL, e, sizeof e);
    if (b < 0) {
        close(a);
        return;
    }
    uint64_t count[2] = {0, 0};
    uint8_t buf[65536];
    while (!px->stop) {
        struct pollfd pf[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
        if (poll(pf, 2, 50) <= 0)
            continue;
        int dir = (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) ? 0 : 1;
        int from = dir ? b : a, to = dir ? a : b;
        ssize_t n = read(from, buf, sizeof buf);
        if (n <= 0)
            break;
        enum fault flip = dir ? FX_FLIP_D2S : FX_FLIP_S2D, cut = dir ? FX_CUT_D2S : FX_CUT_S2D;
        if (first && px->fault == flip && px->at >= count[dir] && px->at < count[dir] + (uint64_t)n)
            buf[px->at - count[dir]] ^= 0x20;
        if (first && px->fault == cut && px->at < count[dir] + (uint64_t)n) {
            size_t keep = (size_t)(px->at - count[dir]);
            if (keep)
                bh_net_write_all(to, buf, keep, 1000, e, sizeof e);
            break;
        }
        count[dir] += (uint64_t)n;
        if (bh_net_write_all(to, buf, (size_t)n, 1000, e, sizeof e))
            break;
    }
    if (first) {
        px->s2d = count[0];
        px->d2s = count[1];
    }
    close(a);
    close(b);
}

static void *proxy_main(void *arg)
{
    struct proxy *px = arg;
    char e[128];
    int first = 1;
    while (!px->stop) {
        int fd = bh_net_accept(px->lfd, 50, e, sizeof e);
        if (fd < 0)
            continue;
        proxy_conn(px, fd, first);
        first = 0;
    }
    return NULL;
}

/* ---- the destination thread: receive, run to the end, keep answering ---- */

struct dest {
    struct bh_mig_dst *d;
    volatile int stop;
    int took;
    char *out;
    size_t outlen;
    FILE *outf;
    uint64_t hash;
    enum bh_vm_state st;
    pthread_t th;
};

static int dest_setup(void *ctx, struct bh_vm *vm, char *err, size_t errlen)
{
    struct dest *ds = ctx;
    (void)err;
    (void)errlen;
    if (ds->outf)
        fclose(ds->outf);
    free(ds->out);
    ds->out = NULL;
    ds->outf = open_memstream(&ds->out, &ds->outlen);
    bh_console_attach(bh_vm_console(vm), NULL, ds->outf, "");
    bh_vm_console(vm)->in = NULL;
    bh_vm_console(vm)->in_fd = -1;
    return 0;
}

static void *dest_main(void *arg)
{
    struct dest *ds = arg;
    char e[512], msg[1024];
    while (!ds->stop) {
        struct bh_vm *vm;
        struct bh_image *img;
        int rc = bh_migrate_dst_accept(ds->d, 50, &vm, &img, e, sizeof e);
        if (rc != 0)
            continue;
        ds->took++;
        do {
            ds->st = bh_monitor_step(vm, 2000, msg, sizeof msg);
            bh_migrate_dst_poll(ds->d);
        } while (ds->st == BH_VM_RUNNING);
        bh_console_flush(bh_vm_console(vm));
        fflush(ds->outf);
        ds->hash = bh_snapshot_state_hash(vm);
        bh_vm_destroy(vm);
        bh_image_free(img);
        free(img);
    }
    return NULL;
}

struct lines {
    char text[8192];
};
static void collect(void *ctx, const char *line)
{
    struct lines *l = ctx;
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "%s\n", line);
}

struct outcome {
    int src_gone, src_done, dst_took;
    char *out; /* source output followed by the destination's */
    uint64_t hash;
    struct lines src_log, dst_log;
    uint64_t s2d, d2s;
    int away, aways, away_bad; /* the away callback: its last value, calls, calls out of turn */
};

/* The source's away callback (on the VM's thread: here the test's): 1
 * then 0, never twice the same. */
static void note_away(void *ctx, int away)
{
    struct outcome *oc = ctx;
    if (away == oc->away)
        oc->away_bad++;
    oc->away = away;
    oc->aways++;
}

/* The attempt's progress reports (on its thread), per migrate_once. */
static struct {
    pthread_mutex_t mu;
    int calls, finished, after_finish, went_back, over_total;
    uint64_t last_done;
} plog = {.mu = PTHREAD_MUTEX_INITIALIZER};
static void plog_note(void *ctx, const struct bh_progress *p)
{
    (void)ctx;
    pthread_mutex_lock(&plog.mu);
    if (plog.finished)
        plog.after_finish++;
    if (p->done < plog.last_done)
        plog.went_back = 1;
    if (!p->finished && p->done > p->total)
        plog.over_total = 1;
    plog.last_done = p->done;
    plog.calls++;
    plog.finished += p->finished;
    pthread_mutex_unlock(&plog.mu);
}

/* How migrate_once triggers: by --migrate-after (after), by the guest's
 * syscall 60 (the controller attached), and whether a failed attempt is
 * retried once (as SIGUSR2 would). */
static int guest_trigger, retry_once;

/* One migration; after: instruction count that triggers it. */
static void migrate_once(uint64_t after, enum fault fault, uint64_t at, uint64_t dst_max_mem,
                         struct outcome *oc)
{
    memset(oc, 0, sizeof *oc);
    char e[512];
    struct dest ds;
    memset(&ds, 0, sizeof ds);
    struct bh_mig_dst_opts dopt = {.timeout_ms = 1000,
                                   .max_memory = dst_max_mem,
                                   .setup = dest_setup,
                                   .setup_ctx = &ds,
                                   .report = collect,
                                   .report_ctx = &oc->dst_log};
    ds.d = bh_migrate_dst_new("tcp:127.0.0.1:0", &dopt, e, sizeof e);
    ck_assert_msg(ds.d != NULL, "%s", e);
    struct proxy px;
    memset(&px, 0, sizeof px);
    px.dport = bh_migrate_dst_port(ds.d);
    px.fault = fault;
    px.at = at;
    px.lfd = bh_net_listen("tcp:127.0.0.1:0", e, sizeof e);
    ck_assert_msg(px.lfd >= 0, "%s", e);
    char addr[64];
    snprintf(addr, sizeof addr, "tcp:127.0.0.1:%d", bh_net_local_port(px.lfd));
    ck_assert_int_eq(pthread_create(&ds.th, NULL, dest_main, &ds), 0);
    ck_assert_int_eq(pthread_create(&px.th, NULL, proxy_main, &px), 0);

    struct mt_prog p;
    struct mt_vm t;
    build_prog(&p);
    mt_start(&t, &p, NULL, NULL);
    struct bh_mig_src_opts so = {.addr = addr,
                                 .after = after,
                                 .timeout_ms = 1000,
                                 .rescue_path = "/nonexistent/rescue.snap",
                                 .report = collect,
                                 .report_ctx = &oc->src_log,
                                 .progress = plog_note,
                                 .away = note_away,
                                 .away_ctx = oc};
    pthread_mutex_lock(&plog.mu);
    plog.calls = plog.finished = plog.after_finish = plog.went_back = plog.over_total = 0;
    plog.last_done = 0;
    pthread_mutex_unlock(&plog.mu);
    struct bh_mig_src *m = bh_migrate_src_new(&so, e, sizeof e);
    ck_assert_msg(m != NULL, "%s", e);
    if (guest_trigger)
        bh_migrate_src_attach(m, t.vm);
    int retried = 0;
    enum bh_mig_tick mt = BH_MIG_RUN;
    do {
        if (mt == BH_MIG_PAUSED) { /* the switch-over: the VM waits for its outcome */
            struct pollfd pf = {bh_migrate_src_wait_fd(m), POLLIN, 0};
            ck_assert_int_ge(pf.fd, 0);
            poll(&pf, 1, 100);
        } else {
            t.st = bh_monitor_step(t.vm, bh_migrate_src_budget(m, t.vm, 2000), t.msg,
                                   sizeof t.msg);
        }
        if (bh_migrate_src_active(m))
            syscall(SYS_sched_yield); /* a loaded host: let the attempt's thread run */
        if (t.st == BH_VM_RUNNING && (mt = bh_migrate_src_tick(m, t.vm)) == BH_MIG_GONE) {
            oc->src_gone = 1;
            break;
        }
        if (retry_once && !retried && strstr(oc->src_log.text, "failed")) {
            bh_migrate_src_request(m);
            retried = 1;
        }
    } while (t.st == BH_VM_RUNNING);
    if (!oc->src_gone) {
        bh_migrate_src_stopped(m);
        oc->src_done = t.st == BH_VM_EXITED;
        oc->hash = bh_snapshot_state_hash(t.vm);
    }
    bh_console_flush(bh_vm_console(t.vm));
    fflush(t.out);
    bh_migrate_src_free(m);

    /* let the destination finish a VM it took, then stop both threads */
    for (int i = 0; i < 400 && oc->src_gone && !(ds.took && ds.st != BH_VM_RUNNING); i++)
        usleep(5000);
    ds.stop = 1;
    px.stop = 1;
    pthread_join(ds.th, NULL);
    pthread_join(px.th, NULL);
    close(px.lfd);
    oc->s2d = px.s2d;
    oc->d2s = px.d2s;
    oc->dst_took = ds.took;
    if (ds.took)
        oc->hash = ds.hash;
    size_t a = t.outbuf ? strlen(t.outbuf) : 0, b = ds.out ? strlen(ds.out) : 0;
    oc->out = calloc(1, a + b + 1);
    if (a)
        memcpy(oc->out, t.outbuf, a);
    if (b)
        memcpy(oc->out + a, ds.out, b);
    if (ds.outf)
        fclose(ds.outf);
    free(ds.out);
    bh_migrate_dst_free(ds.d);
    mt_end(&t);
}

/* Exactly one copy ran to the end, and it ran as the unmigrated one did. */
static void check_one_copy(const struct outcome *oc, const char *what)
{
    ck_assert_msg(oc->src_gone + oc->src_done == 1,
                  "%s: source neither handed over nor finished\n%s", what, oc->src_log.text);
    ck_assert_msg(oc->src_gone == oc->dst_took,
                  "%s: source %s, destination took %d VM(s)\nsource:\n%sdestination:\n%s", what,
                  oc->src_gone ? "handed over" : "kept the VM", oc->dst_took, oc->src_log.text,
                  oc->dst_log.text);
    /* the VM is away (its switch port detached) from the switch-over on
     * when it went, and back when the source kept it */
    ck_assert_msg(oc->away_bad == 0, "%s: away called twice with one value", what);
    ck_assert_msg(oc->away == oc->src_gone, "%s: away %d at the end, the VM %s", what, oc->away,
                  oc->src_gone ? "went" : "stayed");
    ck_assert_msg(!oc->src_gone || oc->aways % 2 == 1, "%s: the VM went and away was called %d "
                  "times", what, oc->aways);
    ck_assert_msg(strcmp(oc->out, ref.out) == 0, "%s: output differs (%zu vs %zu bytes)", what,
                  strlen(oc->out), strlen(ref.out));
    ck_assert_msg(oc->hash == ref.hash, "%s: final state hash differs", what);
}

START_TEST(test_migrate_points)
{
    make_reference();
    /* early (before the first line), a quarter in, mid-run.  The VM runs
     * on during pre-copy: a later point left the last quarter of the run
     * (a few ms) for the handshake and rounds, and on a loaded machine the
     * VM sometimes finished first (one copy, but no migration to check). */
    const uint64_t points[] = {1, 5000, ref.icount / 4, ref.icount / 2};
    for (unsigned i = 0; i < sizeof points / sizeof points[0]; i++) {
        struct outcome oc;
        migrate_once(points[i], FX_NONE, 0, 0, &oc);
        char what[64];
        snprintf(what, sizeof what, "migration at %llu", (unsigned long long)points[i]);
        check_one_copy(&oc, what);
        ck_assert_msg(oc.src_gone, "%s: did not migrate\n%s%s", what, oc.src_log.text,
                      oc.dst_log.text);
        ck_assert_msg(strstr(oc.src_log.text, "summary: handed over") != NULL, "%s",
                      oc.src_log.text);
        ck_assert_msg(strstr(oc.src_log.text, "downtime") != NULL, "%s", oc.src_log.text);
        ck_assert_msg(strstr(oc.dst_log.text, "running here") != NULL, "%s", oc.dst_log.text);
        /* progress: growing, never past its estimate, finished once and
         * last, at every byte the destination got but the connection's
         * own handshake (before HELLO: under 1 KiB) */
        pthread_mutex_lock(&plog.mu);
        ck_assert_int_ge(plog.calls, 3);
        ck_assert_int_eq(plog.finished, 1);
        ck_assert_int_eq(plog.after_finish, 0);
        ck_assert_msg(!plog.went_back, "progress went back");
        ck_assert_msg(!plog.over_total, "progress past its total");
        ck_assert_uint_le(plog.last_done, oc.s2d);
        ck_assert_uint_ge(plog.last_done + 1024, oc.s2d);
        pthread_mutex_unlock(&plog.mu);
        free(oc.out);
    }
    free(ref.out);
}
END_TEST

START_TEST(test_migrate_refused)
{
    make_reference();
    struct outcome oc;
    /* the destination allows less memory than the VM has */
    migrate_once(20000, FX_NONE, 0, 1u << 20, &oc);
    check_one_copy(&oc, "refused");
    ck_assert_int_eq(oc.src_gone, 0);
    ck_assert_msg(strstr(oc.src_log.text, "refused") && strstr(oc.src_log.text, "resumes here"),
                  "%s", oc.src_log.text);
    /* its progress ends as a failure (-1), once */
    pthread_mutex_lock(&plog.mu);
    ck_assert_int_eq(plog.finished, -1);
    ck_assert_int_eq(plog.after_finish, 0);
    pthread_mutex_unlock(&plog.mu);
    free(oc.out);
    free(ref.out);
}
END_TEST

static void *accept_one(void *arg)
{
    struct bh_vm *vm = NULL;
    struct bh_image *img = NULL;
    char err[256];
    bh_migrate_dst_accept(arg, 1500, &vm, &img, err, sizeof err); /* refuses, then times out */
    return vm;
}

/* A source of protocol version 4 (before the disk): the destination
 * refuses it by both numbers, and says which side is older. */
START_TEST(test_migrate_old_peer)
{
    char err[512];
    struct bh_mig_dst_opts o = {0};
    struct bh_mig_dst *d = bh_migrate_dst_new("tcp:127.0.0.1:0", &o, err, sizeof err);
    ck_assert_msg(d != NULL, "%s", err);
    char addr[64];
    snprintf(addr, sizeof addr, "tcp:127.0.0.1:%d", bh_migrate_dst_port(d));
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, accept_one, d), 0);
    struct conn c;
    struct mig_psk none = {{0}, 0};
    ck_assert_msg(bh_mig_connect(&c, addr, &none, 2000, NULL, err, sizeof err) == 0, "%s", err);
    uint8_t hello[64] = {0};
    bh_put32(hello, 4);
    bh_put32(hello + 4, 4096);
    ck_assert_int_eq(bh_mig_send(&c, M_HELLO, hello, sizeof hello, err, sizeof err), 0);
    uint32_t t;
    struct bh_buf in = {0};
    ck_assert_msg(bh_mig_recv(&c, &t, &in, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(t, M_REFUSE);
    char text[400];
    bh_mig_body_text(&in, text, sizeof text);
    ck_assert_msg(strstr(text, "protocol version 4: this myvmm speaks version 5 (the source's "
                               "myvmm is older)"),
                  "%s", text);
    bh_buf_free(&in);
    bh_mig_close(&c);
    void *vm;
    pthread_join(th, &vm);
    ck_assert_ptr_null(vm);
    bh_migrate_dst_free(d);
}
END_TEST

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Flip one byte, or cut, at random offsets of both directions: 130 cases. */
START_TEST(test_migrate_faults)
{
    make_reference();
    struct outcome clean;
    migrate_once(50000, FX_NONE, 0, 0, &clean);
    check_one_copy(&clean, "clean run through the proxy");
    ck_assert_uint_gt(clean.s2d, 1000);
    free(clean.out);
    struct {
        enum fault f;
        unsigned n;
    } plan[] = {{FX_FLIP_S2D, 70}, {FX_FLIP_D2S, 15}, {FX_CUT_S2D, 30}, {FX_CUT_D2S, 15}};
    unsigned cases = 0, kept = 0, moved = 0;
    for (unsigned k = 0; k < sizeof plan / sizeof plan[0]; k++) {
        uint64_t span = plan[k].f == FX_FLIP_S2D || plan[k].f == FX_CUT_S2D ? clean.s2d : clean.d2s;
        for (unsigned i = 0; i < plan[k].n; i++) {
            /* the last bytes (END, GO, CONFIRM, ACK) get their share */
            uint64_t at = i % 4 == 3 ? span - 1 - rng() % 64 : rng() % span;
            struct outcome oc;
            migrate_once(50000, plan[k].f, at, 0, &oc);
            char what[96];
            snprintf(what, sizeof what, "fault %d at byte %llu of %llu", plan[k].f,
                     (unsigned long long)at, (unsigned long long)span);
            if (getenv("MIG_DEBUG"))
                fprintf(stderr, "%s: %s\n%s%s\n", what, oc.src_gone ? "moved" : "kept",
                        oc.src_log.text, oc.dst_log.text);
            check_one_copy(&oc, what);
            kept += !oc.src_gone;
            moved += oc.src_gone;
            cases++;
            free(oc.out);
        }
    }
    if (getenv("MIG_DEBUG"))
        fprintf(stderr, "%u cases: %u kept on the source, %u moved\n", cases, kept, moved);
    ck_assert_uint_ge(cases, 100);
    /* both outcomes happen: a fault is not always fatal (a cut after the
     * last byte), and it is mostly fatal */
    ck_assert_uint_gt(kept, 0);
    free(ref.out);
}
END_TEST

/* The guest asks (syscall 60): no --migrate-after, no request from outside. */
START_TEST(test_migrate_guest_request)
{
    make_reference();
    guest_trigger = 1;
    struct outcome oc;
    migrate_once(0, FX_NONE, 0, 0, &oc);
    guest_trigger = 0;
    check_one_copy(&oc, "guest request");
    ck_assert_msg(oc.src_gone, "the guest's request did not migrate it\n%s", oc.src_log.text);
    free(oc.out);
    free(ref.out);

    /* $v0: -1 with no destination configured, 0 once a controller is attached */
    for (int armed = 0; armed < 2; armed++) {
        struct mt_prog p;
        memset(&p, 0, sizeof p);
        mt_syscall(&p, 60);
        mt_move(&p, A0, 2);
        mt_syscall(&p, 1);
        mt_syscall(&p, 10);
        struct mt_vm t;
        mt_start(&t, &p, NULL, NULL);
        char e[128];
        struct bh_mig_src *m =
            bh_migrate_src_new(&(struct bh_mig_src_opts){.addr = "tcp:127.0.0.1:1"}, e, sizeof e);
        ck_assert_ptr_nonnull(m);
        if (armed)
            bh_migrate_src_attach(m, t.vm);
        ck_assert_int_eq(bh_migrate_src_pending(m, t.vm), 0);
        t.st = bh_monitor_step(t.vm, 4, t.msg, sizeof t.msg); /* li, li, syscall 60, move */
        ck_assert_int_eq(bh_migrate_src_pending(m, t.vm), armed);
        mt_run(&t);
        fflush(t.out);
        ck_assert_str_eq(t.outbuf, armed ? "0" : "-1");
        bh_migrate_src_free(m);
        mt_end(&t);
    }
}
END_TEST

/* A failed attempt (the connection cut mid-stream): the VM resumes, the
 * log says why, and a later trigger tries again and succeeds. */
START_TEST(test_migrate_retry)
{
    passes = 4 * PASSES;
    make_reference();
    retry_once = 1;
    struct outcome oc;
    migrate_once(30000, FX_CUT_S2D, 20000, 0, &oc);
    retry_once = 0;
    passes = PASSES;
    check_one_copy(&oc, "retry");
    ck_assert_msg(oc.src_gone, "no successful retry\n%s", oc.src_log.text);
    ck_assert_msg(strstr(oc.src_log.text, "failed: ") && strstr(oc.src_log.text, "resumes here") &&
                      strstr(oc.src_log.text, "(attempt 2)"),
                  "%s", oc.src_log.text);
    ck_assert_int_eq(oc.dst_took, 1);
    free(oc.out);
    free(ref.out);
}
END_TEST

START_TEST(test_net_addr)
{
    char h[64], p[8], e[128];
    ck_assert_int_eq(bh_net_parse_addr("tcp:127.0.0.1:4444", h, sizeof h, p, sizeof p, e, sizeof e),
                     0);
    ck_assert_str_eq(h, "127.0.0.1");
    ck_assert_str_eq(p, "4444");
    ck_assert_int_eq(bh_net_parse_addr("tcp:[::1]:80", h, sizeof h, p, sizeof p, e, sizeof e), 0);
    ck_assert_str_eq(h, "::1");
    ck_assert_int_eq(bh_net_parse_addr("udp:1.2.3.4:5", h, sizeof h, p, sizeof p, e, sizeof e), -1);
    ck_assert_ptr_nonnull(strstr(e, "tcp:HOST:PORT"));
    ck_assert_int_eq(bh_net_parse_addr("tcp:host", h, sizeof h, p, sizeof p, e, sizeof e), -1);
    ck_assert_int_eq(bh_net_parse_addr("tcp:host:port", h, sizeof h, p, sizeof p, e, sizeof e), -1);
    ck_assert_int_eq(bh_net_parse_addr("tcp::80", h, sizeof h, p, sizeof p, e, sizeof e), -1);
    /* nothing listens on port 1 of loopback: a message, not a hang */
    ck_assert_int_eq(bh_net_connect("tcp:127.0.0.1:1", 1000, NULL, e, sizeof e), -1);
    ck_assert_ptr_nonnull(strstr(e, "connect to tcp:127.0.0.1:1"));
}
END_TEST

/* A source whose destination is not there: the VM just goes on. */
START_TEST(test_migrate_no_destination)
{
    make_reference();
    struct mt_prog p;
    struct mt_vm t;
    build_prog(&p);
    mt_start(&t, &p, NULL, NULL);
    struct lines log = {{0}};
    char e[256];
    struct bh_mig_src_opts so = {.addr = "tcp:127.0.0.1:1",
                                 .after = 10000,
                                 .timeout_ms = 500,
                                 .report = collect,
                                 .report_ctx = &log};
    struct bh_mig_src *m = bh_migrate_src_new(&so, e, sizeof e);
    ck_assert_ptr_nonnull(m);
    do {
        t.st = bh_monitor_step(t.vm, bh_migrate_src_budget(m, t.vm, 2000), t.msg, sizeof t.msg);
        if (t.st == BH_VM_RUNNING)
            ck_assert_int_eq(bh_migrate_src_tick(m, t.vm), BH_MIG_RUN);
    } while (t.st == BH_VM_RUNNING);
    fflush(t.out);
    ck_assert_str_eq(t.outbuf, ref.out);
    ck_assert_ptr_nonnull(strstr(log.text, "failed"));
    ck_assert_ptr_nonnull(strstr(log.text, "resumes here"));
    ck_assert_ptr_null(
        bh_migrate_src_new(&(struct bh_mig_src_opts){.addr = "127.0.0.1:4"}, e, sizeof e));
    bh_migrate_src_free(m);
    mt_end(&t);
    free(ref.out);
}
END_TEST

/* A destination that accepts (the kernel's backlog does) and never
 * answers: the VM runs to its end while the attempt waits for the
 * handshake (5 s), never paused, and stopping it abandons the attempt at
 * once.  When the handshake ran on the VM's thread, the first tick held
 * the VM for the whole timeout and the attempt failed. */
START_TEST(test_migrate_hung_destination)
{
    make_reference();
    char e[256];
    int lfd = bh_net_listen("tcp:127.0.0.1:0", e, sizeof e);
    ck_assert_msg(lfd >= 0, "%s", e);
    char addr[64];
    snprintf(addr, sizeof addr, "tcp:127.0.0.1:%d", bh_net_local_port(lfd));
    struct mt_prog p;
    struct mt_vm t;
    build_prog(&p);
    mt_start(&t, &p, NULL, NULL);
    struct lines log = {{0}};
    struct bh_mig_src_opts so = {
        .addr = addr, .after = 10000, .timeout_ms = 5000, .report = collect, .report_ctx = &log};
    struct bh_mig_src *m = bh_migrate_src_new(&so, e, sizeof e);
    ck_assert_ptr_nonnull(m);
    int was_active = 0;
    do {
        t.st = bh_monitor_step(t.vm, bh_migrate_src_budget(m, t.vm, 2000), t.msg, sizeof t.msg);
        if (t.st == BH_VM_RUNNING)
            ck_assert_int_eq(bh_migrate_src_tick(m, t.vm), BH_MIG_RUN);
        was_active |= bh_migrate_src_active(m);
    } while (t.st == BH_VM_RUNNING);
    ck_assert_int_eq(t.st, BH_VM_EXITED);
    ck_assert_int_eq(was_active, 1);
    ck_assert_int_eq(bh_migrate_src_active(m), 1); /* still waiting for the handshake */
    bh_migrate_src_stopped(m);
    ck_assert_int_eq(bh_migrate_src_active(m), 0);
    bh_migrate_src_free(m);
    fflush(t.out);
    ck_assert_str_eq(t.outbuf, ref.out);
    ck_assert_ptr_null(strstr(log.text, "failed"));
    ck_assert_ptr_null(strstr(log.text, "pausing"));
    ck_assert_ptr_nonnull(strstr(log.text, "the VM stopped during the migration"));
    close(lfd);
    mt_end(&t);
    free(ref.out);
}
END_TEST

/* A peer that sends one byte every 100 ms until its socket is closed. */
static void *trickler(void *arg)
{
    int fd = *(int *)arg;
    for (int i = 0; i < 100; i++) {
        if (send(fd, "x", 1, MSG_NOSIGNAL) != 1)
            break;
        usleep(100000);
    }
    return NULL;
}

/* A read's timeout covers the whole read: a peer trickling bytes faster
 * than the timeout cannot stretch it (40 bytes take the peer 4 s; the
 * read gives up after 200 ms).  With a per-wait timeout it succeeded. */
START_TEST(test_net_whole_deadline)
{
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, trickler, &sv[1]), 0);
    char buf[40], err[128] = "";
    double t0 = bh_net_now();
    ck_assert_int_eq(bh_net_read_all(sv[0], buf, sizeof buf, 200, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "timed out") != NULL, "%s", err);
    ck_assert(bh_net_now() - t0 < 3.9);
    shutdown(sv[1], SHUT_RDWR);
    pthread_join(th, NULL);
    close(sv[0]);
    close(sv[1]);
}
END_TEST

/* A watch cuts a read short once its fd is readable, not before its time. */
START_TEST(test_net_watch)
{
    int sv[2], pv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ck_assert_int_eq(pipe(pv), 0);
    ck_assert_int_eq(write(pv[1], "n", 1), 1);
    char buf[4], err[128] = "";
    double t0 = bh_net_now();
    struct bh_net_watch w = {pv[0], t0 + 0.2, "a newcomer"};
    ck_assert_int_eq(bh_net_read_watch(sv[0], buf, sizeof buf, 10000, &w, err, sizeof err), -2);
    ck_assert_str_eq(err, "a newcomer");
    ck_assert(bh_net_now() - t0 >= 0.2);
    ck_assert(bh_net_now() - t0 < 9.0); /* not the timeout */
    for (int i = 0; i < 2; i++) {
        close(sv[i]);
        close(pv[i]);
    }
}
END_TEST

Suite *migrate_suite(void)
{
    Suite *s = suite_create("migrate");
    TCase *tc = tcase_create("migration");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_net_addr);
    tcase_add_test(tc, test_net_whole_deadline);
    tcase_add_test(tc, test_net_watch);
    tcase_add_test(tc, test_migrate_points);
    tcase_add_test(tc, test_migrate_refused);
    tcase_add_test(tc, test_migrate_old_peer);
    tcase_add_test(tc, test_migrate_no_destination);
    tcase_add_test(tc, test_migrate_hung_destination);
    tcase_add_test(tc, test_migrate_faults);
    tcase_add_test(tc, test_migrate_guest_request);
    tcase_add_test(tc, test_migrate_retry);
    suite_add_tcase(s, tc);
    return s;
}
