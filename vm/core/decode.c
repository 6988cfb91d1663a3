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

/* Does op have a delay slot with delayed branches?  eret has none (as
 * MIPS32; SPIM runs the next word as its slot). */
static int has_slot(enum isa_op op)
{
    switch (op) {
    case ISA_BEQ: case ISA_BNE: case ISA_BLEZ: case ISA_BGTZ:
    case ISA_BLTZ: case ISA_BGEZ: case ISA_BLTZAL: case ISA_BGEZAL:
    case ISA_BEQL: case ISA_BNEL: case ISA_BLEZL: case ISA_BGTZL:
    case ISA_BLTZL: case ISA_BGEZL: case ISA_BLTZALL: case ISA_BGEZALL:
    case ISA_BC1F: case ISA_BC1T: case ISA_BC1FL: case ISA_BC1TL:
    case ISA_J: case ISA_JAL: case ISA_JR: case ISA_JALR:
        return 1;
    default:
        return 0;
    }
}

/* The index in the segment (0..n, n the end slot) of the target of the
 * branch or j/jal w at index i, or -1 when it is outside the segment. */
static int64_t target_index(uint32_t w, enum isa_op op, uint32_t base, uint32_t i, uint32_t n)
{
    if (op == ISA_J || op == ISA_JAL) {
        uint32_t pc = base + 4 * i;
        uint32_t target = ((pc + 4) & 0xf0000000u) | ISA_TARGET(w) << 2;
        uint64_t off = (uint64_t)target - base;
        return target < base || off / 4 > n ? -1 : (int64_t)(off / 4);
    }
    int64_t t = (int64_t)i + 1 + ISA_SIMM(w);
    return t < 0 || t > (int64_t)n ? -1 : t;
}

/* Decode the word at index i of a segment of n words at base.  Every
 * destination register goes to rd (remapped from $0 to the sink); rs and
 * rt stay sources.  Branch/jump targets become offsets in slots. */
static void decode(uint32_t w, uint32_t base, uint32_t i, uint32_t n, unsigned flags,
                   struct bh_dinsn *d)
{
    enum isa_op op = isa_decode(w);
    uint32_t op_out = op;
    /* with a delay slot, a link skips it */
    uint32_t link = flags & BH_CODE_DELAYED_BRANCHES ? 8u : 4u;
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
    case ISA_LB: case ISA_LH: case ISA_LWL: case ISA_LW: case ISA_LBU: case ISA_LHU: case ISA_LWR:
    case ISA_LL:
        /* delayed: into the latch; the pipeline knows the register */
        d->rd = flags & BH_CODE_DELAYED_LOADS ? BH_REG_LATCH : dst(ISA_RT(w));
        break;
    case ISA_ADDI: case ISA_ADDIU: case ISA_SLTI: case ISA_SLTIU: case ISA_SC:
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
    case ISA_BEQL: case ISA_BNEL: case ISA_BLEZL: case ISA_BGTZL:
    case ISA_BLTZL: case ISA_BGEZL: case ISA_BLTZALL: case ISA_BGEZALL:
    case ISA_BC1F: case ISA_BC1T: case ISA_BC1FL: case ISA_BC1TL: {
        int64_t t = target_index(w, op, base, i, n);
        if (isa_table[op].cls == ISA_CLASS_COP1_BC)
            d->sa = fcc_bitno(ISA_RT(w) >> 2);
        else
            d->sa = (uint8_t)link; /* bltzal, bgezal and their likely forms */
        if (t < 0)
            op_out = BH_DOP_BRANCH_FAR;
        d->imm = ISA_SIMM(w) * (int32_t)sizeof *d; /* from the next slot */
        if (op == ISA_BLTZAL || op == ISA_BGEZAL || op == ISA_BLTZALL || op == ISA_BGEZALL)
            d->rd = 31;
        break;
    }
    case ISA_J: case ISA_JAL: {
        int64_t t = target_index(w, op, base, i, n);
        if (t < 0)
            op_out = BH_DOP_JUMP_FAR;
        else
            d->imm = (int32_t)(t - (int64_t)i - 1) * (int32_t)sizeof *d;
        d->link = base + 4 * i + link;
        break;
    }
    case ISA_JR:
        if (flags & BH_CODE_DELAYED_BRANCHES)
            op_out = BH_DOP_JR_D;
        break;
    case ISA_JALR:
        if (flags & BH_CODE_DELAYED_BRANCHES)
            op_out = BH_DOP_JALR_D;
        break;
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
            if (op == ISA_LWC1 && (flags & BH_CODE_DELAYED_LOADS))
                d->rt = BH_FREG_LATCH;
            break;
        }
        break;
    }
    d->u.op = op_out;
}

/* Where a delayed load's value goes (bh_tally_slot.load_to): SPIM delays
 * the integer loads and lwc1 (not ldc1). */
static uint32_t load_to(uint32_t w)
{
    switch (isa_decode(w)) {
    case ISA_LB: case ISA_LH: case ISA_LWL: case ISA_LW: case ISA_LBU: case ISA_LHU: case ISA_LWR:
    case ISA_LL:
        return dst(ISA_RT(w));
    case ISA_LWC1:
        return BH_LOAD_TO_FPR + ISA_RT(w);
    default:
        return 0;
    }
}

/* Superinstructions (superinsn.def), chosen in passes, each family by its
 * own rule; the matchers say which ops make which form. */
/* The op of a trampoline's copy of a delay slot, op, followed by the
 * continue op cont: the two fused (decode.h, BH_SLOT_OPS), or 0. */
static uintptr_t match_slot_cont(uintptr_t op, uintptr_t cont)
{
    switch (op) {
#define X_SLOT_MATCH(name, plain)                                                                  \
    case plain:                                                                                    \
        return cont == BH_DOP_CONT ? BH_DOP_SLOT_##name : BH_DOP_SLOTR_##name;
        BH_SLOT_OPS(X_SLOT_MATCH)
#undef X_SLOT_MATCH
    default:
        return 0;
    }
}

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
    /* A delay slot's copy and the continue op after it (the copies of
     * branches in slots go on to the next copy: they stay). */
    for (uint32_t k = 0; k + 1 < c->ntramp; k++) {
        uint32_t p = BH_CODE_TRAMP(c) + k;
        uint32_t kind = c->tramp[k + 1].kind;
        uintptr_t f = c->tramp[k].kind == BH_TRAMP_SLOT && (kind == BH_TRAMP_CONT || kind == BH_TRAMP_CONT_REG)
                          ? match_slot_cont(d[p].u.op, d[p + 1].u.op)
                          : 0;
        if (f)
            d[p].u.op = f;
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

/* Decode word i of c into slot p (i itself, or a trampoline's copy),
 * under BH_CODE_PRIV a cop1 instruction behind its guard (BH_DOP_CU1, the
 * op in c->cu1[p]). */
static void decode_slot(struct bh_code *c, uint32_t p, uint32_t i)
{
    uint32_t w = bh_get32(c->words + 4 * i);
    decode(w, c->base, i, c->n, c->flags, &c->d[p]);
    if (c->cu1 && is_cop1(w)) {
        c->cu1[p].u.op = c->d[p].u.op;
        c->d[p].u.op = BH_DOP_CU1;
    }
}

/* The op slot p runs: its own, or the one its cop1 guard keeps. */
static uintptr_t *slot_op(struct bh_code *c, uint32_t p)
{
    return c->d[p].u.op == BH_DOP_CU1 ? &c->cu1[p].u.op : &c->d[p].u.op;
}

/* How many branches in a row, each in the delay slot of the one before,
 * follow SPIM (below); a deeper one's own slot is skipped. */
#define BH_SLOT_NEST 4u

/* The branches after the one at j, each in the slot of the one before
 * (up to BH_SLOT_NEST): its trampoline holds one copy and continue op
 * per branch of the chain, plus the last slot's. */
static uint32_t chain(const struct bh_code *c, uint32_t j)
{
    uint32_t k = 0;
    while (k < BH_SLOT_NEST && j + 1 + k < c->n && has_slot(isa_decode(bh_get32(c->words + 4 * (j + 1 + k)))))
        k++;
    return k;
}

/* A branch copied into a trampoline (a branch in a delay slot): as SPIM,
 * taken, it runs its own slot and then the outer branch's target wins;
 * not taken, its slot does not run (nor is it skipped: the outer target
 * follows at once).  So its taken form goes on to the next copy of the
 * chain, whatever its own target, and likely forms act as the plain ones. */
static void as_slot_branch(uintptr_t *slot, uint32_t w)
{
    enum isa_op op = isa_decode(w);
    switch (op) {
    case ISA_BEQL: op = ISA_BEQ; break;
    case ISA_BNEL: op = ISA_BNE; break;
    case ISA_BLEZL: op = ISA_BLEZ; break;
    case ISA_BGTZL: op = ISA_BGTZ; break;
    case ISA_BLTZL: op = ISA_BLTZ; break;
    case ISA_BGEZL: op = ISA_BGEZ; break;
    case ISA_BLTZALL: op = ISA_BLTZAL; break;
    case ISA_BGEZALL: op = ISA_BGEZAL; break;
    case ISA_BC1FL: op = ISA_BC1F; break;
    case ISA_BC1TL: op = ISA_BC1T; break;
    case ISA_JR: op = ISA_J; break;
    default: break;
    }
    *slot = op == ISA_JALR ? (uintptr_t)BH_DOP_LINK_J : (uintptr_t)op;
}

/* The trampolines of delayed branches (decode.h, "Delay slots"): for
 * each branch or jump at j, from d[BH_CODE_TRAMP(c)] on, a copy of its
 * slot and a continue op to its target, one such pair more per branch of
 * its chain; the branch itself pointed at its trampoline. */
static void link_trampolines(struct bh_code *c)
{
    const int32_t sz = (int32_t)sizeof *c->d;
    uint32_t n = c->n, k = BH_CODE_TRAMP(c);
    for (uint32_t j = 0; j < n; j++) {
        uint32_t w = bh_get32(c->words + 4 * j);
        enum isa_op op = isa_decode(w);
        if (!has_slot(op))
            continue;
        int64_t t = op == ISA_JR || op == ISA_JALR ? -1 : target_index(w, op, c->base, j, n);
        uint32_t depth = chain(c, j);
        c->d[j].imm = (int32_t)(k - j - 1) * sz;
        for (uint32_t e = 0; e <= depth; e++, k += 2) {
            uint32_t s = j + 1 + e, copy = k, cont = k + 1;
            c->tramp[copy - BH_CODE_TRAMP(c)] = (struct bh_tramp){BH_TRAMP_SLOT, s, c->base + 4 * s};
            if (s < n) {
                uint32_t ws = bh_get32(c->words + 4 * s);
                decode_slot(c, copy, s);
                if (has_slot(isa_decode(ws))) {
                    as_slot_branch(slot_op(c, copy), ws);
                    /* on to the next copy; past the depth, to the continue op */
                    c->d[copy].imm = e < depth ? sz : 0;
                }
            } else {
                c->d[copy].u.op = BH_DOP_END;
            }
            if (t < 0) {
                c->d[cont].u.op = BH_DOP_CONT_REG;
                c->tramp[cont - BH_CODE_TRAMP(c)] = (struct bh_tramp){BH_TRAMP_CONT_REG, j, 0};
            } else {
                c->d[cont].u.op = BH_DOP_CONT;
                c->d[cont].imm = (int32_t)(t - (int64_t)cont) * sz;
                c->tramp[cont - BH_CODE_TRAMP(c)] =
                    (struct bh_tramp){BH_TRAMP_CONT, j, c->base + 4 * (uint32_t)t};
            }
        }
    }
}

/* Every slot decoded alone: the words, the end slots, the trampolines. */
static void decode_slots(struct bh_code *c)
{
    for (uint32_t i = 0; i < c->n; i++)
        decode_slot(c, i, i);
    c->d[c->n].u.op = BH_DOP_END;
    c->d[c->n + 1].u.op = BH_DOP_END;
    if (c->flags & BH_CODE_DELAYED_BRANCHES)
        link_trampolines(c);
}

/* Wrap slot p, a decoded copy of word src, in op: its own op kept in
 * c->tally. */
static void wrap_slot(struct bh_code *c, uint32_t p, uint32_t src, uintptr_t op)
{
    uint32_t w = bh_get32(c->words + 4 * src);
    c->tally[p].u.op = c->d[p].u.op;
    c->tally[p].isa = (uint32_t)isa_decode(w);
    c->tally[p].load_to = load_to(w);
    c->d[p].u.op = op;
}

/* Wrap every slot that is an instruction in op (BH_DOP_TALLY or
 * BH_DOP_PIPE), its own op kept in c->tally. */
static int wrap(struct bh_code *c, uintptr_t op)
{
    uint32_t total = BH_CODE_SLOTS(c), t0 = BH_CODE_TRAMP(c);
    c->tally = calloc(total, sizeof *c->tally);
    if (!c->tally)
        return -1;
    for (uint32_t p = 0; p < total; p++) {
        uint32_t src = p < c->n                                              ? p
                       : p >= t0 && c->tramp[p - t0].kind == BH_TRAMP_SLOT ? c->tramp[p - t0].src
                                                                             : c->n;
        c->tally[p].isa = ISA_COUNT;
        if (src < c->n)
            wrap_slot(c, p, src, op);
    }
    return 0;
}

int bh_code_decode(struct bh_code *c, const struct bh_segment *s, char *err, size_t errlen)
{
    c->base = s->addr;
    c->n = s->size / 4;
    c->words = malloc((size_t)c->n * 4 + 1);
    if (!c->words)
        return bh_errf(err, errlen, "out of memory decoding %u instructions", c->n);
    if (c->n)
        memcpy(c->words, s->bytes, (size_t)c->n * 4);
    c->ntramp = 0;
    for (uint32_t i = 0; (c->flags & BH_CODE_DELAYED_BRANCHES) && i < c->n; i++)
        if (has_slot(isa_decode(bh_get32(c->words + 4 * i))))
            c->ntramp += 2 * (1 + chain(c, i));
    uint64_t total = (uint64_t)c->n + 2 + c->ntramp;
    if (c->ntramp && total * sizeof *c->d > INT32_MAX)
        return bh_errf(err, errlen, "%u instructions are too many to decode with delay slots", c->n);
    c->d = calloc((size_t)total, sizeof *c->d);
    c->tramp = c->ntramp ? calloc(c->ntramp, sizeof *c->tramp) : NULL;
    if ((c->flags & BH_CODE_PRIV) && c->d)
        c->cu1 = calloc((size_t)total, sizeof *c->cu1);
    if (!c->d || (c->ntramp && !c->tramp) || ((c->flags & BH_CODE_PRIV) && !c->cu1))
        return bh_errf(err, errlen, "out of memory decoding %u instructions", c->n);
    decode_slots(c);
    /* Delayed loads run every instruction through the pipeline, one per
     * slot: no superinstructions then. */
    if (c->flags & BH_CODE_DELAYED_LOADS)
        return wrap(c, BH_DOP_PIPE) ? bh_errf(err, errlen, "out of memory decoding %u instructions", c->n) : 0;
    fuse(c);
    return 0;
}

/* Tally mode: each slot decoded alone (no superinstruction, so each
 * dispatch is one instruction) and preceded by BH_DOP_TALLY.  Slots
 * already wrapped for delayed loads count in BH_DOP_PIPE. */
int bh_code_tally(struct bh_code *c)
{
    if (c->tally || !c->n)
        return 0;
    decode_slots(c);
    return wrap(c, BH_DOP_TALLY) ? -1 : 1;
}

/* Slot p decoded again from word src, as bh_code_decode left it: a
 * branch keeps its link to its trampoline (or, as a copy in one, to the
 * next copy), a branch copied into a trampoline runs as a slot's branch,
 * and a wrapped code (tally or delayed loads) wraps it again. */
static void redecode(struct bh_code *c, uint32_t p, uint32_t src)
{
    uint32_t w = bh_get32(c->words + 4 * src);
    int32_t link = c->d[p].imm;
    decode_slot(c, p, src);
    if ((c->flags & BH_CODE_DELAYED_BRANCHES) && has_slot(isa_decode(w))) {
        if (p >= BH_CODE_TRAMP(c))
            as_slot_branch(slot_op(c, p), w);
        c->d[p].imm = link;
    }
    if (c->tally)
        wrap_slot(c, p, src, c->flags & BH_CODE_DELAYED_LOADS ? BH_DOP_PIPE : BH_DOP_TALLY);
}

/* A superinstruction runs at most BH_SUPER_MAX_RUN slots (superinsn.def's
 * quads), so the ones covering slot i start at i - 3 or later. */
#define BH_SUPER_MAX_RUN 4u

void bh_code_patch(struct bh_code *c, uint32_t i, uint32_t w)
{
    bh_put32(c->words + 4 * i, w);
    uint32_t back = c->tally ? 0 : BH_SUPER_MAX_RUN - 1; /* wrapped: nothing is fused */
    uint32_t first = i >= back ? i - back : 0;
    for (uint32_t j = first; j <= i; j++)
        redecode(c, j, j);
    for (uint32_t k = 0; k < c->ntramp; k++) /* the copies of word i in delay slots */
        if (c->tramp[k].kind == BH_TRAMP_SLOT && c->tramp[k].src == i)
            redecode(c, BH_CODE_TRAMP(c) + k, i);
}
