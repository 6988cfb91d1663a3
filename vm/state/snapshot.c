/* snapshot.c: the one serializer of the whole VM (docs/snapshot-format.md):
 * the table of sections, writing a whole snapshot, and restoring one.
 *
 * Each section's body has a writer and a reader that mirror each other
 * field by field, in the same order, next to the struct they save: the
 * CPU (core/cpu_state.c), the console (dev/console.c), the machine's
 * own state (machine/machine_state.c), memory (snap_mem.c); IDENT is
 * here.  The bodies know nothing of files, so live
 * migration sends the same bytes.  Readers validate the whole body first
 * and only then touch the VM, so a bad snapshot never half-restores a
 * section; bh_snapshot_restore validates every section before applying any.
 */
#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/machine.h"
#include "mem/mem.h"
#include "dev/clock.h"
#include "state/snap_priv.h"

/* ---------------------------------------------------------------- IDENT */

int bh_snap_put_ident(struct bh_buf *b, const struct bh_vm *vm)
{
    bh_buf_put64(b, bh_vm_image_hash(vm));
    bh_buf_put64(b, bh_vm_mem((struct bh_vm *)vm)->limit_pages * (uint64_t)BH_PAGE_SIZE);
    bh_buf_put32(b, bh_vm_image(vm)->entry);
    bh_buf_put_str16(b, bh_vm_name(vm), 63);
    bh_buf_put_str16(b, bh_image_str(bh_vm_image(vm), bh_vm_image(vm)->source), 255);
    /* The machine a reader must build before anything else (a file's
     * restore, a migration's HELLO): written for a bare machine only, so
     * a SPIM-style VM's body stays what it always was. */
    if (bh_vm_machine(vm) != BH_MACHINE_SPIM)
        bh_buf_put32(b, (uint32_t)bh_vm_machine(vm));
    return b->oom ? -1 : 0;
}

int bh_snap_get_ident(const uint8_t *p, size_t n, struct bh_snap_ident *id, char *err,
                      size_t errlen)
{
    struct bh_rd r = {p, n, 0, 0};
    memset(id, 0, sizeof *id);
    id->image_hash = bh_rd64(&r);
    id->mem_limit = bh_rd64(&r);
    id->entry = bh_rd32(&r);
    if (bh_rd_str16(&r, id->name, sizeof id->name) ||
        bh_rd_str16(&r, id->program, sizeof id->program))
        return bh_errf(err, errlen, "section IDENT: bad VM or program name");
    if (r.off < r.n) {
        uint32_t mach = bh_rd32(&r);
        if (!r.bad && mach != BH_MACHINE_BARE)
            return bh_errf(err, errlen, "section IDENT: machine %u is not one this myvmm knows",
                           mach);
        id->machine = (int)mach;
    }
    return bh_rd_end(&r, "IDENT", err, errlen);
}

/* ------------------------------------------------------------------ MMU */

int bh_snap_put_mmu(struct bh_buf *b, const struct bh_vm *vm)
{
    return bh_mem_mmu_save(bh_vm_mem((struct bh_vm *)vm), b);
}

int bh_snap_get_mmu(struct bh_vm *vm, const uint8_t *p, size_t n, uint32_t version, char *err,
                    size_t errlen)
{
    struct bh_rd r = {p, n, 0, 0};
    if (bh_vm_machine(vm) != BH_MACHINE_BARE)
        return bh_errf(err, errlen, "section MMU: the VM is not a bare machine");
    return bh_mem_mmu_load(bh_vm_mem(vm), &r, version, err, errlen);
}

static int sec_err(char *err, size_t errlen, const char *sec, const char *msg)
{
    if (strncmp(msg, "section ", 8) == 0)
        return bh_errf(err, errlen, "%s", msg);
    return bh_errf(err, errlen, "section %s: %s", sec, msg);
}

/* ------------------------------------------------------ device sections */

const uint32_t bh_snap_dev_secs[] = {BH_SNAP_SEC_CLOCK, BH_SNAP_SEC_DISPLAY, BH_SNAP_SEC_NIC, 0};

int bh_snap_has_section(struct bh_vm *vm, uint32_t type)
{
    if (type == BH_SNAP_SEC_DISPLAY)
        return bh_vm_display(vm) != NULL;
    if (type == BH_SNAP_SEC_NIC)
        return bh_vm_nic(vm) != NULL;
    return 1;
}

/* The NIC section into vm's card (vm NULL: only checked). */
static int get_nic(struct bh_vm *vm, struct bh_rd *r, uint32_t version, char *msg, size_t len)
{
    struct bh_nic_saved *s = malloc(sizeof *s); /* 12 KiB of pending frames */
    if (!s)
        return bh_errf(msg, len, "out of memory");
    int rc = bh_nic_parse(r, version, s, msg, len) || bh_rd_end(r, "NIC", msg, len);
    /* A VM without a card gets one when the section names its LAN (the
     * host plugs it in there); a version 1 section names none. */
    if (!rc && vm && !bh_vm_nic(vm) && !s->lan[0])
        rc = bh_errf(msg, len,
                     "the snapshot's VM has a network card (MAC %02x:%02x:%02x:%02x:%02x:%02x) "
                     "and names no LAN for it, and this one has none" BH_HELP
                     "plug it into a LAN (vm_net=NAME or --net NAME)",
                     s->mac[0], s->mac[1], s->mac[2], s->mac[3], s->mac[4], s->mac[5]);
    if (!rc && vm && !bh_vm_nic(vm))
        rc = bh_vm_nic_on(vm, s->mac, msg, len);
    if (!rc && vm)
        bh_nic_load(bh_vm_nic(vm), s);
    free(s);
    return rc;
}

int bh_snap_put_section(struct bh_buf *b, struct bh_vm *vm, uint32_t type)
{
    switch (type) {
    case BH_SNAP_SEC_CLOCK: return bh_clock_save(bh_vm_clock(vm), b);
    case BH_SNAP_SEC_DISPLAY: return bh_display_save(bh_vm_display(vm), b);
    case BH_SNAP_SEC_NIC: return bh_nic_save(bh_vm_nic(vm), b);
    default: return -1;
    }
}

int bh_snap_get_section(struct bh_vm *vm, uint32_t type, uint32_t version, const uint8_t *p,
                        size_t n, char *err, size_t errlen)
{
    struct bh_rd r = {p, n, 0, 0};
    char msg[300];
    int rc;
    switch (type) {
    case BH_SNAP_SEC_CLOCK:
        /* check first: a restore applies only what it validated whole */
        rc = bh_clock_load(NULL, &r, version, msg, sizeof msg) ||
             bh_rd_end(&r, "CLOCK", msg, sizeof msg);
        if (!rc && vm) {
            r.off = 0;
            rc = bh_clock_load(bh_vm_clock(vm), &r, version, msg, sizeof msg);
        }
        break;
    case BH_SNAP_SEC_DISPLAY: {
        /* the geometry: a VM without a display gets one */
        struct bh_display d;
        rc = bh_display_load(&d, &r, version, msg, sizeof msg) ||
             bh_rd_end(&r, "DISPLAY", msg, sizeof msg);
        if (!rc && vm)
            rc = bh_vm_display_on(vm, &d.g, msg, sizeof msg);
        break;
    }
    case BH_SNAP_SEC_NIC: rc = get_nic(vm, &r, version, msg, sizeof msg); break;
    default:
        return bh_errf(err, errlen, "section %u is not a device section", type);
    }
    return rc ? sec_err(err, errlen, bh_snapfile_sec_name(type), msg) : 0;
}

/* ------------------------------------------------------------------ CPU */

int bh_snap_put_cpu(struct bh_buf *b, const struct bh_vm *vm)
{
    return bh_core_save(bh_vm_core((struct bh_vm *)vm), b);
}

int bh_snap_get_cpu(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen)
{
    struct bh_rd r = {p, n, 0, 0};
    return bh_core_load(bh_vm_core(vm), &r, BH_CPU_STATE_VERSION, err, errlen);
}

/* ------------------------------------------------------ CONSOLE, MACHINE */

struct bh_snap_dev_src bh_snap_dev_src_of(const struct bh_snap_section *sec)
{
    const struct bh_snap_section *d = &sec[BH_SNAP_SEC_DEV];
    if (d->data)
        return (struct bh_snap_dev_src){d->data, d->len, d->version, NULL, 0, 1};
    const struct bh_snap_section *c = &sec[BH_SNAP_SEC_CONSOLE], *m = &sec[BH_SNAP_SEC_MACHINE];
    return (struct bh_snap_dev_src){c->data, c->len, c->version, m->data, m->len, m->version};
}


int bh_snap_dev_check(const struct bh_snap_dev_src *d, struct bh_console *con,
                      struct bh_buf *describe, size_t *con_len, char *err, size_t errlen)
{
    struct bh_console scratch;
    bh_console_init(&scratch);
    scratch.in = NULL; /* no host stream to position */
    scratch.in_fd = -1;
    const char *cname = d->mach ? "CONSOLE" : "DEV", *mname = d->mach ? "MACHINE" : "DEV";
    char msg[400];
    struct bh_rd r = {d->con, d->con_n, 0, 0};
    int rc = bh_console_load(con ? con : &scratch, &r, d->con_v, msg, sizeof msg);
    bh_console_free(&scratch);
    if (rc)
        return sec_err(err, errlen, cname, msg);
    if (con_len)
        *con_len = r.off;
    struct bh_rd m = r;
    if (d->mach) {
        if (bh_rd_end(&r, cname, msg, sizeof msg))
            return sec_err(err, errlen, cname, msg);
        m = (struct bh_rd){d->mach, d->mach_n, 0, 0};
    }
    rc = describe ? bh_machine_describe(&m, d->mach_v, describe, msg, sizeof msg)
                  : bh_machine_load(NULL, &m, d->mach_v, msg, sizeof msg);
    if (rc == 0)
        rc = bh_rd_end(&m, mname, msg, sizeof msg);
    return rc ? sec_err(err, errlen, mname, msg) : 0;
}

/* Check everything, then load the machine's part (which can still fail,
 * reopening guest files) before the console's. */
static int dev_load(struct bh_vm *vm, const struct bh_snap_dev_src *d, char *err, size_t errlen)
{
    size_t con_len;
    if (bh_snap_dev_check(d, NULL, NULL, &con_len, err, errlen))
        return -1;
    char msg[400];
    struct bh_rd m = d->mach ? (struct bh_rd){d->mach, d->mach_n, 0, 0}
                             : (struct bh_rd){d->con, d->con_n, con_len, 0};
    if (bh_machine_load(vm, &m, d->mach_v, msg, sizeof msg))
        return sec_err(err, errlen, d->mach ? "MACHINE" : "DEV", msg);
    struct bh_rd r = {d->con, d->con_n, 0, 0};
    if (bh_console_load(bh_vm_console(vm), &r, d->con_v, msg, sizeof msg))
        return sec_err(err, errlen, d->mach ? "CONSOLE" : "DEV", msg);
    return 0;
}

int bh_snap_put_dev(struct bh_buf *b, const struct bh_vm *vm)
{
    struct bh_vm *v = (struct bh_vm *)vm; /* the accessors are not const */
    if (bh_console_save(bh_vm_console(v), b) || bh_machine_save(vm, b))
        return -1;
    return 0;
}

int bh_snap_get_dev(struct bh_vm *vm, const uint8_t *p, size_t n, char *err, size_t errlen)
{
    struct bh_snap_dev_src d = {p, n, BH_CONSOLE_STATE_VERSION, NULL, 0, BH_MACHINE_STATE_VERSION};
    return dev_load(vm, &d, err, errlen);
}

/* ------------------------------------------------------ whole snapshots */

int bh_snapshot_have_zstd(void)
{
#ifdef BH_HAVE_ZSTD
    return 1;
#else
    return 0;
#endif
}

/* The sections a snapshot holds, in the order they are written, each
 * with its writer (the container, snapfile.c, knows each body's version;
 * each module's reader takes the version the file has). */
static int save_ident(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                      size_t errlen)
{
    return bh_snap_put_ident(b, vm);
}
static int save_cpu(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                    size_t errlen)
{
    return bh_core_save(bh_vm_core((struct bh_vm *)vm), b);
}
static int save_console(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                        size_t errlen)
{
    return bh_console_save(bh_vm_console(vm), b);
}
static int save_machine(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                        size_t errlen)
{
    return bh_machine_save(vm, b);
}
static int save_mem(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                    size_t errlen)
{
    return bh_snap_put_mem(b, vm, o->compress, err, errlen);
}
static int save_mmu(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                    size_t errlen)
{
    return bh_snap_put_mmu(b, vm);
}
static int save_disk(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                     size_t errlen)
{
    return bh_snap_put_disk(b, vm, o->compress, err, errlen);
}
static int save_image(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                      size_t errlen)
{
    uint8_t *img;
    size_t ilen;
    if (bh_image_write(bh_vm_image(vm), &img, &ilen, err, errlen))
        return -1;
    bh_buf_append(b, img, ilen);
    free(img);
    return 0;
}

static int save_clock(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o,
                      char *err, size_t errlen)
{
    return bh_snap_put_section(b, vm, BH_SNAP_SEC_CLOCK);
}

static int save_display(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o,
                        char *err, size_t errlen)
{
    return bh_snap_put_section(b, vm, BH_SNAP_SEC_DISPLAY);
}

static int save_nic(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o,
                    char *err, size_t errlen)
{
    return bh_snap_put_section(b, vm, BH_SNAP_SEC_NIC);
}

static const struct section {
    uint32_t type;
    int (*save)(struct bh_vm *vm, struct bh_buf *b, const struct bh_snap_opts *o, char *err,
                size_t errlen);
} sections[] = {
    {BH_SNAP_SEC_IDENT, save_ident},
    {BH_SNAP_SEC_CPU, save_cpu},
    {BH_SNAP_SEC_CONSOLE, save_console},
    {BH_SNAP_SEC_MACHINE, save_machine},
    {BH_SNAP_SEC_MEM, save_mem},
    {BH_SNAP_SEC_MMU, save_mmu},
    {BH_SNAP_SEC_CLOCK, save_clock},
    {BH_SNAP_SEC_DISPLAY, save_display},
    {BH_SNAP_SEC_DISK, save_disk},
    {BH_SNAP_SEC_NIC, save_nic},
    {BH_SNAP_SEC_IMAGE, save_image},
    {0, NULL},
};

int bh_snapshot_serialize(struct bh_vm *vm, const struct bh_snap_opts *o, struct bh_buf *out,
                          char *err, size_t errlen)
{
    uint32_t flags = (o->compress ? BH_SNAP_F_ZSTD : 0) | (o->embed_image ? BH_SNAP_F_IMAGE : 0);
    /* Size the buffer once: growing it by doubling would copy the pages
     * several times (and fault in fresh memory each time). */
    size_t want =
        out->len + (1u << 16) + (size_t)bh_mem_pages_in_use(bh_vm_mem(vm)) * (BH_PAGE_SIZE + 8);
    for (int i = 0; i < BH_SEG_COUNT; i++)
        want += bh_vm_image(vm)->seg[i].size;
    want += (size_t)bh_vm_image(vm)->nlines * 16 + (size_t)bh_vm_image(vm)->nsymbols * 16 +
            bh_vm_image(vm)->strings_size;
    if (!o->compress && out->cap < want && !out->oom) {
        uint8_t *d = realloc(out->data, want);
        if (d) {
            out->data = d;
            out->cap = want;
        }
    }
    bh_snapfile_begin(out, flags);
    for (const struct section *t = sections; t->type; t++) {
        if ((t->type == BH_SNAP_SEC_IMAGE && !o->embed_image) ||
            (t->type == BH_SNAP_SEC_MMU && bh_vm_machine(vm) != BH_MACHINE_BARE) ||
            !bh_snap_has_section(vm, t->type) ||
            (t->type == BH_SNAP_SEC_DISK && !bh_vm_disk(vm)))
            continue;
        size_t start = bh_snapfile_sec_begin(out, t->type);
        if (t->save(vm, out, o, err, errlen))
            return -1;
        bh_snapfile_sec_end(out, start);
    }
    return bh_snapfile_finish(out, err, errlen);
}

int bh_snapshot_save_opts(struct bh_vm *vm, const char *path, const struct bh_snap_opts *o,
                          char *err, size_t errlen)
{
    struct bh_buf b = {0};
    char msg[512];
    int rc = bh_snapshot_serialize(vm, o, &b, msg, sizeof msg);
    if (rc == 0)
        rc = bh_write_file_atomic_progress(path, b.data, b.len, o->progress, o->progress_ctx, msg,
                                           sizeof msg);
    if (o->progress)
        o->progress(o->progress_ctx, &(struct bh_progress){rc ? 0 : b.len, b.len, rc ? -1 : 1});
    bh_buf_free(&b);
    if (rc)
        return bh_errf(err, errlen, "snapshot %s: %s", path, msg);
    return 0;
}

int bh_snapshot_save(struct bh_vm *vm, const char *path, char *err, size_t errlen)
{
    struct bh_vm_ctl *c = bh_vm_ctl(vm);
    struct bh_snap_opts o = {.compress = c->snap_compress, .embed_image = 1,
                             .progress = c->snap_progress, .progress_ctx = c->snap_progress_ctx};
    return bh_snapshot_save_opts(vm, path, &o, err, errlen);
}

int bh_snapshot_parse_buf(const uint8_t *buf, size_t len, struct bh_snapshot *s, char *err,
                          size_t errlen)
{
    if (bh_snapfile_parse(buf, len, &s->f, err, errlen))
        return -1;
    if (s->f.version == 0)
        return 0;
    /* Validate the bodies too, so --snapshot-info and a restore refuse
     * exactly the same files (restoring still checks against the VM).
     * (The container checked each body's version.) */
    struct bh_snap_ident id;
    if (bh_snap_get_ident(s->f.sec[BH_SNAP_SEC_IDENT].data, s->f.sec[BH_SNAP_SEC_IDENT].len, &id,
                          err, errlen))
        return -1;
    size_t cpu_len = bh_core_state_size(s->f.sec[BH_SNAP_SEC_CPU].version);
    if (s->f.sec[BH_SNAP_SEC_CPU].len != cpu_len)
        return bh_errf(err, errlen, "section CPU: %llu bytes, expected %zu for version %u",
                       (unsigned long long)s->f.sec[BH_SNAP_SEC_CPU].len, cpu_len,
                       s->f.sec[BH_SNAP_SEC_CPU].version);
    if (bh_get32(s->f.sec[BH_SNAP_SEC_CPU].data) != 0)
        return bh_errf(err, errlen, "section CPU: register $0 is not 0");
    const struct bh_snap_section *mmu = &s->f.sec[BH_SNAP_SEC_MMU];
    if ((mmu->data != NULL) != (id.machine == BH_MACHINE_BARE))
        return bh_errf(err, errlen, "section MMU is %s",
                       mmu->data ? "there for a SPIM-style machine" : "missing for a bare machine");
    if (mmu->data && mmu->len != BH_MMU_STATE_SIZE)
        return bh_errf(err, errlen, "section MMU: %llu bytes, expected %u",
                       (unsigned long long)mmu->len, (unsigned)BH_MMU_STATE_SIZE);
    for (const uint32_t *t = bh_snap_dev_secs; *t; t++) {
        const struct bh_snap_section *d = &s->f.sec[*t];
        if (d->data && bh_snap_get_section(NULL, *t, d->version, d->data, d->len, err, errlen))
            return -1;
    }
    struct bh_snap_mem_view m;
    const struct bh_snap_section *mem = &s->f.sec[BH_SNAP_SEC_MEM];
    if (bh_snap_mem_parse(mem->data, mem->len, mem->version, &m, 0, UINT64_MAX, id.machine, err,
                          errlen))
        return -1;
    if (!!(s->f.flags & BH_SNAP_F_ZSTD) != (m.enc == BH_SNAP_ENC_ZSTD))
        return bh_errf(err, errlen, "the header's compression flag disagrees with section MEM");
    const struct bh_snap_section *disk = &s->f.sec[BH_SNAP_SEC_DISK];
    struct bh_snap_disk_view dv;
    if (disk->data &&
        bh_snap_disk_parse(disk->data, disk->len, disk->version, &dv, 0, err, errlen))
        return -1;
    struct bh_snap_dev_src d = bh_snap_dev_src_of(s->f.sec);
    return bh_snap_dev_check(&d, NULL, NULL, NULL, err, errlen);
}

/* Map the file rather than read it: a 64 MiB snapshot read into fresh
 * memory costs a page fault and a copy per 4 KiB before the first CRC;
 * a populated private mapping of the page cache costs neither.  Files
 * that cannot be mapped (pipes, empty files) are read. */
static int map_whole(const char *path, uint8_t **out, size_t *len, int *mapped, int *fdp, char *err,
                     size_t errlen)
{
    struct stat sb;
    *mapped = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return bh_errf(err, errlen, "%s: %s", path, strerror(errno));
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
        void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (p != MAP_FAILED) {
            *fdp = fd; /* kept: a restore maps the page data from it */
            *out = p;
            *len = (size_t)sb.st_size;
            *mapped = 1;
            return 0;
        }
    }
    close(fd);
    return bh_read_file(path, out, len, err, errlen);
}

int bh_snapshot_load(const char *path, struct bh_snapshot *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    char msg[512];
    if (map_whole(path, &s->buf, &s->len, &s->mapped, &s->fd, err, errlen))
        return -1;
    s->path = strdup(path);
    if (!s->path || bh_snapshot_parse_buf(s->buf, s->len, s, msg, sizeof msg)) {
        bh_errf(err, errlen, "%s: %s", path, s->path ? msg : "out of memory");
        bh_snapshot_free(s);
        return -1;
    }
    return 0;
}

void bh_snapshot_free(struct bh_snapshot *s)
{
    free(s->path);
    if (s->mapped) {
        munmap(s->buf, s->len);
        close(s->fd);
    } else {
        free(s->buf);
    }
    memset(s, 0, sizeof *s);
}

int bh_snapshot_image(const struct bh_snapshot *s, struct bh_image *img, char *err, size_t errlen)
{
    const struct bh_snap_section *sec = &s->f.sec[BH_SNAP_SEC_IMAGE];
    if (s->f.version == 0 || !sec->data)
        return bh_errf(err, errlen,
                       "%s does not embed its program: name it with -v (myvmm -v prog -s %s)",
                       s->path ? s->path : "the snapshot", s->path ? s->path : "snap.bin");
    char msg[400];
    if (bh_image_read(sec->data, (size_t)sec->len, img, msg, sizeof msg))
        return bh_errf(err, errlen, "the program embedded in the snapshot is bad: %s", msg);
    return 0;
}

static int text_stmt(const struct bh_image *img, const struct bh_line *l)
{
    const struct bh_segment *t = &img->seg[BH_SEG_TEXT];
    if (!(l->flags & BH_LINE_STMT) || l->addr < t->addr || l->addr - t->addr >= t->size)
        return 0;
    /* SPIM's start-up code is not a line of the learner's file. */
    if ((img->flags & BH_IMG_STARTUP) && l->addr < BH_TEXT_BASE + 9 * 4)
        return 0;
    return 1;
}

int bh_snapshot_v0_pc(const struct bh_image *img, uint32_t index, uint32_t *pc, char *err,
                      size_t errlen)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < img->nlines; i++) {
        if (!text_stmt(img, &img->lines[i]))
            continue;
        if (k == index) {
            *pc = img->lines[i].addr;
            return 0;
        }
        k++;
    }
    if (index == k) {
        *pc = img->seg[BH_SEG_TEXT].addr + img->seg[BH_SEG_TEXT].size;
        return 0;
    }
    return bh_errf(err, errlen,
                   "version-0 snapshot: PC index %u is past the program's %u instruction lines",
                   index, k);
}

static int restore_v0(struct bh_vm *vm, const struct bh_snapshot *s, char *err, size_t errlen)
{
    uint32_t pc;
    char msg[256];
    if (bh_snapshot_v0_pc(bh_vm_image(vm), s->f.v0_pc_index, &pc, msg, sizeof msg))
        return bh_errf(err, errlen, "%s", msg);
    for (unsigned i = 1; i < 32; i++)
        bh_vm_set_reg(vm, i, (int32_t)s->f.v0_regs[i]);
    bh_vm_set_pc(vm, pc);
    return 0;
}

int bh_snapshot_machine(const struct bh_snapshot *s)
{
    struct bh_snap_ident id;
    char msg[128];
    if (s->f.version == 0 || bh_snap_get_ident(s->f.sec[BH_SNAP_SEC_IDENT].data,
                                               s->f.sec[BH_SNAP_SEC_IDENT].len, &id, msg,
                                               sizeof msg))
        return BH_MACHINE_SPIM;
    return id.machine;
}

int bh_snapshot_restore(struct bh_vm *vm, const struct bh_snapshot *s, char *err, size_t errlen)
{
    const char *path = s->path ? s->path : "snapshot";
    char msg[512];
    if (s->f.version == 0) {
        if (restore_v0(vm, s, msg, sizeof msg))
            return bh_errf(err, errlen, "%s: %s", path, msg);
        return 0;
    }
    const struct bh_snap_section *sec = s->f.sec;
    struct bh_snap_ident id;
    if (bh_snap_get_ident(sec[BH_SNAP_SEC_IDENT].data, sec[BH_SNAP_SEC_IDENT].len, &id, msg,
                          sizeof msg))
        return bh_errf(err, errlen, "%s: %s", path, msg);
    if (id.image_hash != bh_vm_image_hash(vm))
        return bh_errf(err, errlen,
                       "%s: image hash mismatch: the snapshot was taken from program '%s' "
                       "(image 0x%016llx), not from '%s' (image 0x%016llx); refusing to run it"
                       BH_HELP "give -v the program it was taken from, or leave -v out to run "
                       "the copy the snapshot carries (myvmm --snapshot-info %s says if it has one)",
                       path, id.program, (unsigned long long)id.image_hash,
                       bh_image_str(bh_vm_image(vm), bh_vm_image(vm)->source),
                       (unsigned long long)bh_vm_image_hash(vm), path);
    if (id.machine != bh_vm_machine(vm))
        return bh_errf(err, errlen, "%s: the snapshot is of a %s machine, the VM a %s one", path,
                       id.machine == BH_MACHINE_BARE ? "bare" : "SPIM-style",
                       bh_vm_machine(vm) == BH_MACHINE_BARE ? "bare" : "SPIM-style");
    /* Validate everything before changing anything. */
    struct bh_snap_mem_view m;
    struct bh_snap_file_src fs = {s->fd, 0};
    int rc = -1;
    if (bh_snap_mem_parse(sec[BH_SNAP_SEC_MEM].data, sec[BH_SNAP_SEC_MEM].len,
                          sec[BH_SNAP_SEC_MEM].version, &m, 0, bh_vm_mem(vm)->limit_pages,
                          id.machine, msg, sizeof msg))
        return bh_errf(err, errlen, "%s: %s", path, msg);
    if (s->mapped) /* the page data's place in the file: buf maps it from 0 */
        fs.off = (off_t)(m.data - s->buf);
    struct bh_snap_dev_src d = bh_snap_dev_src_of(sec);
    struct bh_rd cpu = {sec[BH_SNAP_SEC_CPU].data, sec[BH_SNAP_SEC_CPU].len, 0, 0};
    int devs_ok = 1;
    for (const uint32_t *t = bh_snap_dev_secs; *t && devs_ok; t++)
        devs_ok = !sec[*t].data || !bh_snap_get_section(NULL, *t, sec[*t].version, sec[*t].data,
                                                         sec[*t].len, msg, sizeof msg);
    /* The disk: its registers and size checked now, its contents written
     * last (the image is the one thing a restore changes outside the VM). */
    const struct bh_snap_section *disk = &sec[BH_SNAP_SEC_DISK];
    struct bh_snap_disk_view dv = {0};
    if (disk->data &&
        (bh_snap_disk_parse(disk->data, disk->len, disk->version, &dv, 1, msg, sizeof msg) ||
         bh_snap_disk_check(vm, &dv, msg, sizeof msg))) {
        free(m.owned);
        free(dv.owned);
        return bh_errf(err, errlen, "%s: %s", path, msg);
    }
    if (!devs_ok || bh_snap_dev_check(&d, NULL, NULL, NULL, msg, sizeof msg) ||
        bh_snap_mem_apply(vm, &m, s->mapped ? &fs : NULL, msg, sizeof msg) ||
        bh_core_load(bh_vm_core(vm), &cpu, sec[BH_SNAP_SEC_CPU].version, msg, sizeof msg) ||
        (sec[BH_SNAP_SEC_MMU].data &&
         bh_snap_get_mmu(vm, sec[BH_SNAP_SEC_MMU].data, sec[BH_SNAP_SEC_MMU].len,
                         sec[BH_SNAP_SEC_MMU].version, msg, sizeof msg)) ||
        dev_load(vm, &d, msg, sizeof msg) ||
        (disk->data && bh_snap_disk_apply(vm, &dv, 1, msg, sizeof msg)))
        bh_errf(err, errlen, "%s: %s", path, msg);
    else
        rc = 0;
    for (const uint32_t *t = bh_snap_dev_secs; *t && rc == 0; t++)
        if (sec[*t].data && bh_snap_get_section(vm, *t, sec[*t].version, sec[*t].data,
                                                sec[*t].len, msg, sizeof msg))
            rc = bh_errf(err, errlen, "%s: %s", path, msg);
    free(m.owned);
    free(dv.owned);
    return rc;
}

/* ------------------------------------------------------------ state hash */

struct hash_ctx {
    uint64_t h;
};
static uint64_t fnv_mix(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xffu;
        h *= 0x100000001b3ull;
    }
    return h;
}
static void hash_page(void *ctx, uint32_t addr, const uint8_t *data, unsigned flags)
{
    struct hash_ctx *c = ctx;
    (void)flags;
    /* Zero pages are left out, so a page touched only by a read (or one
     * that a restore elided) does not change the hash. */
    if (bh_snap_page_is_zero(data))
        return;
    c->h = fnv_mix(c->h, addr);
    c->h = fnv_mix(c->h, bh_crc32c(0, data, BH_PAGE_SIZE));
}

uint64_t bh_snapshot_state_hash(struct bh_vm *vm)
{
    struct hash_ctx c = {0xcbf29ce484222325ull};
    for (int i = 0; i < 32; i++)
        c.h = fnv_mix(c.h, (uint32_t)bh_vm_reg(vm, (unsigned)i));
    c.h = fnv_mix(c.h, (uint32_t)bh_vm_hi(vm));
    c.h = fnv_mix(c.h, (uint32_t)bh_vm_lo(vm));
    c.h = fnv_mix(c.h, bh_vm_pc(vm));
    c.h = fnv_mix(c.h, bh_vm_icount(vm));
    c.h = fnv_mix(c.h, bh_vm_brk(vm));
    for (unsigned i = 0; i < 32; i++)
        c.h = fnv_mix(c.h, bh_vm_fpr(vm, i));
    c.h = fnv_mix(c.h, bh_vm_fcsr(vm));
    bh_mem_foreach_page(bh_vm_mem(vm), hash_page, &c);
    return c.h;
}
