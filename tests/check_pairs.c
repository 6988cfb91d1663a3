/* check_pairs.c: the core's superinstructions (vm/core/superinsn.def):
 * fused ALU+branch pairs, pairs, and triples and quads ending in a fused
 * ALU+branch.  They
 * must be invisible: the same registers, memory, instruction counts, fault
 * PCs and budget exits as one instruction at a time.  The reference is
 * bh_vm_step, which splits every pair and runs the plain handlers. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "image.h"
#include "isa.h"
#include "core_test_util.h"
#include "vm.h"
#include "machine/vm_internal.h"
#include "core/cpu_priv.h"

enum { ZERO = 0, V0 = 2, A0 = 4, A1, A2, A3, T0 = 8, T1, T2, T3, T4, S0 = 16, S1, S2, S3, S4 };

#define I(op, rt, rs, imm) E(op, rs, rt, 0, 0, (uint32_t)(imm) & 0xffffu)
#define R3(op, rd, rs, rt) E(op, rs, rt, rd, 0, 0)
#define SH(op, rd, rt, sa) E(op, 0, rt, rd, sa, 0)
#define BR(op, rs, rt, off) E(op, rs, rt, 0, 0, (uint32_t)(off) & 0xffffu)
#define J(op, addr) E(op, 0, 0, 0, 0, (uint32_t)(addr) >> 2)
#define SYSCALL E(ISA_SYSCALL, 0, 0, 0, 0, 0)
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define REG(r) bh_vm_reg(vm, r)
#define UREG(r) ((uint32_t)bh_vm_reg(vm, r))

static struct bh_image img;
static uint8_t *text_buf, *ktext_buf;
static struct bh_vm *vm;

/* text w[0..n) at 0x00400000, optional ktext k[0..kn) at the vector */
static void make(const uint32_t *w, size_t n, const uint32_t *k, size_t kn)
{
    char err[256] = "";
    bh_vm_destroy(vm);
    memset(&img, 0, sizeof img);
    put_words(&img.seg[BH_SEG_TEXT], &text_buf, BH_TEXT_BASE, w, n);
    if (kn)
        put_words(&img.seg[BH_SEG_KTEXT], &ktext_buf, BH_EXC_VECTOR, k, kn);
    img.entry = BH_TEXT_BASE;
    static char strings[] = "\0x";
    img.strings = strings;
    img.strings_size = sizeof strings;
    ck_assert_msg(bh_vm_create(&img, NULL, &vm, err, sizeof err) == 0, "bh_vm_create: %s", err);
}

static void teardown(void)
{
    bh_vm_destroy(vm);
    vm = NULL;
    free(text_buf);
    free(ktext_buf);
    text_buf = ktext_buf = NULL;
}

static struct bh_exit run(int64_t budget)
{
    struct bh_exit ex;
    bh_vm_run(vm, budget, &ex);
    return ex;
}

/* The machine state the tests compare: registers, HI/LO, pc, icount. */
struct state {
    int32_t r[32];
    int32_t hi, lo;
    uint32_t pc;
    uint64_t icount;
};
static struct state state_of(void)
{
    struct state s;
    memset(&s, 0, sizeof s);
    for (unsigned i = 0; i < 32; i++)
        s.r[i] = REG(i);
    s.hi = vm->core->cpu.hi;
    s.lo = vm->core->cpu.lo;
    s.pc = bh_vm_pc(vm);
    s.icount = bh_vm_icount(vm);
    return s;
}
static void assert_same(const struct state *a, const struct state *b)
{
    for (unsigned i = 0; i < 32; i++)
        ck_assert_msg(a->r[i] == b->r[i], "$%u: %d vs %d", i, a->r[i], b->r[i]);
    ck_assert_int_eq(a->hi, b->hi);
    ck_assert_int_eq(a->lo, b->lo);
    ck_assert_uint_eq(a->pc, b->pc);
    ck_assert_uint_eq(a->icount, b->icount);
}

START_TEST(pairs_compute_like_single_instructions)
{
    /* every op of the pair list, each pairing with the next */
    const uint32_t chain[] = {
    I(ISA_LUI, S0, ZERO, 0x1001),  /* 0: not a pair op */
    I(ISA_ADDIU, T0, ZERO, 7),     /* 1: pairs with 2 */
    R3(ISA_ADDU, T1, T0, T0),      /* 2 */
    SH(ISA_SLL, T2, T1, 3),        /* 3 */
    I(ISA_SW, T2, S0, 0),          /* 4 */
    I(ISA_LW, T3, S0, 0),          /* 5 */
    R3(ISA_SUBU, T4, T3, T0),      /* 6 */
    R3(ISA_XOR, V0, T4, T1),       /* 7 */
    I(ISA_SB, V0, S0, 5),          /* 8 */
    I(ISA_LBU, A0, S0, 5),         /* 9 */
    R3(ISA_MUL, A1, A0, T0),       /* 10 */
    R3(ISA_SLT, A2, T0, A1),       /* 11 */
    R3(ISA_SLTU, A3, A1, T0),      /* 12 */
    R3(ISA_OR, S1, A2, A3),        /* 13 */
    R3(ISA_AND, S2, S1, T0),       /* 14 */
    I(ISA_ANDI, S3, A1, 0xff),     /* 15 */
    SH(ISA_SRL, S4, A1, 2),        /* 16: last pair op */
    SYSCALL,                       /* 17 */
    };
    make(chain, N(chain), NULL, 0);
    /* white-box: the loader paired them (before the first run threads) */
    ck_assert_uint_eq(vm->core->text.d[0].u.op, ISA_LUI);
    ck_assert_uint_eq(vm->core->text.d[1].u.op, BH_DOP_ADDIU__ADDU);
    ck_assert_uint_eq(vm->core->text.d[4].u.op, BH_DOP_SW__LW);
    ck_assert_uint_eq(vm->core->text.d[8].u.op, BH_DOP_SB__LBU);
    ck_assert_uint_eq(vm->core->text.d[10].u.op, BH_DOP_MUL__SLT);
    ck_assert_uint_eq(vm->core->text.d[15].u.op, BH_DOP_ANDI__SRL);
    ck_assert_uint_eq(vm->core->text.d[16].u.op, ISA_SRL);
    struct bh_exit ex = run(1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    /* the values, computed here the plain C way */
    int32_t t0 = 7, t1 = t0 + t0, t2 = (int32_t)((uint32_t)t1 << 3), t3 = t2, t4 = t3 - t0;
    int32_t v0 = t4 ^ t1, a0 = v0 & 0xff, a1 = a0 * t0, a2 = t0 < a1;
    int32_t a3 = (uint32_t)a1 < (uint32_t)t0, s1 = a2 | a3, s2 = s1 & t0;
    ck_assert_int_eq(REG(T2), t2);
    ck_assert_int_eq(REG(T3), t3);
    ck_assert_int_eq(REG(T4), t4);
    ck_assert_int_eq(REG(V0), v0);
    ck_assert_int_eq(REG(A0), a0);
    ck_assert_int_eq(REG(A1), a1);
    ck_assert_int_eq(vm->core->cpu.lo, a1); /* mul writes LO too */
    ck_assert_int_eq(REG(A2), a2);
    ck_assert_int_eq(REG(A3), a3);
    ck_assert_int_eq(REG(S2), s2);
    ck_assert_int_eq(REG(S3), a1 & 0xff);
    ck_assert_int_eq(REG(S4), (int32_t)((uint32_t)a1 >> 2));
    ck_assert_uint_eq(bh_vm_icount(vm), N(chain));
    struct state full = state_of();

    /* the same program one instruction at a time (pairs split) */
    make(chain, N(chain), NULL, 0);
    do
        bh_vm_step(vm, &ex);
    while (ex.kind == BH_EXIT_BUDGET);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    struct state stepped = state_of();
    assert_same(&full, &stepped);
}
END_TEST

START_TEST(jump_into_the_middle_of_a_pair)
{
    /* 0 j 2; 1-2 pair (addiu, addiu); 3 syscall: slot 1 never runs */
    const uint32_t p[] = {
        J(ISA_J, BH_TEXT_BASE + 8),
        I(ISA_ADDIU, T0, ZERO, 1),
        I(ISA_ADDIU, T1, ZERO, 2),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    ck_assert_uint_eq(vm->core->text.d[1].u.op, BH_DOP_ADDIU__ADDIU);
    struct bh_exit ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(REG(T0), 0);
    ck_assert_int_eq(REG(T1), 2);
    ck_assert_uint_eq(bh_vm_icount(vm), 3);

    /* a loop whose branch lands on the second half of a pair:
     * 0 t0 = 4; 1 t2 += 100 (pair 1-2, runs once); 2 t1 += 1 (pair 2-3);
     * 3 t3 += t1; 4-5 addiu t0, -1 + bne 2; 6 syscall */
    const uint32_t q[] = {
        I(ISA_ADDIU, T0, ZERO, 4),
        I(ISA_ADDIU, T2, T2, 100),
        I(ISA_ADDIU, T1, T1, 1),
        R3(ISA_ADDU, T3, T3, T1),
        I(ISA_ADDIU, T0, T0, -1),
        BR(ISA_BNE, T0, ZERO, -4),
        SYSCALL,
    };
    make(q, N(q), NULL, 0);
    ex = run(1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(REG(T2), 100);
    ck_assert_int_eq(REG(T1), 4);
    ck_assert_int_eq(REG(T3), 1 + 2 + 3 + 4);
    ck_assert_uint_eq(bh_vm_icount(vm), 2 + 4 * 4 + 1);
}
END_TEST

START_TEST(budget_exits_around_pairs)
{
    /* a loop of pairs in slices of every size: the same end state and the
     * same count as one run; the first exit at the first taken branch at
     * or past the budget */
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 10),
        I(ISA_ADDIU, T1, T1, 3),  /* pair 1-2 */
        R3(ISA_ADDU, T2, T2, T1), /* not paired: 3 is fused with its bne */
        I(ISA_ADDIU, T0, T0, -1),
        BR(ISA_BNE, T0, ZERO, -4),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    struct bh_exit ex = run(1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_eq(bh_vm_icount(vm), 1 + 10 * 4 + 1);
    ck_assert_int_eq(REG(T2), 3 * (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10));
    struct state full = state_of();
    for (int64_t slice = 0; slice <= 9; slice++) {
        make(p, N(p), NULL, 0);
        ex = run(slice);
        ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
        /* taken branches retire 5, 9, 13, ...: the first one >= slice */
        uint64_t first = 5;
        while (first < (uint64_t)slice)
            first += 4;
        ck_assert_uint_eq(bh_vm_icount(vm), first);
        ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 4);
        do
            ex = run(slice);
        while (ex.kind == BH_EXIT_BUDGET);
        ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
        struct state sliced = state_of();
        assert_same(&full, &sliced);
    }
}
END_TEST

START_TEST(faults_inside_a_pair)
{
    /* second half: pc and word of the second, the first retired */
    const uint32_t p[] = {
        I(ISA_LUI, S0, ZERO, 0x1001),
        I(ISA_ADDIU, T0, ZERO, 5),
        I(ISA_LW, T1, S0, 2), /* unaligned */
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    ck_assert_uint_eq(vm->core->text.d[1].u.op, BH_DOP_ADDIU__LW);
    struct bh_exit ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_ADEL);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 8);
    ck_assert_uint_eq(ex.word, p[2]);
    ck_assert_uint_eq(ex.badvaddr, 0x10010002u);
    ck_assert_uint_eq(bh_vm_icount(vm), 2);
    ck_assert_int_eq(REG(T0), 5);

    /* first half: the second does not run */
    const uint32_t q[] = {
        I(ISA_LUI, S0, ZERO, 0x1001),
        I(ISA_LW, T1, S0, 2),
        I(ISA_ADDIU, T0, ZERO, 5),
        SYSCALL,
    };
    make(q, N(q), NULL, 0);
    ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 4);
    ck_assert_uint_eq(bh_vm_icount(vm), 1);
    ck_assert_int_eq(REG(T0), 0);

    /* a store below text (unmapped) in the second half of sw, sw */
    const uint32_t r[] = {
        I(ISA_LUI, S0, ZERO, 0x1001),
        I(ISA_LUI, S1, ZERO, 0x0000),
        I(ISA_SW, T0, S0, 0),
        I(ISA_SW, T0, S1, 0),
        SYSCALL,
    };
    make(r, N(r), NULL, 0);
    ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_ADES);
    ck_assert_uint_eq(ex.badvaddr, 0);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 12);
    ck_assert_uint_eq(bh_vm_icount(vm), 3);
}
END_TEST

START_TEST(second_half_fault_to_the_guest_handler)
{
    /* handler: t3 = EPC; EPC += 4; eret.  The faulting lw (second half of
     * an addiu, lw pair) is skipped; EPC names it, not the pair's start. */
    const uint32_t k[] = {
        E(ISA_MFC0, 0, T3, BH_C0_EPC, 0, 0),
        I(ISA_ADDIU, 26, T3, 4),
        E(ISA_MTC0, 0, 26, BH_C0_EPC, 0, 0),
        ISA_ERET_WORD,
    };
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 5),
        I(ISA_LW, T1, ZERO, 0), /* null: unmapped */
        I(ISA_ADDIU, T2, T0, 1),
        SYSCALL,
    };
    make(p, N(p), k, N(k));
    struct bh_exit ex = run(1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_eq(UREG(T3), BH_TEXT_BASE + 4);
    ck_assert_int_eq(REG(T1), 0);
    ck_assert_int_eq(REG(T2), 6);
    /* addiu, (lw not retired), 4 handler insns, addiu, syscall */
    ck_assert_uint_eq(bh_vm_icount(vm), 1 + 4 + 1 + 1);
}
END_TEST

START_TEST(triples_op_then_fused_branch)
{
    /* sum of bytes: 0 s0 = data; 1 t0 = 6 (count); loop:
     * 2 lbu t1, 0(s0)  -- not a triple: the next is plain addu
     * 3 addu t2, t2, t1
     * 4 addiu s0, s0, 1   -- triple 4 + (5, 6)
     * 5 addiu t0, t0, -1
     * 6 bne t0, zero, loop
     * 7 j 5 once more with t0 = 1 (jump into the triple's fused half):
     *   8 addiu t3, t3, 1 ... see below */
    const uint32_t p[] = {
        I(ISA_LUI, S0, ZERO, 0x1001),
        I(ISA_ADDIU, T0, ZERO, 6),
        I(ISA_LBU, T1, S0, 0),
        R3(ISA_ADDU, T2, T2, T1),
        I(ISA_ADDIU, S0, S0, 1),
        I(ISA_ADDIU, T0, T0, -1),
        BR(ISA_BNE, T0, ZERO, -5),
        /* 7: once: t0 = 1, t4 = 1, jump to 5 (the fused half): t0 -> 0, falls out */
        BR(ISA_BNE, T4, ZERO, 3),
        I(ISA_ADDIU, T4, ZERO, 1),
        I(ISA_ADDIU, T0, ZERO, 1),
        J(ISA_J, BH_TEXT_BASE + 20),
        SYSCALL,
    };
    /* the bytes the loop sums: .data is demand-zero, so store them first */
    make(p, N(p), NULL, 0);
    ck_assert_uint_eq(vm->core->text.d[4].u.op, BH_DOP_ADDIU__ADDIU__BNE);
    ck_assert_uint_eq(vm->core->text.d[5].u.op, BH_DOP_ADDIU__BNE);
    ck_assert_uint_eq(vm->core->text.d[6].u.op, ISA_BNE);
    const uint8_t bytes[6] = {3, 1, 4, 1, 5, 9};
    ck_assert_int_eq(bh_mem_write(vm->mem, 0x10010000u, bytes, 6), 0);
    struct bh_exit ex = run(1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(REG(T2), 3 + 1 + 4 + 1 + 5 + 9);
    ck_assert_uint_eq(UREG(S0), 0x10010006u); /* the triple's first op ran 6 times, not 7 */
    ck_assert_int_eq(REG(T0), 0);
    /* 2 + 6 x 5 + (bne, addiu, addiu, j, addiu, bne) + (bne taken) + syscall */
    uint64_t total = 2 + 6 * 5 + 6 + 1 + 1;
    ck_assert_uint_eq(bh_vm_icount(vm), total);
    struct state full = state_of();

    /* slices of every size: the same end; the first exit at the first
     * taken branch at or past the budget (the triple's bne: 7, 12, ...) */
    for (int64_t slice = 0; slice <= 12; slice++) {
        make(p, N(p), NULL, 0);
        ck_assert_int_eq(bh_mem_write(vm->mem, 0x10010000u, bytes, 6), 0);
        ex = run(slice);
        ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
        uint64_t first = 7;
        while (first < (uint64_t)slice)
            first += 5;
        ck_assert_uint_eq(bh_vm_icount(vm), first);
        ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 8);
        do
            ex = run(slice);
        while (ex.kind == BH_EXIT_BUDGET);
        ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
        struct state sliced = state_of();
        assert_same(&full, &sliced);
    }

    /* single steps split the triple: the same end, one count per step */
    make(p, N(p), NULL, 0);
    ck_assert_int_eq(bh_mem_write(vm->mem, 0x10010000u, bytes, 6), 0);
    uint64_t steps = 0;
    do {
        bh_vm_step(vm, &ex);
        steps++;
    } while (ex.kind == BH_EXIT_BUDGET);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_eq(steps, total);
    struct state stepped = state_of();
    assert_same(&full, &stepped);
}
END_TEST

START_TEST(quads_two_ops_then_fused_branch)
{
    /* the loop kernel's body: s += i; i--; x ^= s; bne i, loop, as one
     * quad (addu, addiu, xor+bne); then a j into its second slot */
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 9),
        R3(ISA_ADDU, T1, T1, T0),  /* 1: quad 1 + 2 + (3, 4) */
        I(ISA_ADDIU, T0, T0, -1),  /* 2: triple 2 + (3, 4) */
        R3(ISA_XOR, V0, V0, T1),   /* 3: fused with 4 */
        BR(ISA_BNE, T0, ZERO, -4),
        BR(ISA_BNE, T4, ZERO, 3),  /* 5: the second time: to the syscall */
        I(ISA_ADDIU, T4, ZERO, 1),
        I(ISA_ADDIU, T0, ZERO, 1),
        J(ISA_J, BH_TEXT_BASE + 8), /* 8: into the quad's second slot */
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    ck_assert_uint_eq(vm->core->text.d[1].u.op, BH_DOP_ADDU__ADDIU__XOR__BNE);
    ck_assert_uint_eq(vm->core->text.d[2].u.op, BH_DOP_ADDIU__XOR__BNE);
    ck_assert_uint_eq(vm->core->text.d[3].u.op, BH_DOP_XOR__BNE);
    struct bh_exit ex = run(1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    int32_t s1 = 0, x = 0;
    for (int32_t i = 9; i > 0; i--) {
        s1 += i;
        x ^= s1;
    }
    x ^= s1; /* the j into slot 2: t0 1 -> 0, xor again, no addu */
    ck_assert_int_eq(REG(T1), s1);
    ck_assert_int_eq(REG(V0), x);
    /* 1 + 9 x 4 + (bne, addiu, addiu, j) + (addiu, xor, bne) + bne + syscall */
    uint64_t total = 1 + 9 * 4 + 4 + 3 + 1 + 1;
    ck_assert_uint_eq(bh_vm_icount(vm), total);
    struct state full = state_of();
    for (int64_t slice = 0; slice <= 10; slice++) {
        make(p, N(p), NULL, 0);
        ex = run(slice);
        ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
        uint64_t first = 5;
        while (first < (uint64_t)slice)
            first += 4;
        ck_assert_uint_eq(bh_vm_icount(vm), first);
        ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 4);
        do
            ex = run(slice);
        while (ex.kind == BH_EXIT_BUDGET);
        ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
        struct state sliced = state_of();
        assert_same(&full, &sliced);
    }
    make(p, N(p), NULL, 0);
    uint64_t steps = 0;
    do {
        bh_vm_step(vm, &ex);
        steps++;
    } while (ex.kind == BH_EXIT_BUDGET);
    ck_assert_uint_eq(steps, total);
    struct state stepped = state_of();
    assert_same(&full, &stepped);
}
END_TEST

START_TEST(quad_store_first)
{
    /* the sieve's marking loop: for (p = base; p < end; p += 3) *p = 0
     * over bytes set to 1, as sb; addu; sltu+bne (one quad) */
    const uint32_t p[] = {
        I(ISA_LUI, T1, ZERO, 0x1001),  /* p */
        I(ISA_ADDIU, T2, T1, 20),      /* end */
        I(ISA_ADDIU, T0, ZERO, 3),     /* step */
        I(ISA_SB, ZERO, T1, 0),        /* 3: quad 3 + 4 + (5, 6) */
        R3(ISA_ADDU, T1, T1, T0),
        R3(ISA_SLTU, T3, T1, T2),
        BR(ISA_BNE, T3, ZERO, -4),
        I(ISA_SW, ZERO, T4, 0),        /* 7: t4 = 0: a store to address 0 faults */
        R3(ISA_ADDU, T1, T1, T0),
        R3(ISA_SLTU, T3, T1, T2),
        BR(ISA_BNE, T3, ZERO, -4),
        SYSCALL,
    };
    uint8_t ones[20];
    memset(ones, 1, sizeof ones);
    make(p, N(p), NULL, 0);
    ck_assert_int_eq(bh_mem_write(vm->mem, 0x10010000u, ones, sizeof ones), 0);
    ck_assert_uint_eq(vm->core->text.d[3].u.op, BH_DOP_SB__ADDU__SLTU__BNE);
    ck_assert_uint_eq(vm->core->text.d[7].u.op, BH_DOP_SW__ADDU__SLTU__BNE);
    struct bh_exit ex = run(1000);
    /* the first quad of the second loop faults in its first op */
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_ADES);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 28);
    ck_assert_uint_eq(ex.badvaddr, 0);
    uint8_t got[20];
    ck_assert_int_eq(bh_mem_read(vm->mem, 0x10010000u, got, sizeof got), 0);
    for (unsigned i = 0; i < 20; i++)
        ck_assert_uint_eq(got[i], i % 3 == 0 ? 0 : 1);
    ck_assert_uint_eq(UREG(T1), 0x10010000u + 21);
    /* 3 + 7 x 4 (p = 0, 3, ..., 18); the sw not retired */
    uint64_t count = 3 + 7 * 4;
    ck_assert_uint_eq(bh_vm_icount(vm), count);
    struct state full = state_of();
    for (int64_t slice = 1; slice <= 6; slice++) {
        make(p, N(p), NULL, 0);
        ck_assert_int_eq(bh_mem_write(vm->mem, 0x10010000u, ones, sizeof ones), 0);
        do
            ex = run(slice);
        while (ex.kind == BH_EXIT_BUDGET);
        ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
        ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 28);
        struct state sliced = state_of();
        assert_same(&full, &sliced);
    }
    make(p, N(p), NULL, 0);
    ck_assert_int_eq(bh_mem_write(vm->mem, 0x10010000u, ones, sizeof ones), 0);
    uint64_t steps = 0;
    do {
        bh_vm_step(vm, &ex);
        steps++;
    } while (ex.kind == BH_EXIT_BUDGET);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_uint_eq(steps, count + 1); /* the last step is the fault */
    struct state stepped = state_of();
    assert_same(&full, &stepped);
}
END_TEST

START_TEST(branch_into_a_quad)
{
    /* for t0 = 10..1: if (t0 & 3) { t5 += 1; t6 += t5 } -- the beq jumps
     * over the first two ops of a quad, into its fused pair */
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 10),
        I(ISA_ANDI, T4, T0, 3),      /* 1: loop */
        SH(ISA_SLL, T3, T0, 1),      /* 2 */
        BR(ISA_BEQ, T4, ZERO, 2),    /* 3 */
        I(ISA_ADDIU, 13, 13, 1),     /* 4: quad 4-7 */
        R3(ISA_ADDU, 14, 14, 13),
        I(ISA_ADDIU, T0, T0, -1),    /* 6 */
        BR(ISA_BNE, T0, ZERO, -7),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    ck_assert_uint_eq(vm->core->text.d[4].u.op, BH_DOP_ADDIU__ADDU__ADDIU__BNE);
    struct bh_exit ex = run(1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    int32_t t5 = 0, t6 = 0;
    uint64_t count = 1 + 1;
    for (int32_t i = 10; i > 0; i--) {
        count += 5;
        if (i & 3) {
            t5 += 1;
            t6 += t5;
            count += 2;
        }
    }
    ck_assert_int_eq(REG(13), t5);
    ck_assert_int_eq(REG(14), t6);
    ck_assert_uint_eq(bh_vm_icount(vm), count);
    struct state full = state_of();
    for (int64_t slice = 1; slice <= 8; slice++) {
        make(p, N(p), NULL, 0);
        do
            ex = run(slice);
        while (ex.kind == BH_EXIT_BUDGET);
        ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
        struct state sliced = state_of();
        assert_same(&full, &sliced);
    }
    make(p, N(p), NULL, 0);
    uint64_t steps = 0;
    do {
        bh_vm_step(vm, &ex);
        steps++;
    } while (ex.kind == BH_EXIT_BUDGET);
    ck_assert_uint_eq(steps, count);
    struct state stepped = state_of();
    assert_same(&full, &stepped);
}
END_TEST

START_TEST(triple_first_op_fault)
{
    /* lw faults in a triple lw + (slt, beq): nothing after it runs */
    const uint32_t p[] = {
        I(ISA_ADDIU, T1, ZERO, 9),
        I(ISA_LW, T0, ZERO, 4), /* unmapped */
        R3(ISA_SLT, T2, T0, T1),
        BR(ISA_BEQ, T2, ZERO, 1),
        SYSCALL,
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    ck_assert_uint_eq(vm->core->text.d[1].u.op, BH_DOP_LW__SLT__BEQ);
    struct bh_exit ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_ADEL);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 4);
    ck_assert_uint_eq(ex.badvaddr, 4);
    ck_assert_uint_eq(bh_vm_icount(vm), 1);
    ck_assert_int_eq(REG(T2), 0);
}
END_TEST

/* ---- every declared form (superinsn.def): matched, split by steps, exact -------- */

/* A form's plain ops, from its name: ADDU__ADDIU__XOR__BNE. */
static unsigned form_ops(const char *name, enum isa_op *ops, unsigned cap)
{
    unsigned n = 0;
    char mn[16];
    for (const char *p = name; *p && n < cap;) {
        size_t len = strcspn(p, "_");
        ck_assert_uint_lt(len, sizeof mn);
        for (size_t i = 0; i < len; i++)
            mn[i] = (char)(p[i] - 'A' + 'a');
        mn[len] = '\0';
        ops[n] = isa_lookup(mn);
        ck_assert_msg(ops[n] != ISA_INVALID, "%s: no op %s", name, mn);
        n++;
        p += len;
        p += strspn(p, "_");
    }
    return n;
}

enum { FORM_AT = 6 }; /* the slot of the form's first op */

/* The program for a form: registers from seed, a nop (so nothing before
 * the form combines with it), the form's ops with operands chained
 * through t0-t3 and memory at s0, a nop, a syscall.  The branch that ends
 * a form compares the op before it and jumps over the nop. */
static size_t form_program(const enum isa_op *ops, unsigned n, const int32_t *seed, uint32_t *w)
{
    static const unsigned reg[4] = {T0, T1, T2, T3};
    size_t k = 0;
    w[k++] = I(ISA_LUI, S0, ZERO, 0x1001);
    for (unsigned r = 0; r < 4; r++)
        w[k++] = I(ISA_ADDIU, reg[r], ZERO, seed[r]);
    w[k++] = SH(ISA_SLL, ZERO, ZERO, 0);
    ck_assert_uint_eq(k, FORM_AT);
    unsigned prev_dst = reg[0];
    for (unsigned j = 0; j < n; j++) {
        unsigned a = reg[j % 4], b = reg[(j + 1) % 4], dst = reg[(j + 2) % 4];
        struct isa_fields f = {0};
        switch (isa_table[ops[j]].fmt) {
        case F_RD_RS_RT: f = (struct isa_fields){a, b, dst, 0, 0}; break;
        case F_RD_RT_SA: f = (struct isa_fields){0, a, dst, j + 1, 0}; break;
        case F_RT_RS_SIMM: case F_RT_RS_UIMM: f = (struct isa_fields){a, dst, 0, 0, 3 + j}; break;
        case F_RT_MEM: /* word ops aligned, byte ops not */
            f = (struct isa_fields){S0, ops[j] == ISA_SW || ops[j] == ISA_SB ? a : dst, 0, 0,
                                    ops[j] == ISA_LW || ops[j] == ISA_SW ? 4 * j : j + 1};
            break;
        case F_RS_RT_REL: f = (struct isa_fields){prev_dst, b, 0, 0, 1}; break;
        default: ck_abort_msg("form op %s: no operands for its format", isa_table[ops[j]].mnemonic);
        }
        w[k++] = isa_encode(ops[j], &f);
        prev_dst = dst;
    }
    w[k++] = SH(ISA_SLL, ZERO, ZERO, 0);
    w[k++] = SYSCALL;
    return k;
}

static const uint8_t form_data[16] = {1, 200, 3, 4, 0x80, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static void form_make(const uint32_t *w, size_t n)
{
    make(w, n, NULL, 0);
    ck_assert_int_eq(bh_mem_write(vm->mem, 0x10010000u, form_data, sizeof form_data), 0);
}

static void form_check(const char *name, const struct state *want, const uint8_t *want_mem)
{
    struct state got = state_of();
    uint8_t mem[sizeof form_data];
    ck_assert_int_eq(bh_mem_read(vm->mem, 0x10010000u, mem, sizeof mem), 0);
    ck_assert_msg(memcmp(mem, want_mem, sizeof mem) == 0, "%s: memory differs", name);
    for (unsigned i = 0; i < 32; i++)
        ck_assert_msg(got.r[i] == want->r[i], "%s: $%u %d, want %d", name, i, got.r[i], want->r[i]);
    ck_assert_msg(got.hi == want->hi && got.lo == want->lo, "%s: hi/lo", name);
    ck_assert_msg(got.pc == want->pc, "%s: pc %x, want %x", name, got.pc, want->pc);
    ck_assert_msg(got.icount == want->icount, "%s: icount %llu, want %llu", name,
                  (unsigned long long)got.icount, (unsigned long long)want->icount);
}

START_TEST(every_declared_form_is_matched_and_unfused)
{
    /* For each form of superinsn.def: the decoder makes it where its ops
     * stand, and the run ends as the plain ops end (tally mode decodes one
     * op per slot), and as single steps do (bh_vm_step splits the form):
     * one step per instruction. */
    static const struct {
        uintptr_t op;
        const char *name;
    } forms[] = {
#define X_FORM(name, first) {BH_DOP_##name, #name},
        BH_SUPER_ALL(X_FORM)
#undef X_FORM
    };
    static const int32_t seeds[][4] = {{0, 0, 0, 0}, {1, 2, 3, 4}, {5, -7, 5, 123456}};
    for (size_t fi = 0; fi < N(forms); fi++) {
        enum isa_op ops[4];
        unsigned n = form_ops(forms[fi].name, ops, 4);
        for (size_t si = 0; si < N(seeds); si++) {
            uint32_t w[FORM_AT + 4 + 2];
            size_t len = form_program(ops, n, seeds[si], w);
            struct bh_exit ex;

            /* the plain ops */
            form_make(w, len);
            ck_assert_int_eq(bh_vm_tally(vm), 0);
            ex = run(1000);
            ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
            struct state plain = state_of();
            uint8_t mem[sizeof form_data];
            ck_assert_int_eq(bh_mem_read(vm->mem, 0x10010000u, mem, sizeof mem), 0);

            form_make(w, len);
            ck_assert_msg(vm->core->text.d[FORM_AT].u.op == forms[fi].op, "%s: not matched (op %lu)",
                          forms[fi].name, (unsigned long)vm->core->text.d[FORM_AT].u.op);
            ex = run(1000);
            ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
            form_check(forms[fi].name, &plain, mem);

            form_make(w, len);
            uint64_t steps = 0;
            do {
                bh_vm_step(vm, &ex);
                steps++;
            } while (ex.kind == BH_EXIT_BUDGET && steps < 100);
            ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
            form_check(forms[fi].name, &plain, mem);
            ck_assert_msg(steps == plain.icount, "%s: %llu steps for %llu instructions",
                          forms[fi].name, (unsigned long long)steps,
                          (unsigned long long)plain.icount);
        }
    }
}
END_TEST

Suite *pairs_suite(void)
{
    Suite *s = suite_create("pairs");
    TCase *t = tcase_create("pairs");
    tcase_add_checked_fixture(t, NULL, teardown);
    /* every_declared_form runs every superinstruction form: 5 s under the
     * sanitizers on a quiet machine, over Check's default 4 s on a busy one */
    tcase_set_timeout(t, 60);
    tcase_add_test(t, pairs_compute_like_single_instructions);
    tcase_add_test(t, jump_into_the_middle_of_a_pair);
    tcase_add_test(t, budget_exits_around_pairs);
    tcase_add_test(t, faults_inside_a_pair);
    tcase_add_test(t, second_half_fault_to_the_guest_handler);
    tcase_add_test(t, triples_op_then_fused_branch);
    tcase_add_test(t, triple_first_op_fault);
    tcase_add_test(t, quads_two_ops_then_fused_branch);
    tcase_add_test(t, branch_into_a_quad);
    tcase_add_test(t, quad_store_first);
    tcase_add_test(t, every_declared_form_is_matched_and_unfused);
    suite_add_tcase(s, t);
    return s;
}
