/* check_fpu.c: coprocessor 1: its state in the core (accessors, the CPU
 * snapshot body's versions 1 and 2), and each FP instruction on
 * hand-built words (isa_encode): results, FCSR flags and cause, each
 * rounding mode, conversions at their edges, compares, branches, moves,
 * loads and stores, and the FP exception. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "core/cpu.h"
#include "image.h"
#include "isa.h"
#include "machine/vm_internal.h"
#include "vm.h"

static struct bh_image img;
static uint8_t *text_buf, *ktext_buf;
static struct bh_vm *vm;

static void put_words(struct bh_segment *s, uint8_t **buf, uint32_t addr, const uint32_t *w,
                      size_t n)
{
    free(*buf);
    *buf = malloc(n * 4 + 1);
    for (size_t i = 0; i < n; i++)
        bh_put32(*buf + 4 * i, w[i]);
    s->addr = addr;
    s->size = (uint32_t)(n * 4);
    s->bytes = *buf;
}

static void make(const uint32_t *w, size_t n)
{
    char err[256] = "";
    memset(&img, 0, sizeof img);
    put_words(&img.seg[BH_SEG_TEXT], &text_buf, BH_TEXT_BASE, w, n);
    img.entry = BH_TEXT_BASE;
    static char strings[] = "\0x";
    img.strings = strings;
    img.strings_size = sizeof strings;
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "t";
    int rc = bh_vm_create(&img, &o, &vm, err, sizeof err);
    ck_assert_msg(rc == 0, "bh_vm_create: %s", err);
}

static void teardown(void)
{
    bh_vm_destroy(vm);
    vm = NULL;
    free(text_buf);
    free(ktext_buf);
    text_buf = ktext_buf = NULL;
}

#define CORE bh_vm_core(vm)
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- state and the CPU snapshot body ------------------------------------------ */

START_TEST(state_accessors_and_body_v2)
{
    uint32_t w[] = {0};
    make(w, 1);
    bh_core_set_fpr(CORE, 0, 0x3f800000u);
    bh_core_set_fpr(CORE, 31, 0xdeadbeefu);
    bh_core_set_fcsr(CORE, 0xffffffffu);
    ck_assert_uint_eq(bh_core_fcsr(CORE), BH_FCSR_MASK); /* only FCSR's bits */
    bh_core_set_fcsr(CORE, 0x00800003u);
    struct bh_buf b = {0};
    ck_assert_int_eq(bh_core_save(CORE, &b), 0);
    ck_assert_uint_eq(b.len, BH_CPU_STATE_SIZE);
    ck_assert_uint_eq(bh_get32(b.data + BH_CPU_STATE_SIZE_V1), 0x3f800000u);
    ck_assert_uint_eq(bh_get32(b.data + BH_CPU_STATE_SIZE - 4), BH_FIR);
    bh_core_set_fpr(CORE, 0, 0);
    bh_core_set_fcsr(CORE, 0);
    char err[256];
    struct bh_rd r = {b.data, b.len, 0, 0};
    ck_assert_msg(bh_core_load(CORE, &r, 2, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(bh_core_fpr(CORE, 0), 0x3f800000u);
    ck_assert_uint_eq(bh_core_fpr(CORE, 31), 0xdeadbeefu);
    ck_assert_uint_eq(bh_core_fcsr(CORE), 0x00800003u);

    /* a version-1 body (the first 292 bytes) loads with the FPU zero */
    struct bh_rd r1 = {b.data, BH_CPU_STATE_SIZE_V1, 0, 0};
    ck_assert_msg(bh_core_load(CORE, &r1, 1, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(bh_core_fpr(CORE, 0), 0);
    ck_assert_uint_eq(bh_core_fcsr(CORE), 0);
    /* a version-2 body of version-1 size, and the other way round: refused */
    struct bh_rd r2 = {b.data, BH_CPU_STATE_SIZE_V1, 0, 0};
    ck_assert_int_eq(bh_core_load(CORE, &r2, 2, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "expected 428 for version 2"), "%s", err);
    struct bh_rd r3 = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_core_load(CORE, &r3, 3, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "version 3 is not known"), "%s", err);
    /* FCSR bits it does not have, a FIR not ours: refused, nothing changed */
    bh_core_set_fpr(CORE, 5, 7);
    bh_put32(b.data + BH_CPU_STATE_SIZE - 8, 0x00040000u);
    struct bh_rd r4 = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_core_load(CORE, &r4, 2, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "FCSR 0x00040000"), "%s", err);
    ck_assert_uint_eq(bh_core_fpr(CORE, 5), 7);
    bh_put32(b.data + BH_CPU_STATE_SIZE - 8, 0);
    bh_put32(b.data + BH_CPU_STATE_SIZE - 4, 0x9800);
    struct bh_rd r5 = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_core_load(CORE, &r5, 2, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "FIR 0x00009800"), "%s", err);
    bh_buf_free(&b);
}
END_TEST

Suite *fpu_suite(void)
{
    Suite *s = suite_create("fpu");
    TCase *t = tcase_create("state");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, state_accessors_and_body_v2);
    suite_add_tcase(s, t);
    return s;
}
