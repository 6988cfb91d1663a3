/* decode.c: the pre-decoder: turns a segment's text words into the core's
 * decoded form (decode.h): register fields and immediates extracted,
 * branch targets as slot offsets, then superinstructions chosen
 * (superinsn.def).  Runs once per segment when a VM is created, and again for
 * --stats (bh_code_tally). */
#include "core/decode.h"

#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "superinsn_match.h" /* generated from superinsn.def */

static uint8_t dst(uint32_t r) { return (uint8_t)(r ? r : BH_REG_SINK); }

/* The FCSR bit of condition code cc: 23 for cc 0, 24 + cc for the others. */
static uint8_t fcc_bitno(uint32_t cc) { return (uint8_t)(cc ? 24 + cc : 23); }

/* Does op use fd, fs or ft (bits 1, 2, 4) as a double?  An odd register
 * there has no double (FR=0): the op is the unimplemented operation. */
static unsigned fp_doubles(enum isa_op op)
{
    const struct isa_info *in = &isa_table[op];
    switch (op) {
    case ISA_CVT_D_S: case ISA_CVT_D_W: return 1;
    case ISA_LDC1: case ISA_SDC1: return 4;
    case ISA_CVT_S_D: case ISA_CVT_W_D: case ISA_ROUND_W_D: case ISA_TRUNC_W_D:
    case ISA_CEIL_W_D: case ISA_FLOOR_W_D: return 2;
    default: break;
    }
    if (in->cls != ISA_CLASS_COP1_D)
        return 0;
    if (in->fmt == F_CC_FS_FT)
        return 2 | 4;
    return in->fmt == F_FD_FS_FT ? 1 | 2 | 4 : 1 | 2;
}

/* Coprocessor 1's fields: fd is the sa field, fs the rd field, ft the rt
 * field.  FP registers are never remapped (no $zero among them). */
static uint32_t decode_fp(uint32_t w, enum isa_op op, struct bh_dinsn *d)
{
    unsigned dbl = fp_doubles(op);
    if (((dbl & 1) && (ISA_SA(w) & 1)) || ((dbl & 2) && (ISA_RD(w) & 1)) ||
        ((dbl & 4) && (ISA_RT(w) & 1)))
        return BH_DOP_FP_UNIMPL;
    switch (isa_table[op].fmt) {
    case F_FD_FS_FT: case F_FD_FS: case F_FD_FS_RT: case F_FD_FS_CC:
        d->rd = (uint8_t)ISA_SA(w);
        d->rs = (uint8_t)ISA_RD(w);
        d->sa = fcc_bitno(ISA_RT(w) >> 2); /* movf.fmt, movt.fmt */
        break;
    case F_CC_FS_FT:
        d->rs = (uint8_t)ISA_RD(w);
        d->sa = (uint8_t)(ISA_FUNCT(w) & 0xfu); /* the condition */
        d->imm = (int32_t)(1u << fcc_bitno(ISA_SA(w) >> 2));
        break;
    case F_RD_RS_CC: /* movf, movt: general registers */
        d->sa = fcc_bitno(ISA_RT(w) >> 2);
        break;
    case F_RT_FS:
        if (op == ISA_MFC1) {
            d->rd = dst(ISA_RT(w));
            d->rs = (uint8_t)ISA_RD(w);
        } else {
            d->rd = (uint8_t)ISA_RD(w);
        }
        break;
    case F_RT_FCR:
        d->rd = dst(ISA_RT(w));
        d->sa = (uint8_t)ISA_RD(w);
        break;
    default: /* F_FT_MEM: rs base, rt the FP register, imm the offset */
        break;
    }
    return op;
}

/* Decode the word at index i of a segment of n words at base.  Every
 * destination register goes to rd (remapped from $0 to the sink); rs and
 * rt stay sources.  Branch/jump targets become offsets in slots. */
static void decode(uint32_t w, uint32_t base, uint32_t i, uint32_t n, unsigned flags,
                   struct bh_dinsn *d)
{
    enum isa_op op = isa_decode(w);
    uint32_t op_out = op;
    /* The original tool's arithmetic: the trapping forms run as their
     * wrapping twins (same operands, same result bits, no Ov). */
    if (flags & BH_CODE_WRAP)
        op_out = op == ISA_ADD ? ISA_ADDU : op == ISA_SUB ? ISA_SUBU : op == ISA_ADDI ? ISA_ADDIU : op;
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
        d->imm = (int32_t)ISA_C0_SEL(w);
        break;
    case ISA_MTC0:
        d->sa = (uint8_t)ISA_RD(w);
        d->imm = (int32_t)ISA_C0_SEL(w);
        break;
    case ISA_CFC0:
        d->rd = dst(ISA_RT(w));
        d->sa = (uint8_t)ISA_RD(w); /* SPIM's control register */
        break;
    case ISA_CTC0:
        d->sa = (uint8_t)ISA_RD(w);
        break;
    case ISA_BEQ: case ISA_BNE: case ISA_BLEZ: case ISA_BGTZ:
    case ISA_BLTZ: case ISA_BGEZ: case ISA_BLTZAL: case ISA_BGEZAL:
    case ISA_BC1F: case ISA_BC1T: case ISA_BC1FL: case ISA_BC1TL: {
        if (isa_table[op].cls == ISA_CLASS_COP1_BC)
            d->sa = fcc_bitno(ISA_RT(w) >> 2);
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
    case ISA_INVALID:
        if (ISA_OPCODE(w) == ISA_OP_COP1)
            op_out = BH_DOP_FP_UNIMPL;
        break;
    default:
        switch (isa_table[op].cls) {
        case ISA_CLASS_COP1: case ISA_CLASS_COP1_S: case ISA_CLASS_COP1_D: case ISA_CLASS_COP1_W:
            op_out = decode_fp(w, op, d);
            break;
        default:
            if (op == ISA_MOVF || op == ISA_MOVT || op == ISA_LWC1 || op == ISA_SWC1 ||
                op == ISA_LDC1 || op == ISA_SDC1)
                op_out = decode_fp(w, op, d);
            break;
        }
        break;
    }
    d->u.op = op_out;
}

/* Superinstructions (superinsn.def), chosen in passes, each family by its
 * own rule; the matchers say which ops make which form. */
static void fuse(struct bh_code *c)
{
#ifdef BH_NO_FUSE
    return;
#endif
    struct bh_dinsn *d = c->d;
    /* An ALU op with the beq/bne after it. */
    for (uint32_t i = 0; i + 1 < c->n; i++) {
        uintptr_t f = bh_match_fused(d[i].u.op, d[i + 1].u.op);
        if (f)
            d[i].u.op = f;
    }
    /* Then runs over the ops as fused above (a quad or triple ends in a
     * fused pair), slot i rewritten only after slots i + 1 and i + 2 were
     * read: a quad first (it replaces the pair its first two ops would
     * form), then a pair, then a triple. */
    for (uint32_t i = 0; i + 1 < c->n; i++) {
        uintptr_t a = d[i].u.op, b = d[i + 1].u.op;
        uintptr_t f = i + 2 < c->n ? bh_match_quad(a, b, d[i + 2].u.op) : 0;
        if (!f)
            f = bh_match_pair(a, b);
        if (!f)
            f = bh_match_triple(a, b);
        if (f)
            d[i].u.op = f;
    }
}

/* Is w a coprocessor-1 instruction (MIPS32: CpU when Status.CU1 is 0)? */
static int is_cop1(uint32_t w)
{
    switch (ISA_OPCODE(w)) {
    case ISA_OP_COP1:
    case 0x31u: case 0x35u: case 0x39u: case 0x3du: /* lwc1, ldc1, swc1, sdc1 */
        return 1;
    case ISA_OP_SPECIAL:
        return ISA_FUNCT(w) == 0x01u; /* movf, movt */
    default:
        return 0;
    }
}

/* Decode slot i of c, under BH_CODE_PRIV a cop1 instruction behind its
 * guard (BH_DOP_CU1, the op in c->cu1[i]). */
static void decode_slot(struct bh_code *c, uint32_t i)
{
    uint32_t w = bh_get32(c->words + 4 * i);
    decode(w, c->base, i, c->n, c->flags, &c->d[i]);
    if (c->cu1 && is_cop1(w)) {
        c->cu1[i].u.op = c->d[i].u.op;
        c->d[i].u.op = BH_DOP_CU1;
    }
}

int bh_code_decode(struct bh_code *c, const struct bh_segment *s, char *err, size_t errlen)
{
    c->base = s->addr;
    c->n = s->size / 4;
    c->words = malloc((size_t)c->n * 4 + 1);
    c->d = calloc((size_t)c->n + 1, sizeof *c->d);
    if (!c->d || !c->words)
        return bh_errf(err, errlen, "out of memory decoding %u instructions", c->n);
    if (c->n)
        memcpy(c->words, s->bytes, (size_t)c->n * 4);
    if ((c->flags & BH_CODE_PRIV) && c->n && !(c->cu1 = calloc(c->n, sizeof *c->cu1)))
        return bh_errf(err, errlen, "out of memory decoding %u instructions", c->n);
    for (uint32_t i = 0; i < c->n; i++)
        decode_slot(c, i);
    c->d[c->n].u.op = BH_DOP_END;
    fuse(c);
    return 0;
}

/* Slot j's op into c->tally and BH_DOP_TALLY in its place. */
static void tally_slot(struct bh_code *c, uint32_t j)
{
    c->tally[j].u.op = c->d[j].u.op;
    c->tally[j].isa = (uint32_t)isa_decode(bh_get32(c->words + 4 * j));
    c->d[j].u.op = BH_DOP_TALLY;
}

/* A superinstruction runs at most BH_SUPER_MAX_RUN slots (superinsn.def's
 * quads), so the ones covering slot i start at i - 3 or later. */
#define BH_SUPER_MAX_RUN 4u

uint32_t bh_code_patch(struct bh_code *c, uint32_t i, uint32_t w)
{
    bh_put32(c->words + 4 * i, w);
    uint32_t first = i >= BH_SUPER_MAX_RUN - 1 ? i - (BH_SUPER_MAX_RUN - 1) : 0;
    for (uint32_t j = first; j <= i; j++) {
        decode_slot(c, j);
        if (c->tally)
            tally_slot(c, j);
    }
    return first;
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
        decode_slot(c, i);
        tally_slot(c, i);
    }
    return 0;
}
