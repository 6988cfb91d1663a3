/* check_asm_bare.c: the bare machine (BH_ASM_BARE, babyasm --bare, SPIM's
 * -bare).  What SPIM 8.0's bare machine refuses was tried statement by
 * statement with `spim -bare` (tests/e2e/asm_bare.sh repeats that against
 * spim): pseudo-instructions, values that need lui, I-type immediates
 * beyond their field; what it keeps: an immediate in place of a register
 * when it fits 16 bits, the three-operand div, $at as a free register. */
#include <check.h>

#include "asm_test_util.h"

#define AT 1
#define T0 8
#define T1 9
#define BARE (BH_ASM_LISTING | BH_ASM_BARE)
#define expect_bare_words(src, ...) expect_words_at(__FILE__, __LINE__, BARE, src, __VA_ARGS__)

/* Each with operands it takes without --bare (checked below). */
static const char *const pseudo_stmts[] = {
    "abs $t0, $t1", "L: b L", "L: bal L", "L: beqz $t0, L", "L: bnez $t0, L",
    "L: bge $t0, $t1, L", "L: bgeu $t0, $t1, L", "L: bgt $t0, $t1, L", "L: bgtu $t0, $t1, L",
    "L: ble $t0, $t1, L", "L: bleu $t0, $t1, L", "L: blt $t0, $t1, L", "L: bltu $t0, $t1, L",
    "l.d $f0, 0($t0)", "l.s $f0, 0($t0)", "s.d $f0, 0($t0)", "s.s $f0, 0($t0)",
    "la $t0, 4($t1)", "ld $t0, 0($t1)", "sd $t0, 0($t1)", "li $t0, 5", "li.d $f0, 1.5",
    "li.s $f0, 1.5", "mfc1.d $t0, $f0", "mtc1.d $t0, $f0", "move $t0, $t1",
    "mulo $t0, $t1, $t2", "mulou $t0, $t1, $t2", "neg $t0, $t1", "negu $t0, $t1", "nop",
    "not $t0, $t1", "rem $t0, $t1, $t2", "remu $t0, $t1, $t2", "rol $t0, $t1, 3",
    "ror $t0, $t1, 3", "seq $t0, $t1, $t2", "sge $t0, $t1, $t2", "sgeu $t0, $t1, $t2",
    "sgt $t0, $t1, $t2", "sgtu $t0, $t1, $t2", "sle $t0, $t1, $t2", "sleu $t0, $t1, $t2",
    "sne $t0, $t1, $t2", "ulh $t0, 0($t1)", "ulhu $t0, 0($t1)", "ulw $t0, 0($t1)",
    "ush $t0, 0($t1)", "usw $t0, 0($t1)",
    /* MARS's, which SPIM does not know at all */
    "mulu $t0, $t1, $t2", "subi $t0, $t1, 4", "subiu $t0, $t1, 4",
};

START_TEST(test_pseudo_refused)
{
    const char *src = pseudo_stmts[_i];
    struct bh_image img;
    struct bh_asm_result res;
    ck_assert_msg(asm_str(src, &img, &res) == 0, "'%s' without --bare: %s", src, (char *)res.diag.data);
    bh_image_free(&img);
    bh_asm_result_free(&res);

    const char *name = src[0] == 'L' ? src + 3 : src;
    char want[128];
    snprintf(want, sizeof want, "error: '%.*s' is a pseudo-instruction: the bare machine (--bare) has none",
             (int)strcspn(name, " "), name);
    char *d = expect_fail_flags(src, BARE);
    ck_assert_has(d, want);
    free(d);
}
END_TEST

/* Every refused line in one run, each at its place with the line and a caret. */
START_TEST(test_all_errors_in_one_run)
{
    const char *src = "main: li $t0, 5\n"
                      " move $t1, $t0\n"
                      " lw $t2, x\n"
                      " addi $t2, $t2, 0x12345\n"
                      " addu $t2, $t2, $t1\n"
                      " nop\n"
                      " .data\n"
                      "x: .word 1\n";
    struct bh_image img;
    struct bh_asm_result res;
    ck_assert_int_eq(asm_str_flags(src, BARE, &img, &res), -1);
    ck_assert_int_eq(res.errors, 5);
    const char *d = (char *)res.diag.data;
    ck_assert_has(d, "t.s:1:7: error: 'li' is a pseudo-instruction");
    ck_assert_has(d, "\nmain: li $t0, 5\n      ^\n");
    ck_assert_has(d, "t.s:2:2: error: 'move' is a pseudo-instruction");
    ck_assert_has(d, "t.s:3:10: error: the address of 'x' needs 32 bits (lui first): the bare machine "
                     "(--bare) takes offset(register) with a 16-bit offset only\n lw $t2, x\n         ^\n");
    ck_assert_has(d, "t.s:4:17: error: immediate out of range for 'addi' (-32768 to 32767): the bare "
                     "machine (--bare) builds no 32-bit values");
    ck_assert_has(d, "t.s:6:2: error: 'nop' is a pseudo-instruction");
    ck_assert_ptr_null(strstr(d, "t.s:5:"));
    bh_asm_result_free(&res);
}
END_TEST

/* Values that need lui: refused, each naming what it would need. */
START_TEST(test_wide_values_refused)
{
    static const struct { const char *src, *msg; } bad[] = {
        {"lw $t0, 0x12345($t1)", "1:9: error: address 74565 needs 32 bits (lui first): the bare "
                                 "machine (--bare) takes 16-bit offsets only (-32768 to 32767)"},
        {"sw $t0, 0x10010000", "address 268500992 needs 32 bits"},
        {"lwc1 $f0, x\n.data\nx: .float 1", "the address of 'x' needs 32 bits (lui first)"},
        {"addi $t0, $t0, x\n.data\nx: .word 1",
         "'x' does not fit the 16-bit immediate of 'addi': the bare machine (--bare) builds no 32-bit values"},
        {"ori $t0, $t0, -1", "immediate out of range for 'ori' (0 to 65535): the bare machine (--bare)"},
        {"xori $t0, -1", "immediate out of range for 'xori' (0 to 65535)"},
        {"slti $t0, $t1, 0x8000", "immediate out of range for 'slti' (-32768 to 32767)"},
        {"add $t0, $t1, 0x12345", "1:15: error: immediate 74565 needs 32 bits here (lui and ori): the "
                                  "bare machine (--bare) has 16-bit immediates only"},
        {"and $t0, $t1, -1", "immediate -1 needs 32 bits here (lui and ori)"},
        {"add $t0, $t1, 0x10000", "immediate 65536 needs 32 bits here"},
        {"sub $t0, $t1, 0x9000", "immediate 36864 needs 32 bits here"},
        {"L: beq $t0, -3, L", "immediate -3 needs 32 bits here"},
        {"L: bne $t0, L, L", "'L' as an immediate needs 32 bits (lui and ori): the bare machine "
                             "(--bare) has 16-bit immediates only"},
        {"div $t0, $t1, 100000", "immediate 100000 needs 32 bits here"},
        {"mul $t0, $t1, 0x12345", "immediate 74565 needs 32 bits here"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct bh_image img;
        struct bh_asm_result res;
        ck_assert_msg(asm_str(bad[i].src, &img, &res) == 0, "'%s' without --bare: %s", bad[i].src,
                      (char *)res.diag.data);
        bh_image_free(&img);
        bh_asm_result_free(&res);
        char *d = expect_fail_flags(bad[i].src, BARE);
        ck_assert_has(d, bad[i].msg);
        const char *e = strstr(d, "error:");
        ck_assert_msg(e && !strstr(e + 1, "error:"), "one error expected for '%s':\n%s", bad[i].src, d);
        free(d);
    }
}
END_TEST

/* What SPIM's bare machine keeps: machine instructions, and the short
 * extended forms, word for word as without --bare. */
START_TEST(test_bare_keeps)
{
    expect_bare_words("add $t0, $t1, 7", 1, W_I(ISA_ADDI, T0, T1, 7));
    expect_bare_words("add $t0, $t1, 0xffff", 2, W_I(ISA_ORI, AT, 0, 0xffff), W_R(ISA_ADD, T0, T1, AT, 0));
    expect_bare_words("sub $t0, $t1, 7", 1, W_I(ISA_ADDI, T0, T1, (uint32_t)-7));
    expect_bare_words("addu $t0, 7", 1, W_I(ISA_ADDIU, T0, T0, 7));
    expect_bare_words("addi $t0, $t1, -32768", 1, W_I(ISA_ADDI, T0, T1, 0x8000));
    expect_bare_words("ori $t0, $t1, 0xffff", 1, W_I(ISA_ORI, T0, T1, 0xffff));
    expect_bare_words("L: beq $t0, 3, L", 2, W_I(ISA_ORI, AT, 0, 3), W_I(ISA_BEQ, T0, AT, (uint32_t)-2));
    /* the break out of the bne's delay slot (SPIM's -bare has delay slots) */
    expect_bare_words("div $t0, $t1, $t1", 5, W_I(ISA_BNE, 0, T1, 2), 0u, W_BRK(0),
                      W_R(ISA_DIV, 0, T0 + 1, T1, 0), W_R(ISA_MFLO, T0, 0, 0, 0));
    expect_words("div $t0, $t1, $t1", 4, W_I(ISA_BNE, 0, T1, 1), W_BRK(0), W_R(ISA_DIV, 0, T0 + 1, T1, 0),
                 W_R(ISA_MFLO, T0, 0, 0, 0));
    expect_bare_words("divu $t0, $t1, $t1", 5, W_I(ISA_BNE, 0, T1, 2), 0u, W_BRK(0),
                      W_R(ISA_DIVU, 0, T0 + 1, T1, 0), W_R(ISA_MFLO, T0, 0, 0, 0));
    expect_bare_words("div $t0, $t1", 1, W_R(ISA_DIV, 0, T0, T1, 0));
    expect_bare_words("mul $t0, $t1, 5", 2, W_I(ISA_ORI, AT, 0, 5), W_R(ISA_MUL, T0, T1, AT, 0));
    expect_bare_words("j $ra", 1, W_R(ISA_JR, 0, 31, 0, 0));
    expect_bare_words("sllv $t0, $t1, 4", 1, W_R(ISA_SLL, T0, 0, T1, 4));
    expect_bare_words("lw $t0, -4($sp)", 1, W_I(ISA_LW, T0, 29, (uint32_t)-4));
    expect_bare_words("sw $t0, 100", 1, W_I(ISA_SW, T0, 0, 100));
    expect_bare_words("lui $a0, 0x1000", 1, W_I(ISA_LUI, 4, 0, 0x1000));
    expect_bare_words("ssnop", 1, 0x40u);
    expect_bare_words("addu $0, $0, $0", 1, W_R(ISA_ADDU, 0, 0, 0, 0));
}
END_TEST

/* $at is the program's on the bare machine: no warning, with or without
 * .set noat, even where an extended form writes it. */
START_TEST(test_at_free)
{
    const char *src = "L: add $at, $t0, $t1\n mul $t0, $t1, 5\n beq $at, 3, L\n";
    struct bh_image img;
    struct bh_asm_result res;
    ck_assert_int_eq(asm_str(src, &img, &res), 0);
    ck_assert_int_eq(res.warnings, 1); /* without --bare: warned */
    bh_image_free(&img);
    bh_asm_result_free(&res);
    ck_assert_int_eq(asm_str_flags(src, BARE, &img, &res), 0);
    ck_assert_int_eq(res.warnings, 0);
    ck_assert_uint_eq(res.diag.len, 0);
    ck_assert_uint_eq(img.seg[BH_SEG_TEXT].size, 4 * 5);
    bh_image_free(&img);
    bh_asm_result_free(&res);
}
END_TEST

/* SPIM's bare machine has no $gp area: .data starts at 0x10000000; the
 * start-up code that calls main is the same. */
START_TEST(test_data_base_and_startup)
{
    const char *src = "main: lui $a0, 0x1000\n lw $t0, 4($a0)\n jr $ra\n .data\nx: .word 1\ny: .word 2\n";
    struct bh_image img;
    struct bh_asm_result res;
    ck_assert_int_eq(asm_str_flags(src, BARE, &img, &res), 0);
    ck_assert_uint_eq(img.seg[BH_SEG_DATA].addr, 0x10000000u);
    ck_assert_uint_eq(img.seg[BH_SEG_DATA].size, 8);
    ck_assert_uint_eq(img.flags & BH_IMG_STARTUP, BH_IMG_STARTUP);
    uint32_t text_bare = img.seg[BH_SEG_TEXT].size;
    bh_image_free(&img);
    bh_asm_result_free(&res);
    ck_assert_int_eq(asm_str(src, &img, &res), 0);
    ck_assert_uint_eq(img.seg[BH_SEG_DATA].addr, BH_DATA_BASE);
    ck_assert_uint_eq(img.seg[BH_SEG_TEXT].size, text_bare);
    bh_image_free(&img);
    bh_asm_result_free(&res);
    /* an address given to .data still wins */
    ck_assert_int_eq(asm_str_flags("jr $ra\n.data 0x10020000\nx: .word 1\n", BARE, &img, &res), 0);
    ck_assert_uint_eq(img.seg[BH_SEG_DATA].addr, 0x10020000u);
    bh_image_free(&img);
    bh_asm_result_free(&res);
}
END_TEST

/* "did you mean" offers only what the bare machine accepts. */
START_TEST(test_suggestion)
{
    char *d = expect_fail("nopp");
    ck_assert_has(d, "unknown instruction 'nopp'; did you mean 'nop'?");
    free(d);
    d = expect_fail_flags("nopp", BARE);
    ck_assert_ptr_null(strstr(d, "'nop'"));
    free(d);
    d = expect_fail_flags("addd $t0, $t1, $t2", BARE);
    ck_assert_has(d, "unknown instruction 'addd'; did you mean 'add'?");
    free(d);
    d = expect_fail_flags("divv $t0, $t1", BARE);
    ck_assert_has(d, "unknown instruction 'divv'; did you mean 'div'?");
    free(d);
}
END_TEST

Suite *asm_bare_suite(void)
{
    Suite *s = suite_create("asm_bare");
    TCase *t = tcase_create("bare");
    tcase_add_loop_test(t, test_pseudo_refused, 0, (int)(sizeof pseudo_stmts / sizeof pseudo_stmts[0]));
    tcase_add_test(t, test_all_errors_in_one_run);
    tcase_add_test(t, test_wide_values_refused);
    tcase_add_test(t, test_bare_keeps);
    tcase_add_test(t, test_at_free);
    tcase_add_test(t, test_data_base_and_startup);
    tcase_add_test(t, test_suggestion);
    suite_add_tcase(s, t);
    return s;
}
