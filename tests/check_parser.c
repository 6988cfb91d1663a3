/* check_parser.c: the bison grammar alone: the statements it builds,
 * operand forms, and recovery at the end of a line (every syntax error of
 * a file in one run). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

struct prun {
    struct asm_ctx c;
    struct bh_asm_result res;
    struct asm_stmts st;
};

static void parse(struct prun *r, const char *src)
{
    memset(r, 0, sizeof *r);
    r->c.res = &r->res;
    ck_assert_int_eq(asm_add_file(&r->c, "p.s", src, strlen(src)), 0);
    asm_parse_file(&r->c, 0, &r->st);
    asm_diag_flush(&r->c);
    bh_buf_put8(&r->res.diag, 0);
}

static void prun_free(struct prun *r)
{
    free(r->st.v);
    bh_buf_free(&r->c.dtext);
    free(r->c.drec);
    free(r->c.files[0].buf);
    free(r->c.files[0].lines);
    free(r->c.files);
    asm_arena_free(&r->c.arena);
    bh_asm_result_free(&r->res);
}

START_TEST(test_statements)
{
    struct prun r;
    parse(&r, "main: L2: addi $t0, $t1, -4\n\n  .word 1, lab+8, 3:2 # c\n\tsyscall\n");
    ck_assert_int_eq(r.res.errors, 0);
    ck_assert_uint_eq(r.st.n, 5);
    ck_assert_int_eq(r.st.v[0].kind, STMT_LABEL);
    ck_assert_str_eq(r.st.v[0].name, "main");
    ck_assert_int_eq(r.st.v[1].kind, STMT_LABEL);
    ck_assert_str_eq(r.st.v[1].name, "L2");
    const struct asm_stmt *a = &r.st.v[2];
    ck_assert_int_eq(a->kind, STMT_OP);
    ck_assert_str_eq(a->name, "addi");
    ck_assert_int_eq(a->line, 1);
    ck_assert_int_eq(a->col, 11);
    ck_assert_int_eq(a->nops, 3);
    ck_assert_int_eq(a->ops[0].kind, OPND_REG);
    ck_assert_int_eq(a->ops[0].reg, 8);
    ck_assert_int_eq(a->ops[2].kind, OPND_EXPR);
    ck_assert_int_eq(a->ops[2].e.val, -4);
    ck_assert_ptr_null(a->ops[2].e.sym);
    const struct asm_stmt *w = &r.st.v[3];
    ck_assert_str_eq(w->name, ".word");
    ck_assert_int_eq(w->line, 3);
    ck_assert_int_eq(w->nops, 3);
    ck_assert_str_eq(w->ops[1].e.sym, "lab");
    ck_assert_int_eq(w->ops[1].e.val, 8);
    ck_assert_int_eq(w->ops[2].has_count, 1);
    ck_assert_int_eq(w->ops[2].e.val, 3);
    ck_assert_int_eq(w->ops[2].count.val, 2);
    ck_assert_str_eq(r.st.v[4].name, "syscall");
    ck_assert_int_eq(r.st.v[4].nops, 0);
    prun_free(&r);
}
END_TEST

START_TEST(test_memory_operands)
{
    struct prun r;
    parse(&r, "lw $t0, 4($sp)\nlw $t0, ($sp)\nlw $t0, lab-4($t1)\nlw $t0 lab\nlw $t0, -8 ($sp)\n");
    ck_assert_int_eq(r.res.errors, 0);
    ck_assert_uint_eq(r.st.n, 5);
    const struct asm_opnd *o = &r.st.v[0].ops[1];
    ck_assert_int_eq(o->kind, OPND_MEM);
    ck_assert_int_eq(o->reg, 29);
    ck_assert_int_eq(o->e.val, 4);
    o = &r.st.v[1].ops[1];
    ck_assert_int_eq(o->kind, OPND_MEM);
    ck_assert_int_eq(o->e.val, 0);
    o = &r.st.v[2].ops[1];
    ck_assert_int_eq(o->kind, OPND_MEM);
    ck_assert_str_eq(o->e.sym, "lab");
    ck_assert_int_eq(o->e.val, -4);
    ck_assert_int_eq(o->reg, 9);
    ck_assert_int_eq(r.st.v[3].nops, 2); /* commas are optional */
    ck_assert_int_eq(r.st.v[3].ops[1].kind, OPND_EXPR);
    ck_assert_int_eq(r.st.v[4].ops[1].kind, OPND_MEM);
    ck_assert_int_eq(r.st.v[4].ops[1].e.val, -8);
    prun_free(&r);
}
END_TEST

START_TEST(test_fp_operands)
{
    struct prun r;
    parse(&r, "add.s $f0, $f1 $f31\nlwc1 $f2, -4($sp)\nc.eq.d 3, $f0, $f2\n.double 1.5:2, 2\n");
    ck_assert_int_eq(r.res.errors, 0);
    ck_assert_uint_eq(r.st.n, 4);
    const struct asm_stmt *a = &r.st.v[0];
    ck_assert_str_eq(a->name, "add.s");
    ck_assert_int_eq(a->nops, 3);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(a->ops[i].kind, OPND_FREG);
    ck_assert_int_eq(a->ops[0].reg, 0);
    ck_assert_int_eq(a->ops[2].reg, 31);
    ck_assert_int_eq(a->ops[2].col, 16);
    const struct asm_stmt *l = &r.st.v[1];
    ck_assert_int_eq(l->ops[0].kind, OPND_FREG);
    ck_assert_int_eq(l->ops[1].kind, OPND_MEM);
    ck_assert_int_eq(l->ops[1].reg, 29);
    const struct asm_stmt *c = &r.st.v[2];
    ck_assert_int_eq(c->nops, 3);
    ck_assert_int_eq(c->ops[0].kind, OPND_EXPR);
    ck_assert_int_eq(c->ops[0].e.val, 3);
    const struct asm_stmt *d = &r.st.v[3];
    ck_assert_int_eq(d->ops[0].kind, OPND_FLOAT);
    ck_assert_int_eq(d->ops[0].has_count, 1);
    ck_assert_int_eq(d->ops[0].count.val, 2);
    ck_assert_int_eq(d->ops[1].kind, OPND_EXPR);
    prun_free(&r);
    /* an FP register is no base register */
    parse(&r, "lwc1 $f0, 4($f1)\n");
    ck_assert_int_eq(r.res.errors, 1);
    prun_free(&r);
}
END_TEST

START_TEST(test_strings_and_macros)
{
    struct prun r;
    parse(&r, ".asciiz \"hi\\n\"\n.macro m(%a, %b)\nm($t0, 5)\nSNAPSHOT snap.bin\n");
    ck_assert_int_eq(r.res.errors, 0);
    ck_assert_uint_eq(r.st.n, 4);
    ck_assert_int_eq(r.st.v[0].ops[0].kind, OPND_STR);
    ck_assert_uint_eq(r.st.v[0].ops[0].slen, 3);
    const struct asm_stmt *m = &r.st.v[1];
    ck_assert_str_eq(m->name, ".macro");
    ck_assert_int_eq(m->nops, 3);
    ck_assert_str_eq(m->ops[0].e.sym, "m");
    ck_assert_str_eq(m->ops[1].e.sym, "%a");
    ck_assert_str_eq(m->ops[2].e.sym, "%b");
    ck_assert_int_eq(r.st.v[2].kind, STMT_CALL);
    ck_assert_int_eq(r.st.v[2].nops, 2);
    ck_assert_int_eq(r.st.v[3].ops[0].kind, OPND_STR);
    ck_assert_str_eq(r.st.v[3].ops[0].str, "snap.bin");
    prun_free(&r);
}
END_TEST

START_TEST(test_recovery_reports_every_line)
{
    struct prun r;
    parse(&r, "add $t0, , $t1\nok: nop\nlw $t0, 4(\n: nop\nli $t0 5\n");
    ck_assert_int_eq(r.res.errors, 3);
    const char *d = (const char *)r.res.diag.data;
    ck_assert_ptr_nonnull(strstr(d, "p.s:1:10: error: syntax error, unexpected ','"));
    ck_assert_ptr_nonnull(strstr(d, "p.s:3:"));
    ck_assert_ptr_nonnull(strstr(d, "p.s:4:1: error: syntax error, unexpected ':'"));
    /* the good lines survive; the bad lines leave no statement */
    ck_assert_uint_eq(r.st.n, 3);
    ck_assert_str_eq(r.st.v[0].name, "ok");
    ck_assert_str_eq(r.st.v[1].name, "nop");
    ck_assert_str_eq(r.st.v[2].name, "li");
    prun_free(&r);
}
END_TEST

START_TEST(test_error_keeps_labels_of_line)
{
    struct prun r;
    parse(&r, "here: add $t0 $t1 )\n");
    ck_assert_int_eq(r.res.errors, 1);
    ck_assert_uint_eq(r.st.n, 1);
    ck_assert_int_eq(r.st.v[0].kind, STMT_LABEL);
    prun_free(&r);
}
END_TEST

START_TEST(test_caret_line)
{
    struct prun r;
    parse(&r, "\tadd $t0, $t1,, $t2\n");
    ck_assert_str_eq((const char *)r.res.diag.data,
                     "p.s:1:15: error: syntax error, unexpected ','\n"
                     "\tadd $t0, $t1,, $t2\n"
                     "\t             ^\n");
    prun_free(&r);
}
END_TEST

Suite *parser_suite(void)
{
    Suite *s = suite_create("parser");
    TCase *t = tcase_create("statements");
    tcase_add_test(t, test_statements);
    tcase_add_test(t, test_memory_operands);
    tcase_add_test(t, test_fp_operands);
    tcase_add_test(t, test_strings_and_macros);
    suite_add_tcase(s, t);
    TCase *e = tcase_create("recovery");
    tcase_add_test(e, test_recovery_reports_every_line);
    tcase_add_test(e, test_error_keeps_labels_of_line);
    tcase_add_test(e, test_caret_line);
    suite_add_tcase(s, e);
    return s;
}
