/* migrate_dst.c: live migration, the destination's state machine
 * (migrate.h; the stream is specified in docs/migration-protocol.md,
 * framed by migrate_stream.c).
 *
 * Destination: accept -> HELLO (refuse what does not fit) -> WELCOME ->
 * pages, CPU, DEV -> END (check all) -> CONFIRM -> GO -> ACK -> run.
 * Anything else before GO discards the VM: the source still has it.
 *
 * Nothing here prints: lines go to the caller's report callback.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

/* <sched.h>'s, declared here: with -Ivm/host on the include path,
 * #include <sched.h> finds the host scheduler's header instead. */
int sched_yield(void);

#define TAKEN_MAX 64

/* A VM received while another ran: it waits for its turn. */
struct arrived {
    struct bh_vm *vm;
    struct bh_image *img;
};

struct bh_mig_dst {
    struct bh_mig_dst_opts o;
    struct mig_psk psk;
    int lfd;
    uint64_t taken[TAKEN_MAX]; /* ids of VMs this destination took (ring) */
    unsigned ntaken;
    int received; /* VMs received in all, of o.count */
    struct arrived *queue;
    unsigned nqueued;
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
    if (d->o.count < 1)
        d->o.count = 1;
    if (d->o.timeout_ms <= 0)
        d->o.timeout_ms = 30000;
    if (bh_mig_setup_key(o->psk_file, addr, o->insecure, "--incoming", &d->psk, err, errlen)) {
        free(d);
        return NULL;
    }
    d->lfd = bh_net_listen(addr, err, errlen);
    if (d->lfd < 0) {
        bh_mig_psk_clear(&d->psk);
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
    for (unsigned i = 0; i < d->nqueued; i++) {
        bh_vm_destroy(d->queue[i].vm);
        bh_image_free(d->queue[i].img);
        free(d->queue[i].img);
    }
    free(d->queue);
    bh_mig_psk_clear(&d->psk);
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
    bh_mig_send(c, M_STATUS, st, sizeof st, e, sizeof e);
}

/* How long a connection may sit in its opening before another one that
 * arrives takes its place: a real source finishes it in a round trip and
 * one HELLO, so only a slow or stalled client loses it, and a flood of
 * new connections cannot push out a source that is making progress. */
#define OPENING_GRACE 1.0

/* A new connection's opening: the magic, the authentication handshake and
 * the first message, all within timeout_ms; with preempt, it is dropped
 * when another connection arrives after OPENING_GRACE.  0 with c ready and
 * the first message's type in *t (its body in d->in), or -1 with the
 * reason; *authed says whether the handshake passed (then a REFUSE can
 * reach the source). */
static int dst_open(struct bh_mig_dst *d, struct conn *c, int timeout_ms, int preempt, uint32_t *t,
                    int *authed, char *err, size_t errlen)
{
    double now = bh_net_now(), deadline = now + timeout_ms / 1000.0;
    struct bh_net_watch w = {d->lfd, now + OPENING_GRACE,
                             "dropped: another connection arrived while this one was still "
                             "in its opening (magic, key exchange, first message) after 1 s"};
    const struct bh_net_watch *wp = preempt ? &w : NULL;
    uint8_t magic[MIG_MAGIC_LEN];
    *authed = 0;
    if (bh_net_read_watch(c->fd, magic, sizeof magic, timeout_ms, wp, err, errlen))
        return -1;
    if (memcmp(magic, MIG_MAGIC, MIG_MAGIC_LEN) != 0)
        return bh_errf(err, errlen, "not a migration stream (bad magic)");
    if (bh_mig_auth_dest(c->fd, &d->psk, deadline, wp, &c->auth, err, errlen))
        return -1;
    *authed = 1;
    int per_message = c->timeout_ms;
    c->timeout_ms = bh_net_ms_left(deadline);
    c->watch = wp;
    int rc = bh_mig_recv(c, t, &d->in, err, errlen);
    c->timeout_ms = per_message;
    c->watch = NULL; /* past its opening a source holds the destination */
    return rc;
}

/* One arriving VM: everything it needs while being received. */
struct arrival {
    struct bh_mig_dst *d;
    struct conn c;
    struct bh_image *img;
    struct bh_vm *vm;
    uint64_t id;
    uint64_t pages, rounds_seen;
    int have_cpu, have_dev, have_mmu, have_disk;
    char *disk_tmp;        /* the disk received so far (DISK.incoming), renamed at GO */
    uint64_t disk_sectors; /* written by DISK messages */
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

/* The image the arriving disk is received into, beside its final name
 * (--disk FILE): FILE.incoming, sized and all zero (a sparse file), so a
 * failed migration leaves FILE as it was.  Refused when FILE or the
 * temporary is another VM's (locked, dev/disk.c). */
static int disk_prepare(struct arrival *a, uint64_t bytes, char *err, size_t errlen)
{
    const char *path = a->d->o.disk;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        int busy = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
        close(fd);
        if (busy)
            return bh_errf(err, errlen, "--disk %s is in use by another VM here", path);
    }
    size_t n = strlen(path) + sizeof ".incoming";
    a->disk_tmp = malloc(n);
    if (!a->disk_tmp)
        return bh_errf(err, errlen, "out of memory");
    snprintf(a->disk_tmp, n, "%s.incoming", path);
    fd = open(a->disk_tmp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    int rc = fd < 0 ? -1 : 0;
    if (rc == 0 && flock(fd, LOCK_EX | LOCK_NB) != 0)
        rc = -1;
    if (rc == 0 && (ftruncate(fd, 0) != 0 || ftruncate(fd, (off_t)bytes) != 0))
        rc = -1;
    int e = errno;
    if (fd >= 0)
        close(fd);
    if (rc) {
        bh_errf(err, errlen, "the disk's copy %s: %s", a->disk_tmp,
                e == EWOULDBLOCK ? "in use by another VM here" : strerror(e));
        free(a->disk_tmp);
        a->disk_tmp = NULL;
    }
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
        return bh_errf(err, errlen,
                       "protocol version %u: this myvmm speaks version %u (the source's myvmm is "
                       "%s)" BH_HELP "run the same myvmm version on both hosts",
                       ver, MIG_VERSION, ver < MIG_VERSION ? "older" : "newer");
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
    if (n - 40 - ilen < 8 || imglen != n - 48 - ilen)
        return bh_errf(err, errlen,
                       "HELLO: program image of %u bytes and the disk's size where %zu bytes are "
                       "left",
                       imglen, n - 40 - ilen);
    uint64_t disk = bh_get64(q + 4 + imglen);
    if (disk % BH_DISK_SECTOR || disk > BH_DISK_MAX_BYTES)
        return bh_errf(err, errlen, "HELLO: a disk of %llu bytes", (unsigned long long)disk);
    if (disk && !a->d->o.disk)
        return bh_errf(err, errlen,
                       "the VM has a disk of %llu KiB and this destination has no --disk for "
                       "it" BH_HELP "start the destination with --disk FILE: the disk arrives "
                       "in FILE",
                       (unsigned long long)(disk >> 10));
    if (disk && disk_prepare(a, disk, err, errlen))
        return -1;
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
    o.machine = id.machine;
    o.fs_root = a->d->o.fs_root;
    o.disk = a->disk_tmp;
    char *argv[] = {id.program[0] ? id.program : (char *)"migrated", NULL};
    o.argc = 1;
    o.argv = argv;
    if (bh_vm_create(a->img, &o, &a->vm, err, errlen))
        return -1;
    if (a->d->o.setup && a->d->o.setup(a->d->o.setup_ctx, a->vm, err, errlen))
        return -1;
    if (zero_writable(a->vm, err, errlen))
        return -1;
    bh_mig_report(a->d->o.report, a->d->o.report_ctx,
                  "migrate: incoming VM %s (program %s, %llu MiB of memory)", o.name, id.program,
                  (unsigned long long)(limit >> 20));
    return 0;
}

/* END: did everything arrive? */
static int dst_end(struct arrival *a, char *err, size_t errlen)
{
    const struct bh_buf *b = &a->d->in;
    if (b->len != 20)
        return bh_errf(err, errlen, "END is %zu bytes, not 20", b->len);
    if (!a->have_cpu || !a->have_dev)
        return bh_errf(err, errlen, "END before the %s state", a->have_cpu ? "device" : "CPU");
    if (!a->have_mmu && bh_vm_machine(a->vm) == BH_MACHINE_BARE)
        return bh_errf(err, errlen, "END before the MMU state of a bare machine");
    if (bh_get64(b->data) != a->pages)
        return bh_errf(err, errlen, "the source sent %llu pages, %llu arrived",
                       (unsigned long long)bh_get64(b->data), (unsigned long long)a->pages);
    struct bh_disk *disk = bh_vm_disk(a->vm);
    if (disk && !a->have_disk)
        return bh_errf(err, errlen, "END before the disk's state");
    if (bh_get64(b->data + 12) != a->disk_sectors)
        return bh_errf(err, errlen, "the source sent %llu disk sectors, %llu arrived",
                       (unsigned long long)bh_get64(b->data + 12),
                       (unsigned long long)a->disk_sectors);
    /* On the host's disk before CONFIRM: after GO, this copy is the disk. */
    if (disk && bh_disk_sync(disk))
        return bh_errf(err, errlen, "the disk's copy %s: %s", a->disk_tmp, strerror(errno));
    return 0;
}

static void arrival_discard(struct arrival *a)
{
    if (a->vm)
        bh_vm_destroy(a->vm); /* closes the disk's copy */
    if (a->disk_tmp)
        unlink(a->disk_tmp);
    free(a->disk_tmp);
    a->disk_tmp = NULL;
    if (a->img) {
        bh_image_free(a->img);
        free(a->img);
    }
    a->vm = NULL;
    a->img = NULL;
}

/* Tell the source why, so it resumes at once (best effort). */
static void refuse(struct conn *c, const char *why)
{
    char e[64];
    c->timeout_ms = 500;
    bh_mig_send(c, M_REFUSE, why, strlen(why), e, sizeof e);
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
    if (bh_mig_send(&a->c, M_WELCOME, NULL, 0, e, sizeof e))
        goto broken;
    for (;;) {
        if (bh_mig_recv(&a->c, &t, &d->in, e, sizeof e))
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
                bh_mig_report(d->o.report, d->o.report_ctx,
                              "migrate: the source paused the VM: %llu pages to come",
                              (unsigned long long)bh_get64(p + 16));
            } else {
                /* the source pauses the VM only once this has arrived */
                if (bh_mig_send(&a->c, M_RECEIVED, p, 4, e, sizeof e))
                    goto broken;
                double s = bh_net_now() - a->t0;
                bh_mig_report(
                    d->o.report, d->o.report_ctx,
                    "migrate: round %u received: %llu pages in it, %llu in all (%.1f MB/s); "
                    "dirty pages left %llu",
                    bh_get32(p), (unsigned long long)bh_get64(p + 8), (unsigned long long)a->pages,
                    s > 0 ? (double)a->c.bytes_in / s / 1e6 : 0.0,
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
        case M_SECTION:
            if (d->in.len < 8) {
                snprintf(e, sizeof e, "SECTION of %zu bytes", d->in.len);
                goto refuse;
            }
            if (bh_snap_get_section(a->vm, bh_get32(p), bh_get32(p + 4), p + 8, d->in.len - 8, e,
                                    sizeof e))
                goto refuse;
            break;
        case M_DISK: {
            int k = bh_snap_get_disk_blocks(a->vm, p, d->in.len, e, sizeof e);
            if (k < 0)
                goto refuse;
            a->disk_sectors += (uint64_t)k;
            a->have_disk = 1;
            break;
        }
        case M_MMU:
            if (bh_snap_get_mmu(a->vm, p, d->in.len, BH_MMU_STATE_VERSION, e, sizeof e))
                goto refuse;
            a->have_mmu = 1;
            break;
        case M_END:
            if (dst_end(a, e, sizeof e))
                goto refuse;
            if (bh_mig_send(&a->c, M_CONFIRM, NULL, 0, e, sizeof e))
                goto broken;
            /* Prepared, not running: only GO makes the VM ours. */
            if (bh_mig_recv(&a->c, &t, &d->in, e, sizeof e))
                goto refuse;
            if (t != M_GO || d->in.len != 8 || bh_get64(d->in.data) != a->id) {
                snprintf(e, sizeof e, "%s where GO was due", bh_mig_msg_name(t));
                goto refuse;
            }
            /* The commit point: from here the VM is ours alone.  The
             * paused time ends here, before the ACK is written: once it
             * is, the source may take the CPU (same host) and this clock
             * would run on while the VM is ready, so the figure could
             * exceed the source's downtime, which ends at the ACK. */
            double now = bh_net_now();
            /* The disk's copy becomes --disk FILE now; if it cannot, the
             * VM is not ours (REFUSE: the source resumes it). */
            if (a->disk_tmp) {
                if (bh_disk_set_path(bh_vm_disk(a->vm), d->o.disk) != 0 ||
                    rename(a->disk_tmp, d->o.disk) != 0) {
                    snprintf(e, sizeof e, "renaming %s to %s: %s", a->disk_tmp, d->o.disk,
                             strerror(errno));
                    goto refuse;
                }
                free(a->disk_tmp);
                a->disk_tmp = NULL;
            }
            d->taken[d->ntaken++ % TAKEN_MAX] = a->id;
            if (bh_mig_send(&a->c, M_ACK, d->in.data, 8, e, sizeof e))
                bh_mig_report(d->o.report, d->o.report_ctx,
                              "migrate: the ACK did not reach the source (%s): it will ask", e);
            /* Give the CPU away once, before the VM runs here.  On one
             * host, GO woke this thread on the CPU of the source's
             * sender, which it preempted inside its send: without this,
             * the VM's first slice keeps that thread from reading the
             * ACK for a whole time slice (about 1.5 ms), and the
             * source's downtime, which ends at the ACK, grows by it. */
            sched_yield();
            bh_mig_report(
                d->o.report, d->o.report_ctx,
                "migrate: summary: VM received and running here; rounds %llu, pages %llu, "
                "bytes %llu, total %.1f ms, paused for %.2f ms",
                (unsigned long long)(a->rounds_seen), (unsigned long long)a->pages,
                (unsigned long long)a->c.bytes_in, (now - a->t0) * 1000.0,
                a->t_paused > 0 ? (now - a->t_paused) * 1000.0 : 0.0);
            return 0;
        case M_ABORT: {
            char txt[256];
            bh_mig_body_text(&d->in, txt, sizeof txt);
            snprintf(e, sizeof e, "the source cancelled: %s", txt);
            goto broken;
        }
        default:
            snprintf(e, sizeof e, "unexpected %s message", bh_mig_msg_name(t));
            goto refuse;
        }
    }
refuse:
    refuse(&a->c, e);
broken:
    arrival_discard(a);
    return bh_errf(err, errlen, "%s", e);
}

/* Serve one new connection: its opening (within opening_ms; preempt: see
 * dst_open), then a QUERY answered (1), or a VM received (0, in *vm and
 * *img) when may_take, else refused as busy (1); -1 with the reason. */
static int dst_serve(struct bh_mig_dst *d, int fd, int opening_ms, int preempt, int may_take,
                     struct bh_vm **vm, struct bh_image **img, char *e, size_t elen)
{
    struct arrival a = {.d = d, .c = {.fd = fd, .timeout_ms = d->o.timeout_ms}};
    a.t0 = bh_net_now();
    uint32_t t;
    int rc = -1, authed;
    if (dst_open(d, &a.c, opening_ms, preempt, &t, &authed, e, elen) != 0) {
        if (authed) /* a corrupt or forged first message: say so */
            refuse(&a.c, e);
    } else if (t == M_QUERY) {
        answer_query(d, &a.c);
        rc = 1;
    } else if (t != M_HELLO) {
        snprintf(e, elen, "%s where HELLO was due", bh_mig_msg_name(t));
    } else if (!may_take) {
        snprintf(e, elen, "this destination has taken all the %d VMs it was asked to receive",
                 d->o.count > 1 ? d->o.count : 1);
        refuse(&a.c, e);
        rc = 1;
    } else if ((rc = dst_receive(&a, e, elen)) == 0) {
        *vm = a.vm;
        *img = a.img;
        d->received++;
    }
    bh_mig_close(&a.c);
    return rc;
}

static void report_failure(struct bh_mig_dst *d, const char *why)
{
    bh_mig_report(
        d->o.report, d->o.report_ctx,
        "migrate: incoming migration failed: %.*s; the source keeps its VM; waiting for the next "
        "one%s",
        (int)bh_err_len(why), why, why + bh_err_len(why));
}

int bh_migrate_dst_accept(struct bh_mig_dst *d, int timeout_ms, struct bh_vm **vm,
                          struct bh_image **img, char *err, size_t errlen)
{
    if (d->nqueued) { /* arrived while the one before ran: first come, first run */
        *vm = d->queue[0].vm;
        *img = d->queue[0].img;
        memmove(d->queue, d->queue + 1, --d->nqueued * sizeof d->queue[0]);
        return 0;
    }
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
        int rc = dst_serve(d, fd, d->o.timeout_ms, 1, 1, vm, img, e, sizeof e);
        if (rc == 0)
            return 0;
        if (rc < 0)
            report_failure(d, e);
    }
}

void bh_migrate_dst_poll(struct bh_mig_dst *d)
{
    char e[512];
    int fd = bh_net_accept(d->lfd, 0, e, sizeof e);
    if (fd < 0)
        return;
    /* A VM this destination will wait for is received now, not refused:
     * its source cannot wait until the running one ends. */
    int may_take = d->received < d->o.count;
    struct bh_vm *vm;
    struct bh_image *img;
    int rc = dst_serve(d, fd, 500, 0, may_take, &vm, &img, e, sizeof e);
    if (rc < 0) {
        report_failure(d, e);
        return;
    }
    if (rc == 1)
        return;
    struct arrived *q = realloc(d->queue, (d->nqueued + 1) * sizeof *q);
    if (!q) { /* the source has handed it over: it cannot be given back */
        bh_mig_report(d->o.report, d->o.report_ctx,
                      "migrate: out of memory: VM %s received and lost", bh_vm_name(vm));
        bh_vm_destroy(vm);
        bh_image_free(img);
        free(img);
        return;
    }
    d->queue = q;
    d->queue[d->nqueued++] = (struct arrived){vm, img};
    bh_mig_report(d->o.report, d->o.report_ctx,
                  "migrate: VM %s received while another runs: it runs when those before it end",
                  bh_vm_name(vm));
}
