/* snap_disk.c: the DISK section (docs/snapshot-format.md): the block
 * device's registers (bh_disk_save, dev/disk.c) and the disk's contents
 * as extents of sectors.
 *
 * A snapshot carries the whole disk: every non-zero 4 KiB block, the
 * rest being zeroes, and a restore rewrites the VM's image to exactly
 * that.  Why not only the blocks written since the disk was opened: the
 * device writes through to the image (what the guest was told is written
 * is in the file), so a block the guest writes after the snapshot
 * destroys the image's copy of what the snapshot would need, and the
 * snapshot could no longer be restored.  docs/devices.md has the choice.
 *
 * Live migration sends DISK bodies that hold only the listed blocks (a
 * block that is now zero as a ZERO extent, no data), which the
 * destination writes leaving every other block alone, as MEM bodies do
 * for pages. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef BH_HAVE_ZSTD
#include <zstd.h>
#endif

#include "dev/disk.h"
#include "machine/machine.h"
#include "state/snap_priv.h"
#include "state/snapshot.h"

#define EXT_ZERO 1u        /* extent flag: the sectors are zero, no data stored */
#define EXT_SIZE 12u       /* first sector, sectors, flags */
#define CHUNK_BLOCKS 64u   /* blocks read at a time while scanning (256 KiB) */
#define ZSTD_LEVEL 1

struct ext {
    uint32_t first, n, flags;
};
struct ext_list {
    struct ext *v;
    size_t n, cap;
    int oom;
};

static int is_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* Append sectors [first, first + n) (zero or not), merging with the last
 * extent when they continue it. */
static void ext_add(struct ext_list *l, uint32_t first, uint32_t n, uint32_t flags)
{
    if (l->n && l->v[l->n - 1].flags == flags && l->v[l->n - 1].first + l->v[l->n - 1].n == first) {
        l->v[l->n - 1].n += n;
        return;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct ext *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->oom = 1;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (struct ext){first, n, flags};
}

/* Sectors in block b (the last block may be short). */
static uint32_t block_sectors(const struct bh_disk *d, uint32_t b)
{
    uint32_t first = b * BH_DISK_BLOCK_SECTORS, left = d->nsectors - first;
    return left < BH_DISK_BLOCK_SECTORS ? left : BH_DISK_BLOCK_SECTORS;
}

/* The body: the device's state, the extents and their data (raw, or one
 * zstd frame when compress). */
static int put_body(struct bh_buf *b, const struct bh_disk *d, const struct ext_list *l,
                    const struct bh_buf *data, int compress, char *err, size_t errlen)
{
    if (bh_disk_save(d, b))
        return bh_errf(err, errlen, "snapshot: out of memory");
    const uint8_t *stored = data->data;
    size_t nstored = data->len;
    uint8_t *tmp = NULL;
#ifdef BH_HAVE_ZSTD
    if (compress) {
        size_t bound = ZSTD_compressBound(data->len);
        tmp = malloc(bound ? bound : 1);
        if (!tmp)
            return bh_errf(err, errlen, "snapshot: out of memory");
        nstored = ZSTD_compress(tmp, bound, data->data, data->len, ZSTD_LEVEL);
        if (ZSTD_isError(nstored)) {
            free(tmp);
            return bh_errf(err, errlen, "snapshot: zstd: %s", ZSTD_getErrorName(nstored));
        }
        stored = tmp;
    }
#else
    if (compress)
        return bh_errf(err, errlen,
                       "snapshot compression needs zstd, and this myvmm was built without "
                       "libzstd");
#endif
    bh_buf_put32(b, compress ? BH_SNAP_ENC_ZSTD : BH_SNAP_ENC_RAW);
    bh_buf_put32(b, (uint32_t)l->n);
    bh_buf_put64(b, data->len);
    bh_buf_put64(b, nstored);
    for (size_t i = 0; i < l->n; i++) {
        bh_buf_put32(b, l->v[i].first);
        bh_buf_put32(b, l->v[i].n);
        bh_buf_put32(b, l->v[i].flags);
    }
    bh_buf_append(b, stored, nstored);
    free(tmp);
    return b->oom ? bh_errf(err, errlen, "snapshot: out of memory") : 0;
}

static int io_err(const struct bh_disk *d, const char *what, char *err, size_t errlen)
{
    return bh_errf(err, errlen, "disk %s: %s: %s", d->path, what, strerror(errno));
}

int bh_snap_put_disk(struct bh_buf *b, struct bh_vm *vm, int compress, char *err, size_t errlen)
{
    struct bh_disk *d = bh_vm_disk(vm);
    struct ext_list l = {0};
    struct bh_buf data = {0};
    uint8_t *chunk = malloc((size_t)CHUNK_BLOCKS * BH_DISK_BLOCK);
    uint32_t nb = bh_disk_nblocks(d);
    int rc = chunk ? 0 : bh_errf(err, errlen, "snapshot: out of memory");
    /* Every non-zero block; holes of a sparse image are not even read. */
    for (uint32_t blk = 0; rc == 0 && blk < nb;) {
        uint32_t s = bh_disk_data_from(d, blk * BH_DISK_BLOCK_SECTORS);
        if (s >= d->nsectors)
            break;
        if (s / BH_DISK_BLOCK_SECTORS > blk)
            blk = s / BH_DISK_BLOCK_SECTORS;
        uint32_t k = nb - blk < CHUNK_BLOCKS ? nb - blk : CHUNK_BLOCKS;
        uint32_t first = blk * BH_DISK_BLOCK_SECTORS;
        uint32_t n = (blk + k - 1) * BH_DISK_BLOCK_SECTORS + block_sectors(d, blk + k - 1) - first;
        if (bh_disk_read_sectors(d, first, n, chunk)) {
            rc = io_err(d, "reading it for the snapshot", err, errlen);
            break;
        }
        for (uint32_t i = 0; i < k; i++) {
            uint32_t ns = block_sectors(d, blk + i);
            const uint8_t *p = chunk + (size_t)i * BH_DISK_BLOCK;
            if (is_zero(p, (size_t)ns * BH_DISK_SECTOR))
                continue;
            ext_add(&l, (blk + i) * BH_DISK_BLOCK_SECTORS, ns, 0);
            bh_buf_append(&data, p, (size_t)ns * BH_DISK_SECTOR);
        }
        blk += k;
    }
    if (rc == 0 && (l.oom || data.oom))
        rc = bh_errf(err, errlen, "snapshot: out of memory for the disk");
    if (rc == 0)
        rc = put_body(b, d, &l, &data, compress, err, errlen);
    free(chunk);
    free(l.v);
    bh_buf_free(&data);
    return rc;
}

int bh_snap_put_disk_blocks(struct bh_buf *b, struct bh_vm *vm, const uint32_t *blocks, size_t n,
                            char *err, size_t errlen)
{
    struct bh_disk *d = bh_vm_disk(vm);
    struct ext_list l = {0};
    struct bh_buf data = {0};
    uint8_t blk[BH_DISK_BLOCK];
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        uint32_t ns = block_sectors(d, blocks[i]), first = blocks[i] * BH_DISK_BLOCK_SECTORS;
        if (bh_disk_read_sectors(d, first, ns, blk)) {
            rc = io_err(d, "reading it for the migration", err, errlen);
        } else if (is_zero(blk, (size_t)ns * BH_DISK_SECTOR)) {
            ext_add(&l, first, ns, EXT_ZERO);
        } else {
            ext_add(&l, first, ns, 0);
            bh_buf_append(&data, blk, (size_t)ns * BH_DISK_SECTOR);
        }
    }
    if (rc == 0 && (l.oom || data.oom))
        rc = bh_errf(err, errlen, "out of memory for the disk blocks");
    if (rc == 0)
        rc = put_body(b, d, &l, &data, 0, err, errlen);
    free(l.v);
    bh_buf_free(&data);
    return rc;
}

int bh_snap_disk_parse(const uint8_t *p, size_t n, uint32_t version, struct bh_snap_disk_view *v,
                       int decompress, char *err, size_t errlen)
{
    struct bh_rd r = {p, n, 0, 0};
    char msg[300];
    memset(v, 0, sizeof *v);
    if (bh_disk_parse(&r, version, &v->dev, msg, sizeof msg))
        return bh_errf(err, errlen, "section DISK: %s", msg);
    v->enc = bh_rd32(&r);
    v->next = bh_rd32(&r);
    v->raw = bh_rd64(&r);
    v->stored = bh_rd64(&r);
    if (r.bad)
        return bh_errf(err, errlen, "section DISK: truncated (%zu bytes)", n);
    if (v->enc != BH_SNAP_ENC_RAW && v->enc != BH_SNAP_ENC_ZSTD)
        return bh_errf(err, errlen, "section DISK: unknown encoding %u", v->enc);
    if ((uint64_t)v->next * EXT_SIZE > n - r.off)
        return bh_errf(err, errlen, "section DISK: %u extents do not fit in %zu bytes", v->next,
                       n);
    v->table = bh_rd_take(&r, (size_t)v->next * EXT_SIZE);
    uint64_t end = 0, sectors = 0;
    for (uint32_t i = 0; i < v->next; i++) {
        const uint8_t *e = v->table + (size_t)EXT_SIZE * i;
        uint32_t first = bh_get32(e), cnt = bh_get32(e + 4), fl = bh_get32(e + 8);
        if (cnt == 0 || (fl & ~EXT_ZERO) || (uint64_t)first < end ||
            (uint64_t)first + cnt > v->dev.nsectors)
            return bh_errf(err, errlen,
                           "section DISK: extent %u (sectors %u+%u, flags 0x%x) is empty, "
                           "overlaps the one before, or passes the disk's %u sectors",
                           i, first, cnt, fl, v->dev.nsectors);
        end = (uint64_t)first + cnt;
        v->listed += cnt;
        if (!(fl & EXT_ZERO))
            sectors += cnt;
    }
    if (v->raw != sectors * BH_DISK_SECTOR)
        return bh_errf(err, errlen, "section DISK: %llu bytes of data for %llu sectors",
                       (unsigned long long)v->raw, (unsigned long long)sectors);
    if (v->stored != n - r.off)
        return bh_errf(err, errlen, "section DISK: the data is %llu bytes but %zu are left",
                       (unsigned long long)v->stored, n - r.off);
    v->data = p + r.off;
    if (v->enc == BH_SNAP_ENC_RAW) {
        if (v->stored != v->raw)
            return bh_errf(err, errlen, "section DISK: %llu bytes stored for %llu raw",
                           (unsigned long long)v->stored, (unsigned long long)v->raw);
        return 0;
    }
#ifdef BH_HAVE_ZSTD
    unsigned long long csize = ZSTD_getFrameContentSize(v->data, (size_t)v->stored);
    if (csize != v->raw)
        return bh_errf(err, errlen,
                       "section DISK: the compressed data is not one zstd frame of %llu bytes",
                       (unsigned long long)v->raw);
    if (!decompress)
        return 0;
    v->owned = malloc(v->raw ? (size_t)v->raw : 1);
    if (!v->owned)
        return bh_errf(err, errlen, "section DISK: out of memory for %llu bytes",
                       (unsigned long long)v->raw);
    size_t z = ZSTD_decompress(v->owned, (size_t)v->raw, v->data, (size_t)v->stored);
    if (ZSTD_isError(z) || z != v->raw) {
        free(v->owned);
        v->owned = NULL;
        return bh_errf(err, errlen, "section DISK: corrupt compressed data");
    }
    v->data = v->owned;
    return 0;
#else
    (void)decompress;
    return bh_errf(err, errlen,
                   "section DISK: the data is zstd-compressed and this myvmm was built without "
                   "libzstd");
#endif
}

/* Zero sectors [from, to) of the image where it is not zero already (a
 * hole or zero bytes stay as they are). */
static int zero_range(struct bh_disk *d, uint32_t from, uint32_t to, uint8_t *chunk)
{
    const uint32_t max = CHUNK_BLOCKS * BH_DISK_BLOCK_SECTORS;
    for (uint32_t s = bh_disk_data_from(d, from); s < to; s = bh_disk_data_from(d, s)) {
        uint32_t k = to - s < max ? to - s : max;
        if (bh_disk_read_sectors(d, s, k, chunk))
            return -1;
        if (!is_zero(chunk, (size_t)k * BH_DISK_SECTOR)) {
            memset(chunk, 0, (size_t)k * BH_DISK_SECTOR);
            if (bh_disk_write_sectors(d, s, k, chunk))
                return -1;
        }
        s += k;
        if (s >= to)
            break;
    }
    return 0;
}

int bh_snap_disk_check(struct bh_vm *vm, const struct bh_snap_disk_view *v, char *err,
                       size_t errlen)
{
    struct bh_disk *d = bh_vm_disk(vm);
    char msg[400];
    if (!d)
        return bh_errf(err, errlen,
                       "the VM had a disk (%s, %u sectors) and this one has none" BH_HELP
                       "give it an image of that size with --disk FILE (or vm_disk), whose "
                       "contents become the snapshot's",
                       v->dev.path[0] ? v->dev.path : "?", v->dev.nsectors);
    if (bh_disk_fits(d, &v->dev, msg, sizeof msg))
        return bh_errf(err, errlen, "section DISK: %s", msg);
    return 0;
}

int bh_snap_disk_apply(struct bh_vm *vm, const struct bh_snap_disk_view *v, int whole, char *err,
                       size_t errlen)
{
    struct bh_disk *d = bh_vm_disk(vm);
    if (bh_snap_disk_check(vm, v, err, errlen))
        return -1;
    bh_disk_load(d, &v->dev, NULL, 0); /* it fits */
    uint8_t *chunk = malloc((size_t)CHUNK_BLOCKS * BH_DISK_BLOCK);
    if (!chunk)
        return bh_errf(err, errlen, "out of memory");
    const uint8_t *data = v->data;
    uint32_t at = 0; /* whole: the sectors before it are done */
    int rc = 0;
    for (uint32_t i = 0; i < v->next && rc == 0; i++) {
        const uint8_t *e = v->table + (size_t)EXT_SIZE * i;
        uint32_t first = bh_get32(e), cnt = bh_get32(e + 4), fl = bh_get32(e + 8);
        if (whole && zero_range(d, at, first, chunk))
            rc = -1;
        else if (fl & EXT_ZERO)
            rc = zero_range(d, first, first + cnt, chunk);
        else if (bh_disk_write_sectors(d, first, cnt, data))
            rc = -1;
        if (!(fl & EXT_ZERO))
            data += (size_t)cnt * BH_DISK_SECTOR;
        at = first + cnt;
    }
    if (rc == 0 && whole && (zero_range(d, at, d->nsectors, chunk) || bh_disk_sync(d)))
        rc = -1;
    free(chunk);
    return rc ? io_err(d, "writing the snapshot's contents", err, errlen) : 0;
}

int bh_snap_get_disk_blocks(struct bh_vm *vm, const uint8_t *p, size_t n, char *err,
                            size_t errlen)
{
    struct bh_snap_disk_view v;
    if (bh_snap_disk_parse(p, n, BH_DISK_STATE_VERSION, &v, 1, err, errlen))
        return -1;
    int rc = bh_snap_disk_apply(vm, &v, 0, err, errlen);
    free(v.owned);
    return rc ? -1 : (int)v.listed;
}

void bh_snap_disk_describe(const struct bh_snap_disk_view *v, struct bh_buf *o)
{
    const struct bh_disk_regs *r = &v->dev.r;
    uint32_t code = r->status & 0xffu;
    static const char *const result[] = {"ok", "bad command", "bad count", "sector past the end",
                                         "misaligned buffer", "bad address", "host I/O error"};
    bh_buf_printf(o,
                  "disk: %u sectors (%llu KiB), image %s; %u extents, %llu bytes of data, %llu "
                  "stored%s\n",
                  v->dev.nsectors, (unsigned long long)v->dev.nsectors / 2,
                  v->dev.path[0] ? v->dev.path : "?", v->next, (unsigned long long)v->raw,
                  (unsigned long long)v->stored, v->enc == BH_SNAP_ENC_ZSTD ? " (zstd)" : "");
    bh_buf_printf(o,
                  "  registers: sector %u, count %u, addr 0x%08x, command %u, status 0x%03x "
                  "(%s%s), "
                  "control 0x%x%s\n",
                  r->sector, r->count, r->addr, r->command, r->status,
                  r->status & BH_DISK_ST_DONE ? "done, " : "", result[code],
                  r->control,
                  (r->status & BH_DISK_ST_DONE) && (r->control & BH_DISK_CTL_IE)
                      ? "; interrupt pending (IP4)"
                      : "");
    bh_buf_printf(o,
                  "  requests: %llu reads (%llu sectors), %llu writes (%llu sectors), %llu "
                  "flushes, %llu errors\n",
                  (unsigned long long)r->reads, (unsigned long long)r->sectors_read,
                  (unsigned long long)r->writes, (unsigned long long)r->sectors_written,
                  (unsigned long long)r->flushes, (unsigned long long)r->errors);
}
