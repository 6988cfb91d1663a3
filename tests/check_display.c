/* check_display.c: the bitmap display (vm/dev/display.c) alone, on a
 * guest memory of the test's own behind the DMA interface (MARS's
 * geometry and its choices, words to RGB units, rows, words outside
 * memory, the state's round trip), then on a VM (vm/machine): the
 * framebuffer the guest stores into, pages never allocated by a
 * render, and the write watch that tells the terminal view a frame is
 * due. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "dev/display.h"
#include "image.h"
#include "isa.h"
#include "machine/machine.h"
#include "mem/mem.h"
#include "vm.h"

/* A guest memory of 64 KiB at MEM_BASE; anything else fails, as an
 * address outside a VM's memory does. */
#define MEM_BASE 0x10000000u
#define MEM_SIZE 0x10000u
static uint8_t ram[MEM_SIZE];
static unsigned reads;

static int fake_read(void *opaque, uint32_t addr, void *dst, uint32_t n)
{
    (void)opaque;
    reads++;
    if (addr < MEM_BASE || (uint64_t)addr + n > (uint64_t)MEM_BASE + MEM_SIZE)
        return -1;
    memcpy(dst, ram + (addr - MEM_BASE), n);
    return 0;
}
static int fake_write(void *opaque, uint32_t addr, const void *src, uint32_t n)
{
    (void)opaque, (void)addr, (void)src, (void)n;
    return -1;
}

static struct bh_display disp(uint32_t base, uint32_t w, uint32_t h, uint32_t uw, uint32_t uh)
{
    struct bh_display d = {{base, w, h, uw, uh}, {fake_read, fake_write, NULL}};
    return d;
}

static void poke(uint32_t addr, uint32_t v) { bh_put32(ram + (addr - MEM_BASE), v); }

START_TEST(mars_defaults_and_choices)
{
    struct bh_display_geom g;
    char err[256];
    bh_display_geom_default(&g);
    ck_assert_uint_eq(g.base, 0x10010000u);
    ck_assert_uint_eq(g.width, 512);
    ck_assert_uint_eq(g.height, 256);
    ck_assert_uint_eq(g.unit_w, 1);
    ck_assert_uint_eq(g.unit_h, 1);
    ck_assert_int_eq(bh_display_geom_check(&g, err, sizeof err), 0);
    ck_assert_uint_eq(bh_display_cols(&g), 512);
    ck_assert_uint_eq(bh_display_rows(&g), 256);
    ck_assert_uint_eq(bh_display_bytes(&g), 512u * 256u * 4u);
    /* every choice of MARS's combo boxes */
    uint32_t bases[] = {0x10000000u, 0x10008000u, 0x10010000u, 0x10040000u};
    for (unsigned i = 0; i < 4; i++)
        ck_assert_int_eq(bh_display_check_base(bases[i], err, sizeof err), 0);
    for (uint32_t n = 1; n <= 32; n *= 2)
        ck_assert_int_eq(bh_display_check_unit(n, err, sizeof err), 0);
    for (uint32_t n = 64; n <= 1024; n *= 2)
        ck_assert_int_eq(bh_display_check_size(n, err, sizeof err), 0);
    /* and nothing else */
    uint32_t units[] = {0, 3, 12, 64};
    for (unsigned i = 0; i < 4; i++)
        ck_assert_int_eq(bh_display_check_unit(units[i], err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "1, 2, 4, 8, 16 or 32"));
    uint32_t sizes[] = {0, 32, 100, 2048};
    for (unsigned i = 0; i < 4; i++)
        ck_assert_int_eq(bh_display_check_size(sizes[i], err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "64, 128, 256, 512 or 1024"));
    ck_assert_int_eq(bh_display_check_base(0x10010004u, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "0x10010004 is not one of MARS's"));
    /* MARS's fifth base is our device window */
    ck_assert_int_eq(bh_display_check_base(0xffff0000u, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "device window"));
    g.unit_h = 5;
    ck_assert_int_eq(bh_display_geom_check(&g, err, sizeof err), -1);
    bh_display_geom_default(&g);
    g.height = 96;
    ck_assert_int_eq(bh_display_geom_check(&g, err, sizeof err), -1);
}
END_TEST

START_TEST(units_to_pixels)
{
    memset(ram, 0, sizeof ram);
    /* 64 x 64 pixels of 8 x 16 units: 8 columns, 4 rows of units */
    struct bh_display d = disp(0x10008000u, 64, 64, 8, 16);
    ck_assert_uint_eq(bh_display_cols(&d.g), 8);
    ck_assert_uint_eq(bh_display_rows(&d.g), 4);
    poke(0x10008000u, 0x00112233u);               /* (0, 0) */
    poke(0x10008000u + 4 * 7, 0xff445566u);       /* (0, 7): the top byte is no colour */
    poke(0x10008000u + 4 * (2 * 8 + 3), 0x00ff0000u); /* (2, 3): red */
    poke(0x10008000u + 4 * 32, 0x00ffffffu);      /* past the last unit: not shown */
    uint8_t rgb[8 * 3];
    ck_assert_uint_eq(bh_display_render_row(&d, 0, rgb), 0);
    ck_assert_int_eq(memcmp(rgb, "\x11\x22\x33", 3), 0);
    ck_assert_int_eq(memcmp(rgb + 3 * 7, "\x44\x55\x66", 3), 0);
    for (unsigned c = 1; c < 7; c++)
        ck_assert_int_eq(memcmp(rgb + 3 * c, "\0\0\0", 3), 0);
    ck_assert_uint_eq(bh_display_render_row(&d, 2, rgb), 0);
    ck_assert_int_eq(memcmp(rgb + 3 * 3, "\xff\0\0", 3), 0);
    ck_assert_int_eq(memcmp(rgb + 3 * 2, "\0\0\0", 3), 0);
    ck_assert_uint_eq(bh_display_render_row(&d, 3, rgb), 0);
    for (unsigned c = 0; c < 8; c++)
        ck_assert_int_eq(memcmp(rgb + 3 * c, "\0\0\0", 3), 0);
    /* a whole row is one DMA read */
    reads = 0;
    bh_display_render_row(&d, 1, rgb);
    ck_assert_uint_eq(reads, 1);
}
END_TEST

START_TEST(words_outside_memory)
{
    memset(ram, 0x7f, sizeof ram);
    /* 1024 units across from 0x10008000: row 8 starts at 0x10010000,
     * the end of the test's memory, and row 7 is its last */
    struct bh_display d = disp(0x10008000u, 1024, 64, 1, 1);
    static uint8_t rgb[1024 * 3];
    ck_assert_uint_eq(bh_display_render_row(&d, 7, rgb), 0);
    ck_assert_uint_eq(rgb[3 * 1023], 0x7f);
    memset(rgb, 0x55, sizeof rgb);
    ck_assert_uint_eq(bh_display_render_row(&d, 8, rgb), 1024); /* every word outside: black */
    for (unsigned i = 0; i < sizeof rgb; i++)
        ck_assert_uint_eq(rgb[i], 0);
    /* a row that straddles the end: the words inside keep their colour */
    struct bh_display e = disp(0x1000fc00u, 512, 64, 1, 1); /* 256 words inside, 256 out */
    ck_assert_uint_eq(bh_display_render_row(&e, 0, rgb), 256);
    ck_assert_uint_eq(rgb[3 * 255], 0x7f);
    ck_assert_uint_eq(rgb[3 * 256], 0);
    ck_assert_uint_eq(rgb[3 * 511 + 2], 0);
}
END_TEST

START_TEST(state_round_trip)
{
    struct bh_display d = disp(0x10040000u, 256, 128, 16, 4), back = disp(0, 0, 0, 0, 0);
    struct bh_buf b = {0};
    char err[256];
    ck_assert_int_eq(bh_display_save(&d, &b), 0);
    ck_assert_uint_eq(b.len, BH_DISPLAY_STATE_SIZE);
    struct bh_rd r = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_display_load(&back, &r, BH_DISPLAY_STATE_VERSION, err, sizeof err), 0);
    ck_assert_int_eq(memcmp(&back.g, &d.g, sizeof d.g), 0);
    /* refused, and back unchanged: another version, short, a bad geometry */
    r = (struct bh_rd){b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_display_load(&back, &r, 2, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "version 2"));
    r = (struct bh_rd){b.data, b.len - 1, 0, 0};
    ck_assert_int_eq(bh_display_load(&back, &r, 1, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "truncated"));
    bh_put32(b.data + 12, 7); /* unit width 7 */
    r = (struct bh_rd){b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_display_load(&back, &r, 1, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "a unit of 7 pixels"));
    ck_assert_uint_eq(back.g.unit_w, 16);
    bh_buf_free(&b);
}
END_TEST

/* ---- on a VM ---- */

static struct bh_image img;
static uint8_t text[4];
static struct bh_vm *vm;

static void vm_setup(void)
{
    char err[256];
    memset(&img, 0, sizeof img);
    struct isa_fields s = {0};
    bh_put32(text, isa_encode(ISA_SYSCALL, &s));
    img.seg[BH_SEG_TEXT] = (struct bh_segment){BH_TEXT_BASE, sizeof text, text};
    img.entry = BH_TEXT_BASE;
    ck_assert_msg(bh_vm_create(&img, NULL, &vm, err, sizeof err) == 0, "%s", err);
}
static void vm_teardown(void) { bh_vm_destroy(vm); }

/* A store as the core makes it: the TLB's write entry, else the slow path. */
static void guest_store(uint32_t addr, uint32_t v)
{
    struct bh_mem *m = bh_vm_mem(vm);
    struct bh_tlb_entry *e = &m->tlb[BH_TLB_INDEX(addr)];
    if ((addr & (BH_PAGE_MASK | 3u)) == e->wtag)
        bh_put32((uint8_t *)(uintptr_t)(addr + e->addend), v);
    else
        ck_assert_int_eq(bh_mem_store_slow(m, addr, 4, v), 0);
}

START_TEST(vm_display)
{
    char err[256];
    ck_assert_ptr_null(bh_vm_display(vm));
    ck_assert_int_eq(bh_vm_display_changed(vm), 0);
    struct bh_display_geom g;
    bh_display_geom_default(&g);
    g.base = 0x10000003u;
    ck_assert_int_eq(bh_vm_display_on(vm, &g, err, sizeof err), -1);
    ck_assert_ptr_null(bh_vm_display(vm));
    bh_display_geom_default(&g);
    g.unit_w = g.unit_h = 8; /* 64 x 32 units */
    ck_assert_int_eq(bh_vm_display_on(vm, &g, err, sizeof err), 0);
    const struct bh_display *d = bh_vm_display(vm);
    ck_assert_ptr_nonnull(d);
    /* the guest's stores are the picture: unit (1, 2) is word 66 */
    guest_store(0x10010000u + 4 * 66, 0x00abcdefu);
    uint8_t rgb[64 * 3];
    ck_assert_uint_eq(bh_display_render_row(d, 1, rgb), 0);
    ck_assert_int_eq(memcmp(rgb + 6, "\xab\xcd\xef", 3), 0);
    /* a render allocates nothing: untouched pages read as black */
    uint64_t pages = bh_mem_pages_in_use(bh_vm_mem(vm));
    for (uint32_t r = 0; r < 32; r++)
        ck_assert_uint_eq(bh_display_render_row(d, r, rgb), 0);
    ck_assert_uint_eq(bh_mem_pages_in_use(bh_vm_mem(vm)), pages);
}
END_TEST

START_TEST(write_watch)
{
    char err[256];
    struct bh_display_geom g;
    bh_display_geom_default(&g); /* 512 KiB: 128 pages from 0x10010000 */
    ck_assert_int_eq(bh_vm_display_on(vm, &g, err, sizeof err), 0);
    ck_assert_int_eq(bh_vm_display_changed(vm), 1); /* the first frame */
    ck_assert_int_eq(bh_vm_display_changed(vm), 0);
    guest_store(0x10010000u, 1); /* a new page */
    ck_assert_int_eq(bh_vm_display_changed(vm), 1);
    ck_assert_int_eq(bh_vm_display_changed(vm), 0);
    /* a page with a write entry: the watch took it away, so the store is seen */
    guest_store(0x10010004u, 2);
    guest_store(0x10010008u, 3);
    ck_assert_int_eq(bh_vm_display_changed(vm), 1);
    /* the next store takes the fast path again once the page is seen */
    guest_store(0x1001000cu, 4);
    struct bh_mem *m = bh_vm_mem(vm);
    ck_assert_uint_eq(m->tlb[BH_TLB_INDEX(0x10010000u)].wtag, 0x10010000u);
    /* the last page of the framebuffer, and a device's (DMA) write */
    ck_assert_int_eq(bh_vm_display_changed(vm), 1);
    guest_store(0x10010000u + 512 * 256 * 4 - 4, 5);
    ck_assert_int_eq(bh_vm_display_changed(vm), 1);
    ck_assert_int_eq(bh_vm_write(vm, 0x10050000u, "x", 1), 0);
    ck_assert_int_eq(bh_vm_display_changed(vm), 1);
    ck_assert_int_eq(bh_vm_display_changed(vm), 0);
    /* a load fills the TLB without a write entry for a watched page */
    uint32_t v;
    ck_assert_int_eq(bh_mem_load_slow(m, 0x10010020u, 4, &v), 0);
    guest_store(0x10010020u, 10);
    ck_assert_int_eq(bh_vm_display_changed(vm), 1);
    ck_assert_int_eq(bh_vm_display_changed(vm), 0);
    /* stores outside the framebuffer are not its business */
    guest_store(0x10010000u + 512 * 256 * 4, 6);
    guest_store(0x10000000u, 7);
    ck_assert_int_eq(bh_vm_display_changed(vm), 0);
    /* a harvest (migration) keeps the watch, and the watch keeps the dirty bits */
    guest_store(0x10010010u, 8);
    ck_assert_uint_ne(bh_mem_dirty_harvest(m, NULL, NULL), 0);
    ck_assert_int_eq(bh_vm_display_changed(vm), 1);
    guest_store(0x10010010u, 9);
    ck_assert_int_eq(bh_vm_display_changed(vm), 1);
    ck_assert_uint_eq(bh_mem_page_flags(m, 0x10010010u) & BH_PAGE_DIRTY, BH_PAGE_DIRTY);
}
END_TEST

Suite *display_suite(void)
{
    Suite *s = suite_create("display");
    TCase *t = tcase_create("device");
    tcase_add_test(t, mars_defaults_and_choices);
    tcase_add_test(t, units_to_pixels);
    tcase_add_test(t, words_outside_memory);
    tcase_add_test(t, state_round_trip);
    suite_add_tcase(s, t);
    TCase *v = tcase_create("vm");
    tcase_add_checked_fixture(v, vm_setup, vm_teardown);
    tcase_add_test(v, vm_display);
    tcase_add_test(v, write_watch);
    suite_add_tcase(s, v);
    return s;
}
