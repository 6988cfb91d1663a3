/* cpu_priv.h: the core's own state, private to vm/core (the machine sees
 * only cpu.h, which every file here includes first).  What a snapshot
 * carries to resume exactly is the CPU section (cpu_state.c): cpu
 * (r[0..31], hi, lo, pc, c0[], llbit, f[0..31], fcsr, ccr0[], fcr_other[]),
 * icount, count_base, timer_armed, and with delayed loads the load
 * pipeline and its latches.
 * The decoded code is derived from the image. */
#ifndef BH_CPU_PRIV_H
#define BH_CPU_PRIV_H

#include <stdint.h>

#include "core/decode.h"
#include "mem/mem.h"

#define BH_CAUSE_TIMER 0x8000u /* hardware interrupt 5 (IP7) */
#define BH_CAUSE_EXC(c) (((uint32_t)(c)&0x1fu) << 2)
#define BH_CAUSE_EXC_MASK 0x7cu

struct bh_cpu {
    int32_t r[34]; /* r[32] is the write sink for $zero, r[33] the load latch (BH_REG_LATCH) */
    int32_t hi, lo;
    uint32_t pc;     /* exact whenever the core is not running */
    uint32_t c0[32]; /* c0[BH_C0_COUNT] is derived: see count_base */
    int llbit;
    /* Coprocessor 1 with FR=0: 32 single-precision registers, raw bits; a
     * double lives in an even/odd pair, low word in the even one.  FCSR
     * holds the condition codes, rounding mode, flags, cause, enables. */
    uint32_t f[33]; /* f[32]: the load latch of lwc1 (BH_FREG_LATCH) */
    uint32_t fcsr;
    /* SPIM-style machine only (the privileged one has neither): SPIM's
     * coprocessor 0 control registers (ctc0/cfc0), and the FP control
     * registers no FCSR view covers (every number but 0, 25, 26, 28, 31),
     * which keep what ctc1 wrote as SPIM's do. */
    uint32_t ccr0[32];
    uint32_t fcr_other[32];
};

/* Delayed loads (SPIM's two-stage shift register): the load that ran in
 * the last instruction (its value still in the latch), and the one
 * before it, whose value reaches its register at the start of the next
 * instruction.  to: bh_tally_slot.load_to, 0 for none. */
struct bh_load_pipe {
    uint32_t to1;      /* the last instruction's load: value in the latch */
    uint32_t to2, v2;  /* the one before: written at the next instruction */
};

struct bh_core {
    struct bh_cpu cpu;
    uint64_t icount;     /* instructions retired, exact whenever the core is not running */
    uint64_t count_base; /* Count = (uint32_t)(icount - count_base) */
    int timer_armed;     /* Compare was written: Count == Compare raises IP7 */
    uint64_t timer_at;   /* derived: the icount at which Count next equals Compare */
    int check_now;       /* set by bh_core_irq: re-evaluate interrupts at the next branch */
    uint64_t budget_end; /* this run exits at the first taken branch at or past it */
    int threaded;        /* decoded ops already turned into label addresses */
    int stepping; /* inside bh_core_step: a fault delivered to the guest stops at the vector */
    /* Inside bh_core_step, the words stored into text (sdc1 stores two),
     * decoded again once the step restored its slots. */
    uint32_t step_stored[2];
    unsigned nstep_stored;
    int priv;     /* BH_CORE_PRIV: MIPS32's privilege rules (cpu.h) */
    /* Delay slots: the target a jr, jalr or far branch took before its
     * slot runs (BH_DOP_CONT_REG), and the pc of the last syscall when it
     * ran in a delay slot, else 0 (bh_core_retry goes back to its branch). */
    uint32_t dtarget;
    uint32_t syscall_slot_pc;
    struct bh_load_pipe pipe;
    struct bh_code text, ktext;
    int fp_host_rm; /* the host's rounding mode to restore after a run that changed it, else -1 */
    /* While the core runs, the Cause of the last FP operation the host
     * computed is left for later (fpu_settle, at every exit and FCSR
     * access): its op and operands' bits; cpu.c's FP_FLAGS_ONLY when
     * the Cause is in FCSR but the host's flags may hold the guest's;
     * 0 when nothing is pending (the host's flags hold none of the
     * guest's: a run without FP operations settles nothing). */
    unsigned fp_last;
    uint64_t fp_a, fp_b;
    uint64_t *mix; /* --stats: instructions by isa_op (bh_core_tally), else NULL */
    struct bh_guest_events gev; /* counted while running; not guest state */
    uint64_t wedge_at;  /* icount at the last exception delivered by deliver() */
    unsigned wedge_n;   /* ... and how many in a row at that icount */
    int wedged;         /* deliver() gave up: the fault exit says so (BH_EXITF_WEDGED) */
    uint32_t *brk;      /* a debugger's breakpoints (bh_core_break): their pcs */
    unsigned nbrk, brk_cap;
    struct bh_jit *jit;    /* the translation tier (jit.h), or NULL */
    uint64_t jit_check_at; /* translated code leaves at a taken branch once icount reaches it */
    const void *const *jit_entry; /* the translated block of each text word, or NULL (jit.c) */
    bh_core_event_fn on_event;
    void *event_opaque;
    struct bh_mem mem;
    bh_jit_block_fn on_jit_block; /* --jit-dump: told each block translated (jit.c) */
    void *jit_block_opaque;
};

/* Where the words of c lie in the core's memory: the address the code
 * runs at, or, in the privileged machine, the physical address the bare
 * machine loads it at (kseg0/kseg1 without their base). */
static inline uint32_t bh_code_phys(const struct bh_core *cs, const struct bh_code *c)
{
    return cs->priv ? (uint32_t)bh_mem_bare_physical(c->base) : c->base;
}

/* Breakpoints (core.c): make the slots of code's breakpoints stops again
 * after its words were decoded again (as ops, not yet threaded); lift the
 * one at pc for a step (lifted 1) and put it back (0). */
void bh_core_brk_again(struct bh_core *c, const struct bh_code *code);
void bh_core_brk_lift(struct bh_core *c, uint32_t pc, int lifted);
/* Drop every translation (jit.h), if the tier runs. */
void bh_core_jit_flush(struct bh_core *c);
/* The translation tier (jit.c), called by the run loop at a taken
 * branch's target (cs->jit set; jit.h's contract): -1 when no translation
 * ran (the interpreter goes on at cs->cpu.pc), else translated code ran
 * and left the core at cs->cpu.pc: 1 when it got there by a taken branch
 * (events may be due), 0 when it stopped before an instruction it leaves
 * to the interpreter. */
int bh_jit_arrive(struct bh_core *cs);

/* Re-derive cached state after the registers, cp0 or the count changed
 * from outside the run loop (timer, pending interrupts, the TLB). */
void bh_core_state_changed(struct bh_core *c);
/* Interrupt lines in bits (Cause.IP) went from low to high: count them
 * and tell the event hook. */
void bh_core_irq_raised(struct bh_core *c, uint32_t bits);
/* mtc0's effect on cp0 register r (< 32): Count and Compare re-derive the
 * timer; the soft TLB stays (what a mode or ASID change makes stale is
 * bh_core_sync_mode's to flush). */
void bh_core_write_c0(struct bh_core *c, unsigned r, uint32_t v);
/* The privileged machine: tell the memory the mode and ASID that Status
 * and EntryHi now say (user mode: UM && !EXL && !ERL). */
void bh_core_sync_mode(struct bh_core *c);

#endif
