/* check_asm_diag.c: the assembler's diagnostics: exact text (location,
 * source line, caret), every error of a file in one run, warnings. */
#include <check.h>

#include "asm_test_util.h"

START_TEST(test_exact_text)
{
    char *d = expect_fail("main:\n\taddu $t0, $t1, $t2\n\taddd $t0, $t1, $t2\n");
    ck_assert_str_eq(d, "t.s:3:2: error: unknown instruction 'addd'; did you mean 'add'?\n"
                        "\taddd $t0, $t1, $t2\n"
                        "\t^\n");
    free(d);
}
END_TEST

START_TEST(test_suggestions_each_name)
{
    /* The last answer is kept for a repeated name (a macro body): each
     * name still gets its own. */
    char *d = expect_fail(".macro m\n\tsubb $t0, $t1, $t2\n.end_macro\n"
                          "main:\n\taddd $t0, $t1, $t2\n\tm\n\tm\n\tsyscal\n");
    ck_assert_has(d, "t.s:5:2: error: unknown instruction 'addd'; did you mean 'add'?\n");
    ck_assert_has(d, "t.s:2:2: error: unknown instruction 'subb'; did you mean 'sub'?\n"
                     "\tsubb $t0, $t1, $t2\n\t^\n"
                     "t.s:2:2: error: unknown instruction 'subb'; did you mean 'sub'?\n");
    ck_assert_has(d, "t.s:8:2: error: unknown instruction 'syscal'; did you mean 'syscall'?\n");
    free(d);
}
END_TEST

START_TEST(test_undefined_label)
{
    char *d = expect_fail("  j nowhere\n");
    ck_assert_str_eq(d, "t.s:1:5: error: undefined label 'nowhere'\n"
                        "  j nowhere\n"
                        "    ^\n");
    free(d);
}
END_TEST

START_TEST(test_duplicate_label_with_note)
{
    char *d = expect_fail("x: nop\nnop\nx: nop\n");
    ck_assert_str_eq(d, "t.s:3:1: error: duplicate label 'x'\n"
                        "x: nop\n"
                        "^\n"
                        "t.s:1:1: note: 'x' was first defined here\n"
                        "x: nop\n"
                        "^\n");
    free(d);
}
END_TEST

START_TEST(test_operand_kinds)
{
    char *d = expect_fail("addi $t0, $t1\n");
    ck_assert_has(d, "t.s:1:1: error: 'addi' expects register, register, immediate\n");
    free(d);
    d = expect_fail("lw $t0, $t1\n");
    ck_assert_has(d, "error: 'lw' expects register, address");
    free(d);
}
END_TEST

START_TEST(test_out_of_range)
{
    char *d = expect_fail("sll $t0, $t1, 32\n");
    ck_assert_has(d, "t.s:1:15: error: shift amount must be 0 to 31");
    free(d);
    d = expect_fail("lui $t0, 0x10000\n");
    ck_assert_has(d, "immediate out of range for 'lui'");
    free(d);
    d = expect_fail(".data\n.byte 256\n.half 70000\n");
    ck_assert_has(d, "t.s:2:7: error: value 256 does not fit in a byte");
    ck_assert_has(d, "t.s:3:7: error: value 70000 does not fit in a halfword");
    free(d);
    d = expect_fail("div $t0, $t1, 0\n");
    ck_assert_has(d, "division by zero");
    free(d);
}
END_TEST

START_TEST(test_branch_too_far)
{
    char *d = expect_fail("L: beq $0, $0, far\n.space 200000\nfar: nop\n");
    ck_assert_has(d, "t.s:1:16: error: branch target too far");
    free(d);
}
END_TEST

START_TEST(test_jump_out_of_region_warns)
{
    /* SPIM's tt.core.s jumps from text to ktext (never run): spim 8.0 warns
     * and encodes the target's bits 27:2, and so do we */
    struct bh_image img;
    struct bh_asm_result res;
    ck_assert_int_eq(asm_str("j k\n.ktext\nnop\nk: nop\n", &img, &res), 0);
    ck_assert_int_eq(res.warnings, 1);
    ck_assert_has((char *)res.diag.data,
                  "t.s:1:3: warning: jump target 0x80000004 is outside the 256 MiB region of "
                  "the jump: it jumps to 0x00000004, as SPIM encodes it");
    ck_assert_uint_eq(bh_get32(img.seg[BH_SEG_TEXT].bytes), 0x08000001u);
    bh_image_free(&img);
    bh_asm_result_free(&res);
}
END_TEST

START_TEST(test_label_as_opcode)
{
    char *d = expect_fail("loop: nop\nloop\n");
    ck_assert_has(d, "t.s:2:1: error: 'loop' is a label, not an instruction");
    free(d);
    d = expect_fail("again add $t0, $t0, 1\n");
    ck_assert_has(d, "(a label needs a ':' after it)");
    free(d);
}
END_TEST

START_TEST(test_misaligned_word_at_address)
{
    char *d = expect_fail(".text 0x00400002\nnop\n");
    ck_assert_has(d, "is not a multiple of 4");
    free(d);
    d = expect_fail(".data 0x10010001\n.word 5\n.text\nnop\n");
    ck_assert_has(d, "t.s:2:1: error: '.word' at 0x10010001, an address given to the segment that is not a multiple of 4");
    free(d);
}
END_TEST

START_TEST(test_many_errors_one_run)
{
    /* lexer, parser, pass 1 and pass 2 errors, reported in source order */
    char *d = expect_fail("a: nop\nfoo $t0\nli $t0, \"x\nadd $t0, ) $t1\na: nop\nj nowhere\n.ascii \"\\q\"\n");
    const char *want[] = {"t.s:2:1: error: unknown instruction 'foo'",
                          "t.s:3:9: error: unterminated string",
                          "t.s:4:10: error: syntax error",
                          "t.s:5:1: error: duplicate label 'a'",
                          "t.s:6:3: error: undefined label 'nowhere'",
                          "t.s:7:9: error: bad escape '\\q'"};
    const char *p = d;
    for (int i = 0; i < 6; i++) {
        const char *q = strstr(p, want[i]);
        ck_assert_msg(q != NULL, "missing or out of order: %s\nin:\n%s", want[i], d);
        p = q + 1;
    }
    free(d);
}
END_TEST

START_TEST(test_at_warning)
{
    struct bh_image img;
    struct bh_asm_result res;
    /* $at used by hand and written by an expansion: warned at the hand use,
     * with a note at the expansion */
    ck_assert_int_eq(asm_str("add $t0, $at, $t1\nmul $t0, $t1, 5\n", &img, &res), 0);
    ck_assert_int_eq(res.warnings, 1);
    ck_assert_has((char *)res.diag.data, "t.s:1:10: warning: '$at' is used without '.set noat', and pseudo-instructions write it too");
    ck_assert_has((char *)res.diag.data, "t.s:2:1: note: 'mul' here expands through $at");
    bh_image_free(&img);
    bh_asm_result_free(&res);
    /* the original tool's programs use $1 as a plain register: no expansion
     * writes $at there (li builds in its own register), so no warning */
    ck_assert_int_eq(asm_str("li $1, -3\nli $2, -70000\nsub $5, $2, $1\n", &img, &res), 0);
    ck_assert_int_eq(res.warnings, 0);
    bh_image_free(&img);
    bh_asm_result_free(&res);
    ck_assert_int_eq(asm_str(".set noat\nadd $t0, $at, $t1\n.set at\n", &img, &res), 0);
    ck_assert_int_eq(res.warnings, 0);
    bh_image_free(&img);
    bh_asm_result_free(&res);
}
END_TEST

START_TEST(test_data_in_text_errors)
{
    char *d = expect_fail(".data\nadd $t0, $t0, $t0\n");
    ck_assert_has(d, "instruction 'add' in a data segment (.data)");
    free(d);
    d = expect_fail(".wrod 1\n");
    ck_assert_has(d, "unknown directive '.wrod'; did you mean '.word'?");
    free(d);
}
END_TEST

/* SPIM's directives from compilers' output: ignored (.repeat and .struct
 * with a warning, as SPIM), and .err stops the assembly as in SPIM. */
START_TEST(test_spim_compiler_directives)
{
    struct bh_image img;
    struct bh_asm_result res;
    ck_assert_int_eq(asm_str(".alias $t0 $t1\n.asm0\n.bgnb 1\n.endb 1\n.lab foo\n.livereg 1 2\n"
                             ".noalias $t0 $t1\n.vreg $t0 1 2\n.repeat 2\n.endr\n.struct 0\nnop\n",
                             &img, &res), 0);
    ck_assert_int_eq(res.warnings, 2);
    ck_assert_has((char *)res.diag.data, "t.s:9:1: warning: '.repeat' is ignored, as SPIM does");
    ck_assert_has((char *)res.diag.data, "t.s:11:1: warning: '.struct' is ignored, as SPIM does");
    ck_assert_uint_eq(img.seg[BH_SEG_TEXT].size, 4);
    bh_image_free(&img);
    bh_asm_result_free(&res);
    char *d = expect_fail("nop\n.err\n");
    ck_assert_has(d, "t.s:2:1: error: the file contains an '.err' directive");
    free(d);
}
END_TEST

START_TEST(test_macro_errors)
{
    char *d = expect_fail(".macro m(%a)\nli %a, 1\n.end_macro\nm($t0, $t1)\n");
    ck_assert_has(d, "t.s:4:1: error: no macro 'm' takes 2 arguments");
    free(d);
    d = expect_fail(".macro m\nnop\n");
    ck_assert_has(d, "'.macro' without '.end_macro'");
    free(d);
    /* a parameter as the operator: only in a body, given a name */
    d = expect_fail("%op $t0, 1\n");
    ck_assert_has(d, "t.s:1:1: error: '%op' is a macro parameter: it can stand for an instruction only in a macro's body");
    free(d);
    d = expect_fail(".macro m(%op)\n%op $t0, 1\n.end_macro\nm($t1)\n");
    ck_assert_has(d, "t.s:4:3: error: macro 'm' uses '%op' as an instruction: its argument must be a name");
    free(d);
    d = expect_fail(".macro m(%a)\n%op $t0, %a\n.end_macro\nm(1)\n");
    ck_assert_has(d, "t.s:2:1: error: '%op' is not a parameter of macro 'm'");
    free(d);
    d = expect_fail("jr ($ra)\n");
    ck_assert_has(d, "t.s:1:1: error: 'jr' is an instruction, not a macro: its operands take no parentheses");
    free(d);
    /* a .macro line with a syntax error: one error, not one per body line and call */
    d = expect_fail(".macro m(%a\nli %a, 1\n.end_macro\nm($t0)\n");
    ck_assert_has(d, "t.s:1:12: error: syntax error");
    ck_assert_ptr_null(strstr(d, "t.s:2:"));
    ck_assert_ptr_null(strstr(d, "t.s:3:"));
    ck_assert_ptr_null(strstr(d, "t.s:4:"));
    free(d);
}
END_TEST

Suite *asm_diag_suite(void)
{
    Suite *s = suite_create("asm_diag");
    TCase *t = tcase_create("errors");
    tcase_add_test(t, test_exact_text);
    tcase_add_test(t, test_suggestions_each_name);
    tcase_add_test(t, test_undefined_label);
    tcase_add_test(t, test_duplicate_label_with_note);
    tcase_add_test(t, test_operand_kinds);
    tcase_add_test(t, test_out_of_range);
    tcase_add_test(t, test_branch_too_far);
    tcase_add_test(t, test_jump_out_of_region_warns);
    tcase_add_test(t, test_label_as_opcode);
    tcase_add_test(t, test_misaligned_word_at_address);
    tcase_add_test(t, test_many_errors_one_run);
    tcase_add_test(t, test_data_in_text_errors);
    tcase_add_test(t, test_macro_errors);
    tcase_add_test(t, test_spim_compiler_directives);
    suite_add_tcase(s, t);
    TCase *w = tcase_create("warnings");
    tcase_add_test(w, test_at_warning);
    suite_add_tcase(s, w);
    return s;
}
