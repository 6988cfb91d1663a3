/* check_asm_fp.c: coprocessor 1 in the assembler: every FP instruction form,
 * the FP pseudo-instructions with every address form, .float/.double, and
 * the diagnostics for the wrong kind of register.  Expected words are built
 * with isa_encode, and a few are the literal words mipsel-linux-gnu-as and
 * SPIM 8.0 give (tests/asm/spim_words.sh), so a shared encoder bug cannot
 * hide. */
#include <check.h>

#include "asm_test_util.h"

#define AT 1
#define T0 8
#define T1 9
#define T2 10
#define SP 29
#define NEG(x) ((uint32_t)(x))

/* fd in sa, fs in rd, ft (or rt, or cc << 2) in rt */
static uint32_t W_F(enum isa_op op, int fd, int fs, int ft)
{
    struct isa_fields f = {.sa = (uint32_t)fd, .rd = (uint32_t)fs, .rt = (uint32_t)ft};
    return isa_encode(op, &f);
}

/* c.cond.fmt [cc,] fs, ft */
static uint32_t W_C(enum isa_op op, int cc, int fs, int ft)
{
    struct isa_fields f = {.sa = (uint32_t)cc << 2, .rd = (uint32_t)fs, .rt = (uint32_t)ft};
    return isa_encode(op, &f);
}

/* mfc1/mtc1/cfc1/ctc1 rt, fs */
static uint32_t W_M(enum isa_op op, int rt, int fs)
{
    struct isa_fields f = {.rt = (uint32_t)rt, .rd = (uint32_t)fs};
    return isa_encode(op, &f);
}

START_TEST(test_arithmetic_forms)
{
    expect_words("add.s $f0, $f1, $f2", 1, W_F(ISA_ADD_S, 0, 1, 2));
    expect_words("add.d $f2, $f4, $f6", 1, W_F(ISA_ADD_D, 2, 4, 6));
    expect_words("add.d $f1, $f3, $f5", 1, 0x46251840u); /* GNU as (odd registers: it warns) */
    expect_words("sub.s $f4 $f6 $f8", 1, W_F(ISA_SUB_S, 4, 6, 8)); /* commas optional */
    expect_words("mul.d $f30, $f28, $f26", 1, W_F(ISA_MUL_D, 30, 28, 26));
    expect_words("div.s $f31, $f0, $f31", 1, W_F(ISA_DIV_S, 31, 0, 31));
    expect_words("sqrt.d $f2, $f4", 1, W_F(ISA_SQRT_D, 2, 4, 0));
    expect_words("abs.s $f2, $f0", 1, 0x46000085u); /* SPIM's tt.fpu.bare.s */
    expect_words("neg.d $f2, $f4", 1, W_F(ISA_NEG_D, 2, 4, 0));
    expect_words("mov.s $f3, $f9", 1, W_F(ISA_MOV_S, 3, 9, 0));
}
END_TEST

START_TEST(test_conversions)
{
    expect_words("cvt.s.d $f0, $f2", 1, W_F(ISA_CVT_S_D, 0, 2, 0));
    expect_words("cvt.s.w $f0, $f1", 1, 0x46800820u); /* GNU as */
    expect_words("cvt.d.s $f2, $f0", 1, W_F(ISA_CVT_D_S, 2, 0, 0));
    /* GNU as's word: fmt W (SPIM 8.0 writes 0x462000a1, fmt D, by mistake) */
    expect_words("cvt.d.w $f2, $f0", 1, 0x468000a1u);
    expect_words("cvt.w.s $f2, $f0", 1, W_F(ISA_CVT_W_S, 2, 0, 0));
    expect_words("cvt.w.d $f2, $f0", 1, W_F(ISA_CVT_W_D, 2, 0, 0));
    expect_words("round.w.d $f0, $f2", 1, 0x4620100cu); /* GNU as */
    expect_words("trunc.w.s $f0, $f2", 1, W_F(ISA_TRUNC_W_S, 0, 2, 0));
    expect_words("ceil.w.d $f0, $f2", 1, W_F(ISA_CEIL_W_D, 0, 2, 0));
    expect_words("floor.w.s $f0, $f2", 1, W_F(ISA_FLOOR_W_S, 0, 2, 0));
}
END_TEST

START_TEST(test_compares_every_condition)
{
    static const char *const cond[16] = {"f",  "un",   "eq",  "ueq", "olt", "ult", "ole", "ule",
                                         "sf", "ngle", "seq", "ngl", "lt",  "nge", "le",  "ngt"};
    char src[64];
    for (int i = 0; i < 16; i++)
        for (int d = 0; d < 2; d++) {
            snprintf(src, sizeof src, "c.%s.%s $f2, $f4", cond[i], d ? "d" : "s");
            uint32_t w = 0x46000030u | (d ? 1u : 0u) << 21 | 4u << 16 | 2u << 11 | (uint32_t)i;
            expect_words(src, 1, w);
            snprintf(src, sizeof src, "c.%s.%s 7, $f2, $f4", cond[i], d ? "d" : "s");
            expect_words(src, 1, w | 7u << 8);
        }
    expect_words("c.eq.s $f0, $f2", 1, 0x46020032u);    /* GNU as */
    expect_words("c.eq.s 1, $f0, $f2", 1, 0x46020132u); /* GNU as: c.eq.s $fcc1, ... */
    expect_words("c.lt.d $f0 $f2", 1, W_C(ISA_C_LT_D, 0, 0, 2));
}
END_TEST

START_TEST(test_fp_branches)
{
    /* L is the first word: a branch at word k reaches it with offset -(k+1) */
    expect_words("L: bc1t L", 1, 0x4501ffffu);
    expect_words("L: bc1f L", 1, 0x4500ffffu);
    expect_words("L: bc1t 3, L", 1, 0x450dffffu); /* rt = cc << 2 | tf (SPIM, GNU as, MARS) */
    expect_words("L: bc1f 7 L", 1, 0x451cffffu);
    expect_words("bc1tl L\nL: nop", 2, 0x45030000u, 0u);
    expect_words("bc1fl 2, L\nnop\nL: nop", 3, 0x450a0001u, 0u, 0u);
}
END_TEST

START_TEST(test_moves)
{
    expect_words("mfc1 $t0, $f3", 1, 0x44081800u); /* GNU as */
    expect_words("mtc1 $t1, $f0", 1, W_M(ISA_MTC1, T1, 0));
    /* SPIM takes a general register's name for the FP register */
    expect_words("mtc1 $9 $0", 1, W_M(ISA_MTC1, T1, 0));
    expect_words("mfc1 $t0, $31", 1, W_M(ISA_MFC1, T0, 31));
    expect_words("cfc1 $t0, $31", 1, 0x4448f800u); /* GNU as */
    expect_words("ctc1 $t0, $31", 1, 0x44c8f800u);
    expect_words("cfc1 $t0, $f0", 1, W_M(ISA_CFC1, T0, 0));
    expect_words("movf $t0, $t1, 1", 1, 0x01244001u); /* GNU as (SPIM 8.0 drops rs) */
    expect_words("movt $t0, $t1, 7", 1, W_R(ISA_MOVT, T0, T1, 7 << 2, 0));
    expect_words("movt.s $f0, $f2, 3", 1, 0x460d1011u); /* GNU as */
    expect_words("movf.d $f4, $f6, 0", 1, W_F(ISA_MOVF_D, 4, 6, 0));
    expect_words("movz.s $f0, $f2, $t1", 1, 0x46091012u); /* GNU as */
    expect_words("movn.d $f0, $f2, $t1", 1, W_F(ISA_MOVN_D, 0, 2, T1));
}
END_TEST

START_TEST(test_loads_and_stores)
{
    expect_words("lwc1 $f2, -4($sp)", 1, 0xc7a2fffcu); /* GNU as */
    expect_words("ldc1 $f2, 8($sp)", 1, 0xd7a20008u);
    expect_words("swc1 $f0, ($t0)", 1, W_I(ISA_SWC1, 0, T0, 0));
    expect_words("sdc1 $f30, 0x7ff8($t0)", 1, W_I(ISA_SDC1, 30, T0, 0x7ff8));
    /* l.s l.d s.s s.d are lwc1 ldc1 swc1 sdc1 (SPIM and MARS) */
    expect_words("l.s $f4, 4($sp)", 1, W_I(ISA_LWC1, 4, SP, 4));
    expect_words("l.d $f4, ($t0)", 1, W_I(ISA_LDC1, 4, T0, 0));
    expect_words("s.s $f4, -8($sp)", 1, W_I(ISA_SWC1, 4, SP, NEG(-8)));
    expect_words("s.d $f4, 16($sp)", 1, W_I(ISA_SDC1, 4, SP, 16));
    /* the integer loads' address forms: what SPIM 8.0 assembles */
    expect_words("l.s $f0, 100000($t2)", 3, W_I(ISA_LUI, AT, 0, 2), W_R(ISA_ADDU, AT, AT, T2, 0),
                 W_I(ISA_LWC1, 0, AT, 0x86a0));
    expect_words("l.s $f0, 0x10010000", 2, W_I(ISA_LUI, AT, 0, 0x1001), W_I(ISA_LWC1, 0, AT, 0));
    expect_words("l.s $f0, 12", 1, W_I(ISA_LWC1, 0, 0, 12));
    const char *data = ".data\nx: .float 1.5\ny: .double 2.5\n.text\n"; /* y at 8 */
    char src[160];
    snprintf(src, sizeof src, "%sl.s $f0, x", data);
    expect_words(src, 2, 0x3c011001u, 0xc4200000u); /* SPIM 8.0 */
    snprintf(src, sizeof src, "%sl.d $f2, y", data);
    expect_words(src, 2, 0x3c011001u, 0xd4220008u);
    snprintf(src, sizeof src, "%ss.s $f0, x", data);
    expect_words(src, 2, 0x3c011001u, 0xe4200000u);
    snprintf(src, sizeof src, "%ss.d $f2, y", data);
    expect_words(src, 2, 0x3c011001u, 0xf4220008u);
    snprintf(src, sizeof src, "%sl.s $f6, x+4", data);
    expect_words(src, 2, 0x3c011001u, 0xc4260004u);
    snprintf(src, sizeof src, "%sl.s $f6, x($t1)", data);
    expect_words(src, 3, 0x3c011001u, 0x00290821u, 0xc4260000u);
    snprintf(src, sizeof src, "%slwc1 $f0, x", data);
    expect_words(src, 2, 0x3c011001u, 0xc4200000u);
}
END_TEST

START_TEST(test_li_fp)
{
    /* SPIM 8.0: the bits through $at (li's sizes), then mtc1 */
    expect_words("li.s $f0, 1.5", 2, 0x3c013fc0u, 0x44810000u);
    expect_words("li.s $f1, -0.5", 2, 0x3c01bf00u, 0x44810800u);
    expect_words("li.s $f0, 0.0", 2, W_I(ISA_ORI, AT, 0, 0), W_M(ISA_MTC1, AT, 0));
    expect_words("li.s $f0, 0.1", 3, W_I(ISA_LUI, AT, 0, 0x3dcc), W_I(ISA_ORI, AT, AT, 0xcccd),
                 W_M(ISA_MTC1, AT, 0));
    expect_words("li.s $f0, 3", 2, W_I(ISA_LUI, AT, 0, 0x4040), W_M(ISA_MTC1, AT, 0));
    /* li.d: the low word to fd, the high word to fd + 1 */
    expect_words("li.d $f2, 2.5", 4, 0x34010000u, 0x44811000u, 0x3c014004u, 0x44811800u);
    expect_words("li.d $f0, 0.1", 6, W_I(ISA_LUI, AT, 0, 0x9999), W_I(ISA_ORI, AT, AT, 0x999a),
                 W_M(ISA_MTC1, AT, 0), W_I(ISA_LUI, AT, 0, 0x3fb9), W_I(ISA_ORI, AT, AT, 0x9999),
                 W_M(ISA_MTC1, AT, 1));
    expect_words("li.d $f4, -1e300", 6, W_I(ISA_LUI, AT, 0, 0x8800), W_I(ISA_ORI, AT, AT, 0x759c),
                 W_M(ISA_MTC1, AT, 4), W_I(ISA_LUI, AT, 0, 0xfe37), W_I(ISA_ORI, AT, AT, 0xe43c),
                 W_M(ISA_MTC1, AT, 5));
    expect_words(".eqv PI 3.25\nli.s $f0, PI", 2, W_I(ISA_LUI, AT, 0, 0x4050), W_M(ISA_MTC1, AT, 0));
}
END_TEST

START_TEST(test_move_pairs)
{
    expect_words("mfc1.d $t0, $f2", 2, 0x44081000u, 0x44091800u); /* SPIM 8.0, MARS */
    expect_words("mtc1.d $t0, $f2", 2, 0x44881000u, 0x44891800u);
}
END_TEST

/* The data segment of data_src (then a nop in .text) as n little-endian words. */
static void expect_data(const char *data_src, int n, const uint32_t *want)
{
    struct bh_image img;
    struct bh_asm_result res;
    char src[256];
    snprintf(src, sizeof src, "%s.text\nnop\n", data_src);
    int rc = asm_str(src, &img, &res);
    ck_assert_msg(rc == 0, "'%s' failed:\n%s", src, res.diag.data ? (char *)res.diag.data : "");
    const struct bh_segment *d = &img.seg[BH_SEG_DATA];
    ck_assert_msg(d->size == 4u * (uint32_t)n, "'%s': %u bytes of data, expected %d", src, d->size,
                  4 * n);
    for (int i = 0; i < n; i++)
        ck_assert_msg(bh_get32(d->bytes + 4 * i) == want[i], "'%s': word %d is 0x%08x, expected 0x%08x",
                      src, i, bh_get32(d->bytes + 4 * i), want[i]);
    bh_image_free(&img);
    bh_asm_result_free(&res);
}

START_TEST(test_float_directives)
{
    /* the float literals SPIM and MARS take, and .5 / 1e10 (MARS) */
    expect_data(".data\n.float 1.5, -0.5, 0.0, -0.0\n", 4,
                (const uint32_t[]){0x3fc00000u, 0xbf000000u, 0, 0x80000000u});
    expect_data(".data\n.float 1e10, 1E10, .5, 2, 1.5e-3\n", 5,
                (const uint32_t[]){0x501502f9u, 0x501502f9u, 0x3f000000u, 0x40000000u, 0x3ac49ba6u});
    expect_data(".data\n.float 3.4e39\n", 1, (const uint32_t[]){0x7f800000u}); /* overflows to inf */
    expect_data(".data\n.double 2.5, -1\n", 4, (const uint32_t[]){0, 0x40040000u, 0, 0xbff00000u});
    /* value:count, as .word */
    expect_data(".data\n.float 1.5:3\n", 3, (const uint32_t[]){0x3fc00000u, 0x3fc00000u, 0x3fc00000u});
    expect_data(".data\n.double 0.5:2\n", 4, (const uint32_t[]){0, 0x3fe00000u, 0, 0x3fe00000u});
    /* .double aligns to 8 */
    expect_data(".data\n.byte 1\n.double 1.0\n", 4, (const uint32_t[]){1, 0, 0, 0x3ff00000u});
}
END_TEST

START_TEST(test_wrong_register_kind)
{
    char *d = expect_fail("add.s $t0, $f1, $f2\n");
    ck_assert_has(d, "t.s:1:1: error: 'add.s' expects FP register, FP register, FP register\n");
    free(d);
    d = expect_fail("add $f0, $t1, $t2\n");
    ck_assert_has(d, "error: 'add' expects register, register, register (or an immediate last) "
                     "('$f0' is an FP register)\n");
    free(d);
    d = expect_fail("lwc1 $t0, 4($sp)\n");
    ck_assert_has(d, "error: 'lwc1' expects FP register, address");
    free(d);
    d = expect_fail("l.d $t0, 4($sp)\n");
    ck_assert_has(d, "error: 'l.d' expects FP register, address");
    free(d);
    d = expect_fail("mfc1 $f0, $f1\n");
    ck_assert_has(d, "error: 'mfc1' expects register, FP register");
    free(d);
    d = expect_fail("movz.s $f0, $f2, $f4\n");
    ck_assert_has(d, "error: 'movz.s' expects FP register, FP register, register");
    free(d);
    d = expect_fail("cvt.d.s $f0\n");
    ck_assert_has(d, "error: 'cvt.d.s' expects FP register, FP register");
    free(d);
    d = expect_fail("li.s $t0, 1.5\n");
    ck_assert_has(d, "error: 'li.s' expects FP register, number");
    free(d);
    d = expect_fail("lw $f0, 4($sp)\n");
    ck_assert_has(d, "error: 'lw' expects register, address ('$f0' is an FP register)");
    free(d);
}
END_TEST

START_TEST(test_fp_errors)
{
    char *d = expect_fail("c.eq.s 8, $f0, $f2\n");
    ck_assert_has(d, "t.s:1:8: error: condition code must be 0 to 7");
    free(d);
    d = expect_fail("L: bc1t -1, L\n");
    ck_assert_has(d, "error: condition code must be 0 to 7");
    free(d);
    d = expect_fail("movf $t0, $t1, 9\n");
    ck_assert_has(d, "error: condition code must be 0 to 7");
    free(d);
    d = expect_fail("movt.d $f0, $f2\n");
    ck_assert_has(d, "error: 'movt.d' expects FP register, FP register, condition code (0 to 7)");
    free(d);
    d = expect_fail("add.s $f0, $f1, $f32\n");
    ck_assert_has(d, "t.s:1:17: error: unknown register '$f32' (FP registers are $f0 to $f31)");
    free(d);
    d = expect_fail("li.d $f31, 1.0\n");
    ck_assert_has(d, "error: 'li.d' writes a register pair: $f31 has no next register");
    free(d);
    d = expect_fail("mtc1.d $ra, $f2\n");
    ck_assert_has(d, "error: 'mtc1.d' moves a register pair: register 31 has no next register");
    free(d);
    d = expect_fail("addd.s $f0, $f1, $f2\n");
    ck_assert_has(d, "unknown instruction 'addd.s'; did you mean 'add.s'?");
    free(d);
    d = expect_fail(".data\n.float x\n");
    ck_assert_has(d, "error: '.float' expects numbers");
    free(d);
}
END_TEST

START_TEST(test_fp_register_in_macro)
{
    expect_words(".macro sq(%r)\nmul.s %r, %r, %r\n.end_macro\nsq($f2)", 1, W_F(ISA_MUL_S, 2, 2, 2));
    expect_words(".eqv X $f4\nneg.s X, X", 1, W_F(ISA_NEG_S, 4, 4, 0));
}
END_TEST

Suite *asm_fp_suite(void)
{
    Suite *s = suite_create("asm_fp");
    TCase *t = tcase_create("instructions");
    tcase_add_test(t, test_arithmetic_forms);
    tcase_add_test(t, test_conversions);
    tcase_add_test(t, test_compares_every_condition);
    tcase_add_test(t, test_fp_branches);
    tcase_add_test(t, test_moves);
    tcase_add_test(t, test_loads_and_stores);
    suite_add_tcase(s, t);
    t = tcase_create("pseudo_and_data");
    tcase_add_test(t, test_li_fp);
    tcase_add_test(t, test_move_pairs);
    tcase_add_test(t, test_float_directives);
    tcase_add_test(t, test_fp_register_in_macro);
    suite_add_tcase(s, t);
    t = tcase_create("diagnostics");
    tcase_add_test(t, test_wrong_register_kind);
    tcase_add_test(t, test_fp_errors);
    suite_add_tcase(s, t);
    return s;
}
