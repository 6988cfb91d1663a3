/* fsys.c: guest files (MARS syscalls 13-16), confined to --fs-root.
 *
 * Without --fs-root every open is refused.  With it, a guest path is
 * walked one component at a time with openat(O_NOFOLLOW) from the root's
 * descriptor: absolute paths and ".." are refused outright and no symbolic
 * link is ever followed, so nothing outside the root can be reached
 * whatever the folder contains (a symlink planted inside pointing out is
 * refused too).  Descriptors 0, 1, 2 are the VM's console. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/vm_internal.h"

#define IO_MAX (1u << 20) /* bytes per read/write call; a short count is legal */

int bh_fsys_open_beneath(int root_fd, const char *path, int oflags, int mode)
{
    if (root_fd < 0) { errno = EACCES; return -1; }
    if (!path[0] || path[0] == '/') { errno = EPERM; return -1; }
    char *copy = strdup(path);
    if (!copy) return -1;
    int dir = root_fd, fd = -1;
    char *save = NULL;
    char *comp = strtok_r(copy, "/", &save);
    while (comp) {
        char *next = strtok_r(NULL, "/", &save);
        if (strcmp(comp, "..") == 0) { errno = EPERM; break; }
        if (strcmp(comp, ".") == 0 && next) { comp = next; continue; }
        if (next) {
            int d = openat(dir, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (dir != root_fd) close(dir);
            dir = d;
            if (dir < 0) break;
        } else {
            /* O_NONBLOCK so a FIFO cannot hang the monitor; only regular
             * files are accepted below. */
            fd = openat(dir, comp, oflags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, mode);
        }
        comp = next;
    }
    int e = errno;
    if (dir >= 0 && dir != root_fd) close(dir);
    free(copy);
    if (fd >= 0) {
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(fd);
            errno = EINVAL;
            return -1;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        return fd;
    }
    errno = e ? e : EINVAL;
    return -1;
}

static struct bh_pv_file *find(struct bh_pv *pv, int32_t fd)
{
    for (int i = 0; i < BH_PV_FILES_MAX; i++)
        if (pv->files[i].used && pv->files[i].guest_fd == fd) return &pv->files[i];
    return NULL;
}

int32_t bh_fsys_open(struct bh_vm *vm, const char *path, int32_t flags)
{
    struct bh_pv *pv = &vm->pv;
    int of;
    switch (flags) {
    case BH_PV_O_READ: of = O_RDONLY; break;
    case BH_PV_O_WRITE: of = O_WRONLY | O_CREAT | O_TRUNC; break;
    case BH_PV_O_APPEND: of = O_WRONLY | O_CREAT | O_APPEND; break;
    default: return -1;
    }
    if (pv->root_fd < 0 || strlen(path) >= BH_PV_PATH_MAX) return -1;
    struct bh_pv_file *slot = NULL;
    for (int i = 0; i < BH_PV_FILES_MAX && !slot; i++)
        if (!pv->files[i].used) slot = &pv->files[i];
    if (!slot) return -1;
    int32_t gfd = 3; /* the lowest free descriptor, as POSIX does */
    while (find(pv, gfd)) gfd++;
    int hfd = bh_fsys_open_beneath(pv->root_fd, path, of, 0644);
    if (hfd < 0) return -1;
    memset(slot, 0, sizeof *slot);
    slot->used = 1;
    slot->guest_fd = gfd;
    slot->flags = flags;
    slot->host_fd = hfd;
    snprintf(slot->path, sizeof slot->path, "%s", path);
    if (flags == BH_PV_O_APPEND) {
        off_t end = lseek(hfd, 0, SEEK_END);
        slot->offset = end > 0 ? (uint64_t)end : 0;
    }
    return gfd;
}

static int32_t read_console(struct bh_vm *vm, uint32_t buf, int32_t n, int *waiting)
{
    struct bh_console *con = &vm->con;
    bh_console_flush(con);
    /* Like a terminal: at most one line per read. */
    if (!bh_console_want_line(con, !vm->ctl.nonblock)) { *waiting = 1; return 0; }
    uint32_t take = con->inq_len < (uint32_t)n ? con->inq_len : (uint32_t)n;
    const uint8_t *nl = memchr(con->inq, '\n', take);
    if (nl) take = (uint32_t)(nl - con->inq) + 1;
    if (take && bh_vm_write(vm, buf, con->inq, take) != 0) return -1;
    bh_console_consume(con, take);
    return (int32_t)take;
}

int32_t bh_fsys_read(struct bh_vm *vm, int32_t fd, uint32_t buf, int32_t n, int *waiting)
{
    *waiting = 0;
    if (n < 0) return -1;
    if (fd == 0) return read_console(vm, buf, n, waiting);
    struct bh_pv_file *f = find(&vm->pv, fd);
    if (!f || f->flags != BH_PV_O_READ) return -1;
    uint32_t want = (uint32_t)n < IO_MAX ? (uint32_t)n : IO_MAX;
    uint8_t *tmp = malloc(want ? want : 1);
    if (!tmp) return -1;
    ssize_t got;
    do got = read(f->host_fd, tmp, want);
    while (got < 0 && errno == EINTR);
    int32_t r = -1;
    if (got >= 0 && (got == 0 || bh_vm_write(vm, buf, tmp, (uint32_t)got) == 0)) {
        f->offset += (uint64_t)got;
        r = (int32_t)got;
    }
    free(tmp);
    return r;
}

int32_t bh_fsys_write(struct bh_vm *vm, int32_t fd, uint32_t buf, int32_t n)
{
    struct bh_console *con = &vm->con;
    if (n < 0) return -1;
    uint32_t want = (uint32_t)n < IO_MAX ? (uint32_t)n : IO_MAX;
    uint8_t *tmp = malloc(want ? want : 1);
    if (!tmp) return -1;
    int32_t r = -1;
    if (bh_vm_read(vm, buf, tmp, want) != 0) goto out;
    if (fd == 1 || fd == 2) {
        bh_console_write(con, tmp, want);
        r = (int32_t)want;
        goto out;
    }
    struct bh_pv_file *f = find(&vm->pv, fd);
    if (!f || f->flags == BH_PV_O_READ) goto out;
    ssize_t put;
    do put = write(f->host_fd, tmp, want);
    while (put < 0 && errno == EINTR);
    if (put >= 0) {
        f->offset += (uint64_t)put;
        r = (int32_t)put;
    }
out:
    free(tmp);
    return r;
}

int32_t bh_fsys_close(struct bh_vm *vm, int32_t fd)
{
    if (fd >= 0 && fd <= 2) return 0; /* the console stays open */
    struct bh_pv_file *f = find(&vm->pv, fd);
    if (!f) return -1;
    close(f->host_fd);
    memset(f, 0, sizeof *f);
    f->host_fd = -1;
    return 0;
}
