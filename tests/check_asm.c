/* check_asm.c: the two passes and the directives: layout, forward
 * references, label+offset, alignment, segments, symbols, line table,
 * entry point and start-up code, .eqv/.macro/.include. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asm_test_util.h"

static const struct bh_symbol *sym(const struct bh_image *img, const char *name)
{
    const struct bh_symbol *s = bh_image_symbol_named(img, name);
    ck_assert_msg(s != NULL, "no symbol %s", name);
    return s;
}

static struct bh_image ok(const char *src)
{
    struct bh_image img;
    struct bh_asm_result res;
    int rc = asm_str(src, &img, &res);
    ck_assert_msg(rc == 0, "'%s' failed:\n%s", src, (char *)res.diag.data);
    bh_asm_result_free(&res);
    return img;
}

START_TEST(test_forward_reference)
{
    /* j to a later label, beq backwards and forwards */
    expect_words("top: beq $t0, $t1, end\n j end\n beq $0, $0, top\nend: nop\n", 4,
                 W_I(ISA_BEQ, 9, 8, 2), W_J(ISA_J, 0x0040000c), W_I(ISA_BEQ, 0, 0, (uint32_t)-3),
                 0u);
}
END_TEST

START_TEST(test_label_offsets)
{
    struct bh_image img = ok(".data\nx: .word 1, 2, 3\n.text\nla $t0, x+8\nla $t1, x-4\nlw $t2, x+4($t3)\n");
    const struct bh_segment *t = &img.seg[BH_SEG_TEXT];
    ck_assert_uint_eq(t->size, 4 * 7);
    /* la builds the upper half in its own register, not $at */
    ck_assert_uint_eq(bh_get32(t->bytes + 0), W_I(ISA_LUI, 8, 0, 0x1001));
    ck_assert_uint_eq(bh_get32(t->bytes + 4), W_I(ISA_ORI, 8, 8, 8));
    ck_assert_uint_eq(bh_get32(t->bytes + 8), W_I(ISA_LUI, 9, 0, 0x1000)); /* x-4 = 0x1000fffc */
    ck_assert_uint_eq(bh_get32(t->bytes + 12), W_I(ISA_ORI, 9, 9, 0xfffc));
    ck_assert_uint_eq(bh_get32(t->bytes + 16), W_I(ISA_LUI, 1, 0, 0x1001));
    ck_assert_uint_eq(bh_get32(t->bytes + 20), W_R(ISA_ADDU, 1, 1, 11, 0));
    ck_assert_uint_eq(bh_get32(t->bytes + 24), W_I(ISA_LW, 10, 1, 4));
    bh_image_free(&img);
}
END_TEST

START_TEST(test_lw_label_carry)
{
    /* the low half is sign-extended by lw: the lui half rounds up */
    expect_words(".data 0x10018000\nx: .word 0\n.text\nlw $t0, x\n", 2, W_I(ISA_LUI, 1, 0, 0x1002),
                 W_I(ISA_LW, 8, 1, 0x8000));
}
END_TEST

START_TEST(test_layout_and_symbols)
{
    struct bh_image img = ok(".globl main\n.text\nmain: nop\nf: jr $ra\n.data\n"
                             "a: .byte 1\nb: .word 2\nc: .half 3\nd: .asciiz \"hi\"\ne: .space 5\nf2: .word 9\n"
                             ".kdata\nkd: .word 7\n.ktext 0x80000180\nhandler: eret\n");
    ck_assert_uint_eq(sym(&img, "a")->value, 0x10010000);
    ck_assert_uint_eq(sym(&img, "b")->value, 0x10010004); /* .word aligns (and moves b) */
    ck_assert_uint_eq(sym(&img, "c")->value, 0x10010008);
    ck_assert_uint_eq(sym(&img, "d")->value, 0x1001000a);
    ck_assert_uint_eq(sym(&img, "e")->value, 0x1001000d);
    ck_assert_uint_eq(sym(&img, "f2")->value, 0x10010014);
    ck_assert_uint_eq(sym(&img, "main")->value, 0x00400024);
    ck_assert_uint_eq(sym(&img, "main")->flags, BH_SYM_GLOBAL);
    ck_assert_uint_eq(sym(&img, "f")->flags, 0);
    ck_assert_uint_eq(sym(&img, "f")->kind, BH_SYM_TEXT);
    ck_assert_uint_eq(sym(&img, "b")->kind, BH_SYM_DATA);
    ck_assert_uint_eq(sym(&img, "kd")->value, 0x90000000);
    ck_assert_uint_eq(sym(&img, "kd")->kind, BH_SYM_KDATA);
    ck_assert_uint_eq(sym(&img, "handler")->value, 0x80000180);
    ck_assert_uint_eq(sym(&img, "handler")->kind, BH_SYM_KTEXT);
    ck_assert_uint_eq(img.seg[BH_SEG_KTEXT].addr, 0x80000180);
    ck_assert_uint_eq(bh_get32(img.seg[BH_SEG_KTEXT].bytes), ISA_ERET_WORD);
    const struct bh_segment *d = &img.seg[BH_SEG_DATA];
    ck_assert_uint_eq(d->size, 0x18);
    ck_assert_uint_eq(d->bytes[0], 1);
    ck_assert_uint_eq(bh_get32(d->bytes + 4), 2);
    ck_assert_uint_eq(bh_get16(d->bytes + 8), 3);
    ck_assert_mem_eq(d->bytes + 10, "hi\0", 3);
    ck_assert_uint_eq(bh_get32(d->bytes + 0x14), 9);
    bh_image_free(&img);
}
END_TEST

START_TEST(test_startup_code)
{
    struct bh_image img = ok("main: li $v0, 10\nsyscall\n");
    ck_assert_uint_eq(img.flags, BH_IMG_STARTUP);
    ck_assert_uint_eq(img.entry, 0x00400000);
    const uint8_t *t = img.seg[BH_SEG_TEXT].bytes;
    ck_assert_uint_eq(img.seg[BH_SEG_TEXT].size, 11 * 4);
    uint32_t want[9] = {W_I(ISA_LW, 4, 29, 0),       W_I(ISA_ADDIU, 5, 29, 4),
                        W_I(ISA_ADDIU, 6, 5, 4),      W_R(ISA_SLL, 2, 0, 4, 2),
                        W_R(ISA_ADDU, 6, 6, 2, 0),    W_J(ISA_JAL, 0x00400024),
                        0,                            W_I(ISA_ORI, 2, 0, 10),
                        W_R(ISA_SYSCALL, 0, 0, 0, 0)};
    for (int i = 0; i < 9; i++)
        ck_assert_uint_eq(bh_get32(t + 4 * i), want[i]);
    ck_assert_uint_eq(bh_get32(t + 36), W_I(ISA_ORI, 2, 0, 10));
    bh_image_free(&img);
}
END_TEST

START_TEST(test_entry_rules)
{
    struct bh_image img = ok("nop\n__start: nop\nmain: nop\n");
    ck_assert_uint_eq(img.flags, 0);
    ck_assert_uint_eq(img.entry, 0x00400004);
    bh_image_free(&img);
    img = ok(".data\n.word 1\n.text\nfoo: nop\n");
    ck_assert_uint_eq(img.flags, 0);
    ck_assert_uint_eq(img.entry, 0x00400000); /* MARS: the first instruction */
    bh_image_free(&img);
}
END_TEST

START_TEST(test_line_table)
{
    struct bh_image img = ok("nop\n\nla $t0, 0x12345678\n.word 5\n");
    ck_assert_uint_eq(img.nlines, 4);
    ck_assert_uint_eq(img.lines[0].line, 1);
    ck_assert_uint_eq(img.lines[0].flags, BH_LINE_STMT);
    ck_assert_uint_eq(img.lines[1].line, 3);
    ck_assert_uint_eq(img.lines[1].addr, 0x00400004);
    ck_assert_uint_eq(img.lines[1].flags, BH_LINE_STMT);
    ck_assert_uint_eq(img.lines[2].line, 3);
    ck_assert_uint_eq(img.lines[2].flags, 0);
    ck_assert_uint_eq(img.lines[3].flags, BH_LINE_STMT | BH_LINE_DATA);
    ck_assert_str_eq(bh_image_str(&img, img.lines[0].file), "t.s");
    ck_assert_str_eq(bh_image_str(&img, img.source), "t.s");
    bh_image_free(&img);
}
END_TEST

START_TEST(test_word_directive)
{
    struct bh_image img = ok(".data\nx: .word 1, -1, 7:3, x, x+4\n.half 0xffff, -2\n.byte 255, -128, 'A'\n.text\nnop\n");
    const uint8_t *d = img.seg[BH_SEG_DATA].bytes;
    uint32_t want[] = {1, 0xffffffff, 7, 7, 7, 0x10010000, 0x10010004};
    for (int i = 0; i < 7; i++)
        ck_assert_uint_eq(bh_get32(d + 4 * i), want[i]);
    ck_assert_uint_eq(bh_get16(d + 28), 0xffff);
    ck_assert_uint_eq(bh_get16(d + 30), 0xfffe);
    ck_assert_uint_eq(d[32], 255);
    ck_assert_uint_eq(d[33], 0x80);
    ck_assert_uint_eq(d[34], 'A');
    bh_image_free(&img);
}
END_TEST

START_TEST(test_ascii_float_space_align)
{
    struct bh_image img = ok(".data\n.ascii \"ab\"\n.asciiz \"c\\n\", \"d\"\n.align 3\nal: .byte 1\n"
                             ".float 1.5\n.double -2.5\n.space 3\n.byte 9\n.text\nnop\n");
    const uint8_t *d = img.seg[BH_SEG_DATA].bytes;
    ck_assert_mem_eq(d, "abc\n\0d\0", 7);
    ck_assert_uint_eq(sym(&img, "al")->value, 0x10010008);
    float f = 1.5f;
    uint32_t fu;
    memcpy(&fu, &f, 4);
    ck_assert_uint_eq(bh_get32(d + 12), fu);
    double g = -2.5;
    uint64_t gu;
    memcpy(&gu, &g, 8);
    ck_assert_uint_eq(bh_get64(d + 16), gu);
    ck_assert_uint_eq(d[24], 0);
    ck_assert_uint_eq(d[27], 9);
    bh_image_free(&img);
}
END_TEST

START_TEST(test_align_zero_disables_auto_align)
{
    struct bh_image img = ok(".data\n.align 0\n.byte 1\nw: .word 2\n.text\nnop\n");
    ck_assert_uint_eq(sym(&img, "w")->value, 0x10010001);
    bh_image_free(&img);
}
END_TEST

START_TEST(test_segment_addresses)
{
    struct bh_image img = ok(".data 0x10000000\na: .word 1\n.text 0x00400100\nnop\n.text\nnop\n");
    ck_assert_uint_eq(img.seg[BH_SEG_DATA].addr, 0x10000000);
    ck_assert_uint_eq(sym(&img, "a")->value, 0x10000000);
    ck_assert_uint_eq(img.seg[BH_SEG_TEXT].addr, 0x00400100);
    ck_assert_uint_eq(img.seg[BH_SEG_TEXT].size, 8);
    ck_assert_uint_eq(img.entry, 0x00400100);
    bh_image_free(&img);
    img = ok(".rdata\nr: .word 1\n.sdata\ns: .word 2\n.text\nnop\n");
    ck_assert_uint_eq(sym(&img, "s")->value, 0x10010004);
    bh_image_free(&img);
}
END_TEST

START_TEST(test_comm_extern)
{
    struct bh_image img = ok(".data\nx: .word 1\n.comm buf, 16\n.lcomm tmp, 4\n.extern ext 8\n.text\nla $t0, buf\n");
    ck_assert_uint_eq(sym(&img, "buf")->value, 0x10010004);
    ck_assert_uint_eq(sym(&img, "buf")->flags, BH_SYM_GLOBAL);
    ck_assert_uint_eq(sym(&img, "tmp")->value, 0x10010014);
    ck_assert_uint_eq(sym(&img, "tmp")->flags, 0);
    ck_assert_uint_eq(sym(&img, "ext")->value, 0x10010018);
    ck_assert_uint_eq(img.seg[BH_SEG_DATA].size, 0x20);
    bh_image_free(&img);
}
END_TEST

START_TEST(test_ignored_directives)
{
    expect_words(".ent f\n.frame $sp, 8, $ra\n.mask 0x80000000, -4\n.fmask 0, 0\n.option pic0\n"
                 ".verstamp 3 0\n.set noreorder\nf: nop\n.end f\n",
                 1, 0u);
}
END_TEST

START_TEST(test_word_in_text)
{
    struct bh_image img = ok("j tab\ntab: .word 0x12345678, tab\nnop\n");
    const uint8_t *t = img.seg[BH_SEG_TEXT].bytes;
    ck_assert_uint_eq(bh_get32(t + 4), 0x12345678);
    ck_assert_uint_eq(bh_get32(t + 8), 0x00400004);
    ck_assert_uint_eq(img.lines[1].flags, BH_LINE_DATA | BH_LINE_STMT);
    ck_assert_uint_eq(img.lines[2].flags, BH_LINE_DATA);
    bh_image_free(&img);
}
END_TEST

START_TEST(test_eqv)
{
    expect_words(".eqv N 5\n.eqv R $t3\n.eqv OFF 8\nli R, N\nlw $t0, OFF($sp)\naddi R, R, N+1\n", 3,
                 W_I(ISA_ORI, 11, 0, 5), W_I(ISA_LW, 8, 29, 8), W_I(ISA_ADDI, 11, 11, 6));
}
END_TEST

START_TEST(test_macro)
{
    /* parameters, and a label unique to each expansion */
    expect_words(".macro down(%r, %n)\nli %r, %n\nloop: addi %r, %r, -1\nbgtz %r, loop\n.end_macro\n"
                 "down($t0, 3)\ndown($t1, 4)\n",
                 6, W_I(ISA_ORI, 8, 0, 3), W_I(ISA_ADDI, 8, 8, (uint32_t)-1),
                 W_I(ISA_BGTZ, 0, 8, (uint32_t)-2), W_I(ISA_ORI, 9, 0, 4),
                 W_I(ISA_ADDI, 9, 9, (uint32_t)-1), W_I(ISA_BGTZ, 0, 9, (uint32_t)-2));
    expect_words(".macro done\nli $v0, 10\nsyscall\n.end_macro\ndone\n", 2, W_I(ISA_ORI, 2, 0, 10),
                 W_R(ISA_SYSCALL, 0, 0, 0, 0));
}
END_TEST

/* The spellings MARS accepts: blanks before the parameter list, parameters
 * without parentheses, "()" for none; calls with or without parentheses,
 * blanks included (MARS strips "(...)" around a call's arguments). */
START_TEST(test_macro_forms)
{
    const uint32_t add_t2 = W_R(ISA_ADD, 10, 8, 9, 0);
    expect_words(".macro sum (%d, %a, %b)\nadd %d, %a, %b\n.end_macro\nsum ($t2, $t0, $t1)\n", 1,
                 add_t2);
    expect_words(".macro sum(%d, %a, %b)\nadd %d, %a, %b\n.end_macro\nsum $t2, $t0, $t1\n", 1, add_t2);
    expect_words(".macro sum %d, %a, %b\nadd %d, %a, %b\n.end_macro\nsum($t2, $t0, $t1)\n", 1, add_t2);
    expect_words(".macro sum %d %a %b\nadd %d, %a, %b\n.end_macro\nL: sum  ( $t2 $t0 $t1 )\n", 1,
                 add_t2);
    expect_words(".macro nl()\nnop\n.end_macro\nnl()\nnl ()\nnl\n", 3, 0u, 0u, 0u);
    /* a parameter in the operator's place (MARS substitutes it anywhere) */
    expect_words(".macro apply(%op, %x)\n%op $a0, %x\n.end_macro\napply(neg, $t0)\napply(li, 4)\n", 2,
                 W_R(ISA_SUB, 4, 0, 8, 0), W_I(ISA_ORI, 4, 0, 4));
}
END_TEST

/* MARS takes mnemonics and directives in any case; labels, registers and
 * macro names keep theirs. */
START_TEST(test_upper_case_mnemonics)
{
    expect_words(".TEXT\nLI $t0, 5\nAddI $t0, $t0, 1\nMove $t1, $t0\n", 3, W_I(ISA_ORI, 8, 0, 5),
                 W_I(ISA_ADDI, 8, 8, 1), W_R(ISA_ADDU, 9, 0, 8, 0));
    expect_words(".MACRO M(%a)\nNOP\n.END_MACRO\nM(1)\nLoop: J Loop\n", 2, 0u, W_J(ISA_J, 0x00400004));
    expect_words(".DATA\nx: .WORD 7\n.TEXT\nLW $t0, x\n", 2, W_I(ISA_LUI, 1, 0, 0x1001),
                 W_I(ISA_LW, 8, 1, 0));
    char *d = expect_fail("Foo $t0\n");
    ck_assert_has(d, "unknown instruction 'Foo'");
    free(d);
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* Macros defined in an included file serve after the .include; an error
 * in an included definition is reported at its own file, line and column,
 * once: the body and the calls of a macro whose .macro line is wrong
 * report nothing more. */
START_TEST(test_include_macros)
{
    char dir[] = "/tmp/bh_incm_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char lib[256], path[256], want[400];
    snprintf(lib, sizeof lib, "%s/lib.asm", dir);
    snprintf(path, sizeof path, "%s/main.asm", dir);
    write_file(lib, ".macro exit (%code)\nli $a0, %code\nli $v0, 17\nsyscall\n.end_macro\n");
    write_file(path, ".include \"lib.asm\"\nexit (3)\n");
    struct bh_image img;
    struct bh_asm_result res = {0};
    ck_assert_int_eq(bh_asm_file(path, 0, &img, &res), 0);
    ck_assert_uint_eq(img.seg[BH_SEG_TEXT].size, 12);
    ck_assert_uint_eq(bh_get32(img.seg[BH_SEG_TEXT].bytes), W_I(ISA_ORI, 4, 0, 3));
    bh_image_free(&img);
    bh_asm_result_free(&res);

    write_file(lib, ".macro exit (%code %x\nli $a0, %code\nsyscall\n.end_macro\n"
                    ".macro two(%a)\nlii $v0, %a\n.end_macro\n");
    write_file(path, ".include \"lib.asm\"\nexit (3)\nexit\ntwo(5)\n");
    memset(&res, 0, sizeof res);
    ck_assert_int_eq(bh_asm_file(path, 0, &img, &res), -1);
    bh_buf_put8(&res.diag, 0);
    const char *d = (const char *)res.diag.data;
    snprintf(want, sizeof want, "%s:1:22: error: syntax error", lib);
    ck_assert_has(d, want);
    snprintf(want, sizeof want, "%s:6:1: error: unknown instruction 'lii'", lib);
    ck_assert_has(d, want);
    ck_assert_int_eq(res.errors, 2); /* no "unknown macro", no ".end_macro without .macro" */
    ck_assert_ptr_null(strstr(d, "unknown macro"));
    bh_asm_result_free(&res);
    unlink(lib);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(test_include)
{
    char dir[] = "/tmp/bh_inc_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256], sub[256];
    snprintf(path, sizeof path, "%s/sub", dir);
    mkdir(path, 0700);
    snprintf(sub, sizeof sub, "%s/sub/defs.s", dir);
    FILE *f = fopen(sub, "w");
    fputs(".eqv TEN 10\nbogus $t0\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/main.s", dir);
    f = fopen(path, "w");
    fputs(".include \"sub/defs.s\"\nli $v0, TEN\n", f);
    fclose(f);
    struct bh_image img;
    struct bh_asm_result res = {0};
    ck_assert_int_eq(bh_asm_file(path, 0, &img, &res), -1);
    bh_buf_put8(&res.diag, 0);
    /* the diagnostic names the included file and its line */
    char want[300];
    snprintf(want, sizeof want, "%s/sub/defs.s:2:1: error: unknown instruction 'bogus'", dir);
    ck_assert_has((char *)res.diag.data, want);
    bh_asm_result_free(&res);
    f = fopen(sub, "w");
    fputs(".eqv TEN 10\n", f);
    fclose(f);
    memset(&res, 0, sizeof res);
    ck_assert_int_eq(bh_asm_file(path, 0, &img, &res), 0);
    ck_assert_uint_eq(bh_get32(img.seg[BH_SEG_TEXT].bytes), W_I(ISA_ORI, 2, 0, 10));
    bh_image_free(&img);
    bh_asm_result_free(&res);
    unlink(sub);
    unlink(path);
    snprintf(path, sizeof path, "%s/sub", dir);
    rmdir(path);
    rmdir(dir);
}
END_TEST

START_TEST(test_snapshot_strings_first)
{
    struct bh_image img = ok("main: nop\nSNAPSHOT snapshot_vm1.bin\nSNAPSHOT \"b.bin\"\nSNAPSHOT snapshot_vm1.bin\n");
    const uint8_t *t = img.seg[BH_SEG_TEXT].bytes + 36;
    uint32_t w1 = bh_get32(t + 4), w2 = bh_get32(t + 8), w3 = bh_get32(t + 12);
    ck_assert_int_eq(isa_decode(w1), ISA_SNAPSHOT);
    ck_assert_uint_eq(ISA_IMM(w1), 1); /* right after the empty string */
    ck_assert_str_eq(bh_image_str(&img, ISA_IMM(w1)), "snapshot_vm1.bin");
    ck_assert_str_eq(bh_image_str(&img, ISA_IMM(w2)), "b.bin");
    ck_assert_uint_eq(ISA_IMM(w3), ISA_IMM(w1));
    bh_image_free(&img);
}
END_TEST

START_TEST(test_original_tool_file)
{
    expect_words("add $4,$7,$6\nor $11,$4,100\nDUMP_PROCESSOR_STATE\n", 3, W_R(ISA_ADD, 4, 7, 6, 0),
                 W_I(ISA_ORI, 11, 4, 100), W_R(ISA_DUMP_PROCESSOR_STATE, 0, 0, 0, 0));
}
END_TEST

START_TEST(test_listing)
{
    struct bh_image img;
    struct bh_asm_result res;
    ck_assert_int_eq(asm_str("  li $t0, 0x12345678\n", &img, &res), 0);
    bh_buf_put8(&res.listing, 0);
    ck_assert_str_eq((char *)res.listing.data, "0x00400000  0x3c081234  li $t0, 0x12345678\n"
                                               "0x00400004  0x35085678  \n");
    bh_image_free(&img);
    bh_asm_result_free(&res);
}
END_TEST

START_TEST(test_many_labels)
{
    /* the hash table grows past its first size */
    struct bh_buf src = {0};
    for (int i = 0; i < 5000; i++)
        bh_buf_printf(&src, "L%d: beq $0, $0, L%d\n", i, (i * 7) % 5000);
    bh_buf_put8(&src, 0);
    struct bh_image img = ok((char *)src.data);
    ck_assert_uint_eq(img.nsymbols, 5000);
    ck_assert_uint_eq(sym(&img, "L4999")->value, 0x00400000 + 4 * 4999);
    uint32_t w = bh_get32(img.seg[BH_SEG_TEXT].bytes + 4 * 1);
    ck_assert_int_eq(ISA_SIMM(w), 7 - 1 - 1);
    bh_image_free(&img);
    bh_buf_free(&src);
}
END_TEST

Suite *asm_suite(void)
{
    Suite *s = suite_create("asm");
    TCase *p = tcase_create("passes");
    tcase_add_test(p, test_forward_reference);
    tcase_add_test(p, test_label_offsets);
    tcase_add_test(p, test_lw_label_carry);
    tcase_add_test(p, test_layout_and_symbols);
    tcase_add_test(p, test_startup_code);
    tcase_add_test(p, test_entry_rules);
    tcase_add_test(p, test_line_table);
    tcase_add_test(p, test_listing);
    tcase_add_test(p, test_many_labels);
    suite_add_tcase(s, p);
    TCase *d = tcase_create("directives");
    tcase_add_test(d, test_word_directive);
    tcase_add_test(d, test_ascii_float_space_align);
    tcase_add_test(d, test_align_zero_disables_auto_align);
    tcase_add_test(d, test_segment_addresses);
    tcase_add_test(d, test_comm_extern);
    tcase_add_test(d, test_ignored_directives);
    tcase_add_test(d, test_word_in_text);
    tcase_add_test(d, test_snapshot_strings_first);
    tcase_add_test(d, test_original_tool_file);
    suite_add_tcase(s, d);
    TCase *m = tcase_create("mars");
    tcase_add_test(m, test_eqv);
    tcase_add_test(m, test_macro);
    tcase_add_test(m, test_macro_forms);
    tcase_add_test(m, test_upper_case_mnemonics);
    tcase_add_test(m, test_include_macros);
    tcase_add_test(m, test_include);
    suite_add_tcase(s, m);
    return s;
}
