/* x64emit.c: the x86-64 encodings (x64emit.h).  Every form is a prefix
 * (0x66 for 16 bits, REX.W 0x48 for 64), an opcode of one or two bytes,
 * then a ModRM byte naming a register (x64_rr) or a memory operand
 * (x64_mem), then an immediate. */
#include "core/x64emit.h"

#include <string.h>

static void put(struct x64_buf *b, const void *bytes, size_t n)
{
    if (b->full || (size_t)(b->end - b->p) < n) {
        b->full = 1;
        return;
    }
    memcpy(b->p, bytes, n);
    b->p += n;
}

static void byte(struct x64_buf *b, unsigned v)
{
    uint8_t c = (uint8_t)v;
    put(b, &c, 1);
}

static void imm32(struct x64_buf *b, uint32_t v)
{
    uint8_t c[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, c, 4);
}

static int fits8(int32_t v) { return v >= -128 && v <= 127; }

/* ModRM for two registers (mod 11). */
static void x64_rr(struct x64_buf *b, int reg, int rm) { byte(b, 0xc0u | (unsigned)reg << 3 | (unsigned)rm); }

/* ModRM (and SIB, displacement) for [base + index + disp], reg in the
 * reg field.  No displacement only when base is not rbp (mod 00 with rbp
 * means rip-relative); rsp as base always needs a SIB. */
static void x64_mem(struct x64_buf *b, int reg, int base, int index, int32_t disp)
{
    unsigned mod = disp == 0 && base != X64_RBP ? 0u : fits8(disp) ? 1u : 2u;
    if (index == X64_NOINDEX && base != X64_RSP) {
        byte(b, mod << 6 | (unsigned)reg << 3 | (unsigned)base);
    } else {
        byte(b, mod << 6 | (unsigned)reg << 3 | 4u);
        byte(b, (unsigned)(index == X64_NOINDEX ? 4 : index) << 3 | (unsigned)base);
    }
    if (mod == 1)
        byte(b, (uint8_t)disp);
    else if (mod == 2)
        imm32(b, (uint32_t)disp);
}

void x64_load32(struct x64_buf *b, int reg, int base, int index, int32_t disp)
{
    byte(b, 0x8b);
    x64_mem(b, reg, base, index, disp);
}

void x64_load64(struct x64_buf *b, int reg, int base, int index, int32_t disp)
{
    byte(b, 0x48);
    x64_load32(b, reg, base, index, disp);
}

void x64_store32(struct x64_buf *b, int base, int index, int32_t disp, int reg)
{
    byte(b, 0x89);
    x64_mem(b, reg, base, index, disp);
}

void x64_store16(struct x64_buf *b, int base, int index, int32_t disp, int reg)
{
    byte(b, 0x66);
    x64_store32(b, base, index, disp, reg);
}

void x64_store8(struct x64_buf *b, int base, int index, int32_t disp, int reg)
{
    byte(b, 0x88);
    x64_mem(b, reg, base, index, disp);
}

void x64_load8(struct x64_buf *b, int reg, int base, int index, int32_t disp, int sign)
{
    uint8_t op[2] = {0x0f, sign ? 0xbe : 0xb6};
    put(b, op, 2);
    x64_mem(b, reg, base, index, disp);
}

void x64_load16(struct x64_buf *b, int reg, int base, int index, int32_t disp, int sign)
{
    uint8_t op[2] = {0x0f, sign ? 0xbf : 0xb7};
    put(b, op, 2);
    x64_mem(b, reg, base, index, disp);
}

void x64_store_imm32(struct x64_buf *b, int base, int32_t disp, uint32_t imm)
{
    byte(b, 0xc7);
    x64_mem(b, 0, base, X64_NOINDEX, disp);
    imm32(b, imm);
}

void x64_mov_imm32(struct x64_buf *b, int reg, uint32_t imm)
{
    byte(b, 0xb8u + (unsigned)reg);
    imm32(b, imm);
}

void x64_mov(struct x64_buf *b, int dst, int src)
{
    byte(b, 0x89);
    x64_rr(b, src, dst);
}

void x64_mov64(struct x64_buf *b, int dst, int src)
{
    byte(b, 0x48);
    x64_mov(b, dst, src);
}

void x64_alu(struct x64_buf *b, enum x64_alu op, int dst, int src)
{
    byte(b, (unsigned)op * 8u + 1u);
    x64_rr(b, src, dst);
}

void x64_alu_imm(struct x64_buf *b, enum x64_alu op, int reg, int32_t imm)
{
    byte(b, fits8(imm) ? 0x83 : 0x81);
    x64_rr(b, (int)op, reg);
    if (fits8(imm))
        byte(b, (uint8_t)imm);
    else
        imm32(b, (uint32_t)imm);
}

void x64_alu_mem(struct x64_buf *b, enum x64_alu op, int reg, int base, int index, int32_t disp)
{
    byte(b, (unsigned)op * 8u + 3u);
    x64_mem(b, reg, base, index, disp);
}

void x64_alu64_mem_imm(struct x64_buf *b, enum x64_alu op, int base, int32_t disp, int32_t imm)
{
    byte(b, 0x48);
    byte(b, fits8(imm) ? 0x83 : 0x81);
    x64_mem(b, (int)op, base, X64_NOINDEX, disp);
    if (fits8(imm))
        byte(b, (uint8_t)imm);
    else
        imm32(b, (uint32_t)imm);
}

void x64_alu64_mem(struct x64_buf *b, enum x64_alu op, int reg, int base, int index, int32_t disp)
{
    byte(b, 0x48);
    x64_alu_mem(b, op, reg, base, index, disp);
}

void x64_test(struct x64_buf *b, int r1, int r2)
{
    byte(b, 0x85);
    x64_rr(b, r2, r1);
}

void x64_test64(struct x64_buf *b, int r1, int r2)
{
    byte(b, 0x48);
    x64_test(b, r1, r2);
}

void x64_not(struct x64_buf *b, int reg)
{
    byte(b, 0xf7);
    x64_rr(b, 2, reg);
}

void x64_shift_imm(struct x64_buf *b, enum x64_shift op, int reg, unsigned n)
{
    byte(b, 0xc1);
    x64_rr(b, (int)op, reg);
    byte(b, n);
}

void x64_shift_cl(struct x64_buf *b, enum x64_shift op, int reg)
{
    byte(b, 0xd3);
    x64_rr(b, (int)op, reg);
}

void x64_imul(struct x64_buf *b, int dst, int src)
{
    uint8_t op[2] = {0x0f, 0xaf};
    put(b, op, 2);
    x64_rr(b, dst, src);
}

void x64_imul64(struct x64_buf *b, int dst, int src)
{
    byte(b, 0x48);
    x64_imul(b, dst, src);
}

void x64_movsxd(struct x64_buf *b, int dst, int src)
{
    byte(b, 0x48);
    byte(b, 0x63);
    x64_rr(b, dst, src);
}

void x64_shr64_imm(struct x64_buf *b, int reg, unsigned n)
{
    byte(b, 0x48);
    x64_shift_imm(b, X64_SHR, reg, n);
}

void x64_cdq(struct x64_buf *b) { byte(b, 0x99); }

void x64_idiv(struct x64_buf *b, int reg)
{
    byte(b, 0xf7);
    x64_rr(b, 7, reg);
}

void x64_div(struct x64_buf *b, int reg)
{
    byte(b, 0xf7);
    x64_rr(b, 6, reg);
}

void x64_setcc(struct x64_buf *b, enum x64_cc cc, int reg)
{
    uint8_t op[2] = {0x0f, (uint8_t)(0x90u + (unsigned)cc)};
    put(b, op, 2);
    x64_rr(b, 0, reg);
}

void x64_movzx8(struct x64_buf *b, int dst, int src)
{
    uint8_t op[2] = {0x0f, 0xb6};
    put(b, op, 2);
    x64_rr(b, dst, src);
}

uint8_t *x64_jcc(struct x64_buf *b, enum x64_cc cc)
{
    uint8_t op[2] = {0x0f, (uint8_t)(0x80u + (unsigned)cc)};
    put(b, op, 2);
    imm32(b, 0);
    return b->full ? NULL : b->p - 4;
}

uint8_t *x64_jmp(struct x64_buf *b)
{
    byte(b, 0xe9);
    imm32(b, 0);
    return b->full ? NULL : b->p - 4;
}

void x64_patch(uint8_t *rel32, const uint8_t *to)
{
    int32_t d = (int32_t)(to - (rel32 + 4));
    memcpy(rel32, &d, 4);
}

void x64_jmp_reg(struct x64_buf *b, int reg)
{
    byte(b, 0xff);
    x64_rr(b, 4, reg);
}

void x64_push(struct x64_buf *b, int reg) { byte(b, 0x50u + (unsigned)reg); }
void x64_pop(struct x64_buf *b, int reg) { byte(b, 0x58u + (unsigned)reg); }
void x64_ret(struct x64_buf *b) { byte(b, 0xc3); }
