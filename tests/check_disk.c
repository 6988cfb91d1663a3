/* check_disk.c: the block device alone, on the device contract only (no
 * VM, no CPU): each register through the region callbacks, requests
 * against a temporary image and a small fake guest memory (DMA), every
 * error path (and that it changes neither the image nor memory), the DMA
 * bounds, the interrupt line in both modes, the dirty blocks, the
 * mirrored save/parse/load of its state, and the images it refuses. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev/disk.h"

/* Guest memory: MEM_SIZE bytes at MEM_BASE, the first page "text"
 * (DMA may read it, never write it); anything else does not exist. */
#define MEM_BASE 0x10000u
#define MEM_SIZE 0x10000u
#define TEXT_END (MEM_BASE + 0x1000u)
static uint8_t mem[MEM_SIZE];

static int fake_read(void *opaque, uint32_t addr, void *dst, uint32_t n)
{
    if (addr < MEM_BASE || (uint64_t)addr + n > MEM_BASE + MEM_SIZE)
        return -1;
    memcpy(dst, mem + (addr - MEM_BASE), n);
    return 0;
}
static int fake_write(void *opaque, uint32_t addr, const void *src, uint32_t n)
{
    if (addr < TEXT_END || (uint64_t)addr + n > MEM_BASE + MEM_SIZE)
        return -1;
    memcpy(mem + (addr - MEM_BASE), src, n);
    return 0;
}

static int line = -1, sets;
static void record(void *opaque, unsigned n, int lv)
{
    ck_assert_uint_eq(n, 2);
    line = lv;
    sets++;
}

#define SECTORS 128u /* a 64 KiB image */
static char path[] = "/tmp/check_disk_XXXXXX";
static struct bh_disk d;

static void setup(void)
{
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    uint8_t sec[BH_DISK_SECTOR];
    for (uint32_t s = 0; s < SECTORS; s++) {
        for (uint32_t i = 0; i < BH_DISK_SECTOR; i++)
            sec[i] = (uint8_t)(s * 7 + i);
        ck_assert_int_eq(write(fd, sec, sizeof sec), (int)sizeof sec);
    }
    close(fd);
    char err[256];
    ck_assert_msg(bh_disk_open(&d, path, err, sizeof err) == 0, "%s", err);
    d.dma = (struct bh_dma){fake_read, fake_write, NULL};
    d.irq = (struct bh_irq){record, NULL, 2};
    memset(mem, 0xee, sizeof mem);
    line = -1;
    sets = 0;
}

static void teardown(void)
{
    bh_disk_close(&d);
    unlink(path);
    strcpy(path, "/tmp/check_disk_XXXXXX");
}

static uint32_t rd(uint32_t off)
{
    uint32_t v = 0xdeadbeef;
    ck_assert_int_eq(bh_disk_region.read(&d, off, 4, &v), 0);
    return v;
}
static void wr(uint32_t off, uint32_t v)
{
    ck_assert_int_eq(bh_disk_region.write(&d, off, 4, v), 0);
}
static uint32_t harvested[8];
static unsigned nharvest;
static void harvest(void *ctx, uint32_t block)
{
    ck_assert_uint_lt(nharvest, 8);
    harvested[nharvest++] = block;
}

/* One request: its STATUS. */
static uint32_t req(uint32_t cmd, uint32_t sector, uint32_t count, uint32_t addr)
{
    wr(BH_DISK_REG_SECTOR, sector);
    wr(BH_DISK_REG_COUNT, count);
    wr(BH_DISK_REG_ADDR, addr);
    wr(BH_DISK_REG_COMMAND, cmd);
    return rd(BH_DISK_REG_STATUS);
}

/* The image's bytes and memory's, to see that nothing changed. */
static uint32_t image_crc(void)
{
    uint8_t all[SECTORS * BH_DISK_SECTOR];
    ck_assert_int_eq(bh_disk_read_sectors(&d, 0, SECTORS, all), 0);
    return bh_crc32c(0, all, sizeof all);
}

START_TEST(registers)
{
    wr(BH_DISK_REG_SECTOR, 5);
    wr(BH_DISK_REG_COUNT, 3);
    wr(BH_DISK_REG_ADDR, 0x12340);
    wr(BH_DISK_REG_CONTROL, 0xffffffffu);
    ck_assert_uint_eq(rd(BH_DISK_REG_SECTOR), 5);
    ck_assert_uint_eq(rd(BH_DISK_REG_COUNT), 3);
    ck_assert_uint_eq(rd(BH_DISK_REG_ADDR), 0x12340);
    ck_assert_uint_eq(rd(BH_DISK_REG_CONTROL), BH_DISK_CTL_IE); /* only IE sticks */
    ck_assert_uint_eq(rd(BH_DISK_REG_CAPACITY), SECTORS);
    ck_assert_uint_eq(rd(BH_DISK_REG_STATUS), 0);
    ck_assert_uint_eq(rd(BH_DISK_REG_COMMAND), 0);
    /* bus errors: CAPACITY written, other sizes, other offsets */
    uint32_t v;
    ck_assert_int_eq(bh_disk_region.write(&d, BH_DISK_REG_CAPACITY, 4, 1), -1);
    ck_assert_int_eq(bh_disk_region.read(&d, BH_DISK_REG_SECTOR, 1, &v), -1);
    ck_assert_int_eq(bh_disk_region.write(&d, BH_DISK_REG_SECTOR, 2, 1), -1);
    ck_assert_int_eq(bh_disk_region.read(&d, 0x1c, 4, &v), -1);
    ck_assert_int_eq(bh_disk_region.write(&d, 0x1c, 4, 1), -1);
    ck_assert_int_eq(bh_disk_region.read(&d, 2, 4, &v), -1);
    ck_assert_uint_eq(rd(BH_DISK_REG_SECTOR), 5);
    ck_assert_str_eq(bh_dev_reg_name(&bh_disk_region, BH_DISK_REG_COMMAND), "command");
    ck_assert_str_eq(bh_dev_reg_name(&bh_disk_region, BH_DISK_REG_CAPACITY), "capacity");
}
END_TEST

START_TEST(read_write_flush)
{
    /* read sectors 3..4 into memory */
    ck_assert_uint_eq(req(BH_DISK_CMD_READ, 3, 2, 0x12000), BH_DISK_ST_DONE | BH_DISK_OK);
    for (uint32_t i = 0; i < 2 * BH_DISK_SECTOR; i++)
        ck_assert_uint_eq(mem[0x2000 + i], (uint8_t)((3 + i / 512) * 7 + i % 512));
    ck_assert_uint_eq(mem[0x2000 + 1024], 0xee); /* not one byte more */
    ck_assert_uint_eq(rd(BH_DISK_REG_COMMAND), BH_DISK_CMD_READ);
    /* write them back at sector 120 (block 15), from "text" too */
    ck_assert_uint_eq(req(BH_DISK_CMD_WRITE, 120, 2, 0x12000), BH_DISK_ST_DONE);
    uint8_t back[2 * BH_DISK_SECTOR];
    ck_assert_int_eq(bh_disk_read_sectors(&d, 120, 2, back), 0);
    ck_assert_int_eq(memcmp(back, mem + 0x2000, sizeof back), 0);
    ck_assert_uint_eq(req(BH_DISK_CMD_WRITE, 7, 2, MEM_BASE), BH_DISK_ST_DONE); /* blocks 0, 1 */
    ck_assert_uint_eq(req(BH_DISK_CMD_FLUSH, 0, 0, 0), BH_DISK_ST_DONE);
    ck_assert_uint_eq(d.r.reads, 1);
    ck_assert_uint_eq(d.r.writes, 2);
    ck_assert_uint_eq(d.r.flushes, 1);
    ck_assert_uint_eq(d.r.sectors_read, 2);
    ck_assert_uint_eq(d.r.sectors_written, 4);
    ck_assert_uint_eq(d.r.errors, 0);
    /* the guest's writes, as 4 KiB blocks, in order, once */
    nharvest = 0;
    ck_assert_uint_eq(bh_disk_harvest(&d, harvest, NULL), 3);
    ck_assert_uint_eq(nharvest, 3);
    ck_assert_uint_eq(harvested[0], 0);
    ck_assert_uint_eq(harvested[1], 1);
    ck_assert_uint_eq(harvested[2], 15);
    ck_assert_uint_eq(bh_disk_harvest(&d, harvest, NULL), 0);
    /* a read marks nothing */
    ck_assert_uint_eq(req(BH_DISK_CMD_READ, 0, 8, 0x12000), BH_DISK_ST_DONE);
    ck_assert_uint_eq(bh_disk_harvest(&d, harvest, NULL), 0);
}
END_TEST

/* Every bad request: its code, counted, and neither the image nor
 * memory changed. */
START_TEST(errors_touch_nothing)
{
    static const struct {
        uint32_t cmd, sector, count, addr, want;
    } c[] = {
        {0, 0, 1, 0x12000, BH_DISK_E_COMMAND},
        {4, 0, 1, 0x12000, BH_DISK_E_COMMAND},
        {BH_DISK_CMD_READ, 0, 0, 0x12000, BH_DISK_E_COUNT},
        {BH_DISK_CMD_WRITE, 0, BH_DISK_MAX_COUNT + 1, 0x12000, BH_DISK_E_COUNT},
        {BH_DISK_CMD_READ, SECTORS - 1, 2, 0x12000, BH_DISK_E_SECTOR},
        {BH_DISK_CMD_WRITE, SECTORS, 1, 0x12000, BH_DISK_E_SECTOR},
        {BH_DISK_CMD_READ, 0xffffffffu, 1, 0x12000, BH_DISK_E_SECTOR}, /* no wrap */
        {BH_DISK_CMD_READ, 0, 1, 0x12002, BH_DISK_E_ALIGN},
        {BH_DISK_CMD_WRITE, 0, 1, 0x12001, BH_DISK_E_ALIGN},
        {BH_DISK_CMD_READ, 0, 1, 0x4000, BH_DISK_E_ADDRESS},               /* no memory */
        {BH_DISK_CMD_WRITE, 0, 1, 0x4000, BH_DISK_E_ADDRESS},
        {BH_DISK_CMD_READ, 0, 1, MEM_BASE, BH_DISK_E_ADDRESS},             /* into text */
        {BH_DISK_CMD_READ, 0, 2, MEM_BASE + MEM_SIZE - 512, BH_DISK_E_ADDRESS}, /* half out */
        {BH_DISK_CMD_WRITE, 0, 2, MEM_BASE + MEM_SIZE - 512, BH_DISK_E_ADDRESS},
        {BH_DISK_CMD_READ, 0, 8, 0xfffff000u, BH_DISK_E_ADDRESS}, /* past 4 GiB */
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        uint32_t img = image_crc(), m = bh_crc32c(0, mem, sizeof mem);
        ck_assert_msg(req(c[i].cmd, c[i].sector, c[i].count, c[i].addr) ==
                          (BH_DISK_ST_DONE | c[i].want),
                      "case %zu: status 0x%x", i, rd(BH_DISK_REG_STATUS));
        ck_assert_uint_eq(image_crc(), img);
        ck_assert_uint_eq(bh_crc32c(0, mem, sizeof mem), m);
        ck_assert_uint_eq(d.r.errors, i + 1);
    }
    ck_assert_uint_eq(d.r.sectors_read + d.r.sectors_written, 0);
    ck_assert_uint_eq(bh_disk_harvest(&d, harvest, NULL), 0);
    /* the result stays readable after the acknowledgement */
    wr(BH_DISK_REG_STATUS, BH_DISK_ST_DONE);
    ck_assert_uint_eq(rd(BH_DISK_REG_STATUS), BH_DISK_E_ADDRESS);
}
END_TEST

/* DMA bounds: the largest request, a buffer ending at the last byte of
 * memory, and one byte further. */
START_TEST(dma_bounds)
{
    ck_assert_uint_eq(req(BH_DISK_CMD_READ, 0, BH_DISK_MAX_COUNT, TEXT_END),
                      BH_DISK_ST_DONE | BH_DISK_E_SECTOR);
    ck_assert_uint_eq(req(BH_DISK_CMD_READ, 0, 120, TEXT_END), BH_DISK_ST_DONE); /* all of it */
    ck_assert_uint_eq(req(BH_DISK_CMD_READ, 0, 121, TEXT_END), BH_DISK_ST_DONE | BH_DISK_E_ADDRESS);
    uint32_t last = MEM_BASE + MEM_SIZE - BH_DISK_SECTOR;
    ck_assert_uint_eq(req(BH_DISK_CMD_READ, 9, 1, last), BH_DISK_ST_DONE);
    ck_assert_uint_eq(mem[MEM_SIZE - 1], (uint8_t)(9 * 7 + 511));
    ck_assert_uint_eq(req(BH_DISK_CMD_READ, 9, 1, last + 4), BH_DISK_ST_DONE | BH_DISK_E_ADDRESS);
    ck_assert_uint_eq(req(BH_DISK_CMD_READ, 9, 1, TEXT_END - 4),
                      BH_DISK_ST_DONE | BH_DISK_E_ADDRESS);
    ck_assert_uint_eq(req(BH_DISK_CMD_WRITE, 9, 1, TEXT_END - 4), BH_DISK_ST_DONE);
}
END_TEST

START_TEST(interrupt_and_polling)
{
    /* polled: DONE, the line never raised */
    ck_assert_uint_eq(req(BH_DISK_CMD_READ, 0, 1, 0x12000), BH_DISK_ST_DONE);
    ck_assert_int_ne(line, 1);
    /* IE with DONE set raises it; the acknowledgement lowers it */
    wr(BH_DISK_REG_CONTROL, BH_DISK_CTL_IE);
    ck_assert_int_eq(line, 1);
    wr(BH_DISK_REG_STATUS, 0); /* without DONE: not an acknowledgement */
    ck_assert_int_eq(line, 1);
    wr(BH_DISK_REG_STATUS, BH_DISK_ST_DONE);
    ck_assert_int_eq(line, 0);
    ck_assert_uint_eq(rd(BH_DISK_REG_STATUS), 0);
    /* each completion raises it; an error completes too */
    wr(BH_DISK_REG_COMMAND, 9);
    ck_assert_int_eq(line, 1);
    ck_assert_uint_eq(rd(BH_DISK_REG_STATUS), BH_DISK_ST_DONE | BH_DISK_E_COMMAND);
    wr(BH_DISK_REG_CONTROL, 0); /* IE off lowers it, DONE stays */
    ck_assert_int_eq(line, 0);
    ck_assert_uint_eq(rd(BH_DISK_REG_STATUS), BH_DISK_ST_DONE | BH_DISK_E_COMMAND);
    /* unwired: nothing happens */
    d.irq.set = NULL;
    wr(BH_DISK_REG_CONTROL, BH_DISK_CTL_IE);
    ck_assert_int_eq(line, 0);
}
END_TEST

START_TEST(state_round_trip)
{
    ck_assert_uint_eq(req(BH_DISK_CMD_READ, 4, 3, 0x12000), BH_DISK_ST_DONE);
    wr(BH_DISK_REG_CONTROL, BH_DISK_CTL_IE);
    wr(BH_DISK_REG_COMMAND, 7);
    struct bh_buf b = {0};
    ck_assert_int_eq(bh_disk_save(&d, &b), 0);
    char err[300];
    struct bh_disk_saved s;
    struct bh_rd r = {b.data, b.len, 0, 0};
    ck_assert_msg(bh_disk_parse(&r, BH_DISK_STATE_VERSION, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(bh_rd_end(&r, "DISK", err, sizeof err), 0);
    ck_assert_uint_eq(s.nsectors, SECTORS);
    ck_assert_str_eq(s.path, path);
    struct bh_disk_regs before = d.r;
    memset(&d.r, 0, sizeof d.r);
    sets = 0;
    ck_assert_int_eq(bh_disk_load(&d, &s, err, sizeof err), 0);
    ck_assert_int_eq(memcmp(&d.r, &before, sizeof before), 0);
    ck_assert_int_eq(sets, 0); /* the CPU's Cause holds the line (disk.h) */
    /* every truncation is refused */
    for (size_t n = 0; n < b.len; n++) {
        struct bh_rd t = {b.data, n, 0, 0};
        ck_assert_int_eq(bh_disk_parse(&t, BH_DISK_STATE_VERSION, &s, err, sizeof err), -1);
    }
    struct bh_rd v = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_disk_parse(&v, 2, &s, err, sizeof err), -1);
    ck_assert_str_eq(err, "disk state version 2 is not known to this myvmm (1)");
    /* damaged fields: sector size, size, status, control */
    static const struct {
        size_t off;
        uint32_t val;
        const char *msg;
    } bad[] = {{0, 4096, "sector size 4096"},
               {4, 0, "a disk of 0 sectors"},
               {4, 8388609, "a disk of 8388609 sectors"},
               {24, 0x200, "disk status 0x200"},
               {24, 0x107, "disk status 0x107"},
               {28, 2, "disk control 0x2"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t *copy = malloc(b.len);
        memcpy(copy, b.data, b.len);
        bh_put32(copy + bad[i].off, bad[i].val);
        struct bh_rd t = {copy, b.len, 0, 0};
        ck_assert_int_eq(bh_disk_parse(&t, BH_DISK_STATE_VERSION, &s, err, sizeof err), -1);
        ck_assert_msg(strstr(err, bad[i].msg), "%s", err);
        free(copy);
    }
    /* another size: refused, nothing changed */
    struct bh_rd t = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_disk_parse(&t, BH_DISK_STATE_VERSION, &s, err, sizeof err), 0);
    s.nsectors = 64;
    s.r.sector = 99;
    ck_assert_int_eq(bh_disk_load(&d, &s, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "the snapshot's disk has 64 sectors (32 KiB)"), "%s", err);
    ck_assert_uint_eq(d.r.sector, 4);
    bh_buf_free(&b);
}
END_TEST

/* The images open refuses, each with its reason. */
START_TEST(bad_images)
{
    char err[512];
    struct bh_disk e;
    ck_assert_int_eq(bh_disk_open(&e, path, err, sizeof err), -1); /* d has it: locked */
    ck_assert_msg(strstr(err, "is in use by another VM (it is locked)"), "%s", err);
    ck_assert_int_eq(e.fd, -1);
    ck_assert_int_eq(truncate(path, 1000), 0);
    bh_disk_close(&d);
    ck_assert_int_eq(bh_disk_open(&e, path, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "is not a whole number of 512-byte sectors (1000 bytes)"), "%s", err);
    ck_assert_int_eq(truncate(path, 0), 0);
    ck_assert_int_eq(bh_disk_open(&e, path, err, sizeof err), -1);
    ck_assert_int_eq(truncate(path, (off_t)BH_DISK_MAX_BYTES + 512), 0);
    ck_assert_int_eq(bh_disk_open(&e, path, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "is larger than 4 GiB"), "%s", err);
    ck_assert_int_eq(bh_disk_open(&e, "/tmp", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "is not a regular file") || strstr(err, "Is a directory"), "%s", err);
    ck_assert_int_eq(truncate(path, 4096), 0); /* a sparse image: all hole */
    ck_assert_msg(bh_disk_open(&e, path, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(bh_disk_nblocks(&e), 1);
    ck_assert_uint_le(bh_disk_hole_from(&e, 0), 8);
    bh_disk_close(&e);
}
END_TEST

Suite *disk_suite(void)
{
    Suite *s = suite_create("disk");
    TCase *t = tcase_create("device");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, registers);
    tcase_add_test(t, read_write_flush);
    tcase_add_test(t, errors_touch_nothing);
    tcase_add_test(t, dma_bounds);
    tcase_add_test(t, interrupt_and_polling);
    tcase_add_test(t, state_round_trip);
    tcase_add_test(t, bad_images);
    suite_add_tcase(s, t);
    return s;
}
