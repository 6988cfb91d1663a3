/* disk.c: the block device (disk.h): a disk image file behind seven
 * registers, requests run synchronously inside the write of COMMAND. */
#define _GNU_SOURCE /* SEEK_DATA */
#include "dev/disk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the image ---- */

int bh_disk_set_path(struct bh_disk *d, const char *path)
{
    char *p = strdup(path);
    if (!p)
        return -1;
    free(d->path);
    d->path = p;
    return 0;
}

int bh_disk_open(struct bh_disk *d, const char *path, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    d->fd = -1;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return bh_errf(err, errlen, "disk %s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return bh_errf(err, errlen, "disk %s: %s", path, strerror(e));
    }
    const char *bad = NULL;
    if (!S_ISREG(sb.st_mode))
        bad = "is not a regular file";
    else if (sb.st_size == 0 || sb.st_size % BH_DISK_SECTOR)
        bad = "is not a whole number of 512-byte sectors";
    else if ((uint64_t)sb.st_size > BH_DISK_MAX_BYTES)
        bad = "is larger than 4 GiB";
    if (bad) {
        close(fd);
        return bh_errf(err, errlen,
                       "disk %s %s (%lld bytes)" BH_HELP
                       "a disk image is a file of 512 bytes to 4 GiB, a multiple of 512: "
                       "truncate -s 1M %s makes an empty one",
                       path, bad, (long long)sb.st_size, path);
    }
    /* Two VMs writing one image would corrupt it for both. */
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return bh_errf(err, errlen,
                           "disk %s is in use by another VM (it is locked)" BH_HELP
                           "give each VM its own image (cp %s other.img)",
                           path, path);
        return bh_errf(err, errlen, "disk %s: flock: %s", path, strerror(e));
    }
    d->nsectors = (uint32_t)(sb.st_size / BH_DISK_SECTOR);
    /* Reads copy from a shared mapping of the image: a pread per request
     * costs a system call, which is most of a 4 KiB read's time (and far
     * more inside a VM, where myvmm itself may run).  The page cache is
     * one, so the mapping sees every pwrite at once. */
    void *map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        int e = errno;
        close(fd);
        return bh_errf(err, errlen, "disk %s: mmap: %s", path, strerror(e));
    }
    d->map = map;
    d->path = strdup(path);
    d->dirty = calloc((bh_disk_nblocks(d) + 7) / 8, 1);
    d->buf = malloc((size_t)BH_DISK_MAX_COUNT * BH_DISK_SECTOR);
    d->fd = fd;
    if (!d->path || !d->dirty || !d->buf) {
        bh_disk_close(d);
        return bh_errf(err, errlen, "disk %s: out of memory", path);
    }
    return 0;
}

void bh_disk_close(struct bh_disk *d)
{
    if (d->map)
        munmap((void *)d->map, (size_t)d->nsectors * BH_DISK_SECTOR);
    d->map = NULL;
    if (d->fd >= 0)
        close(d->fd); /* drops the lock */
    free(d->path);
    free(d->dirty);
    free(d->buf);
    d->fd = -1;
    d->path = NULL;
    d->dirty = d->buf = NULL;
}

int bh_disk_read_sectors(struct bh_disk *d, uint32_t first, uint32_t n, void *dst)
{
    if ((uint64_t)first + n > d->nsectors) {
        errno = EINVAL;
        return -1;
    }
    size_t want = (size_t)n * BH_DISK_SECTOR, got = 0;
    off_t at = (off_t)first * BH_DISK_SECTOR;
    while (got < want) {
        ssize_t k = pread(d->fd, (uint8_t *)dst + got, want - got, at + (off_t)got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO; /* the file shrank under us */
            return -1;
        }
        got += (size_t)k;
    }
    return 0;
}

int bh_disk_write_sectors(struct bh_disk *d, uint32_t first, uint32_t n, const void *src)
{
    if ((uint64_t)first + n > d->nsectors) {
        errno = EINVAL;
        return -1;
    }
    size_t want = (size_t)n * BH_DISK_SECTOR, put = 0;
    off_t at = (off_t)first * BH_DISK_SECTOR;
    while (put < want) {
        ssize_t k = pwrite(d->fd, (const uint8_t *)src + put, want - put, at + (off_t)put);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return -1;
        }
        put += (size_t)k;
    }
    return 0;
}

int bh_disk_sync(struct bh_disk *d)
{
    int rc;
    do
        rc = fdatasync(d->fd);
    while (rc != 0 && errno == EINTR);
    return rc;
}

uint32_t bh_disk_data_from(struct bh_disk *d, uint32_t from)
{
    if (from >= d->nsectors)
        return d->nsectors;
    off_t at = lseek(d->fd, (off_t)from * BH_DISK_SECTOR, SEEK_DATA);
    if (at < 0)
        return errno == ENXIO ? d->nsectors : from; /* ENXIO: only a hole is left */
    uint64_t s = (uint64_t)at / BH_DISK_SECTOR;
    return s < d->nsectors ? (uint32_t)s : d->nsectors;
}

uint32_t bh_disk_hole_from(struct bh_disk *d, uint32_t from)
{
    if (from >= d->nsectors)
        return d->nsectors;
    off_t at = lseek(d->fd, (off_t)from * BH_DISK_SECTOR, SEEK_HOLE);
    if (at < 0)
        return d->nsectors; /* all of it may be data */
    uint64_t s = ((uint64_t)at + BH_DISK_SECTOR - 1) / BH_DISK_SECTOR;
    return s < d->nsectors ? (uint32_t)s : d->nsectors;
}

uint64_t bh_disk_harvest(struct bh_disk *d, void (*fn)(void *ctx, uint32_t block), void *ctx)
{
    uint64_t n = 0;
    uint32_t nb = bh_disk_nblocks(d);
    for (uint32_t i = 0; i < (nb + 7) / 8; i++) {
        if (!d->dirty[i])
            continue;
        for (unsigned k = 0; k < 8; k++)
            if (d->dirty[i] >> k & 1u) {
                fn(ctx, 8 * i + k);
                n++;
            }
        d->dirty[i] = 0;
    }
    return n;
}

/* ---- requests ---- */

static void mark_dirty(struct bh_disk *d, uint32_t first, uint32_t n)
{
    for (uint32_t b = first / BH_DISK_BLOCK_SECTORS; b <= (first + n - 1) / BH_DISK_BLOCK_SECTORS;
         b++)
        d->dirty[b / 8] |= (uint8_t)(1u << (b % 8));
}

/* One request: its result (BH_DISK_E_*).  Every check comes before any
 * byte moves, and DMA checks the whole buffer before it copies (dev.h). */
static uint32_t request(struct bh_disk *d, uint32_t cmd)
{
    struct bh_disk_regs *r = &d->r;
    if (cmd == BH_DISK_CMD_FLUSH) {
        r->flushes++;
        return bh_disk_sync(d) ? BH_DISK_E_IO : BH_DISK_OK;
    }
    if (cmd != BH_DISK_CMD_READ && cmd != BH_DISK_CMD_WRITE)
        return BH_DISK_E_COMMAND;
    if (r->count == 0 || r->count > BH_DISK_MAX_COUNT)
        return BH_DISK_E_COUNT;
    if ((uint64_t)r->sector + r->count > d->nsectors)
        return BH_DISK_E_SECTOR;
    if (r->addr & 3u)
        return BH_DISK_E_ALIGN;
    uint32_t bytes = r->count * BH_DISK_SECTOR;
    if ((uint64_t)r->addr + bytes > 0x100000000ull)
        return BH_DISK_E_ADDRESS;
    if (cmd == BH_DISK_CMD_READ) {
        r->reads++;
        if (bh_dma_write(&d->dma, r->addr, d->map + (size_t)r->sector * BH_DISK_SECTOR, bytes))
            return BH_DISK_E_ADDRESS;
        r->sectors_read += r->count;
        return BH_DISK_OK;
    }
    r->writes++;
    if (bh_dma_read(&d->dma, r->addr, d->buf, bytes))
        return BH_DISK_E_ADDRESS;
    /* Dirty before the write: a failed one may have changed part of it. */
    mark_dirty(d, r->sector, r->count);
    if (bh_disk_write_sectors(d, r->sector, r->count, d->buf))
        return BH_DISK_E_IO;
    r->sectors_written += r->count;
    return BH_DISK_OK;
}

static void update_irq(struct bh_disk *d)
{
    bh_irq_set(&d->irq, (d->r.status & BH_DISK_ST_DONE) && (d->r.control & BH_DISK_CTL_IE));
}

/* Word accesses to the seven registers only: anything else is a bus
 * error, so a wrong offset in a driver shows at once. */
static int disk_read(void *opaque, uint32_t offset, unsigned size, uint32_t *val)
{
    const struct bh_disk *d = opaque;
    if (size != 4)
        return -1;
    switch (offset) {
    case BH_DISK_REG_SECTOR: *val = d->r.sector; return 0;
    case BH_DISK_REG_COUNT: *val = d->r.count; return 0;
    case BH_DISK_REG_ADDR: *val = d->r.addr; return 0;
    case BH_DISK_REG_COMMAND: *val = d->r.command; return 0;
    case BH_DISK_REG_STATUS: *val = d->r.status; return 0;
    case BH_DISK_REG_CONTROL: *val = d->r.control; return 0;
    case BH_DISK_REG_CAPACITY: *val = d->nsectors; return 0;
    default: return -1;
    }
}

static int disk_write(void *opaque, uint32_t offset, unsigned size, uint32_t val)
{
    struct bh_disk *d = opaque;
    if (size != 4)
        return -1;
    switch (offset) {
    case BH_DISK_REG_SECTOR: d->r.sector = val; return 0;
    case BH_DISK_REG_COUNT: d->r.count = val; return 0;
    case BH_DISK_REG_ADDR: d->r.addr = val; return 0;
    case BH_DISK_REG_COMMAND: {
        d->r.command = val;
        uint32_t st = request(d, val);
        if (st)
            d->r.errors++;
        d->r.status = BH_DISK_ST_DONE | st;
        break;
    }
    case BH_DISK_REG_STATUS:
        if (val & BH_DISK_ST_DONE)
            d->r.status &= ~BH_DISK_ST_DONE; /* acknowledged; the result stays readable */
        break;
    case BH_DISK_REG_CONTROL: d->r.control = val & BH_DISK_CTL_IE; break;
    default: return -1; /* CAPACITY is read-only */
    }
    update_irq(d);
    return 0;
}

static const char *const disk_regs[] = {"sector",  "count",   "addr",    "command",
                                        "status", "control", "capacity"};
const struct bh_dev_region bh_disk_region = {"disk", BH_DISK_MMIO_SIZE, disk_read, disk_write,
                                             disk_regs, 7};

/* ---- state ---- */

int bh_disk_save(const struct bh_disk *d, struct bh_buf *b)
{
    const struct bh_disk_regs *r = &d->r;
    bh_buf_put32(b, BH_DISK_SECTOR);
    bh_buf_put32(b, d->nsectors);
    bh_buf_put32(b, r->sector);
    bh_buf_put32(b, r->count);
    bh_buf_put32(b, r->addr);
    bh_buf_put32(b, r->command);
    bh_buf_put32(b, r->status);
    bh_buf_put32(b, r->control);
    bh_buf_put64(b, r->reads);
    bh_buf_put64(b, r->writes);
    bh_buf_put64(b, r->flushes);
    bh_buf_put64(b, r->errors);
    bh_buf_put64(b, r->sectors_read);
    bh_buf_put64(b, r->sectors_written);
    bh_buf_put_str16(b, d->path ? d->path : "", 255);
    return b->oom ? -1 : 0;
}

int bh_disk_parse(struct bh_rd *rd, uint32_t version, struct bh_disk_saved *s, char *err,
                  size_t errlen)
{
    if (version != BH_DISK_STATE_VERSION)
        return bh_errf(err, errlen, "disk state version %u is not known to this myvmm (%u)",
                       version, BH_DISK_STATE_VERSION);
    memset(s, 0, sizeof *s);
    struct bh_disk_regs *r = &s->r;
    uint32_t ssize = bh_rd32(rd);
    s->nsectors = bh_rd32(rd);
    r->sector = bh_rd32(rd);
    r->count = bh_rd32(rd);
    r->addr = bh_rd32(rd);
    r->command = bh_rd32(rd);
    r->status = bh_rd32(rd);
    r->control = bh_rd32(rd);
    r->reads = bh_rd64(rd);
    r->writes = bh_rd64(rd);
    r->flushes = bh_rd64(rd);
    r->errors = bh_rd64(rd);
    r->sectors_read = bh_rd64(rd);
    r->sectors_written = bh_rd64(rd);
    if (rd->bad || bh_rd_str16(rd, s->path, sizeof s->path))
        return bh_errf(err, errlen, "disk state: truncated, or a bad file name");
    if (ssize != BH_DISK_SECTOR)
        return bh_errf(err, errlen, "sector size %u (this myvmm's disks have %u-byte sectors)",
                       ssize, BH_DISK_SECTOR);
    if (s->nsectors == 0 || (uint64_t)s->nsectors * BH_DISK_SECTOR > BH_DISK_MAX_BYTES)
        return bh_errf(err, errlen, "a disk of %u sectors (1 to %llu)", s->nsectors,
                       (unsigned long long)(BH_DISK_MAX_BYTES / BH_DISK_SECTOR));
    if ((r->status & ~(BH_DISK_ST_DONE | 0xffu)) || (r->status & 0xffu) > BH_DISK_E_MAX)
        return bh_errf(err, errlen, "disk status 0x%x is not one the device sets", r->status);
    if (r->control & ~BH_DISK_CTL_IE)
        return bh_errf(err, errlen, "disk control 0x%x has bits the device has not", r->control);
    return 0;
}

int bh_disk_fits(const struct bh_disk *d, const struct bh_disk_saved *s, char *err, size_t errlen)
{
    if (s->nsectors != d->nsectors)
        return bh_errf(err, errlen,
                       "the snapshot's disk has %u sectors (%llu KiB), this VM's disk %s has %u "
                       "(%llu KiB)" BH_HELP "give the VM an image of the snapshot's size "
                       "(truncate -s %llu FILE); its contents become the snapshot's",
                       s->nsectors, (unsigned long long)s->nsectors / 2, d->path, d->nsectors,
                       (unsigned long long)d->nsectors / 2,
                       (unsigned long long)s->nsectors * BH_DISK_SECTOR);
    return 0;
}

int bh_disk_load(struct bh_disk *d, const struct bh_disk_saved *s, char *err, size_t errlen)
{
    if (bh_disk_fits(d, s, err, errlen))
        return -1;
    d->r = s->r;
    /* No interrupt line here: the CPU's Cause holds IP4 as it was (as the
     * console, console.c), and the next access sets the line again. */
    return 0;
}
