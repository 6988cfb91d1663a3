/* core.c: a core's life and its state seen from outside the run loop:
 * creation (decoding the text), --stats tallying, and the accessors the
 * machine drives it with (cpu.h).  The run loop itself is cpu.c. */
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "core/cpu_priv.h"
#if BH_JIT
#include "core/jit.h"
#endif

int bh_core_new(uint64_t mem_limit, const struct bh_segment *text, const struct bh_segment *ktext,
                unsigned flags, struct bh_core **out, char *err, size_t errlen)
{
    *out = NULL;
    struct bh_core *c = calloc(1, sizeof *c);
    if (!c)
        return bh_errf(err, errlen, "out of memory");
    if (bh_mem_init(&c->mem, mem_limit, err, errlen) != 0) {
        free(c);
        return -1;
    }
    c->fp_host_rm = -1;
    c->priv = (flags & BH_CORE_PRIV) != 0;
    c->text.flags = c->ktext.flags =
        (flags & BH_CORE_WRAP ? BH_CODE_WRAP : 0) | (flags & BH_CORE_PRIV ? BH_CODE_PRIV : 0) |
        (flags & BH_CORE_DELAYED_BRANCHES ? BH_CODE_DELAYED_BRANCHES : 0) |
        (flags & BH_CORE_DELAYED_LOADS ? BH_CODE_DELAYED_LOADS : 0);
    if (flags & BH_CORE_PRIV)
        bh_mem_set_priv(&c->mem);
    if (bh_code_decode(&c->text, text, err, errlen) != 0 ||
        bh_code_decode(&c->ktext, ktext, err, errlen) != 0) {
        bh_core_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

void bh_core_free(struct bh_core *c)
{
    if (!c)
        return;
#if BH_JIT
    bh_jit_free(c->jit);
#endif
    free(c->mix);
    free(c->brk);
    free(c->text.d);
    free(c->ktext.d);
    free(c->text.words);
    free(c->ktext.words);
    free(c->text.tally);
    free(c->ktext.tally);
    free(c->text.tramp);
    free(c->ktext.tramp);
    free(c->text.cu1);
    free(c->ktext.cu1);
    bh_mem_free(&c->mem);
    free(c);
}

struct bh_mem *bh_core_mem(struct bh_core *c)
{
    return &c->mem;
}

/* ---- a debugger's breakpoints ---- */

/* The decoded code holding instruction pc, and its slot; NULL if none. */
static struct bh_code *code_at(struct bh_core *c, uint32_t pc, uint32_t *slot)
{
    struct bh_code *segs[2] = {&c->text, &c->ktext};
    for (int s = 0; s < 2 && !(pc & 3u); s++) {
        if (segs[s]->n && pc >= segs[s]->base && (pc - segs[s]->base) / 4 < segs[s]->n) {
            *slot = (pc - segs[s]->base) / 4;
            return segs[s];
        }
    }
    return NULL;
}

/* Decode pc's word again (bh_code_patch also splits the superinstructions
 * that would run over it), then make its slot a stop when on. */
static void brk_slot(struct bh_core *c, uint32_t pc, int on)
{
    uint32_t i;
    struct bh_code *code = code_at(c, pc, &i);
    bh_code_patch(code, i, bh_get32(code->words + 4 * i));
    if (on)
        code->d[i].u.op = BH_DOP_DEBUG_BREAK;
    c->threaded = 0; /* thread the new ops at the next run */
}

void bh_core_brk_again(struct bh_core *c, const struct bh_code *code)
{
    for (unsigned k = 0; k < c->nbrk; k++) {
        uint32_t i;
        if (code_at(c, c->brk[k], &i) == code)
            code->d[i].u.op = BH_DOP_DEBUG_BREAK;
    }
}

int bh_core_brk_at(const struct bh_core *c, uint32_t pc)
{
    for (unsigned k = 0; k < c->nbrk; k++)
        if (c->brk[k] == pc)
            return 1;
    return 0;
}

void bh_core_brk_lift(struct bh_core *c, uint32_t pc, int lifted)
{
    brk_slot(c, pc, !lifted);
}

int bh_core_break(struct bh_core *c, uint32_t pc, int on)
{
    uint32_t slot;
    if (!code_at(c, pc, &slot))
        return -1;
    unsigned k = 0;
    while (k < c->nbrk && c->brk[k] != pc)
        k++;
    if (on == (k < c->nbrk))
        return 0;
    if (on) {
        if (c->nbrk == c->brk_cap) {
            unsigned cap = c->brk_cap ? 2 * c->brk_cap : 16;
            uint32_t *b = realloc(c->brk, cap * sizeof *b);
            if (!b)
                return -1;
            c->brk = b;
            c->brk_cap = cap;
        }
        c->brk[c->nbrk++] = pc;
    } else {
        c->brk[k] = c->brk[--c->nbrk];
    }
    brk_slot(c, pc, on);
    bh_core_jit_flush(c); /* the tier stays off while a breakpoint is set */
    return 0;
}

int bh_core_tally(struct bh_core *c)
{
    if (!c->mix && !(c->mix = calloc(ISA_COUNT, sizeof *c->mix)))
        return -1;
    int t = bh_code_tally(&c->text), k = bh_code_tally(&c->ktext);
    if (t < 0 || k < 0)
        return -1;
    if (t > 0 || k > 0)
        c->threaded = 0; /* thread the new ops at the next run */
    bh_core_brk_again(c, &c->text);
    bh_core_brk_again(c, &c->ktext);
    bh_core_jit_flush(c); /* translated again, counting */
    return 0;
}

void bh_core_jit_flush(struct bh_core *c)
{
#if BH_JIT
    bh_jit_flush(c->jit);
#else
    (void)c;
#endif
}

int bh_core_jit(struct bh_core *c, unsigned threshold, size_t cache_bytes, char *err, size_t errlen)
{
#if BH_JIT
    /* Stage 1 translates the SPIM-style machine without delay slots; the
     * rest runs in the interpreter alone. */
    if (c->priv || (c->text.flags & (BH_CODE_DELAYED_BRANCHES | BH_CODE_DELAYED_LOADS)))
        return 0;
    return bh_jit_new(c, threshold, cache_bytes, err, errlen);
#else
    (void)c, (void)threshold, (void)cache_bytes, (void)err, (void)errlen;
    return 0;
#endif
}

void bh_core_jit_hook(struct bh_core *c, bh_jit_block_fn fn, void *opaque)
{
    c->on_jit_block = fn;
    c->jit_block_opaque = opaque;
}

int bh_core_jit_stats(const struct bh_core *c, struct bh_jit_stats *st)
{
#if BH_JIT
    if (c->jit) {
        bh_jit_stats(c->jit, st);
        return 0;
    }
#else
    (void)c, (void)st;
#endif
    return -1;
}

void bh_core_text_restored(struct bh_core *c)
{
    struct bh_code *segs[2] = {&c->text, &c->ktext};
    for (int s = 0; s < 2; s++) {
        struct bh_code *code = segs[s];
        uint32_t pa = bh_code_phys(c, code);
        for (uint32_t i = 0; i < code->n; i++) {
            uint8_t w[4];
            if (bh_mem_read(&c->mem, pa + 4 * i, w, 4) != 0 || memcmp(w, code->words + 4 * i, 4) == 0)
                continue;
            bh_code_patch(code, i, bh_get32(w));
            c->threaded = 0; /* thread the new ops at the next run */
        }
        bh_core_brk_again(c, code);
    }
    bh_core_jit_flush(c);
}

const uint64_t *bh_core_mix(const struct bh_core *c)
{
    return c->mix;
}

void bh_core_retry(struct bh_core *c)
{
    struct bh_load_pipe *lp = &c->pipe;
    if (c->syscall_slot_pc) {
        /* In a delay slot: back to its branch, which runs again (it reads
         * what it read: the syscall changed nothing).  With delayed loads
         * the loads the two shifts wrote stay written. */
        c->cpu.pc = c->syscall_slot_pc - 4;
        c->icount -= 2;
        if (c->mix) {
            const struct bh_code *code = c->cpu.pc - c->text.base < 4ull * c->text.n ? &c->text : &c->ktext;
            c->mix[isa_decode(bh_get32(code->words + (c->cpu.pc - code->base)))]--;
        }
        c->syscall_slot_pc = 0;
    } else {
        c->cpu.pc -= 4;
        c->icount--;
        /* the syscall's pipeline shift undone (it shifts again): the load
         * it moved out of the latch goes back in */
        if (lp->to2) {
            lp->to1 = lp->to2;
            if (lp->to1 >= BH_LOAD_TO_FPR)
                c->cpu.f[BH_FREG_LATCH] = lp->v2;
            else
                c->cpu.r[BH_REG_LATCH] = (int32_t)lp->v2;
            lp->to2 = 0;
        }
    }
    if (c->mix)
        c->mix[ISA_SYSCALL]--; /* tallied again when it runs */
    bh_core_state_changed(c);
}

int bh_core_has_handler(const struct bh_core *c)
{
    uint32_t v = c->cpu.c0[BH_C0_STATUS] & BH_ST_BEV ? BH_VEC_BEV_GENERAL : BH_VEC_GENERAL;
    return c->ktext.n && v >= c->ktext.base && (v - c->ktext.base) / 4 < c->ktext.n;
}

/* The timer's next icount from Count and Compare; interrupts looked at
 * again at the next taken branch. */
static void timer_changed(struct bh_core *c)
{
    if (c->timer_armed) {
        uint32_t count = (uint32_t)(c->icount - c->count_base);
        uint32_t delta = c->cpu.c0[BH_C0_COMPARE] - count;
        c->timer_at = c->icount + (delta ? delta : (1ull << 32));
    }
    c->check_now = 1;
}

void bh_core_state_changed(struct bh_core *c)
{
    timer_changed(c);
    bh_mem_tlb_flush(&c->mem);
    if (c->mem.priv)
        bh_core_sync_mode(c);
}

void bh_core_sync_mode(struct bh_core *c)
{
    uint32_t st = c->cpu.c0[BH_C0_STATUS];
    bh_mem_set_mode(&c->mem, (st & BH_ST_UM) && !(st & (BH_ST_EXL | BH_ST_ERL)),
                    (st & BH_ST_ERL) != 0, c->cpu.c0[BH_C0_ENTRYHI]);
}

/* ---- accessors ---- */

int32_t bh_core_reg(const struct bh_core *c, unsigned r)
{
    return r && r < 32 ? c->cpu.r[r] : 0;
}
void bh_core_set_reg(struct bh_core *c, unsigned r, int32_t v)
{
    if (r && r < 32)
        c->cpu.r[r] = v;
}
int32_t bh_core_hi(const struct bh_core *c)
{
    return c->cpu.hi;
}
int32_t bh_core_lo(const struct bh_core *c)
{
    return c->cpu.lo;
}
void bh_core_set_hilo(struct bh_core *c, int32_t hi, int32_t lo)
{
    c->cpu.hi = hi;
    c->cpu.lo = lo;
}
uint32_t bh_core_pc(const struct bh_core *c)
{
    return c->cpu.pc;
}
void bh_core_set_pc(struct bh_core *c, uint32_t pc)
{
    c->cpu.pc = pc;
}
uint64_t bh_core_icount(const struct bh_core *c)
{
    return c->icount;
}
int bh_core_priv(const struct bh_core *c)
{
    return c->priv;
}

uint32_t bh_core_c0(const struct bh_core *c, unsigned r)
{
    if (r >= 32)
        return 0;
    if (r == BH_C0_COUNT)
        return (uint32_t)(c->icount - c->count_base);
    if (r == BH_C0_PRID)
        return BH_PRID;
    if (r == BH_C0_CONFIG)
        return BH_CONFIG;
    if (r == BH_C0_RANDOM && c->mem.priv)
        return bh_gtlb_random(&c->mem.gtlb, c->cpu.c0[BH_C0_WIRED], c->icount);
    return c->cpu.c0[r];
}

void bh_core_set_c0(struct bh_core *c, unsigned r, uint32_t v)
{
    if (r >= 32)
        return;
    bh_core_write_c0(c, r, v);
    bh_core_state_changed(c);
}

void bh_core_write_c0(struct bh_core *c, unsigned r, uint32_t v)
{
    /* Count may have reached Compare since the last taken branch looked:
     * that raises IP7 before this write moves the timer (a Compare write
     * then lowers it again, as on MIPS). */
    if (c->timer_armed && c->icount >= c->timer_at && !(c->cpu.c0[BH_C0_CAUSE] & BH_CAUSE_TIMER)) {
        bh_core_irq_raised(c, BH_CAUSE_TIMER);
        c->cpu.c0[BH_C0_CAUSE] |= BH_CAUSE_TIMER;
    }
    if (r == BH_C0_COUNT) {
        c->count_base = c->icount - v;
    } else if (r == BH_C0_COMPARE) {
        c->cpu.c0[r] = v;
        c->cpu.c0[BH_C0_CAUSE] &= ~BH_CAUSE_TIMER;
        c->timer_armed = 1;
    } else {
        c->cpu.c0[r] = v;
    }
    timer_changed(c);
}

uint32_t bh_core_fpr(const struct bh_core *c, unsigned r)
{
    return r < 32 ? c->cpu.f[r] : 0;
}
void bh_core_set_fpr(struct bh_core *c, unsigned r, uint32_t bits)
{
    if (r < 32)
        c->cpu.f[r] = bits;
}
uint32_t bh_core_fcsr(const struct bh_core *c)
{
    return c->cpu.fcsr;
}
void bh_core_set_fcsr(struct bh_core *c, uint32_t v)
{
    c->cpu.fcsr = v & BH_FCSR_MASK;
}

void bh_core_power_off(struct bh_core *c)
{
    c->mem.stop = 1; /* the store's slow path returns BH_MEM_STOP */
}

void bh_core_end_run_by(struct bh_core *c, uint64_t end)
{
    if (end < c->budget_end) {
        c->budget_end = end;
        c->check_now = 1; /* the fast path's limit is recomputed */
    }
}

void bh_core_set_event_hook(struct bh_core *c, bh_core_event_fn fn, void *opaque)
{
    c->on_event = fn;
    c->event_opaque = opaque;
}

const struct bh_guest_events *bh_core_guest_events(const struct bh_core *c)
{
    return &c->gev;
}

void bh_core_irq_raised(struct bh_core *c, uint32_t bits)
{
    for (unsigned i = 0; i < 8; i++)
        if (bits >> (8 + i) & 1u)
            c->gev.irq[i]++;
    if (c->on_event) {
        struct bh_core_event e = {.kind = BH_EV_IRQ, .ip = bits, .icount = c->icount};
        c->on_event(c->event_opaque, &e);
    }
}

void bh_core_irq(struct bh_core *c, uint32_t cause_mask, int level)
{
    cause_mask &= BH_CAUSE_IP;
    if (level && (cause_mask & ~c->cpu.c0[BH_C0_CAUSE]))
        bh_core_irq_raised(c, cause_mask & ~c->cpu.c0[BH_C0_CAUSE]);
    if (level)
        c->cpu.c0[BH_C0_CAUSE] |= cause_mask;
    else
        c->cpu.c0[BH_C0_CAUSE] &= ~cause_mask;
    c->check_now = 1;
}
