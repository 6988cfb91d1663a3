/* expand.c: one instruction statement -> machine words.
 *
 * Machine instructions are encoded from their isa.h operand format; the
 * extended forms SPIM accepts (an immediate where a register belongs, a
 * 32-bit immediate, a label as an address) and the pseudo-instructions
 * expand into several words, as SPIM 8.0 expands them (checked with
 * tests/asm/spim_words.sh).  One difference: SPIM encodes the offsets of
 * the branches inside its expansions relative to the branch itself (its
 * non-delayed mode); we encode MIPS's PC+4-relative offsets throughout.
 *
 * The size of an expansion depends only on the operand kinds and on the
 * values of constants, never on a label's value (a label always takes the
 * long lui form), so pass 1 and pass 2 agree by construction.
 *
 * In bare mode (BH_ASM_BARE, SPIM's -bare) the pseudo-instructions are
 * refused, and so is every form that would build a 32-bit value with lui.
 * A refused statement emits nothing or its usual expansion, decided by its
 * operands alone, so both passes still agree; its error stops the run.
 * The short extended forms SPIM's bare machine keeps (an immediate that
 * fits 16 bits in place of a register, the three-operand div) stay.
 */
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"
#include "isa.h"

#define AT 1

/* ---- emitting ----------------------------------------------------------- */

/* Does this word write $at?  Only asked of words the statement did not
 * spell out with $at itself, so a yes means an expansion clobbers it. */
static void note_at_write(struct asm_ctx *c, enum isa_op op, int dest)
{
    if (dest != AT || c->pass != 2 || c->stmt_names_at || c->at_pseudo)
        return;
    switch (isa_table[op].fmt) {
    case F_RD_RS_RT: case F_RD_RT_RS: case F_RD_RT_SA: case F_RD_RS: case F_RD:
    case F_RT_RS_SIMM: case F_RT_RS_UIMM: case F_RT_UIMM:
        c->at_pseudo = c->cur;
        break;
    case F_RT_MEM:
        if (op == ISA_LB || op == ISA_LBU || op == ISA_LH || op == ISA_LHU || op == ISA_LW ||
            op == ISA_LWL || op == ISA_LWR || op == ISA_LL)
            c->at_pseudo = c->cur;
        break;
    default:
        break;
    }
}

static void e_r(struct asm_ctx *c, enum isa_op op, int rd, int rs, int rt, int sa)
{
    note_at_write(c, op, rd);
    struct isa_fields f = {.rs = (uint32_t)rs, .rt = (uint32_t)rt, .rd = (uint32_t)rd,
                           .sa = (uint32_t)sa};
    asm_emit_word(c, isa_encode(op, &f));
}

static void e_i(struct asm_ctx *c, enum isa_op op, int rt, int rs, uint32_t imm)
{
    note_at_write(c, op, rt);
    struct isa_fields f = {.rs = (uint32_t)rs, .rt = (uint32_t)rt, .imm = imm & 0xffffu};
    asm_emit_word(c, isa_encode(op, &f));
}

/* A coprocessor-1 register form: fd in sa, fs in rd, ft (or a general rt,
 * or cc << 2 for movf.fmt) in rt; cc << 2 in sa for the compares. */
static void e_fp(struct asm_ctx *c, enum isa_op op, int fd, int fs, int ft, int cc_sa)
{
    struct isa_fields f = {.rt = (uint32_t)ft, .rd = (uint32_t)fs,
                           .sa = (uint32_t)(isa_table[op].fmt == F_CC_FS_FT ? cc_sa : fd)};
    asm_emit_word(c, isa_encode(op, &f));
}

/* mfc1/mtc1/cfc1/ctc1 rt, fs: fs is the rd field. */
static void e_fp_move(struct asm_ctx *c, enum isa_op op, int rt, int fs)
{
    asm_emit_word(c, isa_encode(op, &(struct isa_fields){.rt = (uint32_t)rt, .rd = (uint32_t)fs}));
}

static uint32_t cur_pc(const struct asm_ctx *c)
{
    return (c->segs[c->seg].pc + 3u) & ~3u;
}

/* A branch with a fixed offset inside an expansion (in words, from PC+4). */
static void e_skip(struct asm_ctx *c, enum isa_op op, int rs, int rt, int words)
{
    e_i(c, op, rt, rs, (uint32_t)words);
}

static void e_branch(struct asm_ctx *c, enum isa_op op, int rs, int rt, const struct asm_opnd *t)
{
    uint32_t pc = cur_pc(c), target = 0;
    int32_t off = 0;
    if (c->pass == 2 && !asm_eval(c, &t->e, t->col, &target)) {
        if (target % 4)
            ERR(c, t->col, "branch target 0x%08x is not a multiple of 4", target);
        int64_t d = ((int64_t)target - (int64_t)pc - 4) / 4;
        if (d < -32768 || d > 32767)
            ERR(c, t->col,
                "branch target too far: %lld instructions away (a branch reaches -32768 to 32767; use j)",
                (long long)d);
        off = (int32_t)d;
    }
    e_i(c, op, rt, rs, (uint32_t)off);
}

/* ---- operands ----------------------------------------------------------- */

static int is_reg(const struct asm_opnd *o)
{
    return o->kind == OPND_REG;
}

static int is_imm(const struct asm_opnd *o)
{
    return o->kind == OPND_EXPR && !o->has_count;
}

static int fits_s16(int64_t v)
{
    return v >= -32768 && v <= 32767;
}

static int fits_u16(int64_t v)
{
    return v >= 0 && v <= 0xffff;
}

/* The value of an immediate operand (0 in pass 1 for labels). */
static uint32_t imm_value(struct asm_ctx *c, const struct asm_opnd *o)
{
    uint32_t v = (uint32_t)o->e.val;
    if (o->e.sym && (c->pass == 2 || asm_sym_known(c, &o->e)))
        asm_eval(c, &o->e, o->col, &v);
    return v;
}

/* Note $at written by hand.  SPIM refuses it without .set noat, MARS
 * accepts it, and the original tool's programs use $1 as an ordinary
 * register: it is only a problem when an expansion also writes $at, so
 * asm_at_report warns at the end, when both happened.  The bare machine
 * gives $at to the program (SPIM's -bare): no warning there. */
static void check_at(struct asm_ctx *c, const struct asm_stmt *s)
{
    c->stmt_names_at = 0;
    for (int i = 0; i < s->nops; i++)
        if ((s->ops[i].kind == OPND_REG || (s->ops[i].kind == OPND_MEM && s->ops[i].base_name == NULL)) &&
            s->ops[i].reg == AT) {
            c->stmt_names_at = 1;
            if (!c->noat && !(c->flags & BH_ASM_BARE) && c->pass == 2 && !c->at_hand) {
                c->at_hand = s;
                c->at_hand_col = s->ops[i].col;
            }
            return;
        }
}

void asm_at_report(struct asm_ctx *c)
{
    if (!c->at_hand || !c->at_pseudo)
        return;
    asm_warning(c, c->at_hand->file, c->at_hand->line, c->at_hand_col,
                "'$at' is used without '.set noat', and pseudo-instructions write it too");
    asm_note(c, c->at_pseudo->file, c->at_pseudo->line, c->at_pseudo->col,
             "'%s' here expands through $at", c->at_pseudo->name);
}

/* Load a 32-bit value into register rd with SPIM's sizes: one instruction
 * when it fits (ori for 0..0xffff, lui when the low half is 0), else lui +
 * ori; a label always takes the two-word form.  SPIM builds the upper half
 * in $at; we build it in rd itself (same words, same addresses), so li and
 * la never clobber $at, which the original tool's programs use as $1. */
static void load_imm(struct asm_ctx *c, int rd, uint32_t v, int is_sym)
{
    if (!is_sym && (v >> 16) == 0) {
        e_i(c, ISA_ORI, rd, 0, v);
    } else if (!is_sym && (v & 0xffffu) == 0) {
        e_i(c, ISA_LUI, rd, 0, v >> 16);
    } else {
        int tmp = rd ? rd : AT;
        e_i(c, ISA_LUI, tmp, 0, v >> 16);
        e_i(c, ISA_ORI, rd, tmp, v & 0xffffu);
    }
}

/* The bare machine builds no 32-bit value: an immediate operand that
 * needs lui (a label, or a number beyond 0..0xffff) is an error there. */
static void bare_wide(struct asm_ctx *c, const struct asm_opnd *o, uint32_t v, int is_sym)
{
    if (!(c->flags & BH_ASM_BARE) || (!is_sym && (v >> 16) == 0))
        return;
    if (o->e.sym)
        ERR(c, o->col,
            "'%s' as an immediate needs 32 bits (lui and ori): the bare machine (--bare) has "
            "16-bit immediates only",
            o->e.sym);
    else
        ERR(c, o->col,
            "immediate %lld needs 32 bits here (lui and ori): the bare machine (--bare) has "
            "16-bit immediates only",
            (long long)o->e.val);
}

static void load_opnd(struct asm_ctx *c, int rd, const struct asm_opnd *o)
{
    uint32_t v = imm_value(c, o);
    int is_sym = !asm_sym_known(c, &o->e);
    bare_wide(c, o, v, is_sym);
    load_imm(c, rd, v, is_sym);
}

/* A memory operand as base register + 16-bit offset, emitting lui $at
 * (and addu $at, $at, base) first when the address needs 32 bits.  extra
 * is the largest offset the caller adds (ulw: 3, ld: 4). */
static int mem_operand(struct asm_ctx *c, const struct asm_opnd *o, int extra, int *base,
                       int32_t *off)
{
    int reg = 0;
    if (o->kind == OPND_MEM) {
        if (o->base_name) {
            ERR(c, o->col, "'%s' is not a register", o->base_name);
            return -1;
        }
        reg = o->reg;
    } else if (!is_imm(o)) {
        return -1;
    }
    int64_t v = o->e.val;
    if (!o->e.sym && fits_s16(v) && fits_s16(v + extra)) {
        *base = reg;
        *off = (int32_t)v;
        return 0;
    }
    uint32_t a = imm_value(c, o);
    if (c->flags & BH_ASM_BARE) {
        if (o->e.sym)
            ERR(c, o->col,
                "the address of '%s' needs 32 bits (lui first): the bare machine (--bare) takes "
                "offset(register) with a 16-bit offset only",
                o->e.sym);
        else
            ERR(c, o->col,
                "address %lld needs 32 bits (lui first): the bare machine (--bare) takes 16-bit "
                "offsets only (-32768 to 32767)",
                (long long)v);
    }
    uint32_t hi = (a + 0x8000u) >> 16; /* the low half is sign-extended */
    e_i(c, ISA_LUI, AT, 0, hi);
    if (reg)
        e_r(c, ISA_ADDU, AT, AT, reg, 0);
    *base = AT;
    *off = (int32_t)(int16_t)(a & 0xffffu);
    if (!fits_s16((int64_t)*off + extra))
        ERR(c, o->col, "address 0x%08x too close to a 64 KiB boundary for this instruction", a);
    return 0;
}

/* A condition code operand: a constant 0 to 7. */
static int cc_operand(struct asm_ctx *c, const struct asm_opnd *o)
{
    if (o->e.sym || o->e.val < 0 || o->e.val > 7) {
        ERR(c, o->col, "condition code must be 0 to 7");
        return 0;
    }
    return (int)o->e.val;
}

/* mfc0/mtc0 rt, rd, sel: the select is 0 to 7 (bits 2:0). */
static void e_c0_sel(struct asm_ctx *c, enum isa_op op, int rt, int rd, const struct asm_opnd *o)
{
    if (o->e.sym || o->e.val < 0 || o->e.val > 7) {
        ERR(c, o->col, "coprocessor 0 select must be 0 to 7");
        return;
    }
    note_at_write(c, op, rt);
    struct isa_fields f = {.rt = (uint32_t)rt, .rd = (uint32_t)rd, .imm = (uint32_t)o->e.val};
    asm_emit_word(c, isa_encode(op, &f));
}

/* ---- errors ---------------------------------------------------------- */

static void bad_operands(struct asm_ctx *c, const struct asm_stmt *s, const char *expect)
{
    /* An FP register where none belongs: say so, it is the likely slip. */
    if (!strstr(expect, "FP register"))
        for (int i = 0; i < s->nops; i++)
            if (s->ops[i].kind == OPND_FREG) {
                ERR(c, s->col, "'%s' expects %s ('$f%d' is an FP register)", s->name, expect,
                    s->ops[i].reg);
                return;
            }
    ERR(c, s->col, "'%s' expects %s", s->name, expect);
}

static int nops_is(const struct asm_stmt *s, int n)
{
    return s->nops == n;
}

/* Operand pattern: r = register, f = FP register, c = coprocessor register
 * (either: SPIM takes "mtc1 $t0, $0"), i = immediate/label, m = address
 * (imm(reg), (reg), label or number), s = string. */
static int match(const struct asm_stmt *s, const char *pat)
{
    int n = (int)strlen(pat);
    if (s->nops != n)
        return 0;
    for (int i = 0; i < n; i++) {
        const struct asm_opnd *o = &s->ops[i];
        switch (pat[i]) {
        case 'r': if (!is_reg(o)) return 0; break;
        case 'f': if (o->kind != OPND_FREG) return 0; break;
        case 'c': if (!is_reg(o) && o->kind != OPND_FREG) return 0; break;
        case 'i': if (!is_imm(o)) return 0; break;
        case 'm': if (!(o->kind == OPND_MEM || is_imm(o))) return 0; break;
        case 's': if (o->kind != OPND_STR) return 0; break;
        }
    }
    return 1;
}

#define R(i) (s->ops[i].reg)
#define O(i) (&s->ops[i])

/* rd = rs OP imm, through $at when the immediate does not fit. */
static void alu_imm(struct asm_ctx *c, enum isa_op op, int rd, int rs, const struct asm_opnd *o)
{
    int sym = o->e.sym != NULL;
    int64_t v = o->e.val;
    enum isa_op iop = ISA_INVALID;
    switch (op) {
    case ISA_ADD: case ISA_ADDI: iop = ISA_ADDI; op = ISA_ADD; break;
    case ISA_ADDU: case ISA_ADDIU: iop = ISA_ADDIU; op = ISA_ADDU; break;
    case ISA_SLT: case ISA_SLTI: iop = ISA_SLTI; op = ISA_SLT; break;
    case ISA_SLTU: case ISA_SLTIU: iop = ISA_SLTIU; op = ISA_SLTU; break;
    case ISA_AND: case ISA_ANDI: iop = ISA_ANDI; op = ISA_AND; break;
    case ISA_OR: case ISA_ORI: iop = ISA_ORI; op = ISA_OR; break;
    case ISA_XOR: case ISA_XORI: iop = ISA_XORI; op = ISA_XOR; break;
    case ISA_SUB: case ISA_SUBU:
        /* SPIM: sub rd, rs, imm is add rd, rs, -imm */
        if (!sym && fits_s16(-v)) {
            e_i(c, op == ISA_SUB ? ISA_ADDI : ISA_ADDIU, rd, rs, (uint32_t)-v);
            return;
        }
        if (!sym) {
            bare_wide(c, o, (uint32_t)-v, 0);
            load_imm(c, AT, (uint32_t)-v, 0);
            e_r(c, op == ISA_SUB ? ISA_ADD : ISA_ADDU, rd, rs, AT, 0);
            return;
        }
        break;
    default: break;
    }
    if (op == ISA_NOR && !sym && v == 0) { /* SPIM: nor rd, rs, $0 */
        e_r(c, ISA_NOR, rd, rs, 0, 0);
        return;
    }
    if (iop != ISA_INVALID && !sym) {
        int uns = iop == ISA_ANDI || iop == ISA_ORI || iop == ISA_XORI;
        if (uns ? fits_u16(v) : fits_s16(v)) {
            e_i(c, iop, rd, rs, (uint32_t)v);
            return;
        }
    }
    load_opnd(c, AT, o);
    e_r(c, op, rd, rs, AT, 0);
}

/* SPIM's two-operand shorthand "add rd, imm" for rd = rd OP imm: add, addu,
 * sub, subu, and, or, xor, slt, sltu and nor take it, with a number (not a
 * label); nor's must fit 16 bits unsigned.  mul, movz, movn do not, nor
 * does "add rd, rs" with two registers (SPIM and MARS refuse both). */
static int two_operand_imm(struct asm_ctx *c, const struct asm_stmt *s, enum isa_op op)
{
    if (op == ISA_MUL || op == ISA_MOVZ || op == ISA_MOVN)
        return 0;
    if (O(1)->e.sym) {
        ERR(c, O(1)->col, "'%s rd, imm' takes a number, not a label (write '%s rd, rd, %s')",
            s->name, s->name, O(1)->e.sym);
        return 1;
    }
    if (op == ISA_NOR && !fits_u16(O(1)->e.val))
        ERR(c, O(1)->col, "immediate out of range for 'nor' (0 to 65535)");
    return 1;
}

/* The immediate of an I-type machine instruction on the bare machine must
 * fit the instruction's field, as in SPIM (without --bare, one that does
 * not expands through $at).  Returns 1 when it is refused. */
static int bare_field(struct asm_ctx *c, const struct asm_stmt *s, const struct asm_opnd *o, int uns)
{
    if (!(c->flags & BH_ASM_BARE) || (!o->e.sym && (uns ? fits_u16(o->e.val) : fits_s16(o->e.val))))
        return 0;
    if (o->e.sym)
        ERR(c, o->col,
            "'%s' does not fit the 16-bit immediate of '%s': the bare machine (--bare) builds no "
            "32-bit values",
            o->e.sym, s->name);
    else
        ERR(c, o->col,
            "immediate out of range for '%s' (%s): the bare machine (--bare) builds no 32-bit values",
            s->name, uns ? "0 to 65535" : "-32768 to 32767");
    return 1;
}

/* ---- machine instructions, by operand format --------------------------- */

static void machine(struct asm_ctx *c, const struct asm_stmt *s, enum isa_op op)
{
    const struct isa_info *in = &isa_table[op];
    switch (in->fmt) {
    case F_NONE:
        if (!nops_is(s, 0))
            return bad_operands(c, s, "no operands");
        asm_emit_word(c, isa_encode(op, &(struct isa_fields){0}));
        return;
    case F_CODE: {
        int64_t code = 0;
        if (s->nops > 1 || (s->nops == 1 && (!is_imm(O(0)) || O(0)->e.sym)))
            return bad_operands(c, s, "an optional code number");
        if (s->nops == 1)
            code = O(0)->e.val;
        if (op == ISA_SYNC && (code < 0 || code > 31))
            ERR(c, O(0)->col, "sync type %lld out of range (0 to 31)", (long long)code);
        else if (code < 0 || code > 0xfffff)
            ERR(c, O(0)->col, "break code %lld out of range (0 to 0xfffff)", (long long)code);
        asm_emit_word(c, isa_encode(op, &(struct isa_fields){.imm = (uint32_t)code & 0xfffffu}));
        return;
    }
    case F_RD_RS_RT:
        if (match(s, "rrr"))
            return e_r(c, op, R(0), R(1), R(2), 0);
        if (match(s, "rri"))
            return alu_imm(c, op, R(0), R(1), O(2));
        if (match(s, "ri") && two_operand_imm(c, s, op))
            return alu_imm(c, op, R(0), R(0), O(1));
        return bad_operands(c, s, "register, register, register (or an immediate last)");
    case F_RD_RT_RS:
        if (match(s, "rrr"))
            return e_r(c, op, R(0), R(2), R(1), 0);
        if (match(s, "rri") || match(s, "ri")) { /* SPIM: sllv rd, n is sll rd, rd, n */
            enum isa_op sop = op == ISA_SLLV ? ISA_SLL : op == ISA_SRLV ? ISA_SRL : ISA_SRA;
            const struct asm_opnd *n = O(s->nops - 1);
            if (n->e.sym || n->e.val < 0 || n->e.val > 31)
                ERR(c, n->col, "shift amount must be 0 to 31");
            return e_r(c, sop, R(0), 0, R(s->nops - 2), (int)(n->e.val & 31));
        }
        return bad_operands(c, s, "register, register, register");
    case F_RD_RT_SA:
        if (match(s, "rri")) {
            if (O(2)->e.sym || O(2)->e.val < 0 || O(2)->e.val > 31)
                ERR(c, O(2)->col, "shift amount must be 0 to 31");
            return e_r(c, op, R(0), 0, R(1), (int)(O(2)->e.val & 31));
        }
        if (match(s, "rrr")) {
            enum isa_op vop = op == ISA_SLL ? ISA_SLLV : op == ISA_SRL ? ISA_SRLV : ISA_SRAV;
            return e_r(c, vop, R(0), R(2), R(1), 0);
        }
        return bad_operands(c, s, "register, register, shift amount");
    case F_RD_RS:
        if (match(s, "rr"))
            return e_r(c, op, R(0), R(1), 0, 0);
        return bad_operands(c, s, "register, register");
    case F_RS_RT:
        if (match(s, "rr"))
            return e_r(c, op, 0, R(0), R(1), 0);
        return bad_operands(c, s, "register, register");
    case F_RD:
        if (match(s, "r"))
            return e_r(c, op, R(0), 0, 0, 0);
        return bad_operands(c, s, "register");
    case F_RS:
        if (match(s, "r"))
            return e_r(c, op, 0, R(0), 0, 0);
        return bad_operands(c, s, "register");
    case F_JALR:
        if (match(s, "r"))
            return e_r(c, op, 31, R(0), 0, 0);
        if (match(s, "rr"))
            return e_r(c, op, R(0), R(1), 0, 0);
        return bad_operands(c, s, "register (or register, register)");
    case F_RT_RS_SIMM:
    case F_RT_RS_UIMM:
        if ((match(s, "rri") || match(s, "ri")) &&
            bare_field(c, s, O(s->nops - 1), in->fmt == F_RT_RS_UIMM))
            return;
        if (match(s, "rri"))
            return alu_imm(c, op, R(0), R(1), O(2));
        if (match(s, "ri")) {
            /* addi rt, imm is addi rt, rt, imm (SPIM); only andi, ori and
             * xori take a 32-bit immediate there (MARS) */
            if (in->fmt == F_RT_RS_SIMM && !O(1)->e.sym && !fits_s16(O(1)->e.val))
                ERR(c, O(1)->col, "immediate out of range for '%s' (-32768 to 32767)", s->name);
            return alu_imm(c, op, R(0), R(0), O(1));
        }
        if (match(s, "rrr")) {
            ERR(c, O(2)->col, "'%s' expects register, register, immediate (the last operand is a register)",
                s->name);
            return;
        }
        return bad_operands(c, s, "register, register, immediate");
    case F_RT_UIMM:
        if (match(s, "ri")) {
            if (O(1)->e.sym || !fits_u16(O(1)->e.val))
                ERR(c, O(1)->col, "immediate out of range for 'lui' (0 to 65535)");
            return e_i(c, op, R(0), 0, (uint32_t)O(1)->e.val);
        }
        return bad_operands(c, s, "register, immediate");
    case F_RS_SIMM:
        if (match(s, "ri")) {
            if (O(1)->e.sym || !fits_s16(O(1)->e.val))
                ERR(c, O(1)->col, "immediate out of range for '%s' (-32768 to 32767)", s->name);
            return e_i(c, op, 0, R(0), (uint32_t)O(1)->e.val);
        }
        return bad_operands(c, s, "register, immediate");
    case F_RT_MEM:
        if (match(s, "rm")) {
            int base;
            int32_t off;
            if (!mem_operand(c, O(1), 0, &base, &off))
                e_i(c, op, R(0), base, (uint32_t)off);
            return;
        }
        return bad_operands(c, s, "register, address");
    case F_RS_RT_REL:
        if (match(s, "rri"))
            return e_branch(c, op, R(0), R(1), O(2));
        if (match(s, "rii")) {
            load_opnd(c, AT, O(1));
            return e_branch(c, op, AT, R(0), O(2)); /* SPIM's operand order */
        }
        return bad_operands(c, s, "register, register, label");
    case F_RS_REL:
        if (match(s, "ri"))
            return e_branch(c, op, R(0), 0, O(1));
        return bad_operands(c, s, "register, label");
    case F_TARGET:
        if (match(s, "i")) {
            uint32_t pc = cur_pc(c), t = 0;
            if (c->pass == 2 && !asm_eval(c, &O(0)->e, O(0)->col, &t)) {
                if (t % 4)
                    ERR(c, O(0)->col, "jump target 0x%08x is not a multiple of 4", t);
                else if ((t & 0xf0000000u) != ((pc + 4) & 0xf0000000u))
                    /* SPIM warns and keeps the target's low 28 bits, as we do */
                    WARN(c, O(0)->col,
                         "jump target 0x%08x is outside the 256 MiB region of the jump: it "
                         "jumps to 0x%08x, as SPIM encodes it",
                         t, ((pc + 4) & 0xf0000000u) | (t & 0x0ffffffcu));
            }
            return asm_emit_word(c, isa_encode(op, &(struct isa_fields){.imm = (t >> 2) & 0x03ffffffu}));
        }
        if (match(s, "r")) /* SPIM accepts j $ra and jal $t0 */
            return op == ISA_J ? e_r(c, ISA_JR, 0, R(0), 0, 0) : e_r(c, ISA_JALR, 31, R(0), 0, 0);
        return bad_operands(c, s, "a label");
    case F_RT_C0:
        if (match(s, "rr"))
            return e_r(c, op, R(1), 0, R(0), 0);
        if (match(s, "rri")) /* the select, as GNU as takes it (SPIM and MARS do not) */
            return e_c0_sel(c, op, R(0), R(1), O(2));
        return bad_operands(c, s,
                            "register, coprocessor 0 register ($12 for Status) [, select 0 to 7]");
    case F_STR:
        if (match(s, "s")) {
            if (memchr(O(0)->str, 0, O(0)->slen) || O(0)->slen == 0) {
                ERR(c, O(0)->col, "a file name cannot be empty or hold a NUL byte");
                return;
            }
            uint32_t off = asm_snapshot_string(c, O(0)->str, O(0)->slen);
            if (off > 0xffff)
                ERR(c, O(0)->col, "too many SNAPSHOT file names");
            return e_i(c, op, 0, 0, off);
        }
        return bad_operands(c, s, "a file name");
    case F_FD_FS_FT:
        if (match(s, "fff"))
            return e_fp(c, op, R(0), R(1), R(2), 0);
        return bad_operands(c, s, "FP register, FP register, FP register");
    case F_FD_FS:
        if (match(s, "ff"))
            return e_fp(c, op, R(0), R(1), 0, 0);
        return bad_operands(c, s, "FP register, FP register");
    case F_FD_FS_RT:
        if (match(s, "ffr"))
            return e_fp(c, op, R(0), R(1), R(2), 0);
        return bad_operands(c, s, "FP register, FP register, register");
    case F_FD_FS_CC:
        if (match(s, "ffi"))
            return e_fp(c, op, R(0), R(1), cc_operand(c, O(2)) << 2, 0);
        return bad_operands(c, s, "FP register, FP register, condition code (0 to 7)");
    case F_CC_FS_FT:
        if (match(s, "ff"))
            return e_fp(c, op, 0, R(0), R(1), 0);
        if (match(s, "iff"))
            return e_fp(c, op, 0, R(1), R(2), cc_operand(c, O(0)) << 2);
        return bad_operands(c, s, "FP register, FP register (or condition code, FP register, FP register)");
    case F_CC_REL:
        if (match(s, "i"))
            return e_branch(c, op, 0, 0, O(0));
        if (match(s, "ii"))
            return e_branch(c, op, 0, cc_operand(c, O(0)) << 2, O(1));
        return bad_operands(c, s, "a label (or condition code, label)");
    case F_RD_RS_CC:
        if (match(s, "rri"))
            return e_r(c, op, R(0), R(1), cc_operand(c, O(2)) << 2, 0);
        return bad_operands(c, s, "register, register, condition code (0 to 7)");
    case F_RT_FS:
        if (match(s, "rc"))
            return e_fp_move(c, op, R(0), R(1));
        return bad_operands(c, s, "register, FP register");
    case F_RT_FCR:
        if (match(s, "rc"))
            return e_fp_move(c, op, R(0), R(1));
        return bad_operands(c, s, isa_table[op].cls == ISA_CLASS_COP0
                                      ? "register, coprocessor 0 control register ($0 to $31)"
                                      : "register, FP control register ($0 FIR or $31 FCSR)");
    case F_FT_MEM:
        if (match(s, "fm")) {
            int base;
            int32_t off;
            if (!mem_operand(c, O(1), 0, &base, &off))
                e_i(c, op, R(0), base, (uint32_t)off);
            return;
        }
        return bad_operands(c, s, "FP register, address");
    }
}

/* ---- pseudo-instructions --------------------------------------------------
 * Each returns 1 when it handled the statement, 0 to let the machine
 * instruction of the same name (if any) have it. */

typedef int (*pseudo_fn)(struct asm_ctx *c, const struct asm_stmt *s, int arg);

/* nop (sll $0,$0,0) and ssnop (sll $0,$0,1): arg is the word */
static int p_nop(struct asm_ctx *c, const struct asm_stmt *s, int arg)
{
    if (!nops_is(s, 0))
        return bad_operands(c, s, "no operands"), 1;
    asm_emit_word(c, (uint32_t)arg);
    return 1;
}

/* The MIPS32 Release 2 instructions SPIM 8.0 knows but does not implement:
 * it warns and assembles nothing, and so do we.  arg picks the operands
 * its grammar takes. */
static const char *const rev2_operands[][2] = {
    {"", "no operands"}, {"r", "register"}, {"rr", "register, register"},
    {"rri", "register, register, shift amount"}, {"rrr", "register, register, register"},
};
static int p_rev2(struct asm_ctx *c, const struct asm_stmt *s, int arg)
{
    if (!match(s, rev2_operands[arg][0]))
        return bad_operands(c, s, rev2_operands[arg][1]), 1;
    if (c->pass == 2)
        asm_warning(c, s->file, s->line, s->col,
                    "'%s' is a MIPS32 Release 2 instruction SPIM does not implement: ignored, as SPIM does",
                    s->name);
    return 1;
}

static int p_move(struct asm_ctx *c, const struct asm_stmt *s, int arg)
{
    if (!match(s, "rr"))
        return bad_operands(c, s, "register, register"), 1;
    e_r(c, ISA_ADDU, R(0), 0, R(1), 0);
    return 1;
}

static int p_li(struct asm_ctx *c, const struct asm_stmt *s, int arg)
{
    if (!match(s, "ri"))
        return bad_operands(c, s, "register, immediate"), 1;
    load_opnd(c, R(0), O(1));
    return 1;
}

static int p_la(struct asm_ctx *c, const struct asm_stmt *s, int arg)
{
    if (match(s, "ri")) {
        load_opnd(c, R(0), O(1));
        return 1;
    }
    if (s->nops == 2 && is_reg(O(0)) && O(1)->kind == OPND_MEM) {
        const struct asm_opnd *m = O(1);
        if (m->base_name) {
            ERR(c, m->col, "'%s' is not a register", m->base_name);
            return 1;
        }
        if (!m->e.sym && fits_s16(m->e.val)) {
            e_i(c, ISA_ADDI, R(0), m->reg, (uint32_t)m->e.val);
        } else {
            uint32_t v = imm_value(c, m);
            e_i(c, ISA_LUI, AT, 0, v >> 16);
            e_i(c, ISA_ORI, AT, AT, v & 0xffffu);
            e_r(c, ISA_ADD, R(0), m->reg, AT, 0);
        }
        return 1;
    }
    return bad_operands(c, s, "register, address"), 1;
}

/* l.s l.d s.s s.d: lwc1 ldc1 swc1 sdc1 under SPIM's and MARS's other names,
 * with every address form (arg = the machine op). */
static int p_fpmem(struct asm_ctx *c, const struct asm_stmt *s, int op)
{
    machine(c, s, (enum isa_op)op);
    return 1;
}

/* li.s fd, 1.5 / li.d fd, 2.5: the bits through $at and mtc1, as SPIM
 * (li.d: the low word to fd, the high word to fd + 1).  MARS has neither. */
static int p_lifp(struct asm_ctx *c, const struct asm_stmt *s, int dbl)
{
    const struct asm_opnd *v = s->nops == 2 ? O(1) : NULL;
    if (!v || O(0)->kind != OPND_FREG ||
        !(v->kind == OPND_FLOAT || (is_imm(v) && !v->e.sym)))
        return bad_operands(c, s, "FP register, number"), 1;
    double d = v->kind == OPND_FLOAT ? v->f : (double)v->e.val;
    if (dbl && R(0) == 31) {
        ERR(c, O(0)->col, "'%s' writes a register pair: $f31 has no next register", s->name);
        return 1;
    }
    uint32_t w[2];
    if (dbl) {
        uint64_t u;
        memcpy(&u, &d, 8);
        w[0] = (uint32_t)u, w[1] = (uint32_t)(u >> 32);
    } else {
        float f = (float)d;
        memcpy(&w[0], &f, 4);
    }
    for (int k = 0; k < (dbl ? 2 : 1); k++) {
        load_imm(c, AT, w[k], 0);
        e_fp_move(c, ISA_MTC1, AT, R(0) + k);
    }
    return 1;
}

/* mfc1.d rt, fs / mtc1.d rt, fs: two moves, rt+1 with fs+1. */
static int p_movefp_d(struct asm_ctx *c, const struct asm_stmt *s, int op)
{
    if (!match(s, "rc"))
        return bad_operands(c, s, "register, FP register"), 1;
    if (R(0) == 31 || R(1) == 31) {
        ERR(c, O(R(0) == 31 ? 0 : 1)->col, "'%s' moves a register pair: register 31 has no next register",
            s->name);
        return 1;
    }
    e_fp_move(c, (enum isa_op)op, R(0), R(1));
    e_fp_move(c, (enum isa_op)op, R(0) + 1, R(1) + 1);
    return 1;
}

static int p_b(struct asm_ctx *c, const struct asm_stmt *s, int link)
{
    if (!match(s, "i"))
        return bad_operands(c, s, "a label"), 1;
    e_branch(c, link ? ISA_BGEZAL : ISA_BGEZ, 0, 0, O(0));
    return 1;
}

static int p_bz(struct asm_ctx *c, const struct asm_stmt *s, int ne)
{
    if (!match(s, "ri"))
        return bad_operands(c, s, "register, label"), 1;
    e_branch(c, ne ? ISA_BNE : ISA_BEQ, R(0), 0, O(1));
    return 1;
}

/* blt/bgt/ble/bge and their unsigned forms: arg = kind | 4 (unsigned). */
enum { CMP_LT, CMP_GT, CMP_LE, CMP_GE };
static int p_bcmp(struct asm_ctx *c, const struct asm_stmt *s, int arg)
{
    int kind = arg & 3, uns = arg & 4;
    enum isa_op slt = uns ? ISA_SLTU : ISA_SLT, slti = uns ? ISA_SLTIU : ISA_SLTI;
    /* branch when $at != 0 (bne) for lt/gt, when $at == 0 (beq) for le/ge */
    if (match(s, "rri")) {
        int swap = kind == CMP_GT || kind == CMP_LE;
        e_r(c, slt, AT, swap ? R(1) : R(0), swap ? R(0) : R(1), 0);
        e_branch(c, kind == CMP_LT || kind == CMP_GT ? ISA_BNE : ISA_BEQ, AT, 0, O(2));
        return 1;
    }
    if (match(s, "rii")) {
        const struct asm_opnd *im = O(1);
        int64_t v = im->e.val;
        int sym = im->e.sym != NULL;
        switch (kind) {
        case CMP_LT: /* rs < v */
        case CMP_GE:
            if (!sym && fits_s16(v))
                e_i(c, slti, AT, R(0), (uint32_t)v);
            else {
                load_opnd(c, AT, im);
                e_r(c, slt, AT, R(0), AT, 0);
            }
            e_branch(c, kind == CMP_LT ? ISA_BNE : ISA_BEQ, AT, 0, O(2));
            return 1;
        case CMP_GT: /* rs > v: signed as SPIM, !(rs < v + 1) */
        case CMP_LE:
            if (!uns && !sym && fits_s16(v + 1)) {
                e_i(c, slti, AT, R(0), (uint32_t)(v + 1));
                e_branch(c, kind == CMP_GT ? ISA_BEQ : ISA_BNE, AT, 0, O(2));
            } else {
                load_opnd(c, AT, im);
                e_r(c, slt, AT, AT, R(0), 0);
                e_branch(c, kind == CMP_GT ? ISA_BNE : ISA_BEQ, AT, 0, O(2));
            }
            return 1;
        }
    }
    return bad_operands(c, s, "register, register or immediate, label"), 1;
}

static int p_abs(struct asm_ctx *c, const struct asm_stmt *s, int arg)
{
    if (!match(s, "rr"))
        return bad_operands(c, s, "register, register"), 1;
    e_r(c, ISA_ADDU, R(0), 0, R(1), 0);
    e_skip(c, ISA_BGEZ, R(1), 0, 1);
    e_r(c, ISA_SUB, R(0), 0, R(1), 0);
    return 1;
}

/* neg, negu, not: arg is the operation */
static int p_unary(struct asm_ctx *c, const struct asm_stmt *s, int op)
{
    if (!match(s, "rr")) /* SPIM and MARS refuse "not $t0" */
        return bad_operands(c, s, "register, register"), 1;
    int rd = R(0), rs = R(1);
    if (op == ISA_NOR)
        e_r(c, ISA_NOR, rd, rs, 0, 0);
    else
        e_r(c, (enum isa_op)op, rd, 0, rs, 0);
    return 1;
}

/* The three-operand div/divu/rem/remu: arg = divu | 2 for rem. */
static int p_div(struct asm_ctx *c, const struct asm_stmt *s, int arg)
{
    enum isa_op op = (arg & 1) ? ISA_DIVU : ISA_DIV;
    int rem = arg & 2;
    if (match(s, "rr") && !rem)
        return 0; /* the machine div rs, rt */
    if (match(s, "rrr")) {
        /* SPIM: a zero divisor breaks.  The bare machine runs with delay
         * slots (SPIM's -bare), where SPIM's break would sit in the slot of
         * the bne and run every time: there a nop fills the slot. */
        int bare = (c->flags & BH_ASM_BARE) != 0;
        e_skip(c, ISA_BNE, R(2), 0, 1 + bare);
        if (bare)
            asm_emit_word(c, 0);
        asm_emit_word(c, isa_encode(ISA_BREAK, &(struct isa_fields){0}));
        e_r(c, op, 0, R(1), R(2), 0);
        e_r(c, rem ? ISA_MFHI : ISA_MFLO, R(0), 0, 0, 0);
        return 1;
    }
    if (match(s, "rri")) {
        if (!O(2)->e.sym && O(2)->e.val == 0) {
            ERR(c, O(2)->col, "division by zero");
            return 1;
        }
        load_opnd(c, AT, O(2));
        e_r(c, op, 0, R(1), AT, 0);
        e_r(c, rem ? ISA_MFHI : ISA_MFLO, R(0), 0, 0, 0);
        return 1;
    }
    return bad_operands(c, s, rem ? "register, register, register or immediate"
                                  : "register, register (or register, register, register or immediate)"),
           1;
}

static int p_mulo(struct asm_ctx *c, const struct asm_stmt *s, int uns)
{
    int rt;
    if (match(s, "rrr"))
        rt = R(2);
    else if (match(s, "rri")) {
        load_opnd(c, AT, O(2));
        rt = AT;
    } else
        return bad_operands(c, s, "register, register, register"), 1;
    e_r(c, uns ? ISA_MULTU : ISA_MULT, 0, R(1), rt, 0);
    e_r(c, ISA_MFHI, AT, 0, 0, 0);
    if (uns) {
        e_skip(c, ISA_BEQ, AT, 0, 1);
    } else {
        e_r(c, ISA_MFLO, R(0), 0, 0, 0);
        e_r(c, ISA_SRA, R(0), 0, R(0), 31);
        e_skip(c, ISA_BEQ, AT, R(0), 1);
    }
    asm_emit_word(c, isa_encode(ISA_BREAK, &(struct isa_fields){0}));
    e_r(c, ISA_MFLO, R(0), 0, 0, 0);
    return 1;
}

/* mulu (MARS): multu rs, rt; mflo rd (an immediate through $at) */
static int p_mulu(struct asm_ctx *c, const struct asm_stmt *s, int arg)
{
    int rt;
    if (match(s, "rrr"))
        rt = R(2);
    else if (match(s, "rri")) {
        load_opnd(c, AT, O(2));
        rt = AT;
    } else
        return bad_operands(c, s, "register, register, register or immediate"), 1;
    e_r(c, ISA_MULTU, 0, R(1), rt, 0);
    e_r(c, ISA_MFLO, R(0), 0, 0, 0);
    return 1;
}

/* rol/ror: arg = 1 for ror */
static int p_rot(struct asm_ctx *c, const struct asm_stmt *s, int right)
{
    if (match(s, "rrr")) {
        e_r(c, ISA_SUBU, AT, 0, R(2), 0);
        e_r(c, right ? ISA_SLLV : ISA_SRLV, AT, AT, R(1), 0);
        e_r(c, right ? ISA_SRLV : ISA_SLLV, R(0), R(2), R(1), 0);
        e_r(c, ISA_OR, R(0), R(0), AT, 0);
        return 1;
    }
    if (match(s, "rri")) {
        if (O(2)->e.sym || O(2)->e.val < 0 || O(2)->e.val > 31) {
            ERR(c, O(2)->col, "rotate amount must be 0 to 31");
            return 1;
        }
        int n = (int)O(2)->e.val;
        e_r(c, right ? ISA_SLL : ISA_SRL, AT, 0, R(1), (32 - n) & 31);
        e_r(c, right ? ISA_SRL : ISA_SLL, R(0), 0, R(1), n);
        e_r(c, ISA_OR, R(0), R(0), AT, 0);
        return 1;
    }
    return bad_operands(c, s, "register, register, register or immediate"), 1;
}

/* Set on comparison, as SPIM 8.0 expands them. */
enum { S_EQ, S_NE, S_GE, S_GEU, S_GT, S_GTU, S_LE, S_LEU };
static int p_set(struct asm_ctx *c, const struct asm_stmt *s, int kind)
{
    int rd, rs, rt;
    if (match(s, "rrr"))
        rd = R(0), rs = R(1), rt = R(2);
    else if (match(s, "rri")) {
        load_opnd(c, AT, O(2));
        rd = R(0), rs = R(1), rt = AT;
    } else
        return bad_operands(c, s, "register, register, register or immediate"), 1;
    enum isa_op slt = (kind == S_GEU || kind == S_GTU || kind == S_LEU) ? ISA_SLTU : ISA_SLT;
    switch (kind) {
    case S_EQ:
    case S_NE:
        e_skip(c, ISA_BEQ, rt, rs, 2);
        e_i(c, ISA_ORI, rd, 0, kind == S_EQ ? 0 : 1);
        e_skip(c, ISA_BEQ, 0, 0, 1);
        e_i(c, ISA_ORI, rd, 0, kind == S_EQ ? 1 : 0);
        return 1;
    case S_GT:
    case S_GTU:
        e_r(c, slt, rd, rt, rs, 0);
        return 1;
    default: /* ge, le: 1 when equal, else the strict comparison */
        e_skip(c, ISA_BNE, rt, rs, 2);
        e_i(c, ISA_ORI, rd, 0, 1);
        e_skip(c, ISA_BEQ, 0, 0, 1);
        if (kind == S_GE || kind == S_GEU)
            e_r(c, slt, rd, rt, rs, 0);
        else
            e_r(c, slt, rd, rs, rt, 0);
        return 1;
    }
}

/* Unaligned loads and stores, little-endian as SPIM: arg = which. */
enum { U_LW, U_SW, U_LH, U_LHU, U_SH };
static int p_unaligned(struct asm_ctx *c, const struct asm_stmt *s, int which)
{
    if (!match(s, "rm"))
        return bad_operands(c, s, "register, address"), 1;
    int base, rt = R(0);
    int32_t off;
    if (mem_operand(c, O(1), which == U_LW || which == U_SW ? 3 : 1, &base, &off))
        return 1;
    switch (which) {
    case U_LW:
        e_i(c, ISA_LWL, rt, base, (uint32_t)(off + 3));
        e_i(c, ISA_LWR, rt, base, (uint32_t)off);
        break;
    case U_SW:
        e_i(c, ISA_SWL, rt, base, (uint32_t)(off + 3));
        e_i(c, ISA_SWR, rt, base, (uint32_t)off);
        break;
    case U_LH:
    case U_LHU:
        e_i(c, which == U_LH ? ISA_LB : ISA_LBU, rt, base, (uint32_t)(off + 1));
        e_i(c, ISA_LBU, AT, base, (uint32_t)off);
        e_r(c, ISA_SLL, rt, 0, rt, 8);
        e_r(c, ISA_OR, rt, rt, AT, 0);
        break;
    case U_SH: /* rotate rt instead of using a second temporary, as SPIM */
        e_i(c, ISA_SB, rt, base, (uint32_t)off);
        e_r(c, ISA_SLL, AT, 0, rt, 24);
        e_r(c, ISA_SRL, rt, 0, rt, 8);
        e_r(c, ISA_OR, rt, rt, AT, 0);
        e_i(c, ISA_SB, rt, base, (uint32_t)(off + 1));
        e_r(c, ISA_SRL, AT, 0, rt, 24);
        e_r(c, ISA_SLL, rt, 0, rt, 8);
        e_r(c, ISA_OR, rt, rt, AT, 0);
        break;
    }
    return 1;
}

/* ld/sd: two words into rt and rt+1. */
static int p_double(struct asm_ctx *c, const struct asm_stmt *s, int store)
{
    if (!match(s, "rm"))
        return bad_operands(c, s, "register, address"), 1;
    if (R(0) == 31) {
        ERR(c, O(0)->col, "'%s' needs a register pair ($ra has no successor)", s->name);
        return 1;
    }
    /* As SPIM: each word gets its own addressing (4 words for a label). */
    struct asm_opnd second = *O(1);
    second.e.val += 4;
    const struct asm_opnd *addr[2] = {O(1), &second};
    for (int k = 0; k < 2; k++) {
        int base;
        int32_t off;
        if (mem_operand(c, addr[k], 0, &base, &off))
            return 1;
        e_i(c, store ? ISA_SW : ISA_LW, R(0) + k, base, (uint32_t)off);
    }
    return 1;
}

/* subi/subiu (MARS): rt = rs - imm */
static int p_subi(struct asm_ctx *c, const struct asm_stmt *s, int uns)
{
    if (match(s, "rri")) /* MARS refuses "subi $t0, 4" */
        alu_imm(c, uns ? ISA_SUBU : ISA_SUB, R(0), R(1), O(2));
    else
        bad_operands(c, s, "register, register, immediate");
    return 1;
}

struct pseudo {
    const char *name;
    pseudo_fn fn;
    int arg;
    int bare; /* kept on the bare machine: SPIM has it as a machine
               * instruction (div's three operands, ssnop, the Release 2
               * ones it warns about and ignores) */
};

/* Sorted by name (bsearch). */
static const struct pseudo pseudos[] = {
    {"abs", p_abs, 0, 0},
    {"b", p_b, 0, 0},
    {"bal", p_b, 1, 0},
    {"beqz", p_bz, 0, 0},
    {"bge", p_bcmp, CMP_GE, 0},
    {"bgeu", p_bcmp, CMP_GE | 4, 0},
    {"bgt", p_bcmp, CMP_GT, 0},
    {"bgtu", p_bcmp, CMP_GT | 4, 0},
    {"ble", p_bcmp, CMP_LE, 0},
    {"bleu", p_bcmp, CMP_LE | 4, 0},
    {"blt", p_bcmp, CMP_LT, 0},
    {"bltu", p_bcmp, CMP_LT | 4, 0},
    {"bnez", p_bz, 1, 0},
    {"deret", p_rev2, 0, 1},
    {"di", p_rev2, 1, 1},
    {"div", p_div, 0, 1},
    {"divu", p_div, 1, 1},
    {"ehb", p_rev2, 0, 1},
    {"ei", p_rev2, 1, 1},
    {"l.d", p_fpmem, ISA_LDC1, 0},
    {"l.s", p_fpmem, ISA_LWC1, 0},
    {"la", p_la, 0, 0},
    {"ld", p_double, 0, 0},
    {"li", p_li, 0, 0},
    {"li.d", p_lifp, 1, 0},
    {"li.s", p_lifp, 0, 0},
    {"mfc1.d", p_movefp_d, ISA_MFC1, 0},
    {"move", p_move, 0, 0},
    {"mtc1.d", p_movefp_d, ISA_MTC1, 0},
    {"mulo", p_mulo, 0, 0},
    {"mulou", p_mulo, 1, 0},
    {"mulu", p_mulu, 0, 0},
    {"neg", p_unary, ISA_SUB, 0},
    {"negu", p_unary, ISA_SUBU, 0},
    {"nop", p_nop, 0, 0},
    {"not", p_unary, ISA_NOR, 0},
    {"rdhwr", p_rev2, 2, 1},
    {"rdpgpr", p_rev2, 2, 1},
    {"rem", p_div, 2, 0},
    {"remu", p_div, 3, 0},
    {"rol", p_rot, 0, 0},
    {"ror", p_rot, 1, 0},
    {"rotr", p_rev2, 3, 1},
    {"rotrv", p_rev2, 4, 1},
    {"s.d", p_fpmem, ISA_SDC1, 0},
    {"s.s", p_fpmem, ISA_SWC1, 0},
    {"sd", p_double, 1, 0},
    {"sdbbp", p_rev2, 0, 1},
    {"seb", p_rev2, 2, 1},
    {"seh", p_rev2, 2, 1},
    {"seq", p_set, S_EQ, 0},
    {"sge", p_set, S_GE, 0},
    {"sgeu", p_set, S_GEU, 0},
    {"sgt", p_set, S_GT, 0},
    {"sgtu", p_set, S_GTU, 0},
    {"sle", p_set, S_LE, 0},
    {"sleu", p_set, S_LEU, 0},
    {"sne", p_set, S_NE, 0},
    {"ssnop", p_nop, 0x40, 1},
    {"subi", p_subi, 0, 0},
    {"subiu", p_subi, 1, 0},
    {"ulh", p_unaligned, U_LH, 0},
    {"ulhu", p_unaligned, U_LHU, 0},
    {"ulw", p_unaligned, U_LW, 0},
    {"ush", p_unaligned, U_SH, 0},
    {"usw", p_unaligned, U_SW, 0},
    {"wrpgpr", p_rev2, 2, 1},
    {"wsbh", p_rev2, 2, 1},
};
#define NPSEUDO (sizeof pseudos / sizeof pseudos[0])

static int cmp_pseudo(const void *k, const void *e)
{
    return strcmp(k, ((const struct pseudo *)e)->name);
}

static const struct pseudo *find_pseudo(const char *name)
{
    return bsearch(name, pseudos, NPSEUDO, sizeof pseudos[0], cmp_pseudo);
}

int asm_is_mnemonic(const char *name)
{
    return find_pseudo(name) || isa_lookup(name) != ISA_INVALID;
}

/* The nearest mnemonic within two edits, for "did you mean" (on the bare
 * machine, one it accepts). */
static const char *suggest(const struct asm_ctx *c, const char *name)
{
    const char *best = NULL;
    int bd = 3;
    size_t l = strlen(name);
    int limit = l <= 4 ? 1 : 2;
    for (int op = 1; op < ISA_COUNT; op++) {
        int d = asm_edit_distance(name, isa_table[op].mnemonic, limit);
        if (d <= limit && d < bd)
            bd = d, best = isa_table[op].mnemonic;
    }
    for (size_t i = 0; i < NPSEUDO; i++) {
        if ((c->flags & BH_ASM_BARE) && !pseudos[i].bare)
            continue;
        int d = asm_edit_distance(name, pseudos[i].name, limit);
        if (d <= limit && d < bd)
            bd = d, best = pseudos[i].name;
    }
    return best;
}

void asm_instruction(struct asm_ctx *c, const struct asm_stmt *s)
{
    check_at(c, s);
    const struct pseudo *p = find_pseudo(s->name);
    if (p && !p->bare && (c->flags & BH_ASM_BARE)) {
        ERR(c, s->col,
            "'%s' is a pseudo-instruction: the bare machine (--bare) has none (babyasm -l "
            "without --bare shows the machine instructions it stands for)",
            s->name);
        return;
    }
    if (p && p->fn(c, s, p->arg))
        return;
    enum isa_op op = isa_lookup(s->name);
    if (op != ISA_INVALID) {
        machine(c, s, op);
        return;
    }
    if (c->pass != 2)
        return;
    const struct asm_sym *y = asm_sym_find(&c->syms, s->name);
    if (y && y->defined) {
        ERR(c, s->col, "'%s' is a label, not an instruction (missing ':'?)", s->name);
        return;
    }
    if (s->nops && s->ops[0].kind == OPND_EXPR && s->ops[0].e.sym && asm_is_mnemonic(s->ops[0].e.sym)) {
        ERR(c, s->col, "unknown instruction '%s' (a label needs a ':' after it)", s->name);
        return;
    }
    /* A macro repeats its body's names in every expansion: the last
     * answer is kept, as the search tries every mnemonic. */
    if (c->sug_for != s->name) {
        c->sug_for = s->name;
        c->sug = suggest(c, s->name);
    }
    const char *sug = c->sug;
    if (sug)
        ERR(c, s->col, "unknown instruction '%s'; did you mean '%s'?", s->name, sug);
    else
        ERR(c, s->col, "unknown instruction '%s'", s->name);
}
