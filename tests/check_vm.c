/* check_vm.c: VM creation from an image built in the test: the initial
 * registers, the memory map (read-only text, data contents, kernel
 * segments), SPIM's start-up stack with argv, the first break, the image
 * identity, the accessors the monitor uses, and the memory footprint. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "image.h"
#include "isa.h"
#include "vm.h"
#include "machine/vm_internal.h"
#include "core/cpu_priv.h"

static struct bh_image img;
static uint8_t text[16], data[64], kdata[8];
static struct bh_vm *vm;
static char err[256];

static void setup(void)
{
    memset(&img, 0, sizeof img);
    struct isa_fields f = {0, 2, 0, 0, 10}; /* li $v0, 10 (addiu $v0, $0, 10) */
    bh_put32(text, isa_encode(ISA_ADDIU, &f));
    struct isa_fields s = {0};
    bh_put32(text + 4, isa_encode(ISA_SYSCALL, &s));
    bh_put32(text + 8, 0);
    bh_put32(text + 12, 0);
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i + 1);
    memcpy(kdata, "kernel!", 8);
    img.seg[BH_SEG_TEXT] = (struct bh_segment){BH_TEXT_BASE, sizeof text, text};
    img.seg[BH_SEG_DATA] = (struct bh_segment){BH_DATA_BASE, sizeof data, data};
    img.seg[BH_SEG_KDATA] = (struct bh_segment){BH_KDATA_BASE, sizeof kdata, kdata};
    img.entry = BH_TEXT_BASE + 4;
    vm = NULL;
}

static void teardown(void) { bh_vm_destroy(vm); }

static struct bh_vm *create(const struct bh_vm_opts *o)
{
    int rc = bh_vm_create(&img, o, &vm, err, sizeof err);
    ck_assert_msg(rc == 0, "bh_vm_create: %s", err);
    return vm;
}

START_TEST(initial_registers)
{
    create(NULL);
    ck_assert_uint_eq(bh_vm_pc(vm), BH_TEXT_BASE + 4);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, 28), BH_GP_INIT);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, 29), BH_VM_SP_INIT);
    for (unsigned r = 0; r < 32; r++)
        if (r != 28 && r != 29)
            ck_assert_int_eq(bh_vm_reg(vm, r), 0);
    ck_assert_uint_eq(bh_vm_icount(vm), 0);
    ck_assert_uint_eq(bh_vm_c0(vm, BH_C0_STATUS) & BH_ST_EXL, 0);
    ck_assert_uint_eq(bh_vm_mem_limit(vm), BH_VM_DEFAULT_MEM);
    /* writes to $zero are ignored by the accessor as by the core */
    bh_vm_set_reg(vm, 0, 5);
    ck_assert_int_eq(bh_vm_reg(vm, 0), 0);
    /* the entry is honoured: the first instruction is skipped */
    struct bh_exit ex;
    bh_vm_run(vm, 100, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(bh_vm_reg(vm, 2), 0);
    ck_assert_uint_eq(bh_vm_icount(vm), 1);
}
END_TEST

/* The original tool's instruction files (register arithmetic and
 * hypercalls only, no labels, no data) start with every register zero, as
 * the original tool did; one load, jump or data byte and SPIM's $gp/$sp are
 * back. */
START_TEST(original_form_starts_at_zero)
{
    uint8_t t[12];
    struct isa_fields li = {0, 1, 0, 0, 6}, add = {1, 1, 4, 0, 0}, dump = {0};
    bh_put32(t, isa_encode(ISA_ADDIU, &li));
    bh_put32(t + 4, isa_encode(ISA_ADD, &add));
    bh_put32(t + 8, isa_encode(ISA_DUMP_PROCESSOR_STATE, &dump));
    memset(&img, 0, sizeof img);
    img.seg[BH_SEG_TEXT] = (struct bh_segment){BH_TEXT_BASE, sizeof t, t};
    img.entry = BH_TEXT_BASE;
    create(NULL);
    for (unsigned r = 0; r < 32; r++)
        ck_assert_int_eq(bh_vm_reg(vm, r), 0);
    bh_vm_destroy(vm);
    vm = NULL;

    struct isa_fields lw = {29, 8, 0, 0, 0}; /* lw $t0, 0($sp): uses memory */
    bh_put32(t + 4, isa_encode(ISA_LW, &lw));
    create(NULL);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, 28), BH_GP_INIT);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, 29), BH_VM_SP_INIT);
    bh_vm_destroy(vm);
    vm = NULL;

    bh_put32(t + 4, isa_encode(ISA_ADD, &add)); /* arithmetic again, but with data */
    uint8_t d[4] = {1, 2, 3, 4};
    img.seg[BH_SEG_DATA] = (struct bh_segment){BH_DATA_BASE, sizeof d, d};
    create(NULL);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, 29), BH_VM_SP_INIT);
}
END_TEST

START_TEST(memory_map)
{
    create(NULL);
    uint8_t buf[64];
    ck_assert_int_eq(bh_vm_read(vm, BH_DATA_BASE, buf, sizeof buf), 0);
    ck_assert_mem_eq(buf, data, sizeof data);
    ck_assert_int_eq(bh_vm_read(vm, BH_TEXT_BASE, buf, 16), 0);
    ck_assert_mem_eq(buf, text, 16);
    char s[16];
    ck_assert_int_eq(bh_vm_read_str(vm, BH_KDATA_BASE, s, sizeof s), 7);
    ck_assert_str_eq(s, "kernel!");
    ck_assert_int_eq(bh_vm_read_str(vm, BH_KDATA_BASE, s, 4), -1); /* too long for 4 */
    /* text refuses the monitor's writes too; data accepts them */
    ck_assert_int_eq(bh_vm_write(vm, BH_TEXT_BASE, "x", 1), -1);
    ck_assert_int_eq(bh_vm_write(vm, BH_DATA_BASE + 1, "xy", 2), 0);
    ck_assert_int_eq(bh_vm_read(vm, BH_DATA_BASE, buf, 4), 0);
    ck_assert_uint_eq(buf[1], 'x');
    ck_assert_uint_eq(buf[3], 4);
    /* outside every segment and region */
    ck_assert_int_eq(bh_vm_read(vm, 0x1000, buf, 4), -1);
    ck_assert_int_eq(bh_vm_write(vm, 0x00500000u, buf, 4), -1);
    /* first break: SPIM's 0x10020000 for small data */
    ck_assert_uint_eq(bh_vm_brk(vm), 0x10020000u);
    ck_assert_uint_eq(bh_vm_image_hash(vm), bh_image_hash(&img));
}
END_TEST

START_TEST(large_data_moves_the_break)
{
    static uint8_t big[0x12345];
    img.seg[BH_SEG_DATA] = (struct bh_segment){BH_DATA_BASE, sizeof big, big};
    create(NULL);
    uint32_t end = BH_DATA_BASE + (uint32_t)sizeof big;
    ck_assert_uint_ge(bh_vm_brk(vm), end);
    ck_assert_uint_eq(bh_vm_brk(vm) % BH_PAGE_SIZE, 0);
    ck_assert_uint_lt(bh_vm_brk(vm), end + BH_PAGE_SIZE);
}
END_TEST

START_TEST(startup_stack_with_argv)
{
    img.flags = BH_IMG_STARTUP;
    char *argv[] = {(char *)"prog.s", (char *)"one", (char *)"two"};
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.argc = 3;
    o.argv = argv;
    o.name = "vmA";
    create(&o);
    ck_assert_str_eq(bh_vm_name(vm), "vmA");
    uint32_t sp = (uint32_t)bh_vm_reg(vm, 29);
    ck_assert_uint_eq(sp % 4, 0);
    ck_assert_uint_lt(sp, 0x80000000u);
    uint8_t w[4];
    ck_assert_int_eq(bh_vm_read(vm, sp, w, 4), 0);
    ck_assert_uint_eq(bh_get32(w), 3);
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_int_eq(bh_vm_read(vm, sp + 4 + 4 * i, w, 4), 0);
        char s[32];
        ck_assert_int_eq(bh_vm_read_str(vm, bh_get32(w), s, sizeof s), (long)strlen(argv[i]));
        ck_assert_str_eq(s, argv[i]);
    }
    ck_assert_int_eq(bh_vm_read(vm, sp + 16, w, 4), 0);
    ck_assert_uint_eq(bh_get32(w), 0); /* argv[argc] */
    ck_assert_int_eq(bh_vm_read(vm, sp + 20, w, 4), 0);
    ck_assert_uint_eq(bh_get32(w), 0); /* envp[0] */
}
END_TEST

START_TEST(refusals)
{
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.mem_limit = 2 * BH_PAGE_SIZE; /* text + data + kdata need 3 pages */
    ck_assert_int_eq(bh_vm_create(&img, &o, &vm, err, sizeof err), -1);
    ck_assert_ptr_null(vm);
    ck_assert(strstr(err, "memory limit") != NULL);
    img.seg[BH_SEG_TEXT].size = 6;
    ck_assert_int_eq(bh_vm_create(&img, NULL, &vm, err, sizeof err), -1);
    ck_assert_ptr_null(vm);
}
END_TEST

START_TEST(accessors)
{
    create(NULL);
    bh_vm_set_hilo(vm, -1, 2);
    ck_assert_int_eq(bh_vm_hi(vm), -1);
    ck_assert_int_eq(bh_vm_lo(vm), 2);
    bh_vm_set_pc(vm, BH_TEXT_BASE);
    struct bh_exit ex;
    bh_vm_run(vm, 100, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(bh_vm_reg(vm, 2), 10);
    /* a bad pc is a fetch fault, not a crash */
    bh_vm_set_pc(vm, 0x12345678u);
    bh_vm_run(vm, 100, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_ADEL);
    ck_assert_uint_eq(ex.badvaddr, 0x12345678u);
    /* Count follows icount; writing Count rebases it */
    ck_assert_uint_eq(bh_vm_c0(vm, BH_C0_COUNT), bh_vm_icount(vm));
    bh_vm_set_c0(vm, BH_C0_COUNT, 100);
    ck_assert_uint_eq(bh_vm_c0(vm, BH_C0_COUNT), 100);
    bh_vm_irq(vm, 0x800, 1);
    ck_assert_uint_eq(bh_vm_c0(vm, BH_C0_CAUSE) & 0x800, 0x800);
    bh_vm_irq(vm, 0x800, 0);
    ck_assert_uint_eq(bh_vm_c0(vm, BH_C0_CAUSE) & 0x800, 0);
    ck_assert_str_eq(bh_vm_exc_name(BH_EXC_OV), "Ov");
    ck_assert_str_eq(bh_vm_exc_name(BH_EXC_TLBS), "TLBS");
    ck_assert_str_eq(bh_vm_exc_name(31), "?");
}
END_TEST

START_TEST(idle_footprint)
{
    /* A small VM: the page tables hold only the touched pages. */
    create(NULL);
    ck_assert_uint_le(bh_mem_pages_in_use(bh_vm_mem(vm)), 3);
    size_t decoded = ((size_t)vm->core->text.n + 1 + vm->core->ktext.n + 1) * sizeof(struct bh_dinsn);
    size_t tables = 1024 * sizeof(void *) + 3 * sizeof(struct bh_l2);
    size_t pages = bh_mem_pages_in_use(bh_vm_mem(vm)) * BH_PAGE_SIZE;
    size_t total = sizeof(struct bh_vm) + decoded + tables + pages;
    ck_assert_msg(total < 64 * 1024, "idle VM uses %zu bytes", total);
}
END_TEST

Suite *vm_suite(void)
{
    Suite *s = suite_create("vm");
    TCase *t = tcase_create("create");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, initial_registers);
    tcase_add_test(t, original_form_starts_at_zero);
    tcase_add_test(t, memory_map);
    tcase_add_test(t, large_data_moves_the_break);
    tcase_add_test(t, startup_stack_with_argv);
    tcase_add_test(t, refusals);
    tcase_add_test(t, accessors);
    tcase_add_test(t, idle_footprint);
    suite_add_tcase(s, t);
    return s;
}
