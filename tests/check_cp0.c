/* check_cp0.c: coprocessor 0 on the core itself (cpu.h), in both machine
 * flavours: the SPIM-style one (flags 0) and the privileged one
 * (BH_CORE_PRIV).  Each register's write mask and read value, each
 * exception's vector, EPC, Cause and BadVAddr, eret and rfe, CpU with
 * Cause.CE, the BEV vectors, and interrupt masking by IE, EXL, ERL, IM. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "image.h"
#include "isa.h"
#include "core_test_util.h"
#include "vm.h"
#include "core/cpu.h"
#include "core/cpu_priv.h"
#include "machine/vm_internal.h"

enum { ZERO = 0, V0 = 2, A0 = 4, T0 = 8, T1, T2, T3, T4, T5, T6, K0 = 26, K1 = 27 };

#define I(op, rt, rs, imm) E(op, rs, rt, 0, 0, (uint32_t)(imm) & 0xffffu)
#define R3(op, rd, rs, rt) E(op, rs, rt, rd, 0, 0)
#define MFC0(rt, rd, sel) E(ISA_MFC0, 0, rt, rd, 0, sel)
#define MTC0(rt, rd, sel) E(ISA_MTC0, 0, rt, rd, 0, sel)
/* The exit that ends a test: a hypercall (a syscall is the guest kernel's
 * in the privileged machine). */
#define STOP E(ISA_DUMP_PROCESSOR_STATE, 0, 0, 0, 0, 0)
#define BREAK E(ISA_BREAK, 0, 0, 0, 0, 0)
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The handler every test uses: t3 = EPC, t4 = Cause, t5 = BadVAddr, t6 =
 * Status, then a hypercall (an exit: the test looks at the registers). */
#define HANDLER_N 5
static const uint32_t *handler(void)
{
    static uint32_t h[HANDLER_N];
    const uint32_t w[HANDLER_N] = {MFC0(T3, BH_C0_EPC, 0), MFC0(T4, BH_C0_CAUSE, 0),
                                   MFC0(T5, BH_C0_BADVADDR, 0), MFC0(T6, BH_C0_STATUS, 0),
                                   STOP};
    memcpy(h, w, sizeof h);
    return h;
}

static struct bh_core *core;
static uint8_t *text_buf, *ktext_buf;

/* A core running w[0..n) at BH_TEXT_BASE, with k[0..kn) at kaddr (none
 * when kn is 0), flags BH_CORE_*, and Status st. */
static void make_at(const uint32_t *w, size_t n, const uint32_t *k, size_t kn, uint32_t kaddr,
                    unsigned flags, uint32_t st)
{
    struct bh_segment text = {0}, ktext = {0};
    put_words(&text, &text_buf, BH_TEXT_BASE, w, n);
    if (kn)
        put_words(&ktext, &ktext_buf, kaddr, k, kn);
    char err[256] = "";
    int rc = bh_core_new(16u << 20, &text, &ktext, flags, &core, err, sizeof err);
    ck_assert_msg(rc == 0, "bh_core_new: %s", err);
    bh_core_set_pc(core, BH_TEXT_BASE);
    if (flags & BH_CORE_PRIV) { /* kuseg is mapped there: the text's page pair as it is */
        const struct bh_gtlb_entry e = {BH_TEXT_BASE, {(BH_TEXT_BASE >> 12) << 6 | 7,
                                                       ((BH_TEXT_BASE >> 12) + 1) << 6 | 7}};
        bh_mem_gtlb_write(bh_core_mem(core), 0, &e);
    }
    bh_core_set_c0(core, BH_C0_STATUS, st);
}

static void make(const uint32_t *w, size_t n, unsigned flags, uint32_t st)
{
    make_at(w, n, handler(), HANDLER_N, BH_VEC_GENERAL, flags, st);
}

static void teardown(void)
{
    bh_core_free(core);
    core = NULL;
    free(text_buf);
    free(ktext_buf);
    text_buf = ktext_buf = NULL;
}

static struct bh_exit run(void)
{
    struct bh_exit ex;
    bh_core_run(core, 100000, &ex);
    return ex;
}

#define UREG(r) ((uint32_t)bh_core_reg(core, r))
#define EXC(cause) (((cause) & BH_CAUSE_EXC_MASK) >> 2)

/* Run to the handler's syscall: the exception was delivered. */
static void run_to_handler(uint32_t vector)
{
    struct bh_exit ex = run();
    ck_assert_int_eq(ex.kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(ex.pc, vector + 4 * HANDLER_N);
}

/* ---- registers --------------------------------------------------------------- */

/* Write all ones, then read back; then zeros. */
static uint32_t status_after(unsigned flags, uint32_t v)
{
    const uint32_t p[] = {I(ISA_LUI, T0, ZERO, v >> 16), I(ISA_ORI, T0, T0, v & 0xffff),
                          MTC0(T0, BH_C0_STATUS, 0), MFC0(T1, BH_C0_STATUS, 0), STOP};
    make(p, N(p), flags, 0);
    ck_assert_int_eq(run().kind, BH_EXIT_HYPERCALL);
    uint32_t r = UREG(T1);
    teardown();
    return r;
}

START_TEST(status_write_mask)
{
    /* MIPS32 (privileged): CU, BEV, IM, KSU, ERL, EXL, IE */
    ck_assert_uint_eq(status_after(BH_CORE_PRIV, 0xffffffffu), 0xf040ff1fu);
    ck_assert_uint_eq(status_after(BH_CORE_PRIV, 0), 0);
    /* SPIM's: CU, UM, IM, EXL, IE, and CU0, CU1, UM always set (spim 8.0
     * reads 0x30000410 after mtc0 of 0x400) */
    ck_assert_uint_eq(status_after(0, 0xffffffffu), 0xf000ff13u);
    ck_assert_uint_eq(status_after(0, 0x400), 0x30000410u);
}
END_TEST

START_TEST(cause_write_mask)
{
    /* Only IP0 and IP1 are written; a device's line (IP2) stays. */
    const uint32_t p[] = {I(ISA_ADDIU, T0, ZERO, -1), MTC0(T0, BH_C0_CAUSE, 0),
                          MFC0(T1, BH_C0_CAUSE, 0), MTC0(ZERO, BH_C0_CAUSE, 0),
                          MFC0(T2, BH_C0_CAUSE, 0), STOP};
    make(p, N(p), BH_CORE_PRIV, 0);
    bh_core_irq(core, 0x400, 1);
    ck_assert_int_eq(run().kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(UREG(T1), 0x700u);
    ck_assert_uint_eq(UREG(T2), 0x400u);
}
END_TEST

START_TEST(read_only_and_unimplemented)
{
    /* BadVAddr, PRId, Config, Config1 ignore writes; select 2 reads 0; a
     * write with select 1 does not reach select 0.  Register 7 (none in
     * MIPS32) reads 0 in the privileged machine and keeps what was written
     * in the SPIM-style one, as SPIM's CPR[0][7]. */
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, -1),
        MTC0(T0, BH_C0_BADVADDR, 0), MTC0(T0, BH_C0_PRID, 0), MTC0(T0, BH_C0_CONFIG, 0),
        MTC0(T0, BH_C0_CONFIG, 1), MTC0(T0, 7, 0), MTC0(T0, BH_C0_EPC, 1),
        MFC0(T1, BH_C0_BADVADDR, 0), MFC0(T2, BH_C0_PRID, 0), MFC0(T3, BH_C0_CONFIG, 0),
        MFC0(T4, BH_C0_CONFIG, 1), MFC0(T5, 7, 0), MFC0(T6, BH_C0_PRID, 2),
        MFC0(V0, BH_C0_EPC, 0), STOP,
    };
    for (unsigned flags = 0; flags <= BH_CORE_PRIV; flags += BH_CORE_PRIV) {
        make(p, N(p), flags, 0);
        ck_assert_int_eq(run().kind, BH_EXIT_HYPERCALL);
        ck_assert_uint_eq(UREG(T1), 0);
        ck_assert_uint_eq(UREG(T2), BH_PRID);
        ck_assert_uint_eq(UREG(T3), BH_CONFIG);
        ck_assert_uint_eq(UREG(T3) >> 7 & 7u, 1); /* MT: standard TLB */
        ck_assert_uint_eq(UREG(T3) & 0x8000u, 0); /* BE: little-endian */
        ck_assert_uint_eq(UREG(T4), BH_CONFIG1);
        ck_assert_uint_eq((UREG(T4) >> 25 & 63u) + 1, 32); /* TLB entries */
        ck_assert_uint_eq(UREG(T5), flags ? 0 : 0xffffffffu);
        ck_assert_uint_eq(UREG(T6), 0);
        ck_assert_uint_eq(UREG(V0), 0);
        teardown();
    }
}
END_TEST

START_TEST(compare_clears_ip7)
{
    const uint32_t p[] = {MFC0(T0, BH_C0_CAUSE, 0), I(ISA_ADDIU, T1, ZERO, 1000),
                          MTC0(T1, BH_C0_COMPARE, 0), MFC0(T2, BH_C0_CAUSE, 0),
                          MFC0(T3, BH_C0_COMPARE, 0), STOP};
    make(p, N(p), 0, 0);
    bh_core_irq(core, BH_CAUSE_TIMER, 1);
    ck_assert_int_eq(run().kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(UREG(T0) & BH_CAUSE_TIMER, BH_CAUSE_TIMER);
    ck_assert_uint_eq(UREG(T2) & BH_CAUSE_TIMER, 0);
    ck_assert_uint_eq(UREG(T3), 1000);
}
END_TEST

/* Count reaches Compare between two taken branches and an mtc0 of
 * another register follows at once: IP7 is still raised (the write must
 * not move the timer past the tick it has not looked at yet). */
START_TEST(timer_tick_before_mtc0)
{
    const uint32_t p[] = {MTC0(ZERO, BH_C0_COUNT, 0), I(ISA_ADDIU, T1, ZERO, 3),
                          MTC0(T1, BH_C0_COMPARE, 0), 0, 0, 0, MTC0(ZERO, BH_C0_EPC, 0),
                          MFC0(T2, BH_C0_CAUSE, 0), STOP};
    make(p, N(p), 0, 0);
    ck_assert_int_eq(run().kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(UREG(T2) & BH_CAUSE_TIMER, BH_CAUSE_TIMER);
    ck_assert_uint_eq(bh_core_guest_events(core)->irq[7], 1);
}
END_TEST

/* ---- exceptions ---------------------------------------------------------------- */

/* Each program faults at its instruction 2 (after two setup words). */
struct fault_case {
    const char *what;
    uint32_t p[3];
    int exc;
    int bad; /* BadVAddr is set: to badv */
    uint32_t badv;
};

START_TEST(each_exception)
{
    const struct fault_case cases[] = {
        {"AdEL", {I(ISA_LUI, T0, ZERO, 0x1001), 0, I(ISA_LW, T1, T0, 2)},
         BH_EXC_ADEL, 1, 0x10010002u},
        {"AdES", {I(ISA_LUI, T0, ZERO, 0x1001), 0, I(ISA_SH, T1, T0, 1)}, BH_EXC_ADES, 1,
         0x10010001u},
        {"Bp", {0, 0, BREAK}, BH_EXC_BP, 0, 0},
        {"RI", {0, 0, 0xfc000000u}, BH_EXC_RI, 0, 0},
        {"Ov", {I(ISA_LUI, T0, ZERO, 0x7fff), I(ISA_ORI, T0, T0, 0xffff), R3(ISA_ADD, T1, T0, T0)},
         BH_EXC_OV, 0, 0},
        {"Tr", {0, 0, E(ISA_TEQ, ZERO, ZERO, 0, 0, 0)}, BH_EXC_TR, 0, 0},
        {"FPE", {I(ISA_ORI, T0, ZERO, 0xc00), E(ISA_CTC1, 0, T0, 31, 0, 0),
                 E(ISA_DIV_S, 0, 2, 0, 0, 0)}, BH_EXC_FPE, 0, 0},
        {"rfe", {0, 0, ISA_RFE_WORD}, BH_EXC_RI, 0, 0},
    };
    for (unsigned flags = 0; flags <= BH_CORE_PRIV; flags += BH_CORE_PRIV)
        for (size_t i = 0; i < N(cases); i++) {
            uint32_t p[4] = {cases[i].p[0], cases[i].p[1], cases[i].p[2], STOP};
            make(p, N(p), flags, BH_ST_CU1);
            bh_core_set_c0(core, BH_C0_BADVADDR, 0x5a5a5a5au);
            bh_core_set_c0(core, BH_C0_CAUSE, BH_CAUSE_BD | BH_CAUSE_CE);
            run_to_handler(BH_VEC_GENERAL);
            ck_assert_msg(EXC(UREG(T4)) == (uint32_t)cases[i].exc, "%s: ExcCode %u", cases[i].what,
                          EXC(UREG(T4)));
            ck_assert_msg(UREG(T3) == BH_TEXT_BASE + 8, "%s: EPC 0x%08x", cases[i].what, UREG(T3));
            ck_assert_msg(!(UREG(T4) & (BH_CAUSE_BD | BH_CAUSE_CE)), "%s: BD or CE set",
                          cases[i].what);
            ck_assert_uint_eq(UREG(T5), cases[i].bad ? cases[i].badv : 0x5a5a5a5au);
            ck_assert(UREG(T6) & BH_ST_EXL);
            teardown();
        }
}
END_TEST

START_TEST(exl_set_keeps_epc)
{
    /* A fault with EXL already set: EPC and BD stay, ExcCode changes.  The
     * privileged machine delivers it; the SPIM-style one stops (monitor). */
    const uint32_t p[] = {0, BREAK, STOP};
    make(p, N(p), BH_CORE_PRIV, BH_ST_EXL);
    bh_core_set_c0(core, BH_C0_EPC, 0x00400abcu);
    bh_core_set_c0(core, BH_C0_CAUSE, BH_CAUSE_BD);
    run_to_handler(BH_VEC_GENERAL);
    ck_assert_uint_eq(UREG(T3), 0x00400abcu);
    ck_assert_uint_eq(UREG(T4) & BH_CAUSE_BD, BH_CAUSE_BD);
    ck_assert_uint_eq(EXC(UREG(T4)), BH_EXC_BP);
    teardown();

    make(p, N(p), 0, BH_ST_EXL);
    struct bh_exit ex = run();
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_BP);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 4);
}
END_TEST

START_TEST(bev_vectors)
{
    /* BEV = 1: the boot ROM's vector (kseg1); without a handler there the
     * fault goes to the monitor. */
    const uint32_t p[] = {BREAK, STOP};
    make_at(p, N(p), handler(), HANDLER_N, BH_VEC_BEV_GENERAL, BH_CORE_PRIV, BH_ST_BEV);
    run_to_handler(BH_VEC_BEV_GENERAL);
    ck_assert_uint_eq(UREG(T3), BH_TEXT_BASE);
    teardown();
    make_at(p, N(p), handler(), HANDLER_N, BH_VEC_GENERAL, BH_CORE_PRIV, BH_ST_BEV);
    ck_assert_int_eq(bh_core_has_handler(core), 0);
    struct bh_exit ex = run();
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_BP);
}
END_TEST

/* ---- eret, rfe ------------------------------------------------------------------- */

START_TEST(eret_levels)
{
    /* EXL: pc = EPC, EXL cleared.  ERL (with EXL): pc = ErrorEPC, only ERL
     * cleared.  Both clear the LL bit (this core's sc always succeeds: one
     * CPU; the bit is state a snapshot carries). */
    const uint32_t p[] = {
        I(ISA_LUI, T0, ZERO, 0x8001), /* kseg0: unmapped */
        I(ISA_LL, T1, T0, 0),
        ISA_ERET_WORD,
        STOP,                               /* not reached */
        I(ISA_ADDIU, T2, ZERO, 1),             /* EPC: here */
        MFC0(T3, BH_C0_STATUS, 0),
        ISA_ERET_WORD,
        STOP,                               /* not reached */
        MFC0(T4, BH_C0_STATUS, 0),             /* ErrorEPC: here */
        STOP,
    };
    make(p, N(p), BH_CORE_PRIV, BH_ST_EXL);
    bh_core_set_c0(core, BH_C0_EPC, BH_TEXT_BASE + 16);
    bh_core_set_c0(core, BH_C0_ERROREPC, BH_TEXT_BASE + 32);
    /* the first eret leaves EXL; set ERL | EXL for the second from inside */
    struct bh_exit ex;
    bh_core_run(core, 1, &ex); /* lui, ll, eret: its taken branch ends the budget */
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
    ck_assert_uint_eq(bh_core_pc(core), BH_TEXT_BASE + 16);
    ck_assert_int_eq(core->cpu.llbit, 0);
    bh_core_set_c0(core, BH_C0_STATUS, BH_ST_ERL | BH_ST_EXL);
    ex = run();
    ck_assert_int_eq(ex.kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 40);
    ck_assert_uint_eq(UREG(T3), BH_ST_ERL | BH_ST_EXL);
    ck_assert_uint_eq(UREG(T4), BH_ST_EXL);
}
END_TEST

/* ---- privilege (BH_CORE_PRIV) -------------------------------------------------- */

#define USER BH_ST_UM /* KSU = 2 */

START_TEST(cop0_in_user_mode_is_cpu)
{
    const uint32_t ops[] = {MFC0(T0, BH_C0_STATUS, 0), MTC0(ZERO, BH_C0_EPC, 0), ISA_ERET_WORD,
                            ISA_RFE_WORD};
    for (size_t i = 0; i < N(ops); i++) {
        const uint32_t p[] = {0, ops[i], STOP};
        make(p, N(p), BH_CORE_PRIV, USER);
        run_to_handler(BH_VEC_GENERAL);
        ck_assert_uint_eq(EXC(UREG(T4)), BH_EXC_CPU);
        ck_assert_uint_eq(UREG(T4) & BH_CAUSE_CE, 0);
        ck_assert_uint_eq(UREG(T3), BH_TEXT_BASE + 4);
        teardown();
    }
    /* CU0 allows them in user mode; kernel mode (KSU = 0) needs no CU0;
     * the SPIM-style machine never checks. */
    const uint32_t p[] = {MFC0(T0, BH_C0_PRID, 0), STOP};
    const uint32_t st[] = {USER | BH_ST_CU0, 0};
    for (size_t i = 0; i < N(st); i++) {
        make(p, N(p), BH_CORE_PRIV, st[i]);
        ck_assert_uint_eq(run().pc, BH_TEXT_BASE + 8);
        ck_assert_uint_eq(UREG(T0), BH_PRID);
        teardown();
    }
    make(p, N(p), 0, USER);
    ck_assert_uint_eq(run().pc, BH_TEXT_BASE + 8);
}
END_TEST

START_TEST(cop1_without_cu1_is_cpu)
{
    /* Every kind of cop1 instruction: a move, an arithmetic op, a load, a
     * branch, movf; each CpU with CE = 1 when CU1 = 0, in kernel mode too. */
    const uint32_t ops[] = {
        E(ISA_MTC1, 0, T0, 2, 0, 0),
        E(ISA_ADD_S, 0, 2, 4, 0, 0),
        I(ISA_LWC1, 2, 29, 0),
        E(ISA_BC1F, 0, 0, 0, 0, 1),
        R3(ISA_MOVF, T1, T0, 0),
    };
    for (size_t i = 0; i < N(ops); i++) {
        const uint32_t p[] = {0, ops[i], STOP, STOP};
        make(p, N(p), BH_CORE_PRIV, 0);
        run_to_handler(BH_VEC_GENERAL);
        ck_assert_uint_eq(EXC(UREG(T4)), BH_EXC_CPU);
        ck_assert_uint_eq((UREG(T4) & BH_CAUSE_CE) >> BH_CAUSE_CE_SHIFT, 1);
        ck_assert_uint_eq(UREG(T3), BH_TEXT_BASE + 4);
        teardown();
    }
    /* With CU1 they run; the SPIM-style machine runs them without CU1;
     * --stats (tallying) keeps the check. */
    const uint32_t p[] = {I(ISA_ADDIU, T0, ZERO, 7), E(ISA_MTC1, 0, T0, 2, 0, 0),
                          E(ISA_MFC1, 0, T1, 2, 0, 0), STOP};
    make(p, N(p), BH_CORE_PRIV, BH_ST_CU1);
    ck_assert_int_eq(run().kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(UREG(T1), 7);
    teardown();
    make(p, N(p), 0, 0);
    ck_assert_int_eq(run().kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(UREG(T1), 7);
    teardown();
    make(p, N(p), BH_CORE_PRIV, 0);
    ck_assert_int_eq(bh_core_tally(core), 0);
    run_to_handler(BH_VEC_GENERAL);
    ck_assert_uint_eq(EXC(UREG(T4)), BH_EXC_CPU);
    ck_assert_uint_eq(bh_core_mix(core)[ISA_MTC1], 0); /* did not retire */
}
END_TEST

START_TEST(cpu_without_handler_goes_to_monitor)
{
    const uint32_t p[] = {E(ISA_MTC1, 0, T0, 2, 0, 0), STOP};
    make_at(p, N(p), NULL, 0, 0, BH_CORE_PRIV, 0);
    struct bh_exit ex = run();
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_CPU);
    ck_assert_uint_eq(ex.code, 1);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE);
}
END_TEST

START_TEST(fault_message_names_mode_and_vector)
{
    /* A VM whose core is the privileged one: its fault message says the
     * mode the fault came from and the vector without a handler.  (The
     * machine flavour that makes such VMs comes with the TLB work; here the
     * core is swapped in for the message alone.) */
    const uint32_t p[] = {E(ISA_MTC1, 0, T0, 2, 0, 0), STOP};
    static char strings[] = "\0x";
    struct bh_image img = {0};
    uint8_t *vm_text = NULL;
    put_words(&img.seg[BH_SEG_TEXT], &vm_text, BH_TEXT_BASE, p, N(p));
    img.entry = BH_TEXT_BASE;
    img.strings = strings;
    img.strings_size = sizeof strings;
    struct bh_vm *vm;
    char err[256], msg[512];
    ck_assert_int_eq(bh_vm_create(&img, NULL, &vm, err, sizeof err), 0);
    make_at(p, N(p), NULL, 0, 0, BH_CORE_PRIV, BH_ST_UM | BH_ST_BEV);
    struct bh_exit ex = run();
    struct bh_core *own = vm->core;
    vm->core = core;
    bh_fault_message(vm, &ex, msg, sizeof msg);
    ck_assert_str_eq(msg, "coprocessor unusable (CpU): coprocessor 1 is not enabled (Status.CU1) in "
                          "user mode, and no handler at its vector 0xbfc00380 (Status.BEV = 1) at "
                          "PC 0x00400000");
    bh_core_set_c0(core, BH_C0_STATUS, BH_ST_EXL);
    ex.exc = BH_EXC_BP;
    ex.code = 0;
    bh_fault_message(vm, &ex, msg, sizeof msg);
    ck_assert_msg(strstr(msg, "breakpoint (Bp): break 0 in kernel mode (inside the handler: "
                              "Status.EXL), and no handler at its vector 0x80000180 (Status.BEV = "
                              "0) at PC 0x00400000") == msg,
                  "%s", msg);
    vm->core = own;
    bh_vm_destroy(vm);
    free(vm_text);
}
END_TEST

/* ---- interrupts -------------------------------------------------------------------- */

START_TEST(interrupt_masking)
{
    /* IP2 pending; a loop of taken branches gives the core its chances.
     * Taken only with IE, IM2, and neither EXL nor ERL. */
    const uint32_t p[] = {I(ISA_ADDIU, T0, ZERO, 20), I(ISA_ADDIU, T0, T0, -1),
                          E(ISA_BNE, T0, ZERO, 0, 0, 0xfffe), STOP};
    const struct {
        uint32_t st;
        int taken;
    } cases[] = {
        {BH_ST_IE | 0x400, 1},
        {0x400, 0},
        {BH_ST_IE | 0x800, 0},
        {BH_ST_IE | BH_ST_EXL | 0x400, 0},
        {BH_ST_IE | BH_ST_ERL | 0x400, 0},
    };
    for (unsigned flags = 0; flags <= BH_CORE_PRIV; flags += BH_CORE_PRIV)
        for (size_t i = 0; i < N(cases); i++) {
            make(p, N(p), flags, cases[i].st);
            bh_core_irq(core, 0x400, 1);
            struct bh_exit ex = run();
            ck_assert_int_eq(ex.kind, BH_EXIT_HYPERCALL);
            if (cases[i].taken) {
                ck_assert_uint_eq(ex.pc, BH_VEC_GENERAL + 4 * HANDLER_N);
                ck_assert_uint_eq(EXC(UREG(T4)), BH_EXC_INT);
                ck_assert_uint_eq(UREG(T4) & 0x400u, 0x400u);
                /* EPC: the next instruction to run (the branch's target) */
                ck_assert_uint_eq(UREG(T3), BH_TEXT_BASE + 4);
            } else {
                ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 16);
            }
            teardown();
        }
}
END_TEST

/* A handler whose first instruction faults (a load from unmapped kuseg:
 * TLBL with EXL set, to the same vector) never retires anything: the run
 * ends with a fault marked wedged instead of looping at a standing count. */
START_TEST(wedged_handler_stops)
{
    const uint32_t p[] = {BREAK, STOP};
    const uint32_t k[] = {I(ISA_LW, T0, ZERO, 0x100), STOP};
    make_at(p, N(p), k, N(k), BH_VEC_GENERAL, BH_CORE_PRIV, 0);
    struct bh_exit ex = run();
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_TLBL);
    ck_assert_uint_eq(ex.pc, BH_VEC_GENERAL);
    ck_assert_uint_ne(ex.flags & BH_EXITF_WEDGED, 0);
    ck_assert_uint_eq(bh_core_icount(core), 0); /* the break does not retire either */
}
END_TEST

/* ---- SPIM's extras (the SPIM-style machine only) ------------------------------------ */

#define CTC0(rt, r) E(ISA_CTC0, 0, rt, r, 0, 0)
#define CFC0(rt, r) E(ISA_CFC0, 0, rt, r, 0, 0)
#define CTC1(rt, r) E(ISA_CTC1, 0, rt, r, 0, 0)
#define CFC1(rt, r) E(ISA_CFC1, 0, rt, r, 0, 0)

/* tt.core.s's round trips: ctc0/cfc0 and ctc1/cfc1 of $3 read back what
 * was written, and sc leaves rt alone (spim 8.0 does all three); the
 * privileged machine is MIPS32: cfc1 $3 reads 0, sc sets rt to 1, and
 * ctc0/cfc0 are reserved (CpU first in user mode). */
START_TEST(spim_control_moves_and_sc)
{
    const uint32_t p[] = {I(ISA_ORI, T0, ZERO, 0x7f7f), CTC0(T0, 3), CFC0(T1, 3), CTC1(T0, 3),
                          CFC1(T2, 3), I(ISA_LUI, T3, ZERO, 0x1001), I(ISA_ORI, T4, ZERO, 77),
                          I(ISA_SC, T4, T3, 0), I(ISA_LW, T5, T3, 0), STOP};
    make(p, N(p), 0, 0);
    ck_assert_int_eq(run().kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(UREG(T1), 0x7f7f);
    ck_assert_uint_eq(UREG(T2), 0x7f7f);
    ck_assert_uint_eq(UREG(T4), 77);
    ck_assert_uint_eq(UREG(T5), 77);
    /* a snapshot body carries both register files */
    struct bh_buf b = {0};
    ck_assert_int_eq(bh_core_save(core, &b), 0);
    teardown();
    const uint32_t q[] = {CFC0(T1, 3), CFC1(T2, 3), STOP};
    make(q, N(q), 0, 0);
    char err[256];
    struct bh_rd r = {b.data, b.len, 0, 0};
    ck_assert_msg(bh_core_load(core, &r, BH_CPU_STATE_VERSION, err, sizeof err) == 0, "%s", err);
    bh_buf_free(&b);
    bh_core_set_pc(core, BH_TEXT_BASE);
    bh_core_set_reg(core, T1, 0);
    bh_core_set_reg(core, T2, 0);
    ck_assert_int_eq(run().kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(UREG(T1), 0x7f7f);
    ck_assert_uint_eq(UREG(T2), 0x7f7f);
    teardown();

    const uint32_t pp[] = {I(ISA_ORI, T0, ZERO, 0x7f7f), CTC1(T0, 3), CFC1(T2, 3),
                           I(ISA_LUI, T3, ZERO, 0x8001) /* kseg0: unmapped */, I(ISA_ORI, T4, ZERO, 77),
                           I(ISA_SC, T4, T3, 0), STOP};
    make(pp, N(pp), BH_CORE_PRIV, BH_ST_CU1);
    ck_assert_int_eq(run().kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(UREG(T2), 0);
    ck_assert_uint_eq(UREG(T4), 1);
    teardown();
    const uint32_t moves[] = {CTC0(T0, 3), CFC0(T1, 3)};
    for (size_t i = 0; i < N(moves); i++)
        for (int user = 0; user <= 1; user++) {
            const uint32_t pr[] = {0, moves[i], STOP};
            make(pr, N(pr), BH_CORE_PRIV, user ? USER : 0);
            run_to_handler(BH_VEC_GENERAL);
            ck_assert_uint_eq(EXC(UREG(T4)), user ? BH_EXC_CPU : BH_EXC_RI);
            ck_assert_uint_eq(UREG(T3), BH_TEXT_BASE + 4);
            teardown();
        }
}
END_TEST

Suite *cp0_suite(void)
{
    Suite *s = suite_create("cp0");
    TCase *t = tcase_create("registers");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, status_write_mask);
    tcase_add_test(t, cause_write_mask);
    tcase_add_test(t, read_only_and_unimplemented);
    tcase_add_test(t, compare_clears_ip7);
    tcase_add_test(t, timer_tick_before_mtc0);
    suite_add_tcase(s, t);
    t = tcase_create("exceptions");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, each_exception);
    tcase_add_test(t, exl_set_keeps_epc);
    tcase_add_test(t, bev_vectors);
    tcase_add_test(t, eret_levels);
    tcase_add_test(t, interrupt_masking);
    suite_add_tcase(s, t);
    t = tcase_create("privilege");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, cop0_in_user_mode_is_cpu);
    tcase_add_test(t, cop1_without_cu1_is_cpu);
    tcase_add_test(t, cpu_without_handler_goes_to_monitor);
    tcase_add_test(t, fault_message_names_mode_and_vector);
    tcase_add_test(t, wedged_handler_stops);
    tcase_add_test(t, spim_control_moves_and_sc);
    suite_add_tcase(s, t);
    return s;
}
