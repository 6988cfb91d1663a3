/* vm_internal.h: everything a VM is, private to vm/machine (the layers
 * above use machine.h and include/vm.h).  One struct, no globals, so many
 * VMs run in one process and a snapshot can walk the whole machine.
 * What a snapshot must carry to resume exactly:
 *   cpu (r[0..31], hi, lo, pc, c0[], llbit), icount, count_base,
 *   timer_armed, brk, the memory pages (bh_mem_foreach_page), the console
 *   (console.h) and the machine's own state (pv, ctl.state/exited/
 *   exit_status, stats: bh_machine_save).  The decoded code arrays are derived from the
 *   image and are rebuilt by bh_vm_create: never serialize them.
 * After changing cpu.pc, c0[] or icount directly, call bh_vm_state_changed.
 */
#ifndef BH_VM_INTERNAL_H
#define BH_VM_INTERNAL_H

#include <stdint.h>

#include "dev/console.h"
#include "image.h"
#include "isa.h"
#include "machine/machine.h"
#include "mem/mem.h"
#include "vm.h"

/* cp0 registers */
#define BH_C0_BADVADDR 8
#define BH_C0_COUNT    9
#define BH_C0_COMPARE  11
#define BH_C0_STATUS   12
#define BH_C0_CAUSE    13
#define BH_C0_EPC      14
#define BH_ST_IE  0x1u
#define BH_ST_EXL 0x2u
#define BH_ST_IM  0xff00u
#define BH_CAUSE_IP    0xff00u
#define BH_CAUSE_TIMER 0x8000u /* hardware interrupt 5 (IP7) */
#define BH_CAUSE_EXC(c) (((uint32_t)(c) & 0x1fu) << 2)
#define BH_CAUSE_EXC_MASK 0x7cu

/* The register that receives writes meant for $zero: the decoder remaps a
 * destination of 0 to it, so $zero stays 0 without a check per write. */
#define BH_REG_SINK 32

struct bh_cpu {
    int32_t r[33];      /* r[32] is the write sink for $zero */
    int32_t hi, lo;
    uint32_t pc;        /* exact whenever the core is not running */
    uint32_t c0[32];    /* c0[BH_C0_COUNT] is derived: see count_base */
    int llbit;
};

/* Superinstructions: an ALU op that cannot fault, directly followed by a
 * beq/bne, runs as one handler (one dispatch instead of two).  The pair's
 * second slot keeps its own decoded branch, so a jump straight to it still
 * works, and the pair counts as two instructions: icount stays exact. */
#define BH_FUSE_LIST(X) X(ADDIU) X(ADDU) X(SUBU) X(XOR) X(SLT) X(SLTU) X(SLTI) X(SLTIU) X(ANDI)
/* The same list for nesting under another list (triples, below). */
#define BH_FUSE_LIST2(X, a)                                                                        \
    X(a, ADDIU) X(a, ADDU) X(a, SUBU) X(a, XOR) X(a, SLT) X(a, SLTU) X(a, SLTI) X(a, SLTIU)        \
    X(a, ANDI)
#define BH_FUSE_LIST3(X, a, b)                                                                     \
    X(a, b, ADDIU) X(a, b, ADDU) X(a, b, SUBU) X(a, b, XOR) X(a, b, SLT) X(a, b, SLTU)             \
    X(a, b, SLTI) X(a, b, SLTIU) X(a, b, ANDI)
#define BH_FUSE_COUNT 9
/* Triples: an op of this list directly before a fused ALU + beq/bne pair
 * runs as one handler (the op's body, ip++, the fused code): the loop
 * tails `addiu; addiu; bne` and `sb; addiu; bne`, `lw; slt; beq`. */
#define BH_TRIPLE_FIRST(Y) Y(ADDIU) Y(ADDU) Y(LW) Y(SW) Y(LBU) Y(SB)
/* Quads: an op of BH_QUAD_FIRST, addiu or addu, then a fused pair: the
 * loop tails of counted loops with two updates (`addu; addiu; xor; bne`,
 * `addiu; addiu; addiu; bne`, the sieve's `sb; addu; sltu; bne`, sort's
 * `sw; addiu; addiu; bne`).  A quad replaces the pair its first two ops
 * would form. */
#define BH_QUAD_FIRST(Y) Y(ADDIU) Y(ADDU) Y(LW) Y(SW) Y(LBU) Y(SB)
#define BH_QUAD_SECOND(X, a) X(a, ADDIU) X(a, ADDU)
#define BH_QUAD_SECOND1(Y) Y(ADDIU) Y(ADDU) /* the same, one argument */
/* If-conversion: a beq/bne that jumps over exactly one of these ops runs
 * as a conditional move (no host branch to mispredict on data-dependent
 * guest branches); the skipped op is not counted. */
#define BH_SKIP_LIST(X) X(XOR) X(ADDU) X(ADDIU) X(OR)
/* The same over two ops (BH_DOP_BEQ_SKIP2_<a>_<b>): the sieve's count loop
 * skips `addiu; addu` on every non-prime. */
#define BH_SKIP_LIST2(X, a) X(a, XOR) X(a, ADDU) X(a, ADDIU) X(a, OR)

/* Pairs: two adjacent instructions, each from this list, run as one
 * handler (the first's body, ip++, the second's body): one dispatch for
 * two.  The ip++ between the halves makes a fault in the second half
 * report the second's pc and count the first as retired.  The second slot
 * keeps its own handler, so a jump into the middle of a pair works, and
 * pairs may overlap (slot i pairs i, i+1; slot i+1 pairs i+1, i+2).
 * BH_PAIR_FIRST(Y) calls Y(op) per op; BH_PAIR_SECOND(X, a) calls X(a, op)
 * per op (two macros with the same list, so they can nest). */
#define BH_PAIR_FIRST(Y)                                                                           \
    Y(ADDIU) Y(ADDU) Y(SUBU) Y(XOR) Y(OR) Y(AND) Y(ANDI) Y(SLL) Y(SRL) Y(SLT) Y(SLTU) Y(MUL)       \
    Y(LW) Y(SW) Y(LBU) Y(SB)
#define BH_PAIR_SECOND(X, a)                                                                       \
    X(a, ADDIU) X(a, ADDU) X(a, SUBU) X(a, XOR) X(a, OR) X(a, AND) X(a, ANDI) X(a, SLL) X(a, SRL) \
    X(a, SLT) X(a, SLTU) X(a, MUL) X(a, LW) X(a, SW) X(a, LBU) X(a, SB)
/* The position of each op in the triple and fused lists. */
enum bh_triple_k {
#define BH_X_TK(op) BH_TK_##op,
    BH_TRIPLE_FIRST(BH_X_TK)
#undef BH_X_TK
    BH_TK_COUNT
};
enum bh_fuse_k {
#define BH_X_FK(op) BH_FK_##op,
    BH_FUSE_LIST(BH_X_FK)
#undef BH_X_FK
    BH_FK_COUNT
};
_Static_assert(BH_FK_COUNT == BH_FUSE_COUNT, "BH_FUSE_LIST2 and BH_FUSE_COUNT follow BH_FUSE_LIST");
enum bh_quad_k {
#define BH_X_QK(op) BH_QK_##op,
    BH_QUAD_FIRST(BH_X_QK)
#undef BH_X_QK
    BH_QK_COUNT
};
enum bh_quad2_k {
#define BH_X_Q2K(op) BH_Q2K_##op,
    BH_QUAD_SECOND1(BH_X_Q2K)
#undef BH_X_Q2K
    BH_Q2K_COUNT
};
/* The position of each op in the pair list. */
enum bh_pair_k {
#define BH_X_PK(op) BH_PK_##op,
    BH_PAIR_FIRST(BH_X_PK)
#undef BH_X_PK
    BH_PK_COUNT
};

/* Decoded instruction ops: the enum isa_op values (0 = ISA_INVALID, RI),
 * then forms only the decoder produces. */
enum bh_dop {
    BH_DOP_BRANCH_FAR = ISA_COUNT, /* a branch whose target is outside the segment */
    BH_DOP_JUMP_FAR,               /* j/jal whose target is outside the segment */
    BH_DOP_END,                    /* the slot after the last word: falling here halts */
    BH_DOP_NOP,                    /* sll $0,$0,0 and other writes to $zero without effect */
    BH_DOP_STEP_STOP,              /* placed after the instruction bh_vm_step runs */
    BH_DOP_TALLY,                  /* --stats: count the slot's instruction, then run it */
#define BH_X_FUSE_ENUM(op) BH_DOP_##op##_BEQ, BH_DOP_##op##_BNE,
    BH_FUSE_LIST(BH_X_FUSE_ENUM)
#undef BH_X_FUSE_ENUM
#define BH_X_SKIP_ENUM(op) BH_DOP_BEQ_SKIP_##op, BH_DOP_BNE_SKIP_##op,
    BH_SKIP_LIST(BH_X_SKIP_ENUM)
#undef BH_X_SKIP_ENUM
#define BH_X_SKIP2_ENUM(a, b) BH_DOP_BEQ_SKIP2_##a##_##b, BH_DOP_BNE_SKIP2_##a##_##b,
#define BH_X_SKIP2_ROW(a) BH_SKIP_LIST2(BH_X_SKIP2_ENUM, a)
    BH_SKIP_LIST(BH_X_SKIP2_ROW)
#undef BH_X_SKIP2_ROW
#undef BH_X_SKIP2_ENUM
    BH_DOP_PAIRS_BEGIN, /* BH_PK_COUNT^2 pair ops from here, row-major */
    /* then triples: per first op, per fused op, BEQ then BNE */
    BH_DOP_TRIPLES_BEGIN = BH_DOP_PAIRS_BEGIN + BH_PK_COUNT * BH_PK_COUNT,
    /* then quads: per first, per second, per fused op, BEQ then BNE */
    BH_DOP_QUADS_BEGIN = BH_DOP_TRIPLES_BEGIN + BH_TK_COUNT * BH_FK_COUNT * 2,
    BH_DOP_COUNT = BH_DOP_QUADS_BEGIN + BH_QK_COUNT * BH_Q2K_COUNT * BH_FK_COUNT * 2
};
/* BH_DOP_Q_<first>_<second>_<fused op>_BEQ / _BNE */
enum bh_dop_quad {
#define BH_X_QUAD_CELL(a, b, f)                                                                    \
    BH_DOP_Q_##a##_##b##_##f##_BEQ =                                                               \
        BH_DOP_QUADS_BEGIN + ((BH_QK_##a * BH_Q2K_COUNT + BH_Q2K_##b) * BH_FK_COUNT + BH_FK_##f) * 2, \
    BH_DOP_Q_##a##_##b##_##f##_BNE = BH_DOP_Q_##a##_##b##_##f##_BEQ + 1,
#define BH_X_QUAD_MID(a, b) BH_FUSE_LIST3(BH_X_QUAD_CELL, a, b)
#define BH_X_QUAD_ROW(a) BH_QUAD_SECOND(BH_X_QUAD_MID, a)
    BH_QUAD_FIRST(BH_X_QUAD_ROW)
#undef BH_X_QUAD_ROW
#undef BH_X_QUAD_MID
#undef BH_X_QUAD_CELL
};
/* BH_DOP_T_<first>_<fused op>_BEQ / _BNE */
enum bh_dop_triple {
#define BH_X_TRIPLE_CELL(a, b)                                                                     \
    BH_DOP_T_##a##_##b##_BEQ = BH_DOP_TRIPLES_BEGIN + (BH_TK_##a * BH_FK_COUNT + BH_FK_##b) * 2,   \
    BH_DOP_T_##a##_##b##_BNE = BH_DOP_TRIPLES_BEGIN + (BH_TK_##a * BH_FK_COUNT + BH_FK_##b) * 2 + 1,
#define BH_X_TRIPLE_ROW(a) BH_FUSE_LIST2(BH_X_TRIPLE_CELL, a)
    BH_TRIPLE_FIRST(BH_X_TRIPLE_ROW)
#undef BH_X_TRIPLE_ROW
#undef BH_X_TRIPLE_CELL
};
/* BH_DOP_P_<first>_<second> */
enum bh_dop_pair {
#define BH_X_PAIR_CELL(a, b) BH_DOP_P_##a##_##b = BH_DOP_PAIRS_BEGIN + BH_PK_##a * BH_PK_COUNT + BH_PK_##b,
#define BH_X_PAIR_ROW(a) BH_PAIR_SECOND(BH_X_PAIR_CELL, a)
    BH_PAIR_FIRST(BH_X_PAIR_ROW)
#undef BH_X_PAIR_ROW
#undef BH_X_PAIR_CELL
};

/* One pre-decoded instruction (16 bytes).  Branch and jump targets are
 * relative byte offsets from the next slot: target = (char *)(this + 1) +
 * imm (no scaling in the core, and the count limit moves by imm too).  Register fields index cpu.r[]. */
struct bh_dinsn {
    union {
        const void *handler; /* computed-goto build: the label address */
        uintptr_t op;        /* enum bh_dop (decoder output; switch build) */
    } u;
    union {
        struct {
            uint8_t rd, rs, rt, sa;
        };
        uint32_t link;      /* j/jal (no register fields): pc + 4 */
    };
    int32_t imm;            /* sign- or zero-extended immediate, or branch offset */
};
_Static_assert(sizeof(struct bh_dinsn) == 16 || sizeof(void *) != 8, "decoded instructions are 16 bytes");

/* Tallying (--stats, bh_vm_tally): every slot's op is BH_DOP_TALLY, and
 * the op it stands for is kept beside it with the instruction to count. */
struct bh_tally_slot {
    union {
        const void *handler; /* as bh_dinsn.u, threaded with it */
        uintptr_t op;
    } u;
    uint32_t isa; /* enum isa_op to count; ISA_COUNT for the end slot */
};

/* A decoded segment: d[0..n) for the words at base, d[n] is BH_DOP_END. */
struct bh_code {
    struct bh_dinsn *d;
    uint32_t base;
    uint32_t n;
    const uint8_t *words;       /* the image's raw words (for slow paths) */
    struct bh_tally_slot *tally; /* d[0..n]'s real ops when tallying, else NULL */
};

/* The paravirtual devices the syscalls see: the virtual clock, MARS's
 * random generators and the guest's open files (pv.c, fsys.c). */

/* The virtual clock: a fixed epoch (2024-01-01T00:00:00Z in ms) plus one
 * virtual nanosecond per instruction plus the virtual sleeps.  Runs are
 * reproducible because nothing here reads the host clock. */
#define BH_PV_EPOCH_MS    1704067200000ull
#define BH_PV_NS_PER_INSN 1u
#define BH_PV_RNG_MAX     16  /* distinct generator ids (MARS syscall 40) */
#define BH_PV_FILES_MAX   16  /* open guest files at once */
#define BH_PV_PATH_MAX    256 /* guest path, relative to the fs root */
/* MARS open flags */
#define BH_PV_O_READ   0
#define BH_PV_O_WRITE  1
#define BH_PV_O_APPEND 9

struct bh_pv_rng {
    int32_t id;
    uint64_t state; /* java.util.Random's 48-bit state, so MARS programs match */
};

struct bh_pv_file {
    int32_t used;
    int32_t guest_fd;  /* 3, 4, ... */
    int32_t flags;     /* BH_PV_O_* as the guest passed them */
    uint64_t offset;   /* current position (for reopening after a restore) */
    char path[BH_PV_PATH_MAX]; /* as the guest named it, relative to fs_root */
    int host_fd;       /* not serialized */
};

struct bh_pv {
    uint64_t sleep_ms;  /* virtual milliseconds added by syscall 32 */
    uint64_t seed;      /* the VM's --seed (default generator's origin) */
    struct bh_pv_rng rng[BH_PV_RNG_MAX];
    uint32_t nrng;
    struct bh_pv_file files[BH_PV_FILES_MAX];
    int root_fd;        /* O_DIRECTORY fd of fs_root, or -1 (not serialized) */
};

/* pv.c */
int bh_pv_init(struct bh_pv *pv, uint64_t seed, const char *fs_root, char *err, size_t errlen);
void bh_pv_free(struct bh_pv *pv);
/* Virtual time in ms since the Unix epoch for instruction count icount. */
uint64_t bh_pv_time_ms(const struct bh_pv *pv, uint64_t icount);
/* MARS random numbers (java.util.Random semantics). */
void bh_pv_rng_seed(struct bh_pv *pv, int32_t id, uint64_t seed);
int32_t bh_pv_rng_int(struct bh_pv *pv, int32_t id);
/* In [0, bound); bound must be > 0. */
int32_t bh_pv_rng_below(struct bh_pv *pv, int32_t id, int32_t bound);

/* fsys.c: guest files (MARS syscalls 13-16) inside --fs-root.  Each
 * returns the value for $v0: a descriptor / byte count, or -1. */
int32_t bh_fsys_open(struct bh_vm *vm, const char *path, int32_t flags);
int32_t bh_fsys_read(struct bh_vm *vm, int32_t fd, uint32_t buf, int32_t n, int *waiting);
int32_t bh_fsys_write(struct bh_vm *vm, int32_t fd, uint32_t buf, int32_t n);
int32_t bh_fsys_close(struct bh_vm *vm, int32_t fd);
/* Open path inside the directory root_fd without leaving it: no absolute
 * paths, no "..", no symbolic links (O_NOFOLLOW on every component).
 * Returns a host fd or -1 with errno set. */
int bh_fsys_open_beneath(int root_fd, const char *path, int oflags, int mode);

struct bh_vm {
    struct bh_cpu cpu;
    uint64_t icount;      /* instructions retired, exact whenever the core is not running */
    uint64_t count_base;  /* Count = (uint32_t)(icount - count_base) */
    int timer_armed;      /* Compare was written: Count == Compare raises IP7 */
    uint64_t timer_at;    /* derived: the icount at which Count next equals Compare */
    int check_now;        /* set by bh_vm_irq: re-evaluate interrupts at the next branch */
    uint64_t budget_end;  /* this bh_vm_run exits at the first taken branch at or past it */
    int threaded;         /* decoded ops already turned into label addresses */
    int stepping;         /* inside bh_vm_step: a fault delivered to the guest stops at the vector */
    struct bh_code text, ktext;
    struct bh_mem mem;
    const struct bh_image *img;
    uint64_t img_hash;
    uint32_t brk;
    struct bh_console con;
    struct bh_pv pv;
    struct bh_vm_ctl ctl;
    struct bh_stats stats;
    uint64_t *mix;        /* --stats: instructions by isa_op (bh_vm_tally), else NULL */
    struct bh_vm_opts opts; /* name and fs_root point at the copies below; argv NULL */
    char *name, *fs_root;
};

/* Re-derive cached state after a snapshot restore changed the machine. */
void bh_vm_state_changed(struct bh_vm *vm);

/* Does the image have a guest exception handler (ktext at 0x80000180)? */
int bh_vm_has_handler(const struct bh_vm *vm);

#endif
