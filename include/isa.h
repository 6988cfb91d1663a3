/* isa.h: the baby_hypervisor instruction set, defined once.
 *
 * Guest code is real MIPS32 machine code (little-endian words), so what a
 * learner sees in a listing is what a MIPS CPU would see.  Every instruction
 * is one 32-bit word decoded with shifts and masks:
 *
 *   31    26 25   21 20   16 15   11 10    6 5     0
 *  +--------+-------+-------+-------+-------+--------+
 *  | opcode |  rs   |  rt   |  rd   |  sa   | funct  |   R-type  (opcode 0)
 *  +--------+-------+-------+-------+-------+--------+
 *  | opcode |  rs   |  rt   |      immediate (16)    |   I-type
 *  +--------+-------+-------+------------------------+
 *  | opcode |            target (26)                 |   J-type
 *  +--------+----------------------------------------+
 *
 * The lists below are the only place opcodes are named.  From them come the
 * enum (isa_op), the mnemonic and operand-format tables used by babyasm,
 * the decoder, the disassembler, the VM's dispatch table and docs/isa.md.
 *
 * Each list entry is X(ID, "mnemonic", field value, operand format, "semantics").
 * The field value is the funct (SPECIAL, SPECIAL2), the rt field (REGIMM),
 * the opcode (I/J), the rs field (COP0) or the hypercall number (HV).
 */
#ifndef BH_ISA_H
#define BH_ISA_H

#include <stddef.h>
#include <stdint.h>

/* Operand formats: the assembler syntax of each machine instruction. */
enum isa_fmt {
    F_NONE,       /* syscall, eret, DUMP_PROCESSOR_STATE             */
    F_CODE,       /* break [code]                                     */
    F_RD_RS_RT,   /* add rd, rs, rt                                   */
    F_RD_RT_RS,   /* sllv rd, rt, rs                                  */
    F_RD_RT_SA,   /* sll rd, rt, sa                                   */
    F_RD_RS,      /* clz rd, rs                                       */
    F_RS_RT,      /* mult rs, rt ; teq rs, rt                         */
    F_RD,         /* mfhi rd                                          */
    F_RS,         /* jr rs ; mthi rs                                  */
    F_JALR,       /* jalr rs  |  jalr rd, rs                          */
    F_RT_RS_SIMM, /* addi rt, rs, simm16                              */
    F_RT_RS_UIMM, /* andi rt, rs, uimm16                              */
    F_RT_UIMM,    /* lui rt, uimm16                                   */
    F_RS_SIMM,    /* teqi rs, simm16                                  */
    F_RT_MEM,     /* lw rt, simm16(rs)                                */
    F_RS_RT_REL,  /* beq rs, rt, label   (16-bit word offset from PC+4) */
    F_RS_REL,     /* bgez rs, label                                   */
    F_TARGET,     /* j label   (26-bit word index in the PC's 256 MiB) */
    F_RT_C0,      /* mfc0 rt, $c0reg  (c0 register in the rd field)   */
    F_STR         /* SNAPSHOT file (imm16 = offset in the image string table; babyasm puts these strings first) */
};

#define ISA_OP_SPECIAL  0x00u
#define ISA_OP_REGIMM   0x01u
#define ISA_OP_COP0     0x10u
#define ISA_OP_SPECIAL2 0x1cu
#define ISA_OP_HV       0x3bu /* unused in MIPS32: the hypervisor's hypercalls */
#define ISA_ERET_WORD   0x42000018u

/* SPECIAL (opcode 0): value = funct */
#define ISA_LIST_SPECIAL(X) \
    X(SLL,     "sll",     0x00, F_RD_RT_SA,  "rd = rt << sa") \
    X(SRL,     "srl",     0x02, F_RD_RT_SA,  "rd = rt >> sa (logical)") \
    X(SRA,     "sra",     0x03, F_RD_RT_SA,  "rd = rt >> sa (arithmetic)") \
    X(SLLV,    "sllv",    0x04, F_RD_RT_RS,  "rd = rt << (rs & 31)") \
    X(SRLV,    "srlv",    0x06, F_RD_RT_RS,  "rd = rt >> (rs & 31) (logical)") \
    X(SRAV,    "srav",    0x07, F_RD_RT_RS,  "rd = rt >> (rs & 31) (arithmetic)") \
    X(JR,      "jr",      0x08, F_RS,        "pc = rs") \
    X(JALR,    "jalr",    0x09, F_JALR,      "rd = pc + 4; pc = rs (rd defaults to $ra)") \
    X(MOVZ,    "movz",    0x0a, F_RD_RS_RT,  "if rt == 0: rd = rs") \
    X(MOVN,    "movn",    0x0b, F_RD_RS_RT,  "if rt != 0: rd = rs") \
    X(SYSCALL, "syscall", 0x0c, F_NONE,      "exit to the monitor: system call number in $v0") \
    X(BREAK,   "break",   0x0d, F_CODE,      "breakpoint exception (Bp)") \
    X(SYNC,    "sync",    0x0f, F_CODE,      "order memory accesses (one CPU: does nothing); optional stype 0 to 31") \
    X(MFHI,    "mfhi",    0x10, F_RD,        "rd = hi") \
    X(MTHI,    "mthi",    0x11, F_RS,        "hi = rs") \
    X(MFLO,    "mflo",    0x12, F_RD,        "rd = lo") \
    X(MTLO,    "mtlo",    0x13, F_RS,        "lo = rs") \
    X(MULT,    "mult",    0x18, F_RS_RT,     "hi:lo = rs * rt (signed)") \
    X(MULTU,   "multu",   0x19, F_RS_RT,     "hi:lo = rs * rt (unsigned)") \
    X(DIV,     "div",     0x1a, F_RS_RT,     "lo = rs / rt; hi = rs % rt (signed; no trap on 0)") \
    X(DIVU,    "divu",    0x1b, F_RS_RT,     "lo = rs / rt; hi = rs % rt (unsigned; no trap on 0)") \
    X(ADD,     "add",     0x20, F_RD_RS_RT,  "rd = rs + rt, trap on signed overflow (Ov)") \
    X(ADDU,    "addu",    0x21, F_RD_RS_RT,  "rd = rs + rt") \
    X(SUB,     "sub",     0x22, F_RD_RS_RT,  "rd = rs - rt, trap on signed overflow (Ov)") \
    X(SUBU,    "subu",    0x23, F_RD_RS_RT,  "rd = rs - rt") \
    X(AND,     "and",     0x24, F_RD_RS_RT,  "rd = rs & rt") \
    X(OR,      "or",      0x25, F_RD_RS_RT,  "rd = rs | rt") \
    X(XOR,     "xor",     0x26, F_RD_RS_RT,  "rd = rs ^ rt") \
    X(NOR,     "nor",     0x27, F_RD_RS_RT,  "rd = ~(rs | rt)") \
    X(SLT,     "slt",     0x2a, F_RD_RS_RT,  "rd = rs < rt (signed)") \
    X(SLTU,    "sltu",    0x2b, F_RD_RS_RT,  "rd = rs < rt (unsigned)") \
    X(TGE,     "tge",     0x30, F_RS_RT,     "trap (Tr) if rs >= rt (signed)") \
    X(TGEU,    "tgeu",    0x31, F_RS_RT,     "trap (Tr) if rs >= rt (unsigned)") \
    X(TLT,     "tlt",     0x32, F_RS_RT,     "trap (Tr) if rs < rt (signed)") \
    X(TLTU,    "tltu",    0x33, F_RS_RT,     "trap (Tr) if rs < rt (unsigned)") \
    X(TEQ,     "teq",     0x34, F_RS_RT,     "trap (Tr) if rs == rt") \
    X(TNE,     "tne",     0x36, F_RS_RT,     "trap (Tr) if rs != rt")

/* REGIMM (opcode 1): value = rt field */
#define ISA_LIST_REGIMM(X) \
    X(BLTZ,    "bltz",    0x00, F_RS_REL,    "if rs < 0: branch") \
    X(BGEZ,    "bgez",    0x01, F_RS_REL,    "if rs >= 0: branch") \
    X(TGEI,    "tgei",    0x08, F_RS_SIMM,   "trap (Tr) if rs >= simm (signed)") \
    X(TGEIU,   "tgeiu",   0x09, F_RS_SIMM,   "trap (Tr) if rs >= simm (unsigned compare)") \
    X(TLTI,    "tlti",    0x0a, F_RS_SIMM,   "trap (Tr) if rs < simm (signed)") \
    X(TLTIU,   "tltiu",   0x0b, F_RS_SIMM,   "trap (Tr) if rs < simm (unsigned compare)") \
    X(TEQI,    "teqi",    0x0c, F_RS_SIMM,   "trap (Tr) if rs == simm") \
    X(TNEI,    "tnei",    0x0e, F_RS_SIMM,   "trap (Tr) if rs != simm") \
    X(BLTZAL,  "bltzal",  0x10, F_RS_REL,    "$ra = pc + 4; if rs < 0: branch") \
    X(BGEZAL,  "bgezal",  0x11, F_RS_REL,    "$ra = pc + 4; if rs >= 0: branch")

/* J-type and I-type: value = opcode */
#define ISA_LIST_MAJOR(X) \
    X(J,       "j",       0x02, F_TARGET,    "pc = (pc & 0xf0000000) | target << 2") \
    X(JAL,     "jal",     0x03, F_TARGET,    "$ra = pc + 4; pc = (pc & 0xf0000000) | target << 2") \
    X(BEQ,     "beq",     0x04, F_RS_RT_REL, "if rs == rt: branch") \
    X(BNE,     "bne",     0x05, F_RS_RT_REL, "if rs != rt: branch") \
    X(BLEZ,    "blez",    0x06, F_RS_REL,    "if rs <= 0: branch") \
    X(BGTZ,    "bgtz",    0x07, F_RS_REL,    "if rs > 0: branch") \
    X(ADDI,    "addi",    0x08, F_RT_RS_SIMM,"rt = rs + simm, trap on signed overflow (Ov)") \
    X(ADDIU,   "addiu",   0x09, F_RT_RS_SIMM,"rt = rs + simm") \
    X(SLTI,    "slti",    0x0a, F_RT_RS_SIMM,"rt = rs < simm (signed)") \
    X(SLTIU,   "sltiu",   0x0b, F_RT_RS_SIMM,"rt = rs < (uint32)simm (unsigned)") \
    X(ANDI,    "andi",    0x0c, F_RT_RS_UIMM,"rt = rs & uimm") \
    X(ORI,     "ori",     0x0d, F_RT_RS_UIMM,"rt = rs | uimm") \
    X(XORI,    "xori",    0x0e, F_RT_RS_UIMM,"rt = rs ^ uimm") \
    X(LUI,     "lui",     0x0f, F_RT_UIMM,   "rt = uimm << 16") \
    X(LB,      "lb",      0x20, F_RT_MEM,    "rt = sign-extended byte at rs + simm") \
    X(LH,      "lh",      0x21, F_RT_MEM,    "rt = sign-extended halfword at rs + simm (aligned)") \
    X(LWL,     "lwl",     0x22, F_RT_MEM,    "merge the word's high bytes from an unaligned address") \
    X(LW,      "lw",      0x23, F_RT_MEM,    "rt = word at rs + simm (aligned)") \
    X(LBU,     "lbu",     0x24, F_RT_MEM,    "rt = zero-extended byte at rs + simm") \
    X(LHU,     "lhu",     0x25, F_RT_MEM,    "rt = zero-extended halfword at rs + simm (aligned)") \
    X(LWR,     "lwr",     0x26, F_RT_MEM,    "merge the word's low bytes from an unaligned address") \
    X(SB,      "sb",      0x28, F_RT_MEM,    "byte at rs + simm = rt") \
    X(SH,      "sh",      0x29, F_RT_MEM,    "halfword at rs + simm = rt (aligned)") \
    X(SWL,     "swl",     0x2a, F_RT_MEM,    "store the word's high bytes to an unaligned address") \
    X(SW,      "sw",      0x2b, F_RT_MEM,    "word at rs + simm = rt (aligned)") \
    X(SWR,     "swr",     0x2e, F_RT_MEM,    "store the word's low bytes to an unaligned address") \
    X(LL,      "ll",      0x30, F_RT_MEM,    "load linked: rt = word at rs + simm") \
    X(SC,      "sc",      0x38, F_RT_MEM,    "store conditional: word = rt; rt = 1 (one CPU: always succeeds)")

/* SPECIAL2 (opcode 0x1c): value = funct */
#define ISA_LIST_SPECIAL2(X) \
    X(MADD,    "madd",    0x00, F_RS_RT,     "hi:lo += rs * rt (signed)") \
    X(MADDU,   "maddu",   0x01, F_RS_RT,     "hi:lo += rs * rt (unsigned)") \
    X(MUL,     "mul",     0x02, F_RD_RS_RT,  "rd = low 32 bits of rs * rt; hi:lo = the full product (as SPIM)") \
    X(MSUB,    "msub",    0x04, F_RS_RT,     "hi:lo -= rs * rt (signed)") \
    X(MSUBU,   "msubu",   0x05, F_RS_RT,     "hi:lo -= rs * rt (unsigned)") \
    X(CLZ,     "clz",     0x20, F_RD_RS,     "rd = count of leading zeros of rs") \
    X(CLO,     "clo",     0x21, F_RD_RS,     "rd = count of leading ones of rs")

/* COP0 (opcode 0x10): value = rs field; eret is the fixed word ISA_ERET_WORD */
#define ISA_LIST_COP0(X) \
    X(MFC0,    "mfc0",    0x00, F_RT_C0,     "rt = c0[rd]") \
    X(MTC0,    "mtc0",    0x04, F_RT_C0,     "c0[rd] = rt") \
    X(ERET,    "eret",    0x10, F_NONE,      "clear Status.EXL; pc = EPC")

/* Hypercalls (opcode 0x3b): value = rs field.  These are the original
 * tool's instructions: they exit to the monitor, which performs them. */
#define ISA_LIST_HV(X) \
    X(DUMP_PROCESSOR_STATE, "DUMP_PROCESSOR_STATE", 0x00, F_NONE, "print $r0=... to $r31=..., one per line") \
    X(SNAPSHOT, "SNAPSHOT", 0x01, F_STR, "save the whole VM to the file named by the string at imm16; go on")

#define ISA_LIST(X) \
    ISA_LIST_SPECIAL(X) ISA_LIST_REGIMM(X) ISA_LIST_MAJOR(X) \
    ISA_LIST_SPECIAL2(X) ISA_LIST_COP0(X) ISA_LIST_HV(X)

enum isa_op {
    ISA_INVALID = 0,
#define ISA_X_ENUM(id, mn, val, fmt, sem) ISA_##id,
    ISA_LIST(ISA_X_ENUM)
#undef ISA_X_ENUM
    ISA_COUNT
};

enum isa_class { ISA_CLASS_SPECIAL, ISA_CLASS_REGIMM, ISA_CLASS_MAJOR,
                 ISA_CLASS_SPECIAL2, ISA_CLASS_COP0, ISA_CLASS_HV };

struct isa_info {
    const char *mnemonic;
    const char *semantics;
    uint8_t cls;   /* enum isa_class */
    uint8_t value; /* funct / rt / opcode / rs, as the class says */
    uint8_t fmt;   /* enum isa_fmt */
};

/* Field extraction: the only place instruction bits are shifted. */
#define ISA_OPCODE(w) (((uint32_t)(w) >> 26) & 0x3fu)
#define ISA_RS(w)     (((uint32_t)(w) >> 21) & 0x1fu)
#define ISA_RT(w)     (((uint32_t)(w) >> 16) & 0x1fu)
#define ISA_RD(w)     (((uint32_t)(w) >> 11) & 0x1fu)
#define ISA_SA(w)     (((uint32_t)(w) >> 6) & 0x1fu)
#define ISA_FUNCT(w)  ((uint32_t)(w) & 0x3fu)
#define ISA_IMM(w)    ((uint32_t)(w) & 0xffffu)
#define ISA_SIMM(w)   ((int32_t)(int16_t)((uint32_t)(w) & 0xffffu))
#define ISA_TARGET(w) ((uint32_t)(w) & 0x03ffffffu)
#define ISA_CODE(w)   (((uint32_t)(w) >> 6) & 0xfffffu) /* syscall/break code */

/* The fields an instruction word is built from. */
struct isa_fields {
    uint32_t rs, rt, rd, sa;
    uint32_t imm;    /* low 16 bits used; or the 26-bit target; or the break code */
};

extern const struct isa_info isa_table[ISA_COUNT];

/* The operation a word encodes, or ISA_INVALID. */
enum isa_op isa_decode(uint32_t word);
/* Build a word.  Fields a format does not use must be 0. */
uint32_t isa_encode(enum isa_op op, const struct isa_fields *f);
/* Look a mnemonic up (case-sensitive, as SPIM); ISA_INVALID when unknown. */
enum isa_op isa_lookup(const char *mnemonic);

/* Register names as SPIM prints them: "zero", "at", "v0" ... "ra". */
extern const char *const isa_reg_names[32];
/* "$t0" / "$8" -> 8, "$zero" -> 0, "$s8" -> 30 (= $fp); name is len bytes,
 * not NUL-terminated; -1 when not a register name (the "$" is required). */
int isa_reg_number(const char *name, size_t len);

/* Disassemble one word at address pc into buf (always NUL-terminated).
 * sym, when not NULL, names an address (returns NULL when it has no name):
 * branch and jump targets are then printed as labels, else as 0x%08x.
 * str, when not NULL, gives the string at an image string-table offset
 * (for SNAPSHOT); both callbacks get ctx.  Unknown words: ".word 0x%08x".
 * Word 0 prints as "nop". */
typedef const char *(*isa_symbolizer)(void *ctx, uint32_t addr);
void isa_disasm(uint32_t word, uint32_t pc, char *buf, size_t n,
                isa_symbolizer sym, void *ctx, const char *(*str)(void *ctx, uint32_t off));

#endif
