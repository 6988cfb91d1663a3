/* vm.h: the public face of a virtual machine: create one from a program
 * image, run it with an instruction budget until it needs the monitor (an
 * "exit", as KVM_RUN returns), and read or change its state in between.
 *
 * The core knows nothing about syscalls, consoles or files: it stops and
 * says why (struct bh_exit); the monitor emulates and calls bh_vm_run again.
 *
 * Contract of bh_vm_run, the things the rest of the system relies on:
 *  - icount (bh_vm_icount) is EXACT at every exit: it counts retired
 *    instructions, as follows.
 *      BH_EXIT_SYSCALL, BH_EXIT_HYPERCALL: the instruction is counted (it
 *        retired) and pc points past it.
 *      BH_EXIT_FAULT: the faulting instruction is NOT counted and pc points
 *        at it (as EPC would).  This holds for every fault kind, including
 *        break (Bp) and traps (Tr).
 *      BH_EXIT_BUDGET: pc is the next instruction to run (the target of the
 *        branch or jump where the budget was found spent).
 *      BH_EXIT_HALT: execution fell off the end of .text (MARS ends such a
 *        program normally); pc is the end address; nothing counted for it.
 *      BH_EXIT_POWEROFF: the store to the board's power register retired
 *        (counted) and pc points past it.
 *  - The budget is checked at taken branches and jumps only, so a run may
 *    overshoot it by one straight-line block; it exits as soon as at least
 *    `budget` instructions retired (budget <= 0: at the first taken branch).
 *  - While a device callback runs (MMIO), pc is the accessing instruction
 *    and icount counts the instructions before it.
 *  - Count (cp0 $9) advances by one per retired instruction.  Timer and
 *    device interrupts are taken only at taken branches/jumps.
 */
#ifndef BH_VM_H
#define BH_VM_H

#include <stddef.h>
#include <stdint.h>

struct bh_vm;
struct bh_image;
struct bh_mem;

#define BH_VM_DEFAULT_MEM   (64ull << 20)
/* Initial $sp when the image has no start-up code (MARS's value). */
#define BH_VM_SP_INIT       0x7fffeffcu
/* Top of the stack area: argv/envp strings are placed below this. */
#define BH_VM_STACK_TOP     0x7ffffffcu

struct bh_vm_opts {
    const char *name;   /* "vm1"... (copied) */
    uint64_t mem_limit; /* bytes of guest pages; 0 = BH_VM_DEFAULT_MEM */
    uint64_t seed;      /* for the monitor's random generators */
    int argc;           /* guest argv (argv[0] = program path); used only */
    char **argv;        /*   during bh_vm_create, not kept */
    const char *fs_root; /* folder syscalls 13-16 may use, or NULL (copied) */
    int dialect;        /* BH_DIALECT_*: whose syscall behaviour where SPIM and MARS differ */
    unsigned delay;     /* BH_VM_DELAYED_*, added to what the image records (BH_IMG_DELAYED_*) */
    int machine;        /* BH_MACHINE_*: SPIM-style (paravirtual) or bare */
    const char *disk;   /* the disk image (vm_disk, --disk), or NULL: no disk (opened) */
    int net;            /* the VM has a network card (vm_net; the host plugs it in) */
    const char *mac;    /* its MAC "xx:xx:xx:xx:xx:xx" (vm_mac), or NULL: from the name */
};
#define BH_VM_DELAYED_BRANCHES 1u /* branches and jumps have a delay slot (-delayed_branches) */
#define BH_VM_DELAYED_LOADS 2u    /* a load's register is written one instruction late */
/* The machine a VM is (docs/devices.md): SPIM's, whose syscalls the
 * monitor emulates, or a bare MIPS32 machine that the guest's own kernel
 * owns (kernel and user mode, the address map, the TLB, devices only). */
#define BH_MACHINE_SPIM 0
#define BH_MACHINE_BARE 1
#define BH_DIALECT_IMAGE 0 /* as the image records it (BH_IMG_MARS) */
#define BH_DIALECT_SPIM  1
#define BH_DIALECT_MARS  2

/* Fill o with defaults (zeroes, mem_limit = BH_VM_DEFAULT_MEM). */
void bh_vm_opts_init(struct bh_vm_opts *o);

/* Build a VM from a validated image.  The VM keeps a pointer to img (for
 * symbols, lines, strings): the caller keeps img alive until
 * bh_vm_destroy.  -1 with a message in err on failure. */
int bh_vm_create(const struct bh_image *img, const struct bh_vm_opts *o, struct bh_vm **out,
                 char *err, size_t errlen);
void bh_vm_destroy(struct bh_vm *vm);

enum bh_exit_kind {
    BH_EXIT_BUDGET,
    BH_EXIT_SYSCALL,
    BH_EXIT_HYPERCALL,
    BH_EXIT_FAULT,
    BH_EXIT_HALT,
    BH_EXIT_POWEROFF, /* the bare machine's board was told to power off (docs/devices.md) */
    BH_EXIT_DEBUG     /* a debugger's breakpoint or watchpoint (code: BH_DEBUG_*) */
};
/* bh_exit.code of BH_EXIT_DEBUG.  Both stop BEFORE the instruction: pc at
 * it, not counted, nothing done (MIPS's Watch exception is taken before
 * the access too); resuming runs it (bh_vm_step steps over a breakpoint
 * at pc; a watchpoint must be suspended for that step). */
#define BH_DEBUG_BREAK 0 /* the instruction at pc has a breakpoint */
#define BH_DEBUG_WATCH 1 /* its access hits a watchpoint: badvaddr the address, flags BH_WATCH_* */

/* MIPS exception codes (Cause.ExcCode) used in bh_exit.exc */
#define BH_EXC_INT  0
#define BH_EXC_MOD  1  /* TLB modified: a store through an entry with D = 0 */
#define BH_EXC_TLBL 2  /* TLB miss or invalid entry on load or instruction fetch */
#define BH_EXC_TLBS 3  /* TLB miss or invalid entry on store */
#define BH_EXC_ADEL 4  /* address error on load or instruction fetch */
#define BH_EXC_ADES 5  /* address error on store (also: store to text) */
#define BH_EXC_IBE  6
#define BH_EXC_DBE  7  /* bus error: memory limit exceeded, or a device refused */
#define BH_EXC_SYS  8
#define BH_EXC_BP   9
#define BH_EXC_RI   10
#define BH_EXC_CPU  11 /* coprocessor unusable (privileged machine): code = the coprocessor */
#define BH_EXC_OV   12
#define BH_EXC_TR   13
#define BH_EXC_FPE  15 /* floating point: FCSR's Cause says which */

/* bh_exit.flags */
#define BH_EXITF_MEMLIMIT 1u /* the DBE fault is "memory limit exceeded" */
#define BH_EXITF_TEXT     2u /* the AdES fault is a store to read-only text */
#define BH_EXITF_REFILL   4u /* the TLBL/TLBS fault is a miss: no entry matched (the refill vector) */
#define BH_EXITF_WEDGED   8u /* the privileged machine's handler faulted again and again without
                                    retiring an instruction: stopped, as the hardware would hang */

struct bh_exit {
    enum bh_exit_kind kind;
    int exc;           /* BH_EXC_* for BH_EXIT_FAULT */
    uint32_t pc;       /* see the contract above */
    uint32_t badvaddr; /* address errors and bus errors: the address */
    uint32_t code;     /* hypercall number (rs field) / break code / FPE: the FCSR Cause bits (1 I, 2 U, 4 O, 8 Z, 16 V, 32 E) / CpU: the coprocessor */
    uint32_t arg;      /* hypercall: imm16 (SNAPSHOT: string offset) */
    uint32_t word;     /* the instruction word at the exit (fault/syscall/hypercall) */
    unsigned flags;    /* BH_EXITF_* */
    uint32_t expired;  /* device timers' expirations found after the run (their interrupt
                          lines raised); a run ends at the next deadline, as a budget exit */
};

/* Returns the instructions retired by this call (the monitor's slice
 * accounting, without asking for the count twice per exit).  The run
 * stops at the next device timer deadline (a budget exit), and after it
 * the timers see the time (ex->expired). */
uint64_t bh_vm_run(struct bh_vm *vm, int64_t budget, struct bh_exit *ex);
/* Run exactly one instruction (for --trace): as bh_vm_run, and when that
 * instruction neither exits nor faults, ex->kind is BH_EXIT_BUDGET with
 * pc at the next instruction.  A fault delivered to a guest handler stops
 * at the handler's first instruction.  Slow (patches the decoded code
 * around pc); the core's hot path does not change. */
void bh_vm_step(struct bh_vm *vm, struct bh_exit *ex);
/* From now on count every retired instruction by kind (the instruction
 * mix of --stats).  The code is decoded again without superinstructions
 * and every instruction is dispatched through a counting step: exact, and
 * slower (docs/performance.md).  0, or -1 when out of memory. */
int bh_vm_tally(struct bh_vm *vm);

/* The translation tier (docs/jit.md, --jit): hot blocks of text are
 * translated to host code after `threshold` arrivals at their first
 * instruction, into a code cache of cache_bytes (flushed whole when full).
 * Output, instruction counts and state stay exactly the interpreter's.
 * Only x86-64 builds have it, and only the SPIM-style machine without
 * delay slots uses it (stage 1): elsewhere the call succeeds and the
 * interpreter runs alone (bh_vm_jit_stats says -1).  0, or -1 with a
 * message in err. */
struct bh_jit_stats {
    uint64_t blocks;     /* blocks translated */
    uint64_t code_bytes; /* host code written, over every flush */
    uint64_t cache_used; /* host code in the cache now */
    uint64_t chains;     /* exits patched to jump straight to the next block */
    uint64_t flushes;    /* the cache dropped whole (full, text stored, restore, breakpoint) */
    uint64_t insns;      /* guest instructions retired in translated code */
    uint64_t ns;         /* host time spent translating (monotonic clock) */
};
#define BH_JIT_THRESHOLD 50        /* myvmm's default (docs/performance.md) */
#define BH_JIT_CACHE (16u << 20)   /* myvmm's default code cache */
#define BH_JIT_CACHE_MIN (16u << 10) /* the stubs and one block of the longest kind */
int bh_vm_jit(struct bh_vm *vm, unsigned threshold, size_t cache_bytes, char *err, size_t errlen);
/* 0 with *st filled when the tier runs for vm, else -1. */
int bh_vm_jit_stats(const struct bh_vm *vm, struct bh_jit_stats *st);
/* One block just translated, as first emitted (exits chained later are
 * not shown again), for --jit-dump.  Host offsets count from the block's
 * first byte; cache_off is where that byte is in the code cache. */
struct bh_jit_block {
    uint32_t pc;              /* its first guest instruction */
    uint32_t ninsns;          /* guest instructions translated in it */
    const uint32_t *words;    /* their words */
    const uint32_t *insn_off; /* [k]: where guest instruction k's host code starts;
                                 [ninsns]: where the exits out of line start */
    unsigned nexits;          /* the exits to the interpreter out of line, in order: */
    const uint32_t *exit_off; /* ... where each starts */
    const uint32_t *exit_pc;  /* ... and the guest pc it leaves at */
    const uint8_t *code;      /* the host code */
    uint32_t size;            /* its bytes */
    uint32_t cache_off;       /* its offset in the code cache */
    uint32_t exit_stub;       /* the exit stub's offset in the code cache */
    uint64_t ns;              /* time spent translating it */
};
typedef void (*bh_jit_block_fn)(void *opaque, const struct bh_jit_block *b);
/* Call fn(opaque, block) on the VM's thread after each translation (NULL:
 * no more calls).  Its time is not counted in bh_jit_stats' ns. */
void bh_vm_jit_hook(struct bh_vm *vm, bh_jit_block_fn fn, void *opaque);

/* Debugger breakpoints (gdb's Z0): stop before the instruction at pc
 * (BH_EXIT_DEBUG).  No cost to code without one: the decoded slot itself
 * becomes a stop.  0, or -1 when pc is not an instruction of text or
 * ktext (or out of memory).  Removing one that is not set is 0. */
int bh_vm_break(struct bh_vm *vm, uint32_t pc, int on);
/* Is a breakpoint set at pc? */
int bh_vm_break_at(const struct bh_vm *vm, uint32_t pc);
/* Debugger watchpoints (gdb's Z2 write, Z3 read, Z4 access) on
 * [addr, addr + len), as the guest addresses them: loads and stores that
 * touch the range stop before they happen.  Pages with a watchpoint get no
 * soft-TLB entries, so only their accesses take the slow path where the
 * check is; with none set nothing changes.  kind: BH_WATCH_READ and/or
 * BH_WATCH_WRITE.  Setting one that exists (same addr, len, kind) is 0;
 * -1 when BH_MEM_MAX_DWATCH are set or len is 0. */
#define BH_WATCH_READ 1u
#define BH_WATCH_WRITE 2u
int bh_vm_watch(struct bh_vm *vm, uint32_t addr, uint32_t len, unsigned kind, int on);
/* Suspend every watchpoint (on = 0) for a step over the one that hit,
 * or resume them (1). */
void bh_vm_watch_enable(struct bh_vm *vm, int on);

/* Registers.  r is 0..31; writes to $0 are ignored. */
int32_t bh_vm_reg(const struct bh_vm *vm, unsigned r);
void bh_vm_set_reg(struct bh_vm *vm, unsigned r, int32_t v);
int32_t bh_vm_hi(const struct bh_vm *vm);
int32_t bh_vm_lo(const struct bh_vm *vm);
/* Coprocessor 1: FP register r (< 32) as raw bits (a double is r even,
 * r + 1: low, high word) and the FCSR. */
uint32_t bh_vm_fpr(const struct bh_vm *vm, unsigned r);
uint32_t bh_vm_fcsr(const struct bh_vm *vm);
void bh_vm_set_fpr(struct bh_vm *vm, unsigned r, uint32_t bits);
void bh_vm_set_fcsr(struct bh_vm *vm, uint32_t v); /* as ctc1 $31 writes it */
void bh_vm_set_hilo(struct bh_vm *vm, int32_t hi, int32_t lo);
uint32_t bh_vm_pc(const struct bh_vm *vm);
/* The next bh_vm_run starts at pc (checked when it runs: a bad pc faults AdEL). */
void bh_vm_set_pc(struct bh_vm *vm, uint32_t pc);
/* Coprocessor 0 register r (BadVAddr 8, Count 9, Compare 11, Status 12,
 * Cause 13, EPC 14), read or written as mfc0/mtc0 would. */
uint32_t bh_vm_c0(const struct bh_vm *vm, unsigned r);
void bh_vm_set_c0(struct bh_vm *vm, unsigned r, uint32_t v);
/* Raise (level 1) or lower (0) the Cause interrupt-pending bits in mask
 * (e.g. 0x800 for hardware level 1); safe from device callbacks.  The core
 * takes the interrupt at its next taken branch if Status allows it. */
void bh_vm_irq(struct bh_vm *vm, uint32_t cause_mask, int level);

uint64_t bh_vm_icount(const struct bh_vm *vm);

/* Copy guest memory without faulting the core: -1 if any byte is unmapped
 * or (for writes) read-only or device memory.  Reads of never-touched but
 * valid pages give zeroes; writes allocate pages within the limit. */
int bh_vm_read(struct bh_vm *vm, uint32_t addr, void *dst, uint32_t n);
int bh_vm_write(struct bh_vm *vm, uint32_t addr, const void *src, uint32_t n);
/* Read a NUL-terminated guest string into dst (cap bytes, NUL included).
 * Returns its length, or -1 if unmapped or longer than cap - 1. */
long bh_vm_read_str(struct bh_vm *vm, uint32_t addr, char *dst, size_t cap);

/* The sbrk break (SPIM's first break: the page after the end of .data). */
uint32_t bh_vm_brk(const struct bh_vm *vm);
void bh_vm_set_brk(struct bh_vm *vm, uint32_t brk);

const struct bh_image *bh_vm_image(const struct bh_vm *vm);
uint64_t bh_vm_image_hash(const struct bh_vm *vm);
const char *bh_vm_name(const struct bh_vm *vm);
const char *bh_vm_fs_root(const struct bh_vm *vm); /* NULL when none */
uint64_t bh_vm_seed(const struct bh_vm *vm);
uint64_t bh_vm_mem_limit(const struct bh_vm *vm);
int bh_vm_machine(const struct bh_vm *vm); /* BH_MACHINE_* */
struct bh_mem *bh_vm_mem(struct bh_vm *vm);

/* "AdEL", "Ov"... for an exception code; "?" when unknown. */
const char *bh_vm_exc_name(int exc);

#endif
