/* check_lexer.c: the re2c scanner alone: token kinds and values, escapes,
 * CRLF, any bytes in comments and strings, located errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"
#include "parser.h"

struct tok {
    int kind;
    int64_t num;
    int reg;
    double fnum;
    char str[64];
    size_t slen;
    int line, col;
};

struct lexrun {
    struct asm_ctx c;
    struct bh_asm_result res;
    struct tok t[64];
    int n;
};

static void lex_all(struct lexrun *r, const char *src, size_t len)
{
    memset(r, 0, sizeof *r);
    r->c.res = &r->res;
    int f = asm_add_file(&r->c, "l.s", src, len);
    ck_assert_int_eq(f, 0);
    struct asm_parse p;
    memset(&p, 0, sizeof p);
    p.c = &r->c;
    p.buf = r->c.files[0].buf;
    p.end = p.buf + r->c.files[0].len;
    p.cur = p.lstart = p.buf;
    p.line = 1;
    p.prev = NEWLINE;
    for (;;) {
        ASM_YYSTYPE v;
        ASM_YYLTYPE l;
        memset(&v, 0, sizeof v);
        int k = asm_yylex(&v, &l, &p);
        ck_assert_int_lt(r->n, 64);
        struct tok *t = &r->t[r->n++];
        t->kind = k;
        t->line = l.first_line;
        t->col = l.first_column;
        if (k == INT || k == NEGINT)
            t->num = v.num;
        if (k == REG || k == FREG)
            t->reg = v.reg;
        if (k == FLOAT)
            t->fnum = v.fnum;
        if (k == IDENT || k == ARG || k == MCALL) {
            snprintf(t->str, sizeof t->str, "%s", v.str);
            free(v.str);
        }
        if (k == STRING) {
            t->slen = v.bytes.n;
            memcpy(t->str, v.bytes.p, v.bytes.n < 63 ? v.bytes.n : 63);
            free(v.bytes.p);
        }
        if (k == END)
            break;
    }
}

static void lexrun_free(struct lexrun *r)
{
    asm_diag_flush(&r->c);
    bh_buf_free(&r->c.dtext);
    free(r->c.drec);
    for (int i = 0; i < r->c.nfiles; i++) {
        free(r->c.files[i].buf);
        free(r->c.files[i].lines);
    }
    free(r->c.files);
    asm_arena_free(&r->c.arena);
    bh_asm_result_free(&r->res);
}

static char *diag(struct lexrun *r)
{
    asm_diag_flush(&r->c);
    bh_buf_put8(&r->res.diag, 0);
    return (char *)r->res.diag.data;
}

START_TEST(test_instruction_tokens)
{
    struct lexrun r;
    const char *s = "loop: addiu $t0, $8, -12 # comment\n";
    lex_all(&r, s, strlen(s));
    int kinds[] = {IDENT, ':', IDENT, REG, ',', REG, ',', NEGINT, NEWLINE, END};
    ck_assert_int_eq(r.n, 10);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(r.t[i].kind, kinds[i]);
    ck_assert_str_eq(r.t[0].str, "loop");
    ck_assert_str_eq(r.t[2].str, "addiu");
    ck_assert_int_eq(r.t[3].reg, 8);
    ck_assert_int_eq(r.t[5].reg, 8);
    ck_assert_int_eq(r.t[7].num, -12);
    ck_assert_int_eq(r.t[2].col, 7);
    ck_assert_int_eq(r.res.errors, 0);
    lexrun_free(&r);
}
END_TEST

START_TEST(test_registers)
{
    struct lexrun r;
    const char *s = "$zero $at $v0 $a3 $t9 $s8 $fp $sp $ra $31 $k0 $gp";
    int want[] = {0, 1, 2, 7, 25, 30, 30, 29, 31, 31, 26, 28};
    lex_all(&r, s, strlen(s));
    for (int i = 0; i < 12; i++) {
        ck_assert_int_eq(r.t[i].kind, REG);
        ck_assert_int_eq(r.t[i].reg, want[i]);
    }
    lexrun_free(&r);
}
END_TEST

START_TEST(test_bad_register)
{
    struct lexrun r;
    const char *s = "add $t0, $t10, $t1\n";
    lex_all(&r, s, strlen(s));
    ck_assert_int_eq(r.t[3].kind, BAD);
    ck_assert_int_eq(r.res.errors, 1);
    ck_assert_str_eq(diag(&r), "l.s:1:10: error: unknown register '$t10'\n"
                               "add $t0, $t10, $t1\n"
                               "         ^\n");
    lexrun_free(&r);
}
END_TEST

START_TEST(test_integers)
{
    struct lexrun r;
    const char *s = "0 42 0x1F -7 0xffffffff -0x10 'a' '\\n' '\\t' '\\\\' '\\'' '\\0'";
    int64_t want[] = {0, 42, 31, -7, 0xffffffffll, -16, 'a', '\n', '\t', '\\', '\'', 0};
    lex_all(&r, s, strlen(s));
    for (int i = 0; i < 12; i++) {
        ck_assert_msg(r.t[i].kind == INT || r.t[i].kind == NEGINT, "token %d", i);
        ck_assert_int_eq(r.t[i].num, want[i]);
    }
    ck_assert_int_eq(r.res.errors, 0);
    lexrun_free(&r);
}
END_TEST

START_TEST(test_minus_after_value_subtracts)
{
    struct lexrun r;
    const char *s = "label-4 label -4";
    lex_all(&r, s, strlen(s));
    ck_assert_int_eq(r.t[0].kind, IDENT);
    ck_assert_int_eq(r.t[1].kind, '-');
    ck_assert_int_eq(r.t[2].kind, INT);
    ck_assert_int_eq(r.t[3].kind, IDENT);
    ck_assert_int_eq(r.t[4].kind, NEGINT);
    lexrun_free(&r);
}
END_TEST

START_TEST(test_integer_too_big)
{
    struct lexrun r;
    const char *s = "li $t0, 0x100000000\n";
    lex_all(&r, s, strlen(s));
    ck_assert_int_eq(r.res.errors, 1);
    ck_assert_ptr_nonnull(strstr(diag(&r), "does not fit in 32 bits"));
    lexrun_free(&r);
}
END_TEST

START_TEST(test_string_escapes)
{
    struct lexrun r;
    const char s[] = "\"a\\n\\t\\\"\\\\\\0\\r\\x41\\101z\"";
    lex_all(&r, s, sizeof s - 1);
    ck_assert_int_eq(r.t[0].kind, STRING);
    const char want[] = "a\n\t\"\\\0\rAAz";
    ck_assert_uint_eq(r.t[0].slen, sizeof want - 1);
    ck_assert_mem_eq(r.t[0].str, want, sizeof want - 1);
    ck_assert_int_eq(r.res.errors, 0);
    lexrun_free(&r);
}
END_TEST

START_TEST(test_string_any_bytes)
{
    struct lexrun r;
    const char s[] = "\"\xc3\xa9\xff\x01\" x";
    lex_all(&r, s, sizeof s - 1);
    ck_assert_int_eq(r.t[0].kind, STRING);
    ck_assert_uint_eq(r.t[0].slen, 4);
    ck_assert_mem_eq(r.t[0].str, "\xc3\xa9\xff\x01", 4);
    ck_assert_int_eq(r.t[1].kind, IDENT);
    lexrun_free(&r);
}
END_TEST

START_TEST(test_bad_escape)
{
    struct lexrun r;
    const char *s = ".asciiz \"ab\\qc\"\n";
    lex_all(&r, s, strlen(s));
    ck_assert_int_eq(r.t[1].kind, BAD);
    ck_assert_str_eq(diag(&r), "l.s:1:12: error: bad escape '\\q'\n"
                               ".asciiz \"ab\\qc\"\n"
                               "           ^\n");
    lexrun_free(&r);
}
END_TEST

START_TEST(test_unterminated_string)
{
    struct lexrun r;
    const char *s = "la $a0, \"abc\nnop\n";
    lex_all(&r, s, strlen(s));
    ck_assert_int_eq(r.t[3].kind, BAD);
    ck_assert_int_eq(r.t[4].kind, NEWLINE); /* the next line still lexes */
    ck_assert_int_eq(r.t[5].kind, IDENT);
    ck_assert_int_eq(r.t[5].line, 2);
    ck_assert_str_eq(diag(&r), "l.s:1:9: error: unterminated string\n"
                               "la $a0, \"abc\n"
                               "        ^\n");
    lexrun_free(&r);
}
END_TEST

START_TEST(test_crlf_and_tabs)
{
    struct lexrun r;
    const char *s = "\tli\t$v0,\t10\r\nsyscall\r\n";
    lex_all(&r, s, strlen(s));
    int kinds[] = {IDENT, REG, ',', INT, NEWLINE, IDENT, NEWLINE, END};
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(r.t[i].kind, kinds[i]);
    ck_assert_int_eq(r.t[5].line, 2);
    ck_assert_int_eq(r.t[5].col, 1);
    lexrun_free(&r);
}
END_TEST

START_TEST(test_comment_bytes)
{
    struct lexrun r;
    /* UTF-8, invalid UTF-8 and a NUL byte inside a comment */
    const char s[] = "nop # caf\xc3\xa9 \xff\xfe \0 still comment\nnop";
    lex_all(&r, s, sizeof s - 1);
    int kinds[] = {IDENT, NEWLINE, IDENT, NEWLINE, END};
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(r.t[i].kind, kinds[i]);
    ck_assert_int_eq(r.res.errors, 0);
    lexrun_free(&r);
}
END_TEST

START_TEST(test_last_line_without_newline)
{
    struct lexrun r;
    lex_all(&r, "nop", 3);
    ck_assert_int_eq(r.t[0].kind, IDENT);
    ck_assert_int_eq(r.t[1].kind, NEWLINE);
    ck_assert_int_eq(r.t[2].kind, END);
    lexrun_free(&r);
}
END_TEST

START_TEST(test_macro_tokens)
{
    struct lexrun r;
    const char *s = ".macro print(%x)\nprint($t0)\nlw $t0, lab($t1)\n";
    lex_all(&r, s, strlen(s));
    ck_assert_int_eq(r.t[0].kind, IDENT);
    ck_assert_int_eq(r.t[1].kind, MCALL);
    ck_assert_str_eq(r.t[1].str, "print");
    ck_assert_int_eq(r.t[3].kind, ARG);
    ck_assert_str_eq(r.t[3].str, "%x");
    ck_assert_int_eq(r.t[6].kind, MCALL); /* print( at the start of a line */
    /* "lab(" after an operand is a label, not a call */
    ck_assert_int_eq(r.t[14].kind, IDENT);
    ck_assert_str_eq(r.t[14].str, "lab");
    lexrun_free(&r);
}
END_TEST

START_TEST(test_snapshot_path)
{
    struct lexrun r;
    const char *s = "SNAPSHOT dir/snap_1.bin # c\nSNAPSHOT \"a b.bin\"\n";
    lex_all(&r, s, strlen(s));
    ck_assert_int_eq(r.t[0].kind, IDENT);
    ck_assert_int_eq(r.t[1].kind, STRING);
    ck_assert_str_eq(r.t[1].str, "dir/snap_1.bin");
    ck_assert_int_eq(r.t[4].kind, STRING);
    ck_assert_str_eq(r.t[4].str, "a b.bin");
    lexrun_free(&r);
}
END_TEST

START_TEST(test_floats)
{
    struct lexrun r;
    const char *s = ".float 1.5, -2.25e1 3e2";
    lex_all(&r, s, strlen(s));
    ck_assert_int_eq(r.t[1].kind, FLOAT);
    ck_assert_int_eq(r.t[3].kind, FLOAT);
    ck_assert_int_eq(r.t[4].kind, FLOAT);
    lexrun_free(&r);
}
END_TEST

START_TEST(test_fp_registers)
{
    struct lexrun r;
    /* $f0..$f31 are FP registers; $fp stays the frame pointer */
    const char *s = "$f0 $f1 $f31 $f07 $fp $f2";
    lex_all(&r, s, strlen(s));
    int kind[] = {FREG, FREG, FREG, FREG, REG, FREG};
    int want[] = {0, 1, 31, 7, 30, 2};
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(r.t[i].kind, kind[i]);
        ck_assert_int_eq(r.t[i].reg, want[i]);
    }
    ck_assert_int_eq(r.res.errors, 0);
    lexrun_free(&r);
}
END_TEST

START_TEST(test_bad_fp_register)
{
    struct lexrun r;
    const char *s = "add.s $f0 $f32 $f1\n";
    lex_all(&r, s, strlen(s));
    ck_assert_int_eq(r.t[2].kind, BAD);
    ck_assert_str_eq(diag(&r), "l.s:1:11: error: unknown register '$f32' (FP registers are $f0 to $f31)\n"
                               "add.s $f0 $f32 $f1\n"
                               "          ^\n");
    lexrun_free(&r);
    s = "$f100 $fx\n";
    lex_all(&r, s, strlen(s));
    ck_assert_int_eq(r.t[0].kind, BAD);
    ck_assert_int_eq(r.t[1].kind, BAD); /* "$fx": not a register of either kind */
    lexrun_free(&r);
}
END_TEST

START_TEST(test_float_forms)
{
    struct lexrun r;
    /* 1.5 and 1e10 (SPIM's and MARS's), .5 and 1. (MARS's), exponents either case */
    const char *s = "1.5 1e10 1E-2 .5 1. -.25 2.5e+3 0.5:3";
    lex_all(&r, s, strlen(s));
    double want[] = {1.5, 1e10, 1e-2, 0.5, 1.0, -0.25, 2.5e3, 0.5};
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(r.t[i].kind, FLOAT);
        ck_assert_double_eq(r.t[i].fnum, want[i]);
    }
    ck_assert_int_eq(r.t[8].kind, ':');
    ck_assert_int_eq(r.t[9].kind, INT);
    lexrun_free(&r);
    s = ".float .data .5x";
    lex_all(&r, s, strlen(s));
    ck_assert_int_eq(r.t[0].kind, IDENT); /* directives stay identifiers */
    ck_assert_int_eq(r.t[1].kind, IDENT);
    ck_assert_int_eq(r.t[2].kind, IDENT); /* the longest match: a name */
    lexrun_free(&r);
}
END_TEST

START_TEST(test_unexpected_character)
{
    struct lexrun r;
    const char *s = "add $t0, $t1 @ 3\n";
    lex_all(&r, s, strlen(s));
    ck_assert_ptr_nonnull(strstr(diag(&r), "l.s:1:14: error: unexpected character '@'"));
    lexrun_free(&r);
}
END_TEST

Suite *lexer_suite(void)
{
    Suite *s = suite_create("lexer");
    TCase *t = tcase_create("tokens");
    tcase_add_test(t, test_instruction_tokens);
    tcase_add_test(t, test_registers);
    tcase_add_test(t, test_bad_register);
    tcase_add_test(t, test_integers);
    tcase_add_test(t, test_minus_after_value_subtracts);
    tcase_add_test(t, test_integer_too_big);
    tcase_add_test(t, test_floats);
    tcase_add_test(t, test_macro_tokens);
    tcase_add_test(t, test_snapshot_path);
    tcase_add_test(t, test_unexpected_character);
    tcase_add_test(t, test_fp_registers);
    tcase_add_test(t, test_bad_fp_register);
    tcase_add_test(t, test_float_forms);
    suite_add_tcase(s, t);
    TCase *e = tcase_create("strings");
    tcase_add_test(e, test_string_escapes);
    tcase_add_test(e, test_string_any_bytes);
    tcase_add_test(e, test_bad_escape);
    tcase_add_test(e, test_unterminated_string);
    suite_add_tcase(s, e);
    TCase *l = tcase_create("lines");
    tcase_add_test(l, test_crlf_and_tabs);
    tcase_add_test(l, test_comment_bytes);
    tcase_add_test(l, test_last_line_without_newline);
    suite_add_tcase(s, l);
    return s;
}
