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
 * The field value is the funct (SPECIAL, SPECIAL2, COP1_S/D/W), the rt field
 * (REGIMM, and its low two bits for COP1_BC), the opcode (I/J), the rs field
 * (COP0, COP1), the funct (COP0_CO) or the hypercall number (HV).
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
    F_RT_C0,      /* mfc0 rt, $c0reg [, sel]  (c0 register in rd, select in bits 2:0) */
    F_STR,        /* SNAPSHOT file (imm16 = offset in the image string table; babyasm puts these strings first) */
    /* Coprocessor 1.  fd is the sa field, fs the rd field, ft the rt field;
     * a condition code cc (0-7) is bits 10:8 (compares) or 20:18 (bc1t,
     * movf, movt): isa_fields carries it as sa = cc << 2 or rt = cc << 2. */
    F_FD_FS_FT,   /* add.s fd, fs, ft                                 */
    F_FD_FS,      /* abs.s fd, fs ; cvt.d.s fd, fs                    */
    F_FD_FS_RT,   /* movz.s fd, fs, rt   (rt a general register)      */
    F_FD_FS_CC,   /* movf.s fd, fs, cc                                */
    F_CC_FS_FT,   /* c.eq.s [cc,] fs, ft                              */
    F_CC_REL,     /* bc1t [cc,] label                                 */
    F_RD_RS_CC,   /* movf rd, rs, cc     (general registers)          */
    F_RT_FS,      /* mfc1 rt, fs                                      */
    F_RT_FCR,     /* cfc1 rt, fcr   (control register in the rd field: FP's $0 FIR, $31 FCSR; or cfc0's) */
    F_FT_MEM      /* lwc1 ft, simm16(rs)                              */
};

#define ISA_OP_SPECIAL  0x00u
#define ISA_OP_REGIMM   0x01u
#define ISA_OP_COP0     0x10u
#define ISA_OP_COP1     0x11u
#define ISA_OP_SPECIAL2 0x1cu
#define ISA_OP_HV       0x3bu /* unused in MIPS32: the hypervisor's hypercalls */
#define ISA_COP0_CO     0x10u /* COP0's rs field with the CO bit */
#define ISA_ERET_WORD   0x42000018u
#define ISA_RFE_WORD    0x42000010u /* MIPS I's rfe (reserved in MIPS32) */
/* COP1's rs field: the class (COP1, COP1_BC) or the format (S, D, W). */
#define ISA_COP1_BC 0x08u
#define ISA_COP1_S  0x10u
#define ISA_COP1_D  0x11u
#define ISA_COP1_W  0x14u
/* In SPECIAL and COP1_S/D values, bit 6 stands for the tf bit (bit 16) of
 * movf/movt: same funct, told apart by tf (0 = movf, 1 = movt). */
#define ISA_VALUE_TF 0x40u

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
    X(TNE,     "tne",     0x36, F_RS_RT,     "trap (Tr) if rs != rt") \
    ISA_LIST_SPECIAL_FP(X)

/* SPECIAL's coprocessor-1 ops (MOVCI, funct 0x01). */
#define ISA_LIST_SPECIAL_FP(X) \
    X(MOVF,    "movf",    0x01, F_RD_RS_CC,  "if FP condition code cc == 0: rd = rs") \
    X(MOVT,    "movt",    0x41, F_RD_RS_CC,  "if FP condition code cc == 1: rd = rs")

/* REGIMM (opcode 1): value = rt field */
#define ISA_LIST_REGIMM(X) \
    X(BLTZ,    "bltz",    0x00, F_RS_REL,    "if rs < 0: branch") \
    X(BGEZ,    "bgez",    0x01, F_RS_REL,    "if rs >= 0: branch") \
    X(BLTZL,   "bltzl",   0x02, F_RS_REL,    "if rs < 0: branch, else skip the next instruction (likely)") \
    X(BGEZL,   "bgezl",   0x03, F_RS_REL,    "if rs >= 0: branch, else skip the next instruction (likely)") \
    X(TGEI,    "tgei",    0x08, F_RS_SIMM,   "trap (Tr) if rs >= simm (signed)") \
    X(TGEIU,   "tgeiu",   0x09, F_RS_SIMM,   "trap (Tr) if rs >= simm (unsigned compare)") \
    X(TLTI,    "tlti",    0x0a, F_RS_SIMM,   "trap (Tr) if rs < simm (signed)") \
    X(TLTIU,   "tltiu",   0x0b, F_RS_SIMM,   "trap (Tr) if rs < simm (unsigned compare)") \
    X(TEQI,    "teqi",    0x0c, F_RS_SIMM,   "trap (Tr) if rs == simm") \
    X(TNEI,    "tnei",    0x0e, F_RS_SIMM,   "trap (Tr) if rs != simm") \
    X(BLTZAL,  "bltzal",  0x10, F_RS_REL,    "$ra = pc + 4; if rs < 0: branch") \
    X(BGEZAL,  "bgezal",  0x11, F_RS_REL,    "$ra = pc + 4; if rs >= 0: branch") \
    X(BLTZALL, "bltzall", 0x12, F_RS_REL,    "$ra = pc + 4; if rs < 0: branch, else skip the next instruction (likely)") \
    X(BGEZALL, "bgezall", 0x13, F_RS_REL,    "$ra = pc + 4; if rs >= 0: branch, else skip the next instruction (likely)")

/* J-type and I-type: value = opcode */
#define ISA_LIST_MAJOR(X) \
    X(J,       "j",       0x02, F_TARGET,    "pc = (pc & 0xf0000000) | target << 2") \
    X(JAL,     "jal",     0x03, F_TARGET,    "$ra = pc + 4; pc = (pc & 0xf0000000) | target << 2") \
    X(BEQ,     "beq",     0x04, F_RS_RT_REL, "if rs == rt: branch") \
    X(BNE,     "bne",     0x05, F_RS_RT_REL, "if rs != rt: branch") \
    X(BLEZ,    "blez",    0x06, F_RS_REL,    "if rs <= 0: branch") \
    X(BGTZ,    "bgtz",    0x07, F_RS_REL,    "if rs > 0: branch") \
    X(BEQL,    "beql",    0x14, F_RS_RT_REL, "if rs == rt: branch, else skip the next instruction (likely)") \
    X(BNEL,    "bnel",    0x15, F_RS_RT_REL, "if rs != rt: branch, else skip the next instruction (likely)") \
    X(BLEZL,   "blezl",   0x16, F_RS_REL,    "if rs <= 0: branch, else skip the next instruction (likely)") \
    X(BGTZL,   "bgtzl",   0x17, F_RS_REL,    "if rs > 0: branch, else skip the next instruction (likely)") \
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
    X(SC,      "sc",      0x38, F_RT_MEM,    "store conditional: word = rt; rt = 1 (one CPU: always succeeds); SPIM-style machine: rt unchanged, as SPIM") \
    ISA_LIST_MAJOR_FP(X)

/* The I-type coprocessor-1 loads and stores. */
#define ISA_LIST_MAJOR_FP(X) \
    X(LWC1,    "lwc1",    0x31, F_FT_MEM,    "ft = word at rs + simm (aligned)") \
    X(LDC1,    "ldc1",    0x35, F_FT_MEM,    "ft:ft+1 = doubleword at rs + simm (aligned to 8; ft even)") \
    X(SWC1,    "swc1",    0x39, F_FT_MEM,    "word at rs + simm = ft (aligned)") \
    X(SDC1,    "sdc1",    0x3d, F_FT_MEM,    "doubleword at rs + simm = ft:ft+1 (aligned to 8; ft even)")

/* SPECIAL2 (opcode 0x1c): value = funct */
#define ISA_LIST_SPECIAL2(X) \
    X(MADD,    "madd",    0x00, F_RS_RT,     "hi:lo += rs * rt (signed)") \
    X(MADDU,   "maddu",   0x01, F_RS_RT,     "hi:lo += rs * rt (unsigned)") \
    X(MUL,     "mul",     0x02, F_RD_RS_RT,  "rd = low 32 bits of rs * rt; hi:lo = the full product (as SPIM)") \
    X(MSUB,    "msub",    0x04, F_RS_RT,     "hi:lo -= rs * rt (signed)") \
    X(MSUBU,   "msubu",   0x05, F_RS_RT,     "hi:lo -= rs * rt (unsigned)") \
    X(CLZ,     "clz",     0x20, F_RD_RS,     "rd = count of leading zeros of rs") \
    X(CLO,     "clo",     0x21, F_RD_RS,     "rd = count of leading ones of rs")

/* COP0 (opcode 0x10): value = rs field */
#define ISA_LIST_COP0(X) \
    X(MFC0,    "mfc0",    0x00, F_RT_C0,     "rt = c0[rd, sel]") \
    X(CFC0,    "cfc0",    0x02, F_RT_FCR,    "rt = coprocessor 0 control register rd (SPIM's; RI in the privileged machine)") \
    X(MTC0,    "mtc0",    0x04, F_RT_C0,     "c0[rd, sel] = rt") \
    X(CTC0,    "ctc0",    0x06, F_RT_FCR,    "coprocessor 0 control register rd = rt (SPIM's; RI in the privileged machine)")

/* COP0 with the CO bit (opcode 0x10, rs 0x10): value = funct */
#define ISA_LIST_COP0_CO(X) \
    X(TLBR,    "tlbr",    0x01, F_NONE,      "EntryHi, EntryLo0/1, PageMask = TLB[Index]") \
    X(TLBWI,   "tlbwi",   0x02, F_NONE,      "TLB[Index] = EntryHi, EntryLo0/1, PageMask") \
    X(TLBWR,   "tlbwr",   0x06, F_NONE,      "TLB[Random] = EntryHi, EntryLo0/1, PageMask") \
    X(TLBP,    "tlbp",    0x08, F_NONE,      "Index = the TLB entry matching EntryHi, else P bit set") \
    X(RFE,     "rfe",     0x10, F_NONE,      "MIPS I's return from exception: a reserved instruction (RI) in MIPS32, as in SPIM") \
    X(ERET,    "eret",    0x18, F_NONE,      "from ERL: clear Status.ERL, pc = ErrorEPC; else clear Status.EXL, pc = EPC; LL bit cleared")

/* COP1 (opcode 0x11), moves to and from the FPU: value = rs field */
#define ISA_LIST_COP1(X) \
    X(MFC1,      "mfc1",       0x00, F_RT_FS,     "rt = fs (the bits)") \
    X(CFC1,      "cfc1",       0x02, F_RT_FCR,    "rt = FP control register fcr ($0 FIR, $31 FCSR; SPIM-style machine: others read back what ctc1 wrote)") \
    X(MTC1,      "mtc1",       0x04, F_RT_FS,     "fs = rt (the bits)") \
    X(CTC1,      "ctc1",       0x06, F_RT_FCR,    "FP control register fcr = rt ($31 FCSR; SPIM-style machine: others are kept, as SPIM)")

/* COP1, rs = BC (0x08): value = rt's low bits nd (likely) and tf; cc is rt's bits 4:2 */
#define ISA_LIST_COP1_BC(X) \
    X(BC1F,      "bc1f",       0x00, F_CC_REL,    "if FP condition code cc == 0: branch") \
    X(BC1T,      "bc1t",       0x01, F_CC_REL,    "if FP condition code cc == 1: branch") \
    X(BC1FL,     "bc1fl",      0x02, F_CC_REL,    "if FP condition code cc == 0: branch, else skip the next instruction (likely)") \
    X(BC1TL,     "bc1tl",      0x03, F_CC_REL,    "if FP condition code cc == 1: branch, else skip the next instruction (likely)")

/* COP1 (opcode 0x11), rs = fmt S (0x10), single precision: value = funct (0x40 = tf) */
#define ISA_LIST_COP1_S(X) \
    X(ADD_S,    "add.s",      0x00, F_FD_FS_FT,  "fd = fs + ft") \
    X(SUB_S,    "sub.s",      0x01, F_FD_FS_FT,  "fd = fs - ft") \
    X(MUL_S,    "mul.s",      0x02, F_FD_FS_FT,  "fd = fs * ft") \
    X(DIV_S,    "div.s",      0x03, F_FD_FS_FT,  "fd = fs / ft") \
    X(SQRT_S,   "sqrt.s",     0x04, F_FD_FS,     "fd = square root of fs") \
    X(ABS_S,    "abs.s",      0x05, F_FD_FS,     "fd = |fs| (sign bit cleared)") \
    X(MOV_S,    "mov.s",      0x06, F_FD_FS,     "fd = fs") \
    X(NEG_S,    "neg.s",      0x07, F_FD_FS,     "fd = -fs (sign bit flipped)") \
    X(ROUND_W_S, "round.w.s",  0x0c, F_FD_FS,     "fd = fs as a word, rounded to nearest (ties to even) (out of range or NaN: 2^31-1, Invalid)") \
    X(TRUNC_W_S, "trunc.w.s",  0x0d, F_FD_FS,     "fd = fs as a word, rounded toward zero (out of range or NaN: 2^31-1, Invalid)") \
    X(CEIL_W_S, "ceil.w.s",   0x0e, F_FD_FS,     "fd = fs as a word, rounded up (out of range or NaN: 2^31-1, Invalid)") \
    X(FLOOR_W_S, "floor.w.s",  0x0f, F_FD_FS,     "fd = fs as a word, rounded down (out of range or NaN: 2^31-1, Invalid)") \
    X(MOVF_S,   "movf.s",     0x11, F_FD_FS_CC,  "if FP condition code cc == 0: fd = fs") \
    X(MOVT_S,   "movt.s",     0x51, F_FD_FS_CC,  "if FP condition code cc == 1: fd = fs") \
    X(MOVZ_S,   "movz.s",     0x12, F_FD_FS_RT,  "if rt == 0: fd = fs") \
    X(MOVN_S,   "movn.s",     0x13, F_FD_FS_RT,  "if rt != 0: fd = fs") \
    X(CVT_D_S,  "cvt.d.s",    0x21, F_FD_FS,     "fd = fs converted to double") \
    X(CVT_W_S,  "cvt.w.s",    0x24, F_FD_FS,     "fd = fs as a word, rounded as FCSR.RM says (out of range or NaN: 2^31-1, Invalid)") \
    X(C_F_S,    "c.f.s",      0x30, F_CC_FS_FT,  "cc = 0") \
    X(C_UN_S,   "c.un.s",     0x31, F_CC_FS_FT,  "cc = unordered") \
    X(C_EQ_S,   "c.eq.s",     0x32, F_CC_FS_FT,  "cc = fs == ft") \
    X(C_UEQ_S,  "c.ueq.s",    0x33, F_CC_FS_FT,  "cc = unordered or fs == ft") \
    X(C_OLT_S,  "c.olt.s",    0x34, F_CC_FS_FT,  "cc = fs < ft") \
    X(C_ULT_S,  "c.ult.s",    0x35, F_CC_FS_FT,  "cc = unordered or fs < ft") \
    X(C_OLE_S,  "c.ole.s",    0x36, F_CC_FS_FT,  "cc = fs <= ft") \
    X(C_ULE_S,  "c.ule.s",    0x37, F_CC_FS_FT,  "cc = unordered or fs <= ft") \
    X(C_SF_S,   "c.sf.s",     0x38, F_CC_FS_FT,  "cc = 0; a quiet NaN signals Invalid") \
    X(C_NGLE_S, "c.ngle.s",   0x39, F_CC_FS_FT,  "cc = unordered; a quiet NaN signals Invalid") \
    X(C_SEQ_S,  "c.seq.s",    0x3a, F_CC_FS_FT,  "cc = fs == ft; a quiet NaN signals Invalid") \
    X(C_NGL_S,  "c.ngl.s",    0x3b, F_CC_FS_FT,  "cc = unordered or fs == ft; a quiet NaN signals Invalid") \
    X(C_LT_S,   "c.lt.s",     0x3c, F_CC_FS_FT,  "cc = fs < ft; a quiet NaN signals Invalid") \
    X(C_NGE_S,  "c.nge.s",    0x3d, F_CC_FS_FT,  "cc = unordered or fs < ft; a quiet NaN signals Invalid") \
    X(C_LE_S,   "c.le.s",     0x3e, F_CC_FS_FT,  "cc = fs <= ft; a quiet NaN signals Invalid") \
    X(C_NGT_S,  "c.ngt.s",    0x3f, F_CC_FS_FT,  "cc = unordered or fs <= ft; a quiet NaN signals Invalid")

/* COP1, rs = fmt D (0x11), double precision (even registers): value = funct (0x40 = tf) */
#define ISA_LIST_COP1_D(X) \
    X(ADD_D,    "add.d",      0x00, F_FD_FS_FT,  "fd = fs + ft") \
    X(SUB_D,    "sub.d",      0x01, F_FD_FS_FT,  "fd = fs - ft") \
    X(MUL_D,    "mul.d",      0x02, F_FD_FS_FT,  "fd = fs * ft") \
    X(DIV_D,    "div.d",      0x03, F_FD_FS_FT,  "fd = fs / ft") \
    X(SQRT_D,   "sqrt.d",     0x04, F_FD_FS,     "fd = square root of fs") \
    X(ABS_D,    "abs.d",      0x05, F_FD_FS,     "fd = |fs| (sign bit cleared)") \
    X(MOV_D,    "mov.d",      0x06, F_FD_FS,     "fd = fs") \
    X(NEG_D,    "neg.d",      0x07, F_FD_FS,     "fd = -fs (sign bit flipped)") \
    X(ROUND_W_D, "round.w.d",  0x0c, F_FD_FS,     "fd = fs as a word, rounded to nearest (ties to even) (out of range or NaN: 2^31-1, Invalid)") \
    X(TRUNC_W_D, "trunc.w.d",  0x0d, F_FD_FS,     "fd = fs as a word, rounded toward zero (out of range or NaN: 2^31-1, Invalid)") \
    X(CEIL_W_D, "ceil.w.d",   0x0e, F_FD_FS,     "fd = fs as a word, rounded up (out of range or NaN: 2^31-1, Invalid)") \
    X(FLOOR_W_D, "floor.w.d",  0x0f, F_FD_FS,     "fd = fs as a word, rounded down (out of range or NaN: 2^31-1, Invalid)") \
    X(MOVF_D,   "movf.d",     0x11, F_FD_FS_CC,  "if FP condition code cc == 0: fd = fs") \
    X(MOVT_D,   "movt.d",     0x51, F_FD_FS_CC,  "if FP condition code cc == 1: fd = fs") \
    X(MOVZ_D,   "movz.d",     0x12, F_FD_FS_RT,  "if rt == 0: fd = fs") \
    X(MOVN_D,   "movn.d",     0x13, F_FD_FS_RT,  "if rt != 0: fd = fs") \
    X(CVT_S_D,  "cvt.s.d",    0x20, F_FD_FS,     "fd = fs converted to single (rounded as FCSR.RM says)") \
    X(CVT_W_D,  "cvt.w.d",    0x24, F_FD_FS,     "fd = fs as a word, rounded as FCSR.RM says (out of range or NaN: 2^31-1, Invalid)") \
    X(C_F_D,    "c.f.d",      0x30, F_CC_FS_FT,  "cc = 0") \
    X(C_UN_D,   "c.un.d",     0x31, F_CC_FS_FT,  "cc = unordered") \
    X(C_EQ_D,   "c.eq.d",     0x32, F_CC_FS_FT,  "cc = fs == ft") \
    X(C_UEQ_D,  "c.ueq.d",    0x33, F_CC_FS_FT,  "cc = unordered or fs == ft") \
    X(C_OLT_D,  "c.olt.d",    0x34, F_CC_FS_FT,  "cc = fs < ft") \
    X(C_ULT_D,  "c.ult.d",    0x35, F_CC_FS_FT,  "cc = unordered or fs < ft") \
    X(C_OLE_D,  "c.ole.d",    0x36, F_CC_FS_FT,  "cc = fs <= ft") \
    X(C_ULE_D,  "c.ule.d",    0x37, F_CC_FS_FT,  "cc = unordered or fs <= ft") \
    X(C_SF_D,   "c.sf.d",     0x38, F_CC_FS_FT,  "cc = 0; a quiet NaN signals Invalid") \
    X(C_NGLE_D, "c.ngle.d",   0x39, F_CC_FS_FT,  "cc = unordered; a quiet NaN signals Invalid") \
    X(C_SEQ_D,  "c.seq.d",    0x3a, F_CC_FS_FT,  "cc = fs == ft; a quiet NaN signals Invalid") \
    X(C_NGL_D,  "c.ngl.d",    0x3b, F_CC_FS_FT,  "cc = unordered or fs == ft; a quiet NaN signals Invalid") \
    X(C_LT_D,   "c.lt.d",     0x3c, F_CC_FS_FT,  "cc = fs < ft; a quiet NaN signals Invalid") \
    X(C_NGE_D,  "c.nge.d",    0x3d, F_CC_FS_FT,  "cc = unordered or fs < ft; a quiet NaN signals Invalid") \
    X(C_LE_D,   "c.le.d",     0x3e, F_CC_FS_FT,  "cc = fs <= ft; a quiet NaN signals Invalid") \
    X(C_NGT_D,  "c.ngt.d",    0x3f, F_CC_FS_FT,  "cc = unordered or fs <= ft; a quiet NaN signals Invalid")

/* COP1, rs = fmt W (0x14), a word in an FP register: value = funct */
#define ISA_LIST_COP1_W(X) \
    X(CVT_S_W,   "cvt.s.w",    0x20, F_FD_FS,     "fd = fs (a word) converted to single (rounded as FCSR.RM says)") \
    X(CVT_D_W,   "cvt.d.w",    0x21, F_FD_FS,     "fd = fs (a word) converted to double")

/* Every coprocessor-1 op, wherever its class puts it. */
#define ISA_LIST_FP(X) \
    ISA_LIST_SPECIAL_FP(X) ISA_LIST_MAJOR_FP(X) ISA_LIST_COP1(X) ISA_LIST_COP1_BC(X) \
    ISA_LIST_COP1_S(X) ISA_LIST_COP1_D(X) ISA_LIST_COP1_W(X)

/* Hypercalls (opcode 0x3b): value = rs field.  These are the original
 * tool's instructions: they exit to the monitor, which performs them. */
#define ISA_LIST_HV(X) \
    X(DUMP_PROCESSOR_STATE, "DUMP_PROCESSOR_STATE", 0x00, F_NONE, "print $r0=... to $r31=..., one per line") \
    X(SNAPSHOT, "SNAPSHOT", 0x01, F_STR, "save the whole VM to the file named by the string at imm16; go on")

#define ISA_LIST(X) \
    ISA_LIST_SPECIAL(X) ISA_LIST_REGIMM(X) ISA_LIST_MAJOR(X) \
    ISA_LIST_SPECIAL2(X) ISA_LIST_COP0(X) ISA_LIST_COP0_CO(X) ISA_LIST_COP1(X) \
    ISA_LIST_COP1_BC(X) ISA_LIST_COP1_S(X) ISA_LIST_COP1_D(X) ISA_LIST_COP1_W(X) ISA_LIST_HV(X)

enum isa_op {
    ISA_INVALID = 0,
#define ISA_X_ENUM(id, mn, val, fmt, sem) ISA_##id,
    ISA_LIST(ISA_X_ENUM)
#undef ISA_X_ENUM
    ISA_COUNT
};

enum isa_class { ISA_CLASS_SPECIAL, ISA_CLASS_REGIMM, ISA_CLASS_MAJOR,
                 ISA_CLASS_SPECIAL2, ISA_CLASS_COP0, ISA_CLASS_COP0_CO, ISA_CLASS_COP1, ISA_CLASS_COP1_BC,
                 ISA_CLASS_COP1_S, ISA_CLASS_COP1_D, ISA_CLASS_COP1_W, ISA_CLASS_HV };

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
#define ISA_C0_SEL(w) ((uint32_t)(w) & 0x7u) /* mfc0/mtc0's select */

/* The fields an instruction word is built from. */
struct isa_fields {
    uint32_t rs, rt, rd, sa;
    uint32_t imm;    /* low 16 bits used; or the 26-bit target; or the break code; or mfc0's select */
};

extern const struct isa_info isa_table[ISA_COUNT];

/* The operation a word encodes, or ISA_INVALID. */
enum isa_op isa_decode(uint32_t word);
/* Build a word.  Fields a format does not use must be 0. */
uint32_t isa_encode(enum isa_op op, const struct isa_fields *f);
/* Look a mnemonic up (case-sensitive, as SPIM); ISA_INVALID when unknown. */
enum isa_op isa_lookup(const char *mnemonic);

/* Coprocessor 0's register names (MIPS32, select 0: "Status" for 12),
 * NULL for a number without a register here. */
extern const char *const isa_c0_names[32];

/* Register names as SPIM prints them: "zero", "at", "v0" ... "ra". */
extern const char *const isa_reg_names[32];
/* "$t0" / "$8" -> 8, "$zero" -> 0, "$s8" -> 30 (= $fp); name is len bytes,
 * not NUL-terminated; -1 when not a register name (the "$" is required). */
int isa_reg_number(const char *name, size_t len);
/* "$f0" ... "$f31" -> 0 ... 31 (len bytes, not NUL-terminated); else -1. */
int isa_freg_number(const char *name, size_t len);

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
