/* decode.h: the core's pre-decoded code: the decoded ops (enum bh_dop,
 * the plain instructions of isa.h plus the forms only the decoder makes,
 * among them the superinstructions), one decoded instruction (struct
 * bh_dinsn) and a decoded segment (struct bh_code).  decode.c turns an
 * image segment into a struct bh_code; cpu.c runs it.
 */
#ifndef BH_DECODE_H
#define BH_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "isa.h"
#include "superinsn.h" /* generated from superinsn.def */

/* The register that receives writes meant for $zero: the decoder remaps a
 * destination of 0 to it, so $zero stays 0 without a check per write. */
#define BH_REG_SINK 32
/* Delayed loads: a load writes its value to a latch (BH_REG_LATCH in the
 * general registers, BH_FREG_LATCH in the FP ones) and the pipeline moves
 * it to the load's own register after the next instruction (cpu.c). */
#define BH_REG_LATCH 33
#define BH_FREG_LATCH 32
/* bh_tally_slot.load_to: where a delayed load's value goes: 0 for no
 * load, r (1-32) for general register r, BH_LOAD_TO_FPR + f for f. */
#define BH_LOAD_TO_FPR 64u

/* The delay-slot instructions a trampoline's copy fuses with the continue
 * op after it ("Delay slots" below): X(name, its decoded op), each with a
 * BODY_name in cpu.c.  BH_DOP_SLOT_name runs the slot and then
 * BH_DOP_CONT's jump, BH_DOP_SLOTR_name BH_DOP_CONT_REG's: one dispatch
 * for both (the continue op keeps its slot, its offset read from there). */
#define BH_SLOT_OPS(X)                                                                             \
    X(ADDIU, ISA_ADDIU)                                                                            \
    X(ADDU, ISA_ADDU)                                                                              \
    X(SUBU, ISA_SUBU)                                                                              \
    X(OR, ISA_OR)                                                                                  \
    X(ORI, ISA_ORI)                                                                                \
    X(LUI, ISA_LUI)                                                                                \
    X(SLL, ISA_SLL)                                                                                \
    X(MUL, ISA_MUL)                                                                                \
    X(LW, ISA_LW)                                                                                  \
    X(LBU, ISA_LBU)                                                                                \
    X(SW, ISA_SW)                                                                                  \
    X(SB, ISA_SB)                                                                                  \
    X(NOP, BH_DOP_NOP)

/* Decoded instruction ops: the enum isa_op values (0 = ISA_INVALID, RI),
 * then forms only the decoder produces, then the superinstructions.
 *
 * Superinstructions (declared once, in superinsn.def): a run of adjacent
 * ops that one handler executes with one dispatch, e.g. an ALU op and the
 * beq/bne after it (BH_DOP_SLT__BNE), two adjacent ops
 * (BH_DOP_ADDIU__LW), or a loop tail (BH_DOP_SB__ADDU__SLTU__BNE).
 * Only the slot of the first op changes: every later slot keeps its own
 * decoded op, so a jump into the middle still works, and runs overlap.
 * Each op retires as itself: between the parts the handler does ip++, so
 * a fault in a later part reports that part's pc and counts the ones
 * before it, and icount stays exact. */
enum bh_dop {
    BH_DOP_BRANCH_FAR = ISA_COUNT, /* a branch whose target is outside the segment */
    BH_DOP_JUMP_FAR,               /* j/jal whose target is outside the segment */
    BH_DOP_END,                    /* the slot after the last word: falling here halts */
    BH_DOP_NOP,                    /* sll $0,$0,0 and other writes to $zero without effect */
    BH_DOP_STEP_STOP,              /* placed after the instruction bh_vm_step runs */
    BH_DOP_DEBUG_BREAK,            /* a debugger's breakpoint (bh_core_break): stop before the slot */
    BH_DOP_TALLY,                  /* --stats: count the slot's instruction, then run it */
    BH_DOP_FP_UNIMPL,              /* a COP1 word the FPU lacks, or a double in an odd register */
    BH_DOP_CU1,                    /* BH_CODE_PRIV: a cop1 instruction, CpU unless Status.CU1 */
    /* Delay slots (BH_CODE_DELAYED_*; "Delay slots" below). */
    BH_DOP_JR_D,                   /* jr with a delay slot: target taken, then its trampoline */
    BH_DOP_JALR_D,                 /* jalr with a delay slot (links pc + 8) */
    BH_DOP_LINK_J,                 /* a jalr copied into a delay slot: link rd, go on (decode.c) */
    BH_DOP_CONT,                   /* trampoline end: continue at a fixed target */
    BH_DOP_CONT_REG,               /* trampoline end: continue at the target taken before the slot */
    BH_DOP_PIPE,                   /* delayed loads: advance the load pipeline, then run the slot */
#define BH_X_SLOT_ENUM(name, plain) BH_DOP_SLOT_##name, BH_DOP_SLOTR_##name,
    BH_SLOT_OPS(BH_X_SLOT_ENUM)
#undef BH_X_SLOT_ENUM
#define BH_X_SUPER_ENUM(name, first) BH_DOP_##name,
    BH_SUPER_ALL(BH_X_SUPER_ENUM)
#undef BH_X_SUPER_ENUM
    BH_DOP_COUNT
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

/* Wrapped slots: tallying (--stats, bh_vm_tally) makes every slot's op
 * BH_DOP_TALLY, delayed loads make it BH_DOP_PIPE, and the op it stands
 * for is kept beside it with the instruction to count. */
struct bh_tally_slot {
    union {
        const void *handler; /* as bh_dinsn.u, threaded with it */
        uintptr_t op;
    } u;
    uint32_t isa;     /* enum isa_op to count; ISA_COUNT for a slot that is no instruction */
    uint32_t load_to; /* delayed loads: see BH_LOAD_TO_FPR */
};

/* Delay slots (-delayed_branches).  The decoder appends, after the end
 * slots, two trampoline slots per branch or jump: a copy of its delay
 * slot's instruction (decoded alone), then BH_DOP_CONT to the branch's
 * target (BH_DOP_CONT_REG for jr, jalr and targets outside the segment,
 * which the branch takes into cs before the slot runs); two more for
 * each branch in the slot of the one before (decode.c, as_slot_branch).
 * With superinstructions, a copy of one of BH_SLOT_OPS becomes
 * BH_DOP_SLOT_name or BH_DOP_SLOTR_name: slot and continue op in one
 * dispatch, the continue op's slot left as it was.  A taken branch
 * goes to its trampoline instead of its target; a branch not taken falls
 * through to the slot in place, which then runs as the next instruction
 * (as SPIM: not a delay slot then).  The continue ops retire nothing, so
 * the count identity of cpu.c holds.  bh_tramp says what pc each
 * trampoline slot stands for. */
enum { BH_TRAMP_SLOT, BH_TRAMP_CONT, BH_TRAMP_CONT_REG };
struct bh_tramp {
    uint32_t kind; /* BH_TRAMP_* */
    uint32_t src;  /* the word it comes from: the slot's, or (continue ops) the branch's */
    uint32_t pc;   /* the slot's pc, or BH_TRAMP_CONT's target */
};

/* A decoded segment: d[0..n) for the words at base, d[n] and d[n + 1]
 * are BH_DOP_END (a branch-likely op in the last word skips d[n]), then
 * ntramp trampoline slots (delayed branches). */
/* bh_code.flags */
#define BH_CODE_WRAP 1u /* add, sub, addi wrap like addu, subu, addiu: they never
                           trap (the original v0.2 tool's arithmetic) */
#define BH_CODE_PRIV 2u /* the privileged machine: every cop1 instruction's slot
                           is BH_DOP_CU1, its own op kept in cu1[] (so the
                           SPIM-style machine's FP ops check nothing) */
#define BH_CODE_DELAYED_BRANCHES 4u /* branches and jumps have a delay slot */
#define BH_CODE_DELAYED_LOADS 8u    /* a load's register is written after the next
                                       instruction ran (SPIM's -delayed_loads) */

struct bh_code {
    struct bh_dinsn *d;
    uint32_t base;
    uint32_t n;
    unsigned flags;              /* BH_CODE_*, set before decoding */
    uint8_t *words;              /* the raw words decoded: the image's, copied, as stores
                                    into text change them (bh_code_patch) */
    struct bh_tally_slot *tally; /* every slot's real op when wrapped, else NULL */
    uint32_t ntramp;             /* trampoline slots after d[n] */
    struct bh_tramp *tramp;      /* tramp[k] describes d[BH_CODE_TRAMP(c) + k] */
    struct bh_tally_slot *cu1;   /* BH_CODE_PRIV: the ops BH_DOP_CU1 slots guard (.u), every slot */
};
#define BH_CODE_TRAMP(c) ((c)->n + 2u)               /* the first trampoline slot */
#define BH_CODE_SLOTS(c) ((c)->n + 2u + (c)->ntramp) /* every slot of d */

/* Decode segment s into c (c->d gets n + 1 slots, superinstructions
 * chosen), as c->flags say.  0, or -1 with a message in err. */
int bh_code_decode(struct bh_code *c, const struct bh_segment *s, char *err, size_t errlen);
/* A store changed word i (< n) to w (SPIM lets a program overwrite its
 * text): its slot and its copies in trampolines are decoded again, and
 * the slots before it that a superinstruction covering it may start at
 * are decoded again alone (unfused); wrapped code stays wrapped.  The
 * rewritten slots hold ops again: the threaded core threads them.  With
 * delay slots, the trampolines keep their layout: a word that becomes a
 * branch or jump, or stops being one, does not get or lose its own. */
void bh_code_patch(struct bh_code *c, uint32_t i, uint32_t w);

/* Tally mode (bh_vm_tally): decode c again one instruction per slot, each
 * slot's op kept in c->tally and replaced by BH_DOP_TALLY (slots already
 * wrapped in BH_DOP_PIPE for delayed loads stay: it counts too when
 * tallying).  1 when c was decoded again (its ops need threading), 0 when
 * nothing changed, -1 when out of memory. */
int bh_code_tally(struct bh_code *c);

#endif
