/* check_debug.c: a debugger's breakpoints and watchpoints in the core
 * and the memory (include/vm.h's bh_vm_break, bh_vm_watch): where a run
 * stops (before the instruction, pc at it, not counted), stepping over
 * a hit, superinstructions split under a breakpoint, the tally's
 * re-decode and a store into text keeping it, and removal. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "asm_test_util.h"
#include "babyasm.h"
#include "image.h"
#include "vm.h"
#include "mem/mem.h"

static const char *prog = "        .text\n"
                          "main:   li $t0, 0\n"
                          "loop:   addiu $t0, $t0, 1\n"
                          "in:     slti $t1, $t0, 10\n"
                          "        bne $t1, $zero, loop\n"
                          "st:     sw $t0, val\n"
                          "ld:     lw $t2, val\n"
                          "        li $v0, 10\n"
                          "        syscall\n"
                          "        .data\n"
                          "pad:    .word 7\n"
                          "val:    .word 0\n";

static struct bh_image img;
static struct bh_asm_result res;
static struct bh_vm *vm;

static uint32_t sym(const char *name)
{
    const struct bh_symbol *s = bh_image_symbol_named(&img, name);
    ck_assert_msg(s != NULL, "no symbol %s", name);
    return s->value;
}

static void setup(void)
{
    ck_assert_int_eq(asm_str(prog, &img, &res), 0);
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    char err[256];
    ck_assert_msg(bh_vm_create(&img, &o, &vm, err, sizeof err) == 0, "%s", err);
}

static void teardown(void)
{
    bh_vm_destroy(vm);
    bh_image_free(&img);
    bh_asm_result_free(&res);
}

static void run(struct bh_exit *ex)
{
    for (int i = 0; i < 1000; i++) {
        bh_vm_run(vm, 1000, ex);
        if (ex->kind != BH_EXIT_BUDGET)
            return;
    }
    ck_abort_msg("the program did not stop");
}

static uint32_t word_at(uint32_t a)
{
    uint32_t v;
    ck_assert_int_eq(bh_vm_read(vm, a, &v, 4), 0);
    return v;
}

START_TEST(break_stops_before_the_instruction)
{
    struct bh_exit ex;
    ck_assert_int_eq(bh_vm_break(vm, sym("in"), 1), 0);
    uint64_t first = 0;
    for (int round = 1; round <= 3; round++) {
        run(&ex);
        ck_assert_int_eq(ex.kind, BH_EXIT_DEBUG);
        ck_assert_int_eq(ex.code, BH_DEBUG_BREAK);
        ck_assert_uint_eq(ex.pc, sym("in"));
        ck_assert_uint_eq(bh_vm_pc(vm), sym("in"));
        ck_assert_int_eq(bh_vm_reg(vm, 8), round); /* addiu ran, slti not */
        if (round == 1)
            first = bh_vm_icount(vm);
        ck_assert_uint_eq(bh_vm_icount(vm), first + 3u * (round - 1u));
        bh_vm_step(vm, &ex); /* over the breakpoint: slti runs once */
        ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
        ck_assert_uint_eq(bh_vm_pc(vm), sym("in") + 4);
        ck_assert_int_eq(bh_vm_reg(vm, 9), 1);
    }
    ck_assert_int_eq(bh_vm_break(vm, sym("in"), 0), 0);
    run(&ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(bh_vm_reg(vm, 8), 10);
    /* from the first stop: the loop's 3 * 10 - 1 left, sw and lw (2 each), li, syscall */
    ck_assert_uint_eq(bh_vm_icount(vm), first + 29u + 6u);
}
END_TEST

START_TEST(break_on_a_branch_target_and_refused_outside_text)
{
    struct bh_exit ex;
    ck_assert_int_eq(bh_vm_break(vm, sym("loop"), 1), 0);
    ck_assert_int_eq(bh_vm_break(vm, sym("loop"), 1), 0); /* twice: one */
    run(&ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_DEBUG);
    ck_assert_uint_eq(ex.pc, sym("loop"));
    ck_assert_int_eq(bh_vm_reg(vm, 8), 0);
    bh_vm_step(vm, &ex);
    run(&ex); /* the taken branch comes back to it */
    ck_assert_int_eq(ex.kind, BH_EXIT_DEBUG);
    ck_assert_uint_eq(ex.pc, sym("loop"));
    ck_assert_int_eq(bh_vm_reg(vm, 8), 1);
    ck_assert_int_eq(bh_vm_break(vm, sym("val"), 1), -1);
    ck_assert_int_eq(bh_vm_break(vm, sym("loop") + 2, 1), -1);
    ck_assert_int_eq(bh_vm_break(vm, 0x00300000, 1), -1);
}
END_TEST

START_TEST(break_survives_the_tally)
{
    struct bh_exit ex;
    ck_assert_int_eq(bh_vm_break(vm, sym("st"), 1), 0);
    ck_assert_int_eq(bh_vm_tally(vm), 0); /* decodes everything again */
    run(&ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_DEBUG);
    ck_assert_uint_eq(ex.pc, sym("st"));
    ck_assert_int_eq(bh_vm_reg(vm, 8), 10);
    /* nothing stored yet */
    ck_assert_uint_eq(word_at(sym("val")), 0);
}
END_TEST

START_TEST(watch_write_stops_before_the_store)
{
    struct bh_exit ex;
    ck_assert_int_eq(bh_vm_watch(vm, sym("val"), 4, BH_WATCH_WRITE, 1), 0);
    run(&ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_DEBUG);
    ck_assert_int_eq(ex.code, BH_DEBUG_WATCH);
    ck_assert_uint_eq(ex.pc, sym("st") + 4); /* sw after the lui of its address */
    ck_assert_uint_eq(ex.badvaddr, sym("val"));
    ck_assert_uint_eq(ex.flags, BH_WATCH_WRITE);
    ck_assert_uint_eq(word_at(sym("val")), 0); /* not yet */
    uint64_t n = bh_vm_icount(vm);
    bh_vm_watch_enable(vm, 0);
    bh_vm_step(vm, &ex);
    bh_vm_watch_enable(vm, 1);
    ck_assert_uint_eq(word_at(sym("val")), 10);
    ck_assert_uint_eq(bh_vm_icount(vm), n + 1);
    run(&ex); /* the load does not write: no stop */
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(bh_vm_reg(vm, 10), 10);
}
END_TEST

START_TEST(watch_read_and_neighbours)
{
    struct bh_exit ex;
    /* a watch on the word before val: the store to val does not touch it */
    ck_assert_int_eq(bh_vm_watch(vm, sym("pad"), 4, BH_WATCH_READ | BH_WATCH_WRITE, 1), 0);
    ck_assert_int_eq(bh_vm_watch(vm, sym("val") + 2, 1, BH_WATCH_READ, 1), 0);
    run(&ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_DEBUG);
    ck_assert_uint_eq(ex.pc, sym("ld") + 4);
    ck_assert_uint_eq(ex.flags, BH_WATCH_READ);
    ck_assert_int_eq(bh_vm_reg(vm, 10), 0);
    ck_assert_int_eq(bh_vm_watch(vm, sym("val") + 2, 1, BH_WATCH_READ, 0), 0);
    run(&ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(bh_vm_reg(vm, 10), 10);
    ck_assert_int_eq(bh_vm_watch(vm, 0, 0, BH_WATCH_READ, 1), -1);
    for (unsigned i = 1; i < BH_MEM_MAX_DWATCH; i++)
        ck_assert_int_eq(bh_vm_watch(vm, 0x10010100 + 8 * i, 4, BH_WATCH_WRITE, 1), 0);
    ck_assert_int_eq(bh_vm_watch(vm, 0x10010000, 4, BH_WATCH_WRITE, 1), -1); /* full */
}
END_TEST

Suite *debug_suite(void)
{
    Suite *s = suite_create("debug");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, break_stops_before_the_instruction);
    tcase_add_test(tc, break_on_a_branch_target_and_refused_outside_text);
    tcase_add_test(tc, break_survives_the_tally);
    tcase_add_test(tc, watch_write_stops_before_the_store);
    tcase_add_test(tc, watch_read_and_neighbours);
    suite_add_tcase(s, tc);
    return s;
}
