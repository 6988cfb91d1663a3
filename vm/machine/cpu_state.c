/* cpu_state.c: the CPU's snapshot section, writer and reader mirrored
 * field by field: the registers, HI/LO, PC, LL bit, the exact instruction
 * count, the Count base, the timer flag and coprocessor 0. */
#include <string.h>

#include "machine/vm_internal.h"

int bh_cpu_save(const struct bh_vm *vm, struct bh_buf *b)
{
    const struct bh_cpu *c = &vm->cpu;
    for (int i = 0; i < 32; i++)
        bh_buf_put32(b, (uint32_t)c->r[i]);
    bh_buf_put32(b, (uint32_t)c->hi);
    bh_buf_put32(b, (uint32_t)c->lo);
    bh_buf_put32(b, c->pc);
    bh_buf_put32(b, (uint32_t)c->llbit);
    bh_buf_put64(b, vm->icount);
    bh_buf_put64(b, vm->count_base);
    bh_buf_put32(b, (uint32_t)vm->timer_armed);
    for (int i = 0; i < 32; i++)
        bh_buf_put32(b, c->c0[i]);
    return b->oom ? -1 : 0;
}

int bh_cpu_load(struct bh_vm *vm, struct bh_rd *rd, uint32_t version, char *err, size_t errlen)
{
    if (version != 1)
        return bh_errf(err, errlen, "section CPU: version %u is not known to this myvmm (1)",
                       version);
    if (rd->n - rd->off != BH_CPU_STATE_SIZE)
        return bh_errf(err, errlen, "section CPU: %zu bytes, expected %d", rd->n - rd->off,
                       BH_CPU_STATE_SIZE);
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
    if (bh_rd_end(&r, "CPU", err, errlen))
        return -1;
    *rd = r;
    if (c.r[0] != 0)
        return bh_errf(err, errlen, "section CPU: register $0 holds %d, it must be 0", c.r[0]);
    if (c.pc & 3)
        return bh_errf(err, errlen, "section CPU: PC 0x%08x is not word-aligned", c.pc);
    if (llbit > 1 || armed > 1)
        return bh_errf(err, errlen, "section CPU: LL bit or timer flag is not 0 or 1");
    c.llbit = (int)llbit;
    vm->cpu = c;
    vm->icount = icount;
    vm->count_base = count_base;
    vm->timer_armed = (int)armed;
    bh_vm_state_changed(vm);
    return 0;
}

