/* fpu.h: coprocessor 1's arithmetic helpers, private to vm/core (cpu.c
 * includes it).  IEEE 754 as the host computes it: the host's
 * rounding mode is the guest's FCSR.RM while the core runs (bh_fpu_enter,
 * bh_fpu_leave restore the host's), and the host's exception flags give
 * each instruction's Cause.
 *
 * Flags: the host's sticky flags are clear when an FP instruction starts
 * (cleared on entry, and after every instruction that raised one), so the
 * flags an instruction leaves are exactly its own: read them, clear them
 * if any, and that is the Cause.  On x86-64 this is stmxcsr (and ldmxcsr
 * when something was raised, e.g. inexact), a few cycles; elsewhere the
 * C99 <fenv.h> calls.  The value is an asm input, so the compiler cannot
 * move the operation past the read.
 */
#ifndef BH_FPU_H
#define BH_FPU_H

#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* The FCSR field names (BH_FCSR_*, BH_FP_*) are core/cpu.h's, which the
 * includer includes first (as for cpu_priv.h). */

/* MIPS condition code cc's bit in FCSR: cc 0 is bit 23, cc 1-7 bits 25-31. */
static inline uint32_t bh_fcc_bit(unsigned cc)
{
    return 0x00800000u << (cc + (cc != 0));
}

#if defined(__x86_64__) && defined(__SSE2_MATH__)
#define BH_FPU_MXCSR 1
/* MXCSR flags IE DE ZE OE UE PE (bits 0-5) as MIPS's V Z O U I bits:
 * one load. */
#define BH_MX(m) ((((m)&0x20u) >> 5) | (((m)&0x10u) >> 3) | (((m)&0x08u) >> 1) | (((m)&0x04u) << 1) | (((m)&0x01u) << 4))
#define BH_MX4(m) BH_MX(m), BH_MX((m) + 1), BH_MX((m) + 2), BH_MX((m) + 3)
#define BH_MX16(m) BH_MX4(m), BH_MX4((m) + 4), BH_MX4((m) + 8), BH_MX4((m) + 12)
static const uint8_t bh_fpu_mx[64] = {BH_MX16(0), BH_MX16(16), BH_MX16(32), BH_MX16(48)};
static inline unsigned bh_fpu_map(unsigned m)
{
    return bh_fpu_mx[m & 0x3fu];
}
static inline unsigned bh_fpu_take(void)
{
    unsigned m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    if (__builtin_expect((m & 0x3fu) != 0, 0)) {
        unsigned c = m & ~0x3fu;
        __asm__ volatile("ldmxcsr %0" : : "m"(c) : "memory");
    }
    return bh_fpu_map(m & 0x3fu);
}
/* The flags the computation of v raised (v is computed before the read). */
static inline unsigned bh_fpu_flags_f(float v)
{
    __asm__ volatile("" : : "x"(v));
    return bh_fpu_take();
}
static inline unsigned bh_fpu_flags_d(double v)
{
    __asm__ volatile("" : : "x"(v));
    return bh_fpu_take();
}
#define BH_FPU_FLAGS_F(v) bh_fpu_flags_f(v)
#define BH_FPU_FLAGS_D(v) bh_fpu_flags_d(v)
static inline void bh_fpu_clear(void)
{
    (void)bh_fpu_take();
}
/* sqrtss/sqrtsd themselves: no libm call (for errno) in the run loop. */
static inline float bh_fpu_sqrtf(float v)
{
    float r;
    __asm__("sqrtss %1, %0" : "=x"(r) : "x"(v));
    return r;
}
static inline double bh_fpu_sqrt(double v)
{
    double r;
    __asm__("sqrtsd %1, %0" : "=x"(r) : "x"(v));
    return r;
}
#else
static inline unsigned bh_fpu_take(void)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    if (e)
        feclearexcept(FE_ALL_EXCEPT);
    return (e & FE_INEXACT ? BH_FP_I : 0) | (e & FE_UNDERFLOW ? BH_FP_U : 0) |
           (e & FE_OVERFLOW ? BH_FP_O : 0) | (e & FE_DIVBYZERO ? BH_FP_Z : 0) |
           (e & FE_INVALID ? BH_FP_V : 0);
}
static inline float bh_fpu_keep_f(volatile float v) { return v; }
static inline double bh_fpu_keep_d(volatile double v) { return v; }
#define BH_FPU_FLAGS_F(v) ((void)bh_fpu_keep_f(v), bh_fpu_take())
#define BH_FPU_FLAGS_D(v) ((void)bh_fpu_keep_d(v), bh_fpu_take())
static inline void bh_fpu_clear(void)
{
    feclearexcept(FE_ALL_EXCEPT);
}
#define bh_fpu_sqrtf sqrtf
#define bh_fpu_sqrt sqrt
#endif

/* FCSR.RM (0 nearest, 1 toward zero, 2 up, 3 down) as <fenv.h>'s. */
static inline int bh_fpu_host_rm(uint32_t fcsr)
{
    static const int m[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD};
    return m[fcsr & BH_FCSR_RM];
}

/* Raw bits <-> values.  A double is the pair r (low word), r + 1. */
static inline float bh_f32(uint32_t b)
{
    float f;
    memcpy(&f, &b, 4);
    return f;
}
static inline uint32_t bh_b32(float f)
{
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* A little-endian host keeps the pair (low word first) as the double
 * itself: one 8-byte load or store. */
static inline double bh_f64(const uint32_t *p)
{
    double d;
    memcpy(&d, p, 8);
    return d;
}
static inline void bh_set_f64(uint32_t *p, double d)
{
    memcpy(p, &d, 8);
}
static inline uint64_t bh_u64(const uint32_t *p)
{
    uint64_t b;
    memcpy(&b, p, 8);
    return b;
}
#else
static inline uint64_t bh_u64(const uint32_t *p)
{
    return (uint64_t)p[1] << 32 | p[0];
}
static inline double bh_f64(const uint32_t *p)
{
    uint64_t b = (uint64_t)p[1] << 32 | p[0];
    double d;
    memcpy(&d, &b, 8);
    return d;
}
static inline void bh_set_f64(uint32_t *p, double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    p[0] = (uint32_t)b;
    p[1] = (uint32_t)(b >> 32);
}
#endif

static inline double bh_d(uint64_t b)
{
    double d;
    memcpy(&d, &b, 8);
    return d;
}

/* Signaling NaNs (IEEE 754-2008 encoding, the host's: quiet bit clear). */
static inline int bh_snan32(uint32_t b)
{
    return (b & 0x7f800000u) == 0x7f800000u && (b & 0x007fffffu) && !(b & 0x00400000u);
}
static inline int bh_snan64(const uint32_t *p)
{
    return (p[1] & 0x7ff00000u) == 0x7ff00000u && ((p[1] & 0x000fffffu) | p[0]) &&
           !(p[1] & 0x00080000u);
}

/* A value already rounded to an integer (r) as a word: NaN or out of
 * range gives 2^31 - 1 and Invalid, as MIPS does; else inexact when r
 * differs from the source v. */
static inline uint32_t bh_fpu_to_word(double v, double r, unsigned *x)
{
    if (!(r >= -2147483648.0 && r <= 2147483647.0)) {
        *x = BH_FP_V;
        return 0x7fffffffu;
    }
    *x = r != v ? BH_FP_I : 0;
    return (uint32_t)(int32_t)r;
}

/* Round to nearest, ties to even, whatever the current mode (round.w). */
static inline double bh_fpu_round_even(double v)
{
    double f = floor(v), d = v - f; /* both exact */
    if (d > 0.5 || (d == 0.5 && fmod(f, 2.0) != 0.0))
        f += 1.0;
    return f;
}

#endif
