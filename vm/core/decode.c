/* decode.c: the pre-decoder: turns a segment's text words into the core's
 * decoded form (decode.h): register fields and immediates extracted,
 * branch targets as slot offsets, then superinstructions chosen (fuse,
 * pair).  Runs once per segment when a VM is created, and again for
 * --stats (bh_code_tally). */
#include "core/decode.h"

#include <stdlib.h>
#include <string.h>

#include "bh_util.h"

static uint8_t dst(uint32_t r) { return (uint8_t)(r ? r : BH_REG_SINK); }

/* Decode the word at index i of a segment of n words at base.  Every
 * destination register goes to rd (remapped from $0 to the sink); rs and
 * rt stay sources.  Branch/jump targets become offsets in slots. */
static void decode(uint32_t w, uint32_t base, uint32_t i, uint32_t n, struct bh_dinsn *d)
{
    enum isa_op op = isa_decode(w);
    uint32_t op_out = op;
    memset(d, 0, sizeof *d);
    d->rs = (uint8_t)ISA_RS(w);
    d->rt = (uint8_t)ISA_RT(w);
    d->rd = dst(ISA_RD(w));
    d->sa = (uint8_t)ISA_SA(w);
    d->imm = ISA_SIMM(w);
    switch (op) {
    case ISA_SLL:
        if (ISA_RD(w) == 0)
            op_out = BH_DOP_NOP;
        break;
    case ISA_ADDI: case ISA_ADDIU: case ISA_SLTI: case ISA_SLTIU:
    case ISA_LB: case ISA_LH: case ISA_LWL: case ISA_LW: case ISA_LBU: case ISA_LHU: case ISA_LWR:
    case ISA_LL: case ISA_SC:
        d->rd = dst(ISA_RT(w));
        break;
    case ISA_ANDI: case ISA_ORI: case ISA_XORI:
        d->rd = dst(ISA_RT(w));
        d->imm = (int32_t)ISA_IMM(w);
        break;
    case ISA_LUI:
        d->rd = dst(ISA_RT(w));
        d->imm = (int32_t)(ISA_IMM(w) << 16);
        break;
    case ISA_MFC0:
        d->rd = dst(ISA_RT(w));
        d->sa = (uint8_t)ISA_RD(w); /* the cp0 register */
        break;
    case ISA_MTC0:
        d->sa = (uint8_t)ISA_RD(w);
        break;
    case ISA_BEQ: case ISA_BNE: case ISA_BLEZ: case ISA_BGTZ:
    case ISA_BLTZ: case ISA_BGEZ: case ISA_BLTZAL: case ISA_BGEZAL: {
        int64_t t = (int64_t)i + 1 + ISA_SIMM(w);
        if (t < 0 || t > (int64_t)n)
            op_out = BH_DOP_BRANCH_FAR;
        d->imm = (int32_t)(t - (int64_t)i - 1) * (int32_t)sizeof *d; /* from the next slot */
        if (op == ISA_BLTZAL || op == ISA_BGEZAL)
            d->rd = 31;
        break;
    }
    case ISA_J: case ISA_JAL: {
        uint32_t pc = base + 4 * i;
        uint32_t target = ((pc + 4) & 0xf0000000u) | ISA_TARGET(w) << 2;
        uint64_t off = (uint64_t)target - base;
        if (target < base || off / 4 > n)
            op_out = BH_DOP_JUMP_FAR;
        else
            d->imm = (int32_t)((int64_t)(off / 4) - (int64_t)i - 1) * (int32_t)sizeof *d;
        d->link = pc + 4;
        break;
    }
    case ISA_BREAK:
        d->imm = (int32_t)ISA_CODE(w);
        break;
    case ISA_SNAPSHOT: case ISA_DUMP_PROCESSOR_STATE:
        d->imm = (int32_t)ISA_IMM(w);
        break;
    default:
        break;
    }
    d->u.op = op_out;
}

/* Is op a plain ALU op of BH_FUSE_LIST? */
static int fusable(uintptr_t op)
{
    switch (op) {
#define X_FUSABLE(o) case ISA_##o:
        BH_FUSE_LIST(X_FUSABLE)
#undef X_FUSABLE
        return 1;
    default:
        return 0;
    }
}

/* Pair ALU ops with the beq/bne after them (BH_FUSE_LIST). */
static void fuse(struct bh_code *c)
{
#ifdef BH_NO_FUSE
    return;
#endif
    /* Skip-one and skip-two branches first: they look at the plain ops
     * after them. */
    for (uint32_t i = 0; i + 2 < c->n; i++) {
        uintptr_t br = c->d[i].u.op;
        if ((br != ISA_BEQ && br != ISA_BNE) || c->d[i].imm != 2 * (int32_t)sizeof *c->d)
            continue;
        /* Where an ALU op computes the condition just before, fusing the
         * two (below) is kept: skip-two is for conditions loaded or
         * computed earlier (the sieve's lbu; beq). */
        if (i > 0 && fusable(c->d[i - 1].u.op))
            continue;
        int bne = br == ISA_BNE;
        uintptr_t a = c->d[i + 1].u.op, b = c->d[i + 2].u.op;
#define X_SKIP2_CASE(x, y)                                                                         \
    if (a == ISA_##x && b == ISA_##y)                                                              \
        c->d[i].u.op = bne ? BH_DOP_BNE_SKIP2_##x##_##y : BH_DOP_BEQ_SKIP2_##x##_##y;
#define X_SKIP2_ROW(x) BH_SKIP_LIST2(X_SKIP2_CASE, x)
        BH_SKIP_LIST(X_SKIP2_ROW)
#undef X_SKIP2_ROW
#undef X_SKIP2_CASE
    }
    for (uint32_t i = 0; i + 1 < c->n; i++) {
        uintptr_t br = c->d[i].u.op;
        if ((br != ISA_BEQ && br != ISA_BNE) || c->d[i].imm != (int32_t)sizeof *c->d)
            continue;
        int bne = br == ISA_BNE;
        switch (c->d[i + 1].u.op) {
#define X_SKIP_CASE(o)                                                                             \
    case ISA_##o:                                                                                  \
        c->d[i].u.op = bne ? BH_DOP_BNE_SKIP_##o : BH_DOP_BEQ_SKIP_##o;                            \
        break;
            BH_SKIP_LIST(X_SKIP_CASE)
#undef X_SKIP_CASE
        default:
            break;
        }
    }
    for (uint32_t i = 0; i + 1 < c->n; i++) {
        /* Not onto skip-one forms: those never take a host branch, which
         * beats saving a dispatch when the guest branch is unpredictable. */
        uintptr_t br = c->d[i + 1].u.op;
        if (br != ISA_BEQ && br != ISA_BNE)
            continue;
        int bne = br == ISA_BNE;
        switch (c->d[i].u.op) {
#define X_FUSE_CASE(o)                                                                             \
    case ISA_##o:                                                                                  \
        c->d[i].u.op = bne ? BH_DOP_##o##_BNE : BH_DOP_##o##_BEQ;                                  \
        break;
            BH_FUSE_LIST(X_FUSE_CASE)
#undef X_FUSE_CASE
        default:
            break;
        }
    }
}

/* The position of a plain op in BH_PAIR_FIRST, or -1. */
static int pair_k(uintptr_t op)
{
    switch (op) {
#define X_PK_CASE(o)                                                                               \
    case ISA_##o:                                                                                  \
        return BH_PK_##o;
        BH_PAIR_FIRST(X_PK_CASE)
#undef X_PK_CASE
    default:
        return -1;
    }
}

_Static_assert(BH_FK_ADDIU == 0, "pair() takes BH_DOP_ADDIU_BEQ as the first fused op");

/* The position of a plain op in BH_TRIPLE_FIRST, or -1. */
static int triple_k(uintptr_t op)
{
    switch (op) {
#define X_TK_CASE(o)                                                                               \
    case ISA_##o:                                                                                  \
        return BH_TK_##o;
        BH_TRIPLE_FIRST(X_TK_CASE)
#undef X_TK_CASE
    default:
        return -1;
    }
}

/* The position of a plain op in BH_QUAD_FIRST, or -1. */
static int quad_k(uintptr_t op)
{
    switch (op) {
#define X_QK_CASE(o)                                                                               \
    case ISA_##o:                                                                                  \
        return BH_QK_##o;
        BH_QUAD_FIRST(X_QK_CASE)
#undef X_QK_CASE
    default:
        return -1;
    }
}

/* The position of a plain op in BH_QUAD_SECOND, or -1. */
static int quad2_k(uintptr_t op)
{
    switch (op) {
#define X_Q2K_CASE(o)                                                                              \
    case ISA_##o:                                                                                  \
        return BH_Q2K_##o;
        BH_QUAD_SECOND1(X_Q2K_CASE)
#undef X_Q2K_CASE
    default:
        return -1;
    }
}

static int is_fused(uintptr_t op)
{
    return op >= BH_DOP_ADDIU_BEQ && op < BH_DOP_ADDIU_BEQ + 2 * BH_FK_COUNT;
}

/* Pair adjacent plain ops of BH_PAIR_FIRST (after fuse(), which has
 * priority: an ALU op fused with its branch is no longer plain).  Pairs
 * overlap: each slot pairs with the next by the ops the loader decoded, so
 * a jump to any slot still runs pairs. */
static void pair(struct bh_code *c)
{
#ifdef BH_NO_FUSE
    return;
#endif
    if (c->n < 2)
        return;
    int next = pair_k(c->d[0].u.op);
    for (uint32_t i = 0; i + 1 < c->n; i++) {
        int k1 = next;
        next = pair_k(c->d[i + 1].u.op); /* read before slot i+1 is rewritten */
        uintptr_t op2 = c->d[i + 1].u.op;
        int t = triple_k(c->d[i].u.op);
        int q1 = quad_k(c->d[i].u.op), q2 = quad2_k(op2);
        if (q1 >= 0 && q2 >= 0 && i + 2 < c->n && is_fused(c->d[i + 2].u.op))
            /* slot i+2 holds a fused op (never rewritten here) */
            c->d[i].u.op = (uintptr_t)BH_DOP_QUADS_BEGIN +
                           (uintptr_t)(q1 * BH_Q2K_COUNT + q2) * 2 * BH_FK_COUNT +
                           (c->d[i + 2].u.op - BH_DOP_ADDIU_BEQ);
        else if (k1 >= 0 && next >= 0)
            c->d[i].u.op = (uintptr_t)BH_DOP_PAIRS_BEGIN + (uintptr_t)(k1 * BH_PK_COUNT + next);
        else if (t >= 0 && is_fused(op2))
            /* a fused pair follows: the triple's index continues its order
             * (BH_DOP_ADDIU_BEQ is the first fused op: BH_FK_ADDIU == 0) */
            c->d[i].u.op = (uintptr_t)BH_DOP_TRIPLES_BEGIN +
                           (uintptr_t)t * 2 * BH_FK_COUNT + (op2 - BH_DOP_ADDIU_BEQ);
    }
}

int bh_code_decode(struct bh_code *c, const struct bh_segment *s, char *err, size_t errlen)
{
    c->base = s->addr;
    c->n = s->size / 4;
    c->words = s->bytes;
    c->d = calloc((size_t)c->n + 1, sizeof *c->d);
    if (!c->d)
        return bh_errf(err, errlen, "out of memory decoding %u instructions", c->n);
    for (uint32_t i = 0; i < c->n; i++)
        decode(bh_get32(s->bytes + 4 * i), c->base, i, c->n, &c->d[i]);
    c->d[c->n].u.op = BH_DOP_END;
    fuse(c);
    pair(c);
    return 0;
}

/* Tally mode: each slot decoded alone (no superinstruction, so each
 * dispatch is one instruction) and preceded by BH_DOP_TALLY. */
int bh_code_tally(struct bh_code *c)
{
    if (c->tally || !c->n)
        return 0;
    c->tally = calloc(c->n, sizeof *c->tally);
    if (!c->tally)
        return -1;
    for (uint32_t i = 0; i < c->n; i++) {
        uint32_t w = bh_get32(c->words + 4 * i);
        decode(w, c->base, i, c->n, &c->d[i]);
        c->tally[i].u.op = c->d[i].u.op;
        c->tally[i].isa = (uint32_t)isa_decode(w);
        c->d[i].u.op = BH_DOP_TALLY;
    }
    return 0;
}
