/* check_isa.c: the ISA tables, decoder, encoder, lookup, register names
 * and disassembler of common/isa.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa.h"

/* The fields of a word as its format reads them: the inverse of isa_encode. */
static struct isa_fields fields_of(uint32_t w, enum isa_op op)
{
    struct isa_fields f = {ISA_RS(w), ISA_RT(w), ISA_RD(w), ISA_SA(w), ISA_IMM(w)};
    if (isa_table[op].fmt == F_TARGET)
        f.imm = ISA_TARGET(w);
    else if (isa_table[op].fmt == F_CODE)
        f.imm = ISA_CODE(w);
    else if (isa_table[op].fmt == F_RD_RS_CC || isa_table[op].fmt == F_FD_FS_CC ||
             isa_table[op].fmt == F_CC_REL)
        f.rt &= ~3u; /* the nd and tf bits select the op: cc alone is an operand */
    return f;
}

/* The operand fields each format carries (the test's own table). */
enum { U_RS = 1, U_RT = 2, U_RD = 4, U_SA = 8, U_IMM = 16 };
static unsigned uses(enum isa_op op)
{
    switch ((enum isa_fmt)isa_table[op].fmt) {
    case F_NONE:
        return 0;
    case F_CODE:
    case F_TARGET:
    case F_STR:
        return U_IMM;
    case F_RD_RS_RT:
    case F_RD_RT_RS:
        return U_RD | U_RS | U_RT;
    case F_RD_RT_SA:
        return U_RD | U_RT | U_SA;
    case F_RD_RS:
    case F_JALR:
        return U_RD | U_RS;
    case F_RS_RT:
        return U_RS | U_RT;
    case F_RD:
        return U_RD;
    case F_RS:
        return U_RS;
    case F_RT_RS_SIMM:
    case F_RT_RS_UIMM:
    case F_RT_MEM:
    case F_RS_RT_REL:
        return U_RS | U_RT | U_IMM;
    case F_RT_UIMM:
        return U_RT | U_IMM;
    case F_RS_SIMM:
    case F_RS_REL:
        return U_RS | U_IMM;
    case F_RT_C0:
    case F_RT_FS:
    case F_RT_FCR:
        return U_RT | U_RD;
    case F_FD_FS_FT:
    case F_FD_FS_RT:
        return U_SA | U_RD | U_RT;
    case F_FD_FS:
        return U_SA | U_RD;
    case F_FD_FS_CC:
        return U_SA | U_RD | U_RT; /* rt = cc << 2 */
    case F_CC_FS_FT:
        return U_SA | U_RD | U_RT; /* sa = cc << 2 */
    case F_CC_REL:
        return U_RT | U_IMM; /* rt = cc << 2 */
    case F_RD_RS_CC:
        return U_RD | U_RS | U_RT; /* rt = cc << 2 */
    case F_FT_MEM:
        return U_RS | U_RT | U_IMM;
    }
    return 0;
}

/* A small deterministic generator (xorshift32): reproducible runs. */
static uint32_t rng_state = 2463534242u;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Which fields each format carries, so the test sets only those. */
static struct isa_fields random_fields(enum isa_op op)
{
    struct isa_fields f = {0};
    uint32_t r = rnd(), i = rnd();
    switch ((enum isa_fmt)isa_table[op].fmt) {
    case F_NONE:
        break;
    case F_CODE:
        f.imm = i & 0xfffff;
        break;
    case F_RD_RS_RT:
    case F_RD_RT_RS:
        f.rd = r & 31, f.rs = r >> 5 & 31, f.rt = r >> 10 & 31;
        break;
    case F_RD_RT_SA:
        f.rd = r & 31, f.rt = r >> 10 & 31, f.sa = r >> 15 & 31;
        break;
    case F_RD_RS:
        f.rd = r & 31, f.rs = r >> 5 & 31;
        break;
    case F_RS_RT:
        f.rs = r >> 5 & 31, f.rt = r >> 10 & 31;
        break;
    case F_RD:
        f.rd = r & 31;
        break;
    case F_RS:
        f.rs = r >> 5 & 31;
        break;
    case F_JALR:
        f.rd = r & 31, f.rs = r >> 5 & 31;
        break;
    case F_RT_RS_SIMM:
    case F_RT_RS_UIMM:
    case F_RT_MEM:
    case F_RS_RT_REL:
        f.rs = r >> 5 & 31, f.rt = r >> 10 & 31, f.imm = i & 0xffff;
        break;
    case F_RT_UIMM:
    case F_RT_C0:
        f.rt = r >> 10 & 31, f.rd = isa_table[op].fmt == F_RT_C0 ? (r & 31) : 0;
        f.imm = isa_table[op].fmt == F_RT_UIMM ? (i & 0xffff) : 0;
        break;
    case F_RS_SIMM:
    case F_RS_REL:
        f.rs = r >> 5 & 31, f.imm = i & 0xffff;
        break;
    case F_TARGET:
        f.imm = i & 0x3ffffff;
        break;
    case F_STR:
        f.imm = i & 0xffff;
        break;
    case F_FD_FS_FT:
    case F_FD_FS_RT:
        f.sa = r & 31, f.rd = r >> 5 & 31, f.rt = r >> 10 & 31;
        break;
    case F_FD_FS:
        f.sa = r & 31, f.rd = r >> 5 & 31;
        break;
    case F_FD_FS_CC:
        f.sa = r & 31, f.rd = r >> 5 & 31, f.rt = (r >> 10 & 7) << 2;
        break;
    case F_CC_FS_FT:
        f.sa = (r & 7) << 2, f.rd = r >> 5 & 31, f.rt = r >> 10 & 31;
        break;
    case F_CC_REL:
        f.rt = (r & 7) << 2, f.imm = i & 0xffff;
        break;
    case F_RD_RS_CC:
        f.rd = r & 31, f.rs = r >> 5 & 31, f.rt = (r >> 10 & 7) << 2;
        break;
    case F_RT_FS:
    case F_RT_FCR:
        f.rt = r & 31, f.rd = r >> 5 & 31;
        break;
    case F_FT_MEM:
        f.rs = r >> 5 & 31, f.rt = r >> 10 & 31, f.imm = i & 0xffff;
        break;
    }
    return f;
}

START_TEST(every_op_round_trips)
{
    for (int op = 1; op < ISA_COUNT; op++)
        for (int k = 0; k < 200; k++) {
            struct isa_fields f = random_fields(op);
            uint32_t w = isa_encode(op, &f);
            ck_assert_msg(isa_decode(w) == (enum isa_op)op, "%s: 0x%08x decodes as %s",
                          isa_table[op].mnemonic, w, isa_table[isa_decode(w)].mnemonic);
            /* The operand fields come back out (clz/clo also repeat rd in rt). */
            struct isa_fields g = fields_of(w, op);
            unsigned u = uses(op);
            if (isa_table[op].fmt == F_RD_RS)
                ck_assert_uint_eq(g.rt, f.rd);
            ck_assert_msg(!(u & U_RS) || g.rs == f.rs, "%s rs", isa_table[op].mnemonic);
            ck_assert_msg(!(u & U_RT) || g.rt == f.rt, "%s rt", isa_table[op].mnemonic);
            ck_assert_msg(!(u & U_RD) || g.rd == f.rd, "%s rd", isa_table[op].mnemonic);
            ck_assert_msg(!(u & U_SA) || g.sa == f.sa, "%s sa", isa_table[op].mnemonic);
            ck_assert_msg(!(u & U_IMM) || g.imm == f.imm, "%s imm", isa_table[op].mnemonic);
        }
}
END_TEST

START_TEST(table_is_consistent)
{
    ck_assert_ptr_nonnull(isa_table[ISA_INVALID].mnemonic);
    for (int op = 1; op < ISA_COUNT; op++) {
        const struct isa_info *in = &isa_table[op];
        ck_assert_msg(in->mnemonic && in->mnemonic[0], "op %d has no mnemonic", op);
        ck_assert_msg(in->semantics && in->semantics[0], "%s has no semantics", in->mnemonic);
        /* Mnemonics are unique. */
        for (int o = op + 1; o < ISA_COUNT; o++)
            ck_assert_msg(strcmp(in->mnemonic, isa_table[o].mnemonic) != 0, "%s twice",
                          in->mnemonic);
        /* The encoded opcode field is the class's. */
        struct isa_fields z = {0};
        uint32_t w = isa_encode(op, &z);
        static const unsigned cls_op[] = {
            [ISA_CLASS_SPECIAL] = ISA_OP_SPECIAL, [ISA_CLASS_REGIMM] = ISA_OP_REGIMM,
            [ISA_CLASS_SPECIAL2] = ISA_OP_SPECIAL2, [ISA_CLASS_COP0] = ISA_OP_COP0,
            [ISA_CLASS_COP0_CO] = ISA_OP_COP0,
            [ISA_CLASS_COP1] = ISA_OP_COP1, [ISA_CLASS_COP1_BC] = ISA_OP_COP1,
            [ISA_CLASS_COP1_S] = ISA_OP_COP1, [ISA_CLASS_COP1_D] = ISA_OP_COP1,
            [ISA_CLASS_COP1_W] = ISA_OP_COP1, [ISA_CLASS_HV] = ISA_OP_HV};
        unsigned want = in->cls == ISA_CLASS_MAJOR ? in->value : cls_op[in->cls];
        ck_assert_uint_eq(ISA_OPCODE(w), want);
    }
}
END_TEST

/* Reference encodings from the MIPS32 manual (as GNU as and SPIM emit them). */
START_TEST(known_encodings)
{
    struct {
        uint32_t word;
        const char *text;
    } known[] = {
        {0x012a4021, "addu $t0, $t1, $t2"},
        {0x8fa40004, "lw $a0, 4($sp)"},
        {0xafbfffe0, "sw $ra, -32($sp)"},
        {0x3c011001, "lui $at, 0x1001"},
        {0x34210010, "ori $at, $at, 0x10"},
        {0x2402000a, "addiu $v0, $zero, 10"},
        {0x0000000c, "syscall"},
        {0x03e00008, "jr $ra"},
        {0x0320f809, "jalr $t9"},
        {0x00021080, "sll $v0, $v0, 2"},
        {0x00000000, "nop"},
        {0x00851004, "sllv $v0, $a1, $a0"},
        {0x71095002, "mul $t2, $t0, $t1"},
        {0x70a42020, "clz $a0, $a1"},
        {0x0000000d, "break"},
        {0x401a6800, "mfc0 $k0, $13  # Cause"},
        {0x408c6000, "mtc0 $t4, $12  # Status"},
        {0x40088001, "mfc0 $t0, $16, 1  # Config1"},
        {0x40087802, "mfc0 $t0, $15, 2"},
        {0x40083800, "mfc0 $t0, $7"},
        {0x42000018, "eret"},
        {0x42000010, "rfe"},
        {0x42000001, "tlbr"},
        {0x42000002, "tlbwi"},
        {0x42000006, "tlbwr"},
        {0x42000008, "tlbp"},
        {0x4058f000, "cfc0 $t8, $30"}, /* GNU as -mips1 (-mips32 refuses them) */
        {0x40d4d800, "ctc0 $s4, $27"},
        {0x01090018, "mult $t0, $t1"},
        {0x00004012, "mflo $t0"},
        {0xec000000, "DUMP_PROCESSOR_STATE"},
        {0xec200010, ".word 0xec200010 # SNAPSHOT, string 16"},
        {0x0109402a, "slt $t0, $t0, $t1"},
        /* coprocessor 1, as mipsel-linux-gnu-as encodes them */
        {0x46020032, "c.eq.s $f0, $f2"},
        {0x46020132, "c.eq.s 1, $f0, $f2"},
        {0x01244001, "movf $t0, $t1, 1"},
        {0x460d1011, "movt.s $f0, $f2, 3"},
        {0x46091012, "movz.s $f0, $f2, $t1"},
        {0x4448f800, "cfc1 $t0, $31"},
        {0x44c8f800, "ctc1 $t0, $31"},
        {0x44081800, "mfc1 $t0, $f3"},
        {0xc7a2fffc, "lwc1 $f2, -4($sp)"},
        {0xd7a20008, "ldc1 $f2, 8($sp)"},
        {0x46800820, "cvt.s.w $f0, $f1"},
        {0x4620100c, "round.w.d $f0, $f2"},
        {0x46251840, "add.d $f1, $f3, $f5"},
        {0x45090001, "bc1t 2, 0x00400008"},
        {0x45030000, "bc1tl 0x00400004"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        char buf[96];
        isa_disasm(known[i].word, 0x00400000, buf, sizeof buf, NULL, NULL, NULL);
        ck_assert_str_eq(buf, known[i].text);
    }
}
END_TEST

START_TEST(field_macros)
{
    uint32_t w = 0x8fa4fffc; /* lw $a0, -4($sp) */
    ck_assert_uint_eq(ISA_OPCODE(w), 0x23);
    ck_assert_uint_eq(ISA_RS(w), 29);
    ck_assert_uint_eq(ISA_RT(w), 4);
    ck_assert_uint_eq(ISA_IMM(w), 0xfffc);
    ck_assert_int_eq(ISA_SIMM(w), -4);
    w = 0x012a4021; /* addu $t0, $t1, $t2 */
    ck_assert_uint_eq(ISA_RS(w), 9);
    ck_assert_uint_eq(ISA_RT(w), 10);
    ck_assert_uint_eq(ISA_RD(w), 8);
    ck_assert_uint_eq(ISA_SA(w), 0);
    ck_assert_uint_eq(ISA_FUNCT(w), 0x21);
    ck_assert_uint_eq(ISA_SA(0x000217c0), 31);
    ck_assert_uint_eq(ISA_TARGET(0x0fffffff), 0x3ffffff);
    ck_assert_uint_eq(ISA_CODE(0x03ffffcd), 0xfffff);
}
END_TEST

START_TEST(lookup)
{
    for (int op = 1; op < ISA_COUNT; op++)
        ck_assert_int_eq(isa_lookup(isa_table[op].mnemonic), op);
    ck_assert_int_eq(isa_lookup("addu"), ISA_ADDU);
    ck_assert_int_eq(isa_lookup("ADDU"), ISA_INVALID); /* case-sensitive, as SPIM */
    ck_assert_int_eq(isa_lookup("li"), ISA_INVALID);   /* pseudo: the assembler's job */
    ck_assert_int_eq(isa_lookup(""), ISA_INVALID);
    ck_assert_int_eq(isa_lookup("(invalid)"), ISA_INVALID);
}
END_TEST

START_TEST(registers)
{
    char name[32];
    for (int r = 0; r < 32; r++) {
        snprintf(name, sizeof name, "$%s", isa_reg_names[r]);
        ck_assert_int_eq(isa_reg_number(name, strlen(name)), r);
        snprintf(name, sizeof name, "$%d", r);
        ck_assert_int_eq(isa_reg_number(name, strlen(name)), r);
    }
    ck_assert_int_eq(isa_reg_number("$s8", 3), 30);
    ck_assert_int_eq(isa_reg_number("$fp", 3), 30);
    ck_assert_int_eq(isa_reg_number("$zero", 5), 0);
    ck_assert_int_eq(isa_reg_number("$t0,", 3), 8); /* len-bounded: the comma is not read */
    ck_assert_int_eq(isa_reg_number("$t0", 2), -1);
    ck_assert_int_eq(isa_reg_number("$32", 3), -1);
    ck_assert_int_eq(isa_reg_number("$100", 4), -1);
    ck_assert_int_eq(isa_reg_number("t0", 2), -1);
    ck_assert_int_eq(isa_reg_number("$", 1), -1);
    ck_assert_int_eq(isa_reg_number("", 0), -1);
    ck_assert_int_eq(isa_reg_number("$t10", 4), -1);
    ck_assert_int_eq(isa_reg_number("$1a", 3), -1);
    ck_assert_int_eq(isa_reg_number("$T0", 3), -1);
}
END_TEST

static const char *sym_cb(void *ctx, uint32_t addr)
{
    (void)ctx;
    return addr == 0x00400000 ? "main" : NULL;
}

static const char *str_cb(void *ctx, uint32_t off)
{
    return off == 8 ? (const char *)ctx : NULL;
}

START_TEST(disasm)
{
    char buf[96];
    struct isa_fields f = {.rs = 8, .rt = 9, .imm = (uint32_t)-3 & 0xffff};
    uint32_t beq = isa_encode(ISA_BEQ, &f); /* at 0x00400008: target 0x00400000 */
    isa_disasm(beq, 0x00400008, buf, sizeof buf, sym_cb, NULL, NULL);
    ck_assert_str_eq(buf, "beq $t0, $t1, main");
    isa_disasm(beq, 0x00400010, buf, sizeof buf, sym_cb, NULL, NULL);
    ck_assert_str_eq(buf, "beq $t0, $t1, 0x00400008");

    f = (struct isa_fields){.imm = 0x00400000 >> 2};
    isa_disasm(isa_encode(ISA_JAL, &f), 0x00400100, buf, sizeof buf, sym_cb, NULL, NULL);
    ck_assert_str_eq(buf, "jal main");
    /* The target keeps the top 4 bits of the PC of the delay slot. */
    isa_disasm(isa_encode(ISA_J, &f), 0x80000180, buf, sizeof buf, NULL, NULL, NULL);
    ck_assert_str_eq(buf, "j 0x80400000");

    f = (struct isa_fields){.rs = 4, .imm = 2};
    isa_disasm(isa_encode(ISA_BGEZ, &f), 0x00400000, buf, sizeof buf, NULL, NULL, NULL);
    ck_assert_str_eq(buf, "bgez $a0, 0x0040000c");

    f = (struct isa_fields){.imm = 8};
    isa_disasm(isa_encode(ISA_SNAPSHOT, &f), 0, buf, sizeof buf, NULL, "snap.bin", str_cb);
    ck_assert_str_eq(buf, "SNAPSHOT snap.bin");
    isa_disasm(isa_encode(ISA_SNAPSHOT, &f), 0, buf, sizeof buf, NULL, NULL, NULL);
    ck_assert_str_eq(buf, ".word 0xec200008 # SNAPSHOT, string 8");

    f = (struct isa_fields){.rs = 25, .rd = 8};
    isa_disasm(isa_encode(ISA_JALR, &f), 0, buf, sizeof buf, NULL, NULL, NULL);
    ck_assert_str_eq(buf, "jalr $t0, $t9");
    f = (struct isa_fields){.rs = 8, .imm = 0xfff0};
    isa_disasm(isa_encode(ISA_TEQI, &f), 0, buf, sizeof buf, NULL, NULL, NULL);
    ck_assert_str_eq(buf, "teqi $t0, -16");
    f = (struct isa_fields){.imm = 7};
    isa_disasm(isa_encode(ISA_BREAK, &f), 0, buf, sizeof buf, NULL, NULL, NULL);
    ck_assert_str_eq(buf, "break 7");

    isa_disasm(0xffffffff, 0, buf, sizeof buf, NULL, NULL, NULL);
    ck_assert_str_eq(buf, ".word 0xffffffff");

    /* A short buffer is cut, and still NUL-terminated. */
    char small[6];
    memset(small, 'x', sizeof small);
    isa_disasm(0x012a4021, 0, small, sizeof small, NULL, NULL, NULL);
    ck_assert_str_eq(small, "addu ");
}
END_TEST

START_TEST(invalid_words)
{
    struct isa_fields f = {.rs = 1, .rt = 2, .rd = 3};
    /* Must-be-zero fields that are not zero. */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_ADD, &f) | 1u << 6), ISA_INVALID);       /* sa */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_SLL, &f)), ISA_INVALID + ISA_SLL);       /* ok */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_SLL, &f) | 1u << 21), ISA_INVALID);      /* rs */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_JR, &f) | 1u << 11), ISA_INVALID);       /* rd */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_MFHI, &f) | 1u << 16), ISA_INVALID);     /* rt */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_BLEZ, &f) | 1u << 16), ISA_INVALID);     /* rt */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_LUI, &f) | 1u << 21), ISA_INVALID);      /* rs */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_MFC0, &f) | 1u << 3), ISA_INVALID);      /* 10:3 */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_MFC0, &f) | 7u), ISA_MFC0);              /* sel */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_SYSCALL, &f) | 1u << 6), ISA_INVALID);   /* code */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_MULT, &f) | 1u << 11), ISA_INVALID);     /* rd */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_SNAPSHOT, &f) | 1u << 16), ISA_INVALID); /* rt */
    ck_assert_int_eq(isa_decode(ISA_ERET_WORD | 1u << 6), ISA_INVALID);
    ck_assert_int_eq(isa_decode(ISA_RFE_WORD | 1u << 6), ISA_INVALID);
    ck_assert_int_eq(isa_decode(0x42200000u), ISA_INVALID); /* COP0 rs=0x11: rfe's slot, not rfe */
    ck_assert_int_eq(isa_decode(0x42000000u), ISA_INVALID); /* COP0 rs=0x10, not eret */
    ck_assert_int_eq(isa_decode(0x42200002u), ISA_INVALID); /* tlbwi with another rs */
    ck_assert_int_eq(isa_decode(0x42000042u), ISA_INVALID); /* tlbwi with sa set */
    ck_assert_int_eq(isa_decode(0x70a01020u), ISA_INVALID); /* clz with rt != rd */
    /* Selectors the lists do not name. */
    ck_assert_int_eq(isa_decode(0x00000005u), ISA_INVALID); /* SPECIAL funct 5 */
    ck_assert_int_eq(isa_decode(0x04040000u), ISA_INVALID); /* REGIMM rt 4 */
    ck_assert_int_eq(isa_decode(0x7000003fu), ISA_INVALID); /* SPECIAL2 funct 0x3f */
    ck_assert_int_eq(isa_decode(0xec400000u), ISA_INVALID); /* hypercall 2 */
    ck_assert_int_eq(isa_decode(0xc4000000u), ISA_LWC1);
    /* Coprocessor 1: must-be-zero fields and unnamed selectors. */
    f = (struct isa_fields){.rt = 2, .rd = 3, .sa = 4};
    ck_assert_int_eq(isa_decode(isa_encode(ISA_ADD_S, &f)), ISA_ADD_S);
    ck_assert_int_eq(isa_decode(isa_encode(ISA_ADD_S, &f) | 1u << 21), ISA_ADD_D);    /* fmt D */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_ADD_S, &f) | 2u << 21), ISA_INVALID);  /* fmt 0x12 */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_NEG_D, &f) | 1u << 16), ISA_INVALID);  /* ft */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_C_LT_D, &f) | 1u << 6), ISA_INVALID);  /* sa bits 7:6 */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_MOVF, &f) | 1u << 17), ISA_INVALID);   /* nd */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_MOVF, &f) | 1u << 16), ISA_MOVT);      /* tf */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_MOVF_D, &f) | 1u << 16), ISA_MOVT_D);
    ck_assert_int_eq(isa_decode(isa_encode(ISA_MFC1, &f) | 1u << 6), ISA_INVALID);    /* sa */
    ck_assert_int_eq(isa_decode(isa_encode(ISA_BC1F, &f) | 1u << 17), ISA_BC1FL);
    ck_assert_int_eq(isa_decode(0x46000008u), ISA_INVALID); /* fmt S funct 8 (round.l: MIPS64) */
    ck_assert_int_eq(isa_decode(0x46a00020u), ISA_INVALID); /* fmt L (0x15): MIPS64 */
    ck_assert_int_eq(isa_decode(0x46800000u), ISA_INVALID); /* fmt W funct 0: no add.w */
    ck_assert_int_eq(isa_decode(0x44600000u), ISA_INVALID); /* mfhc1: MIPS32r2 */
    ck_assert_int_eq(isa_encode(ISA_INVALID, &f), 0xffffffffu);
}
END_TEST

/* Every word that decodes is exactly what isa_encode gives for its fields:
 * the decoder accepts nothing the encoder cannot produce, so disassembly
 * and reassembly keep the bytes. */
START_TEST(decode_is_canonical)
{
    int valid = 0;
    char buf[96];
    for (int i = 0; i < 2000000; i++) {
        uint32_t w = rnd();
        /* Half the time, clear the bits most often required to be zero. */
        if (i & 1)
            w &= ~0x000007c0u;
        enum isa_op op = isa_decode(w);
        if (op == ISA_INVALID)
            continue;
        valid++;
        struct isa_fields f = fields_of(w, op);
        ck_assert_msg(isa_encode(op, &f) == w, "0x%08x (%s) re-encodes as 0x%08x", w,
                      isa_table[op].mnemonic, isa_encode(op, &f));
        isa_disasm(w, 0x00400000, buf, sizeof buf, NULL, NULL, NULL);
        ck_assert_msg(strncmp(buf, ".word", 5) != 0 || op == ISA_SNAPSHOT, "0x%08x: %s", w, buf);
    }
    ck_assert_int_gt(valid, 100000); /* the sample really exercised the decoder */
}
END_TEST

Suite *isa_suite(void)
{
    Suite *s = suite_create("isa");
    TCase *t = tcase_create("encode_decode");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, every_op_round_trips);
    tcase_add_test(t, table_is_consistent);
    tcase_add_test(t, field_macros);
    tcase_add_test(t, invalid_words);
    tcase_add_test(t, decode_is_canonical);
    suite_add_tcase(s, t);
    t = tcase_create("names");
    tcase_add_test(t, lookup);
    tcase_add_test(t, registers);
    suite_add_tcase(s, t);
    t = tcase_create("disasm");
    tcase_add_test(t, known_encodings);
    tcase_add_test(t, disasm);
    suite_add_tcase(s, t);
    return s;
}
