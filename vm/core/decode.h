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

/* The register that receives writes meant for $zero: the decoder remaps a
 * destination of 0 to it, so $zero stays 0 without a check per write. */
#define BH_REG_SINK 32

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

/* Decode segment s into c (c->d gets n + 1 slots, superinstructions
 * chosen).  0, or -1 with a message in err. */
int bh_code_decode(struct bh_code *c, const struct bh_segment *s, char *err, size_t errlen);

/* Tally mode (bh_vm_tally): decode c again one instruction per slot, each
 * slot's op kept in c->tally and replaced by BH_DOP_TALLY.  Once per
 * segment; 0, or -1 when out of memory. */
int bh_code_tally(struct bh_code *c);

#endif
