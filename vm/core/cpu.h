/* cpu.h: the core's interface.  A core is a MIPS32 CPU with its guest
 * memory: it runs pre-decoded code until something needs the monitor (an
 * exit, as KVM_RUN returns) or the instruction budget is spent.  The
 * machine drives it through these calls only: the CPU's state is private
 * to vm/core (cpu_priv.h), as TinyEMU keeps RISCVCPUState opaque.
 *
 * The memory (mem.h) lives inside the core so that the hot path reaches
 * the soft TLB at a fixed offset from the one base register; the machine
 * gets it with bh_core_mem and owns everything else (devices, the map of
 * I/O regions it places in that memory).  The core never sees a device:
 * an access to an I/O region is the memory's slow path calling the
 * region's callbacks.  bh_core_run's contract is include/vm.h's
 * bh_vm_run. */
#ifndef BH_CPU_H
#define BH_CPU_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h"
#include "vm.h"

struct bh_core;
struct bh_mem;
struct bh_segment;

/* Coprocessor 0's registers (MIPS32 numbers; the select field picks
 * Config1 from Config's number).  isa_c0_names (include/isa.h) names
 * them for the disassembler and --trace. */
#define BH_C0_INDEX 0
#define BH_C0_RANDOM 1
#define BH_C0_ENTRYLO0 2
#define BH_C0_ENTRYLO1 3
#define BH_C0_CONTEXT 4
#define BH_C0_PAGEMASK 5
#define BH_C0_WIRED 6
#define BH_C0_BADVADDR 8
#define BH_C0_COUNT 9
#define BH_C0_ENTRYHI 10
#define BH_C0_COMPARE 11
#define BH_C0_STATUS 12
#define BH_C0_CAUSE 13
#define BH_C0_EPC 14
#define BH_C0_PRID 15
#define BH_C0_CONFIG 16 /* select 0: Config; select 1: Config1 */
#define BH_C0_ERROREPC 30
#define BH_CAUSE_IP 0xff00u /* pending hardware and software interrupts */

/* Status fields (MIPS32) */
#define BH_ST_IE 0x1u
#define BH_ST_EXL 0x2u
#define BH_ST_ERL 0x4u
#define BH_ST_KSU 0x18u /* 2 (UM, bit 4): user mode */
#define BH_ST_UM 0x10u
#define BH_ST_IM 0xff00u
#define BH_ST_BEV 0x00400000u
#define BH_ST_CU0 0x10000000u
#define BH_ST_CU1 0x20000000u
#define BH_ST_CU 0xf0000000u
/* What mtc0 writes of Status: MIPS32's writable fields this CPU has (no
 * reverse endian, no 64-bit, no NMI or soft reset); the SPIM-style machine
 * keeps SPIM's mask, then sets CU0, CU1 and UM as SPIM does. */
#define BH_ST_WRITABLE                                                                             \
    (BH_ST_CU | BH_ST_BEV | BH_ST_IM | BH_ST_KSU | BH_ST_ERL | BH_ST_EXL | BH_ST_IE)
#define BH_ST_WRITABLE_SPIM (BH_ST_CU | BH_ST_IM | BH_ST_UM | BH_ST_EXL | BH_ST_IE)
#define BH_ST_FORCED_SPIM (BH_ST_CU0 | BH_ST_CU1 | BH_ST_UM)
/* Cause fields: BD, CE (the coprocessor of a CpU), IP, ExcCode; mtc0
 * writes IP0 and IP1 only (the software interrupts). */
#define BH_CAUSE_BD 0x80000000u
#define BH_CAUSE_CE_SHIFT 28
#define BH_CAUSE_CE 0x30000000u
#define BH_CAUSE_SW 0x300u
/* PRId (read only): company 0 (none: not a MIPS licensee's core), processor
 * 0x93 (chosen for baby_hypervisor, unused by MIPS's own cores' list),
 * revision 1.  Config: M (Config1 follows), MT = 1 (standard TLB), AT = 0
 * (MIPS32), AR = 0 (release 1), BE = 0 (little-endian), K0 = 2
 * (uncached).  Config1: MMU size 32 - 1 in bits 30:25, FP (bit 0) present,
 * no caches.  All read only. */
#define BH_PRID 0x00009301u
#define BH_CONFIG 0x80000082u
#define BH_CONFIG1 ((31u << 25) | 1u)
/* Exception vectors: BEV = 0 in kseg0, BEV = 1 in the boot ROM (kseg1);
 * a TLB refill with EXL clear goes to the refill vector. */
#define BH_VEC_REFILL 0x80000000u
#define BH_VEC_GENERAL 0x80000180u
#define BH_VEC_BEV_REFILL 0xbfc00200u
#define BH_VEC_BEV_GENERAL 0xbfc00380u

/* A core with a guest memory of mem_limit bytes, running the text and
 * ktext segments (decoded here; the segments' bytes must outlive the
 * core), with flags BH_CORE_*.  Registers, PC and cp0 start at zero.
 * -1 with a message. */
#define BH_CORE_WRAP 1u /* add, sub, addi never trap: the original v0.2 tool's arithmetic */
#define BH_CORE_DELAYED_BRANCHES 4u /* branches and jumps have a delay slot (SPIM's -delayed_branches) */
#define BH_CORE_DELAYED_LOADS 8u    /* loads write their register one instruction late (-delayed_loads) */
/* The privileged machine: MIPS32's rules for user mode (Status.KSU = 2, UM,
 * with EXL and ERL clear): cop0 instructions need kernel mode or CU0, cop1
 * instructions need CU1 (else CpU, Cause.CE = the coprocessor), and
 * exceptions inside the handler go to the guest as MIPS delivers them. */
#define BH_CORE_PRIV 2u
int bh_core_new(uint64_t mem_limit, const struct bh_segment *text, const struct bh_segment *ktext,
                unsigned flags, struct bh_core **out, char *err, size_t errlen);
void bh_core_free(struct bh_core *c);
struct bh_mem *bh_core_mem(struct bh_core *c);

/* Returns the instructions retired by this call. */
uint64_t bh_core_run(struct bh_core *c, int64_t budget, struct bh_exit *ex);
void bh_core_step(struct bh_core *c, struct bh_exit *ex);
/* include/vm.h's bh_vm_break: the slot of pc becomes BH_DOP_DEBUG_BREAK
 * (the superinstructions that would run over it are split); decoding the
 * word again (a store into text, a restore, --stats' tally) keeps it. */
int bh_core_break(struct bh_core *c, uint32_t pc, int on);
/* Is there a breakpoint at pc? */
int bh_core_brk_at(const struct bh_core *c, uint32_t pc);
/* Count every retired instruction by enum isa_op from now on (--stats).
 * 0, or -1 when out of memory. */
int bh_core_tally(struct bh_core *c);
const uint64_t *bh_core_mix(const struct bh_core *c); /* NULL unless tallying */
/* include/vm.h's bh_vm_jit and bh_vm_jit_stats. */
int bh_core_jit(struct bh_core *c, unsigned threshold, size_t cache_bytes, char *err, size_t errlen);
int bh_core_jit_stats(const struct bh_core *c, struct bh_jit_stats *st);
void bh_core_jit_hook(struct bh_core *c, bh_jit_block_fn fn, void *opaque);
/* Text pages came back from a snapshot or a migration (stores into text
 * had changed them): every word of text and ktext that memory holds
 * differently from what was decoded is decoded again, as a store into it
 * would have been. */
void bh_core_text_restored(struct bh_core *c);
/* The syscall just retired must run again (it waits for input): pc back
 * to it, and it is counted (and tallied) once. */
void bh_core_retry(struct bh_core *c);

int32_t bh_core_reg(const struct bh_core *c, unsigned r); /* r < 32; $0 reads 0 */
void bh_core_set_reg(struct bh_core *c, unsigned r, int32_t v);
int32_t bh_core_hi(const struct bh_core *c);
int32_t bh_core_lo(const struct bh_core *c);
void bh_core_set_hilo(struct bh_core *c, int32_t hi, int32_t lo);
uint32_t bh_core_pc(const struct bh_core *c);
void bh_core_set_pc(struct bh_core *c, uint32_t pc);
/* cp0 register r (select 0) as mfc0 sees it (Count derives from the
 * count; PRId and Config are constants); bh_core_set_c0 writes all bits
 * (the monitor's and snapshots' view; mtc0 applies the write masks). */
uint32_t bh_core_c0(const struct bh_core *c, unsigned r);
void bh_core_set_c0(struct bh_core *c, unsigned r, uint32_t v);
/* Raise (1) or lower (0) the Cause bits in mask (BH_CAUSE_IP bits): the
 * interrupt lines.  Taken at the next taken branch if Status allows. */
void bh_core_irq(struct bh_core *c, uint32_t cause_mask, int level);
uint64_t bh_core_icount(const struct bh_core *c);
/* The machine's power-off line (called from a device callback inside the
 * core's slow path): the run ends right after the storing instruction
 * retires, with BH_EXIT_POWEROFF. */
void bh_core_power_off(struct bh_core *c);
/* End the current run at a taken branch once icount reaches end (a
 * device's deadline came closer while the core ran; no effect if the run
 * ends sooner anyway). */
void bh_core_end_run_by(struct bh_core *c, uint64_t end);
/* What the core does inside the guest without an exit: an exception (or
 * interrupt) delivered to the guest's own handler, an interrupt line
 * raised.  Counted always (bh_core_guest_events); each is also passed to
 * the hook when one is set (--trace-exits). */
enum bh_core_event_kind { BH_EV_EXCEPTION, BH_EV_IRQ };
struct bh_core_event {
    enum bh_core_event_kind kind;
    int exc;          /* BH_EV_EXCEPTION: the ExcCode */
    int user;         /* ... taken from user mode (1), kernel mode (0); -1: the SPIM-style
                         machine, which has no modes */
    int refill;       /* ... to the TLB refill vector */
    int bd;           /* ... in a delay slot */
    uint32_t epc;     /* ... the instruction (its branch, with bd) */
    uint32_t bad;     /* ... BadVAddr (TLB and address errors) */
    uint32_t vector;  /* ... where the guest's handler starts */
    uint32_t ip;      /* the Cause.IP bits: pending (EXCEPTION) or raised (IRQ) */
    uint64_t icount;  /* instructions retired before it */
};
typedef void (*bh_core_event_fn)(void *opaque, const struct bh_core_event *e);
void bh_core_set_event_hook(struct bh_core *c, bh_core_event_fn fn, void *opaque);
struct bh_guest_events {
    uint64_t exc[32]; /* exceptions delivered to the guest, by ExcCode */
    uint64_t irq[8];  /* interrupt lines raised, by IP bit (IP7: the timer) */
};
const struct bh_guest_events *bh_core_guest_events(const struct bh_core *c);
/* Was the core made with BH_CORE_PRIV? */
int bh_core_priv(const struct bh_core *c);
/* Is there a guest exception handler (ktext at the general exception
 * vector: 0x80000180, or 0xbfc00380 with Status.BEV)? */
int bh_core_has_handler(const struct bh_core *c);

/* Coprocessor 1: FP register r (< 32) as raw bits (a double is the pair
 * r even, r + 1: low word, high word), and the FCSR.  bh_core_set_fcsr
 * keeps only the bits FCSR has (BH_FCSR_MASK). */
uint32_t bh_core_fpr(const struct bh_core *c, unsigned r);
void bh_core_set_fpr(struct bh_core *c, unsigned r, uint32_t bits);
uint32_t bh_core_fcsr(const struct bh_core *c);
void bh_core_set_fcsr(struct bh_core *c, uint32_t v);
/* FCSR fields (MIPS32): rounding mode, flags, enables, cause (E is the
 * unimplemented operation, cause only), FS, condition codes 0 and 1-7. */
#define BH_FCSR_RM 0x3u
#define BH_FCSR_FLAGS_SHIFT 2
#define BH_FCSR_ENABLES_SHIFT 7
#define BH_FCSR_CAUSE_SHIFT 12
#define BH_FP_I 0x01u /* inexact, underflow, overflow, divide by zero, invalid, */
#define BH_FP_U 0x02u /* as bits of each field above (E: cause only) */
#define BH_FP_O 0x04u
#define BH_FP_Z 0x08u
#define BH_FP_V 0x10u
#define BH_FP_E 0x20u
#define BH_FCSR_CAUSE 0x0003f000u
#define BH_FCSR_ENABLES 0x00000f80u
#define BH_FCSR_FS 0x01000000u
#define BH_FCSR_FCC 0xfe800000u
#define BH_FCSR_MASK 0xff83ffffu
/* FIR, read-only: single, double and word formats implemented (MIPS32
 * bit positions; no paired single, no 64-bit FPU). */
#define BH_FIR 0x00130000u

/* The CPU's snapshot section (cpu_state.c), writer and reader mirrored:
 * registers, HI/LO, PC, LL bit, count, Count base, timer, cp0; since
 * version 2 then the FP registers, FCSR and FIR; since version 3 the
 * delay slots the core runs with (BH_CORE_DELAYED_* bits) and the load
 * pipeline (its two loads and latches); since version 4 SPIM's
 * coprocessor 0 control registers and the other FP control registers.
 * Version 1 bodies still load (FP state zero), versions 1 and 2 as taken
 * without delay slots, and 1 to 3 with SPIM's control registers zero. */
#define BH_CPU_STATE_VERSION 4u
#define BH_CPU_STATE_SIZE_V1 (32 * 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 32 * 4)
#define BH_CPU_STATE_SIZE_V2 (BH_CPU_STATE_SIZE_V1 + 32 * 4 + 4 + 4)
#define BH_CPU_STATE_SIZE_V3 (BH_CPU_STATE_SIZE_V2 + 6 * 4)
#define BH_CPU_STATE_SIZE (BH_CPU_STATE_SIZE_V3 + 32 * 4 + 32 * 4)
/* The size of a CPU body of that version, 0 for a version not read here. */
size_t bh_core_state_size(uint32_t version);
int bh_core_save(const struct bh_core *c, struct bh_buf *b);
/* The rest of r must be exactly one CPU body; validated before the core
 * changes. */
int bh_core_load(struct bh_core *c, struct bh_rd *r, uint32_t version, char *err, size_t errlen);

#endif
