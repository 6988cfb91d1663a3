/* fuzz_disk.c: libFuzzer target for the block device's request decoder
 * and its state readers (vm/dev/disk.c, vm/state/snap_disk.c).
 *
 * The first byte chooses:
 *  - even: the rest is register accesses, 6 bytes each (offset, size and
 *    direction, a 32-bit value), against a 16-sector image and a small
 *    fake guest memory between two guard zones.  After every access a
 *    result the device defines; after a refused request, neither the
 *    image nor memory changed; at the end the guards untouched and the
 *    image's size unchanged.
 *  - odd: the rest is a DISK section body (docs/snapshot-format.md) for
 *    bh_snap_disk_parse, data decompressed; an accepted body's counts
 *    must agree with its table.
 * No crash, leak or sanitizer report.
 *
 * BH_FUZZ_WRITE_SEED=dir writes seeds there: a read, a write, a flush and
 * an acknowledgement; and the DISK body of a snapshot of this disk.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bh_util.h"
#include "dev/disk.h"
#include "state/snap_priv.h"

#define SECTORS 16u
#define MEM_BASE 0x10000u
#define MEM_SIZE 0x4000u
#define GUARD 0x1000u
static uint8_t zone[GUARD + MEM_SIZE + GUARD];
#define MEM (zone + GUARD)

static int fake_read(void *opaque, uint32_t addr, void *dst, uint32_t n)
{
    if (addr < MEM_BASE || (uint64_t)addr + n > MEM_BASE + MEM_SIZE)
        return -1;
    memcpy(dst, MEM + (addr - MEM_BASE), n);
    return 0;
}
static int fake_write(void *opaque, uint32_t addr, const void *src, uint32_t n)
{
    /* the first page is "text": DMA may read it, not write it */
    if (addr < MEM_BASE + 0x1000u || (uint64_t)addr + n > MEM_BASE + MEM_SIZE)
        return -1;
    memcpy(MEM + (addr - MEM_BASE), src, n);
    return 0;
}

static struct bh_disk disk;
static char path[] = "/tmp/fuzz_disk_XXXXXX";

static void open_disk(void)
{
    if (disk.path)
        return;
    int fd = mkstemp(path);
    if (fd < 0 || ftruncate(fd, SECTORS * BH_DISK_SECTOR) != 0)
        abort();
    close(fd);
    char err[256];
    if (bh_disk_open(&disk, path, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    unlink(path); /* the open file stays */
    disk.dma = (struct bh_dma){fake_read, fake_write, NULL};
}

static uint32_t crc_of_image(void)
{
    static uint8_t all[SECTORS * BH_DISK_SECTOR];
    if (bh_disk_read_sectors(&disk, 0, SECTORS, all))
        abort();
    return bh_crc32c(0, all, sizeof all);
}

static void registers(const uint8_t *p, size_t n)
{
    memset(zone, 0xa5, sizeof zone);
    memset(&disk.r, 0, sizeof disk.r);
    for (; n >= 6; p += 6, n -= 6) {
        uint32_t off = p[0] & 0x1fu, val = bh_get32(p + 2);
        unsigned size = 1u << (p[1] % 3);
        if (!(p[1] & 4)) {
            uint32_t v;
            bh_disk_region.read(&disk, off, size, &v);
            continue;
        }
        /* only a command moves bytes: check around those */
        int cmd = off == BH_DISK_REG_COMMAND && size == 4;
        uint32_t img = cmd ? crc_of_image() : 0, mem = cmd ? bh_crc32c(0, MEM, MEM_SIZE) : 0;
        bh_disk_region.write(&disk, off, size, val);
        if ((disk.r.status & 0xffu) > BH_DISK_E_MAX || (disk.r.status & ~0x1ffu))
            abort();
        if (cmd && (disk.r.status & 0xffu) != BH_DISK_OK &&
            (disk.r.status & 0xffu) != BH_DISK_E_IO &&
            (crc_of_image() != img || bh_crc32c(0, MEM, MEM_SIZE) != mem))
            abort(); /* a refused request changed something */
    }
    for (uint32_t i = 0; i < GUARD; i++)
        if (zone[i] != 0xa5 || zone[GUARD + MEM_SIZE + i] != 0xa5)
            abort();
    struct stat sb;
    if (fstat(disk.fd, &sb) || sb.st_size != SECTORS * BH_DISK_SECTOR)
        abort();
}

static void body(const uint8_t *p, size_t n)
{
    struct bh_snap_disk_view v;
    char err[400];
    if (bh_snap_disk_parse(p, n, BH_DISK_STATE_VERSION, &v, 1, err, sizeof err) == 0) {
        uint64_t data = 0;
        for (uint32_t i = 0; i < v.next; i++)
            if (!(bh_get32(v.table + 12 * i + 8) & 1u))
                data += (uint64_t)bh_get32(v.table + 12 * i + 4) * BH_DISK_SECTOR;
        if (data != v.raw || v.listed > v.dev.nsectors)
            abort();
        struct bh_buf o = {0};
        bh_snap_disk_describe(&v, &o);
        bh_buf_free(&o);
    }
    free(v.owned);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    open_disk();
    if (size < 1)
        return 0;
    if (data[0] & 1)
        body(data + 1, size - 1);
    else
        registers(data + 1, size - 1);
    return 0;
}

static void put_op(struct bh_buf *b, uint32_t off, uint32_t val)
{
    bh_buf_put8(b, (uint8_t)off);
    bh_buf_put8(b, 4 | 2); /* a word write */
    bh_buf_put32(b, val);
}

static int write_file(const char *dir, const char *name, const struct bh_buf *b)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f))
        return 1;
    return 0;
}

static int write_seeds(const char *dir)
{
    open_disk();
    struct bh_buf b = {0};
    bh_buf_put8(&b, 0);
    put_op(&b, BH_DISK_REG_SECTOR, 2);
    put_op(&b, BH_DISK_REG_COUNT, 4);
    put_op(&b, BH_DISK_REG_ADDR, MEM_BASE + 0x2000u);
    put_op(&b, BH_DISK_REG_CONTROL, BH_DISK_CTL_IE);
    put_op(&b, BH_DISK_REG_COMMAND, BH_DISK_CMD_READ);
    put_op(&b, BH_DISK_REG_STATUS, BH_DISK_ST_DONE);
    put_op(&b, BH_DISK_REG_SECTOR, 9);
    put_op(&b, BH_DISK_REG_COMMAND, BH_DISK_CMD_WRITE);
    put_op(&b, BH_DISK_REG_COMMAND, BH_DISK_CMD_FLUSH);
    int rc = write_file(dir, "requests", &b);
    /* a DISK body: the device, then one extent of 2 sectors */
    b.len = 0;
    bh_buf_put8(&b, 1);
    bh_disk_save(&disk, &b);
    bh_buf_put32(&b, 0);
    bh_buf_put32(&b, 1);
    bh_buf_put64(&b, 2 * BH_DISK_SECTOR);
    bh_buf_put64(&b, 2 * BH_DISK_SECTOR);
    bh_buf_put32(&b, 3);
    bh_buf_put32(&b, 2);
    bh_buf_put32(&b, 0);
    for (uint32_t i = 0; i < 2 * BH_DISK_SECTOR; i++)
        bh_buf_put8(&b, (uint8_t)i);
    rc |= write_file(dir, "body", &b);
    bh_buf_free(&b);
    return rc;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *seed = getenv("BH_FUZZ_WRITE_SEED");
    if (seed)
        exit(write_seeds(seed));
    return 0;
}
