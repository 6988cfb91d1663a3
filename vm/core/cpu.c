/* cpu.c: the core: runs pre-decoded MIPS32 code until something needs the
 * monitor (an exit) or the instruction budget is spent.
 *
 * Why it looks like this:
 *  - Dispatch is direct-threaded (dispatch.h): each decoded instruction
 *    carries its handler's address.  The same handlers build as a switch
 *    with -DBH_DISPATCH_SWITCH, for comparison.
 *  - Nothing is counted per instruction, nor per straight-line run.
 *    `check_at` is the nearest icount where something must be looked at
 *    (the end of the budget, the timer, a pending interrupt) and `lim` a
 *    pointer-sized value kept so that, with ip the next instruction,
 *        retired instructions = check_at - (lim - ip) / sizeof *ip
 *    (ICOUNT_AT).  Straight-line code moves ip and so counts by itself; a
 *    taken branch from ip to t keeps the identity with
 *        d = lim - (ip + 1);  lim = t + d;  d <= 0: time to check
 *    and, as the decoder stores branch offsets from the slot after the
 *    branch (t = ip + 1 + off), lim = lim + off (TAKEN_REL): one add, one
 *    compare, no counter, no run-start register.  A not-taken branch
 *    just extends the run.
 *  - Write-back points (Lua's savepc/Protect) are named SAVE_STATE: before
 *    every exit, every memory slow path (which may call a device) and
 *    every fault, cs->cpu.pc and cs->icount are made exact, so a
 *    snapshot, a device or the monitor always sees a consistent machine.
 *  - Loads and stores hit the soft TLB inline (one compare, one add); a
 *    miss or an unaligned address goes to mem.c's out-of-line slow path,
 *    from a superinstruction by way of the instruction's plain handler:
 *    superinstructions make no calls (LOAD_HIT).
 *  - Faults: the faulting instruction does not retire (not counted, pc at
 *    it).  A jump or branch to an address outside text/ktext or not
 *    word-aligned is an AdEL of the jump itself (badvaddr = the target):
 *    the learner sees the line that jumped.  With a guest handler at
 *    0x80000180 faults are delivered to the guest as SPIM does, except
 *    when Status.EXL is already set (a fault inside the handler), which
 *    goes to the monitor so a broken handler cannot loop forever, and the
 *    memory limit, which is the host's policy and always goes to the monitor.
 */
#include <string.h>

#include "core/cpu.h"
#include "core/cpu_priv.h"
#include "core/fpu.h"
#include "dispatch.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define HOST_LE(x) __builtin_bswap32(x)
#define HOST_LE16(x) __builtin_bswap16(x)
#else
#define HOST_LE(x) (x)
#define HOST_LE16(x) (x)
#endif

static inline uint32_t host_ld4(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return HOST_LE(v);
}
static inline uint32_t host_ld2(const void *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return HOST_LE16(v);
}
static inline uint32_t host_ld1(const void *p) { return *(const uint8_t *)p; }
static inline void host_st4(void *p, uint32_t v)
{
    v = HOST_LE(v);
    memcpy(p, &v, 4);
}
static inline void host_st2(void *p, uint32_t v)
{
    uint16_t h = HOST_LE16((uint16_t)v);
    memcpy(p, &h, 2);
}
static inline void host_st1(void *p, uint32_t v) { *(uint8_t *)p = (uint8_t)v; }

/* The nearest icount at which the core must leave its fast path (now is
 * the current icount).  At most BH_CHECK_SPAN ahead, so (check_at - now)
 * times the decoded size fits the signed distance in lim; reaching an
 * early check point only costs one call of events() that finds nothing. */
#define BH_CHECK_SPAN (1ull << 40)
static uint64_t check_at_of(const struct bh_core *cs, uint64_t now)
{
    if (cs->check_now)
        return now;
    uint64_t c = cs->budget_end;
    if (cs->timer_armed && cs->timer_at < c)
        c = cs->timer_at;
    if (c > now && c - now > BH_CHECK_SPAN)
        c = now + BH_CHECK_SPAN;
    return c;
}

/* The exception vector (MIPS32): BEV picks kseg0 or the boot ROM; a TLB
 * refill with EXL clear has its own vector. */
static uint32_t exc_vector(const struct bh_core *cs, int refill)
{
    uint32_t st = cs->cpu.c0[BH_C0_STATUS];
    int r = refill && !(st & BH_ST_EXL);
    if (st & BH_ST_BEV)
        return r ? BH_VEC_BEV_REFILL : BH_VEC_BEV_GENERAL;
    return r ? BH_VEC_REFILL : BH_VEC_GENERAL;
}

/* Status (mode, EXL, ERL, IE, IM) or EntryHi (the ASID) changed: every
 * write of either calls it (mtc0, exception entry, eret, tlbr).  Pending
 * interrupts are looked at again at the next taken branch, and the
 * privileged machine's shadow TLB keeps only what the new mode and ASID
 * may use (mem.h). */
static void mode_changed(struct bh_core *cs)
{
    cs->check_now = 1;
    if (cs->mem.priv)
        bh_core_sync_mode(cs);
}

static int is_tlb_exc(int exc)
{
    return exc == BH_EXC_MOD || exc == BH_EXC_TLBL || exc == BH_EXC_TLBS;
}

/* The privileged machine's user mode (BH_CORE_PRIV). */
static int user_mode(const struct bh_core *cs)
{
    uint32_t st = cs->cpu.c0[BH_C0_STATUS];
    return (st & BH_ST_KSU) == BH_ST_UM && !(st & (BH_ST_EXL | BH_ST_ERL));
}

/* Enter the guest's exception handler (MIPS32): cs->cpu.pc is the
 * instruction to blame (or, for interrupts, the next one to run); bd: it
 * ran in the delay slot of a taken branch, so EPC is the branch's address
 * and Cause.BD is set.  EPC and Cause.BD change only when EXL was clear (a
 * fault inside the handler keeps the first one's); CE is 0 except for
 * CpU, which the caller sets.  TLB exceptions also set Context.BadVPN2
 * and EntryHi.VPN2 (ASID kept). */
static void take_exception(struct bh_core *cs, int exc, int set_bad, uint32_t bad, int refill,
                           int bd)
{
    uint32_t *c0 = cs->cpu.c0;
    uint32_t vec = exc_vector(cs, refill);
    cs->gev.exc[exc & 31]++;
    if (cs->on_event) {
        struct bh_core_event e = {.kind = BH_EV_EXCEPTION, .exc = exc, .user = cs->priv ? user_mode(cs) : -1,
                                  .refill = refill, .bd = bd, .epc = cs->cpu.pc - (bd ? 4u : 0u),
                                  .bad = set_bad ? bad : 0, .vector = vec,
                                  .ip = c0[BH_C0_CAUSE] & BH_CAUSE_IP, .icount = cs->icount};
        cs->on_event(cs->event_opaque, &e);
    }
    uint32_t cause = c0[BH_C0_CAUSE] & ~(BH_CAUSE_EXC_MASK | BH_CAUSE_CE);
    if (!(c0[BH_C0_STATUS] & BH_ST_EXL)) {
        c0[BH_C0_EPC] = cs->cpu.pc - (bd ? 4u : 0u);
        cause = (cause & ~BH_CAUSE_BD) | (bd ? BH_CAUSE_BD : 0u);
    }
    c0[BH_C0_CAUSE] = cause | BH_CAUSE_EXC(exc);
    if (set_bad)
        c0[BH_C0_BADVADDR] = bad;
    if (is_tlb_exc(exc)) {
        c0[BH_C0_CONTEXT] = (c0[BH_C0_CONTEXT] & BH_CONTEXT_PTEBASE) | (bad >> 13) << 4;
        c0[BH_C0_ENTRYHI] = (bad & BH_HI_VPN2) | (c0[BH_C0_ENTRYHI] & BH_HI_ASID);
    }
    c0[BH_C0_STATUS] |= BH_ST_EXL;
    cs->cpu.pc = vec;
    mode_changed(cs);
}

/* A cop0 instruction here raises CpU: user mode without CU0. */
static int cop0_denied(const struct bh_core *cs)
{
    return cs->priv && user_mode(cs) && !(cs->cpu.c0[BH_C0_STATUS] & BH_ST_CU0);
}

enum { EV_GO, EV_EXIT, EV_REDIRECT };

/* Out of the hot path: the timer, interrupts and the budget.  Called at a
 * taken branch once icount reached check_at; cs->cpu.pc and cs->icount
 * are exact (pc = the branch target). */
static __attribute__((noinline)) int events(struct bh_core *cs, struct bh_exit *ex)
{
    uint32_t *c0 = cs->cpu.c0;
    int redirect = 0;
    cs->check_now = 0;
    if (cs->timer_armed && cs->icount >= cs->timer_at) {
        if (!(c0[BH_C0_CAUSE] & BH_CAUSE_TIMER))
            bh_core_irq_raised(cs, BH_CAUSE_TIMER);
        c0[BH_C0_CAUSE] |= BH_CAUSE_TIMER;
        uint64_t period = 1ull << 32;
        cs->timer_at += ((cs->icount - cs->timer_at) / period + 1) * period;
    }
    uint32_t st = c0[BH_C0_STATUS];
    if ((st & BH_ST_IE) && !(st & (BH_ST_EXL | BH_ST_ERL)) && (c0[BH_C0_CAUSE] & st & BH_ST_IM) &&
        bh_core_has_handler(cs)) {
        take_exception(cs, BH_EXC_INT, 0, 0, 0, 0);
        redirect = 1;
    }
    if (cs->icount >= cs->budget_end) {
        ex->kind = BH_EXIT_BUDGET;
        ex->pc = cs->cpu.pc;
        return EV_EXIT;
    }
    return redirect ? EV_REDIRECT : EV_GO;
}

/* The decoded slot of pc (in text or ktext; the slot after the last word
 * too, which halts), NULL if pc is outside both or unaligned. */
static const struct bh_dinsn *locate(const struct bh_core *cs, uint32_t pc)
{
    const struct bh_code *segs[2] = {&cs->text, &cs->ktext};
    if (pc & 3u)
        return NULL;
    for (int i = 0; i < 2; i++) {
        const struct bh_code *c = segs[i];
        if (c->n && pc >= c->base && (pc - c->base) / 4 <= c->n)
            return c->d + (pc - c->base) / 4;
    }
    return NULL;
}

/* The registers this CPU has (select 0): the TLB's, BadVAddr to Config,
 * ErrorEPC.  The privileged machine reads 0 from the others and ignores
 * writes to them; the SPIM-style one keeps them, as SPIM's CPR[0][]. */
#define C0_IMPLEMENTED 0x4001ff7fu

/* mfc0 of register r, select sel, other than Count: PRId and Config are
 * constants, Config1 is select 1 of Config; any other select reads 0. */
static uint32_t read_c0(const struct bh_core *cs, unsigned r, unsigned sel)
{
    if (r == BH_C0_CONFIG && sel == 1)
        return BH_CONFIG1;
    if (sel || (cs->priv && !(C0_IMPLEMENTED >> r & 1u)))
        return 0;
    return bh_core_c0(cs, r);
}

/* mtc0, out of line, with MIPS32's write masks: BadVAddr, PRId and Config
 * are read only; Cause takes IP0 and IP1 only; Status its writable fields
 * (SPIM's in the SPIM-style machine); Count and Compare re-derive the
 * timer (writing Compare clears IP7).  A write with a select, or (in the
 * privileged machine) to a register this CPU lacks, changes nothing. */
static void write_c0(struct bh_core *cs, unsigned r, unsigned sel, uint32_t v)
{
    uint32_t *c0 = cs->cpu.c0;
    if (sel || (cs->priv && !(C0_IMPLEMENTED >> r & 1u)))
        return;
    switch (r) {
    case BH_C0_BADVADDR:
    case BH_C0_PRID:
    case BH_C0_CONFIG:
        return;
    case BH_C0_CAUSE:
        v = (c0[BH_C0_CAUSE] & ~BH_CAUSE_SW) | (v & BH_CAUSE_SW);
        break;
    case BH_C0_STATUS:
        v = cs->priv ? v & BH_ST_WRITABLE : (v & BH_ST_WRITABLE_SPIM) | BH_ST_FORCED_SPIM;
        break;
    default:
        break;
    }
    if (cs->mem.priv) {
        v = bh_gtlb_c0_write(r, c0[r], v);
        if (r == BH_C0_WIRED)
            cs->mem.gtlb.random_base = cs->icount + 1; /* 31 right after this mtc0 */
    }
    bh_core_write_c0(cs, r, v);
    if (r == BH_C0_STATUS || r == BH_C0_ENTRYHI)
        mode_changed(cs);
}

/* Is there a guest handler at the vector this fault would go to? */
static int has_handler_for(struct bh_core *cs, int refill)
{
    if (!cs->mem.priv)
        return bh_core_has_handler(cs);
    return locate(cs, exc_vector(cs, refill)) != NULL;
}

/* Deliver fault exc (badvaddr bad, or the coprocessor for CpU; fault
 * flags; bd: in a taken branch's delay slot) to the guest when it has a
 * handler.  The SPIM-style machine sends a fault inside the handler (EXL
 * set) to the monitor, so a broken handler cannot loop forever; the
 * privileged machine delivers it as MIPS does.  The memory limit is the
 * host's policy and always goes to the monitor.  1 when delivered (0 and
 * cs->wedged set when the guest is wedged: below). */
#define WEDGE_LIMIT 1000u
static int deliver(struct bh_core *cs, int exc, uint32_t bad, unsigned flags, int bd)
{
    int refill = (flags & BH_EXITF_REFILL) != 0;
    if (!has_handler_for(cs, refill) || (!cs->priv && (cs->cpu.c0[BH_C0_STATUS] & BH_ST_EXL)) ||
        (flags & BH_EXITF_MEMLIMIT))
        return 0;
    /* A handler that faults before it retires anything (its own fetch, its
     * first load) would loop here with the count standing still, so
     * neither the budget nor the timer could end it: after WEDGE_LIMIT
     * such deliveries in a row the monitor stops the VM. */
    if (cs->icount != cs->wedge_at) {
        cs->wedge_at = cs->icount;
        cs->wedge_n = 0;
    } else if (++cs->wedge_n >= WEDGE_LIMIT) {
        cs->wedge_n = 0;
        cs->wedged = 1;
        return 0;
    }
    take_exception(cs, exc, exc == BH_EXC_ADEL || exc == BH_EXC_ADES || is_tlb_exc(exc), bad,
                   refill, bd);
    if (exc == BH_EXC_CPU) /* bad: the coprocessor */
        cs->cpu.c0[BH_C0_CAUSE] |= bad << BH_CAUSE_CE_SHIFT;
    return 1;
}

/* The privileged machine's instruction fetch at pc: 0 or the exception
 * (cs->mem.fault_flags as for data).  Only the image's decoded code runs,
 * so a mapped pc must translate to the physical address its segment was
 * loaded at (kuseg addresses load as they are); else a bus error (IBE). */
static int fetch_check(struct bh_core *cs, uint32_t pc)
{
    uint32_t pa;
    cs->mem.fault_flags = 0;
    if (pc & 3u)
        return BH_EXC_ADEL;
    int x = bh_mem_translate(&cs->mem, pc, 2, &pa, NULL, NULL);
    if (x)
        return x;
    if ((pc < 0x80000000u || pc >= 0xc0000000u) && pa != pc)
        return BH_EXC_IBE;
    return 0;
}

/* tlbr, tlbwi, tlbwr, tlbp (privileged machine only). */
static void tlb_op(struct bh_core *cs, enum isa_op op, uint64_t icount)
{
    uint32_t *c0 = cs->cpu.c0;
    struct bh_gtlb *t = &cs->mem.gtlb;
    switch (op) {
    case ISA_TLBR: {
        const struct bh_gtlb_entry *e = &t->e[c0[BH_C0_INDEX] & BH_INDEX_MASK];
        uint32_t g = bh_gtlb_global(e) ? BH_LO_G : 0;
        c0[BH_C0_ENTRYHI] = e->hi;
        c0[BH_C0_ENTRYLO0] = (e->lo[0] & ~BH_LO_G) | g;
        c0[BH_C0_ENTRYLO1] = (e->lo[1] & ~BH_LO_G) | g;
        c0[BH_C0_PAGEMASK] = 0;
        mode_changed(cs);
        break;
    }
    case ISA_TLBWI:
    case ISA_TLBWR: {
        struct bh_gtlb_entry e = {c0[BH_C0_ENTRYHI], {c0[BH_C0_ENTRYLO0], c0[BH_C0_ENTRYLO1]}};
        unsigned i = op == ISA_TLBWI ? c0[BH_C0_INDEX] & BH_INDEX_MASK
                                     : bh_gtlb_random(t, c0[BH_C0_WIRED], icount);
        bh_mem_gtlb_write(&cs->mem, i, &e);
        break;
    }
    default: {
        int i = bh_gtlb_probe(t, c0[BH_C0_ENTRYHI], c0[BH_C0_ENTRYHI] & BH_HI_ASID);
        c0[BH_C0_INDEX] = i < 0 ? BH_INDEX_P : (uint32_t)i;
        break;
    }
    }
}

#if VM_THREADED
static const void *label_of(uintptr_t op, const void *const *labels, unsigned nlabels)
{
    const void *h = op < nlabels ? labels[op] : NULL;
    return h ? h : labels[ISA_INVALID];
}

/* An entry still holding an op gets its label: all of them at first,
 * then the slots bh_code_patch decoded again (a label, a code address,
 * is never below nlabels). */
static void thread_entry(uintptr_t *u, const void *const *labels, unsigned nlabels)
{
    if (*u < nlabels)
        *u = (uintptr_t)label_of(*u, labels, nlabels);
}

static void thread_code(struct bh_code *c, const void *const *labels, unsigned nlabels)
{
    for (uint32_t i = 0; i < BH_CODE_SLOTS(c); i++)
        thread_entry(&c->d[i].u.op, labels, nlabels);
    for (uint32_t i = 0; c->tally && i < BH_CODE_SLOTS(c); i++)
        if (c->tally[i].isa < ISA_COUNT)
            thread_entry(&c->tally[i].u.op, labels, nlabels);
    for (uint32_t i = 0; c->cu1 && i < BH_CODE_SLOTS(c); i++) /* the unguarded slots' entries run never */
        thread_entry(&c->cu1[i].u.op, labels, nlabels);
}
#endif

/* A store went into text or ktext (mem.c's BH_PAGE_CODE: SPIM lets a
 * program overwrite its code and runs what it stored): the word at
 * physical address a (mem.code_pa: the bare machine's stores through kseg0
 * or a TLB mapping find their word too) is decoded again (bh_code_patch)
 * and, in the threaded build, the slots it rewrote get their labels
 * (labels: the run loop's table).  A store into a later part of the
 * superinstruction running it takes effect from the next dispatch on. */
static __attribute__((noinline)) void text_stored(struct bh_core *cs, uint32_t a,
                                                  const void *const *labels)
{
    cs->mem.code_stored = 0;
    bh_core_jit_flush(cs); /* stage 1: every translation goes, not only this word's */
    if (cs->stepping && cs->nstep_stored < 2) {
        cs->step_stored[cs->nstep_stored++] = a; /* after bh_core_step's restore */
        return;
    }
    struct bh_code *segs[2] = {&cs->text, &cs->ktext};
    for (int s = 0; s < 2; s++) {
        struct bh_code *c = segs[s];
        uint32_t off = (a & ~3u) - bh_code_phys(cs, c);
        uint8_t w[4];
        if (off / 4 >= c->n || bh_mem_read(&cs->mem, a & ~3u, w, 4) != 0)
            continue; /* a code page's bytes past the segment's end */
        bh_code_patch(c, off / 4, bh_get32(w));
        bh_core_brk_again(cs, c);
#if VM_THREADED
        thread_code(c, labels, BH_DOP_COUNT);
#else
        (void)labels;
#endif
    }
}

/* ---- coprocessor 1's control registers and the host's FP environment ------------ */

/* cfc1: FIR, FCCR (the condition codes), FEXR (cause and flags), FENR
 * (enables, FS, RM), FCSR; any other number reads 0 in the privileged
 * machine and, in the SPIM-style one, what ctc1 last wrote there (SPIM
 * keeps all 32). */
static uint32_t fcr_read(const struct bh_core *cs, unsigned r)
{
    uint32_t fcsr = cs->cpu.fcsr;
    switch (r) {
    case 0: return BH_FIR;
    case 25: return ((fcsr >> 24) & 0xfeu) | ((fcsr >> 23) & 1u);
    case 26: return fcsr & (BH_FCSR_CAUSE | 0x7cu);
    case 28: return (fcsr & 0xf83u) | ((fcsr & BH_FCSR_FS) >> 22);
    case 31: return fcsr;
    default: return cs->priv ? 0 : cs->cpu.fcr_other[r];
    }
}

/* The host's rounding mode follows FCSR.RM while the core runs; the
 * host's own is restored when the run ends (fpu_leave). */
static void fpu_set_rm(struct bh_core *cs)
{
    if (cs->fp_host_rm == -1)
        cs->fp_host_rm = fegetround();
    fesetround(bh_fpu_host_rm(cs->cpu.fcsr));
}

/* ctc1 (out of line): the views write their part of FCSR; FIR is read
 * only.  1 when the new Cause has an enabled bit (or E): MIPS then takes
 * the FP exception at once. */
static int fcr_write(struct bh_core *cs, unsigned r, uint32_t v)
{
    uint32_t f = cs->cpu.fcsr;
    switch (r) {
    case 25: f = (f & ~BH_FCSR_FCC) | (v & 0xfeu) << 24 | (v & 1u) << 23; break;
    case 26: f = (f & ~(BH_FCSR_CAUSE | 0x7cu)) | (v & (BH_FCSR_CAUSE | 0x7cu)); break;
    case 28: f = (f & ~(0xf83u | BH_FCSR_FS)) | (v & 0xf83u) | (v & 4u) << 22; break;
    case 31: f = v & BH_FCSR_MASK; break;
    default:
        if (!cs->priv && r != 0)
            cs->cpu.fcr_other[r] = v;
        return 0;
    }
    uint32_t old = cs->cpu.fcsr;
    cs->cpu.fcsr = f;
    if ((f ^ old) & BH_FCSR_RM)
        fpu_set_rm(cs);
    uint32_t cause = (f & BH_FCSR_CAUSE) >> BH_FCSR_CAUSE_SHIFT;
    return (cause & (BH_FP_E | (f >> BH_FCSR_ENABLES_SHIFT & 0x1fu))) != 0;
}

/* A conversion to word (out of line: libm calls would cost the run loop
 * registers).  The flags the rounding raised are not the guest's: the
 * result says (bh_fpu_to_word). */
enum { TO_W_CURRENT, TO_W_EVEN, TO_W_ZERO, TO_W_UP, TO_W_DOWN };
static __attribute__((noinline)) uint32_t fp_to_word(double v, int how, unsigned *x)
{
    double r = how == TO_W_CURRENT ? nearbyint(v)
             : how == TO_W_EVEN    ? bh_fpu_round_even(v)
             : how == TO_W_ZERO    ? trunc(v)
             : how == TO_W_UP      ? ceil(v)
                                   : floor(v);
    uint32_t w = bh_fpu_to_word(v, r, x);
    (void)bh_fpu_take();
    return w;
}

/* The operation fp_last again, on its saved operands, for its Cause
 * alone (the host's flags are clear: fpu_settle took them). */
static __attribute__((noinline)) unsigned fp_recompute(unsigned op, uint64_t a, uint64_t b)
{
    float fa = bh_f32((uint32_t)a), fb = bh_f32((uint32_t)b);
    double da = bh_d(a), db = bh_d(b);
    switch (op) {
    case ISA_ADD_S: return bh_fpu_flags_f(fa + fb);
    case ISA_SUB_S: return bh_fpu_flags_f(fa - fb);
    case ISA_MUL_S: return bh_fpu_flags_f(fa * fb);
    case ISA_DIV_S: return bh_fpu_flags_f(fa / fb);
    case ISA_SQRT_S: return bh_fpu_flags_f(bh_fpu_sqrtf(fa));
    case ISA_ADD_D: return bh_fpu_flags_d(da + db);
    case ISA_SUB_D: return bh_fpu_flags_d(da - db);
    case ISA_MUL_D: return bh_fpu_flags_d(da * db);
    case ISA_DIV_D: return bh_fpu_flags_d(da / db);
    case ISA_SQRT_D: return bh_fpu_flags_d(bh_fpu_sqrt(da));
    case ISA_CVT_S_D: return bh_fpu_flags_f((float)da);
    case ISA_CVT_D_S: return bh_fpu_flags_d((double)fa);
    case ISA_CVT_S_W: return bh_fpu_flags_f((float)(int32_t)(uint32_t)a);
    default: return 0;
    }
}

/* fp_last when an op set the Cause itself (FP_END) but the flags of
 * earlier ones may still be the host's: no op has this number. */
#define FP_FLAGS_ONLY ISA_COUNT

/* Bring FCSR up to date (FP_LAZY): the flags the host gathered since the
 * last settle, and the Cause of the last operation.  At every exit and
 * before FCSR is read or written; the host's flags are clear after it
 * (and were already when fp_last is 0: no FP operation ran since). */
static void fpu_settle(struct bh_core *cs)
{
    if (!cs->fp_last)
        return;
    uint32_t fc = cs->cpu.fcsr | bh_fpu_take() << BH_FCSR_FLAGS_SHIFT;
    if (cs->fp_last != FP_FLAGS_ONLY) {
        unsigned x = fp_recompute(cs->fp_last, cs->fp_a, cs->fp_b);
        fc = (fc & ~BH_FCSR_CAUSE) | x << BH_FCSR_CAUSE_SHIFT;
    }
    cs->fp_last = 0;
    cs->cpu.fcsr = fc;
}

static void fpu_enter(struct bh_core *cs)
{
    cs->fp_last = 0;
    bh_fpu_clear();
    if (cs->cpu.fcsr & BH_FCSR_RM)
        fpu_set_rm(cs);
}

static void fpu_leave(struct bh_core *cs)
{
    fpu_settle(cs); /* under the guest's rounding mode still */
    if (cs->fp_host_rm != -1) {
        fesetround(cs->fp_host_rm);
        cs->fp_host_rm = -1;
    }
}

/* ---- the handlers' vocabulary ------------------------------------------- */

#define RS  R[ip->rs]
#define RT  R[ip->rt]
#define RD  R[ip->rd]
#define URS ((uint32_t)R[ip->rs])
#define URT ((uint32_t)R[ip->rt])
#define IMM ip->imm
/* Coprocessor 1: raw register bits, singles and doubles (even/odd pairs). */
#define F (cs->cpu.f)
#define FS_S bh_f32(F[ip->rs])
#define FT_S bh_f32(F[ip->rt])
#define FS_D bh_f64(&F[ip->rs])
#define FT_D bh_f64(&F[ip->rt])
#define FP_COPY_D() (F[ip->rd] = F[ip->rs], F[ip->rd + 1] = F[ip->rs + 1])
/* The end of an FP arithmetic op that raised x (BH_FP_* bits): Cause = x;
 * a cause whose enable is set traps (FPE) with the destination and the
 * flags unchanged; else the flags gather x and write runs. */
#define FP_END(x, write)                                                                           \
    do {                                                                                           \
        unsigned x_e_ = (x);                                                                       \
        uint32_t fc_ = (cs->cpu.fcsr & ~BH_FCSR_CAUSE) | x_e_ << BH_FCSR_CAUSE_SHIFT;              \
        if (VM_UNLIKELY(x_e_ & (fc_ >> BH_FCSR_ENABLES_SHIFT))) {                                  \
            cs->cpu.fcsr = fc_;                                                                    \
            FAULT(BH_EXC_FPE, 0);                                                                  \
        }                                                                                          \
        cs->cpu.fcsr = fc_ | x_e_ << BH_FCSR_FLAGS_SHIFT;                                          \
        cs->fp_last = FP_FLAGS_ONLY;                                                               \
        write;                                                                                     \
        VM_NEXT();                                                                                 \
    } while (0)
/* The end of an operation the host computed (fpu.h): reading the host's
 * flags after each one would cost the FP pipeline its overlap (stmxcsr
 * waits for the operation), so with no enable set its flags stay in the
 * host's sticky flags and its Cause is left for fpu_settle, with what it
 * needs to compute it again: op id and the operands' bits a, b.  With an
 * enable set the flags are read at once (flags), as FP_END does. */
#define FP_LAZY(id, a, b, flags, write)                                                            \
    do {                                                                                           \
        if (VM_UNLIKELY(cs->cpu.fcsr & BH_FCSR_ENABLES))                                           \
            FP_END(flags, write);                                                                  \
        cs->fp_last = (id);                                                                        \
        cs->fp_a = (a);                                                                            \
        cs->fp_b = (b);                                                                            \
        write;                                                                                     \
        VM_NEXT();                                                                                 \
    } while (0)
/* Direct branch and jump targets are stored as byte offsets from the slot
 * after the branch: one add, no scaling (see TAKEN_REL).  The segment a
 * slot belongs to is found from the slot (code_of), on the paths that ask:
 * the hot path keeps no segment pointer, which gcc would give a register
 * or a stack slot stored at every jr. */
#define CODE code_of(cs, ip)
#define PC_PLAIN(p) pc_plain(code_of(cs, p), p)
/* A trampoline slot (delay slots, decode.h) stands for the pc in its
 * bh_tramp; out of line, as only slow paths ask. */
#define PC_OF(p) pc_of(cs, p)
#define WORD_AT(p) word_at(code_of(cs, p), p)

/* Instructions retired before p (see the top of the file). */
#define DSZ ((intptr_t)sizeof(struct bh_dinsn))
#define ICOUNT_AT(p) (check_at - (uint64_t)((intptr_t)(lim - (uintptr_t)(p)) / DSZ))
/* Start counting at ip with now instructions retired.  With the
 * translation tier every taken branch comes to vm_check, where it looks
 * for translated code: check_at = now. */
#if BH_JIT
#define JIT_ON (cs->jit != NULL)
#else
#define JIT_ON 0
#endif
#define SET_LIMIT(now)                                                                             \
    do {                                                                                           \
        uint64_t now_ = (now);                                                                     \
        check_at = JIT_ON ? now_ : check_at_of(cs, now_);                                          \
        lim = (uintptr_t)ip + (uintptr_t)((check_at - now_) * (uint64_t)DSZ);                     \
    } while (0)
/* Look at events at the next taken branch: check_at = now, so lim = ip. */
#define CHECK_SOON()                                                                               \
    do {                                                                                           \
        uint64_t now_ = ICOUNT_AT(ip);                                                             \
        check_at = now_;                                                                           \
        lim = (uintptr_t)ip;                                                                       \
    } while (0)
/* savepc: cs->cpu.pc = this instruction, cs->icount = the ones before it. */
#define SAVE_STATE() (cs->icount = ICOUNT_AT(ip), cs->cpu.pc = PC_OF(ip))
/* The same in the memory slow paths inlined in every load and store, with
 * the plain pc: in a trampoline (delay slots) it is a position past the
 * segment until the fault path (vm_fault saves again) or an exit saves the
 * real one; nothing reads it in between (a device sees no pc).  The
 * trampoline test would cost the hot handlers registers. */
#define SAVE_STATE_MEM() (cs->icount = ICOUNT_AT(ip), cs->cpu.pc = PC_PLAIN(ip))
/* After a call that may have run a device: it may have raised an
 * interrupt.  (A power-off comes back from the store as BH_MEM_STOP, on
 * the fault path: nothing here, where every handler with a slow path
 * pays for it in registers.) */
#define AFTER_CALL()                                                                               \
    do {                                                                                           \
        if (cs->check_now)                                                                         \
            CHECK_SOON();                                                                          \
    } while (0)
#define FAULT(e, bad)                                                                              \
    do {                                                                                           \
        fexc = (e);                                                                                \
        fbad = (bad);                                                                              \
        goto vm_fault;                                                                             \
    } while (0)
/* A fault from the memory slow path keeps its detail (limit, text). */
/* After a slow-path store: one into text has its word decoded again. */
#if VM_THREADED
#define RUN_LABELS labels
#else
#define RUN_LABELS NULL
#endif
#define AFTER_STORE()                                                                              \
    do {                                                                                           \
        if (VM_UNLIKELY(cs->mem.code_stored))                                                      \
            text_stored(cs, cs->mem.code_pa, RUN_LABELS);                                          \
        AFTER_CALL();                                                                              \
    } while (0)
#define MEM_FAULT(e, bad)                                                                          \
    do {                                                                                           \
        fflags = cs->mem.fault_flags;                                                              \
        FAULT(e, bad);                                                                             \
    } while (0)
/* End the straight-line run at ip (it retires) and continue at tgt. */
/* A taken branch: next is the slot after the branch (it and all before
 * it retire), off the byte offset of the target from next.  Integer
 * arithmetic: the target may be in the other segment. */
#define TAKEN_REL(next, off)                                                                       \
    do {                                                                                           \
        uintptr_t o_ = (uintptr_t)(intptr_t)(off);                                                 \
        ip = (const struct bh_dinsn *)((uintptr_t)(next) + o_);                                    \
        lim += o_;                                                                                 \
        /* lim - next <= 0, compared after both moved by the same offset \
         * (one add each, one compare): both are host addresses give or  \
         * take 2^44 bytes (BH_CHECK_SPAN), far from the signed wrap */                            \
        if (VM_UNLIKELY((intptr_t)lim <= (intptr_t)ip))                                            \
            goto vm_check;                                                                         \
        VM_DISPATCH();                                                                             \
    } while (0)
/* The direct branch or jump at ip, taken. */
#define BRANCH_REL() TAKEN_REL(ip + 1, ip->imm)
/* A taken jump from ip to tgt (computed or located targets). */
#define BRANCH_TO(tgt) TAKEN_REL(ip + 1, (uintptr_t)(tgt) - (uintptr_t)(ip + 1))
/* Jump to a computed address: the common case (inside .text) inline. */
/* Rotating the offset right by 2 moves a misalignment into the top bits,
 * so one unsigned compare checks both range and alignment (index n is the
 * end slot, which halts). */
#define JUMP_REG(t, link_reg)                                                                      \
    do {                                                                                           \
        uint32_t t_ = (t);                                                                         \
        uint32_t off_ = t_ - cs->text.base;                                                        \
        uint32_t idx_ = off_ >> 2 | off_ << 30;                                                    \
        if (VM_LIKELY(idx_ <= cs->text.n)) {                                                       \
            if (link_reg)                                                                          \
                R[link_reg] = (int32_t)(PC_PLAIN(ip) + 4u);                                        \
            BRANCH_TO(cs->text.d + idx_);                                                          \
        }                                                                                          \
        jtarget = t_;                                                                              \
        jlink = (link_reg);                                                                        \
        goto vm_jump_slow;                                                                         \
    } while (0)

static inline uint32_t bh_get32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The segment whose decoded slots hold p: text, or else ktext. */
static inline const struct bh_code *code_of(const struct bh_core *cs, const struct bh_dinsn *p)
{
    const struct bh_code *t = &cs->text;
    uintptr_t off = (uintptr_t)p - (uintptr_t)t->d;
    return off < (uintptr_t)BH_CODE_SLOTS(t) * sizeof *p ? t : &cs->ktext;
}

/* The pc of slot p of c as if it were a word's (not a trampoline's). */
static inline uint32_t pc_plain(const struct bh_code *c, const struct bh_dinsn *p)
{
    return c->base + 4u * (uint32_t)(p - c->d);
}

static const struct bh_tramp *tramp_of(const struct bh_code *code, const struct bh_dinsn *p)
{
    return &code->tramp[(uint32_t)(p - code->d) - BH_CODE_TRAMP(code)];
}

/* The pc a trampoline slot stands for: its slot's, or where it continues. */
static __attribute__((noinline)) uint32_t tramp_pc(const struct bh_core *cs,
                                                   const struct bh_code *code,
                                                   const struct bh_dinsn *p)
{
    const struct bh_tramp *t = tramp_of(code, p);
    return t->kind == BH_TRAMP_CONT_REG ? cs->dtarget : t->pc;
}

/* The pc slot p stands for. */
static inline uint32_t pc_of(const struct bh_core *cs, const struct bh_dinsn *p)
{
    const struct bh_code *c = code_of(cs, p);
    return VM_LIKELY(p < c->d + BH_CODE_TRAMP(c)) ? pc_plain(c, p) : tramp_pc(cs, c, p);
}

/* The index of the word slot p was decoded from (a continue op: its branch). */
static uint32_t word_index(const struct bh_code *code, const struct bh_dinsn *p)
{
    uint32_t i = (uint32_t)(p - code->d);
    return i < BH_CODE_TRAMP(code) ? i : tramp_of(code, p)->src;
}

static uint32_t word_at(const struct bh_code *code, const struct bh_dinsn *p)
{
    return bh_get32le(code->words + 4u * word_index(code, p));
}

/* A delay slot that runs as one: the copy in a taken branch's trampoline. */
static int in_delay_slot(const struct bh_code *code, const struct bh_dinsn *p)
{
    return p >= code->d + BH_CODE_TRAMP(code) && tramp_of(code, p)->kind == BH_TRAMP_SLOT;
}

/* A syscall at trampoline slot p (delay slots): a delay slot's copy,
 * which bh_core_retry goes back from to its branch.  Its word, and the pc
 * after it; out of line, so that the syscall handler keeps nothing of its
 * own across a call. */
static __attribute__((noinline)) void syscall_in_tramp(struct bh_core *cs,
                                                       const struct bh_dinsn *p,
                                                       struct bh_exit *ex)
{
    const struct bh_code *c = code_of(cs, p);
    ex->word = word_at(c, p);
    cs->syscall_slot_pc = in_delay_slot(c, p) ? pc_of(cs, p) : 0;
    cs->cpu.pc = pc_of(cs, p + 1);
}

/* Delayed loads: the load before last reaches its register (load_to). */
static void pipe_write(struct bh_cpu *cpu, uint32_t to, uint32_t v)
{
    if (to >= BH_LOAD_TO_FPR)
        cpu->f[to - BH_LOAD_TO_FPR] = v;
    else
        cpu->r[to] = (int32_t)v;
}

/* The soft TLB, addressed from cs itself: the byte offset of address a's
 * entry is one shift and one mask ((a >> 8) & 0xff0 for 16-byte entries),
 * and each field is read at a fixed displacement from that offset, so a
 * hit is shift, mask, compare, load, with no pointer to the entry built. */
#define TLB_OFF(a)                                                                                 \
    (sizeof(struct bh_tlb_entry) == 16                                                             \
         ? (((uint32_t)(a) >> (BH_PAGE_SHIFT - 4)) & ((BH_TLB_SIZE - 1u) << 4))                    \
         : BH_TLB_INDEX(a) * (uint32_t)sizeof(struct bh_tlb_entry))
#define TLB_FIELD(off, type, f) (*(const type *)((const char *)&tlb[0].f + (off)))

/* The slow paths write through a pointer to a temporary of their own, so
 * the handler's value can stay in a register on the hit path. */
#define LOAD(a, size, var)                                                                         \
    do {                                                                                           \
        uintptr_t o_ = TLB_OFF(a);                                                                 \
        if (VM_LIKELY(((a) & (BH_PAGE_MASK | ((size)-1u))) == TLB_FIELD(o_, uint32_t, rtag))) {    \
            var = host_ld##size((const void *)((uintptr_t)(a) + TLB_FIELD(o_, uintptr_t, addend))); \
        } else {                                                                                   \
            uint32_t slow_v_;                                                                      \
            SAVE_STATE_MEM();                                                                      \
            int x_ = bh_mem_load_slow(&cs->mem, (a), (size), &slow_v_);                            \
            if (x_)                                                                                \
                MEM_FAULT(x_, (a));                                                                \
            var = slow_v_;                                                                         \
            AFTER_CALL();                                                                          \
        }                                                                                          \
    } while (0)

#define STORE(a, size, val)                                                                        \
    do {                                                                                           \
        uintptr_t o_ = TLB_OFF(a);                                                                 \
        if (VM_LIKELY(((a) & (BH_PAGE_MASK | ((size)-1u))) == TLB_FIELD(o_, uint32_t, wtag))) {    \
            host_st##size((void *)((uintptr_t)(a) + TLB_FIELD(o_, uintptr_t, addend)), (val));     \
        } else {                                                                                   \
            SAVE_STATE_MEM();                                                                      \
            int x_ = bh_mem_store_slow(&cs->mem, (a), (size), (val));                              \
            if (x_)                                                                                \
                MEM_FAULT(x_, (a));                                                                \
            AFTER_STORE();                                                                         \
        }                                                                                          \
    } while (0)

/* The same hit paths in superinstructions, whose handlers make no calls
 * (nothing of theirs lives across one, so gcc keeps their values in
 * registers): a miss runs the instruction through its plain handler op
 * (the slow path above), from ip, which then dispatches the next slot as
 * usual; every slot keeps its own op, so the superinstruction's later
 * parts run from theirs. */
#define LOAD_HIT(a, size, var, op)                                                                 \
    do {                                                                                           \
        uintptr_t ua_ = (uint32_t)(a);                                                             \
        uintptr_t o_ = TLB_OFF(ua_);                                                               \
        if (VM_UNLIKELY((ua_ & (BH_PAGE_MASK | ((size)-1u))) != TLB_FIELD(o_, uint32_t, rtag)))    \
            VM_GOTO(op);                                                                           \
        var = host_ld##size((const void *)(ua_ + TLB_FIELD(o_, uintptr_t, addend)));               \
    } while (0)
#define STORE_HIT(a, size, val, op)                                                                \
    do {                                                                                           \
        uintptr_t ua_ = (uint32_t)(a);                                                             \
        uintptr_t o_ = TLB_OFF(ua_);                                                               \
        if (VM_UNLIKELY((ua_ & (BH_PAGE_MASK | ((size)-1u))) != TLB_FIELD(o_, uint32_t, wtag)))    \
            VM_GOTO(op);                                                                           \
        host_st##size((void *)(ua_ + TLB_FIELD(o_, uintptr_t, addend)), (val));                    \
    } while (0)

#define TRAP_IF(cond)                                                                              \
    do {                                                                                           \
        if (cond)                                                                                  \
            FAULT(BH_EXC_TR, 0);                                                                   \
        VM_NEXT();                                                                                 \
    } while (0)

#define HILO_ADD(p)                                                                                \
    do {                                                                                           \
        uint64_t acc_ = (uint64_t)(uint32_t)cs->cpu.hi << 32 | (uint32_t)cs->cpu.lo;               \
        acc_ += (uint64_t)(p);                                                                     \
        cs->cpu.hi = (int32_t)(uint32_t)(acc_ >> 32);                                              \
        cs->cpu.lo = (int32_t)(uint32_t)acc_;                                                      \
    } while (0)

/* Bodies of the ops that superinstructions (superinsn.def) are made of:
 * each handler is its body then VM_NEXT; a pair handler is two bodies
 * with ip++ between. */
#define BODY_ADDIU RD = (int32_t)(URS + (uint32_t)IMM)
#define BODY_ADDU RD = (int32_t)(URS + URT)
#define BODY_SUBU RD = (int32_t)(URS - URT)
#define BODY_XOR RD = RS ^ RT
#define BODY_OR RD = RS | RT
#define BODY_AND RD = RS & RT
#define BODY_ANDI RD = RS & IMM
#define BODY_ORI RD = RS | IMM
#define BODY_LUI RD = IMM
#define BODY_NOP (void)0
#define BODY_SLL RD = (int32_t)(URT << ip->sa)
#define BODY_SRL RD = (int32_t)(URT >> ip->sa)
#define BODY_SLT RD = RS < RT
#define BODY_SLTU RD = URS < URT
#define BODY_SLTI RD = RS < IMM
#define BODY_SLTIU RD = URS < (uint32_t)IMM
/* SPIM does mul as a multiply into HI:LO, so both change too. */
#define BODY_MUL                                                                                   \
    do {                                                                                           \
        int64_t p_ = (int64_t)RS * RT;                                                             \
        cs->cpu.hi = (int32_t)(uint32_t)((uint64_t)p_ >> 32);                                      \
        cs->cpu.lo = (int32_t)(uint32_t)p_;                                                        \
        RD = (int32_t)(uint32_t)p_;                                                                \
    } while (0)
/* The memory ops' bodies, for superinstructions (a miss: their plain
 * handlers, below). */
#define BODY_LW                                                                                    \
    do {                                                                                           \
        uint32_t v_;                                                                               \
        LOAD_HIT(URS + (uint32_t)IMM, 4, v_, ISA_LW);                                              \
        RD = (int32_t)v_;                                                                          \
    } while (0)
#define BODY_LBU                                                                                   \
    do {                                                                                           \
        uint32_t v_;                                                                               \
        LOAD_HIT(URS + (uint32_t)IMM, 1, v_, ISA_LBU);                                             \
        RD = (int32_t)v_;                                                                          \
    } while (0)
#define BODY_SW STORE_HIT(URS + (uint32_t)IMM, 4, URT, ISA_SW)
#define BODY_SB STORE_HIT(URS + (uint32_t)IMM, 1, URT, ISA_SB)

/* Leave the run loop: the host's FP environment back first (fpu_enter). */
#define VM_RETURN()                                                                                \
    do {                                                                                           \
        fpu_leave(cs);                                                                             \
        return;                                                                                    \
    } while (0)

/* The run loop.  With labels_out set it only threads the core's code (if needed)
 * and hands out its label table, for bh_core_step's patching. */
static void run(struct bh_core *cs, int64_t budget, struct bh_exit *ex,
                const void *const **labels_out)
{
    /* The register file and the TLB are addressed from cs itself (one
     * base register for both, fixed displacements), not through locals
     * that would compete for registers. */
#define R (cs->cpu.r)
#define tlb (cs->mem.tlb)
    const struct bh_dinsn *ip = NULL;
    uintptr_t lim = 0;
    uint64_t check_at = 0;
    int fexc = 0;
    unsigned fflags = 0;
    uint32_t fbad = 0, jtarget = 0;
    unsigned jlink = 0;
    double cvt_v = 0;
    int cvt_how = 0;
#if !VM_THREADED
    uintptr_t vm_op;
#endif

#if VM_THREADED
    /* Every op value has a label; holes would fall back to RI. */
    static const void *const labels[] = {
        [ISA_INVALID] = VM_LABEL(ISA_INVALID),
#define X_LABEL(id, mn, val, fmt, sem) [ISA_##id] = VM_LABEL(ISA_##id),
        ISA_LIST(X_LABEL)
#undef X_LABEL
        [BH_DOP_BRANCH_FAR] = VM_LABEL(BH_DOP_BRANCH_FAR),
        [BH_DOP_JUMP_FAR] = VM_LABEL(BH_DOP_JUMP_FAR),
        [BH_DOP_END] = VM_LABEL(BH_DOP_END),
        [BH_DOP_NOP] = VM_LABEL(BH_DOP_NOP),
        [BH_DOP_STEP_STOP] = VM_LABEL(BH_DOP_STEP_STOP),
        [BH_DOP_DEBUG_BREAK] = VM_LABEL(BH_DOP_DEBUG_BREAK),
        [BH_DOP_TALLY] = VM_LABEL(BH_DOP_TALLY),
        [BH_DOP_FP_UNIMPL] = VM_LABEL(BH_DOP_FP_UNIMPL),
        [BH_DOP_JR_D] = VM_LABEL(BH_DOP_JR_D),
        [BH_DOP_JALR_D] = VM_LABEL(BH_DOP_JALR_D),
        [BH_DOP_LINK_J] = VM_LABEL(BH_DOP_LINK_J),
        [BH_DOP_CONT] = VM_LABEL(BH_DOP_CONT),
        [BH_DOP_CONT_REG] = VM_LABEL(BH_DOP_CONT_REG),
        [BH_DOP_PIPE] = VM_LABEL(BH_DOP_PIPE),
#define X_SLOT_LABEL(name, plain)                                                                  \
    [BH_DOP_SLOT_##name] = VM_LABEL(BH_DOP_SLOT_##name),                                           \
    [BH_DOP_SLOTR_##name] = VM_LABEL(BH_DOP_SLOTR_##name),
        BH_SLOT_OPS(X_SLOT_LABEL)
#undef X_SLOT_LABEL
        [BH_DOP_CU1] = VM_LABEL(BH_DOP_CU1),
#define X_SUPER_LABEL(name, first) [BH_DOP_##name] = VM_LABEL(BH_DOP_##name),
        BH_SUPER_ALL(X_SUPER_LABEL)
#undef X_SUPER_LABEL
    };
    _Static_assert(sizeof labels / sizeof labels[0] == BH_DOP_COUNT,
                   "the label table must cover every decoded op");
    if (!cs->threaded) {
        thread_code(&cs->text, labels, BH_DOP_COUNT);
        thread_code(&cs->ktext, labels, BH_DOP_COUNT);
        cs->threaded = 1;
    }
    if (labels_out) {
        *labels_out = labels;
        return;
    }
#else
    if (labels_out) {
        *labels_out = NULL;
        return;
    }
#endif
    memset(ex, 0, sizeof *ex);
    fpu_enter(cs); /* every return below is VM_RETURN: fpu_leave first */
    cs->budget_end = cs->icount + (budget > 0 ? (uint64_t)budget : 0);

vm_enter: /* cs->cpu.pc and cs->icount are exact */
    if (VM_UNLIKELY(cs->mem.priv) && (fexc = fetch_check(cs, cs->cpu.pc)) != 0) {
        fbad = cs->cpu.pc;
        fflags = cs->mem.fault_flags;
        goto vm_fetch_fault;
    }
    {
        /* A word of text inline (the rotation as in JUMP_REG); the rest,
         * the end slot among them, by locate. */
        uint32_t off = cs->cpu.pc - cs->text.base, idx = off >> 2 | off << 30;
        ip = VM_LIKELY(idx < cs->text.n) ? cs->text.d + idx : locate(cs, cs->cpu.pc);
    }
    if (!ip) {
        ex->kind = BH_EXIT_FAULT;
        ex->exc = BH_EXC_ADEL;
        ex->pc = cs->cpu.pc;
        ex->badvaddr = cs->cpu.pc;
        VM_RETURN();
    }
    SET_LIMIT(cs->icount);

    VM_LOOP_BEGIN

    /* ---- ALU, register forms ------------------------------------------------ */
    VM_TARGET(ISA_SLL) { BODY_SLL; VM_NEXT(); }
    VM_TARGET(ISA_SRL) { BODY_SRL; VM_NEXT(); }
    VM_TARGET(ISA_SRA) { RD = RT >> ip->sa; VM_NEXT(); }
    VM_TARGET(ISA_SLLV) { RD = (int32_t)(URT << (URS & 31u)); VM_NEXT(); }
    VM_TARGET(ISA_SRLV) { RD = (int32_t)(URT >> (URS & 31u)); VM_NEXT(); }
    VM_TARGET(ISA_SRAV) { RD = RT >> (URS & 31u); VM_NEXT(); }
    VM_TARGET(ISA_MOVZ) { if (RT == 0) RD = RS; VM_NEXT(); }
    VM_TARGET(ISA_MOVN) { if (RT != 0) RD = RS; VM_NEXT(); }
    VM_TARGET(ISA_SYNC) VM_NEXT(); /* one CPU, in order: nothing to wait for */
    VM_TARGET(ISA_MFHI) { RD = cs->cpu.hi; VM_NEXT(); }
    VM_TARGET(ISA_MTHI) { cs->cpu.hi = RS; VM_NEXT(); }
    VM_TARGET(ISA_MFLO) { RD = cs->cpu.lo; VM_NEXT(); }
    VM_TARGET(ISA_MTLO) { cs->cpu.lo = RS; VM_NEXT(); }
    VM_TARGET(ISA_MULT)
    {
        int64_t p = (int64_t)RS * RT;
        cs->cpu.hi = (int32_t)(uint32_t)((uint64_t)p >> 32);
        cs->cpu.lo = (int32_t)(uint32_t)p;
        VM_NEXT();
    }
    VM_TARGET(ISA_MULTU)
    {
        uint64_t p = (uint64_t)URS * URT;
        cs->cpu.hi = (int32_t)(uint32_t)(p >> 32);
        cs->cpu.lo = (int32_t)(uint32_t)p;
        VM_NEXT();
    }
    VM_TARGET(ISA_DIV)
    {
        /* By zero: no trap, HI and LO unchanged (as SPIM 8.0). */
        int32_t a = RS, b = RT;
        if (b == -1 && a == INT32_MIN) {
            cs->cpu.lo = INT32_MIN;
            cs->cpu.hi = 0;
        } else if (b != 0) {
            cs->cpu.lo = a / b;
            cs->cpu.hi = a % b;
        }
        VM_NEXT();
    }
    VM_TARGET(ISA_DIVU)
    {
        uint32_t a = URS, b = URT;
        if (b != 0) {
            cs->cpu.lo = (int32_t)(a / b);
            cs->cpu.hi = (int32_t)(a % b);
        }
        VM_NEXT();
    }
    VM_TARGET(ISA_ADD)
    {
        int32_t r;
        if (__builtin_add_overflow(RS, RT, &r))
            FAULT(BH_EXC_OV, 0);
        RD = r;
        VM_NEXT();
    }
    VM_TARGET(ISA_ADDU) { BODY_ADDU; VM_NEXT(); }
    VM_TARGET(ISA_SUB)
    {
        int32_t r;
        if (__builtin_sub_overflow(RS, RT, &r))
            FAULT(BH_EXC_OV, 0);
        RD = r;
        VM_NEXT();
    }
    VM_TARGET(ISA_SUBU) { BODY_SUBU; VM_NEXT(); }
    VM_TARGET(ISA_AND) { BODY_AND; VM_NEXT(); }
    VM_TARGET(ISA_OR) { BODY_OR; VM_NEXT(); }
    VM_TARGET(ISA_XOR) { BODY_XOR; VM_NEXT(); }
    VM_TARGET(ISA_NOR) { RD = ~(RS | RT); VM_NEXT(); }
    VM_TARGET(ISA_SLT) { BODY_SLT; VM_NEXT(); }
    VM_TARGET(ISA_SLTU) { BODY_SLTU; VM_NEXT(); }
    VM_TARGET(ISA_TGE) TRAP_IF(RS >= RT);
    VM_TARGET(ISA_TGEU) TRAP_IF(URS >= URT);
    VM_TARGET(ISA_TLT) TRAP_IF(RS < RT);
    VM_TARGET(ISA_TLTU) TRAP_IF(URS < URT);
    VM_TARGET(ISA_TEQ) TRAP_IF(RS == RT);
    VM_TARGET(ISA_TNE) TRAP_IF(RS != RT);

    /* ---- SPECIAL2 --------------------------------------------------------------- */
    VM_TARGET(ISA_MADD) { HILO_ADD((int64_t)RS * RT); VM_NEXT(); }
    VM_TARGET(ISA_MADDU) { HILO_ADD((uint64_t)URS * URT); VM_NEXT(); }
    VM_TARGET(ISA_MSUB) { HILO_ADD(-(uint64_t)((int64_t)RS * RT)); VM_NEXT(); }
    VM_TARGET(ISA_MSUBU) { HILO_ADD(-((uint64_t)URS * URT)); VM_NEXT(); }
    VM_TARGET(ISA_MUL) { BODY_MUL; VM_NEXT(); }
    VM_TARGET(ISA_CLZ) { RD = URS ? __builtin_clz(URS) : 32; VM_NEXT(); }
    VM_TARGET(ISA_CLO) { RD = ~URS ? __builtin_clz(~URS) : 32; VM_NEXT(); }

    /* ---- immediates ------------------------------------------------------------ */
    VM_TARGET(ISA_ADDI)
    {
        int32_t r;
        if (__builtin_add_overflow(RS, IMM, &r))
            FAULT(BH_EXC_OV, 0);
        RD = r;
        VM_NEXT();
    }
    VM_TARGET(ISA_ADDIU) { BODY_ADDIU; VM_NEXT(); }
    VM_TARGET(ISA_SLTI) { BODY_SLTI; VM_NEXT(); }
    VM_TARGET(ISA_SLTIU) { BODY_SLTIU; VM_NEXT(); }
    VM_TARGET(ISA_ANDI) { BODY_ANDI; VM_NEXT(); }
    VM_TARGET(ISA_ORI) { BODY_ORI; VM_NEXT(); }
    VM_TARGET(ISA_XORI) { RD = RS ^ IMM; VM_NEXT(); }
    VM_TARGET(ISA_LUI) { BODY_LUI; VM_NEXT(); }
    VM_TARGET(ISA_TGEI) TRAP_IF(RS >= IMM);
    VM_TARGET(ISA_TGEIU) TRAP_IF(URS >= (uint32_t)IMM);
    VM_TARGET(ISA_TLTI) TRAP_IF(RS < IMM);
    VM_TARGET(ISA_TLTIU) TRAP_IF(URS < (uint32_t)IMM);
    VM_TARGET(ISA_TEQI) TRAP_IF(RS == IMM);
    VM_TARGET(ISA_TNEI) TRAP_IF(RS != IMM);

    /* ---- loads and stores -------------------------------------------------------- */
    VM_TARGET(ISA_LB)
    {
        uint32_t a = URS + (uint32_t)IMM, v;
        LOAD(a, 1, v);
        RD = (int8_t)(uint8_t)v;
        VM_NEXT();
    }
    VM_TARGET(ISA_LBU)
    {
        uint32_t a = URS + (uint32_t)IMM, v;
        LOAD(a, 1, v);
        RD = (int32_t)v;
        VM_NEXT();
    }
    VM_TARGET(ISA_LH)
    {
        uint32_t a = URS + (uint32_t)IMM, v;
        LOAD(a, 2, v);
        RD = (int16_t)(uint16_t)v;
        VM_NEXT();
    }
    VM_TARGET(ISA_LHU)
    {
        uint32_t a = URS + (uint32_t)IMM, v;
        LOAD(a, 2, v);
        RD = (int32_t)v;
        VM_NEXT();
    }
    VM_TARGET(ISA_LW)
    {
        uint32_t a = URS + (uint32_t)IMM, v;
        LOAD(a, 4, v);
        RD = (int32_t)v;
        VM_NEXT();
    }
    VM_TARGET(ISA_LL)
    {
        uint32_t a = URS + (uint32_t)IMM, v;
        LOAD(a, 4, v);
        RD = (int32_t)v;
        cs->cpu.llbit = 1;
        VM_NEXT();
    }
    VM_TARGET(ISA_LWL)
    {
        /* Little-endian: the byte at a and those below it, up to the
         * aligned word's start, become rt's high bytes. */
        uint32_t a = URS + (uint32_t)IMM, w;
        uint32_t al = a & ~3u;
        LOAD(al, 4, w);
        unsigned sh = (3u - (a & 3u)) * 8u;
        RD = (int32_t)((w << sh) | (URT & ((1u << sh) - 1u)));
        VM_NEXT();
    }
    VM_TARGET(ISA_LWR)
    {
        uint32_t a = URS + (uint32_t)IMM, w;
        uint32_t al = a & ~3u;
        LOAD(al, 4, w);
        unsigned sh = (a & 3u) * 8u;
        RD = (int32_t)((w >> sh) | (URT & ~(0xffffffffu >> sh)));
        VM_NEXT();
    }
    VM_TARGET(ISA_SB)
    {
        uint32_t a = URS + (uint32_t)IMM;
        STORE(a, 1, URT);
        VM_NEXT();
    }
    VM_TARGET(ISA_SH)
    {
        uint32_t a = URS + (uint32_t)IMM;
        STORE(a, 2, URT);
        VM_NEXT();
    }
    VM_TARGET(ISA_SW)
    {
        uint32_t a = URS + (uint32_t)IMM;
        STORE(a, 4, URT);
        VM_NEXT();
    }
    VM_TARGET(ISA_SC)
    {
        /* One CPU and no interrupt between ll and sc we would notice:
         * the store always succeeds. */
        uint32_t a = URS + (uint32_t)IMM;
        STORE(a, 4, URT);
        if (cs->priv) /* SPIM's sc is a plain store: rt keeps the value stored */
            RD = 1;
        cs->cpu.llbit = 0;
        VM_NEXT();
    }
    VM_TARGET(ISA_SWL)
    VM_TARGET(ISA_SWR)
    {
        /* Read-modify-write of the aligned word; a fault is a store fault. */
        uint32_t a = URS + (uint32_t)IMM, al = a & ~3u, w, nw, b = a & 3u;
        SAVE_STATE();
        int x = bh_mem_load_slow(&cs->mem, al, 4, &w);
        if (x)
            MEM_FAULT(x == BH_EXC_ADEL ? BH_EXC_ADES : x, a);
        if (isa_decode(WORD_AT(ip)) == ISA_SWL) {
            uint32_t keep = b == 3u ? 0u : 0xffffffffu << ((b + 1u) * 8u);
            nw = (w & keep) | (URT >> ((3u - b) * 8u));
        } else {
            nw = (URT << (b * 8u)) | (w & ((1u << (b * 8u)) - 1u));
        }
        x = bh_mem_store_slow(&cs->mem, al, 4, nw);
        if (x)
            MEM_FAULT(x, a);
        AFTER_STORE();
        VM_NEXT();
    }

    /* ---- branches and jumps ------------------------------------------------------- */
    VM_TARGET(ISA_BEQ) { if (RS == RT) BRANCH_REL(); VM_NEXT(); }
    VM_TARGET(ISA_BNE) { if (RS != RT) BRANCH_REL(); VM_NEXT(); }
    VM_TARGET(ISA_BLEZ) { if (RS <= 0) BRANCH_REL(); VM_NEXT(); }
    VM_TARGET(ISA_BGTZ) { if (RS > 0) BRANCH_REL(); VM_NEXT(); }
    VM_TARGET(ISA_BLTZ) { if (RS < 0) BRANCH_REL(); VM_NEXT(); }
    VM_TARGET(ISA_BGEZ) { if (RS >= 0) BRANCH_REL(); VM_NEXT(); }
    /* and link: $ra is written even when the branch is not taken; sa: 4,
     * or 8 past a delay slot */
#define BRANCH_LINK(cond, after)                                                                   \
    do {                                                                                           \
        int taken_ = (cond);                                                                       \
        R[31] = (int32_t)(PC_OF(ip) + ip->sa);                                                     \
        if (taken_)                                                                                \
            BRANCH_REL();                                                                          \
        after;                                                                                     \
    } while (0)
    VM_TARGET(ISA_BLTZAL) { BRANCH_LINK(RS < 0, VM_NEXT()); }
    VM_TARGET(ISA_BGEZAL) { BRANCH_LINK(RS >= 0, VM_NEXT()); }
    /* Branch likely (SPIM's, with or without delay slots): not taken, the
     * next word is skipped: a taken branch to the word after it (in the
     * last word, to the second end slot). */
#define SKIP_NEXT() TAKEN_REL(ip + 1, DSZ)
    VM_TARGET(ISA_BEQL) { if (RS == RT) BRANCH_REL(); SKIP_NEXT(); }
    VM_TARGET(ISA_BNEL) { if (RS != RT) BRANCH_REL(); SKIP_NEXT(); }
    VM_TARGET(ISA_BLEZL) { if (RS <= 0) BRANCH_REL(); SKIP_NEXT(); }
    VM_TARGET(ISA_BGTZL) { if (RS > 0) BRANCH_REL(); SKIP_NEXT(); }
    VM_TARGET(ISA_BLTZL) { if (RS < 0) BRANCH_REL(); SKIP_NEXT(); }
    VM_TARGET(ISA_BGEZL) { if (RS >= 0) BRANCH_REL(); SKIP_NEXT(); }
    VM_TARGET(ISA_BLTZALL) { BRANCH_LINK(RS < 0, SKIP_NEXT()); }
    VM_TARGET(ISA_BGEZALL) { BRANCH_LINK(RS >= 0, SKIP_NEXT()); }
    VM_TARGET(ISA_J) { BRANCH_REL(); }
    VM_TARGET(ISA_JAL)
    {
        R[31] = (int32_t)ip->link; /* pc + 4, precomputed by the loader */
        BRANCH_REL();
    }
    VM_TARGET(ISA_JR) { JUMP_REG(URS, 0u); }
    VM_TARGET(ISA_JALR) { JUMP_REG(URS, ip->rd); }
    /* With delay slots: the target is taken before the slot runs (the
     * slot may change rs), then the trampoline: the slot, BH_DOP_CONT_REG. */
    VM_TARGET(BH_DOP_JR_D)
    {
        cs->dtarget = URS;
        BRANCH_REL();
    }
    VM_TARGET(BH_DOP_JALR_D)
    {
        cs->dtarget = URS;
        R[ip->rd] = (int32_t)(PC_OF(ip) + 8u);
        BRANCH_REL();
    }
    VM_TARGET(BH_DOP_LINK_J)
    {
        R[ip->rd] = (int32_t)(PC_OF(ip) + 8u);
        BRANCH_REL();
    }
    /* A trampoline's end: on to the target.  It retires nothing: ip and
     * lim move by the same offset from here (TAKEN_REL from ip itself). */
#define CONT_REG_CODE()                                                                            \
    do {                                                                                           \
        uint32_t off_ = cs->dtarget - cs->text.base;                                               \
        uint32_t idx_ = off_ >> 2 | off_ << 30; /* as JUMP_REG */                                  \
        if (VM_LIKELY(idx_ <= cs->text.n)) {                                                       \
            TAKEN_REL(ip, (uintptr_t)(cs->text.d + idx_) - (uintptr_t)ip);                         \
        }                                                                                          \
        goto vm_cont_slow;                                                                         \
    } while (0)
    VM_TARGET(BH_DOP_CONT) { TAKEN_REL(ip, ip->imm); }
    VM_TARGET(BH_DOP_CONT_REG) { CONT_REG_CODE(); }
    /* A delay slot fused with its trampoline's continue op (decode.h,
     * BH_SLOT_OPS): the slot runs at its own ip (a fault there is the
     * slot's), retires, then the continue op's jump from the next ip. */
#define SLOT_CONT(name, plain)                                                                     \
    VM_TARGET(BH_DOP_SLOT_##name)                                                                  \
    {                                                                                              \
        BODY_##name;                                                                               \
        ip++;                                                                                      \
        TAKEN_REL(ip, ip->imm);                                                                    \
    }                                                                                              \
    VM_TARGET(BH_DOP_SLOTR_##name)                                                                 \
    {                                                                                              \
        BODY_##name;                                                                               \
        ip++;                                                                                      \
        CONT_REG_CODE();                                                                           \
    }
    BH_SLOT_OPS(SLOT_CONT)
#undef SLOT_CONT
#undef CONT_REG_CODE
    VM_TARGET(BH_DOP_BRANCH_FAR)
    {
        /* A branch whose target is outside this segment: taken, it faults. */
        uint32_t w = WORD_AT(ip);
        int32_t s = R[ISA_RS(w)], t = R[ISA_RT(w)];
        int taken, link = 0, likely = 0;
        switch (isa_decode(w)) {
        case ISA_BEQ: taken = s == t; break;
        case ISA_BNE: taken = s != t; break;
        case ISA_BLEZ: taken = s <= 0; break;
        case ISA_BGTZ: taken = s > 0; break;
        case ISA_BLTZ: taken = s < 0; break;
        case ISA_BGEZ: taken = s >= 0; break;
        case ISA_BLTZAL: taken = s < 0; link = 1; break;
        case ISA_BGEZAL: taken = s >= 0; link = 1; break;
        case ISA_BEQL: taken = s == t; likely = 1; break;
        case ISA_BNEL: taken = s != t; likely = 1; break;
        case ISA_BLEZL: taken = s <= 0; likely = 1; break;
        case ISA_BGTZL: taken = s > 0; likely = 1; break;
        case ISA_BLTZL: taken = s < 0; likely = 1; break;
        case ISA_BGEZL: taken = s >= 0; likely = 1; break;
        case ISA_BLTZALL: taken = s < 0; link = likely = 1; break;
        case ISA_BGEZALL: taken = s >= 0; link = likely = 1; break;
        case ISA_BC1F: case ISA_BC1FL: case ISA_BC1T: case ISA_BC1TL:
            taken = (cs->cpu.fcsr >> ip->sa & 1u) == (ISA_RT(w) & 1u);
            likely = (ISA_RT(w) & 2u) != 0;
            break;
        default: goto vm_reserved;
        }
        if (!taken) {
            if (link)
                R[31] = (int32_t)(PC_OF(ip) + ip->sa);
            if (likely)
                SKIP_NEXT();
            VM_NEXT();
        }
        jtarget = PC_OF(ip) + 4u + ((uint32_t)ISA_SIMM(w) << 2);
        jlink = link ? 31u : 0u;
        goto vm_far;
    }
    VM_TARGET(BH_DOP_JUMP_FAR)
    {
        uint32_t w = WORD_AT(ip);
        jtarget = ((PC_OF(ip) + 4u) & 0xf0000000u) | ISA_TARGET(w) << 2;
        jlink = isa_decode(w) == ISA_JAL ? 31u : 0u;
        goto vm_far;
    }

    /* ---- superinstructions (superinsn.def) ---------------------------------------- */
    /* fused: an ALU op, then the beq/bne at ip + 1 */
#define CMP_BEQ ==
#define CMP_BNE !=
#define FUSED_TAKEN() TAKEN_REL(ip + 2, ip[1].imm)
#define FUSED_CODE(op, br)                                                                         \
    do {                                                                                           \
        BODY_##op;                                                                                 \
        if (R[ip[1].rs] CMP_##br R[ip[1].rt])                                                      \
            FUSED_TAKEN();                                                                         \
        ip += 2;                                                                                   \
        VM_DISPATCH();                                                                             \
    } while (0)
#define FUSED(name, op, br) VM_TARGET(BH_DOP_##name) FUSED_CODE(op, br);
    BH_SUPER_FUSED(FUSED)
#undef FUSED

    /* triples: an op, then a fused pair */
#define TRIPLE(name, a, op, br)                                                                    \
    VM_TARGET(BH_DOP_##name)                                                                       \
    {                                                                                              \
        BODY_##a;                                                                                  \
        ip++;                                                                                      \
        FUSED_CODE(op, br);                                                                        \
    }
    BH_SUPER_TRIPLE(TRIPLE)
#undef TRIPLE

    /* quads: two ops, then a fused pair */
#define QUAD(name, a, b, op, br)                                                                   \
    VM_TARGET(BH_DOP_##name)                                                                       \
    {                                                                                              \
        BODY_##a;                                                                                  \
        ip++;                                                                                      \
        BODY_##b;                                                                                  \
        ip++;                                                                                      \
        FUSED_CODE(op, br);                                                                        \
    }
    BH_SUPER_QUAD(QUAD)
#undef QUAD

    /* pairs: two bodies, one dispatch */
#define PAIR(name, a, b)                                                                           \
    VM_TARGET(BH_DOP_##name)                                                                       \
    {                                                                                              \
        BODY_##a;                                                                                  \
        ip++;                                                                                      \
        BODY_##b;                                                                                  \
        VM_NEXT();                                                                                 \
    }
    BH_SUPER_PAIR(PAIR)
#undef PAIR

    /* ---- exits to the monitor ---------------------------------------------------- */
    VM_TARGET(ISA_SYSCALL)
    {
        const struct bh_code *c = CODE;
        uint32_t i = (uint32_t)(ip - c->d);
        if (VM_UNLIKELY(c->flags & BH_CODE_PRIV)) /* the guest's kernel handles it */
            FAULT(BH_EXC_SYS, 0);
        if (VM_LIKELY(i < BH_CODE_TRAMP(c))) {
            /* A word's slot, and the one after it: plain pcs. */
            ex->word = bh_get32le(c->words + 4u * i);
            cs->syscall_slot_pc = 0;
            ip++;
            cs->icount = ICOUNT_AT(ip);
            cs->cpu.pc = c->base + 4u * (i + 1u);
        } else {
            syscall_in_tramp(cs, ip, ex);
            ip++;
            cs->icount = ICOUNT_AT(ip);
        }
        ex->kind = BH_EXIT_SYSCALL;
        ex->pc = cs->cpu.pc;
        ex->code = ISA_CODE(ex->word);
        VM_RETURN();
    }
    VM_TARGET(ISA_DUMP_PROCESSOR_STATE)
    VM_TARGET(ISA_SNAPSHOT)
    {
        ex->word = WORD_AT(ip);
        ip++;
        SAVE_STATE();
        ex->kind = BH_EXIT_HYPERCALL;
        ex->pc = cs->cpu.pc;
        ex->code = ISA_RS(ex->word);
        ex->arg = ISA_IMM(ex->word);
        VM_RETURN();
    }
    VM_TARGET(ISA_BREAK)
    {
        ex->code = (uint32_t)IMM;
        FAULT(BH_EXC_BP, 0);
    }
    VM_TARGET(BH_DOP_END)
    {
        SAVE_STATE();
        ex->kind = BH_EXIT_HALT;
        ex->pc = cs->cpu.pc;
        VM_RETURN();
    }
    VM_TARGET(BH_DOP_NOP) { VM_NEXT(); }
    VM_TARGET(BH_DOP_TALLY)
    {
        /* --stats: count, then run the slot's own (never fused) op. */
        const struct bh_code *c = CODE;
        const struct bh_tally_slot *t = &c->tally[ip - c->d];
        cs->mix[t->isa]++;
        VM_DISPATCH_TO(t->u);
    }
    VM_TARGET(BH_DOP_PIPE)
    {
        /* Delayed loads, SPIM's shift register: the load before last
         * reaches its register, the last one's value leaves the latch,
         * and this instruction's load (if it is one) fills the latch. */
        const struct bh_code *c = CODE;
        const struct bh_tally_slot *t = &c->tally[ip - c->d];
        struct bh_load_pipe *lp = &cs->pipe;
        if (cs->mix)
            cs->mix[t->isa]++;
        if (lp->to2)
            pipe_write(&cs->cpu, lp->to2, lp->v2);
        lp->to2 = lp->to1;
        lp->v2 = lp->to1 >= BH_LOAD_TO_FPR ? F[BH_FREG_LATCH] : (uint32_t)R[BH_REG_LATCH];
        lp->to1 = t->load_to;
        VM_DISPATCH_TO(t->u);
    }
    VM_TARGET(BH_DOP_STEP_STOP)
    {
        SAVE_STATE();
        ex->kind = BH_EXIT_BUDGET;
        ex->pc = cs->cpu.pc;
        VM_RETURN();
    }
    VM_TARGET(BH_DOP_DEBUG_BREAK)
    {
        /* Before the instruction: pc at it, not counted (as STEP_STOP). */
        SAVE_STATE();
        ex->kind = BH_EXIT_DEBUG;
        ex->code = BH_DEBUG_BREAK;
        ex->pc = cs->cpu.pc;
        VM_RETURN();
    }

    /* ---- coprocessor 0 ------------------------------------------------------------- */
    VM_TARGET(ISA_MFC0)
    {
        if (VM_UNLIKELY(cop0_denied(cs)))
            FAULT(BH_EXC_CPU, 0);
        if (ip->sa == BH_C0_COUNT && !IMM)
            RD = (int32_t)(uint32_t)(ICOUNT_AT(ip) - cs->count_base);
        else if (ip->sa == BH_C0_RANDOM && cs->mem.priv)
            RD = (int32_t)bh_gtlb_random(&cs->mem.gtlb, cs->cpu.c0[BH_C0_WIRED], ICOUNT_AT(ip));
        else
            RD = (int32_t)read_c0(cs, ip->sa, (unsigned)IMM);
        VM_NEXT();
    }
    VM_TARGET(ISA_MTC0)
    {
        if (VM_UNLIKELY(cop0_denied(cs)))
            FAULT(BH_EXC_CPU, 0);
        SAVE_STATE();
        write_c0(cs, ip->sa, (unsigned)IMM, URT);
        CHECK_SOON(); /* interrupts or the timer may have changed */
        VM_NEXT();
    }
    VM_TARGET(ISA_TLBR)
    VM_TARGET(ISA_TLBWI)
    VM_TARGET(ISA_TLBWR)
    VM_TARGET(ISA_TLBP)
    {
        /* The SPIM-style machine has no TLB: reserved there. */
        if (!cs->mem.priv)
            goto vm_reserved;
        if (VM_UNLIKELY(cop0_denied(cs)))
            FAULT(BH_EXC_CPU, 0);
        tlb_op(cs, isa_decode(WORD_AT(ip)), ICOUNT_AT(ip));
        VM_NEXT();
    }
    VM_TARGET(ISA_ERET)
    {
        if (VM_UNLIKELY(cop0_denied(cs)))
            FAULT(BH_EXC_CPU, 0);
        /* From ERL if set (ErrorEPC), else from EXL (EPC). */
        uint32_t *c0 = cs->cpu.c0;
        uint32_t level = c0[BH_C0_STATUS] & BH_ST_ERL ? BH_ST_ERL : BH_ST_EXL;
        uint32_t to = c0[level == BH_ST_ERL ? BH_C0_ERROREPC : BH_C0_EPC];
        if (cs->mem.priv) {
            /* MIPS32: eret retires, and the fetch at the target may fault
             * (vm_reenter). */
            c0[BH_C0_STATUS] &= ~level;
            cs->cpu.llbit = 0;
            mode_changed(cs);
            cs->icount = ICOUNT_AT(ip) + 1;
            cs->cpu.pc = to;
            goto vm_reenter;
        }
        /* The SPIM-style machine checks the return address before leaving
         * the level, so a bad one is a fault inside the handler (to the
         * monitor), not a loop. */
        const struct bh_dinsn *t2 = locate(cs, to);
        if (!t2)
            FAULT(BH_EXC_ADEL, to);
        c0[BH_C0_STATUS] &= ~level;
        cs->cpu.llbit = 0;
        mode_changed(cs);
        CHECK_SOON(); /* pending interrupts may be taken now */
        BRANCH_TO(t2);
    }
    /* MIPS I's rfe is not in MIPS32: reserved, as SPIM 8.0 makes it (its
     * R3000 status stack is built only with -DMIPS1).  CpU first in user
     * mode, as for every cop0 instruction. */
    VM_TARGET(ISA_RFE)
    {
        if (VM_UNLIKELY(cop0_denied(cs)))
            FAULT(BH_EXC_CPU, 0);
        FAULT(BH_EXC_RI, 0);
    }
    /* SPIM's moves to and from coprocessor 0's control registers (32 of
     * them, read back as written).  MIPS32 has no such instructions: RI in
     * the privileged machine (CpU first in user mode). */
    VM_TARGET(ISA_CFC0)
    {
        if (VM_UNLIKELY(cs->priv))
            FAULT(cop0_denied(cs) ? BH_EXC_CPU : BH_EXC_RI, 0);
        RD = (int32_t)cs->cpu.ccr0[ip->sa];
        VM_NEXT();
    }
    VM_TARGET(ISA_CTC0)
    {
        if (VM_UNLIKELY(cs->priv))
            FAULT(cop0_denied(cs) ? BH_EXC_CPU : BH_EXC_RI, 0);
        cs->cpu.ccr0[ip->sa] = URT;
        VM_NEXT();
    }

    /* ---- coprocessor 1 (fpu.h) ------------------------------------------------------- */
    /* Arithmetic: computed by the host under FCSR.RM; the flags it raised
     * are the Cause (FP_END). */
#define FP_BIN_S(op, id)                                                                           \
    {                                                                                              \
        uint32_t a_ = F[ip->rs], b_ = F[ip->rt];                                                   \
        float r_ = bh_f32(a_) op bh_f32(b_);                                                       \
        FP_LAZY(id, a_, b_, BH_FPU_FLAGS_F(r_), F[ip->rd] = bh_b32(r_));                           \
    }
#define FP_BIN_D(op, id)                                                                           \
    {                                                                                              \
        uint64_t a_ = bh_u64(&F[ip->rs]), b_ = bh_u64(&F[ip->rt]);                                 \
        double r_ = bh_d(a_) op bh_d(b_);                                                          \
        FP_LAZY(id, a_, b_, BH_FPU_FLAGS_D(r_), bh_set_f64(&F[ip->rd], r_));                       \
    }
    VM_TARGET(ISA_ADD_S) FP_BIN_S(+, ISA_ADD_S)
    VM_TARGET(ISA_SUB_S) FP_BIN_S(-, ISA_SUB_S)
    VM_TARGET(ISA_MUL_S) FP_BIN_S(*, ISA_MUL_S)
    VM_TARGET(ISA_DIV_S) FP_BIN_S(/, ISA_DIV_S)
    VM_TARGET(ISA_ADD_D) FP_BIN_D(+, ISA_ADD_D)
    VM_TARGET(ISA_SUB_D) FP_BIN_D(-, ISA_SUB_D)
    VM_TARGET(ISA_MUL_D) FP_BIN_D(*, ISA_MUL_D)
    VM_TARGET(ISA_DIV_D) FP_BIN_D(/, ISA_DIV_D)
#undef FP_BIN_S
#undef FP_BIN_D
    VM_TARGET(ISA_SQRT_S)
    {
        uint32_t a = F[ip->rs];
        float r = bh_fpu_sqrtf(bh_f32(a));
        FP_LAZY(ISA_SQRT_S, a, 0, BH_FPU_FLAGS_F(r), F[ip->rd] = bh_b32(r));
    }
    VM_TARGET(ISA_SQRT_D)
    {
        uint64_t a = bh_u64(&F[ip->rs]);
        double r = bh_fpu_sqrt(bh_d(a));
        FP_LAZY(ISA_SQRT_D, a, 0, BH_FPU_FLAGS_D(r), bh_set_f64(&F[ip->rd], r));
    }
    /* abs and neg change the sign bit only; a signaling NaN is Invalid. */
    VM_TARGET(ISA_ABS_S)
    {
        uint32_t v = F[ip->rs];
        FP_END(bh_snan32(v) ? BH_FP_V : 0u, F[ip->rd] = v & 0x7fffffffu);
    }
    VM_TARGET(ISA_NEG_S)
    {
        uint32_t v = F[ip->rs];
        FP_END(bh_snan32(v) ? BH_FP_V : 0u, F[ip->rd] = v ^ 0x80000000u);
    }
    VM_TARGET(ISA_ABS_D)
    {
        uint32_t lo = F[ip->rs], hi = F[ip->rs + 1];
        FP_END(bh_snan64(&F[ip->rs]) ? BH_FP_V : 0u,
               (F[ip->rd] = lo, F[ip->rd + 1] = hi & 0x7fffffffu));
    }
    VM_TARGET(ISA_NEG_D)
    {
        uint32_t lo = F[ip->rs], hi = F[ip->rs + 1];
        FP_END(bh_snan64(&F[ip->rs]) ? BH_FP_V : 0u,
               (F[ip->rd] = lo, F[ip->rd + 1] = hi ^ 0x80000000u));
    }
    VM_TARGET(ISA_MOV_S) { F[ip->rd] = F[ip->rs]; VM_NEXT(); }
    VM_TARGET(ISA_MOV_D) { FP_COPY_D(); VM_NEXT(); }

    /* Conversions between formats: the host's, with its flags. */
    VM_TARGET(ISA_CVT_S_D)
    {
        uint64_t a = bh_u64(&F[ip->rs]);
        float r = (float)bh_d(a);
        FP_LAZY(ISA_CVT_S_D, a, 0, BH_FPU_FLAGS_F(r), F[ip->rd] = bh_b32(r));
    }
    VM_TARGET(ISA_CVT_D_S)
    {
        uint32_t a = F[ip->rs];
        double r = (double)bh_f32(a);
        FP_LAZY(ISA_CVT_D_S, a, 0, BH_FPU_FLAGS_D(r), bh_set_f64(&F[ip->rd], r));
    }
    VM_TARGET(ISA_CVT_S_W)
    {
        uint32_t a = F[ip->rs];
        float r = (float)(int32_t)a;
        FP_LAZY(ISA_CVT_S_W, a, 0, BH_FPU_FLAGS_F(r), F[ip->rd] = bh_b32(r));
    }
    VM_TARGET(ISA_CVT_D_W)
    {
        double r = (double)(int32_t)F[ip->rs]; /* exact */
        FP_END(0u, bh_set_f64(&F[ip->rd], r));
    }
    /* To a word: rounded as the op says (cvt: as FCSR.RM, the host's mode
     * now); NaN or out of range gives 2^31 - 1 and Invalid. */
#define FP_TO_W(src, how)                                                                          \
    {                                                                                              \
        cvt_v = (src);                                                                             \
        cvt_how = (how);                                                                           \
        goto vm_fp_to_word;                                                                        \
    }
    VM_TARGET(ISA_CVT_W_S) FP_TO_W((double)FS_S, TO_W_CURRENT)
    VM_TARGET(ISA_CVT_W_D) FP_TO_W(FS_D, TO_W_CURRENT)
    VM_TARGET(ISA_ROUND_W_S) FP_TO_W((double)FS_S, TO_W_EVEN)
    VM_TARGET(ISA_ROUND_W_D) FP_TO_W(FS_D, TO_W_EVEN)
    VM_TARGET(ISA_TRUNC_W_S) FP_TO_W((double)FS_S, TO_W_ZERO)
    VM_TARGET(ISA_TRUNC_W_D) FP_TO_W(FS_D, TO_W_ZERO)
    VM_TARGET(ISA_CEIL_W_S) FP_TO_W((double)FS_S, TO_W_UP)
    VM_TARGET(ISA_CEIL_W_D) FP_TO_W(FS_D, TO_W_UP)
    VM_TARGET(ISA_FLOOR_W_S) FP_TO_W((double)FS_S, TO_W_DOWN)
    VM_TARGET(ISA_FLOOR_W_D) FP_TO_W(FS_D, TO_W_DOWN)
#undef FP_TO_W

    /* c.cond.fmt: cond (sa, from the funct) bit 0 unordered, 1 equal, 2
     * less, 3 a quiet NaN signals too.  Unordered is found from the bits,
     * and the compares run only on ordered values, so the host raises
     * nothing.  imm is the condition code's FCSR bit.  One body per format
     * for the 16 conditions (32 copies cost the integer handlers
     * registers). */
#define FP_CMP(un, sn, a, b)                                                                       \
    {                                                                                              \
        unsigned cond_ = ip->sa;                                                                   \
        int un_ = (un);                                                                            \
        unsigned x_ = un_ && ((cond_ & 8u) || (sn)) ? BH_FP_V : 0u;                                \
        int t_ = un_ ? (int)(cond_ & 1u) : ((cond_ & 4u) && (a) < (b)) || ((cond_ & 2u) && (a) == (b)); \
        FP_END(x_, cs->cpu.fcsr = t_ ? cs->cpu.fcsr | (uint32_t)IMM                                \
                                     : cs->cpu.fcsr & ~(uint32_t)IMM);                             \
    }
#define NAN32(b) (((b)&0x7fffffffu) > 0x7f800000u)
#define NAN64(p) (((p)[1] & 0x7fffffffu) > 0x7ff00000u || (((p)[1] & 0x7fffffffu) == 0x7ff00000u && (p)[0]))
    VM_TARGET(ISA_C_F_S) VM_TARGET(ISA_C_UN_S) VM_TARGET(ISA_C_EQ_S) VM_TARGET(ISA_C_UEQ_S)
    VM_TARGET(ISA_C_OLT_S) VM_TARGET(ISA_C_ULT_S) VM_TARGET(ISA_C_OLE_S) VM_TARGET(ISA_C_ULE_S)
    VM_TARGET(ISA_C_SF_S) VM_TARGET(ISA_C_NGLE_S) VM_TARGET(ISA_C_SEQ_S) VM_TARGET(ISA_C_NGL_S)
    VM_TARGET(ISA_C_LT_S) VM_TARGET(ISA_C_NGE_S) VM_TARGET(ISA_C_LE_S) VM_TARGET(ISA_C_NGT_S)
    FP_CMP(NAN32(F[ip->rs]) || NAN32(F[ip->rt]), bh_snan32(F[ip->rs]) || bh_snan32(F[ip->rt]),
           FS_S, FT_S)
    VM_TARGET(ISA_C_F_D) VM_TARGET(ISA_C_UN_D) VM_TARGET(ISA_C_EQ_D) VM_TARGET(ISA_C_UEQ_D)
    VM_TARGET(ISA_C_OLT_D) VM_TARGET(ISA_C_ULT_D) VM_TARGET(ISA_C_OLE_D) VM_TARGET(ISA_C_ULE_D)
    VM_TARGET(ISA_C_SF_D) VM_TARGET(ISA_C_NGLE_D) VM_TARGET(ISA_C_SEQ_D) VM_TARGET(ISA_C_NGL_D)
    VM_TARGET(ISA_C_LT_D) VM_TARGET(ISA_C_NGE_D) VM_TARGET(ISA_C_LE_D) VM_TARGET(ISA_C_NGT_D)
    FP_CMP(NAN64(&F[ip->rs]) || NAN64(&F[ip->rt]), bh_snan64(&F[ip->rs]) || bh_snan64(&F[ip->rt]),
           FS_D, FT_D)
#undef FP_CMP
#undef NAN32
#undef NAN64

    /* Branches and moves on a condition code: sa is its FCSR bit number.
     * The likely forms skip the next word when not taken (as SPIM). */
#define FCC (cs->cpu.fcsr >> ip->sa & 1u)
    VM_TARGET(ISA_BC1T) { if (FCC) BRANCH_REL(); VM_NEXT(); }
    VM_TARGET(ISA_BC1TL) { if (FCC) BRANCH_REL(); SKIP_NEXT(); }
    VM_TARGET(ISA_BC1F) { if (!FCC) BRANCH_REL(); VM_NEXT(); }
    VM_TARGET(ISA_BC1FL) { if (!FCC) BRANCH_REL(); SKIP_NEXT(); }
#undef SKIP_NEXT
#undef BRANCH_LINK
    VM_TARGET(ISA_MOVF) { if (!FCC) RD = RS; VM_NEXT(); }
    VM_TARGET(ISA_MOVT) { if (FCC) RD = RS; VM_NEXT(); }
    VM_TARGET(ISA_MOVF_S) { if (!FCC) F[ip->rd] = F[ip->rs]; VM_NEXT(); }
    VM_TARGET(ISA_MOVT_S) { if (FCC) F[ip->rd] = F[ip->rs]; VM_NEXT(); }
    VM_TARGET(ISA_MOVF_D) { if (!FCC) FP_COPY_D(); VM_NEXT(); }
    VM_TARGET(ISA_MOVT_D) { if (FCC) FP_COPY_D(); VM_NEXT(); }
#undef FCC
    VM_TARGET(ISA_MOVZ_S) { if (RT == 0) F[ip->rd] = F[ip->rs]; VM_NEXT(); }
    VM_TARGET(ISA_MOVN_S) { if (RT != 0) F[ip->rd] = F[ip->rs]; VM_NEXT(); }
    VM_TARGET(ISA_MOVZ_D) { if (RT == 0) FP_COPY_D(); VM_NEXT(); }
    VM_TARGET(ISA_MOVN_D) { if (RT != 0) FP_COPY_D(); VM_NEXT(); }

    /* Moves between the register files: sa is the control register. */
    VM_TARGET(ISA_MFC1) { RD = (int32_t)F[ip->rs]; VM_NEXT(); }
    VM_TARGET(ISA_MTC1) { F[ip->rd] = URT; VM_NEXT(); }
    VM_TARGET(ISA_CFC1)
    {
        fpu_settle(cs);
        RD = (int32_t)fcr_read(cs, ip->sa);
        VM_NEXT();
    }
    VM_TARGET(ISA_CTC1)
    {
        fpu_settle(cs);
        if (fcr_write(cs, ip->sa, URT))
            FAULT(BH_EXC_FPE, 0);
        VM_NEXT();
    }

    /* Loads and stores: ldc1/sdc1 need a word-aligned address, as SPIM. */
    VM_TARGET(ISA_LWC1)
    {
        uint32_t a = URS + (uint32_t)IMM, v;
        LOAD(a, 4, v);
        F[ip->rt] = v;
        VM_NEXT();
    }
    VM_TARGET(ISA_SWC1)
    {
        uint32_t a = URS + (uint32_t)IMM;
        STORE(a, 4, F[ip->rt]);
        VM_NEXT();
    }
    VM_TARGET(ISA_LDC1)
    {
        uint32_t a = URS + (uint32_t)IMM, lo, hi;
        LOAD(a, 4, lo);
        LOAD(a + 4u, 4, hi);
        F[ip->rt] = lo;
        F[ip->rt + 1] = hi;
        VM_NEXT();
    }
    VM_TARGET(ISA_SDC1)
    {
        uint32_t a = URS + (uint32_t)IMM;
        STORE(a, 4, F[ip->rt]);
        STORE(a + 4u, 4, F[ip->rt + 1]);
        VM_NEXT();
    }

    /* A coprocessor-1 word this FPU does not implement, or a double in an
     * odd register: the unimplemented-operation FP exception. */
    VM_TARGET(BH_DOP_FP_UNIMPL)
    {
        cs->cpu.fcsr = (cs->cpu.fcsr & ~BH_FCSR_CAUSE) | BH_FP_E << BH_FCSR_CAUSE_SHIFT;
        FAULT(BH_EXC_FPE, 0);
    }

    /* The privileged machine's cop1 instructions (BH_CODE_PRIV): CpU with
     * Cause.CE = 1 unless Status.CU1, else the instruction's own op. */
    VM_TARGET(BH_DOP_CU1)
    {
        if (!(cs->cpu.c0[BH_C0_STATUS] & BH_ST_CU1))
            FAULT(BH_EXC_CPU, 1);
        const struct bh_code *c = CODE;
        VM_DISPATCH_TO(c->cu1[ip - c->d].u);
    }

    VM_TARGET(ISA_INVALID)
#if !VM_THREADED
    vm_reserved:
#endif
    {
        FAULT(BH_EXC_RI, 0);
    }

    VM_LOOP_END

#if VM_THREADED
vm_reserved:
    FAULT(BH_EXC_RI, 0);
#endif

vm_fp_to_word:
    /* The conversions to word share one call (fewer calls in the loop,
     * fewer registers it must give up). */
    {
        unsigned x;
        fpu_settle(cs); /* fp_to_word clears the host's flags */
        uint32_t w = fp_to_word(cvt_v, cvt_how, &x);
        FP_END(x, F[ip->rd] = w);
    }

vm_far:
    /* A branch or jump whose target is outside its segment, taken: with
     * delay slots, by its trampoline (the link skips the slot). */
    if (CODE->flags & BH_CODE_DELAYED_BRANCHES) {
        if (jlink)
            R[jlink] = (int32_t)(PC_OF(ip) + 8u);
        cs->dtarget = jtarget;
        BRANCH_REL();
    }
    goto vm_jump_slow;

vm_cont_slow:
    /* The end of a trampoline whose target is outside .text: ktext, or an
     * AdEL at the target (the jump and its slot retired, as SPIM). */
    {
        const struct bh_dinsn *t2 = locate(cs, cs->dtarget);
        if (!t2)
            FAULT(BH_EXC_ADEL, cs->dtarget);
        TAKEN_REL(ip, (uintptr_t)t2 - (uintptr_t)ip);
    }

vm_jump_slow:
    /* jtarget outside .text (or not aligned): ktext, or an AdEL of the jump.
     * The privileged machine: the jump retires and the fetch at its target
     * is checked (vm_enter), as MIPS32 blames the target. */
    if (VM_UNLIKELY(cs->mem.priv)) {
        if (jlink)
            R[jlink] = (int32_t)(PC_OF(ip) + 4u);
        cs->icount = ICOUNT_AT(ip) + 1;
        cs->cpu.pc = jtarget;
        goto vm_reenter;
    }
    {
        const struct bh_dinsn *t2 = locate(cs, jtarget);
        if (!t2)
            FAULT(BH_EXC_ADEL, jtarget);
        if (jlink)
            R[jlink] = (int32_t)(PC_OF(ip) + 4u);
        BRANCH_TO(t2);
    }

vm_reenter:
    /* A transfer that leaves the decoded code: an exception delivered to
     * the guest, the privileged machine's eret and far jumps (vm_enter
     * translates their target).  The events (budget, timer, interrupts)
     * are looked at as at any taken branch, so a guest looping through
     * them (a handler that clears EXL and faults again) still ends its
     * slice. */
    if (check_at_of(cs, cs->icount) <= cs->icount && events(cs, ex) == EV_EXIT)
        VM_RETURN();
    goto vm_enter;

vm_check:
    /* A taken branch reached check_at: ip is the target.  Into a
     * trampoline (delay slots) nothing is looked at: its continue op is a
     * taken branch that finds the same limit once the slot has run.  Nor
     * at the second end slot (a skip past the last word): it halts. */
    if (ip > CODE->d + CODE->n)
        VM_DISPATCH();
    cs->icount = ICOUNT_AT(ip);
    cs->cpu.pc = PC_OF(ip);
#if BH_JIT
    /* The translation tier (jit.h): while no event is due, translated
     * code runs from here (and chains on by itself); it leaves at a taken
     * branch (events may be due: vm_reenter looks) or before an
     * instruction it leaves to this loop (vm_enter). */
    if (cs->jit) {
        int ran = 0;
        while ((cs->jit_check_at = check_at_of(cs, cs->icount)) > cs->icount) {
            int how = bh_jit_arrive(cs);
            if (how < 0 && !ran) {
                SET_LIMIT(cs->icount);
                VM_DISPATCH();
            }
            if (how <= 0)
                goto vm_enter;
            ran = 1;
        }
        if (ran)
            goto vm_reenter;
    }
#endif
    switch (events(cs, ex)) {
    case EV_EXIT:
        VM_RETURN();
    case EV_REDIRECT:
        goto vm_enter;
    default:
        SET_LIMIT(cs->icount);
        VM_DISPATCH();
    }

vm_fault:
    if (VM_UNLIKELY(fexc == BH_MEM_STOP))
        goto vm_power_off;
    SAVE_STATE();
    if (cs->mix && CODE->tally && CODE->tally[ip - CODE->d].isa < ISA_COUNT)
        cs->mix[CODE->tally[ip - CODE->d].isa]--; /* tallied, but it does not retire */
    cs->pipe.to1 = 0; /* a faulting load writes nothing */
    if (VM_UNLIKELY(fexc == BH_MEM_WATCH)) {
        /* A debugger's watchpoint: before the access, as MIPS's Watch
         * exception (gdb steps over it with the watchpoint off). */
        ex->kind = BH_EXIT_DEBUG;
        ex->code = BH_DEBUG_WATCH;
        ex->pc = cs->cpu.pc;
        ex->badvaddr = cs->mem.dwatch_addr;
        ex->flags = cs->mem.dwatch_kind;
        VM_RETURN();
    }
    if (deliver(cs, fexc, fbad, fflags, in_delay_slot(CODE, ip))) {
        fflags = 0;
        if (VM_UNLIKELY(cs->stepping)) {
            ex->kind = BH_EXIT_BUDGET;
            ex->pc = cs->cpu.pc;
            VM_RETURN();
        }
        goto vm_reenter;
    }
    ex->kind = BH_EXIT_FAULT;
    ex->exc = fexc;
    ex->pc = cs->cpu.pc;
    ex->badvaddr = fexc == BH_EXC_CPU ? 0 : fbad;
    if (fexc == BH_EXC_FPE) /* which: the instruction's Cause */
        ex->code = (cs->cpu.fcsr & BH_FCSR_CAUSE) >> BH_FCSR_CAUSE_SHIFT;
    if (fexc == BH_EXC_CPU) /* which coprocessor */
        ex->code = fbad;
    ex->word = WORD_AT(ip);
    ex->flags = fflags | (cs->wedged ? BH_EXITF_WEDGED : 0u);
    cs->wedged = 0;
    fpu_leave(cs);
    return;

vm_power_off:
    /* The store that powered the machine off retired. */
    cs->icount = ICOUNT_AT(ip) + 1;
    cs->cpu.pc = PC_OF(ip) + 4u;
    ex->kind = BH_EXIT_POWEROFF;
    ex->pc = cs->cpu.pc;
    VM_RETURN();

vm_fetch_fault:
    /* The privileged machine's fetch at cs->cpu.pc faulted (pc and icount
     * exact): to the guest's handler, else to the monitor. */
    if (deliver(cs, fexc, fbad, fflags, 0)) {
        fflags = 0;
        if (VM_UNLIKELY(cs->stepping)) {
            ex->kind = BH_EXIT_BUDGET;
            ex->pc = cs->cpu.pc;
            VM_RETURN();
        }
        goto vm_reenter;
    }
    ex->kind = BH_EXIT_FAULT;
    ex->exc = fexc;
    ex->pc = cs->cpu.pc;
    ex->badvaddr = fbad;
    ex->flags = fflags | (cs->wedged ? BH_EXITF_WEDGED : 0u);
    cs->wedged = 0;
    VM_RETURN();
}
#undef R
#undef tlb
#undef F


uint64_t bh_core_run(struct bh_core *cs, int64_t budget, struct bh_exit *ex)
{
    uint64_t before = cs->icount;
    run(cs, budget, ex, NULL);
    return cs->icount - before;
}

/* The plain op a superinstruction starts with. */
static uintptr_t unfused(uintptr_t op)
{
    switch (op) {
#define X_UNFUSE(name, first)                                                                      \
    case BH_DOP_##name:                                                                            \
        return ISA_##first;
        BH_SUPER_ALL(X_UNFUSE)
#undef X_UNFUSE
    default:
        return op;
    }
}

/* Single step without a second interpreter: stop the core right after
 * the instruction at pc by placing BH_DOP_STEP_STOP in the next slot (a
 * taken branch stops anyway: the budget is 0), and split a superinstruction
 * starting at pc.  Both slots are restored before returning. */
static void step(struct bh_core *cs, struct bh_exit *ex)
{
    const void *const *labels;
    run(cs, 0, ex, &labels);
    const struct bh_code *segs[2] = {&cs->text, &cs->ktext};
    struct bh_code *c = NULL;
    uint32_t pc = cs->cpu.pc;
    for (int i = 0; i < 2; i++)
        if (!(pc & 3u) && segs[i]->n && pc >= segs[i]->base && (pc - segs[i]->base) / 4 < segs[i]->n)
            c = (struct bh_code *)segs[i];
    if (!c) { /* the end slot or a bad pc: the core handles both in one step */
        run(cs, 0, ex, NULL);
        return;
    }
    uint32_t i = (pc - c->base) / 4;
    struct bh_dinsn *d = c->d;
    struct bh_dinsn save0 = d[i], save1 = d[i + 1];
    /* the op each slot runs as, in the form this build dispatches on */
    uintptr_t first = unfused(VM_THREADED ? (uintptr_t)-1 : d[i].u.op);
#if VM_THREADED
    for (uintptr_t op = 0; op < BH_DOP_COUNT; op++)
        if (labels[op] == d[i].u.handler)
            first = unfused(op);
    if (first < BH_DOP_COUNT)
        d[i].u.handler = labels[first];
    d[i + 1].u.handler = labels[BH_DOP_STEP_STOP];
#else
    (void)labels;
    d[i].u.op = first;
    d[i + 1].u.op = BH_DOP_STEP_STOP;
#endif
    cs->stepping = 1;
    cs->nstep_stored = 0;
    run(cs, 0, ex, NULL);
    cs->stepping = 0;
    d[i] = save0;
    d[i + 1] = save1;
    for (unsigned k = 0; k < cs->nstep_stored; k++)
        text_stored(cs, cs->step_stored[k], labels);
}

void bh_core_step(struct bh_core *cs, struct bh_exit *ex)
{
    /* A breakpoint at pc: the step runs the instruction under it. */
    uint32_t brk_pc = cs->cpu.pc;
    if (cs->nbrk && bh_core_brk_at(cs, brk_pc)) {
        bh_core_brk_lift(cs, brk_pc, 1);
        step(cs, ex);
        bh_core_brk_lift(cs, brk_pc, 0);
        return;
    }
    step(cs, ex);
}
