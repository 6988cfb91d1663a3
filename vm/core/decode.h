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
    BH_DOP_TALLY,                  /* --stats: count the slot's instruction, then run it */
    BH_DOP_FP_UNIMPL,              /* a COP1 word the FPU lacks, or a double in an odd register */
    BH_DOP_CU1,                    /* BH_CODE_PRIV: a cop1 instruction, CpU unless Status.CU1 */
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
/* bh_code.flags */
#define BH_CODE_WRAP 1u /* add, sub, addi wrap like addu, subu, addiu: they never
                           trap (the original v0.2 tool's arithmetic) */
#define BH_CODE_PRIV 2u /* the privileged machine: every cop1 instruction's slot
                           is BH_DOP_CU1, its own op kept in cu1[] (so the
                           SPIM-style machine's FP ops check nothing) */

struct bh_code {
    struct bh_dinsn *d;
    uint32_t base;
    uint32_t n;
    unsigned flags;              /* BH_CODE_*, set before decoding */
    uint8_t *words;              /* the raw words decoded: the image's, copied, as stores
                                    into text change them (bh_code_patch) */
    struct bh_tally_slot *tally; /* d[0..n]'s real ops when tallying, else NULL */
    struct bh_tally_slot *cu1;   /* BH_CODE_PRIV: the ops BH_DOP_CU1 slots guard (.u) */
};

/* Decode segment s into c (c->d gets n + 1 slots, superinstructions
 * chosen), as c->flags say.  0, or -1 with a message in err. */
int bh_code_decode(struct bh_code *c, const struct bh_segment *s, char *err, size_t errlen);
/* A store changed the word of slot i (< n) to w (SPIM lets a program
 * overwrite its text): slot i is decoded again, and the slots before it
 * that a superinstruction covering it may start at are decoded again
 * alone (unfused).  Returns the first slot rewritten: the caller threads
 * slots first..i again. */
uint32_t bh_code_patch(struct bh_code *c, uint32_t i, uint32_t w);

/* Tally mode (bh_vm_tally): decode c again one instruction per slot, each
 * slot's op kept in c->tally and replaced by BH_DOP_TALLY.  Once per
 * segment; 0, or -1 when out of memory. */
int bh_code_tally(struct bh_code *c);

#endif
