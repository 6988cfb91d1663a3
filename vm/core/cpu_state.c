/* cpu_state.c: the CPU's snapshot section, writer and reader mirrored
 * field by field: the registers, HI/LO, PC, LL bit, the exact instruction
 * count, the Count base, the timer flag and coprocessor 0; since version 2
 * coprocessor 1 (the FP registers, FCSR, FIR); since version 3 the delay
 * slots it runs with and the load pipeline; since version 4 the
 * SPIM-style machine's coprocessor 0 control registers and other FP
 * control registers.  Version 1 bodies load with the FP state zero, as a
 * fresh core has it, versions 1 and 2 into a core without delay slots,
 * and 1 to 3 with SPIM's control registers zero. */
#include <string.h>

#include "core/cpu.h"
#include "core/cpu_priv.h"

#define DELAY_BITS (BH_CORE_DELAYED_BRANCHES | BH_CORE_DELAYED_LOADS)

/* The delay slots c runs with, as BH_CORE_DELAYED_* bits. */
static uint32_t delay_of(const struct bh_core *c)
{
    return (c->text.flags & BH_CODE_DELAYED_BRANCHES ? BH_CORE_DELAYED_BRANCHES : 0u) |
           (c->text.flags & BH_CODE_DELAYED_LOADS ? BH_CORE_DELAYED_LOADS : 0u);
}

/* A load pipeline destination (bh_tally_slot.load_to) or 0. */
static int load_to_ok(uint32_t to)
{
    return to <= BH_REG_SINK || (to >= BH_LOAD_TO_FPR && to < BH_LOAD_TO_FPR + 32);
}

static const char *delay_name(uint32_t d)
{
    return d == DELAY_BITS                   ? "-delayed_branches -delayed_loads"
           : d & BH_CORE_DELAYED_BRANCHES ? "-delayed_branches"
           : d & BH_CORE_DELAYED_LOADS    ? "-delayed_loads"
                                          : "no delay slots";
}

int bh_core_save(const struct bh_core *s, struct bh_buf *b)
{
    const struct bh_cpu *c = &s->cpu;
    for (int i = 0; i < 32; i++)
        bh_buf_put32(b, (uint32_t)c->r[i]);
    bh_buf_put32(b, (uint32_t)c->hi);
    bh_buf_put32(b, (uint32_t)c->lo);
    bh_buf_put32(b, c->pc);
    bh_buf_put32(b, (uint32_t)c->llbit);
    bh_buf_put64(b, s->icount);
    bh_buf_put64(b, s->count_base);
    bh_buf_put32(b, (uint32_t)s->timer_armed);
    for (int i = 0; i < 32; i++)
        bh_buf_put32(b, c->c0[i]);
    for (int i = 0; i < 32; i++)
        bh_buf_put32(b, c->f[i]);
    bh_buf_put32(b, c->fcsr);
    bh_buf_put32(b, BH_FIR);
    bh_buf_put32(b, delay_of(s));
    bh_buf_put32(b, s->pipe.to1);
    bh_buf_put32(b, (uint32_t)c->r[BH_REG_LATCH]);
    bh_buf_put32(b, c->f[BH_FREG_LATCH]);
    bh_buf_put32(b, s->pipe.to2);
    bh_buf_put32(b, s->pipe.v2);
    for (int i = 0; i < 32; i++)
        bh_buf_put32(b, c->ccr0[i]);
    for (int i = 0; i < 32; i++)
        bh_buf_put32(b, c->fcr_other[i]);
    return b->oom ? -1 : 0;
}

size_t bh_core_state_size(uint32_t version)
{
    return version == 1   ? BH_CPU_STATE_SIZE_V1
           : version == 2 ? BH_CPU_STATE_SIZE_V2
           : version == 3 ? BH_CPU_STATE_SIZE_V3
           : version == 4 ? BH_CPU_STATE_SIZE
                          : 0;
}

int bh_core_load(struct bh_core *s, struct bh_rd *rd, uint32_t version, char *err, size_t errlen)
{
    size_t want = bh_core_state_size(version);
    if (!want)
        return bh_errf(err, errlen, "section CPU: version %u is not known to this myvmm (1-%u)",
                       version, BH_CPU_STATE_VERSION);
    if (rd->n - rd->off != want)
        return bh_errf(err, errlen, "section CPU: %zu bytes, expected %zu for version %u",
                       rd->n - rd->off, want, version);
    struct bh_rd r = *rd;
    struct bh_cpu c;
    memset(&c, 0, sizeof c);
    for (int i = 0; i < 32; i++)
        c.r[i] = (int32_t)bh_rd32(&r);
    c.hi = (int32_t)bh_rd32(&r);
    c.lo = (int32_t)bh_rd32(&r);
    c.pc = bh_rd32(&r);
    uint32_t llbit = bh_rd32(&r);
    uint64_t icount = bh_rd64(&r), count_base = bh_rd64(&r);
    uint32_t armed = bh_rd32(&r);
    for (int i = 0; i < 32; i++)
        c.c0[i] = bh_rd32(&r);
    uint32_t fir = BH_FIR;
    if (version >= 2) {
        for (int i = 0; i < 32; i++)
            c.f[i] = bh_rd32(&r);
        c.fcsr = bh_rd32(&r);
        fir = bh_rd32(&r);
    }
    uint32_t delay = 0;
    struct bh_load_pipe pipe = {0};
    if (version >= 3) {
        delay = bh_rd32(&r);
        pipe.to1 = bh_rd32(&r);
        c.r[BH_REG_LATCH] = (int32_t)bh_rd32(&r);
        c.f[BH_FREG_LATCH] = bh_rd32(&r);
        pipe.to2 = bh_rd32(&r);
        pipe.v2 = bh_rd32(&r);
    }
    if (version >= 4) {
        for (int i = 0; i < 32; i++)
            c.ccr0[i] = bh_rd32(&r);
        for (int i = 0; i < 32; i++)
            c.fcr_other[i] = bh_rd32(&r);
    }
    if (bh_rd_end(&r, "CPU", err, errlen))
        return -1;
    *rd = r;
    if (c.r[0] != 0)
        return bh_errf(err, errlen, "section CPU: register $0 holds %d, it must be 0", c.r[0]);
    if (c.pc & 3)
        return bh_errf(err, errlen, "section CPU: PC 0x%08x is not word-aligned", c.pc);
    if (llbit > 1 || armed > 1)
        return bh_errf(err, errlen, "section CPU: LL bit or timer flag is not 0 or 1");
    if (c.fcsr & ~BH_FCSR_MASK)
        return bh_errf(err, errlen, "section CPU: FCSR 0x%08x sets bits FCSR does not have (0x%08x)",
                       c.fcsr, c.fcsr & ~BH_FCSR_MASK);
    if (fir != BH_FIR)
        return bh_errf(err, errlen, "section CPU: FIR 0x%08x is not this FPU's (0x%08x)", fir,
                       BH_FIR);
    if (delay & ~DELAY_BITS)
        return bh_errf(err, errlen, "section CPU: delay slot bits 0x%08x are not 0 to 0x%x", delay,
                       DELAY_BITS);
    if (!load_to_ok(pipe.to1) || !load_to_ok(pipe.to2) ||
        (!(delay & BH_CORE_DELAYED_LOADS) && (pipe.to1 || pipe.to2)))
        return bh_errf(err, errlen, "section CPU: the load pipeline names no register (%u, %u)",
                       pipe.to1, pipe.to2);
    if (delay != delay_of(s))
        return bh_errf(err, errlen,
                       "the snapshot was taken with %s, this VM runs with %s" BH_HELP
                       "resume it with the same options as it was taken (-delayed_branches, "
                       "-delayed_loads, -bare)",
                       delay_name(delay), delay_name(delay_of(s)));
    c.llbit = (int)llbit;
    s->cpu = c;
    s->pipe = pipe;
    s->icount = icount;
    s->count_base = count_base;
    s->timer_armed = (int)armed;
    bh_core_state_changed(s);
    bh_core_jit_flush(s); /* a restore or an incoming migration: translated again as it runs */
    return 0;
}

