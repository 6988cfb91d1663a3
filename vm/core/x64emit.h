/* x64emit.h: the x86-64 encoder of the translation tier (jit.c): one small
 * function per instruction form the translator uses, each writing its
 * bytes at the end of a buffer.  Only the eight legacy registers appear
 * (no REX.R/X/B); REX.W marks the 64-bit forms.  As blink's jit.c and
 * DynASM's x86 encoder, the ModRM/SIB bytes are built in one place
 * (x64_mem) and every memory form goes through it.
 *
 * Nothing here knows MIPS; jit.c draws the guest-to-host register
 * convention.  tests/check_x64emit.c checks each form's bytes against
 * GNU as. */
#ifndef BH_X64EMIT_H
#define BH_X64EMIT_H

#include <stddef.h>
#include <stdint.h>

enum x64_reg { X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI };
#define X64_NOINDEX (-1)

/* The group-1 ALU operations: the /digit of 81 and 83, and op * 8 + 1
 * (r/m, reg) or + 3 (reg, r/m) for the register forms. */
enum x64_alu { X64_ADD = 0, X64_OR = 1, X64_AND = 4, X64_SUB = 5, X64_XOR = 6, X64_CMP = 7 };
/* Shifts: the /digit of C1 and D3. */
enum x64_shift { X64_SHL = 4, X64_SHR = 5, X64_SAR = 7 };
/* Condition codes (the low nibble of 0F 8x jcc and 0F 9x setcc). */
enum x64_cc {
    X64_O = 0x0, X64_NO = 0x1, X64_B = 0x2, X64_AE = 0x3, X64_E = 0x4, X64_NE = 0x5,
    X64_BE = 0x6, X64_A = 0x7, X64_S = 0x8, X64_NS = 0x9, X64_L = 0xc, X64_GE = 0xd,
    X64_LE = 0xe, X64_G = 0xf
};

/* Code is written at p up to end; an emit past end sets full and writes
 * nothing more (the caller checks once per block). */
struct x64_buf {
    uint8_t *p, *end;
    int full;
};

/* mov r32, [base + index + disp] (index X64_NOINDEX for none); and back. */
void x64_load32(struct x64_buf *b, int reg, int base, int index, int32_t disp);
void x64_store32(struct x64_buf *b, int base, int index, int32_t disp, int reg);
/* mov r64, qword [mem]. */
void x64_load64(struct x64_buf *b, int reg, int base, int index, int32_t disp);
void x64_store16(struct x64_buf *b, int base, int index, int32_t disp, int reg);
/* mov byte [mem], r8: reg must be al, cl, dl or bl (no REX). */
void x64_store8(struct x64_buf *b, int base, int index, int32_t disp, int reg);
/* movzx / movsx r32, byte or word [mem]. */
void x64_load8(struct x64_buf *b, int reg, int base, int index, int32_t disp, int sign);
void x64_load16(struct x64_buf *b, int reg, int base, int index, int32_t disp, int sign);
/* mov dword [mem], imm32. */
void x64_store_imm32(struct x64_buf *b, int base, int32_t disp, uint32_t imm);
/* mov r32, imm32 (zero-extends into r64). */
void x64_mov_imm32(struct x64_buf *b, int reg, uint32_t imm);
/* mov r32, r32; mov r64, r64. */
void x64_mov(struct x64_buf *b, int dst, int src);
void x64_mov64(struct x64_buf *b, int dst, int src);
/* op r32, r32; op r32, imm32 (imm8 form when it fits); op r32, [mem]. */
void x64_alu(struct x64_buf *b, enum x64_alu op, int dst, int src);
void x64_alu_imm(struct x64_buf *b, enum x64_alu op, int reg, int32_t imm);
void x64_alu_mem(struct x64_buf *b, enum x64_alu op, int reg, int base, int index, int32_t disp);
/* op qword [base + disp], imm32 (sign-extended); op r64, qword [mem]. */
void x64_alu64_mem_imm(struct x64_buf *b, enum x64_alu op, int base, int32_t disp, int32_t imm);
void x64_alu64_mem(struct x64_buf *b, enum x64_alu op, int reg, int base, int index, int32_t disp);
/* test r32, r32; test r64, r64. */
void x64_test(struct x64_buf *b, int r1, int r2);
void x64_test64(struct x64_buf *b, int r1, int r2);
/* not r32. */
void x64_not(struct x64_buf *b, int reg);
/* shl/shr/sar r32, imm8; the same by cl. */
void x64_shift_imm(struct x64_buf *b, enum x64_shift op, int reg, unsigned n);
void x64_shift_cl(struct x64_buf *b, enum x64_shift op, int reg);
/* imul r32, r32; imul r64, r64. */
void x64_imul(struct x64_buf *b, int dst, int src);
void x64_imul64(struct x64_buf *b, int dst, int src);
/* movsxd r64, r32. */
void x64_movsxd(struct x64_buf *b, int dst, int src);
/* shr r64, imm8 (the high half of a 64-bit product). */
void x64_shr64_imm(struct x64_buf *b, int reg, unsigned n);
/* cdq; idiv r32 (edx:eax / r); div r32. */
void x64_cdq(struct x64_buf *b);
void x64_idiv(struct x64_buf *b, int reg);
void x64_div(struct x64_buf *b, int reg);
/* setcc r8 (al, cl, dl, bl); movzx r32, r8 of the same four. */
void x64_setcc(struct x64_buf *b, enum x64_cc cc, int reg);
void x64_movzx8(struct x64_buf *b, int dst, int src);
/* jcc rel32, jmp rel32: the displacement 0 for now; the result is where
 * its rel32 field is, for x64_patch. */
uint8_t *x64_jcc(struct x64_buf *b, enum x64_cc cc);
uint8_t *x64_jmp(struct x64_buf *b);
/* Point the rel32 field at to (the target of the jump that holds it). */
void x64_patch(uint8_t *rel32, const uint8_t *to);
/* jmp r64. */
void x64_jmp_reg(struct x64_buf *b, int reg);
void x64_push(struct x64_buf *b, int reg);
void x64_pop(struct x64_buf *b, int reg);
void x64_ret(struct x64_buf *b);

#endif
