/* check_cpu.c: the core's semantics, instruction by instruction, on
 * hand-built words (isa_encode), plus budget exits with exact instruction
 * counts and the fault kinds and PCs.  Expected values for lwl/lwr/swl/swr,
 * div by zero and mul's HI/LO were checked against spim 8.0. */
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

/* Registers by name, for readability */
enum { ZERO = 0, AT = 1, V0 = 2, A0 = 4, A1 = 5, T0 = 8, T1, T2, T3, T4, S0 = 16, SP = 29, RA = 31 };

/* I-type helpers: imm is masked to 16 bits as the encoder expects */
#define I(op, rt, rs, imm) E(op, rs, rt, 0, 0, (uint32_t)(imm) & 0xffffu)
#define R3(op, rd, rs, rt) E(op, rs, rt, rd, 0, 0)
#define SH(op, rd, rt, sa) E(op, 0, rt, rd, sa, 0)
#define BR(op, rs, rt, off) E(op, rs, rt, 0, 0, (uint32_t)(off) & 0xffffu)
#define SYSCALL E(ISA_SYSCALL, 0, 0, 0, 0, 0)

static struct bh_image img;
static uint8_t *text_buf, *data_buf, *ktext_buf;
static struct bh_vm *vm;

/* A VM whose text is w[0..n) at 0x00400000, data (optional) at 0x10010000. */
static struct bh_vm *make(const uint32_t *w, size_t n, const uint32_t *data, size_t dn)
{
    char err[256] = "";
    memset(&img, 0, sizeof img);
    put_words(&img.seg[BH_SEG_TEXT], &text_buf, BH_TEXT_BASE, w, n);
    if (dn)
        put_words(&img.seg[BH_SEG_DATA], &data_buf, BH_DATA_BASE, data, dn);
    img.entry = BH_TEXT_BASE;
    static char strings[] = "\0x";
    img.strings = strings;
    img.strings_size = sizeof strings;
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "t";
    int rc = bh_vm_create(&img, &o, &vm, err, sizeof err);
    ck_assert_msg(rc == 0, "bh_vm_create: %s", err);
    return vm;
}

static void add_ktext(const uint32_t *w, size_t n, uint32_t addr)
{
    put_words(&img.seg[BH_SEG_KTEXT], &ktext_buf, addr, w, n);
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

static struct bh_exit run(int64_t budget)
{
    struct bh_exit ex;
    bh_vm_run(vm, budget, &ex);
    return ex;
}

/* Run to the syscall that ends every test program; check it is there. */
static void run_to_syscall(void)
{
    struct bh_exit ex = run(1000000);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
}

#define REG(r) bh_vm_reg(vm, r)
#define UREG(r) ((uint32_t)bh_vm_reg(vm, r))
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- ALU --------------------------------------------------------------------- */

START_TEST(alu_basic)
{
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 7),
        I(ISA_ADDIU, T1, ZERO, -3),
        R3(ISA_ADDU, T2, T0, T1),     /* 4 */
        R3(ISA_SUBU, T3, T1, T0),     /* -10 */
        R3(ISA_AND, T4, T0, T1),      /* 7 & -3 = 5 */
        R3(ISA_OR, 24, T0, T1),       /* -1 */
        R3(ISA_XOR, 13, T0, T1),      /* -6 */
        R3(ISA_NOR, 14, T0, T1),      /* 0 */
        R3(ISA_SLT, 15, T1, T0),      /* 1 */
        R3(ISA_SLTU, 16, T1, T0),     /* 0 */
        I(ISA_SLTI, 17, T1, -2),      /* 1 */
        I(ISA_SLTIU, 18, T0, -1),     /* 7 < 0xffffffff: 1 */
        I(ISA_ANDI, 19, T1, 0xffff),  /* zero-extended: 0xfffd */
        I(ISA_ORI, 20, ZERO, 0x8000), /* 0x8000, not sign-extended */
        I(ISA_XORI, 21, T0, 0xff),    /* 0xf8 */
        I(ISA_LUI, 22, ZERO, 0x1234), /* 0x12340000 */
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_int_eq(REG(T2), 4);
    ck_assert_int_eq(REG(T3), -10);
    ck_assert_int_eq(REG(T4), 5);
    ck_assert_int_eq(REG(24), -1);
    ck_assert_int_eq(REG(13), -6);
    ck_assert_int_eq(REG(14), 0);
    ck_assert_int_eq(REG(15), 1);
    ck_assert_int_eq(REG(16), 0);
    ck_assert_int_eq(REG(17), 1);
    ck_assert_int_eq(REG(18), 1);
    ck_assert_uint_eq(UREG(19), 0xfffd);
    ck_assert_uint_eq(UREG(20), 0x8000);
    ck_assert_uint_eq(UREG(21), 0xf8);
    ck_assert_uint_eq(UREG(22), 0x12340000u);
}
END_TEST

/* sync (SPIM accepts it; MIPS32 SPECIAL funct 0x0f, stype in sa) runs as
 * a no-op on one in-order CPU: nothing changes, execution goes on. */
START_TEST(sync_is_a_nop)
{
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 7),
        0x0000000fu, /* sync */
        0x000000cfu, /* sync 3 */
        I(ISA_ADDIU, T0, T0, 1),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_int_eq(REG(T0), 8);
}
END_TEST

START_TEST(zero_stays_zero)
{
    const uint32_t p[] = {
        I(ISA_ADDIU, ZERO, ZERO, 5), R3(ISA_ADDU, ZERO, ZERO, ZERO),
        I(ISA_LUI, ZERO, ZERO, 1),   R3(ISA_ADDU, T0, ZERO, ZERO), SYSCALL,
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_int_eq(REG(ZERO), 0);
    ck_assert_int_eq(REG(T0), 0);
}
END_TEST

START_TEST(shifts)
{
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, -16),  /* 0xfffffff0 */
        SH(ISA_SLL, T1, T0, 4),       /* 0xffffff00 */
        SH(ISA_SRL, T2, T0, 4),       /* 0x0fffffff */
        SH(ISA_SRA, T3, T0, 4),       /* -1 */
        I(ISA_ADDIU, T4, ZERO, 36),   /* shift amount 36 & 31 = 4 */
        R3(ISA_SLLV, 24, T4, T0),     /* rd, rs(amount), rt(value): 0xffffff00 */
        R3(ISA_SRLV, 13, T4, T0),
        R3(ISA_SRAV, 14, T4, T0),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_uint_eq(UREG(T1), 0xffffff00u);
    ck_assert_uint_eq(UREG(T2), 0x0fffffffu);
    ck_assert_int_eq(REG(T3), -1);
    ck_assert_uint_eq(UREG(24), 0xffffff00u);
    ck_assert_uint_eq(UREG(13), 0x0fffffffu);
    ck_assert_int_eq(REG(14), -1);
}
END_TEST

START_TEST(overflow_traps)
{
    /* add overflows: Ov, rd unchanged, pc at the add, not counted */
    const uint32_t p[] = {
        I(ISA_LUI, T0, ZERO, 0x7fff),
        I(ISA_ORI, T0, T0, 0xffff),   /* INT32_MAX */
        I(ISA_ADDIU, T2, ZERO, 99),
        I(ISA_ADDI, T1, T0, 1),       /* overflow */
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    struct bh_exit ex = run(1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_OV);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 12);
    ck_assert_uint_eq(bh_vm_icount(vm), 3);
    ck_assert_int_eq(REG(T1), 0);

    /* add and sub, and the non-trapping forms wrap */
    const uint32_t q[] = {
        I(ISA_LUI, T0, ZERO, 0x8000), /* INT32_MIN */
        I(ISA_ADDIU, T1, ZERO, 1),
        R3(ISA_SUBU, T2, T0, T1),     /* wraps to INT32_MAX */
        I(ISA_ADDIU, T3, ZERO, 5),
        R3(ISA_SUB, T3, T0, T1),      /* Ov, T3 stays 5 */
        SYSCALL,
    };
    teardown();
    make(q, N(q), NULL, 0);
    ex = run(1000);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_OV);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 16);
    ck_assert_int_eq(REG(T2), INT32_MAX);
    ck_assert_int_eq(REG(T3), 5);

    const uint32_t r[] = {
        I(ISA_LUI, T0, ZERO, 0x4000), R3(ISA_ADD, T1, T0, T0), /* 0x80000000: Ov */
        SYSCALL,
    };
    teardown();
    make(r, N(r), NULL, 0);
    ex = run(1000);
    ck_assert_int_eq(ex.exc, BH_EXC_OV);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 4);
}
END_TEST

START_TEST(mult_div_hilo)
{
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, -7),
        I(ISA_ADDIU, T1, ZERO, 3),
        E(ISA_MULT, T0, T1, 0, 0, 0),  /* -21: hi -1, lo -21 */
        R3(ISA_MFHI, T2, 0, 0),
        R3(ISA_MFLO, T3, 0, 0),
        E(ISA_MULTU, T0, T1, 0, 0, 0), /* 0xfffffff9 * 3 = 0x2_ffffffeb */
        R3(ISA_MFHI, T4, 0, 0),
        R3(ISA_MFLO, 24, 0, 0),
        E(ISA_DIV, T0, T1, 0, 0, 0),   /* -7 / 3 = -2 rem -1 */
        R3(ISA_MFLO, 13, 0, 0),
        R3(ISA_MFHI, 14, 0, 0),
        E(ISA_DIVU, T0, T1, 0, 0, 0),  /* 4294967289 / 3 = 1431655763 rem 0 */
        R3(ISA_MFLO, 15, 0, 0),
        R3(ISA_MFHI, 16, 0, 0),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_int_eq(REG(T2), -1);
    ck_assert_int_eq(REG(T3), -21);
    ck_assert_int_eq(REG(T4), 2);
    ck_assert_uint_eq(UREG(24), 0xffffffebu);
    ck_assert_int_eq(REG(13), -2);
    ck_assert_int_eq(REG(14), -1);
    ck_assert_uint_eq(UREG(15), 4294967289u / 3u);
    ck_assert_uint_eq(UREG(16), 4294967289u % 3u);
}
END_TEST

START_TEST(div_by_zero_keeps_hilo)
{
    /* spim 8.0: `mthi 7; mtlo 7; div $0,$t0,$0` leaves HI = LO = 7, no trap */
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 7),  E(ISA_MTHI, T0, 0, 0, 0, 0), E(ISA_MTLO, T0, 0, 0, 0, 0),
        E(ISA_DIV, T0, ZERO, 0, 0, 0), E(ISA_DIVU, T0, ZERO, 0, 0, 0),
        /* INT32_MIN / -1 does not trap the host either */
        I(ISA_LUI, T1, ZERO, 0x8000), I(ISA_ADDIU, T2, ZERO, -1), SYSCALL,
        E(ISA_DIV, T1, T2, 0, 0, 0), SYSCALL,
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_int_eq(bh_vm_hi(vm), 7);
    ck_assert_int_eq(bh_vm_lo(vm), 7);
    run_to_syscall();
    ck_assert_int_eq(bh_vm_lo(vm), INT32_MIN);
    ck_assert_int_eq(bh_vm_hi(vm), 0);
}
END_TEST

START_TEST(mul_madd_msub)
{
    const uint32_t p[] = {
        I(ISA_LUI, T0, ZERO, 0x1),     /* 65536 */
        R3(ISA_MUL, T1, T0, T0),       /* 2^32: low 0; HI = 1, LO = 0 */
        R3(ISA_MFHI, T2, 0, 0),
        I(ISA_ADDIU, T3, ZERO, -2),
        I(ISA_ADDIU, T4, ZERO, 3),
        E(ISA_MTHI, ZERO, 0, 0, 0, 0),
        E(ISA_MTLO, ZERO, 0, 0, 0, 0),
        E(ISA_MADD, T3, T4, 0, 0, 0),  /* -6 */
        E(ISA_MADD, T3, T4, 0, 0, 0),  /* -12 */
        E(ISA_MSUB, T4, T4, 0, 0, 0),  /* -21 */
        R3(ISA_MFHI, 24, 0, 0),
        R3(ISA_MFLO, 13, 0, 0),
        E(ISA_MADDU, T3, T4, 0, 0, 0), /* + 0xfffffffe * 3 = 0x2_fffffffa */
        R3(ISA_MFHI, 14, 0, 0),
        R3(ISA_MFLO, 15, 0, 0),
        E(ISA_MSUBU, T3, T4, 0, 0, 0), /* back to -21 */
        R3(ISA_MFLO, 17, 0, 0),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_int_eq(REG(T1), 0);
    ck_assert_int_eq(REG(T2), 1);
    ck_assert_int_eq(REG(24), -1);
    ck_assert_int_eq(REG(13), -21);
    int64_t acc = -21 + (int64_t)0x2fffffffaLL;
    ck_assert_int_eq(REG(14), (int32_t)(acc >> 32));
    ck_assert_uint_eq(UREG(15), (uint32_t)acc);
    ck_assert_int_eq(REG(17), -21);
}
END_TEST

START_TEST(clz_clo_movz_movn)
{
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 1),
        E(ISA_CLZ, T0, 0, T1, 0, 0),    /* 31 */
        E(ISA_CLZ, ZERO, 0, T2, 0, 0),  /* 32 */
        I(ISA_ADDIU, T3, ZERO, -4),
        E(ISA_CLO, T3, 0, T4, 0, 0),    /* 30 */
        I(ISA_ADDIU, 24, ZERO, 5),
        R3(ISA_MOVZ, 24, T0, ZERO),     /* rt == 0: 12 = 1 */
        I(ISA_ADDIU, 13, ZERO, 5),
        R3(ISA_MOVN, 13, T3, ZERO),     /* rt == 0: unchanged */
        R3(ISA_MOVN, 14, T3, T0),       /* rt != 0: -4 */
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_int_eq(REG(T1), 31);
    ck_assert_int_eq(REG(T2), 32);
    ck_assert_int_eq(REG(T4), 30);
    ck_assert_int_eq(REG(24), 1);
    ck_assert_int_eq(REG(13), 5);
    ck_assert_int_eq(REG(14), -4);
}
END_TEST

/* ---- memory ------------------------------------------------------------------- */

START_TEST(loads_stores)
{
    const uint32_t data[] = {0x8081f0ffu, 0x11223344u, 0, 0};
    const uint32_t p[] = {
        I(ISA_LUI, S0, ZERO, 0x1001),  /* 0x10010000 */
        I(ISA_LB, T0, S0, 0),          /* 0xff -> -1 */
        I(ISA_LBU, T1, S0, 0),         /* 255 */
        I(ISA_LH, T2, S0, 2),          /* 0x8081 -> -32639 */
        I(ISA_LHU, T3, S0, 2),         /* 0x8081 */
        I(ISA_LW, T4, S0, 4),
        I(ISA_SW, T4, S0, 8),
        I(ISA_SB, T0, S0, 12),
        I(ISA_SH, T2, S0, 14),
        I(ISA_LW, 24, S0, 8),
        I(ISA_LW, 13, S0, 12),
        I(ISA_LL, 14, S0, 4),
        I(ISA_ADDIU, 15, ZERO, 77),
        I(ISA_SC, 15, S0, 8),          /* stores 77; 15 stays 77 (SPIM-style machine, as spim) */
        I(ISA_LW, 16, S0, 8),
        SYSCALL,
    };
    make(p, N(p), data, N(data));
    run_to_syscall();
    ck_assert_int_eq(REG(T0), -1);
    ck_assert_int_eq(REG(T1), 255);
    ck_assert_int_eq(REG(T2), (int16_t)0x8081);
    ck_assert_int_eq(REG(T3), 0x8081);
    ck_assert_uint_eq(UREG(T4), 0x11223344u);
    ck_assert_uint_eq(UREG(24), 0x11223344u);
    ck_assert_uint_eq(UREG(13), 0x808100ffu);
    ck_assert_uint_eq(UREG(14), 0x11223344u);
    ck_assert_int_eq(REG(15), 77);
    ck_assert_int_eq(REG(16), 77);
}
END_TEST

/* SPIM lets a program store into its text and runs what it stored: the
 * word is decoded again, and the pair (addiu, addiu) that covered it is
 * undone (run fused, the second half would be an addiu with sll's fields).
 * Run twice: threaded once, then with --stats tallying (one op per slot). */
START_TEST(store_into_text_runs_the_new_word)
{
    const uint32_t p[] = {
        I(ISA_LUI, S0, ZERO, 0x0040),
        I(ISA_LUI, T0, ZERO, 0x0008),
        I(ISA_ORI, T0, T0, 0x4800),    /* sll $t1, $t0, 0 */
        I(ISA_SW, T0, S0, 28),         /* over the word at 7 */
        0,
        0,
        I(ISA_ADDIU, T2, ZERO, 1),
        I(ISA_ADDIU, T1, ZERO, 7),
        SYSCALL,
    };
    for (int tally = 0; tally <= 1; tally++) {
        make(p, N(p), NULL, 0);
        if (tally)
            ck_assert_int_eq(bh_vm_tally(vm), 0);
        run_to_syscall();
        ck_assert_uint_eq(UREG(T1), 0x00084800u);
        ck_assert_int_eq(REG(T2), 1);
        uint8_t w[4];
        ck_assert_int_eq(bh_mem_read(bh_vm_mem(vm), BH_TEXT_BASE + 28, w, 4), 0);
        ck_assert_uint_eq(bh_get32(w), 0x00084800u);
        teardown();
    }
}
END_TEST

/* Single-stepping a store into the next word: the step still stops after
 * the store, and the new word is what runs next. */
START_TEST(step_a_store_into_the_next_word)
{
    const uint32_t p[] = {
        I(ISA_LUI, S0, ZERO, 0x0040),
        I(ISA_LUI, T0, ZERO, 0x2409),
        I(ISA_ORI, T0, T0, 0x002a),    /* addiu $t1, $zero, 42 */
        I(ISA_SW, T0, S0, 16),         /* over the next word */
        I(ISA_ADDIU, T1, ZERO, 7),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    struct bh_exit ex;
    for (int k = 0; k < 4; k++)
        bh_vm_step(vm, &ex);
    ck_assert_uint_eq(bh_vm_pc(vm), BH_TEXT_BASE + 16);
    bh_vm_step(vm, &ex);
    ck_assert_uint_eq(bh_vm_pc(vm), BH_TEXT_BASE + 20);
    ck_assert_int_eq(REG(T1), 42);
}
END_TEST

START_TEST(unaligned_partial_words)
{
    /* Values as spim 8.0 computes them (little-endian MIPS). */
    const uint32_t data[] = {0x44332211u, 0x88776655u};
    const uint32_t p[] = {
        I(ISA_LUI, S0, ZERO, 0x1001),
        I(ISA_LUI, T0, ZERO, 0xaabb),
        I(ISA_ORI, T0, T0, 0xccdd),    /* 0xaabbccdd */
        R3(ISA_ADDU, T1, T0, ZERO),
        I(ISA_LWL, T1, S0, 1),         /* 0x2211ccdd */
        R3(ISA_ADDU, T2, T0, ZERO),
        I(ISA_LWR, T2, S0, 1),         /* 0xaa443322 */
        I(ISA_SW, T0, S0, 4),
        I(ISA_SWL, T0, S0, 5),
        I(ISA_LW, T3, S0, 4),          /* 0xaabbaabb */
        I(ISA_LUI, T4, ZERO, 0x1122),
        I(ISA_ORI, T4, T4, 0x3344),
        I(ISA_SW, T4, S0, 0),
        I(ISA_SWR, T0, S0, 1),
        I(ISA_LW, 24, S0, 0),          /* 0xbbccdd44 */
        SYSCALL,
    };
    make(p, N(p), data, N(data));
    run_to_syscall();
    ck_assert_uint_eq(UREG(T1), 0x2211ccddu);
    ck_assert_uint_eq(UREG(T2), 0xaa443322u);
    ck_assert_uint_eq(UREG(T3), 0xaabbaabbu);
    ck_assert_uint_eq(UREG(24), 0xbbccdd44u);
}
END_TEST

START_TEST(address_faults)
{
    /* unaligned lw: AdEL, badvaddr, pc at the load, not counted */
    const uint32_t p[] = {
        I(ISA_LUI, S0, ZERO, 0x1001), I(ISA_LW, T0, S0, 2), SYSCALL,
    };
    make(p, N(p), NULL, 0);
    struct bh_exit ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_ADEL);
    ck_assert_uint_eq(ex.badvaddr, 0x10010002u);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 4);
    ck_assert_uint_eq(ex.word, p[1]);
    ck_assert_uint_eq(bh_vm_icount(vm), 1);
    teardown();

    /* a store below text: AdES */
    const uint32_t q[] = {I(ISA_SW, T0, ZERO, 0), SYSCALL};
    make(q, N(q), NULL, 0);
    ex = run(100);
    ck_assert_int_eq(ex.exc, BH_EXC_ADES);
    ck_assert(!(ex.flags & BH_EXITF_TEXT));
    teardown();

    /* null pointer load and unaligned sh */
    const uint32_t r[] = {I(ISA_LW, T0, ZERO, 8), SYSCALL};
    make(r, N(r), NULL, 0);
    ex = run(100);
    ck_assert_int_eq(ex.exc, BH_EXC_ADEL);
    ck_assert_uint_eq(ex.badvaddr, 8);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE);
    teardown();
    const uint32_t s[] = {I(ISA_LUI, S0, ZERO, 0x1001), I(ISA_SH, T0, S0, 1), SYSCALL};
    make(s, N(s), NULL, 0);
    ex = run(100);
    ck_assert_int_eq(ex.exc, BH_EXC_ADES);
    ck_assert_uint_eq(ex.badvaddr, 0x10010001u);
}
END_TEST

START_TEST(stack_and_heap_demand_paging)
{
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 42),
        I(ISA_SW, T0, SP, -4),
        I(ISA_LW, T1, SP, -4),
        I(ISA_LUI, S0, ZERO, 0x1004),
        I(ISA_LW, T2, S0, 0),         /* untouched heap reads as zero */
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_int_eq(REG(T1), 42);
    ck_assert_int_eq(REG(T2), 0);
}
END_TEST

START_TEST(memory_limit_is_dbe)
{
    /* Touch a new page each iteration until the limit stops it. */
    const uint32_t p[] = {
        I(ISA_LUI, S0, ZERO, 0x2000),
        I(ISA_SW, S0, S0, 0),          /* loop: */
        I(ISA_LUI, AT, ZERO, 0),
        I(ISA_ORI, AT, AT, 0x1000),
        R3(ISA_ADDU, S0, S0, AT),
        BR(ISA_BEQ, ZERO, ZERO, -5),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    struct bh_exit ex = run(INT64_MAX);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_DBE);
    ck_assert(ex.flags & BH_EXITF_MEMLIMIT);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 4);
    ck_assert_uint_le(bh_mem_pages_in_use(bh_vm_mem(vm)), BH_VM_DEFAULT_MEM / BH_PAGE_SIZE);
}
END_TEST

/* ---- control flow, budget and icount -------------------------------------------- */

START_TEST(branches_all_kinds)
{
    /* Each taken branch skips an `addiu t0, t0, 1`; t0 counts the misses. */
    const uint32_t p[] = {
        I(ISA_ADDIU, T1, ZERO, -1),
        I(ISA_ADDIU, T2, ZERO, 1),
        BR(ISA_BEQ, T1, T1, 1), I(ISA_ADDIU, T0, T0, 1),
        BR(ISA_BNE, T1, T2, 1), I(ISA_ADDIU, T0, T0, 1),
        BR(ISA_BLEZ, ZERO, 0, 1), I(ISA_ADDIU, T0, T0, 1),
        BR(ISA_BGTZ, T2, 0, 1), I(ISA_ADDIU, T0, T0, 1),
        E(ISA_BLTZ, T1, 0x00, 0, 0, 1), I(ISA_ADDIU, T0, T0, 1),
        E(ISA_BGEZ, ZERO, 0x01, 0, 0, 1), I(ISA_ADDIU, T0, T0, 1),
        /* not taken: fall through, t3 counts them */
        BR(ISA_BEQ, T1, T2, 1), I(ISA_ADDIU, T3, T3, 1),
        BR(ISA_BNE, T1, T1, 1), I(ISA_ADDIU, T3, T3, 1),
        BR(ISA_BLEZ, T2, 0, 1), I(ISA_ADDIU, T3, T3, 1),
        BR(ISA_BGTZ, ZERO, 0, 1), I(ISA_ADDIU, T3, T3, 1),
        E(ISA_BLTZ, ZERO, 0x00, 0, 0, 1), I(ISA_ADDIU, T3, T3, 1),
        E(ISA_BGEZ, T1, 0x01, 0, 0, 1), I(ISA_ADDIU, T3, T3, 1),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_int_eq(REG(T0), 0);
    ck_assert_int_eq(REG(T3), 6);
    /* 2 + 6 taken branches + 12 for the fall-through pairs + syscall */
    ck_assert_uint_eq(bh_vm_icount(vm), 2 + 6 + 12 + 1);
}
END_TEST

START_TEST(jumps_and_links)
{
    /* 0: jal f (index 4); 1: addiu t1,.. ; 2: syscall ; 3: (skipped)
     * 4: f: addiu t0, 5 ; 5: jr ra */
    const uint32_t p[] = {
        E(ISA_JAL, 0, 0, 0, 0, (BH_TEXT_BASE + 16) >> 2),
        I(ISA_ADDIU, T1, T0, 1),
        SYSCALL,
        I(ISA_ADDIU, T2, ZERO, 9),
        I(ISA_ADDIU, T0, ZERO, 5),
        E(ISA_JR, RA, 0, 0, 0, 0),
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_uint_eq(UREG(RA), BH_TEXT_BASE + 4);
    ck_assert_int_eq(REG(T1), 6);
    ck_assert_int_eq(REG(T2), 0);
    ck_assert_uint_eq(bh_vm_icount(vm), 5);
    teardown();

    /* jalr rd, rs and bgezal / bltzal links (always written) */
    const uint32_t q[] = {
        I(ISA_LUI, T0, ZERO, 0x0040),
        I(ISA_ORI, T0, T0, 16),             /* address of index 4 */
        E(ISA_JALR, T0, 0, T3, 0, 0),       /* t3 = pc+4 = base+12 */
        SYSCALL,
        E(ISA_BLTZAL, ZERO, 0x10, 0, 0, 5), /* not taken, still links */
        R3(ISA_ADDU, T4, RA, ZERO),
        E(ISA_BGEZAL, ZERO, 0x11, 0, 0, 0), /* taken to the next one */
        E(ISA_JR, T3, 0, 0, 0, 0),
    };
    make(q, N(q), NULL, 0);
    run_to_syscall();
    ck_assert_uint_eq(UREG(T3), BH_TEXT_BASE + 12);
    ck_assert_uint_eq(UREG(T4), BH_TEXT_BASE + 20);
    ck_assert_uint_eq(UREG(RA), BH_TEXT_BASE + 28);
}
END_TEST

START_TEST(budget_exits_exact_icount)
{
    /* t0 = 10; loop: t0--; bne t0, 0, loop; syscall */
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 10),
        I(ISA_ADDIU, T0, T0, -1),
        BR(ISA_BNE, T0, ZERO, -2),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    /* first taken branch: 3 retired (< 5); the second: 5 */
    struct bh_exit ex = run(5);
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
    ck_assert_uint_eq(bh_vm_icount(vm), 5);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 4);
    ck_assert_uint_eq(bh_vm_pc(vm), BH_TEXT_BASE + 4);
    ck_assert_int_eq(REG(T0), 8);
    /* budget 0: stop at the very next taken branch */
    ex = run(0);
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
    ck_assert_uint_eq(bh_vm_icount(vm), 7);
    /* in slices of 1 to the end: the total stays exact */
    int exits = 0;
    do {
        ex = run(1);
        exits++;
    } while (ex.kind == BH_EXIT_BUDGET);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_eq(bh_vm_icount(vm), 1 + 10 * 2 + 1);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 16);
    ck_assert_int_eq(exits, 7); /* taken branches left: 9 - 2 */
}
END_TEST

/* slt+bne and addiu+bne are fused by the loader; a jump into the middle
 * of a pair (to its branch) must still work, and icount must count both
 * halves.
 *   0 t0 = 5            1 j 3 (into the pair 2-3)
 *   2 slt at, t1, t0    3 bne at, 0, 6      4 addiu t2, t2, 1 (skipped once)
 *   5 addiu t1, t1, 1   6 slt at, t1, t0    7 bne at, 0, 5
 *   8 addiu t0, t0, -1  9 bne t0, 0, 8      10 syscall
 *  11 lw t3, 0($zero) (a fault after the syscall) */
enum { PAIRS_PROG_N = 12 };
static void pairs_prog(uint32_t *p)
{
    const uint32_t w[PAIRS_PROG_N] = {
        I(ISA_ADDIU, T0, ZERO, 5),
        E(ISA_J, 0, 0, 0, 0, (BH_TEXT_BASE + 12) >> 2),
        R3(ISA_SLT, AT, T1, T0),
        BR(ISA_BNE, AT, ZERO, 2),
        I(ISA_ADDIU, T2, T2, 1),
        I(ISA_ADDIU, T1, T1, 1),
        R3(ISA_SLT, AT, T1, T0),
        BR(ISA_BNE, AT, ZERO, -3),
        I(ISA_ADDIU, T0, T0, -1),
        BR(ISA_BNE, T0, ZERO, -2),
        SYSCALL,
        I(ISA_LW, T3, ZERO, 0),
    };
    memcpy(p, w, sizeof w);
}

START_TEST(fused_pairs_count_exactly)
{
    uint32_t p[PAIRS_PROG_N];
    pairs_prog(p);
    make(p, N(p), NULL, 0);
    /* white-box: the loader did fuse them (before the first run threads the code) */
    ck_assert_uint_eq(vm->core->text.d[2].u.op, BH_DOP_SLT__BNE);
    ck_assert_uint_eq(vm->core->text.d[3].u.op, ISA_BNE);
    ck_assert_uint_eq(vm->core->text.d[8].u.op, BH_DOP_ADDIU__BNE);
    /* at = 0 when the jump lands on the bne: falls through to 4 */
    run_to_syscall();
    ck_assert_int_eq(REG(T2), 1);
    ck_assert_int_eq(REG(T1), 5);
    ck_assert_int_eq(REG(AT), 0);
    ck_assert_int_eq(REG(T0), 0);
    /* 2 + (bne, addiu) + 5 x (addiu, slt, bne) + 5 x (addiu, bne) + syscall */
    ck_assert_uint_eq(bh_vm_icount(vm), 2 + 2 + 15 + 10 + 1);
    teardown();

    /* the same program in budget-1 slices ends with the same count */
    make(p, N(p), NULL, 0);
    struct bh_exit ex;
    do
        ex = run(1);
    while (ex.kind == BH_EXIT_BUDGET);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_eq(bh_vm_icount(vm), 2 + 2 + 15 + 10 + 1);
    teardown();

    /* single steps: one instruction each, pairs split, same end state */
    make(p, N(p), NULL, 0);
    uint64_t steps = 0;
    for (;;) {
        uint64_t before = bh_vm_icount(vm);
        bh_vm_step(vm, &ex);
        ck_assert_uint_eq(bh_vm_icount(vm), before + 1);
        steps++;
        if (ex.kind != BH_EXIT_BUDGET)
            break;
    }
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_eq(steps, 2 + 2 + 15 + 10 + 1);
    ck_assert_int_eq(REG(T2), 1);
    ck_assert_int_eq(REG(T1), 5);
    /* the code is intact afterwards: a full run of the rest behaves */
    bh_vm_set_pc(vm, BH_TEXT_BASE);
    run_to_syscall();
    ck_assert_int_eq(REG(T0), 0);
}
END_TEST

START_TEST(tally_counts_each_instruction)
{
    /* bh_vm_tally (--stats): pairs_prog run unfused behind the counting
     * dispatch: same registers and count, and the mix by mnemonic follows
     * from the program. */
    uint32_t p[PAIRS_PROG_N];
    pairs_prog(p);
    make(p, N(p), NULL, 0);
    ck_assert_int_eq(bh_vm_tally(vm), 0);
    ck_assert_uint_eq(vm->core->text.d[2].u.op, BH_DOP_TALLY);
    ck_assert_uint_eq(vm->core->text.tally[2].u.op, ISA_SLT); /* not fused */
    const uint64_t *mix = bh_vm_mix(vm);
    /* in slices of 3, to cross budget exits */
    struct bh_exit ex;
    do
        ex = run(3);
    while (ex.kind == BH_EXIT_BUDGET);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_int_eq(REG(T2), 1);
    ck_assert_int_eq(REG(T1), 5);
    ck_assert_uint_eq(bh_vm_icount(vm), 2 + 2 + 15 + 10 + 1);
    ck_assert_uint_eq(mix[ISA_ADDIU], 1 + 1 + 5 + 5);
    ck_assert_uint_eq(mix[ISA_J], 1);
    ck_assert_uint_eq(mix[ISA_SLT], 5);
    ck_assert_uint_eq(mix[ISA_BNE], 1 + 5 + 5);
    ck_assert_uint_eq(mix[ISA_SYSCALL], 1);
    uint64_t sum = 0;
    for (unsigned op = 0; op < ISA_COUNT; op++)
        sum += mix[op];
    ck_assert_uint_eq(sum, bh_vm_icount(vm));
    /* single steps (--trace --stats) tally too; the faulting lw does not */
    bh_vm_step(vm, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_uint_eq(mix[ISA_LW], 0);
    bh_vm_set_pc(vm, BH_TEXT_BASE + 4 * 8);
    bh_vm_step(vm, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
    ck_assert_uint_eq(mix[ISA_ADDIU], 13);
}
END_TEST

START_TEST(branches_over_one_instruction)
{
    /* for t0 = 10..1: odd -> t5++; even -> t6 ^= t0: the beq/bne over one
     * instruction; the skipped one is not counted. */
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 10),
        I(ISA_ANDI, T4, T0, 1),              /* loop: */
        BR(ISA_BEQ, T4, ZERO, 1),
        I(ISA_ADDIU, 13, 13, 1),
        BR(ISA_BNE, T4, ZERO, 1),
        R3(ISA_XOR, 14, 14, T0),
        I(ISA_ADDIU, T0, T0, -1),
        BR(ISA_BNE, T0, ZERO, -7),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    run_to_syscall();
    ck_assert_int_eq(REG(13), 5);
    ck_assert_int_eq(REG(14), 10 ^ 8 ^ 6 ^ 4 ^ 2);
    /* 1 + 10 x (andi, beq, bne, addiu, bne) + 5 addiu + 5 xor + syscall */
    ck_assert_uint_eq(bh_vm_icount(vm), 1 + 50 + 5 + 5 + 1);
    teardown();
    /* a budget exit inside the loop sees an exact count too, at the first
     * taken branch at or past the budget */
    make(p, N(p), NULL, 0);
    struct bh_exit ex = run(10);
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
    /* first iteration (t0 = 10, even): 1 + andi beq(taken: skip) bne xor addiu bne = 7;
     * second (odd): andi beq addiu bne(taken: skip) -> 11 */
    ck_assert_uint_eq(bh_vm_icount(vm), 11);
}
END_TEST

START_TEST(step_into_guest_handler)
{
    const uint32_t k[] = {I(ISA_ADDIU, T3, ZERO, 1), SYSCALL};
    const uint32_t p[] = {I(ISA_ADDIU, T0, ZERO, 1), E(ISA_BREAK, 0, 0, 0, 0, 0), SYSCALL};
    memset(&img, 0, sizeof img);
    add_ktext(k, N(k), BH_EXC_VECTOR);
    char err[256];
    put_words(&img.seg[BH_SEG_TEXT], &text_buf, BH_TEXT_BASE, p, N(p));
    img.entry = BH_TEXT_BASE;
    ck_assert_int_eq(bh_vm_create(&img, NULL, &vm, err, sizeof err), 0);
    struct bh_exit ex;
    bh_vm_step(vm, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
    ck_assert_uint_eq(bh_vm_pc(vm), BH_TEXT_BASE + 4);
    bh_vm_step(vm, &ex); /* break: delivered, stops at the vector */
    ck_assert_int_eq(ex.kind, BH_EXIT_BUDGET);
    ck_assert_uint_eq(bh_vm_pc(vm), BH_EXC_VECTOR);
    ck_assert_uint_eq(bh_vm_icount(vm), 1);
    ck_assert_int_eq(REG(T3), 0);
    bh_vm_step(vm, &ex);
    ck_assert_int_eq(REG(T3), 1);
}
END_TEST

START_TEST(halt_at_end_of_text)
{
    const uint32_t p[] = {I(ISA_ADDIU, T0, ZERO, 1), I(ISA_ADDIU, T0, T0, 1)};
    make(p, N(p), NULL, 0);
    struct bh_exit ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_HALT);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 8);
    ck_assert_uint_eq(bh_vm_icount(vm), 2);
    ck_assert_int_eq(REG(T0), 2);
}
END_TEST

START_TEST(jump_faults)
{
    /* jr to an unaligned address, then to data: AdEL of the jr itself */
    const uint32_t p[] = {
        I(ISA_LUI, T0, ZERO, 0x0040), I(ISA_ORI, T0, T0, 2), E(ISA_JR, T0, 0, 0, 0, 0), SYSCALL,
    };
    make(p, N(p), NULL, 0);
    struct bh_exit ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_ADEL);
    ck_assert_uint_eq(ex.badvaddr, 0x00400002u);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 8);
    ck_assert_uint_eq(bh_vm_icount(vm), 2);
    teardown();

    /* a branch out of text (before its start) and jal beyond its end */
    const uint32_t q[] = {BR(ISA_BEQ, ZERO, ZERO, -10), SYSCALL};
    make(q, N(q), NULL, 0);
    ex = run(100);
    ck_assert_int_eq(ex.exc, BH_EXC_ADEL);
    ck_assert_uint_eq(ex.badvaddr, BH_TEXT_BASE + 4 - 40);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE);
    teardown();
    const uint32_t r[] = {E(ISA_JAL, 0, 0, 0, 0, (BH_TEXT_BASE + 0x100) >> 2), SYSCALL};
    make(r, N(r), NULL, 0);
    ex = run(100);
    ck_assert_int_eq(ex.exc, BH_EXC_ADEL);
    ck_assert_uint_eq(ex.badvaddr, BH_TEXT_BASE + 0x100);
    ck_assert_int_eq(REG(RA), 0); /* the jal did not retire */
}
END_TEST

/* ---- exits and faults ----------------------------------------------------------- */

START_TEST(syscall_and_hypercall_exits)
{
    const uint32_t p[] = {
        I(ISA_ADDIU, V0, ZERO, 1),
        SYSCALL,
        E(ISA_DUMP_PROCESSOR_STATE, 0, 0, 0, 0, 0),
        E(ISA_SNAPSHOT, 0, 0, 0, 0, 1),
        SYSCALL,
    };
    make(p, N(p), NULL, 0);
    struct bh_exit ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 8);
    ck_assert_uint_eq(bh_vm_icount(vm), 2);
    ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(ex.code, isa_table[ISA_DUMP_PROCESSOR_STATE].value);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 12);
    ck_assert_uint_eq(bh_vm_icount(vm), 3);
    ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_HYPERCALL);
    ck_assert_uint_eq(ex.code, isa_table[ISA_SNAPSHOT].value);
    ck_assert_uint_eq(ex.arg, 1);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 16);
}
END_TEST

START_TEST(break_traps_reserved)
{
    const uint32_t p[] = {E(ISA_BREAK, 0, 0, 0, 0, 7), SYSCALL};
    make(p, N(p), NULL, 0);
    struct bh_exit ex = run(100);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_BP);
    ck_assert_uint_eq(ex.code, 7);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE);
    ck_assert_uint_eq(bh_vm_icount(vm), 0);
    teardown();

    /* traps: the not-taken forms go on, then teq traps */
    const uint32_t q[] = {
        I(ISA_ADDIU, T0, ZERO, 3),
        E(ISA_TNE, T0, T0, 0, 0, 0),
        E(ISA_TLT, T0, ZERO, 0, 0, 0),
        E(ISA_TGEI, ZERO, 0x08, 0, 0, 1),
        E(ISA_TLTIU, T0, 0x0b, 0, 0, 2),
        E(ISA_TGEU, ZERO, T0, 0, 0, 0),
        E(ISA_TEQI, T0, 0x0c, 0, 0, 3),
        SYSCALL,
    };
    make(q, N(q), NULL, 0);
    ex = run(100);
    ck_assert_int_eq(ex.exc, BH_EXC_TR);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 24);
    teardown();

    /* an unknown word (opcode 0x3f) and an unknown SPECIAL funct: RI */
    const uint32_t r[] = {0xfc000000u, SYSCALL};
    make(r, N(r), NULL, 0);
    ex = run(100);
    ck_assert_int_eq(ex.exc, BH_EXC_RI);
    ck_assert_uint_eq(ex.word, 0xfc000000u);
    teardown();
    const uint32_t s[] = {I(ISA_ADDIU, T0, ZERO, 1), 0x0000003fu, SYSCALL};
    make(s, N(s), NULL, 0);
    ex = run(100);
    ck_assert_int_eq(ex.exc, BH_EXC_RI);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 4);
}
END_TEST

START_TEST(cp0_count_and_guest_handler)
{
    /* A guest handler at 0x80000180: t4 = Cause, t3 = EPC; EPC += 4; eret.
     * The user program faults with break, then reads Count. */
    const uint32_t k[] = {
        E(ISA_MFC0, 0, T4, BH_C0_CAUSE, 0, 0),
        E(ISA_MFC0, 0, T3, BH_C0_EPC, 0, 0),
        I(ISA_ADDIU, 26, T3, 4),
        E(ISA_MTC0, 0, 26, BH_C0_EPC, 0, 0),
        E(ISA_MFC0, 0, 27, BH_C0_STATUS, 0, 0),
        ISA_ERET_WORD,
    };
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 1),
        E(ISA_BREAK, 0, 0, 0, 0, 0),
        I(ISA_ADDIU, T1, ZERO, 2),
        E(ISA_MFC0, 0, T2, BH_C0_COUNT, 0, 0),
        E(ISA_MFC0, 0, S0, BH_C0_STATUS, 0, 0),
        SYSCALL,
    };
    memset(&img, 0, sizeof img);
    add_ktext(k, N(k), BH_EXC_VECTOR);
    char err[256];
    put_words(&img.seg[BH_SEG_TEXT], &text_buf, BH_TEXT_BASE, p, N(p));
    img.entry = BH_TEXT_BASE;
    ck_assert_int_eq(bh_vm_create(&img, NULL, &vm, err, sizeof err), 0);
    run_to_syscall();
    ck_assert_uint_eq(UREG(T3), BH_TEXT_BASE + 4);
    ck_assert_uint_eq(UREG(T4) & BH_CAUSE_EXC_MASK, BH_CAUSE_EXC(BH_EXC_BP));
    ck_assert(UREG(27) & BH_ST_EXL);
    ck_assert(!(UREG(S0) & BH_ST_EXL));
    ck_assert_int_eq(REG(T1), 2);
    /* addiu, (break not retired), 6 handler insns, addiu; Count read before mfc0 retires */
    ck_assert_uint_eq(UREG(T2), 1 + 6 + 1);
    ck_assert_uint_eq(bh_vm_icount(vm), 1 + 6 + 1 + 1 + 1 + 1);
}
END_TEST

START_TEST(timer_interrupt)
{
    /* Compare = 50, Status = IE | IM7; spin in a loop until the handler sets s1 = 1. */
    const uint32_t k[] = {
        I(ISA_ADDIU, 17, ZERO, 1),
        E(ISA_MFC0, 0, T4, BH_C0_CAUSE, 0, 0),
        E(ISA_MTC0, 0, ZERO, BH_C0_STATUS, 0, 0), /* no more interrupts */
        ISA_ERET_WORD,
    };
    const uint32_t p[] = {
        I(ISA_ADDIU, T0, ZERO, 50),
        E(ISA_MTC0, 0, T0, BH_C0_COMPARE, 0, 0),
        I(ISA_ORI, T1, ZERO, 0x8001),
        E(ISA_MTC0, 0, T1, BH_C0_STATUS, 0, 0),
        BR(ISA_BEQ, 17, ZERO, -1), /* loop: until s1 != 0 */
        SYSCALL,
    };
    memset(&img, 0, sizeof img);
    add_ktext(k, N(k), BH_EXC_VECTOR);
    char err[256];
    put_words(&img.seg[BH_SEG_TEXT], &text_buf, BH_TEXT_BASE, p, N(p));
    img.entry = BH_TEXT_BASE;
    ck_assert_int_eq(bh_vm_create(&img, NULL, &vm, err, sizeof err), 0);
    run_to_syscall();
    ck_assert_int_eq(REG(17), 1);
    ck_assert_uint_eq(UREG(T4) & BH_CAUSE_TIMER, BH_CAUSE_TIMER);
    ck_assert_uint_eq(UREG(T4) & BH_CAUSE_EXC_MASK, 0);
    /* taken at the first branch once Count reached 50 */
    ck_assert_uint_ge(bh_vm_icount(vm), 50);
    ck_assert_uint_lt(bh_vm_icount(vm), 60);
}
END_TEST

Suite *cpu_suite(void)
{
    Suite *s = suite_create("cpu");
    TCase *t = tcase_create("alu");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, alu_basic);
    tcase_add_test(t, sync_is_a_nop);
    tcase_add_test(t, zero_stays_zero);
    tcase_add_test(t, shifts);
    tcase_add_test(t, overflow_traps);
    tcase_add_test(t, mult_div_hilo);
    tcase_add_test(t, div_by_zero_keeps_hilo);
    tcase_add_test(t, mul_madd_msub);
    tcase_add_test(t, clz_clo_movz_movn);
    suite_add_tcase(s, t);

    t = tcase_create("memory");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, loads_stores);
    tcase_add_test(t, store_into_text_runs_the_new_word);
    tcase_add_test(t, step_a_store_into_the_next_word);
    tcase_add_test(t, unaligned_partial_words);
    tcase_add_test(t, address_faults);
    tcase_add_test(t, stack_and_heap_demand_paging);
    tcase_add_test(t, memory_limit_is_dbe);
    suite_add_tcase(s, t);

    t = tcase_create("control");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, branches_all_kinds);
    tcase_add_test(t, jumps_and_links);
    tcase_add_test(t, budget_exits_exact_icount);
    tcase_add_test(t, fused_pairs_count_exactly);
    tcase_add_test(t, tally_counts_each_instruction);
    tcase_add_test(t, branches_over_one_instruction);
    tcase_add_test(t, halt_at_end_of_text);
    tcase_add_test(t, jump_faults);
    suite_add_tcase(s, t);

    t = tcase_create("exits");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, syscall_and_hypercall_exits);
    tcase_add_test(t, break_traps_reserved);
    tcase_add_test(t, cp0_count_and_guest_handler);
    tcase_add_test(t, timer_interrupt);
    tcase_add_test(t, step_into_guest_handler);
    suite_add_tcase(s, t);
    return s;
}
