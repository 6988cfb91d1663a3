/* check_jit.c: the translation tier (vm/core/jit.c) against the
 * interpreter, on hand-built programs: each runs in two VMs, one with
 * the tier at threshold 1, slice by slice with the same budgets, and
 * after every slice the exit (kind, exception, pc, bad address), the
 * instruction count, every register, HI and LO must be the same.  Then
 * what each case is about: chaining, a store into text, a tiny code cache
 * flushed when full, a fault at each position of a translated block, a
 * breakpoint set in a translated loop. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "core_test_util.h"
#include "image.h"
#include "isa.h"
#include "vm.h"

enum { ZERO = 0, V0 = 2, T0 = 8, T1, T2, T3, T4, T5, T6, S0 = 16, S1, S2 };
#define I(op, rt, rs, imm) E(op, rs, rt, 0, 0, (uint32_t)(imm) & 0xffffu)
#define R3(op, rd, rs, rt) E(op, rs, rt, rd, 0, 0)
#define BR(op, rs, rt, off) E(op, rs, rt, 0, 0, (uint32_t)(off) & 0xffffu)
#define J(op, index) E(op, 0, 0, 0, 0, (BH_TEXT_BASE >> 2) + (index))
#define SYSCALL E(ISA_SYSCALL, 0, 0, 0, 0, 0)

struct tvm {
    struct bh_image img;
    uint8_t *text, *data;
    struct bh_vm *vm;
};
static struct tvm interp, jit;

static void make(struct tvm *t, const uint32_t *w, size_t n, const uint32_t *data, size_t dn,
                 int tier, size_t cache)
{
    char err[256] = "";
    memset(t, 0, sizeof *t);
    put_words(&t->img.seg[BH_SEG_TEXT], &t->text, BH_TEXT_BASE, w, n);
    if (dn)
        put_words(&t->img.seg[BH_SEG_DATA], &t->data, BH_DATA_BASE, data, dn);
    t->img.entry = BH_TEXT_BASE;
    static char strings[] = "\0x";
    t->img.strings = strings;
    t->img.strings_size = sizeof strings;
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "t";
    ck_assert_msg(bh_vm_create(&t->img, &o, &t->vm, err, sizeof err) == 0, "%s", err);
    if (tier)
        ck_assert_msg(bh_vm_jit(t->vm, 1, cache, err, sizeof err) == 0, "%s", err);
}

static void teardown(void)
{
    struct tvm *ts[2] = {&interp, &jit};
    for (int i = 0; i < 2; i++) {
        bh_vm_destroy(ts[i]->vm);
        free(ts[i]->text);
        free(ts[i]->data);
        memset(ts[i], 0, sizeof *ts[i]);
    }
}

/* Run program w in both tiers, `budget` instructions a slice, until an
 * exit other than the budget's; every slice's end must agree.  The last
 * exit, and the tier's figures. */
static struct bh_exit both(const uint32_t *w, size_t n, const uint32_t *data, size_t dn,
                           int64_t budget, size_t cache, struct bh_jit_stats *st)
{
    make(&interp, w, n, data, dn, 0, 0);
    make(&jit, w, n, data, dn, 1, cache);
    struct bh_exit a, b;
    for (int slice = 0; slice < 100000; slice++) {
        bh_vm_run(interp.vm, budget, &a);
        bh_vm_run(jit.vm, budget, &b);
        ck_assert_msg(a.kind == b.kind && a.pc == b.pc && a.exc == b.exc && a.badvaddr == b.badvaddr,
                      "slice %d: the interpreter exits (%d, pc 0x%08x, exc %d, bad 0x%08x), the tier "
                      "(%d, pc 0x%08x, exc %d, bad 0x%08x)",
                      slice, a.kind, a.pc, a.exc, a.badvaddr, b.kind, b.pc, b.exc, b.badvaddr);
        ck_assert_uint_eq(bh_vm_icount(interp.vm), bh_vm_icount(jit.vm));
        for (unsigned r = 0; r < 32; r++)
            ck_assert_msg(bh_vm_reg(interp.vm, r) == bh_vm_reg(jit.vm, r),
                          "slice %d: $%u is %d interpreted, %d translated", slice, r,
                          bh_vm_reg(interp.vm, r), bh_vm_reg(jit.vm, r));
        ck_assert_int_eq(bh_vm_hi(interp.vm), bh_vm_hi(jit.vm));
        ck_assert_int_eq(bh_vm_lo(interp.vm), bh_vm_lo(jit.vm));
        if (a.kind != BH_EXIT_BUDGET)
            break;
    }
    ck_assert_int_eq(bh_vm_jit_stats(jit.vm, st), 0);
    return a;
}

/* A loop whose body is two blocks (a not-taken branch inside, a j back):
 * their exits chain, and nearly everything runs translated, with slices
 * of every size ending where the interpreter's end. */
START_TEST(chained_blocks_agree)
{
    const uint32_t loop2[] = {
    I(ISA_ORI, T0, ZERO, 1000),   /* 0 */
    I(ISA_ADDIU, T0, T0, -1),     /* 1: loop */
    BR(ISA_BEQ, T0, ZERO, 5),     /* 2: -> 8 when done */
    R3(ISA_ADDU, T1, T1, T0),     /* 3 */
    E(ISA_MULT, T1, T0, 0, 0, 0), /* 4 */
    BR(ISA_BNE, T1, ZERO, 1),     /* 5: -> 7 */
    I(ISA_ADDIU, T2, T2, 1),      /* 6 */
    J(ISA_J, 1),                  /* 7 */
    I(ISA_ORI, V0, ZERO, 10),     /* 8 */
    SYSCALL,
    };
    int64_t budgets[] = {1000000, 1, 7, 100};
    for (size_t i = 0; i < sizeof budgets / sizeof budgets[0]; i++) {
        struct bh_jit_stats st;
        struct bh_exit ex = both(loop2, sizeof loop2 / 4, NULL, 0, budgets[i], BH_JIT_CACHE, &st);
        ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
        /* Slices of 1 and 7 end at (nearly) every taken branch, where the
         * budget is checked: nothing is left for translated code. */
        if (budgets[i] >= 100) {
            ck_assert_uint_gt(st.blocks, 1);
            ck_assert_uint_gt(st.chains, 0);
            ck_assert_uint_gt(st.insns * 10, bh_vm_icount(jit.vm) * 9);
        }
        teardown();
    }
}
END_TEST

/* Self-modifying code: the loop's addiu $t0, $t0, 1 becomes addiu $t0,
 * $t0, 100 by a store into text halfway; the translations go and the new
 * word runs in both tiers. */
START_TEST(store_into_text_retranslates)
{
    const uint32_t data[] = {I(ISA_ADDIU, T0, T0, 100)};
    const uint32_t w[] = {
        E(ISA_LUI, 0, S0, 0, 0, BH_DATA_BASE >> 16), /* 0 */
        E(ISA_LUI, 0, S2, 0, 0, BH_TEXT_BASE >> 16), /* 1 */
        I(ISA_LW, T3, S0, 0),                        /* 2: the new word */
        I(ISA_ORI, T1, ZERO, 50),                    /* 3 */
        I(ISA_ADDIU, T0, T0, 1),                     /* 4: loop, patched */
        I(ISA_ADDIU, T1, T1, -1),                    /* 5 */
        I(ISA_ORI, T2, ZERO, 25),                    /* 6 */
        BR(ISA_BNE, T1, T2, 1),                      /* 7: -> 9 */
        I(ISA_SW, T3, S2, 16),                       /* 8: word 4 := data[0] */
        BR(ISA_BNE, T1, ZERO, -6),                   /* 9: -> 4 */
        I(ISA_ORI, V0, ZERO, 10),
        SYSCALL,
    };
    struct bh_jit_stats st;
    struct bh_exit ex = both(w, sizeof w / 4, data, 1, 1000000, BH_JIT_CACHE, &st);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(bh_vm_reg(jit.vm, T0), 25 + 25 * 100);
    ck_assert_uint_ge(st.flushes, 1);
    ck_assert_uint_gt(st.insns, 0);
}
END_TEST

/* 300 blocks of j to the next: more code than a 16 KiB cache holds, so
 * it is flushed whole and translated again, twice round. */
START_TEST(full_cache_is_flushed)
{
    enum { NB = 300 };
    static uint32_t w[2 * NB + 4];
    size_t n = 0;
    w[n++] = I(ISA_ORI, T1, ZERO, 3);
    for (unsigned b = 0; b < NB; b++) { /* block b at 1 + 2b */
        w[n++] = I(ISA_ADDIU, T0, T0, (int)b);
        w[n++] = J(ISA_J, 1 + 2 * (b + 1));
    }
    w[n++] = I(ISA_ADDIU, T1, T1, -1); /* 1 + 2 NB */
    w[n++] = BR(ISA_BNE, T1, ZERO, -(int)(2 * NB + 2)); /* -> 1 */
    w[n++] = SYSCALL;
    struct bh_jit_stats st;
    struct bh_exit ex = both(w, n, NULL, 0, 1000000, BH_JIT_CACHE_MIN, &st);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_ge(st.flushes, 2);
    ck_assert_uint_gt(st.blocks, NB);
    ck_assert_uint_le(st.cache_used, BH_JIT_CACHE_MIN);
}
END_TEST

/* A fault at each position of a translated block: the loop runs 10
 * times and, in its last round, a load, a store or an add faults after k
 * instructions of the block (its pc, count and registers as the
 * interpreter reports them: the block's side exit hands the instruction
 * over before it retires). */
START_TEST(fault_at_every_position)
{
    const uint32_t faulting[] = {
        I(ISA_LW, T5, T4, 0),   /* AdEL: t4 misaligned */
        I(ISA_SW, T5, T4, 0),   /* AdES */
        R3(ISA_ADD, T5, T6, T3) /* Ov: INT32_MAX + 1 */
    };
    const uint32_t data[] = {7, 8};
    for (unsigned f = 0; f < 3; f++)
        for (unsigned k = 0; k < 6; k++) {
            uint32_t w[32];
            size_t n = 0;
            w[n++] = E(ISA_LUI, 0, S0, 0, 0, BH_DATA_BASE >> 16);
            w[n++] = E(ISA_LUI, 0, T6, 0, 0, 0x7fff);
            w[n++] = I(ISA_ORI, T6, T6, 0xffff);
            w[n++] = I(ISA_ORI, T0, ZERO, 10);
            size_t loop = n;
            w[n++] = I(ISA_ADDIU, T0, T0, -1);
            w[n++] = I(ISA_SLTIU, T3, T0, 1); /* 1 in the last round */
            w[n++] = R3(ISA_ADDU, T4, S0, T3);
            for (unsigned i = 0; i < k; i++)
                w[n++] = I(ISA_ADDIU, T2, T2, 1);
            w[n++] = faulting[f];
            w[n++] = I(ISA_ADDIU, T1, T1, 3);
            w[n] = BR(ISA_BNE, T0, ZERO, (int)loop - (int)n - 1);
            n++;
            w[n++] = SYSCALL;
            struct bh_jit_stats st;
            struct bh_exit ex = both(w, n, data, 2, 1000000, BH_JIT_CACHE, &st);
            ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
            ck_assert_uint_gt(st.insns, 0);
            teardown();
        }
}
END_TEST

/* bltzal and bgezal compare rs before they link $ra: with rs = $ra the
 * old value decides (the interpreter reads it first). */
START_TEST(link_branch_reads_ra_first)
{
    enum { RA = 31 };
    const uint32_t w[] = {
        I(ISA_ORI, S0, ZERO, 30),            /* 0 */
        I(ISA_ADDIU, S0, S0, -1),            /* 1: loop */
        I(ISA_ADDIU, RA, ZERO, -5),          /* 2 */
        E(ISA_BLTZAL, RA, 0, 0, 0, 1),       /* 3: -> 5, taken on the old $ra */
        I(ISA_ADDIU, S1, S1, 1),             /* 4 */
        R3(ISA_ADDU, S1, S1, RA),            /* 5: $ra = 16 */
        R3(ISA_ADDU, RA, S0, ZERO),          /* 6 */
        E(ISA_BGEZAL, RA, 0, 0, 0, 1),       /* 7: -> 9 */
        I(ISA_ADDIU, S1, S1, 100),           /* 8 */
        R3(ISA_ADDU, S1, S1, RA),            /* 9 */
        BR(ISA_BNE, S0, ZERO, -10),          /* 10: -> 1 */
        SYSCALL,
    };
    struct bh_jit_stats st;
    struct bh_exit ex = both(w, sizeof w / 4, NULL, 0, 1000000, BH_JIT_CACHE, &st);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_gt(st.insns, 0);
}
END_TEST

/* A breakpoint set in a loop the tier has translated stops there, at the
 * count the interpreter stops at (the translations are dropped and the
 * tier runs nothing while a breakpoint is set). */
START_TEST(breakpoint_in_translated_loop)
{
    /* The first slice ends at the bne (count 501) with pc at loop; then
     * the j arrives at part2, whose block holds the breakpoint's word. */
    const uint32_t w[] = {
        I(ISA_ORI, T0, ZERO, 1000), /* 0 */
        I(ISA_ADDIU, T0, T0, -1),   /* 1: loop */
        J(ISA_J, 4),                /* 2 */
        I(ISA_ORI, T3, ZERO, 1),    /* 3: never */
        R3(ISA_ADDU, T1, T1, T0),   /* 4: part2 */
        I(ISA_XORI, T2, T1, 0x55),  /* 5: the breakpoint */
        BR(ISA_BNE, T0, ZERO, -6),  /* 6: -> 1 */
        SYSCALL,
    };
    make(&interp, w, sizeof w / 4, NULL, 0, 0, 0);
    make(&jit, w, sizeof w / 4, NULL, 0, 1, BH_JIT_CACHE);
    struct bh_vm *vms[2] = {interp.vm, jit.vm};
    struct bh_exit e[2];
    for (int v = 0; v < 2; v++) { /* a slice, part of it translated */
        bh_vm_run(vms[v], 500, &e[v]);
        ck_assert_int_eq(e[v].kind, BH_EXIT_BUDGET);
    }
    ck_assert_uint_eq(bh_vm_icount(interp.vm), bh_vm_icount(jit.vm));
    struct bh_jit_stats st;
    ck_assert_int_eq(bh_vm_jit_stats(jit.vm, &st), 0);
    ck_assert_uint_gt(st.insns, 0);
    for (int v = 0; v < 2; v++) {
        ck_assert_uint_eq(bh_vm_pc(vms[v]), BH_TEXT_BASE + 4);
        ck_assert_int_eq(bh_vm_break(vms[v], BH_TEXT_BASE + 5 * 4, 1), 0);
        bh_vm_run(vms[v], 1000000, &e[v]);
        ck_assert_int_eq(e[v].kind, BH_EXIT_DEBUG);
        ck_assert_uint_eq(e[v].pc, BH_TEXT_BASE + 5 * 4);
    }
    ck_assert_uint_eq(bh_vm_icount(interp.vm), bh_vm_icount(jit.vm));
    ck_assert_int_eq(bh_vm_reg(interp.vm, T1), bh_vm_reg(jit.vm, T1));
}
END_TEST

/* --jit-dump's source: the hook sees every block translated, with its
 * guest words as text holds them, where each instruction's host code
 * starts (from 0, never going back, inside the block) and its exits out
 * of line after them, each at a guest pc of the block or just past it. */
struct seen {
    unsigned calls, loop_len, loop_exits, end_len, end_exits;
    uint32_t end_exit_pc;
};

static void on_block(void *opaque, const struct bh_jit_block *b)
{
    struct seen *s = opaque;
    s->calls++;
    ck_assert_uint_ge(b->pc, BH_TEXT_BASE);
    ck_assert_uint_eq(b->pc % 4, 0);
    ck_assert_uint_ge(b->ninsns, 1);
    for (uint32_t k = 0; k < b->ninsns; k++) {
        uint8_t w[4];
        ck_assert_int_eq(bh_vm_read(jit.vm, b->pc + 4 * k, w, 4), 0);
        ck_assert_uint_eq(b->words[k], bh_get32(w));
    }
    ck_assert_uint_eq(b->insn_off[0], 0);
    for (uint32_t k = 0; k < b->ninsns; k++)
        ck_assert_uint_le(b->insn_off[k], b->insn_off[k + 1]);
    ck_assert_uint_le(b->insn_off[b->ninsns], b->size);
    uint32_t at = b->insn_off[b->ninsns];
    for (unsigned q = 0; q < b->nexits; q++) {
        ck_assert_uint_ge(b->exit_off[q], at);
        ck_assert_uint_lt(b->exit_off[q], b->size);
        at = b->exit_off[q] + 1;
        ck_assert_uint_ge(b->exit_pc[q], b->pc);
        ck_assert_uint_le(b->exit_pc[q], b->pc + 4 * b->ninsns);
    }
    ck_assert_uint_gt(b->cache_off, b->exit_stub); /* the stubs come first */
    ck_assert_uint_gt(b->ns, 0);
    if (b->pc == BH_TEXT_BASE + 4) {
        s->loop_len = b->ninsns;
        s->loop_exits = b->nexits;
    } else if (b->pc == BH_TEXT_BASE + 8 * 4) {
        s->end_len = b->ninsns;
        s->end_exits = b->nexits;
        s->end_exit_pc = b->nexits ? b->exit_pc[0] : 0;
    }
}

START_TEST(hook_describes_each_block)
{
    const uint32_t w[] = {
    I(ISA_ORI, T0, ZERO, 100),    /* 0 */
    I(ISA_ADDIU, T0, T0, -1),     /* 1: loop, 7 instructions up to the j */
    BR(ISA_BEQ, T0, ZERO, 5),     /* 2: -> 8 when done */
    R3(ISA_ADDU, T1, T1, T0),     /* 3 */
    E(ISA_MULT, T1, T0, 0, 0, 0), /* 4 */
    BR(ISA_BNE, T1, ZERO, 1),     /* 5: -> 7 */
    I(ISA_ADDIU, T2, T2, 1),      /* 6 */
    J(ISA_J, 1),                  /* 7 */
    I(ISA_ORI, V0, ZERO, 10),     /* 8: one instruction, then the syscall's exit */
    SYSCALL,
    };
    make(&jit, w, sizeof w / 4, NULL, 0, 1, BH_JIT_CACHE);
    struct seen s = {0};
    bh_vm_jit_hook(jit.vm, on_block, &s);
    struct bh_exit ex;
    bh_vm_run(jit.vm, 1000000, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    struct bh_jit_stats st;
    ck_assert_int_eq(bh_vm_jit_stats(jit.vm, &st), 0);
    ck_assert_uint_eq(s.calls, st.blocks);
    ck_assert_uint_ge(st.ns, s.calls);
    ck_assert_uint_eq(s.loop_len, 7);
    ck_assert_uint_eq(s.loop_exits, 0);
    ck_assert_uint_eq(s.end_len, 1);
    ck_assert_uint_eq(s.end_exits, 1);
    ck_assert_uint_eq(s.end_exit_pc, BH_TEXT_BASE + 9 * 4);
}
END_TEST

Suite *jit_suite(void)
{
    Suite *s = suite_create("jit");
    TCase *tc = tcase_create("two_tiers");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, chained_blocks_agree);
    tcase_add_test(tc, store_into_text_retranslates);
    tcase_add_test(tc, full_cache_is_flushed);
    tcase_add_test(tc, fault_at_every_position);
    tcase_add_test(tc, breakpoint_in_translated_loop);
    tcase_add_test(tc, link_branch_reads_ra_first);
    tcase_add_test(tc, hook_describes_each_block);
    suite_add_tcase(s, tc);
    return s;
}
