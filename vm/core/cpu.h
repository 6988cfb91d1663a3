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

/* cp0 registers the machine names */
#define BH_C0_BADVADDR 8
#define BH_C0_COUNT 9
#define BH_C0_COMPARE 11
#define BH_C0_STATUS 12
#define BH_C0_CAUSE 13
#define BH_C0_EPC 14
#define BH_CAUSE_IP 0xff00u /* pending hardware and software interrupts */

/* A core with a guest memory of mem_limit bytes, running the text and
 * ktext segments (decoded here; the segments' bytes must outlive the
 * core), with flags BH_CORE_*.  Registers, PC and cp0 start at zero.
 * -1 with a message. */
#define BH_CORE_WRAP 1u /* add, sub, addi never trap: the original v0.2 tool's arithmetic */
#define BH_CORE_PRIV 2u /* the privileged machine: MIPS32's modes, address map and TLB */
int bh_core_new(uint64_t mem_limit, const struct bh_segment *text, const struct bh_segment *ktext,
                unsigned flags, struct bh_core **out, char *err, size_t errlen);
void bh_core_free(struct bh_core *c);
struct bh_mem *bh_core_mem(struct bh_core *c);

/* Returns the instructions retired by this call. */
uint64_t bh_core_run(struct bh_core *c, int64_t budget, struct bh_exit *ex);
void bh_core_step(struct bh_core *c, struct bh_exit *ex);
/* Count every retired instruction by enum isa_op from now on (--stats).
 * 0, or -1 when out of memory. */
int bh_core_tally(struct bh_core *c);
const uint64_t *bh_core_mix(const struct bh_core *c); /* NULL unless tallying */
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
/* cp0 register r as mfc0/mtc0 see it (Count derives from the count). */
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
/* Is there a guest exception handler (ktext at 0x80000180)? */
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
 * version 2 then the FP registers, FCSR and FIR.  Version 1 bodies still
 * load (FP state zero). */
#define BH_CPU_STATE_VERSION 2u
#define BH_CPU_STATE_SIZE_V1 (32 * 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 32 * 4)
#define BH_CPU_STATE_SIZE (BH_CPU_STATE_SIZE_V1 + 32 * 4 + 4 + 4)
/* The size of a CPU body of that version, 0 for a version not read here. */
size_t bh_core_state_size(uint32_t version);
int bh_core_save(const struct bh_core *c, struct bh_buf *b);
/* The rest of r must be exactly one CPU body; validated before the core
 * changes. */
int bh_core_load(struct bh_core *c, struct bh_rd *r, uint32_t version, char *err, size_t errlen);

#endif
