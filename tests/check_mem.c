/* check_mem.c: guest memory on its own: TLB hits and misses, alignment
 * faults, the page limit, dirty tracking that re-arms after a harvest,
 * MMIO callbacks, page iteration in address order, restore pages. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static struct bh_mem m;
static char err[256];

static void setup(void) { ck_assert_int_eq(bh_mem_init(&m, 16 * BH_PAGE_SIZE, err, sizeof err), 0); }
static void teardown(void) { bh_mem_free(&m); }

static int tlb_reads(uint32_t a) { return m.tlb[BH_TLB_INDEX(a)].rtag == (a & BH_PAGE_MASK); }
static int tlb_writes(uint32_t a) { return m.tlb[BH_TLB_INDEX(a)].wtag == (a & BH_PAGE_MASK); }

START_TEST(demand_pages_and_tlb)
{
    uint32_t v = 1;
    ck_assert(!tlb_reads(0x10010000u));
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x10010000u, 4, &v), 0);
    ck_assert_uint_eq(v, 0);
    ck_assert_uint_eq(bh_mem_pages_in_use(&m), 1);
    ck_assert(tlb_reads(0x10010000u));
    /* a new page starts dirty, so its write entry is installed at once */
    ck_assert(tlb_writes(0x10010000u));
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x10010ffcu, 4, 0xdeadbeefu), 0);
    /* the inline fast path now hits and sees the store */
    ck_assert_int_eq(bh_mem_load32(&m, 0x10010ffcu, &v), 0);
    ck_assert_uint_eq(v, 0xdeadbeefu);
    /* a page that maps to the same TLB slot evicts the entry */
    uint32_t other = 0x10010000u + BH_TLB_SIZE * BH_PAGE_SIZE;
    ck_assert_int_eq(bh_mem_load_slow(&m, other, 1, &v), 0);
    ck_assert(!tlb_reads(0x10010000u));
    ck_assert(tlb_reads(other));
    ck_assert_int_eq(bh_mem_load32(&m, 0x10010ffcu, &v), 0);
    ck_assert_uint_eq(v, 0xdeadbeefu);
    /* little-endian byte order in the page */
    uint8_t b[4];
    ck_assert_int_eq(bh_mem_read(&m, 0x10010ffcu, b, 4), 0);
    ck_assert_uint_eq(b[0], 0xef);
    ck_assert_uint_eq(b[3], 0xde);
}
END_TEST

START_TEST(alignment_and_unmapped)
{
    uint32_t v;
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x10010001u, 4, &v), BH_EXC_ADEL);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x10010001u, 2, &v), BH_EXC_ADEL);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x10010001u, 1, &v), 0);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x10010002u, 4, 0), BH_EXC_ADES);
    /* the fast path's compare sends unaligned addresses to the slow path */
    ck_assert_int_eq(bh_mem_load32(&m, 0x10010002u, &v), BH_EXC_ADEL);
    /* page zero, unloaded text, unregistered device memory */
    ck_assert_int_eq(bh_mem_load_slow(&m, 0, 4, &v), BH_EXC_ADEL);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x00400000u, 4, 0), BH_EXC_ADES);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xffff0000u, 4, &v), BH_EXC_ADEL);
    ck_assert_int_eq(bh_mem_read(&m, 0x100u, &v, 4), -1);
}
END_TEST

START_TEST(text_is_read_only)
{
    const uint8_t code[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ck_assert_int_eq(bh_mem_load_bytes(&m, 0x00400000u, code, 8, 0, err, sizeof err), 0);
    uint32_t v;
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x00400004u, 4, &v), 0);
    ck_assert_uint_eq(v, 0x08070605u);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x00400004u, 4, 0), BH_EXC_ADES);
    ck_assert(m.fault_flags & BH_EXITF_TEXT);
    ck_assert(!tlb_writes(0x00400000u));
    ck_assert_int_eq(bh_mem_write(&m, 0x00400000u, &v, 4), -1);
    ck_assert_uint_eq(bh_mem_page_flags(&m, 0x00400000u) & BH_PAGE_WRITABLE, 0);
}
END_TEST

START_TEST(page_limit)
{
    uint32_t v;
    for (uint32_t i = 0; i < 16; i++)
        ck_assert_int_eq(bh_mem_store_slow(&m, 0x10000000u + i * BH_PAGE_SIZE, 4, i), 0);
    ck_assert_uint_eq(bh_mem_pages_in_use(&m), 16);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x20000000u, 4, &v), BH_EXC_DBE);
    ck_assert(m.fault_flags & BH_EXITF_MEMLIMIT);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x7ffff000u, 4, 1), BH_EXC_DBE);
    /* pages already there still work */
    ck_assert_int_eq(bh_mem_load_slow(&m, 0x10000000u + 5 * BH_PAGE_SIZE, 4, &v), 0);
    ck_assert_uint_eq(v, 5);
    /* the monitor's writes respect the limit without partial effects */
    uint8_t buf[8] = {0};
    ck_assert_int_eq(bh_mem_write(&m, 0x10000ffcu + 15 * BH_PAGE_SIZE, buf, 8), -1);
    ck_assert_uint_eq(bh_mem_pages_in_use(&m), 16);
    /* reads of untouched pages give zeroes without allocating */
    ck_assert_int_eq(bh_mem_read(&m, 0x30000000u, buf, 8), 0);
    ck_assert_uint_eq(bh_mem_pages_in_use(&m), 16);
}
END_TEST

struct seen {
    uint32_t addr[64];
    unsigned flags[64];
    unsigned n;
};
static void collect(void *ctx, uint32_t a, const uint8_t *data, unsigned flags)
{
    struct seen *s = ctx;
    (void)data;
    if (s->n < 64) {
        s->addr[s->n] = a;
        s->flags[s->n] = flags;
        s->n++;
    }
}

START_TEST(dirty_harvest_rearms)
{
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x10010000u, 4, 1), 0);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x7fffe000u, 4, 2), 0);
    struct seen s = {0};
    ck_assert_uint_eq(bh_mem_dirty_harvest(&m, collect, &s), 2);
    ck_assert_uint_eq(s.n, 2);
    ck_assert_uint_eq(s.addr[0], 0x10010000u);
    ck_assert_uint_eq(s.addr[1], 0x7fffe000u);
    /* clean now: no write entry, nothing to harvest */
    ck_assert(!tlb_writes(0x10010000u));
    ck_assert(tlb_reads(0x10010000u));
    memset(&s, 0, sizeof s);
    ck_assert_uint_eq(bh_mem_dirty_harvest(&m, collect, &s), 0);
    /* a read does not dirty; the first store takes the slow path and does */
    uint32_t v;
    ck_assert_int_eq(bh_mem_load32(&m, 0x7fffe000u, &v), 0);
    ck_assert_uint_eq(bh_mem_dirty_harvest(&m, NULL, NULL), 0);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x7fffe004u, 4, 3), 0);
    ck_assert(tlb_writes(0x7fffe000u));
    ck_assert(bh_mem_page_flags(&m, 0x7fffe000u) & BH_PAGE_DIRTY);
    memset(&s, 0, sizeof s);
    ck_assert_uint_eq(bh_mem_dirty_harvest(&m, collect, &s), 1);
    ck_assert_uint_eq(s.addr[0], 0x7fffe000u);
    /* the monitor's writes count as dirtying too */
    ck_assert_int_eq(bh_mem_write(&m, 0x10010010u, "hi", 3), 0);
    memset(&s, 0, sizeof s);
    ck_assert_uint_eq(bh_mem_dirty_harvest(&m, collect, &s), 1);
    ck_assert_uint_eq(s.addr[0], 0x10010000u);
}
END_TEST

START_TEST(foreach_in_address_order)
{
    const uint32_t addrs[] = {0x7fffe000u, 0x10010000u, 0x90000000u, 0x10040000u};
    for (unsigned i = 0; i < 4; i++)
        ck_assert_int_eq(bh_mem_store_slow(&m, addrs[i], 4, i), 0);
    const uint8_t t[4] = {0};
    ck_assert_int_eq(bh_mem_load_bytes(&m, 0x00400000u, t, 4, 0, err, sizeof err), 0);
    struct seen s = {0};
    bh_mem_foreach_page(&m, collect, &s);
    ck_assert_uint_eq(s.n, 5);
    ck_assert_uint_eq(s.addr[0], 0x00400000u);
    ck_assert_uint_eq(s.flags[0] & BH_PAGE_WRITABLE, 0);
    for (unsigned i = 1; i < s.n; i++) {
        ck_assert_uint_lt(s.addr[i - 1], s.addr[i]);
        ck_assert(s.flags[i] & BH_PAGE_WRITABLE);
    }
}
END_TEST

START_TEST(restore_pages)
{
    uint32_t v;
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x10010000u, 4, 5), 0); /* now in the TLB */
    uint8_t *p = bh_mem_page_for_restore(&m, 0x10010000u, BH_PAGE_WRITABLE, err, sizeof err);
    ck_assert_ptr_nonnull(p);
    p[0] = 9;
    ck_assert_int_eq(bh_mem_load32(&m, 0x10010000u, &v), 0);
    ck_assert_uint_eq(v, 9);
    ck_assert_ptr_null(bh_mem_page_for_restore(&m, 0x10010004u, 0, err, sizeof err));
    ck_assert_ptr_null(bh_mem_page_for_restore(&m, 0xffff0000u, 0, err, sizeof err));
    /* a restored read-only page refuses stores */
    p = bh_mem_page_for_restore(&m, 0x00400000u, 0, err, sizeof err);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0x00400000u, 4, 1), BH_EXC_ADES);
    /* the limit holds for restores too */
    for (uint32_t i = 0; i < 14; i++)
        ck_assert_ptr_nonnull(
            bh_mem_page_for_restore(&m, 0x20000000u + i * BH_PAGE_SIZE, 2, err, sizeof err));
    ck_assert_ptr_null(bh_mem_page_for_restore(&m, 0x30000000u, 2, err, sizeof err));
    ck_assert(strstr(err, "memory limit") != NULL);
}
END_TEST

/* A toy device: remembers the last write, reads back offset + size + last. */
struct toy {
    uint32_t last_off, last_val;
    unsigned last_size, reads, writes;
};
static int toy_read(void *o, uint32_t off, unsigned size, uint32_t *val)
{
    struct toy *t = o;
    t->reads++;
    if (off == 8)
        return -1;
    *val = off + size + t->last_val;
    return 0;
}
static int toy_write(void *o, uint32_t off, unsigned size, uint32_t val)
{
    struct toy *t = o;
    t->writes++;
    t->last_off = off;
    t->last_size = size;
    t->last_val = val;
    return 0;
}

static const char *const toy_regs[] = {"a", "b", "c"};
static const struct bh_dev_region toy_dev = {"toy", 16, toy_read, toy_write, toy_regs, 3};
static const struct bh_dev_region toy_dev2 = {"toy2", 16, toy_read, toy_write, NULL, 0};
static const struct bh_dev_region mute_dev = {"mute", 4, NULL, NULL, NULL, 0};

START_TEST(mmio_callbacks)
{
    struct toy t = {0};
    ck_assert_int_eq(bh_mem_map_io(&m, 0xffff0000u, &toy_dev, &t, err, sizeof err), 0);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0xffff000cu, 1, 'A'), 0);
    ck_assert_uint_eq(t.last_off, 12);
    ck_assert_uint_eq(t.last_size, 1);
    ck_assert_uint_eq(t.last_val, 'A');
    uint32_t v;
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xffff0004u, 4, &v), 0);
    ck_assert_uint_eq(v, 4 + 4 + 'A');
    /* device memory never enters the TLB: every access calls the device */
    ck_assert(!tlb_reads(0xffff0004u));
    ck_assert_int_eq(bh_mem_load32(&m, 0xffff0004u, &v), 0);
    ck_assert_uint_eq(t.reads, 2);
    /* a device error is a bus error; outside the region is an address error */
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xffff0008u, 4, &v), BH_EXC_DBE);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xffff0010u, 4, &v), BH_EXC_ADEL);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0xffff0010u, 4, 1), BH_EXC_ADES);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xffff0002u, 4, &v), BH_EXC_ADEL);
    /* the monitor's debugger access does not reach devices */
    ck_assert_int_eq(bh_mem_read(&m, 0xffff0000u, &v, 4), -1);
    ck_assert_uint_eq(t.reads, 3); /* the two faults above never called it */
    /* the bus counts what reached the device, refused accesses too */
    ck_assert_uint_eq(m.io[0].reads, 3);
    ck_assert_uint_eq(m.io[0].writes, 1);
}
END_TEST

START_TEST(mmio_regions_refused)
{
    struct toy t = {0};
    ck_assert_int_eq(bh_mem_map_io(&m, 0xffff0000u, &toy_dev, &t, err, sizeof err), 0);
    /* overlapping another device, by its start or its end */
    ck_assert_int_eq(bh_mem_map_io(&m, 0xffff0008u, &toy_dev2, &t, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "toy2 at 0xffff0008 overlaps toy at 0xffff0000"));
    ck_assert_int_eq(bh_mem_map_io(&m, 0xfffefff8u, &toy_dev2, &t, err, sizeof err), -1);
    /* outside the device window, or running off its end */
    ck_assert_int_eq(bh_mem_map_io(&m, 0x10000000u, &toy_dev2, &t, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "outside"));
    ck_assert_int_eq(bh_mem_map_io(&m, 0xfffffff8u, &toy_dev2, &t, err, sizeof err), -1);
    /* adjacent is fine */
    ck_assert_int_eq(bh_mem_map_io(&m, 0xffff0010u, &toy_dev2, &t, err, sizeof err), 0);
    ck_assert_uint_eq(m.nio, 2);
    for (unsigned i = 2; i < BH_MEM_MAX_IO; i++)
        ck_assert_int_eq(bh_mem_map_io(&m, 0xffff0100u + 0x100u * i, &mute_dev, NULL, err,
                                       sizeof err), 0);
    ck_assert_int_eq(bh_mem_map_io(&m, 0xfffff000u, &mute_dev, NULL, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "too many"));
}
END_TEST

/* Access sizes reach the device as the guest made them; a device without
 * a callback is a bus error. */
START_TEST(mmio_sizes_and_mute)
{
    struct toy t = {0};
    ck_assert_int_eq(bh_mem_map_io(&m, 0xffff0000u, &toy_dev, &t, err, sizeof err), 0);
    ck_assert_int_eq(bh_mem_map_io(&m, 0xffff0100u, &mute_dev, NULL, err, sizeof err), 0);
    uint32_t v;
    static const unsigned sizes[] = {1, 2, 4};
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_int_eq(bh_mem_store_slow(&m, 0xffff0004u, sizes[i], 7), 0);
        ck_assert_uint_eq(t.last_size, sizes[i]);
        ck_assert_int_eq(bh_mem_load_slow(&m, 0xffff0004u, sizes[i], &v), 0);
        ck_assert_uint_eq(v, 4 + sizes[i] + 7);
    }
    /* an unaligned access never reaches the device */
    ck_assert_int_eq(bh_mem_store_slow(&m, 0xffff0005u, 2, 1), BH_EXC_ADES);
    ck_assert_uint_eq(t.writes, 3);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xffff0100u, 4, &v), BH_EXC_DBE);
    ck_assert_int_eq(bh_mem_store_slow(&m, 0xffff0100u, 4, 1), BH_EXC_DBE);
    /* between devices: nothing there */
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xffff0080u, 4, &v), BH_EXC_ADEL);
}
END_TEST

struct io_seen {
    struct bh_io_access a[4];
    unsigned n;
};
static void observe(void *ctx, const struct bh_io_access *a)
{
    struct io_seen *s = ctx;
    if (s->n < 4)
        s->a[s->n] = *a;
    s->n++;
}

START_TEST(mmio_observer)
{
    struct toy t = {0};
    struct io_seen s = {0};
    ck_assert_int_eq(bh_mem_map_io(&m, 0xffff0000u, &toy_dev, &t, err, sizeof err), 0);
    m.io_observer = observe;
    m.io_observer_ctx = &s;
    uint32_t v;
    ck_assert_int_eq(bh_mem_store_slow(&m, 0xffff0004u, 4, 0x41), 0);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xffff0000u, 2, &v), 0);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xffff0008u, 4, &v), BH_EXC_DBE);
    ck_assert_int_eq(bh_mem_load_slow(&m, 0xffff0010u, 4, &v), BH_EXC_ADEL); /* no device */
    ck_assert_uint_eq(s.n, 3);
    ck_assert(s.a[0].write && s.a[0].ok);
    ck_assert_uint_eq(s.a[0].offset, 4);
    ck_assert_uint_eq(s.a[0].val, 0x41);
    ck_assert_str_eq(bh_dev_reg_name(s.a[0].region->dev, s.a[0].offset), "b");
    ck_assert(!s.a[1].write && s.a[1].ok);
    ck_assert_uint_eq(s.a[1].size, 2);
    ck_assert_uint_eq(s.a[1].val, 0 + 2 + 0x41);
    ck_assert(!s.a[2].ok);
    ck_assert_str_eq(s.a[2].region->dev->name, "toy");
    ck_assert_ptr_null(bh_dev_reg_name(&toy_dev, 12));
}
END_TEST

Suite *mem_suite(void)
{
    Suite *s = suite_create("mem");
    TCase *t = tcase_create("paging");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, demand_pages_and_tlb);
    tcase_add_test(t, alignment_and_unmapped);
    tcase_add_test(t, text_is_read_only);
    tcase_add_test(t, page_limit);
    suite_add_tcase(s, t);
    t = tcase_create("tracking");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, dirty_harvest_rearms);
    tcase_add_test(t, foreach_in_address_order);
    tcase_add_test(t, restore_pages);
    suite_add_tcase(s, t);
    t = tcase_create("mmio");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, mmio_callbacks);
    tcase_add_test(t, mmio_regions_refused);
    tcase_add_test(t, mmio_sizes_and_mute);
    tcase_add_test(t, mmio_observer);
    suite_add_tcase(s, t);
    return s;
}
