/* isa.c: the tables generated from include/isa.h's X-macro lists, and the
 * four things every tool does with an instruction word: decode it, encode
 * it, look a mnemonic up, and print it.
 *
 * This file is the only place outside isa.h that places fields into a word
 * (isa_encode); everything else uses isa_encode and the ISA_* macros.
 */
#include "isa.h"

#include <stdio.h>
#include <string.h>

/* ---- the operation table: index 0 is ISA_INVALID ---------------------- */

/* One expander per class, since the class is not part of a list entry. */
#define X_SPECIAL(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_SPECIAL, val, fmt},
#define X_REGIMM(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_REGIMM, val, fmt},
#define X_MAJOR(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_MAJOR, val, fmt},
#define X_SPECIAL2(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_SPECIAL2, val, fmt},
#define X_COP0(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_COP0, val, fmt},
#define X_COP0_CO(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_COP0_CO, val, fmt},
#define X_COP1(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_COP1, val, fmt},
#define X_COP1_BC(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_COP1_BC, val, fmt},
#define X_COP1_S(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_COP1_S, val, fmt},
#define X_COP1_D(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_COP1_D, val, fmt},
#define X_COP1_W(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_COP1_W, val, fmt},
#define X_HV(id, mn, val, fmt, sem) [ISA_##id] = {mn, sem, ISA_CLASS_HV, val, fmt},

const struct isa_info isa_table[ISA_COUNT] = {
    [ISA_INVALID] = {"(invalid)", "reserved instruction exception (RI)", 0, 0, F_NONE},
    ISA_LIST_SPECIAL(X_SPECIAL) ISA_LIST_REGIMM(X_REGIMM) ISA_LIST_MAJOR(X_MAJOR)
        ISA_LIST_SPECIAL2(X_SPECIAL2) ISA_LIST_COP0(X_COP0) ISA_LIST_COP0_CO(X_COP0_CO)
            ISA_LIST_COP1(X_COP1)
            ISA_LIST_COP1_BC(X_COP1_BC) ISA_LIST_COP1_S(X_COP1_S) ISA_LIST_COP1_D(X_COP1_D)
                ISA_LIST_COP1_W(X_COP1_W) ISA_LIST_HV(X_HV)};

/* ---- decoding: one lookup table per class, indexed by its selector ----- */

/* Entries not named stay 0 == ISA_INVALID, so every unknown selector value
 * decodes as invalid without a separate check. */
#define X_SLOT(id, mn, val, fmt, sem) [val] = ISA_##id,
/* SPECIAL and COP1_S/D: 128 slots, funct | ISA_VALUE_TF for movt and its kin. */
static const uint8_t dec_special[128] = {ISA_LIST_SPECIAL(X_SLOT)};
static const uint8_t dec_regimm[32] = {ISA_LIST_REGIMM(X_SLOT)};
static const uint8_t dec_major[64] = {ISA_LIST_MAJOR(X_SLOT)};
static const uint8_t dec_special2[64] = {ISA_LIST_SPECIAL2(X_SLOT)};
static const uint8_t dec_cop0[32] = {ISA_LIST_COP0(X_SLOT)};
static const uint8_t dec_cop0_co[64] = {ISA_LIST_COP0_CO(X_SLOT)};
static const uint8_t dec_cop1[32] = {ISA_LIST_COP1(X_SLOT)};
static const uint8_t dec_cop1_bc[4] = {ISA_LIST_COP1_BC(X_SLOT)};
static const uint8_t dec_cop1_s[128] = {ISA_LIST_COP1_S(X_SLOT)};
static const uint8_t dec_cop1_d[128] = {ISA_LIST_COP1_D(X_SLOT)};
static const uint8_t dec_cop1_w[64] = {ISA_LIST_COP1_W(X_SLOT)};
static const uint8_t dec_hv[32] = {ISA_LIST_HV(X_SLOT)};
#undef X_SLOT

_Static_assert(ISA_COUNT <= 256, "decode tables hold ops in a uint8_t");

/* Bit masks of the fields (isa.h's diagram). */
#define M_OP 0xfc000000u
#define M_RS 0x03e00000u
#define M_RT 0x001f0000u
#define M_RD 0x0000f800u
#define M_SA 0x000007c0u
#define M_FUNCT 0x0000003fu
#define M_IMM 0x0000ffffu
#define M_TARGET 0x03ffffffu
#define M_CODE 0x03ffffc0u
#define M_CC_RT 0x001c0000u /* cc of bc1t, movf, movt: rt's bits 4:2 */
#define M_CC_SA 0x00000700u /* cc of c.cond.fmt: sa's bits 4:2 */
#define M_TF 0x00010000u    /* movf (0) or movt (1): a selector bit */
#define M_NDTF 0x00030000u  /* nd and tf of bc1f/bc1t/bc1fl/bc1tl */

/* The operand bits each format uses.  Every other bit that is not the
 * class's selector must be zero: MIPS requires it for most of them (sa of
 * add, rt of blez, sel of mfc0), and for the rest (syscall and trap codes,
 * which our assembler never emits) refusing them keeps disassembly exact,
 * so disassembling and reassembling gives the same bytes. */
static const uint32_t fmt_operands[] = {
    [F_NONE] = 0,
    [F_CODE] = M_CODE,
    [F_RD_RS_RT] = M_RS | M_RT | M_RD,
    [F_RD_RT_RS] = M_RS | M_RT | M_RD,
    [F_RD_RT_SA] = M_RT | M_RD | M_SA,
    [F_RD_RS] = M_RS | M_RT | M_RD, /* rt must equal rd (MIPS32 clz/clo) */
    [F_RS_RT] = M_RS | M_RT,
    [F_RD] = M_RD,
    [F_RS] = M_RS,
    [F_JALR] = M_RS | M_RD,
    [F_RT_RS_SIMM] = M_RS | M_RT | M_IMM,
    [F_RT_RS_UIMM] = M_RS | M_RT | M_IMM,
    [F_RT_UIMM] = M_RT | M_IMM,
    [F_RS_SIMM] = M_RS | M_IMM,
    [F_RT_MEM] = M_RS | M_RT | M_IMM,
    [F_RS_RT_REL] = M_RS | M_RT | M_IMM,
    [F_RS_REL] = M_RS | M_IMM,
    [F_TARGET] = M_TARGET,
    [F_RT_C0] = M_RT | M_RD | 0x7u,
    [F_STR] = M_IMM,
    [F_FD_FS_FT] = M_RT | M_RD | M_SA,
    [F_FD_FS] = M_RD | M_SA,
    [F_FD_FS_RT] = M_RT | M_RD | M_SA,
    [F_FD_FS_CC] = M_CC_RT | M_RD | M_SA,
    [F_CC_FS_FT] = M_RT | M_RD | M_CC_SA,
    [F_CC_REL] = M_CC_RT | M_IMM,
    [F_RD_RS_CC] = M_RS | M_CC_RT | M_RD,
    [F_RT_FS] = M_RT | M_RD,
    [F_RT_FCR] = M_RT | M_RD,
    [F_FT_MEM] = M_RS | M_RT | M_IMM,
};

/* The formats whose op is chosen by the tf bit too (movf/movt and kin). */
static int has_tf(unsigned fmt) { return fmt == F_RD_RS_CC || fmt == F_FD_FS_CC; }

/* The bits that pick the operation within each class. */
static const uint32_t cls_selector[] = {
    [ISA_CLASS_SPECIAL] = M_OP | M_FUNCT,
    [ISA_CLASS_REGIMM] = M_OP | M_RT,
    [ISA_CLASS_MAJOR] = M_OP,
    [ISA_CLASS_SPECIAL2] = M_OP | M_FUNCT,
    [ISA_CLASS_COP0] = M_OP | M_RS,
    [ISA_CLASS_COP0_CO] = M_OP | M_RS | M_FUNCT,
    [ISA_CLASS_COP1] = M_OP | M_RS,
    [ISA_CLASS_COP1_BC] = M_OP | M_RS | M_NDTF,
    [ISA_CLASS_COP1_S] = M_OP | M_RS | M_FUNCT,
    [ISA_CLASS_COP1_D] = M_OP | M_RS | M_FUNCT,
    [ISA_CLASS_COP1_W] = M_OP | M_RS | M_FUNCT,
    [ISA_CLASS_HV] = M_OP | M_RS,
};

static uint32_t cls_opcode(unsigned cls)
{
    switch (cls) {
    case ISA_CLASS_SPECIAL:
        return ISA_OP_SPECIAL;
    case ISA_CLASS_REGIMM:
        return ISA_OP_REGIMM;
    case ISA_CLASS_SPECIAL2:
        return ISA_OP_SPECIAL2;
    case ISA_CLASS_COP0:
    case ISA_CLASS_COP0_CO:
        return ISA_OP_COP0;
    case ISA_CLASS_HV:
        return ISA_OP_HV;
    case ISA_CLASS_COP1:
    case ISA_CLASS_COP1_BC:
    case ISA_CLASS_COP1_S:
    case ISA_CLASS_COP1_D:
    case ISA_CLASS_COP1_W:
        return ISA_OP_COP1;
    default:
        return 0; /* MAJOR: the opcode is the entry's own value */
    }
}

/* A funct-selected op, with the tf bit when the funct's op has one. */
static enum isa_op by_funct(const uint8_t dec[128], uint32_t word)
{
    enum isa_op op = dec[ISA_FUNCT(word)];
    if (op != ISA_INVALID && has_tf(isa_table[op].fmt))
        op = dec[ISA_FUNCT(word) | ((word & M_TF) ? ISA_VALUE_TF : 0)];
    return op;
}

enum isa_op isa_decode(uint32_t word)
{
    enum isa_op op;
    switch (ISA_OPCODE(word)) {
    case ISA_OP_SPECIAL:
        op = by_funct(dec_special, word);
        break;
    case ISA_OP_REGIMM:
        op = dec_regimm[ISA_RT(word)];
        break;
    case ISA_OP_SPECIAL2:
        op = dec_special2[ISA_FUNCT(word)];
        break;
    case ISA_OP_COP0:
        /* The CO half (rs >= 0x10) by funct, its other rs bits zero. */
        op = ISA_RS(word) == ISA_COP0_CO ? dec_cop0_co[ISA_FUNCT(word)] : dec_cop0[ISA_RS(word)];
        break;
    case ISA_OP_COP1:
        switch (ISA_RS(word)) {
        case ISA_COP1_BC:
            op = dec_cop1_bc[ISA_RT(word) & 3u];
            break;
        case ISA_COP1_S:
            op = by_funct(dec_cop1_s, word);
            break;
        case ISA_COP1_D:
            op = by_funct(dec_cop1_d, word);
            break;
        case ISA_COP1_W:
            op = dec_cop1_w[ISA_FUNCT(word)];
            break;
        default:
            op = dec_cop1[ISA_RS(word)];
            break;
        }
        break;
    case ISA_OP_HV:
        op = dec_hv[ISA_RS(word)];
        break;
    default:
        op = dec_major[ISA_OPCODE(word)];
        break;
    }
    if (op == ISA_INVALID)
        return ISA_INVALID;
    const struct isa_info *in = &isa_table[op];
    if (word & ~(cls_selector[in->cls] | fmt_operands[in->fmt] | (has_tf(in->fmt) ? M_TF : 0)))
        return ISA_INVALID;
    if (in->fmt == F_RD_RS && ISA_RT(word) != ISA_RD(word))
        return ISA_INVALID;
    return op;
}

/* ---- encoding ---------------------------------------------------------- */

uint32_t isa_encode(enum isa_op op, const struct isa_fields *f)
{
    if ((unsigned)op >= ISA_COUNT || op == ISA_INVALID)
        return 0xffffffffu; /* decodes as invalid: opcode 0x3f is unused */
    const struct isa_info *in = &isa_table[op];

    uint32_t rt = f->rt;
    if (in->fmt == F_RD_RS)
        rt = f->rd; /* MIPS32 clz/clo repeat rd in the rt field */

    uint32_t operands;
    switch (in->fmt) {
    case F_TARGET:
        operands = f->imm & 0x03ffffffu;
        break;
    case F_CODE:
        operands = (f->imm & 0xfffffu) << 6;
        break;
    case F_RT_C0:
        operands = (rt & 31u) << 16 | (f->rd & 31u) << 11 | (f->imm & 7u);
        break;
    case F_RT_RS_SIMM:
    case F_RT_RS_UIMM:
    case F_RT_UIMM:
    case F_RS_SIMM:
    case F_RT_MEM:
    case F_RS_RT_REL:
    case F_RS_REL:
    case F_STR:
    case F_CC_REL:
    case F_FT_MEM:
        operands = (f->rs & 31u) << 21 | (rt & 31u) << 16 | (f->imm & 0xffffu);
        break;
    default:
        operands =
            (f->rs & 31u) << 21 | (rt & 31u) << 16 | (f->rd & 31u) << 11 | (f->sa & 31u) << 6;
        break;
    }
    operands &= fmt_operands[in->fmt];

    uint32_t sel;
    switch (in->cls) {
    case ISA_CLASS_SPECIAL:
    case ISA_CLASS_SPECIAL2:
        sel = cls_opcode(in->cls) << 26 | (in->value & 0x3fu) |
              ((in->value & ISA_VALUE_TF) ? M_TF : 0);
        break;
    case ISA_CLASS_COP1_S:
    case ISA_CLASS_COP1_D:
    case ISA_CLASS_COP1_W: {
        uint32_t fmt = in->cls == ISA_CLASS_COP1_S ? ISA_COP1_S
                       : in->cls == ISA_CLASS_COP1_D ? ISA_COP1_D
                                                     : ISA_COP1_W;
        sel = ISA_OP_COP1 << 26 | fmt << 21 | (in->value & 0x3fu) |
              ((in->value & ISA_VALUE_TF) ? M_TF : 0);
        break;
    }
    case ISA_CLASS_COP0_CO:
        sel = ISA_OP_COP0 << 26 | ISA_COP0_CO << 21 | in->value;
        break;
    case ISA_CLASS_COP1_BC:
        sel = ISA_OP_COP1 << 26 | ISA_COP1_BC << 21 | (uint32_t)in->value << 16;
        break;
    case ISA_CLASS_REGIMM:
        sel = cls_opcode(in->cls) << 26 | (uint32_t)in->value << 16;
        break;
    case ISA_CLASS_COP0:
    case ISA_CLASS_COP1:
    case ISA_CLASS_HV:
        sel = cls_opcode(in->cls) << 26 | (uint32_t)in->value << 21;
        break;
    default:
        sel = (uint32_t)in->value << 26;
        break;
    }
    return sel | operands;
}

enum isa_op isa_lookup(const char *mnemonic)
{
    for (int op = 1; op < ISA_COUNT; op++)
        if (strcmp(isa_table[op].mnemonic, mnemonic) == 0)
            return (enum isa_op)op;
    return ISA_INVALID;
}

/* ---- registers --------------------------------------------------------- */

const char *const isa_reg_names[32] = {"zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
                                       "t0",   "t1", "t2", "t3", "t4", "t5", "t6", "t7",
                                       "s0",   "s1", "s2", "s3", "s4", "s5", "s6", "s7",
                                       "t8",   "t9", "k0", "k1", "gp", "sp", "fp", "ra"};

const char *const isa_c0_names[32] = {
    "Index", "Random", "EntryLo0", "EntryLo1", "Context", "PageMask", "Wired", NULL,
    "BadVAddr", "Count", "EntryHi", "Compare", "Status", "Cause", "EPC", "PRId",
    "Config", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, "ErrorEPC", NULL};

int isa_reg_number(const char *name, size_t len)
{
    if (len < 2 || name[0] != '$')
        return -1;
    name++;
    len--;
    if (name[0] >= '0' && name[0] <= '9') {
        if (len > 2)
            return -1;
        int n = 0;
        for (size_t i = 0; i < len; i++) {
            if (name[i] < '0' || name[i] > '9')
                return -1;
            n = n * 10 + (name[i] - '0');
        }
        return n <= 31 ? n : -1;
    }
    if (len == 2 && name[0] == 's' && name[1] == '8')
        return 30; /* $s8 is $fp's other name, as in SPIM */
    for (int r = 0; r < 32; r++)
        if (strlen(isa_reg_names[r]) == len && memcmp(isa_reg_names[r], name, len) == 0)
            return r;
    return -1;
}

int isa_freg_number(const char *name, size_t len)
{
    if (len < 3 || len > 4 || name[0] != '$' || name[1] != 'f')
        return -1;
    int n = 0;
    for (size_t i = 2; i < len; i++) {
        if (name[i] < '0' || name[i] > '9')
            return -1;
        n = n * 10 + (name[i] - '0');
    }
    return n <= 31 ? n : -1;
}

/* ---- disassembly ------------------------------------------------------- */

/* A branch or jump target: its label when the symbolizer knows one. */
static void put_target(char *buf, size_t n, uint32_t addr, isa_symbolizer sym, void *ctx)
{
    const char *name = sym ? sym(ctx, addr) : NULL;
    if (name)
        snprintf(buf, n, "%s", name);
    else
        snprintf(buf, n, "0x%08x", addr);
}

void isa_disasm(uint32_t word, uint32_t pc, char *buf, size_t n, isa_symbolizer sym, void *ctx,
                const char *(*str)(void *ctx, uint32_t off))
{
    if (!buf || n == 0)
        return;
    enum isa_op op = isa_decode(word);
    if (op == ISA_INVALID) {
        snprintf(buf, n, ".word 0x%08x", word);
        return;
    }
    if (word == 0) {
        snprintf(buf, n, "nop"); /* sll $zero, $zero, 0: SPIM prints nop */
        return;
    }
    const struct isa_info *in = &isa_table[op];
    const char *mn = in->mnemonic;
    const char *rs = isa_reg_names[ISA_RS(word)];
    const char *rt = isa_reg_names[ISA_RT(word)];
    const char *rd = isa_reg_names[ISA_RD(word)];
    char tgt[128];

    switch ((enum isa_fmt)in->fmt) {
    case F_NONE:
        snprintf(buf, n, "%s", mn);
        break;
    case F_CODE:
        if (ISA_CODE(word))
            snprintf(buf, n, "%s %u", mn, ISA_CODE(word));
        else
            snprintf(buf, n, "%s", mn);
        break;
    case F_RD_RS_RT:
        snprintf(buf, n, "%s $%s, $%s, $%s", mn, rd, rs, rt);
        break;
    case F_RD_RT_RS:
        snprintf(buf, n, "%s $%s, $%s, $%s", mn, rd, rt, rs);
        break;
    case F_RD_RT_SA:
        snprintf(buf, n, "%s $%s, $%s, %u", mn, rd, rt, ISA_SA(word));
        break;
    case F_RD_RS:
        snprintf(buf, n, "%s $%s, $%s", mn, rd, rs);
        break;
    case F_RS_RT:
        snprintf(buf, n, "%s $%s, $%s", mn, rs, rt);
        break;
    case F_RD:
        snprintf(buf, n, "%s $%s", mn, rd);
        break;
    case F_RS:
        snprintf(buf, n, "%s $%s", mn, rs);
        break;
    case F_JALR:
        if (ISA_RD(word) == 31)
            snprintf(buf, n, "%s $%s", mn, rs);
        else
            snprintf(buf, n, "%s $%s, $%s", mn, rd, rs);
        break;
    case F_RT_RS_SIMM:
        snprintf(buf, n, "%s $%s, $%s, %d", mn, rt, rs, (int)ISA_SIMM(word));
        break;
    case F_RT_RS_UIMM:
        snprintf(buf, n, "%s $%s, $%s, 0x%x", mn, rt, rs, ISA_IMM(word));
        break;
    case F_RT_UIMM:
        snprintf(buf, n, "%s $%s, 0x%x", mn, rt, ISA_IMM(word));
        break;
    case F_RS_SIMM:
        snprintf(buf, n, "%s $%s, %d", mn, rs, (int)ISA_SIMM(word));
        break;
    case F_RT_MEM:
        snprintf(buf, n, "%s $%s, %d($%s)", mn, rt, (int)ISA_SIMM(word), rs);
        break;
    case F_RS_RT_REL:
        put_target(tgt, sizeof tgt, pc + 4 + ((uint32_t)ISA_SIMM(word) << 2), sym, ctx);
        snprintf(buf, n, "%s $%s, $%s, %s", mn, rs, rt, tgt);
        break;
    case F_RS_REL:
        put_target(tgt, sizeof tgt, pc + 4 + ((uint32_t)ISA_SIMM(word) << 2), sym, ctx);
        snprintf(buf, n, "%s $%s, %s", mn, rs, tgt);
        break;
    case F_TARGET:
        put_target(tgt, sizeof tgt, ((pc + 4) & 0xf0000000u) | ISA_TARGET(word) << 2, sym, ctx);
        snprintf(buf, n, "%s %s", mn, tgt);
        break;
    case F_RT_C0: {
        /* SPIM's and MARS's syntax (a number), the select as GNU as
         * writes it, and the register's name as a comment */
        const char *name = !ISA_C0_SEL(word)                        ? isa_c0_names[ISA_RD(word)]
                           : ISA_RD(word) == 16 && ISA_C0_SEL(word) == 1 ? "Config1"
                                                                         : NULL;
        if (ISA_C0_SEL(word))
            snprintf(buf, n, "%s $%s, $%u, %u%s%s", mn, rt, ISA_RD(word), ISA_C0_SEL(word),
                     name ? "  # " : "", name ? name : "");
        else
            snprintf(buf, n, "%s $%s, $%u%s%s", mn, rt, ISA_RD(word), name ? "  # " : "",
                     name ? name : "");
        break;
    }
    case F_FD_FS_FT:
        snprintf(buf, n, "%s $f%u, $f%u, $f%u", mn, ISA_SA(word), ISA_RD(word), ISA_RT(word));
        break;
    case F_FD_FS:
        snprintf(buf, n, "%s $f%u, $f%u", mn, ISA_SA(word), ISA_RD(word));
        break;
    case F_FD_FS_RT:
        snprintf(buf, n, "%s $f%u, $f%u, $%s", mn, ISA_SA(word), ISA_RD(word), rt);
        break;
    case F_FD_FS_CC:
        snprintf(buf, n, "%s $f%u, $f%u, %u", mn, ISA_SA(word), ISA_RD(word), ISA_RT(word) >> 2);
        break;
    case F_CC_FS_FT:
        if (ISA_SA(word) >> 2)
            snprintf(buf, n, "%s %u, $f%u, $f%u", mn, ISA_SA(word) >> 2, ISA_RD(word), ISA_RT(word));
        else
            snprintf(buf, n, "%s $f%u, $f%u", mn, ISA_RD(word), ISA_RT(word));
        break;
    case F_CC_REL:
        put_target(tgt, sizeof tgt, pc + 4 + ((uint32_t)ISA_SIMM(word) << 2), sym, ctx);
        if (ISA_RT(word) >> 2)
            snprintf(buf, n, "%s %u, %s", mn, ISA_RT(word) >> 2, tgt);
        else
            snprintf(buf, n, "%s %s", mn, tgt);
        break;
    case F_RD_RS_CC:
        snprintf(buf, n, "%s $%s, $%s, %u", mn, rd, rs, ISA_RT(word) >> 2);
        break;
    case F_RT_FS:
        snprintf(buf, n, "%s $%s, $f%u", mn, rt, ISA_RD(word));
        break;
    case F_RT_FCR:
        snprintf(buf, n, "%s $%s, $%u", mn, rt, ISA_RD(word));
        break;
    case F_FT_MEM:
        snprintf(buf, n, "%s $f%u, %d($%s)", mn, ISA_RT(word), (int)ISA_SIMM(word), rs);
        break;
    case F_STR: {
        const char *s = str ? str(ctx, ISA_IMM(word)) : NULL;
        if (s)
            snprintf(buf, n, "%s %s", mn, s);
        else
            snprintf(buf, n, ".word 0x%08x # %s, string %u", word, mn, ISA_IMM(word));
        break;
    }
    }
}
