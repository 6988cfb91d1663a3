/* check_delay.c: delay slots (-delayed_branches, -delayed_loads, decode.h
 * "Delay slots"): what runs in a slot and when, links, the exact count
 * through budget exits and single steps, faults in a slot (EPC, BD),
 * branches in a slot and the likely forms as SPIM 8.0 runs them, and the
 * load pipeline across an exit and a snapshot of the CPU. */
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

enum { ZERO = 0, AT = 1, V0 = 2, A0 = 4, T0 = 8, T1, T2, T3, T4, S0 = 16, S1, RA = 31 };

#define I(op, rt, rs, imm) E(op, rs, rt, 0, 0, (uint32_t)(imm) & 0xffffu)
#define R3(op, rd, rs, rt) E(op, rs, rt, rd, 0, 0)
#define BR(op, rs, rt, off) E(op, rs, rt, 0, 0, (uint32_t)(off) & 0xffffu)
#define J(op, addr) E(op, 0, 0, 0, 0, (addr) >> 2)
#define SYSCALL E(ISA_SYSCALL, 0, 0, 0, 0, 0)
#define NOP 0u
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define PC(i) (BH_TEXT_BASE + 4u * (i))

static struct bh_image img;
static uint8_t *text_buf, *data_buf, *ktext_buf;
static struct bh_vm *vm;

/* A VM with text w[0..n) at BH_TEXT_BASE, optional data and ktext (at the
 * exception vector), running with delay (BH_VM_DELAYED_*). */
static struct bh_vm *make(const uint32_t *w, size_t n, const uint32_t *data, size_t dn,
                          const uint32_t *k, size_t kn, unsigned delay)
{
    char err[256] = "";
    memset(&img, 0, sizeof img);
    put_words(&img.seg[BH_SEG_TEXT], &text_buf, BH_TEXT_BASE, w, n);
    if (dn)
        put_words(&img.seg[BH_SEG_DATA], &data_buf, BH_DATA_BASE, data, dn);
    if (kn)
        put_words(&img.seg[BH_SEG_KTEXT], &ktext_buf, BH_EXC_VECTOR, k, kn);
    img.entry = BH_TEXT_BASE;
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "t";
    o.delay = delay;
    struct bh_vm *v;
    ck_assert_msg(bh_vm_create(&img, &o, &v, err, sizeof err) == 0, "bh_vm_create: %s", err);
    return v;
}

static void teardown(void)
{
    bh_vm_destroy(vm);
    vm = NULL;
    free(text_buf);
    free(data_buf);
    free(ktext_buf);
    text_buf = data_buf = ktext_buf = NULL;
}

static struct bh_exit run(struct bh_vm *v, int64_t budget)
{
    struct bh_exit ex;
    bh_vm_run(v, budget, &ex);
    return ex;
}

static void run_to_syscall(void)
{
    struct bh_exit ex = run(vm, 1000000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
}

#define REG(r) bh_vm_reg(vm, r)
#define UREG(r) ((uint32_t)bh_vm_reg(vm, r))
#define DB BH_VM_DELAYED_BRANCHES
#define DL BH_VM_DELAYED_LOADS

/* ---- branches ---------------------------------------------------------------- */

START_TEST(taken_and_untaken_branch)
{
    const uint32_t p[] = {
        BR(ISA_BEQ, ZERO, ZERO, 2),   /* 0: taken to 3 */
        I(ISA_ADDIU, T0, T0, 1),      /* 1: its slot runs first */
        I(ISA_ADDIU, T1, T1, 1),      /* 2: skipped */
        BR(ISA_BNE, ZERO, ZERO, 2),   /* 3: not taken */
        I(ISA_ADDIU, T2, T2, 1),      /* 4: runs (falls through) */
        I(ISA_ADDIU, T3, T3, 1),      /* 5: runs */
        SYSCALL,
    };
    vm = make(p, N(p), NULL, 0, NULL, 0, DB);
    run_to_syscall();
    ck_assert_int_eq(REG(T0), 1);
    ck_assert_int_eq(REG(T1), 0);
    ck_assert_int_eq(REG(T2), 1);
    ck_assert_int_eq(REG(T3), 1);
    ck_assert_uint_eq(bh_vm_icount(vm), 6); /* beq, slot, bne, 4, 5, syscall */
    ck_assert_uint_eq(bh_vm_pc(vm), PC(7));
    teardown();
    /* the same words without delay slots: no slot */
    vm = make(p, N(p), NULL, 0, NULL, 0, 0);
    run_to_syscall();
    ck_assert_int_eq(REG(T0), 0);
    ck_assert_uint_eq(bh_vm_icount(vm), 5);
}
END_TEST

START_TEST(jumps_link_past_the_slot)
{
    const uint32_t p[] = {
        J(ISA_JAL, PC(6)),               /* 0: call f */
        I(ISA_ADDIU, T0, T0, 1),         /* 1: slot */
        I(ISA_LUI, T3, ZERO, PC(9) >> 16),
        I(ISA_ORI, T3, T3, PC(9) & 0xffff),
        R3(ISA_JALR, S0, T3, 0),         /* 4: jalr s0, t3: call g */
        I(ISA_ADDIU, T3, T3, 8),         /* 5: slot: changes t3 after the target was taken */
        R3(ISA_JR, 0, RA, 0),            /* 6: f: return */
        I(ISA_ADDIU, T1, T1, 1),         /* 7: slot */
        SYSCALL,                         /* 8: not reached: f returns to 2 */
        I(ISA_ADDIU, T2, T2, 1),         /* 9: g */
        J(ISA_J, PC(12)),                /* 10 */
        NOP,                             /* 11 */
        SYSCALL,                         /* 12 */
    };
    vm = make(p, N(p), NULL, 0, NULL, 0, DB);
    run_to_syscall();
    ck_assert_uint_eq(UREG(RA), PC(2));
    ck_assert_uint_eq(UREG(S0), PC(6));
    ck_assert_int_eq(REG(T0), 1);
    ck_assert_int_eq(REG(T1), 1);
    ck_assert_int_eq(REG(T2), 1);
    ck_assert_uint_eq(UREG(T3), PC(9) + 8);
    ck_assert_uint_eq(bh_vm_pc(vm), PC(13));
    /* jal, slot, jr, slot, lui, ori, jalr, slot, g, j, nop, syscall */
    ck_assert_uint_eq(bh_vm_icount(vm), 12);
}
END_TEST

START_TEST(likely_branches)
{
    const uint32_t p[] = {
        BR(ISA_BNEL, ZERO, ZERO, 5),  /* 0: not taken: 1 is skipped */
        I(ISA_ADDIU, T0, T0, 1),      /* 1 */
        BR(ISA_BEQL, ZERO, ZERO, 2),  /* 2: taken: its slot runs */
        I(ISA_ADDIU, T1, T1, 1),      /* 3 */
        I(ISA_ADDIU, T2, T2, 1),      /* 4: skipped */
        SYSCALL,                      /* 5 */
    };
    vm = make(p, N(p), NULL, 0, NULL, 0, DB);
    run_to_syscall();
    ck_assert_int_eq(REG(T0), 0);
    ck_assert_int_eq(REG(T1), 1);
    ck_assert_int_eq(REG(T2), 0);
    ck_assert_uint_eq(bh_vm_icount(vm), 4); /* bnel, beql, slot, syscall */
    teardown();
    /* without delay slots (SPIM too): the skip stays, the taken one has no slot */
    vm = make(p, N(p), NULL, 0, NULL, 0, 0);
    run_to_syscall();
    ck_assert_int_eq(REG(T0), 0);
    ck_assert_int_eq(REG(T1), 0);
    ck_assert_uint_eq(bh_vm_icount(vm), 3);
}
END_TEST

/* SPIM runs a branch in a taken branch's slot with its own slot, then
 * goes to the first branch's target (tt.bare.s depends on it). */
START_TEST(branch_in_a_delay_slot)
{
    const uint32_t p[] = {
        BR(ISA_BEQ, ZERO, ZERO, 4),   /* 0: taken to 5 */
        J(ISA_J, PC(7)),              /* 1: in its slot: taken to 7 */
        I(ISA_ADDIU, T0, T0, 1),      /* 2: the inner jump's slot runs */
        I(ISA_ADDIU, T1, T1, 1),      /* 3 */
        I(ISA_ADDIU, T1, T1, 1),      /* 4 */
        I(ISA_ADDIU, T2, T2, 1),      /* 5: the outer target wins */
        SYSCALL,                      /* 6 */
        I(ISA_ADDIU, T3, T3, 1),      /* 7: the inner target: not reached */
        SYSCALL,
    };
    vm = make(p, N(p), NULL, 0, NULL, 0, DB);
    run_to_syscall();
    ck_assert_int_eq(REG(T0), 1);
    ck_assert_int_eq(REG(T1), 0);
    ck_assert_int_eq(REG(T2), 1);
    ck_assert_int_eq(REG(T3), 0);
    ck_assert_uint_eq(bh_vm_icount(vm), 5); /* beq, j, its slot, 5, syscall */
}
END_TEST

/* A loop whose branch has a slot, run whole and in budgets of every size:
 * the same count, the same registers, and no exit between a branch and
 * its slot (every exit pc is one the program can resume at). */
START_TEST(budget_exits_keep_the_count)
{
    const uint32_t p[] = {
        I(ISA_ADDIU, T1, ZERO, 10),
        I(ISA_ADDIU, T0, T0, 1),      /* 1: loop */
        BR(ISA_BNE, T0, T1, -2),      /* 2 */
        I(ISA_ADDIU, T2, T2, 1),      /* 3: slot, taken or not */
        SYSCALL,
    };
    const uint64_t total = 1 + 10 * 3 + 1;
    vm = make(p, N(p), NULL, 0, NULL, 0, DB);
    run_to_syscall();
    ck_assert_uint_eq(bh_vm_icount(vm), total);
    ck_assert_int_eq(REG(T2), 10);
    teardown();
    for (int64_t budget = 1; budget <= 8; budget++) {
        vm = make(p, N(p), NULL, 0, NULL, 0, DB);
        struct bh_exit ex;
        int exits = 0;
        while ((ex = run(vm, budget)).kind == BH_EXIT_BUDGET) {
            ck_assert_msg(bh_vm_pc(vm) == PC(1) || bh_vm_pc(vm) == PC(4),
                          "budget %lld: exit at 0x%08x", (long long)budget, bh_vm_pc(vm));
            exits++;
        }
        ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
        ck_assert_int_gt(exits, 0);
        ck_assert_uint_eq(bh_vm_icount(vm), total);
        ck_assert_int_eq(REG(T0), 10);
        ck_assert_int_eq(REG(T2), 10);
        teardown();
    }
    /* a budget that runs out on the branch itself: it exits at the target,
     * its slot retired */
    vm = make(p, N(p), NULL, 0, NULL, 0, DB);
    struct bh_exit ex = run(vm, 3);
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
    ck_assert_uint_eq(bh_vm_pc(vm), PC(1));
    ck_assert_uint_eq(bh_vm_icount(vm), 4);
    ck_assert_int_eq(REG(T2), 1);
}
END_TEST

START_TEST(single_step_through_branch_and_slot)
{
    const uint32_t p[] = {
        BR(ISA_BEQ, ZERO, ZERO, 2),   /* 0: taken to 3 */
        I(ISA_ADDIU, T0, T0, 1),      /* 1: slot */
        I(ISA_ADDIU, T1, T1, 1),      /* 2 */
        BR(ISA_BNE, ZERO, ZERO, 2),   /* 3: not taken */
        I(ISA_ADDIU, T2, T2, 1),      /* 4 */
        SYSCALL,                      /* 5 */
    };
    vm = make(p, N(p), NULL, 0, NULL, 0, DB);
    struct bh_exit ex;
    bh_vm_step(vm, &ex); /* the taken branch and its slot: one step */
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
    ck_assert_uint_eq(bh_vm_pc(vm), PC(3));
    ck_assert_uint_eq(bh_vm_icount(vm), 2);
    ck_assert_int_eq(REG(T0), 1);
    bh_vm_step(vm, &ex); /* not taken: the branch alone */
    ck_assert_uint_eq(bh_vm_pc(vm), PC(4));
    ck_assert_uint_eq(bh_vm_icount(vm), 3);
    ck_assert_int_eq(REG(T2), 0);
    bh_vm_step(vm, &ex);
    ck_assert_uint_eq(bh_vm_pc(vm), PC(5));
    ck_assert_int_eq(REG(T2), 1);
    bh_vm_step(vm, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_eq(bh_vm_icount(vm), 5);
}
END_TEST

/* A fault in a taken branch's slot: the handler sees EPC = the branch and
 * Cause.BD; in a not-taken branch's slot (it runs as the next
 * instruction, as SPIM) EPC is its own pc and BD is clear.  Without a
 * handler the monitor gets the slot's pc. */
START_TEST(fault_in_a_delay_slot)
{
    const uint32_t k[] = {
        E(ISA_MFC0, 0, S0, BH_C0_EPC, 0, 0),
        E(ISA_MFC0, 0, S1, BH_C0_CAUSE, 0, 0),
        SYSCALL,
    };
    const uint32_t taken[] = {
        I(ISA_ADDIU, T0, ZERO, 1),
        BR(ISA_BEQ, ZERO, ZERO, 2),   /* 1 */
        E(ISA_BREAK, 0, 0, 0, 0, 0),  /* 2: its slot faults */
        NOP,
        SYSCALL,
    };
    vm = make(taken, N(taken), NULL, 0, k, N(k), DB);
    run_to_syscall();
    ck_assert_uint_eq(UREG(S0), PC(1));
    ck_assert_uint_eq(UREG(S1) & BH_CAUSE_BD, BH_CAUSE_BD);
    ck_assert_uint_eq(UREG(S1) & BH_CAUSE_EXC_MASK, BH_CAUSE_EXC(BH_EXC_BP));
    ck_assert_uint_eq(bh_vm_icount(vm), 2 + 3); /* addiu, beq; break does not retire */
    teardown();

    const uint32_t untaken[] = {
        BR(ISA_BNE, ZERO, ZERO, 2),
        E(ISA_BREAK, 0, 0, 0, 0, 0),  /* 1 */
        NOP,
        SYSCALL,
    };
    vm = make(untaken, N(untaken), NULL, 0, k, N(k), DB);
    run_to_syscall();
    ck_assert_uint_eq(UREG(S0), PC(1));
    ck_assert_uint_eq(UREG(S1) & BH_CAUSE_BD, 0);
    teardown();

    vm = make(taken, N(taken), NULL, 0, NULL, 0, DB);
    struct bh_exit ex = run(vm, 1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_BP);
    ck_assert_uint_eq(ex.pc, PC(2));
    ck_assert_uint_eq(ex.word, taken[2]);
    ck_assert_uint_eq(bh_vm_icount(vm), 2);
}
END_TEST

/* The common slot instructions run fused with their trampoline's continue
 * op (decode.h, BH_SLOT_OPS): the slot still runs after the branch took
 * its operands and target, retires as itself, and a fault in it is the
 * slot's (EPC = the branch, BD), budget exits in and around it exact. */
START_TEST(fused_slot_and_continue)
{
    const uint32_t loop[] = {
        I(ISA_ADDIU, T1, ZERO, 5),
        BR(ISA_BNE, T0, T1, -1),      /* 1: compares t0 before its slot adds */
        I(ISA_ADDIU, T0, T0, 1),      /* 2: slot: writes the branch's source */
        I(ISA_LUI, T3, ZERO, PC(7) >> 16),
        I(ISA_ORI, T3, T3, PC(7) & 0xffff),
        E(ISA_JR, T3, 0, 0, 0, 0),    /* 5: target taken before its slot */
        I(ISA_LUI, T3, ZERO, 0),      /* 6: slot: clears jr's register */
        I(ISA_SW, T0, ZERO, 0),       /* 7: not reached: its address faults */
        SYSCALL,
    };
    uint32_t p[N(loop)];
    memcpy(p, loop, sizeof p);
    p[7] = I(ISA_ADDIU, T4, T4, 1);
    vm = make(p, N(p), NULL, 0, NULL, 0, DB);
    const struct bh_code *c = &vm->core->text;
    ck_assert_uint_eq(c->d[BH_CODE_TRAMP(c)].u.op, BH_DOP_SLOT_ADDIU);
    ck_assert_uint_eq(c->d[BH_CODE_TRAMP(c) + 2].u.op, BH_DOP_SLOTR_LUI);
    /* bne runs 6 times (t0 0..5 when compared), each slot adds */
    const uint64_t total = 1 + 6 * 2 + 3 + 1 + 1 + 1;
    run_to_syscall();
    ck_assert_int_eq(REG(T0), 6);
    ck_assert_int_eq(REG(T3), 0);
    ck_assert_int_eq(REG(T4), 1);
    ck_assert_uint_eq(bh_vm_icount(vm), total);
    teardown();
    /* every budget: exits only at branch targets, the same end */
    for (int64_t budget = 1; budget <= 9; budget++) {
        vm = make(p, N(p), NULL, 0, NULL, 0, DB);
        struct bh_exit ex;
        while ((ex = run(vm, budget)).kind == BH_EXIT_BUDGET)
            ck_assert_msg(bh_vm_pc(vm) == PC(1) || bh_vm_pc(vm) == PC(3) || bh_vm_pc(vm) == PC(7) ||
                              bh_vm_pc(vm) == PC(8),
                          "budget %lld: exit at 0x%08x", (long long)budget, bh_vm_pc(vm));
        ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
        ck_assert_uint_eq(bh_vm_icount(vm), total);
        ck_assert_int_eq(REG(T0), 6);
        ck_assert_int_eq(REG(T4), 1);
        teardown();
    }
    /* a budget that runs out on the branch: the fused slot retires, the
     * exit is at the target */
    vm = make(p, N(p), NULL, 0, NULL, 0, DB);
    struct bh_exit ex = run(vm, 2);
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
    ck_assert_uint_eq(bh_vm_pc(vm), PC(1));
    ck_assert_uint_eq(bh_vm_icount(vm), 3);
    ck_assert_int_eq(REG(T0), 1);
    teardown();

    /* faulting slots (lw, then sw after jr): EPC = the branch, BD, and
     * the slot does not retire */
    const uint32_t k[] = {
        E(ISA_MFC0, 0, S0, BH_C0_EPC, 0, 0),
        E(ISA_MFC0, 0, S1, BH_C0_CAUSE, 0, 0),
        E(ISA_MFC0, 0, T2, BH_C0_BADVADDR, 0, 0),
        SYSCALL,
    };
    const uint32_t lw[] = {
        I(ISA_ADDIU, T0, ZERO, 1),
        BR(ISA_BEQ, ZERO, ZERO, 2),   /* 1 */
        I(ISA_LW, T4, T0, 0),         /* 2: slot: unaligned */
        NOP,
        SYSCALL,
    };
    vm = make(lw, N(lw), NULL, 0, k, N(k), DB);
    ck_assert_uint_eq(vm->core->text.d[BH_CODE_TRAMP(&vm->core->text)].u.op, BH_DOP_SLOT_LW);
    run_to_syscall();
    ck_assert_uint_eq(UREG(S0), PC(1));
    ck_assert_uint_eq(UREG(S1) & BH_CAUSE_BD, BH_CAUSE_BD);
    ck_assert_uint_eq(UREG(S1) & BH_CAUSE_EXC_MASK, BH_CAUSE_EXC(BH_EXC_ADEL));
    ck_assert_uint_eq(UREG(T2), 1);
    ck_assert_int_eq(REG(T4), 0);
    ck_assert_uint_eq(bh_vm_icount(vm), 2 + 4); /* addiu, beq; lw does not retire */
    teardown();
    uint32_t q[N(loop)];
    memcpy(q, loop, sizeof q);
    q[6] = I(ISA_SW, T0, T0, 1); /* jr's slot: an unaligned store */
    vm = make(q, N(q), NULL, 0, k, N(k), DB);
    run_to_syscall();
    ck_assert_uint_eq(UREG(S0), PC(5));
    ck_assert_uint_eq(UREG(S1) & BH_CAUSE_BD, BH_CAUSE_BD);
    ck_assert_uint_eq(UREG(S1) & BH_CAUSE_EXC_MASK, BH_CAUSE_EXC(BH_EXC_ADES));
    ck_assert_uint_eq(UREG(T2), 7);
    ck_assert_uint_eq(bh_vm_icount(vm), 1 + 6 * 2 + 3 + 4);
    teardown();
    /* without a handler the monitor gets the slot's pc */
    vm = make(q, N(q), NULL, 0, NULL, 0, DB);
    ex = run(vm, 1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_ADES);
    ck_assert_uint_eq(ex.pc, PC(6));
    ck_assert_uint_eq(bh_vm_icount(vm), 1 + 6 * 2 + 3);
}
END_TEST

/* A syscall in a slot retires it: the exit resumes at the target. */
START_TEST(syscall_in_a_delay_slot)
{
    const uint32_t p[] = {
        I(ISA_ADDIU, V0, ZERO, 1),
        BR(ISA_BEQ, ZERO, ZERO, 2),   /* 1 */
        SYSCALL,                      /* 2: slot */
        I(ISA_ADDIU, T0, T0, 1),      /* 3: skipped */
        I(ISA_ADDIU, T1, T1, 1),      /* 4: the target */
        SYSCALL,
    };
    vm = make(p, N(p), NULL, 0, NULL, 0, DB);
    struct bh_exit ex = run(vm, 1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_eq(ex.pc, PC(4));
    ck_assert_uint_eq(bh_vm_icount(vm), 3);
    /* a syscall that must run again goes back to its branch */
    bh_vm_retry_syscall(vm);
    ck_assert_uint_eq(bh_vm_pc(vm), PC(1));
    ck_assert_uint_eq(bh_vm_icount(vm), 1);
    ex = run(vm, 1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_eq(ex.pc, PC(4));
    run_to_syscall();
    ck_assert_int_eq(REG(T0), 0);
    ck_assert_int_eq(REG(T1), 1);
}
END_TEST

/* --stats with delay slots: the slot counts as what it is, once. */
START_TEST(tally_counts_the_slot)
{
    const uint32_t p[] = {
        BR(ISA_BEQ, ZERO, ZERO, 2),
        I(ISA_ORI, T0, T0, 1),        /* slot */
        I(ISA_ORI, T1, T1, 1),        /* skipped */
        SYSCALL,
    };
    vm = make(p, N(p), NULL, 0, NULL, 0, DB);
    ck_assert_int_eq(bh_vm_tally(vm), 0);
    run_to_syscall();
    const uint64_t *mix = bh_vm_mix(vm);
    ck_assert_uint_eq(mix[ISA_BEQ], 1);
    ck_assert_uint_eq(mix[ISA_ORI], 1);
    ck_assert_uint_eq(mix[ISA_SYSCALL], 1);
    ck_assert_int_eq(REG(T0), 1);
    ck_assert_int_eq(REG(T1), 0);
}
END_TEST

/* ---- loads -------------------------------------------------------------------- */

START_TEST(delayed_loads_as_spim)
{
    const uint32_t d[] = {101, 202};
    const uint32_t p[] = {
        I(ISA_LUI, A0, ZERO, BH_DATA_BASE >> 16),
        I(ISA_ADDIU, T0, ZERO, 1),
        I(ISA_LW, T0, A0, 0),         /* 2: t0 = 101, one instruction late */
        R3(ISA_ADDU, T1, T0, ZERO),   /* 3: sees 1 */
        R3(ISA_ADDU, T2, T0, ZERO),   /* 4: sees 101 */
        I(ISA_LW, T3, A0, 0),         /* 5 */
        I(ISA_ADDIU, T3, ZERO, 5),    /* 6: written, then the load wins */
        I(ISA_LW, T4, A0, 0),         /* 7: two loads in a row */
        I(ISA_LW, T4, A0, 4),         /* 8 */
        R3(ISA_ADDU, S0, T4, ZERO),   /* 9: sees 101 (from 7) */
        R3(ISA_ADDU, S1, T4, ZERO),   /* 10: sees 202 */
        SYSCALL,
    };
    vm = make(p, N(p), d, N(d), NULL, 0, DL);
    run_to_syscall();
    ck_assert_int_eq(REG(T1), 1);
    ck_assert_int_eq(REG(T2), 101);
    ck_assert_int_eq(REG(T3), 101);
    ck_assert_int_eq(REG(S0), 101);
    ck_assert_int_eq(REG(S1), 202);
    ck_assert_uint_eq(bh_vm_icount(vm), N(p));
}
END_TEST

/* A load right before a syscall: the syscall sees the old value (SPIM),
 * the next instruction the new one, also after the CPU was saved and
 * loaded into another VM at that exit. */
START_TEST(load_pipeline_across_exit_and_snapshot)
{
    const uint32_t d[] = {77};
    const uint32_t p[] = {
        I(ISA_LUI, A0, ZERO, BH_DATA_BASE >> 16),
        I(ISA_LW, T0, A0, 0),
        SYSCALL,                      /* 2: t0 still 0 here */
        R3(ISA_ADDU, T1, T0, ZERO),   /* 3: 77 */
        SYSCALL,
    };
    vm = make(p, N(p), d, N(d), NULL, 0, DL);
    struct bh_exit ex = run(vm, 1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(REG(T0), 0);
    struct bh_buf b = {0};
    ck_assert_int_eq(bh_core_save(bh_vm_core(vm), &b), 0);
    struct bh_vm *v2 = make(p, N(p), d, N(d), NULL, 0, DL);
    char err[256];
    struct bh_rd r = {b.data, b.len, 0, 0};
    ck_assert_msg(bh_core_load(bh_vm_core(v2), &r, BH_CPU_STATE_VERSION, err, sizeof err) == 0,
                  "%s", err);
    ck_assert_int_eq(run(v2, 1000).kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(bh_vm_reg(v2, T1), 77);
    bh_vm_destroy(v2);
    run_to_syscall();
    ck_assert_int_eq(REG(T1), 77);
    /* into a VM without delayed loads: refused, with the options to use */
    struct bh_vm *v3 = make(p, N(p), d, N(d), NULL, 0, 0);
    struct bh_rd r3 = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_core_load(bh_vm_core(v3), &r3, BH_CPU_STATE_VERSION, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "taken with -delayed_loads, this VM runs with no delay slots"), "%s",
                  err);
    bh_vm_destroy(v3);
    bh_buf_free(&b);
}
END_TEST

/* Both kinds at once, and the image's flags instead of options. */
START_TEST(image_flags_select_delay_slots)
{
    const uint32_t d[] = {9};
    const uint32_t p[] = {
        I(ISA_LUI, A0, ZERO, BH_DATA_BASE >> 16),
        BR(ISA_BEQ, ZERO, ZERO, 2),
        I(ISA_LW, T0, A0, 0),         /* 2: slot: a load */
        NOP,                          /* 3: skipped */
        R3(ISA_ADDU, T1, T0, ZERO),   /* 4: the target sees the old t0 */
        R3(ISA_ADDU, T2, T0, ZERO),   /* 5: 9 */
        SYSCALL,
    };
    memset(&img, 0, sizeof img);
    put_words(&img.seg[BH_SEG_TEXT], &text_buf, BH_TEXT_BASE, p, N(p));
    put_words(&img.seg[BH_SEG_DATA], &data_buf, BH_DATA_BASE, d, N(d));
    img.entry = BH_TEXT_BASE;
    img.flags = BH_IMG_DELAYED_BRANCHES | BH_IMG_DELAYED_LOADS;
    char err[256];
    ck_assert_int_eq(bh_vm_create(&img, NULL, &vm, err, sizeof err), 0);
    ck_assert_int_eq(bh_vm_tally(vm), 0); /* --stats through the load pipeline */
    run_to_syscall();
    ck_assert_int_eq(REG(T1), 0);
    ck_assert_int_eq(REG(T2), 9);
    ck_assert_uint_eq(bh_vm_icount(vm), 6);
    const uint64_t *mix = bh_vm_mix(vm);
    ck_assert_uint_eq(mix[ISA_LW], 1);
    ck_assert_uint_eq(mix[ISA_BEQ], 1);
    ck_assert_uint_eq(mix[ISA_ADDU], 2);
    ck_assert_uint_eq(mix[ISA_SLL], 0); /* the skipped nop */
}
END_TEST

Suite *delay_suite(void)
{
    Suite *s = suite_create("delay");
    TCase *t = tcase_create("branches");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, taken_and_untaken_branch);
    tcase_add_test(t, jumps_link_past_the_slot);
    tcase_add_test(t, likely_branches);
    tcase_add_test(t, branch_in_a_delay_slot);
    tcase_add_test(t, budget_exits_keep_the_count);
    tcase_add_test(t, single_step_through_branch_and_slot);
    tcase_add_test(t, fault_in_a_delay_slot);
    tcase_add_test(t, fused_slot_and_continue);
    tcase_add_test(t, syscall_in_a_delay_slot);
    tcase_add_test(t, tally_counts_the_slot);
    suite_add_tcase(s, t);
    t = tcase_create("loads");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, delayed_loads_as_spim);
    tcase_add_test(t, load_pipeline_across_exit_and_snapshot);
    tcase_add_test(t, image_flags_select_delay_slots);
    suite_add_tcase(s, t);
    return s;
}
