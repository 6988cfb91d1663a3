/* check_asm_pseudo.c: every pseudo-instruction and extended operand form,
 * word by word.  The expected words are what SPIM 8.0 assembles (dumped
 * with tests/asm/spim_words.sh), rebuilt here with isa_encode; the one
 * systematic difference is that branches inside expansions use MIPS's
 * PC+4-relative offsets (SPIM's non-delayed mode counts from the branch),
 * and bgtu/bleu with an immediate use three words instead of SPIM's four. */
#include <check.h>

#include "asm_test_util.h"

#define AT 1
#define T0 8
#define T1 9
#define T2 10
#define A0 4
#define BRK W_BRK(0)
#define NEG(x) ((uint32_t)(x))

START_TEST(test_li_la_move_nop)
{
    expect_words("li $t0, 5", 1, W_I(ISA_ORI, T0, 0, 5));
    expect_words("li $t0, 0xffff", 1, W_I(ISA_ORI, T0, 0, 0xffff));
    /* SPIM builds the upper half in $at; we build it in rd (same size, $at kept) */
    expect_words("li $t0, -5", 2, W_I(ISA_LUI, T0, 0, 0xffff), W_I(ISA_ORI, T0, T0, 0xfffb));
    expect_words("li $1, -5", 2, W_I(ISA_LUI, AT, 0, 0xffff), W_I(ISA_ORI, AT, AT, 0xfffb));
    expect_words("li $t0, 0x12345678", 2, W_I(ISA_LUI, T0, 0, 0x1234), W_I(ISA_ORI, T0, T0, 0x5678));
    expect_words("li $t0, 0x10000", 1, W_I(ISA_LUI, T0, 0, 1));
    expect_words("li $t0, 'A'", 1, W_I(ISA_ORI, T0, 0, 65));
    /* a label defined before: its value picks the form (SPIM); a forward one: always two words */
    expect_words("L: li $t0, L", 1, W_I(ISA_LUI, T0, 0, 0x40));
    expect_words("la $t0, L\nL: nop", 3, W_I(ISA_LUI, T0, 0, 0x40), W_I(ISA_ORI, T0, T0, 8), 0u);
    expect_words("L: la $t0, L+8", 2, W_I(ISA_LUI, T0, 0, 0x40), W_I(ISA_ORI, T0, T0, 8));
    expect_words("la $t0, 4($a0)", 1, W_I(ISA_ADDI, T0, A0, 4));
    expect_words("la $t0, 100000($a0)", 3, W_I(ISA_LUI, AT, 0, 1), W_I(ISA_ORI, AT, AT, 0x86a0),
                 W_R(ISA_ADD, T0, A0, AT, 0));
    expect_words("move $t0, $t1", 1, W_R(ISA_ADDU, T0, 0, T1, 0));
    expect_words("nop", 1, 0u);
}
END_TEST

START_TEST(test_branches)
{
    /* L is the first word: a branch at word k reaches it with offset -(k+1) */
    expect_words("L: b L", 1, W_I(ISA_BGEZ, 0, 0, NEG(-1)));
    expect_words("L: bal L", 1, W_I(ISA_BGEZAL, 0, 0, NEG(-1)));
    expect_words("L: beqz $t0, L", 1, W_I(ISA_BEQ, 0, T0, NEG(-1)));
    expect_words("L: bnez $t0, L", 1, W_I(ISA_BNE, 0, T0, NEG(-1)));
    expect_words("L: bne $t0, 5, L", 2, W_I(ISA_ORI, AT, 0, 5), W_I(ISA_BNE, T0, AT, NEG(-2)));
    expect_words("L: beq $t0, 100000, L", 3, W_I(ISA_LUI, AT, 0, 1), W_I(ISA_ORI, AT, AT, 0x86a0),
                 W_I(ISA_BEQ, T0, AT, NEG(-3)));
    expect_words("L: blt $t0, $t1, L", 2, W_R(ISA_SLT, AT, T0, T1, 0), W_I(ISA_BNE, 0, AT, NEG(-2)));
    expect_words("L: bgt $t0, $t1, L", 2, W_R(ISA_SLT, AT, T1, T0, 0), W_I(ISA_BNE, 0, AT, NEG(-2)));
    expect_words("L: ble $t0, $t1, L", 2, W_R(ISA_SLT, AT, T1, T0, 0), W_I(ISA_BEQ, 0, AT, NEG(-2)));
    expect_words("L: bge $t0, $t1, L", 2, W_R(ISA_SLT, AT, T0, T1, 0), W_I(ISA_BEQ, 0, AT, NEG(-2)));
    expect_words("L: bltu $t0, $t1, L", 2, W_R(ISA_SLTU, AT, T0, T1, 0), W_I(ISA_BNE, 0, AT, NEG(-2)));
    expect_words("L: bgtu $t0, $t1, L", 2, W_R(ISA_SLTU, AT, T1, T0, 0), W_I(ISA_BNE, 0, AT, NEG(-2)));
    expect_words("L: bleu $t0, $t1, L", 2, W_R(ISA_SLTU, AT, T1, T0, 0), W_I(ISA_BEQ, 0, AT, NEG(-2)));
    expect_words("L: bgeu $t0, $t1, L", 2, W_R(ISA_SLTU, AT, T0, T1, 0), W_I(ISA_BEQ, 0, AT, NEG(-2)));
}
END_TEST

START_TEST(test_branches_immediate)
{
    expect_words("L: blt $t0, 5, L", 2, W_I(ISA_SLTI, AT, T0, 5), W_I(ISA_BNE, 0, AT, NEG(-2)));
    expect_words("L: blt $t0, 100000, L", 4, W_I(ISA_LUI, AT, 0, 1), W_I(ISA_ORI, AT, AT, 0x86a0),
                 W_R(ISA_SLT, AT, T0, AT, 0), W_I(ISA_BNE, 0, AT, NEG(-4)));
    expect_words("L: bgt $t0, 5, L", 2, W_I(ISA_SLTI, AT, T0, 6), W_I(ISA_BEQ, 0, AT, NEG(-2)));
    expect_words("L: ble $t0, 5, L", 2, W_I(ISA_SLTI, AT, T0, 6), W_I(ISA_BNE, 0, AT, NEG(-2)));
    expect_words("L: bge $t0, 5, L", 2, W_I(ISA_SLTI, AT, T0, 5), W_I(ISA_BEQ, 0, AT, NEG(-2)));
    expect_words("L: bltu $t0, 5, L", 2, W_I(ISA_SLTIU, AT, T0, 5), W_I(ISA_BNE, 0, AT, NEG(-2)));
    expect_words("L: bgeu $t0, 5, L", 2, W_I(ISA_SLTIU, AT, T0, 5), W_I(ISA_BEQ, 0, AT, NEG(-2)));
    expect_words("L: bgtu $t0, 5, L", 3, W_I(ISA_ORI, AT, 0, 5), W_R(ISA_SLTU, AT, AT, T0, 0),
                 W_I(ISA_BNE, 0, AT, NEG(-3)));
    expect_words("L: bleu $t0, 5, L", 3, W_I(ISA_ORI, AT, 0, 5), W_R(ISA_SLTU, AT, AT, T0, 0),
                 W_I(ISA_BEQ, 0, AT, NEG(-3)));
}
END_TEST

START_TEST(test_arithmetic_pseudos)
{
    expect_words("abs $t0, $t1", 3, W_R(ISA_ADDU, T0, 0, T1, 0), W_I(ISA_BGEZ, 0, T1, 1),
                 W_R(ISA_SUB, T0, 0, T1, 0));
    expect_words("neg $t0, $t1", 1, W_R(ISA_SUB, T0, 0, T1, 0));
    expect_words("negu $t0, $t1", 1, W_R(ISA_SUBU, T0, 0, T1, 0));
    expect_words("not $t0, $t1", 1, W_R(ISA_NOR, T0, T1, 0, 0));
    expect_words("mul $t0, $t1, $t2", 1, W_R(ISA_MUL, T0, T1, T2, 0));
    expect_words("mul $t0, $t1, 5", 2, W_I(ISA_ORI, AT, 0, 5), W_R(ISA_MUL, T0, T1, AT, 0));
    expect_words("mul $t0, $t1, 100000", 3, W_I(ISA_LUI, AT, 0, 1), W_I(ISA_ORI, AT, AT, 0x86a0),
                 W_R(ISA_MUL, T0, T1, AT, 0));
    expect_words("mulo $t0, $t1, $t2", 7, W_R(ISA_MULT, 0, T1, T2, 0), W_R(ISA_MFHI, AT, 0, 0, 0),
                 W_R(ISA_MFLO, T0, 0, 0, 0), W_R(ISA_SRA, T0, 0, T0, 31), W_I(ISA_BEQ, T0, AT, 1), BRK,
                 W_R(ISA_MFLO, T0, 0, 0, 0));
    /* MARS's mulu */
    expect_words("mulu $t0, $t1, $t2", 2, W_R(ISA_MULTU, 0, T1, T2, 0), W_R(ISA_MFLO, T0, 0, 0, 0));
    expect_words("mulu $t0, $t1, 100000", 4, W_I(ISA_LUI, AT, 0, 1), W_I(ISA_ORI, AT, AT, 0x86a0),
                 W_R(ISA_MULTU, 0, T1, AT, 0), W_R(ISA_MFLO, T0, 0, 0, 0));
    expect_words("mulou $t0, $t1, $t2", 5, W_R(ISA_MULTU, 0, T1, T2, 0), W_R(ISA_MFHI, AT, 0, 0, 0),
                 W_I(ISA_BEQ, 0, AT, 1), BRK, W_R(ISA_MFLO, T0, 0, 0, 0));
}
END_TEST

START_TEST(test_division)
{
    expect_words("div $t1, $t2", 1, W_R(ISA_DIV, 0, T1, T2, 0));
    expect_words("divu $t1, $t2", 1, W_R(ISA_DIVU, 0, T1, T2, 0));
    expect_words("div $t0, $t1, $t2", 4, W_I(ISA_BNE, 0, T2, 1), BRK, W_R(ISA_DIV, 0, T1, T2, 0),
                 W_R(ISA_MFLO, T0, 0, 0, 0));
    expect_words("divu $t0, $t1, $t2", 4, W_I(ISA_BNE, 0, T2, 1), BRK, W_R(ISA_DIVU, 0, T1, T2, 0),
                 W_R(ISA_MFLO, T0, 0, 0, 0));
    expect_words("rem $t0, $t1, $t2", 4, W_I(ISA_BNE, 0, T2, 1), BRK, W_R(ISA_DIV, 0, T1, T2, 0),
                 W_R(ISA_MFHI, T0, 0, 0, 0));
    expect_words("remu $t0, $t1, $t2", 4, W_I(ISA_BNE, 0, T2, 1), BRK, W_R(ISA_DIVU, 0, T1, T2, 0),
                 W_R(ISA_MFHI, T0, 0, 0, 0));
    expect_words("div $t0, $t1, 5", 3, W_I(ISA_ORI, AT, 0, 5), W_R(ISA_DIV, 0, T1, AT, 0),
                 W_R(ISA_MFLO, T0, 0, 0, 0));
    expect_words("rem $t0, $t1, 5", 3, W_I(ISA_ORI, AT, 0, 5), W_R(ISA_DIV, 0, T1, AT, 0),
                 W_R(ISA_MFHI, T0, 0, 0, 0));
    expect_words("remu $t0, $t1, 5", 3, W_I(ISA_ORI, AT, 0, 5), W_R(ISA_DIVU, 0, T1, AT, 0),
                 W_R(ISA_MFHI, T0, 0, 0, 0));
}
END_TEST

START_TEST(test_rotates)
{
    expect_words("rol $t0, $t1, $t2", 4, W_R(ISA_SUBU, AT, 0, T2, 0), W_R(ISA_SRLV, AT, AT, T1, 0),
                 W_R(ISA_SLLV, T0, T2, T1, 0), W_R(ISA_OR, T0, T0, AT, 0));
    expect_words("ror $t0, $t1, $t2", 4, W_R(ISA_SUBU, AT, 0, T2, 0), W_R(ISA_SLLV, AT, AT, T1, 0),
                 W_R(ISA_SRLV, T0, T2, T1, 0), W_R(ISA_OR, T0, T0, AT, 0));
    expect_words("rol $t0, $t1, 3", 3, W_R(ISA_SRL, AT, 0, T1, 29), W_R(ISA_SLL, T0, 0, T1, 3),
                 W_R(ISA_OR, T0, T0, AT, 0));
    expect_words("ror $t0, $t1, 3", 3, W_R(ISA_SLL, AT, 0, T1, 29), W_R(ISA_SRL, T0, 0, T1, 3),
                 W_R(ISA_OR, T0, T0, AT, 0));
}
END_TEST

START_TEST(test_set_pseudos)
{
    /* equal: beq rt, rs skips to "1" */
    expect_words("seq $t0, $t1, $t2", 4, W_I(ISA_BEQ, T1, T2, 2), W_I(ISA_ORI, T0, 0, 0),
                 W_I(ISA_BEQ, 0, 0, 1), W_I(ISA_ORI, T0, 0, 1));
    expect_words("seq $t0, $t1, 5", 5, W_I(ISA_ORI, AT, 0, 5), W_I(ISA_BEQ, T1, AT, 2),
                 W_I(ISA_ORI, T0, 0, 0), W_I(ISA_BEQ, 0, 0, 1), W_I(ISA_ORI, T0, 0, 1));
    expect_words("sne $t0, $t1, $t2", 4, W_I(ISA_BEQ, T1, T2, 2), W_I(ISA_ORI, T0, 0, 1),
                 W_I(ISA_BEQ, 0, 0, 1), W_I(ISA_ORI, T0, 0, 0));
    expect_words("sge $t0, $t1, $t2", 4, W_I(ISA_BNE, T1, T2, 2), W_I(ISA_ORI, T0, 0, 1),
                 W_I(ISA_BEQ, 0, 0, 1), W_R(ISA_SLT, T0, T2, T1, 0));
    expect_words("sge $t0, $t1, 5", 5, W_I(ISA_ORI, AT, 0, 5), W_I(ISA_BNE, T1, AT, 2),
                 W_I(ISA_ORI, T0, 0, 1), W_I(ISA_BEQ, 0, 0, 1), W_R(ISA_SLT, T0, AT, T1, 0));
    expect_words("sgeu $t0, $t1, $t2", 4, W_I(ISA_BNE, T1, T2, 2), W_I(ISA_ORI, T0, 0, 1),
                 W_I(ISA_BEQ, 0, 0, 1), W_R(ISA_SLTU, T0, T2, T1, 0));
    expect_words("sgt $t0, $t1, $t2", 1, W_R(ISA_SLT, T0, T2, T1, 0));
    expect_words("sgt $t0, $t1, 5", 2, W_I(ISA_ORI, AT, 0, 5), W_R(ISA_SLT, T0, AT, T1, 0));
    expect_words("sgtu $t0, $t1, $t2", 1, W_R(ISA_SLTU, T0, T2, T1, 0));
    expect_words("sle $t0, $t1, $t2", 4, W_I(ISA_BNE, T1, T2, 2), W_I(ISA_ORI, T0, 0, 1),
                 W_I(ISA_BEQ, 0, 0, 1), W_R(ISA_SLT, T0, T1, T2, 0));
    expect_words("sle $t0, $t1, 5", 5, W_I(ISA_ORI, AT, 0, 5), W_I(ISA_BNE, T1, AT, 2),
                 W_I(ISA_ORI, T0, 0, 1), W_I(ISA_BEQ, 0, 0, 1), W_R(ISA_SLT, T0, T1, AT, 0));
    expect_words("sleu $t0, $t1, $t2", 4, W_I(ISA_BNE, T1, T2, 2), W_I(ISA_ORI, T0, 0, 1),
                 W_I(ISA_BEQ, 0, 0, 1), W_R(ISA_SLTU, T0, T1, T2, 0));
}
END_TEST

START_TEST(test_unaligned)
{
    expect_words("ulw $t0, 4($a0)", 2, W_I(ISA_LWL, T0, A0, 7), W_I(ISA_LWR, T0, A0, 4));
    expect_words("usw $t0, 4($a0)", 2, W_I(ISA_SWL, T0, A0, 7), W_I(ISA_SWR, T0, A0, 4));
    expect_words("ulh $t0, 4($a0)", 4, W_I(ISA_LB, T0, A0, 5), W_I(ISA_LBU, AT, A0, 4),
                 W_R(ISA_SLL, T0, 0, T0, 8), W_R(ISA_OR, T0, T0, AT, 0));
    expect_words("ulhu $t0, 4($a0)", 4, W_I(ISA_LBU, T0, A0, 5), W_I(ISA_LBU, AT, A0, 4),
                 W_R(ISA_SLL, T0, 0, T0, 8), W_R(ISA_OR, T0, T0, AT, 0));
    expect_words("ush $t0, 4($a0)", 8, W_I(ISA_SB, T0, A0, 4), W_R(ISA_SLL, AT, 0, T0, 24),
                 W_R(ISA_SRL, T0, 0, T0, 8), W_R(ISA_OR, T0, T0, AT, 0), W_I(ISA_SB, T0, A0, 5),
                 W_R(ISA_SRL, AT, 0, T0, 24), W_R(ISA_SLL, T0, 0, T0, 8), W_R(ISA_OR, T0, T0, AT, 0));
    expect_words("ld $t0, 4($a0)", 2, W_I(ISA_LW, T0, A0, 4), W_I(ISA_LW, T1, A0, 8));
    expect_words(".data\nd: .word 1, 2\n.text\nld $t0, d", 4, W_I(ISA_LUI, AT, 0, 0x1001),
                 W_I(ISA_LW, T0, AT, 0), W_I(ISA_LUI, AT, 0, 0x1001), W_I(ISA_LW, T1, AT, 4));
    expect_words("sd $t0, 4($a0)", 2, W_I(ISA_SW, T0, A0, 4), W_I(ISA_SW, T1, A0, 8));
}
END_TEST

START_TEST(test_alu_immediates)
{
    expect_words("add $t0, $t0, 1", 1, W_I(ISA_ADDI, T0, T0, 1));
    expect_words("addu $t0, $t1, -3", 1, W_I(ISA_ADDIU, T0, T1, NEG(-3)));
    expect_words("sub $t0, $t0, 1", 1, W_I(ISA_ADDI, T0, T0, NEG(-1)));
    expect_words("subu $t0, $t0, 1", 1, W_I(ISA_ADDIU, T0, T0, NEG(-1)));
    expect_words("sub $t0, $t0, 40000", 3, W_I(ISA_LUI, AT, 0, 0xffff), W_I(ISA_ORI, AT, AT, 0x63c0),
                 W_R(ISA_ADD, T0, T0, AT, 0));
    expect_words("and $t0, $t1, 0xff", 1, W_I(ISA_ANDI, T0, T1, 0xff));
    expect_words("or $11, $4, 100", 1, W_I(ISA_ORI, 11, 4, 100));
    expect_words("xor $t0, $t1, 7", 1, W_I(ISA_XORI, T0, T1, 7));
    expect_words("and $t0, $t0, -1", 3, W_I(ISA_LUI, AT, 0, 0xffff), W_I(ISA_ORI, AT, AT, 0xffff),
                 W_R(ISA_AND, T0, T0, AT, 0));
    expect_words("slt $t0, $t1, 5", 1, W_I(ISA_SLTI, T0, T1, 5));
    expect_words("sltu $t0, $t1, 5", 1, W_I(ISA_SLTIU, T0, T1, 5));
    expect_words("nor $t0, $t1, 5", 2, W_I(ISA_ORI, AT, 0, 5), W_R(ISA_NOR, T0, T1, AT, 0));
    /* 32-bit immediates in the I-type instructions themselves */
    expect_words("addi $t0, $t0, 40000", 2, W_I(ISA_ORI, AT, 0, 0x9c40), W_R(ISA_ADD, T0, T0, AT, 0));
    expect_words("addiu $t0, $t0, 0x12345", 3, W_I(ISA_LUI, AT, 0, 1), W_I(ISA_ORI, AT, AT, 0x2345),
                 W_R(ISA_ADDU, T0, T0, AT, 0));
    expect_words("andi $t0, $t0, 0x12345", 3, W_I(ISA_LUI, AT, 0, 1), W_I(ISA_ORI, AT, AT, 0x2345),
                 W_R(ISA_AND, T0, T0, AT, 0));
    expect_words("ori $t0, $t0, -1", 3, W_I(ISA_LUI, AT, 0, 0xffff), W_I(ISA_ORI, AT, AT, 0xffff),
                 W_R(ISA_OR, T0, T0, AT, 0));
    expect_words("xori $t0, $t0, 0x10000", 2, W_I(ISA_LUI, AT, 0, 1), W_R(ISA_XOR, T0, T0, AT, 0));
    expect_words("subi $t0, $t1, 5", 1, W_I(ISA_ADDI, T0, T1, NEG(-5)));
    expect_words("subiu $t0, $t1, 5", 1, W_I(ISA_ADDIU, T0, T1, NEG(-5)));
    expect_words("subi $t0, $t1, 40000", 3, W_I(ISA_LUI, AT, 0, 0xffff), W_I(ISA_ORI, AT, AT, 0x63c0),
                 W_R(ISA_ADD, T0, T1, AT, 0));
    expect_words("sll $t0, $t1, $t2", 1, W_R(ISA_SLLV, T0, T2, T1, 0));
}
END_TEST

/* SPIM's "op rd, imm" = "op rd, rd, imm" (CPU/parser.y: BINARYI_OPS,
 * BINARYIR_OPS, BINARY_ARITHI_OPS, BINARY_LOGICALI_OPS, BINARY_OPS, SUB_OPS
 * with DEST IMM); words as spim assembles them (tests/asm/spim_words.sh). */
START_TEST(test_two_operand_immediates)
{
    expect_words("add $t0 1", 1, W_I(ISA_ADDI, T0, T0, 1));
    expect_words("addu $t0, 1", 1, W_I(ISA_ADDIU, T0, T0, 1));
    expect_words("sub $t0 4", 1, W_I(ISA_ADDI, T0, T0, NEG(-4)));
    expect_words("subu $t0 4", 1, W_I(ISA_ADDIU, T0, T0, NEG(-4)));
    expect_words("and $t0 0xff", 1, W_I(ISA_ANDI, T0, T0, 0xff));
    expect_words("or $t0 0x100", 1, W_I(ISA_ORI, T0, T0, 0x100));
    expect_words("xor $t0 3", 1, W_I(ISA_XORI, T0, T0, 3));
    expect_words("slt $t0 -5", 1, W_I(ISA_SLTI, T0, T0, NEG(-5)));
    expect_words("sltu $t0 5", 1, W_I(ISA_SLTIU, T0, T0, 5));
    expect_words("nor $t0 3", 2, W_I(ISA_ORI, AT, 0, 3), W_R(ISA_NOR, T0, T0, AT, 0));
    expect_words("nor $t0 0", 1, W_R(ISA_NOR, T0, T0, 0, 0));
    expect_words("nor $t0 $t0 0", 1, W_R(ISA_NOR, T0, T0, 0, 0));
    expect_words("add $t0 100000", 3, W_I(ISA_LUI, AT, 0, 1), W_I(ISA_ORI, AT, AT, 0x86a0),
                 W_R(ISA_ADD, T0, T0, AT, 0));
    expect_words("and $t0 -1", 3, W_I(ISA_LUI, AT, 0, 0xffff), W_I(ISA_ORI, AT, AT, 0xffff),
                 W_R(ISA_AND, T0, T0, AT, 0));
    expect_words("sllv $t0 3", 1, W_R(ISA_SLL, T0, 0, T0, 3));
    expect_words("srlv $t0 1", 1, W_R(ISA_SRL, T0, 0, T0, 1));
    expect_words("srav $t0 1", 1, W_R(ISA_SRA, T0, 0, T0, 1));
    expect_words("addi $t0 5", 1, W_I(ISA_ADDI, T0, T0, 5));
    expect_words("andi $t0 7", 1, W_I(ISA_ANDI, T0, T0, 7));
    /* MARS: andi/ori/xori rt, imm32 */
    expect_words("andi $t0 0x12345", 3, W_I(ISA_LUI, AT, 0, 1), W_I(ISA_ORI, AT, AT, 0x2345),
                 W_R(ISA_AND, T0, T0, AT, 0));
}
END_TEST

/* What SPIM (and MARS) refuse among the look-alikes. */
START_TEST(test_two_operand_refused)
{
    static const struct { const char *src, *msg; } bad[] = {
        {"addu $t0 $t1", "'addu' expects register, register, register"},
        {"add $t0, $t1", "'add' expects register, register, register"},
        {"movz $t0 $t1", "'movz' expects"},
        {"mul $t0 3", "'mul' expects"},
        {"sll $t0 2", "'sll' expects register, register, shift amount"},
        {"div $t0 3", "'div' expects"},
        {"rem $t0 3", "'rem' expects"},
        {"seq $t0 5", "'seq' expects"},
        {"rol $t0 1", "'rol' expects"},
        {"mulo $t0 2", "'mulo' expects"},
        {"not $t0", "'not' expects register, register"},
        {"neg $t0", "'neg' expects register, register"},
        {"subi $t0 4", "'subi' expects register, register, immediate"},
        {"nor $t0 -1", "immediate out of range for 'nor' (0 to 65535)"},
        {"nor $t0 0x12345", "immediate out of range for 'nor' (0 to 65535)"},
        {"addi $t0 100000", "immediate out of range for 'addi' (-32768 to 32767)"},
        {"L: add $t0 L", "'add rd, imm' takes a number, not a label"},
        {"sllv $t0 32", "shift amount must be 0 to 31"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *d = expect_fail(bad[i].src);
        ck_assert_has(d, bad[i].msg);
        free(d);
    }
}
END_TEST

START_TEST(test_loads_and_stores)
{
    expect_words("lw $t0, 4($sp)", 1, W_I(ISA_LW, T0, 29, 4));
    expect_words("lw $t0, ($sp)", 1, W_I(ISA_LW, T0, 29, 0));
    expect_words("lw $t0, -4", 1, W_I(ISA_LW, T0, 0, NEG(-4)));
    expect_words("lw $t0, 100000($a0)", 3, W_I(ISA_LUI, AT, 0, 2), W_R(ISA_ADDU, AT, AT, A0, 0),
                 W_I(ISA_LW, T0, AT, 0x86a0));
    expect_words(".data\nx: .word 0\n.text\nsw $t0, x", 2, W_I(ISA_LUI, AT, 0, 0x1001),
                 W_I(ISA_SW, T0, AT, 0));
    expect_words(".data\nx: .word 0\n.text\nsb $t0, x+3($t1)", 3, W_I(ISA_LUI, AT, 0, 0x1001),
                 W_R(ISA_ADDU, AT, AT, T1, 0), W_I(ISA_SB, T0, AT, 3));
    expect_words(".data\nx: .word 0, 0\n.text\nulw $t0, x+4", 3, W_I(ISA_LUI, AT, 0, 0x1001),
                 W_I(ISA_LWL, T0, AT, 7), W_I(ISA_LWR, T0, AT, 4));
}
END_TEST

START_TEST(test_machine_forms)
{
    expect_words("jalr $t0", 1, W_R(ISA_JALR, 31, T0, 0, 0));
    expect_words("jalr $s0, $t0", 1, W_R(ISA_JALR, 16, T0, 0, 0));
    expect_words("break", 1, W_BRK(0));
    expect_words("break 7", 1, W_BRK(7));
    expect_words("syscall", 1, W_R(ISA_SYSCALL, 0, 0, 0, 0));
    expect_words("mfc0 $k0, $13", 1, W_R(ISA_MFC0, 13, 0, 26, 0));
    expect_words("mtc0 $t0, $12", 1, W_R(ISA_MTC0, 12, 0, T0, 0));
    expect_words("eret", 1, ISA_ERET_WORD);
    expect_words("rfe", 1, ISA_RFE_WORD);
    /* the select, as GNU as writes it: mfc0 $t0, $16, 1 is Config1 */
    expect_words("mfc0 $t0, $16, 1", 1, 0x40088001u);
    expect_words("mtc0 $t0, $12, 7", 1, W_R(ISA_MTC0, 12, 0, T0, 0) | 7u);
    char *d = expect_fail("mfc0 $t0, $16, 8");
    ck_assert_has(d, "coprocessor 0 select must be 0 to 7");
    free(d);
    d = expect_fail("mfc0 $t0");
    ck_assert_has(d, "[, select 0 to 7]");
    free(d);
    expect_words("j $ra", 1, W_R(ISA_JR, 0, 31, 0, 0));
    expect_words("L: jal L", 1, W_J(ISA_JAL, 0x00400000));
    expect_words("sll $t0, $t1, 31", 1, W_R(ISA_SLL, T0, 0, T1, 31));
    expect_words("lui $t0, 0x1001", 1, W_I(ISA_LUI, T0, 0, 0x1001));
    expect_words("teqi $t0, -1", 1, W_I(ISA_TEQI, 0, T0, NEG(-1)));
    expect_words("clz $t0, $t1", 1, W_R(ISA_CLZ, T0, T1, 0, 0));
    expect_words(".set noat\nadd $at, $at, $t0", 1, W_R(ISA_ADD, AT, AT, T0, 0));
    /* SPIM 8.0's sync [stype] (its word for sync; MIPS32's stype field), ssnop */
    expect_words("sync", 1, 0x0000000fu);
    expect_words("sync 3", 1, 0x000000cfu);
    expect_words("ssnop", 1, W_R(ISA_SLL, 0, 0, 0, 1));
}
END_TEST

/* The MIPS32 Release 2 instructions SPIM parses but does not implement: a
 * warning, no word (labels around them stay where SPIM puts them); what
 * SPIM refuses, we refuse. */
START_TEST(test_spim_rev2_and_refused)
{
    struct bh_image img;
    struct bh_asm_result res;
    const char *src = "ehb\nL: di $t0\nseb $t0, $t1\nrotr $t0 $t1 3\nrotrv $t0 $t1 $t2\n"
                      "sdbbp\nderet\nwsbh $t0 $t1\nnop\nj L\n";
    ck_assert_int_eq(asm_str(src, &img, &res), 0);
    ck_assert_int_eq(res.errors, 0);
    ck_assert_int_eq(res.warnings, 8);
    ck_assert_has((char *)res.diag.data,
                  "t.s:1:1: warning: 'ehb' is a MIPS32 Release 2 instruction SPIM does not implement: "
                  "ignored, as SPIM does");
    ck_assert_has((char *)res.diag.data, "t.s:4:1: warning: 'rotr' is a MIPS32 Release 2");
    ck_assert_uint_eq(img.seg[BH_SEG_TEXT].size, 8); /* nop; j L (L = the nop) */
    ck_assert_uint_eq(bh_get32(img.seg[BH_SEG_TEXT].bytes + 4), W_J(ISA_J, 0x00400000));
    bh_image_free(&img);
    bh_asm_result_free(&res);
    static const struct { const char *src, *msg; } bad[] = {
        {"pause", "unknown instruction 'pause'"},
        {"wait", "unknown instruction 'wait'"},
        {"ei", "'ei' expects register"},
        {"ehb $t0", "'ehb' expects no operands"},
        {"sync 32", "sync type 32 out of range (0 to 31)"},
        {"ssnop 1", "'ssnop' expects no operands"},
        {"jr.hb $ra", "unknown instruction 'jr.hb'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *d = expect_fail(bad[i].src);
        ck_assert_has(d, bad[i].msg);
        free(d);
    }
}
END_TEST

Suite *asm_pseudo_suite(void)
{
    Suite *s = suite_create("asm_pseudo");
    TCase *t = tcase_create("expansions");
    tcase_add_test(t, test_li_la_move_nop);
    tcase_add_test(t, test_branches);
    tcase_add_test(t, test_branches_immediate);
    tcase_add_test(t, test_arithmetic_pseudos);
    tcase_add_test(t, test_division);
    tcase_add_test(t, test_rotates);
    tcase_add_test(t, test_set_pseudos);
    tcase_add_test(t, test_unaligned);
    tcase_add_test(t, test_alu_immediates);
    tcase_add_test(t, test_two_operand_immediates);
    tcase_add_test(t, test_two_operand_refused);
    tcase_add_test(t, test_loads_and_stores);
    tcase_add_test(t, test_machine_forms);
    tcase_add_test(t, test_spim_rev2_and_refused);
    suite_add_tcase(s, t);
    return s;
}
