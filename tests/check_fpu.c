/* check_fpu.c: coprocessor 1: its state in the core (accessors, the CPU
 * snapshot body's versions 1 and 2), and each FP instruction on
 * hand-built words (isa_encode): results, FCSR flags and cause, each
 * rounding mode, conversions at their edges, compares, branches, moves,
 * loads and stores, and the FP exception. */
#include <check.h>
#include <fenv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "core/cpu.h"
#include "image.h"
#include "isa.h"
#include "core_test_util.h"
#include "machine/machine.h"
#include "machine/vm_internal.h"
#include "vm.h"

static struct bh_image img;
static uint8_t *text_buf, *ktext_buf;
static struct bh_vm *vm;

static void make(const uint32_t *w, size_t n)
{
    char err[256] = "";
    memset(&img, 0, sizeof img);
    put_words(&img.seg[BH_SEG_TEXT], &text_buf, BH_TEXT_BASE, w, n);
    img.entry = BH_TEXT_BASE;
    static char strings[] = "\0x";
    img.strings = strings;
    img.strings_size = sizeof strings;
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "t";
    int rc = bh_vm_create(&img, &o, &vm, err, sizeof err);
    ck_assert_msg(rc == 0, "bh_vm_create: %s", err);
}

static void teardown(void)
{
    bh_vm_destroy(vm);
    vm = NULL;
    free(text_buf);
    free(ktext_buf);
    text_buf = ktext_buf = NULL;
}

#define CORE bh_vm_core(vm)
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- state and the CPU snapshot body ------------------------------------------ */

START_TEST(state_accessors_and_body_v2)
{
    uint32_t w[] = {0};
    make(w, 1);
    bh_core_set_fpr(CORE, 0, 0x3f800000u);
    bh_core_set_fpr(CORE, 31, 0xdeadbeefu);
    bh_core_set_fcsr(CORE, 0xffffffffu);
    ck_assert_uint_eq(bh_core_fcsr(CORE), BH_FCSR_MASK); /* only FCSR's bits */
    bh_core_set_fcsr(CORE, 0x00800003u);
    struct bh_buf b = {0};
    ck_assert_int_eq(bh_core_save(CORE, &b), 0);
    ck_assert_uint_eq(b.len, BH_CPU_STATE_SIZE);
    ck_assert_uint_eq(bh_get32(b.data + BH_CPU_STATE_SIZE_V1), 0x3f800000u);
    ck_assert_uint_eq(bh_get32(b.data + BH_CPU_STATE_SIZE_V2 - 4), BH_FIR);
    bh_core_set_fpr(CORE, 0, 0);
    bh_core_set_fcsr(CORE, 0);
    char err[256];
    struct bh_rd r = {b.data, BH_CPU_STATE_SIZE_V2, 0, 0};
    ck_assert_msg(bh_core_load(CORE, &r, 2, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(bh_core_fpr(CORE, 0), 0x3f800000u);
    ck_assert_uint_eq(bh_core_fpr(CORE, 31), 0xdeadbeefu);
    ck_assert_uint_eq(bh_core_fcsr(CORE), 0x00800003u);

    /* a version-1 body (the first 292 bytes) loads with the FPU zero */
    struct bh_rd r1 = {b.data, BH_CPU_STATE_SIZE_V1, 0, 0};
    ck_assert_msg(bh_core_load(CORE, &r1, 1, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(bh_core_fpr(CORE, 0), 0);
    ck_assert_uint_eq(bh_core_fcsr(CORE), 0);
    /* a version-2 body of version-1 size, and the other way round: refused */
    struct bh_rd r2 = {b.data, BH_CPU_STATE_SIZE_V1, 0, 0};
    ck_assert_int_eq(bh_core_load(CORE, &r2, 2, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "expected 428 for version 2"), "%s", err);
    struct bh_rd r3 = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_core_load(CORE, &r3, 5, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "version 5 is not known"), "%s", err);
    /* FCSR bits it does not have, a FIR not ours: refused, nothing changed */
    bh_core_set_fpr(CORE, 5, 7);
    bh_put32(b.data + BH_CPU_STATE_SIZE_V2 - 8, 0x00040000u);
    struct bh_rd r4 = {b.data, BH_CPU_STATE_SIZE_V2, 0, 0};
    ck_assert_int_eq(bh_core_load(CORE, &r4, 2, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "FCSR 0x00040000"), "%s", err);
    ck_assert_uint_eq(bh_core_fpr(CORE, 5), 7);
    bh_put32(b.data + BH_CPU_STATE_SIZE_V2 - 8, 0);
    bh_put32(b.data + BH_CPU_STATE_SIZE_V2 - 4, 0x9800);
    struct bh_rd r5 = {b.data, BH_CPU_STATE_SIZE_V2, 0, 0};
    ck_assert_int_eq(bh_core_load(CORE, &r5, 2, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "FIR 0x00009800"), "%s", err);
    bh_buf_free(&b);
}
END_TEST


/* ---- instructions ----------------------------------------------------------------- */

static uint32_t EC(enum isa_op op, unsigned rs, unsigned rt, unsigned rd, unsigned sa, uint32_t imm)
{
    uint32_t w = E(op, rs, rt, rd, sa, imm);
    ck_assert_msg(w != 0, "isa_encode(%s) refused its fields", isa_table[op].mnemonic);
    return w;
}
/* fd is the sa field, fs the rd field, ft the rt field; cc sits at << 2. */
#define FR3(op, fd, fs, ft) EC(ISA_##op, 0, ft, fs, fd, 0)
#define FR2(op, fd, fs) EC(ISA_##op, 0, 0, fs, fd, 0)
#define CMP(op, cc, fs, ft) EC(ISA_##op, 0, ft, fs, (cc) << 2, 0)
#define BC(op, cc, off) EC(ISA_##op, 0, (cc) << 2, 0, 0, (uint32_t)(off)&0xffffu)
#define MOVE1(op, rt, fs) EC(ISA_##op, 0, rt, fs, 0, 0)
#define MEM1(op, ft, base, off) EC(ISA_##op, base, ft, 0, 0, (uint32_t)(off)&0xffffu)
#define ADDIU(rt, rs, imm) EC(ISA_ADDIU, rs, rt, 0, 0, (uint32_t)(imm)&0xffffu)
#define LUI(rt, imm) EC(ISA_LUI, 0, rt, 0, 0, imm)
#define SYSCALL EC(ISA_SYSCALL, 0, 0, 0, 0, 0)
enum { T0 = 8, T1, T2, T3, T4 };

static struct bh_exit run_prog(const uint32_t *w, size_t n)
{
    struct bh_exit ex;
    bh_vm_run(vm, 1000000, &ex);
    (void)w;
    (void)n;
    return ex;
}
#define RUN_OK(w)                                                                                  \
    do {                                                                                           \
        struct bh_exit ex_ = run_prog(w, N(w));                                                    \
        ck_assert_msg(ex_.kind == BH_EXIT_SYSCALL, "exit %d exc %d at 0x%08x", ex_.kind, ex_.exc,  \
                      ex_.pc);                                                                     \
    } while (0)

static void set_s(unsigned r, float v) { uint32_t b; memcpy(&b, &v, 4); bh_core_set_fpr(CORE, r, b); }
static float get_s(unsigned r) { uint32_t b = bh_core_fpr(CORE, r); float v; memcpy(&v, &b, 4); return v; }
static void set_d(unsigned r, double v)
{
    uint64_t b;
    memcpy(&b, &v, 8);
    bh_core_set_fpr(CORE, r, (uint32_t)b);
    bh_core_set_fpr(CORE, r + 1, (uint32_t)(b >> 32));
}
static double get_d(unsigned r)
{
    uint64_t b = (uint64_t)bh_core_fpr(CORE, r + 1) << 32 | bh_core_fpr(CORE, r);
    double v;
    memcpy(&v, &b, 8);
    return v;
}
#define CAUSE() ((bh_core_fcsr(CORE) & BH_FCSR_CAUSE) >> BH_FCSR_CAUSE_SHIFT)
#define FLAGS() ((bh_core_fcsr(CORE) >> BH_FCSR_FLAGS_SHIFT) & 0x1fu)

START_TEST(arithmetic_results_and_flags)
{
    const uint32_t w[] = {
        FR3(ADD_S, 0, 2, 4),  /* 1.5 + 2.25 */
        FR3(SUB_S, 1, 2, 4),  /* 1.5 - 2.25 */
        FR3(MUL_S, 3, 2, 4),  /* 1.5 * 2.25 */
        FR3(DIV_S, 5, 2, 4),  /* 1.5 / 2.25: inexact */
        FR2(SQRT_S, 6, 4),    /* 1.5 */
        FR2(ABS_S, 7, 1),
        FR2(NEG_S, 8, 2),
        FR2(MOV_S, 9, 2),
        FR3(ADD_D, 10, 12, 14),
        FR3(SUB_D, 16, 12, 14),
        FR3(MUL_D, 18, 12, 14),
        FR3(DIV_D, 20, 12, 14),
        FR2(SQRT_D, 22, 14),
        FR2(ABS_D, 24, 16),
        FR2(NEG_D, 26, 12),
        FR2(MOV_D, 28, 12),
        SYSCALL,
    };
    make(w, N(w));
    set_s(2, 1.5f);
    set_s(4, 2.25f);
    set_d(12, 1.0);
    set_d(14, 3.0);
    RUN_OK(w);
    ck_assert(get_s(0) == 3.75f);
    ck_assert(get_s(1) == -0.75f);
    ck_assert(get_s(3) == 3.375f);
    ck_assert(get_s(5) == 1.5f / 2.25f);
    ck_assert(get_s(6) == 1.5f);
    ck_assert(get_s(7) == 0.75f);
    ck_assert(get_s(8) == -1.5f);
    ck_assert(get_s(9) == 1.5f);
    ck_assert(get_d(10) == 4.0);
    ck_assert(get_d(16) == -2.0);
    ck_assert(get_d(18) == 3.0);
    ck_assert(get_d(20) == 1.0 / 3.0);
    ck_assert(get_d(22) == sqrt(3.0));
    ck_assert(get_d(24) == 2.0);
    ck_assert(get_d(26) == -1.0);
    ck_assert(get_d(28) == 1.0);
    /* the last arithmetic op (neg.d) raised nothing; inexact stuck from div */
    ck_assert_uint_eq(CAUSE(), 0);
    ck_assert_uint_eq(FLAGS(), BH_FP_I);
}
END_TEST

START_TEST(exceptional_results_cause_and_flags)
{
    /* each op alone, then the cause it leaves */
    static const struct {
        uint32_t w;
        double a, b;
        unsigned cause;
    } t[] = {
        {0, 1.0, 0.0, BH_FP_Z},                  /* div.d 1/0 */
        {0, 0.0, 0.0, BH_FP_V},                  /* div.d 0/0 */
        {0, 1e308, 1e308, BH_FP_O | BH_FP_I},    /* mul.d */
        {0, 1e-308, 1e-308, BH_FP_U | BH_FP_I},  /* mul.d */
        {0, 1.0, 3.0, BH_FP_I},                  /* div.d */
        {0, -1.0, 0.0, BH_FP_V},                 /* sqrt.d of -1 */
    };
    for (unsigned i = 0; i < N(t); i++) {
        uint32_t w[] = {i == 0 || i == 1 || i == 4 ? FR3(DIV_D, 0, 2, 4)
                        : i == 5                   ? FR2(SQRT_D, 0, 2)
                                                   : FR3(MUL_D, 0, 2, 4),
                        SYSCALL};
        make(w, N(w));
        set_d(2, t[i].a);
        set_d(4, t[i].b);
        RUN_OK(w);
        ck_assert_msg(CAUSE() == t[i].cause, "case %u: cause 0x%x", i, CAUSE());
        ck_assert_uint_eq(FLAGS(), t[i].cause);
        if (t[i].cause & BH_FP_Z)
            ck_assert(isinf(get_d(0)));
        if (t[i].cause & BH_FP_V)
            ck_assert(isnan(get_d(0)));
        teardown();
    }
}
END_TEST

/* Cause and flags read by the guest in the middle of a run (cfc1 after
 * each kind of operation), and cleared by it (ctc1). */
START_TEST(cause_read_by_the_guest)
{
    const uint32_t w[] = {
        FR3(DIV_D, 0, 2, 4),   /* 1/3: inexact */
        MOVE1(CFC1, T0, 31),
        FR3(ADD_D, 0, 2, 2),   /* 1+1: exact */
        MOVE1(CFC1, T1, 31),
        MOVE1(CTC1, 0, 31),    /* all clear */
        FR2(SQRT_S, 6, 7),     /* sqrt(-1): invalid */
        FR2(CVT_S_D, 8, 10),   /* 1e300: overflow, inexact */
        MOVE1(CFC1, T2, 31),
        FR2(ABS_S, 9, 7),      /* nothing */
        MOVE1(CFC1, T3, 26),   /* FEXR */
        SYSCALL,
    };
    make(w, N(w));
    set_d(2, 1.0);
    set_d(4, 3.0);
    set_s(7, -1.0f);
    set_d(10, 1e300);
    RUN_OK(w);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, T0), BH_FP_I << 12 | BH_FP_I << 2);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, T1), BH_FP_I << 2);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, T2),
                      (BH_FP_O | BH_FP_I) << 12 | (BH_FP_V | BH_FP_O | BH_FP_I) << 2);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, T3), (BH_FP_V | BH_FP_O | BH_FP_I) << 2);
    ck_assert_uint_eq(bh_core_fcsr(CORE), (BH_FP_V | BH_FP_O | BH_FP_I) << 2);
}
END_TEST

/* ctc1 $31 with $t0 = rm, then op; the host's mode is restored after. */
START_TEST(rounding_modes)
{
    static const float up = 0x1.000002p0f; /* the float after 1.0 */
    static const struct {
        unsigned rm;
        float sum, nsum;
        int32_t w25, wm25;
    } t[] = {
        {0, 1.0f, -1.0f, 2, -2},
        {1, 1.0f, -1.0f, 2, -2},
        {2, 0x1.000002p0f, -1.0f, 3, -2},
        {3, 1.0f, -0x1.000002p0f, 2, -3},
    };
    (void)up;
    for (unsigned i = 0; i < N(t); i++) {
        const uint32_t w[] = {
            ADDIU(T0, 0, t[i].rm),
            MOVE1(CTC1, T0, 31),
            FR3(ADD_S, 0, 2, 4),  /* 1 + 2^-30 */
            FR3(SUB_S, 1, 6, 4),  /* -1 - 2^-30 */
            FR2(CVT_W_S, 8, 10),  /* 2.5 */
            FR2(CVT_W_S, 9, 11),  /* -2.5 */
            FR2(ROUND_W_S, 12, 10), /* 2 whatever the mode */
            FR2(TRUNC_W_S, 13, 11), /* -2 */
            SYSCALL,
        };
        make(w, N(w));
        set_s(2, 1.0f);
        set_s(4, 0x1p-30f);
        set_s(6, -1.0f);
        set_s(10, 2.5f);
        set_s(11, -2.5f);
        RUN_OK(w);
        ck_assert_msg(get_s(0) == t[i].sum, "rm %u: %a", t[i].rm, (double)get_s(0));
        ck_assert_msg(get_s(1) == t[i].nsum, "rm %u: %a", t[i].rm, (double)get_s(1));
        ck_assert_int_eq((int32_t)bh_core_fpr(CORE, 8), t[i].w25);
        ck_assert_int_eq((int32_t)bh_core_fpr(CORE, 9), t[i].wm25);
        ck_assert_int_eq((int32_t)bh_core_fpr(CORE, 12), 2);
        ck_assert_int_eq((int32_t)bh_core_fpr(CORE, 13), -2);
        ck_assert_uint_eq(bh_core_fcsr(CORE) & BH_FCSR_RM, t[i].rm);
        ck_assert_int_eq(fegetround(), FE_TONEAREST); /* the host's, back */
        teardown();
    }
    /* a mode set by one run holds in the next (taken from FCSR at entry) */
    const uint32_t w2[] = {FR3(ADD_S, 0, 2, 4), SYSCALL};
    make(w2, N(w2));
    bh_core_set_fcsr(CORE, 2);
    set_s(2, 1.0f);
    set_s(4, 0x1p-30f);
    RUN_OK(w2);
    ck_assert(get_s(0) == 0x1.000002p0f);
    ck_assert_int_eq(fegetround(), FE_TONEAREST);
}
END_TEST

START_TEST(conversions_at_the_edges)
{
    static const struct {
        enum isa_op op;
        double v;
        uint32_t word;
        unsigned cause;
    } t[] = {
        {ISA_CVT_W_D, NAN, 0x7fffffffu, BH_FP_V},
        {ISA_CVT_W_D, INFINITY, 0x7fffffffu, BH_FP_V},
        {ISA_CVT_W_D, -INFINITY, 0x7fffffffu, BH_FP_V},
        {ISA_CVT_W_D, 3e9, 0x7fffffffu, BH_FP_V},
        {ISA_CVT_W_D, -3e9, 0x7fffffffu, BH_FP_V},
        {ISA_CVT_W_D, 2147483647.0, 0x7fffffffu, 0},
        {ISA_CVT_W_D, -2147483648.0, 0x80000000u, 0},
        {ISA_CVT_W_D, 2147483647.6, 0x7fffffffu, BH_FP_V}, /* rounds to 2^31 */
        {ISA_TRUNC_W_D, 2147483647.6, 0x7fffffffu, BH_FP_I},
        {ISA_TRUNC_W_D, -2.7, (uint32_t)-2, BH_FP_I},
        {ISA_CEIL_W_D, -2.3, (uint32_t)-2, BH_FP_I},
        {ISA_FLOOR_W_D, -2.3, (uint32_t)-3, BH_FP_I},
        {ISA_FLOOR_W_D, 5.0, 5, 0},
        {ISA_ROUND_W_D, 2.5, 2, BH_FP_I},
        {ISA_ROUND_W_D, 3.5, 4, BH_FP_I},
        {ISA_ROUND_W_D, -2.5, (uint32_t)-2, BH_FP_I},
        {ISA_ROUND_W_D, -2.6, (uint32_t)-3, BH_FP_I},
        {ISA_CVT_W_S, 16777216.0, 16777216, 0},
        {ISA_CVT_W_S, -0.0, 0, 0},
        {ISA_TRUNC_W_S, 1e10, 0x7fffffffu, BH_FP_V},
        {ISA_CEIL_W_S, NAN, 0x7fffffffu, BH_FP_V},
        {ISA_FLOOR_W_S, -0.5, (uint32_t)-1, BH_FP_I},
        {ISA_ROUND_W_S, 0.5, 0, BH_FP_I},
    };
    for (unsigned i = 0; i < N(t); i++) {
        uint32_t w[] = {E(t[i].op, 0, 0, 2, 0, 0), SYSCALL};
        make(w, N(w));
        if (isa_table[t[i].op].cls == ISA_CLASS_COP1_S)
            set_s(2, (float)t[i].v);
        else
            set_d(2, t[i].v);
        RUN_OK(w);
        ck_assert_msg(bh_core_fpr(CORE, 0) == t[i].word, "case %u (%s %g): 0x%08x", i,
                      isa_table[t[i].op].mnemonic, t[i].v, bh_core_fpr(CORE, 0));
        ck_assert_msg(CAUSE() == t[i].cause, "case %u: cause 0x%x", i, CAUSE());
        teardown();
    }
    /* between formats */
    const uint32_t w[] = {
        FR2(CVT_S_D, 0, 2),  /* 1e300: overflow */
        FR2(CVT_S_D, 1, 4),  /* 0.1: inexact */
        FR2(CVT_D_S, 6, 8),  /* 0.1f: exact */
        FR2(CVT_S_W, 9, 10), /* 16777217: inexact */
        FR2(CVT_D_W, 12, 11), /* -5 */
        SYSCALL,
    };
    make(w, N(w));
    set_d(2, 1e300);
    set_d(4, 0.1);
    set_s(8, 0.1f);
    bh_core_set_fpr(CORE, 10, 16777217);
    bh_core_set_fpr(CORE, 11, (uint32_t)-5);
    RUN_OK(w);
    ck_assert(isinf(get_s(0)));
    ck_assert(get_s(1) == 0.1f);
    ck_assert(get_d(6) == (double)0.1f);
    ck_assert(get_s(9) == 16777216.0f);
    ck_assert(get_d(12) == -5.0);
    ck_assert_uint_eq(CAUSE(), 0);
    ck_assert_uint_eq(FLAGS(), BH_FP_O | BH_FP_I);
}
END_TEST

/* Every condition, single and double, on less, equal, greater, unordered;
 * cc 3 and bc1t/bc1f read it back. */
START_TEST(compares_every_condition)
{
    static const enum isa_op ops_s[16] = {
        ISA_C_F_S, ISA_C_UN_S, ISA_C_EQ_S, ISA_C_UEQ_S, ISA_C_OLT_S, ISA_C_ULT_S, ISA_C_OLE_S,
        ISA_C_ULE_S, ISA_C_SF_S, ISA_C_NGLE_S, ISA_C_SEQ_S, ISA_C_NGL_S, ISA_C_LT_S, ISA_C_NGE_S,
        ISA_C_LE_S, ISA_C_NGT_S};
    static const enum isa_op ops_d[16] = {
        ISA_C_F_D, ISA_C_UN_D, ISA_C_EQ_D, ISA_C_UEQ_D, ISA_C_OLT_D, ISA_C_ULT_D, ISA_C_OLE_D,
        ISA_C_ULE_D, ISA_C_SF_D, ISA_C_NGLE_D, ISA_C_SEQ_D, ISA_C_NGL_D, ISA_C_LT_D, ISA_C_NGE_D,
        ISA_C_LE_D, ISA_C_NGT_D};
    static const double pairs[4][2] = {{1, 2}, {2, 2}, {3, 2}, {NAN, 2}};
    for (int dbl = 0; dbl < 2; dbl++)
        for (unsigned c = 0; c < 16; c++)
            for (unsigned p = 0; p < 4; p++) {
                enum isa_op op = dbl ? ops_d[c] : ops_s[c];
                uint32_t w[] = {
                    E(op, 0, 4, 2, 3 << 2, 0),
                    BC(BC1T, 3, 2),
                    ADDIU(T0, 0, 1), /* cc 3 clear */
                    SYSCALL,
                    ADDIU(T0, 0, 2), /* cc 3 set */
                    SYSCALL,
                };
                make(w, N(w));
                if (dbl) {
                    set_d(2, pairs[p][0]);
                    set_d(4, pairs[p][1]);
                } else {
                    set_s(2, (float)pairs[p][0]);
                    set_s(4, (float)pairs[p][1]);
                }
                RUN_OK(w);
                int un = p == 3, less = p == 0, eq = p == 1;
                int want = (c & 1 && un) || (c & 2 && eq) || (c & 4 && less);
                ck_assert_msg(bh_vm_reg(vm, T0) == (want ? 2 : 1), "%s on pair %u: cc %d",
                              isa_table[op].mnemonic, p, bh_vm_reg(vm, T0) == 2);
                ck_assert_msg(CAUSE() == (un && c >= 8 ? BH_FP_V : 0u), "%s pair %u cause %x",
                              isa_table[op].mnemonic, p, CAUSE());
                ck_assert_uint_eq(bh_core_fcsr(CORE) & 0x00800000u, 0); /* cc 0 untouched */
                teardown();
            }
}
END_TEST

START_TEST(condition_codes_branches_moves)
{
    const uint32_t w[] = {
        CMP(C_LT_S, 0, 2, 4),   /* 1 < 2: cc 0 = 1 */
        CMP(C_EQ_D, 7, 2, 4),   /* cc 7 = 0 */
        BC(BC1F, 0, 1),         /* not taken */
        ADDIU(T0, 0, 10),
        BC(BC1F, 7, 1),         /* taken: skips the next */
        ADDIU(T0, 0, 99),
        BC(BC1TL, 0, 1),        /* taken */
        ADDIU(T0, 0, 98),
        BC(BC1FL, 0, 1),        /* not taken: likely, so it skips the next word (as SPIM) */
        ADDIU(T1, 0, 97),
        ADDIU(T1, 0, 7),
        ADDIU(T2, 0, 5),
        EC(ISA_MOVT, T2, 0 << 2, T3, 0, 0),   /* cc 0 set: t3 = t2 */
        EC(ISA_MOVF, T1, 7 << 2, T4, 0, 0),   /* cc 7 clear: t4 = t1 */
        EC(ISA_MOVF_S, 0, 0 << 2, 2, 8, 0),   /* cc 0 set: no move */
        EC(ISA_MOVT_S, 0, 0 << 2, 4, 9, 0),   /* f9 = f4 */
        EC(ISA_MOVF_D, 0, 7 << 2, 4, 10, 0),  /* f10:11 = f4:5 */
        EC(ISA_MOVT_D, 0, 7 << 2, 2, 12, 0),  /* no move */
        EC(ISA_MOVZ_S, 0, 0, 2, 14, 0),       /* $zero == 0: f14 = f2 */
        EC(ISA_MOVN_S, 0, 0, 4, 15, 0),       /* no move */
        EC(ISA_MOVN_D, 0, T1, 4, 16, 0),      /* t1 != 0: f16:17 = f4:5 */
        EC(ISA_MOVZ_D, 0, T1, 2, 18, 0),      /* no move */
        MOVE1(MFC1, 24, 4),                  /* t8 = f4 */
        MOVE1(MTC1, T2, 20),                 /* f20 = 5 */
        MOVE1(CFC1, 25, 0),                  /* t9 = FIR */
        MOVE1(CFC1, 16, 25),                 /* s0 = FCCR */
        MOVE1(CFC1, 17, 31),                 /* s1 = FCSR */
        SYSCALL,
    };
    make(w, N(w));
    set_s(2, 1.0f);
    set_s(4, 2.0f);
    set_d(2, 1.0); /* f2:3 for the double compare; f2 as a single is then 0 */
    set_s(4, 2.0f);
    set_s(5, 0.0f);
    set_s(2, 1.0f);
    bh_core_set_fpr(CORE, 9, 0xdead);
    bh_core_set_fpr(CORE, 12, 0xbeef);
    bh_core_set_fpr(CORE, 15, 0xf00d);
    bh_core_set_fpr(CORE, 18, 0xcafe);
    RUN_OK(w);
    ck_assert_int_eq(bh_vm_reg(vm, T0), 10);
    ck_assert_int_eq(bh_vm_reg(vm, T3), 5);
    ck_assert_int_eq(bh_vm_reg(vm, T4), 7);
    ck_assert_uint_eq(bh_core_fpr(CORE, 8), 0);
    ck_assert(get_s(9) == 2.0f);
    ck_assert(get_s(10) == 2.0f);
    ck_assert_uint_eq(bh_core_fpr(CORE, 12), 0xbeef);
    ck_assert(get_s(14) == 1.0f);
    ck_assert_uint_eq(bh_core_fpr(CORE, 15), 0xf00d);
    ck_assert(get_s(16) == 2.0f);
    ck_assert_uint_eq(bh_core_fpr(CORE, 18), 0xcafe);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, 24), 0x40000000u);
    ck_assert_uint_eq(bh_core_fpr(CORE, 20), 5);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, 25), BH_FIR);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, 16), 1); /* cc 0 only */
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, 17), 0x00800000u);
}
END_TEST

START_TEST(control_register_views)
{
    const uint32_t w[] = {
        ADDIU(T0, 0, 0x82),       /* FCCR: cc 1 and cc 7 */
        MOVE1(CTC1, T0, 25),
        ADDIU(T0, 0, 0x0f87),     /* FENR: enables V..I, FS, RM 3 */
        MOVE1(CTC1, T0, 28),
        MOVE1(CFC1, T1, 31),
        MOVE1(CFC1, T2, 28),
        MOVE1(CTC1, 0, 31),       /* all clear again */
        MOVE1(CTC1, T0, 0),       /* FIR is read-only */
        MOVE1(CFC1, T3, 0),
        MOVE1(CFC1, T4, 31),
        SYSCALL,
    };
    make(w, N(w));
    RUN_OK(w);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, T1), 0x02000000u | 0x80000000u | 0xf83u | BH_FCSR_FS);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, T2), 0x0f87u);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, T3), BH_FIR);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, T4), 0);
}
END_TEST

START_TEST(loads_and_stores)
{
    const uint32_t w[] = {
        LUI(T0, 0x1001),
        MEM1(LWC1, 2, T0, 0),
        MEM1(LDC1, 4, T0, 8),
        MEM1(LDC1, 6, T0, 4),   /* word-aligned is enough, as SPIM */
        MEM1(SWC1, 2, T0, 32),
        MEM1(SDC1, 4, T0, 40),
        MEM1(LDC1, 8, T0, 2),   /* not word-aligned: AdEL */
        SYSCALL,
    };
    make(w, N(w));
    uint8_t data[48] = {0};
    bh_put32(data, 0x3f800000u);
    bh_put32(data + 8, 0x55555555u);
    bh_put32(data + 12, 0x3fd55555u);
    ck_assert_int_eq(bh_vm_write(vm, 0x10010000, data, sizeof data), 0);
    struct bh_exit ex;
    bh_vm_run(vm, 1000, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_ADEL);
    ck_assert_uint_eq(ex.badvaddr, 0x10010002u);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 6 * 4);
    ck_assert(get_s(2) == 1.0f);
    ck_assert_uint_eq(bh_core_fpr(CORE, 4), 0x55555555u);
    ck_assert_uint_eq(bh_core_fpr(CORE, 5), 0x3fd55555u);
    ck_assert_uint_eq(bh_core_fpr(CORE, 6), 0);
    ck_assert_uint_eq(bh_core_fpr(CORE, 7), 0x55555555u);
    uint8_t back[16];
    ck_assert_int_eq(bh_vm_read(vm, 0x10010020, back, 16), 0);
    ck_assert_uint_eq(bh_get32(back), 0x3f800000u);
    ck_assert_uint_eq(bh_get32(back + 8), 0x55555555u);
    ck_assert_uint_eq(bh_get32(back + 12), 0x3fd55555u);
}
END_TEST

/* Enabled exceptions, odd registers for doubles and words this FPU does
 * not have raise FPE: to the monitor without a handler, else to the
 * guest with Cause.ExcCode 15. */
START_TEST(fp_exceptions)
{
    const uint32_t w[] = {
        ADDIU(T0, 0, 1u << 11),  /* enable Invalid */
        MOVE1(CTC1, T0, 31),
        FR3(DIV_D, 0, 2, 2),     /* 0/0: FPE */
        SYSCALL,
    };
    make(w, N(w));
    bh_core_set_fpr(CORE, 0, 0x1234);
    struct bh_exit ex;
    bh_vm_run(vm, 1000, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_FPE);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 8);
    ck_assert_uint_eq(CAUSE(), BH_FP_V);
    ck_assert_uint_eq(FLAGS(), 0);                   /* flags unchanged */
    ck_assert_uint_eq(bh_core_fpr(CORE, 0), 0x1234); /* destination unchanged */
    ck_assert_uint_eq(bh_vm_icount(vm), 2);
    char msg[512];
    bh_fault_message(vm, &ex, msg, sizeof msg);
    ck_assert_msg(strstr(msg, "floating-point exception (FPE): invalid operation (enabled in FCSR) at PC 0x00400008"), "%s", msg);
    teardown();

    /* add.d with an odd fd, a COP1 word of format L: unimplemented (E) */
    struct isa_fields f = {0, 2, 4, 1, 0};
    uint32_t odd = isa_encode(ISA_ADD_D, &f);
    odd = (odd & ~(0x1fu << 6)) | 1u << 6; /* fd = $f1 */
    const uint32_t bad[] = {0x46a00000u /* add.l: no such format here */, odd};
    for (unsigned i = 0; i < N(bad); i++) {
        const uint32_t w2[] = {bad[i], SYSCALL};
        make(w2, N(w2));
        bh_vm_run(vm, 1000, &ex);
        ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
        ck_assert_int_eq(ex.exc, BH_EXC_FPE);
        ck_assert_uint_eq(CAUSE(), BH_FP_E);
        bh_fault_message(vm, &ex, msg, sizeof msg);
        ck_assert_msg(strstr(msg, "FPE): unimplemented operation (a double in an odd register"), "%s", msg);
        teardown();
    }

    /* ctc1 that sets an enabled cause traps at once */
    const uint32_t w3[] = {
        LUI(T0, 0x0001),          /* cause V (bit 16) */
        ADDIU(T0, T0, 1u << 11),  /* and enable V */
        MOVE1(CTC1, T0, 31),
        SYSCALL,
    };
    make(w3, N(w3));
    bh_vm_run(vm, 1000, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_FAULT);
    ck_assert_int_eq(ex.exc, BH_EXC_FPE);
    ck_assert_uint_eq(ex.pc, BH_TEXT_BASE + 8);
    teardown();

    /* with a guest handler: delivered, EPC and Cause set; the handler skips */
    const uint32_t k[] = {
        EC(ISA_MFC0, 0, T3, BH_C0_CAUSE, 0, 0),
        EC(ISA_MFC0, 0, T4, BH_C0_EPC, 0, 0),
        ADDIU(26, T4, 4),
        EC(ISA_MTC0, 0, 26, BH_C0_EPC, 0, 0),
        ISA_ERET_WORD,
    };
    memset(&img, 0, sizeof img);
    put_words(&img.seg[BH_SEG_KTEXT], &ktext_buf, BH_EXC_VECTOR, k, N(k));
    put_words(&img.seg[BH_SEG_TEXT], &text_buf, BH_TEXT_BASE, w, N(w));
    img.entry = BH_TEXT_BASE;
    char err[256];
    ck_assert_int_eq(bh_vm_create(&img, NULL, &vm, err, sizeof err), 0);
    bh_vm_run(vm, 1000, &ex);
    ck_assert_int_eq(ex.kind, BH_EXIT_SYSCALL);
    ck_assert_uint_eq(((uint32_t)bh_vm_reg(vm, T3) >> 2) & 0x1f, BH_EXC_FPE);
    ck_assert_uint_eq((uint32_t)bh_vm_reg(vm, T4), BH_TEXT_BASE + 8);
}
END_TEST

/* --stats counts FP instructions like the others; a single step runs one. */
START_TEST(tally_and_step)
{
    const uint32_t w[] = {FR3(ADD_S, 0, 2, 2), FR3(ADD_S, 0, 0, 2), CMP(C_LT_S, 0, 2, 0), SYSCALL};
    make(w, N(w));
    set_s(2, 1.0f);
    ck_assert_int_eq(bh_core_tally(CORE), 0);
    struct bh_exit ex;
    bh_vm_step(vm, &ex);
    ck_assert(get_s(0) == 2.0f);
    ck_assert_uint_eq(bh_vm_icount(vm), 1);
    RUN_OK(w);
    ck_assert(get_s(0) == 3.0f);
    const uint64_t *mix = bh_core_mix(CORE);
    ck_assert_uint_eq(mix[ISA_ADD_S], 2);
    ck_assert_uint_eq(mix[ISA_C_LT_S], 1);
    ck_assert_uint_eq(bh_core_fcsr(CORE) & 0x00800000u, 0x00800000u);
}
END_TEST

Suite *fpu_suite(void)
{
    Suite *s = suite_create("fpu");
    TCase *t = tcase_create("state");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, state_accessors_and_body_v2);
    suite_add_tcase(s, t);
    t = tcase_create("instructions");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, arithmetic_results_and_flags);
    tcase_add_test(t, exceptional_results_cause_and_flags);
    tcase_add_test(t, rounding_modes);
    tcase_add_test(t, cause_read_by_the_guest);
    tcase_add_test(t, conversions_at_the_edges);
    tcase_add_test(t, compares_every_condition);
    tcase_add_test(t, condition_codes_branches_moves);
    tcase_add_test(t, control_register_views);
    tcase_add_test(t, loads_and_stores);
    tcase_add_test(t, fp_exceptions);
    tcase_add_test(t, tally_and_step);
    suite_add_tcase(s, t);
    return s;
}
