/* cpu_state.c: the CPU's snapshot section, writer and reader mirrored
 * field by field: the registers, HI/LO, PC, LL bit, the exact instruction
 * count, the Count base, the timer flag and coprocessor 0; since version 2
 * coprocessor 1 (the FP registers, FCSR, FIR); since version 3 the
 * SPIM-style machine's coprocessor 0 control registers and other FP
 * control registers.  Older bodies load with what they lack zero, as a
 * fresh core has it. */
#include <string.h>

#include "core/cpu.h"
#include "core/cpu_priv.h"

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
           : version == 3 ? BH_CPU_STATE_SIZE
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
    if (version >= 3) {
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
    c.llbit = (int)llbit;
    s->cpu = c;
    s->icount = icount;
    s->count_base = count_base;
    s->timer_armed = (int)armed;
    bh_core_state_changed(s);
    return 0;
}

