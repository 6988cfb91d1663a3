/* machine_state.c: the machine's own snapshot section (MACHINE), writer
 * and reader mirrored field by field: the paravirtual state (clock,
 * random generators, the guest's open files, reopened under --fs-root on
 * restore), how the guest ended, the run state and the exit counters. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "machine/vm_internal.h"

int bh_machine_save(const struct bh_vm *vm, struct bh_buf *b)
{
    const struct bh_pv *pv = &vm->pv;
    bh_buf_put64(b, pv->sleep_ms);
    bh_buf_put64(b, pv->seed);
    bh_buf_put32(b, pv->nrng);
    for (uint32_t i = 0; i < pv->nrng && i < BH_PV_RNG_MAX; i++) {
        bh_buf_put32(b, (uint32_t)pv->rng[i].id);
        bh_buf_put64(b, pv->rng[i].state);
    }
    uint32_t nf = 0;
    for (int i = 0; i < BH_PV_FILES_MAX; i++)
        nf += pv->files[i].used != 0;
    bh_buf_put32(b, nf);
    for (int i = 0; i < BH_PV_FILES_MAX; i++) {
        const struct bh_pv_file *f = &pv->files[i];
        if (!f->used)
            continue;
        bh_buf_put32(b, (uint32_t)f->guest_fd);
        bh_buf_put32(b, (uint32_t)f->flags);
        bh_buf_put64(b, f->offset);
        bh_buf_put_str16(b, f->path, BH_PV_PATH_MAX - 1);
    }
    bh_buf_put32(b, (uint32_t)vm->ctl.exited);
    bh_buf_put32(b, (uint32_t)vm->ctl.exit_status);
    bh_buf_put32(b, (uint32_t)vm->ctl.state);
    for (int i = 0; i < BH_STAT_EXITS; i++)
        bh_buf_put64(b, vm->stats.nexits[i]);
    bh_buf_put64(b, vm->stats.nsyscalls);
    return b->oom ? -1 : 0;
}

/* The parsed body. */
struct machine_view {
    struct bh_pv pv;
    uint32_t nfiles, exited, state;
    int32_t exit_status;
    struct bh_stats stats;
};

static int parse(struct bh_rd *r, uint32_t version, struct machine_view *v, char *err,
                 size_t errlen)
{
    if (version != 1)
        return bh_errf(err, errlen, "machine state version %u is not known to this myvmm (1)",
                       version);
    memset(v, 0, sizeof *v);
    v->pv.sleep_ms = bh_rd64(r);
    v->pv.seed = bh_rd64(r);
    v->pv.nrng = bh_rd32(r);
    if (v->pv.nrng > BH_PV_RNG_MAX)
        return bh_errf(err, errlen, "%u random generators (at most %d)", v->pv.nrng, BH_PV_RNG_MAX);
    for (uint32_t i = 0; i < v->pv.nrng; i++) {
        v->pv.rng[i].id = (int32_t)bh_rd32(r);
        v->pv.rng[i].state = bh_rd64(r);
    }
    v->nfiles = bh_rd32(r);
    if (v->nfiles > BH_PV_FILES_MAX)
        return bh_errf(err, errlen, "%u open files (at most %d)", v->nfiles, BH_PV_FILES_MAX);
    for (uint32_t i = 0; i < v->nfiles; i++) {
        struct bh_pv_file *f = &v->pv.files[i];
        f->used = 1;
        f->guest_fd = (int32_t)bh_rd32(r);
        f->flags = (int32_t)bh_rd32(r);
        f->offset = bh_rd64(r);
        f->host_fd = -1;
        if (bh_rd_str16(r, f->path, sizeof f->path) || !f->path[0])
            return bh_errf(err, errlen, "file %u: bad path", i + 1);
        if (f->guest_fd < 3)
            return bh_errf(err, errlen, "file '%s': bad descriptor %d", f->path, f->guest_fd);
        for (uint32_t j = 0; j < i; j++)
            if (v->pv.files[j].guest_fd == f->guest_fd)
                return bh_errf(err, errlen, "descriptor %d is open twice", f->guest_fd);
        if (f->flags != BH_PV_O_READ && f->flags != BH_PV_O_WRITE && f->flags != BH_PV_O_APPEND)
            return bh_errf(err, errlen, "file '%s': bad open flags %d", f->path, f->flags);
        if (f->offset > (uint64_t)INT64_MAX)
            return bh_errf(err, errlen, "file '%s': bad offset", f->path);
    }
    v->exited = bh_rd32(r);
    v->exit_status = (int32_t)bh_rd32(r);
    v->state = bh_rd32(r);
    for (int i = 0; i < BH_STAT_EXITS; i++)
        v->stats.nexits[i] = bh_rd64(r);
    v->stats.nsyscalls = bh_rd64(r);
    if (r->bad)
        return bh_errf(err, errlen, "machine state: truncated");
    if (v->exited > 1)
        return bh_errf(err, errlen, "the exited flag is not 0 or 1");
    if (v->state > BH_VM_LIMIT)
        return bh_errf(err, errlen, "unknown VM state %u", v->state);
    return 0;
}

/* Open a guest file again under the fs root, with the file syscalls'
 * sandbox.  Write mode must not truncate a second time. */
static int reopen_file(int root_fd, const struct bh_pv_file *f, char *err, size_t errlen)
{
    int of = f->flags == BH_PV_O_READ    ? O_RDONLY
             : f->flags == BH_PV_O_WRITE ? O_WRONLY | O_CREAT
                                         : O_WRONLY | O_CREAT | O_APPEND;
    int fd = bh_fsys_open_beneath(root_fd, f->path, of, 0644);
    if (fd < 0)
        return bh_errf(err, errlen, "guest file '%s' cannot be reopened: %s", f->path,
                       strerror(errno));
    if (f->flags != BH_PV_O_APPEND && lseek(fd, (off_t)f->offset, SEEK_SET) < 0) {
        int e = errno;
        close(fd);
        return bh_errf(err, errlen, "guest file '%s': seek: %s", f->path, strerror(e));
    }
    return fd;
}

int bh_machine_load(struct bh_vm *vm, struct bh_rd *r, uint32_t version, char *err, size_t errlen)
{
    struct machine_view v;
    if (parse(r, version, &v, err, errlen))
        return -1;
    if (!vm)
        return 0; /* validation only */
    struct bh_pv *pv = &vm->pv;
    int fds[BH_PV_FILES_MAX];
    if (v.nfiles && pv->root_fd < 0)
        return bh_errf(err, errlen,
                       "the snapshot has %u open guest file%s ('%s'...): give --fs-root so "
                       "they can be reopened",
                       v.nfiles, v.nfiles > 1 ? "s" : "", v.pv.files[0].path);
    for (uint32_t i = 0; i < v.nfiles; i++) {
        fds[i] = reopen_file(pv->root_fd, &v.pv.files[i], err, errlen);
        if (fds[i] < 0) {
            while (i--)
                close(fds[i]);
            return -1;
        }
    }
    pv->sleep_ms = v.pv.sleep_ms;
    pv->seed = v.pv.seed;
    memcpy(pv->rng, v.pv.rng, sizeof pv->rng);
    pv->nrng = v.pv.nrng;
    for (int i = 0; i < BH_PV_FILES_MAX; i++) {
        if (pv->files[i].used && pv->files[i].host_fd >= 0)
            close(pv->files[i].host_fd);
        memset(&pv->files[i], 0, sizeof pv->files[i]);
        pv->files[i].host_fd = -1;
    }
    for (uint32_t i = 0; i < v.nfiles; i++) {
        pv->files[i] = v.pv.files[i];
        pv->files[i].host_fd = fds[i];
    }
    vm->ctl.exited = (int)v.exited;
    vm->ctl.exit_status = v.exit_status;
    /* Waiting for input or stopped by the instruction limit are about the
     * host run that took the snapshot, not the guest: the restored VM runs. */
    bh_vm_set_state(vm,
                    v.state == BH_VM_EXITED || v.state == BH_VM_FAULTED ? v.state : BH_VM_RUNNING);
    vm->stats = v.stats;
    return 0;
}

int bh_machine_describe(struct bh_rd *r, uint32_t version, struct bh_buf *o, char *err,
                        size_t errlen)
{
    struct machine_view v;
    if (parse(r, version, &v, err, errlen))
        return -1;
    bh_buf_printf(o, "clock: %llu ms slept; %u random generator%s; %u open file%s\n",
                  (unsigned long long)v.pv.sleep_ms, v.pv.nrng, v.pv.nrng == 1 ? "" : "s", v.nfiles,
                  v.nfiles == 1 ? "" : "s");
    for (uint32_t i = 0; i < v.nfiles; i++)
        bh_buf_printf(o, "  fd %d: %s (flags %d, offset %llu)\n", v.pv.files[i].guest_fd,
                      v.pv.files[i].path, v.pv.files[i].flags,
                      (unsigned long long)v.pv.files[i].offset);
    if (v.exited)
        bh_buf_printf(o, "the guest had exited with status %d\n", v.exit_status);
    return 0;
}
