/* check_x64emit.c: the translation tier's x86-64 encoder (vm/core/x64emit.c)
 * against GNU as.  Each case emits one instruction with x64emit and names
 * it in Intel syntax; the test writes every name into one .s file, has
 * `as --64` assemble it and `objcopy -O binary` extract .text, and
 * compares the bytes case by case.
 *
 * Why GNU as and not a disassembler (Capstone): as comes with gcc's
 * binutils, so the oracle needs no new dependency, and comparing bytes is
 * stricter than comparing text (a disassembler prints the same text for
 * two encodings of one instruction, e.g. disp8 and disp32).  Where as
 * would pick a shorter encoding than the one the tier needs (jumps whose
 * rel32 is patched later), the line asks for it with {disp32}.  as has
 * short forms for eax with a 32-bit immediate (3D, 0D...) that x64emit
 * does not use (and D1 for a shift by 1): those cases take another
 * register or count. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/x64emit.h"

enum { A = X64_RAX, C = X64_RCX, D = X64_RDX, B = X64_RBX, SP = X64_RSP, BP = X64_RBP,
       SI = X64_RSI, DI = X64_RDI, NO = X64_NOINDEX };

/* Point the jump whose rel32 is at r to r + d. */
static void patch_at(uint8_t *r, ptrdiff_t d) { x64_patch(r, r + d); }

/* X(id, what as assembles, the emitter call writing to b) */
#define CASES(X)                                                                                   \
    X(load32_disp8, "mov eax, dword ptr [rbx+8]", x64_load32(b, A, B, NO, 8))                      \
    X(load32_disp32, "mov edx, dword ptr [rbx+0x1234]", x64_load32(b, D, B, NO, 0x1234))           \
    X(load32_neg, "mov ecx, dword ptr [rbx-4]", x64_load32(b, C, B, NO, -4))                       \
    X(load32_none, "mov edx, dword ptr [rax]", x64_load32(b, D, A, NO, 0))                         \
    X(load32_rbp, "mov eax, dword ptr [rbp+0]", x64_load32(b, A, BP, NO, 0))                       \
    X(load32_rsp, "mov eax, dword ptr [rsp+16]", x64_load32(b, A, SP, NO, 16))                     \
    X(load32_index, "mov eax, dword ptr [rbx+rcx+0x808]", x64_load32(b, A, B, C, 0x808))           \
    X(load64, "mov rax, qword ptr [rbx+0x90]", x64_load64(b, A, B, NO, 0x90))                      \
    X(store32, "mov dword ptr [rbx+124], eax", x64_store32(b, B, NO, 124, A))                      \
    X(store16, "mov word ptr [rax], dx", x64_store16(b, A, NO, 0, D))                              \
    X(store8, "mov byte ptr [rax], dl", x64_store8(b, A, NO, 0, D))                                \
    X(load8u, "movzx edx, byte ptr [rax]", x64_load8(b, D, A, NO, 0, 0))                           \
    X(load8s, "movsx edx, byte ptr [rax]", x64_load8(b, D, A, NO, 0, 1))                           \
    X(load16u, "movzx edx, word ptr [rax]", x64_load16(b, D, A, NO, 0, 0))                         \
    X(load16s, "movsx edx, word ptr [rax]", x64_load16(b, D, A, NO, 0, 1))                         \
    X(store_imm, "mov dword ptr [rbx+0x88], 0x10010000", x64_store_imm32(b, B, 0x88, 0x10010000u)) \
    X(mov_imm, "mov esi, 0xdeadbeef", x64_mov_imm32(b, SI, 0xdeadbeefu))                           \
    X(mov, "mov ecx, eax", x64_mov(b, C, A))                                                       \
    X(mov64, "mov rbx, rdi", x64_mov64(b, B, DI))                                                  \
    X(add, "add eax, edx", x64_alu(b, X64_ADD, A, D))                                              \
    X(xor_, "xor edx, edx", x64_alu(b, X64_XOR, D, D))                                             \
    X(add_imm8, "add eax, -3", x64_alu_imm(b, X64_ADD, A, -3))                                     \
    X(and_imm32, "and edx, 0xfffff003", x64_alu_imm(b, X64_AND, D, (int32_t)0xfffff003u))          \
    X(cmp_imm32, "cmp ecx, 0x80000000", x64_alu_imm(b, X64_CMP, C, INT32_MIN))                     \
    X(or_imm, "or edx, 0xffff", x64_alu_imm(b, X64_OR, D, 0xffff))                                 \
    X(sub_mem, "sub eax, dword ptr [rbx+12]", x64_alu_mem(b, X64_SUB, A, B, NO, 12))               \
    X(cmp_mem_index, "cmp edx, dword ptr [rbx+rcx+0x800]", x64_alu_mem(b, X64_CMP, D, B, C, 0x800)) \
    X(add64_imm, "add qword ptr [rbx+0x98], 7", x64_alu64_mem_imm(b, X64_ADD, B, 0x98, 7))         \
    X(add64_imm32, "add qword ptr [rsi+0x400], 1000", x64_alu64_mem_imm(b, X64_ADD, SI, 0x400, 1000)) \
    X(cmp64_mem, "cmp rax, qword ptr [rbx+0xa0]", x64_alu64_mem(b, X64_CMP, A, B, NO, 0xa0))       \
    X(add64_mem_index, "add rax, qword ptr [rbx+rcx+0x808]", x64_alu64_mem(b, X64_ADD, A, B, C, 0x808)) \
    X(test, "test ecx, ecx", x64_test(b, C, C))                                                    \
    X(test64, "test rax, rax", x64_test64(b, A, A))                                                \
    X(not_, "not eax", x64_not(b, A))                                                              \
    X(shl, "shl eax, 31", x64_shift_imm(b, X64_SHL, A, 31))                                        \
    X(shr, "shr ecx, 8", x64_shift_imm(b, X64_SHR, C, 8))                                          \
    X(sar, "sar eax, 3", x64_shift_imm(b, X64_SAR, A, 3))                                          \
    X(sar_cl, "sar eax, cl", x64_shift_cl(b, X64_SAR, A))                                          \
    X(shr64, "shr rax, 32", x64_shr64_imm(b, A, 32))                                               \
    X(imul, "imul eax, ecx", x64_imul(b, A, C))                                                    \
    X(imul64, "imul rax, rcx", x64_imul64(b, A, C))                                                \
    X(movsxd, "movsxd rcx, ecx", x64_movsxd(b, C, C))                                              \
    X(cdq, "cdq", x64_cdq(b))                                                                      \
    X(idiv, "idiv ecx", x64_idiv(b, C))                                                            \
    X(div, "div ecx", x64_div(b, C))                                                               \
    X(setl, "setl al", x64_setcc(b, X64_L, A))                                                     \
    X(setb, "setb dl", x64_setcc(b, X64_B, D))                                                     \
    X(movzx8, "movzx eax, al", x64_movzx8(b, A, A))                                                \
    X(jne_zero, "{disp32} jne .+6", x64_jcc(b, X64_NE))                                            \
    X(jo_patched, "jo .+0x1006", patch_at(x64_jcc(b, X64_O), 4 + 0x1000))                     \
    X(jmp_back, "jmp .-0x100", patch_at(x64_jmp(b), -1 - 0x100))                           \
    X(jmp_reg, "jmp rsi", x64_jmp_reg(b, SI))                                                      \
    X(push, "push rbx", x64_push(b, B))                                                            \
    X(pop, "pop rbx", x64_pop(b, B))                                                               \
    X(ret, "ret", x64_ret(b))

#define X_FN(id, text, call)                                                                       \
    static void emit_##id(struct x64_buf *b) { call; }
CASES(X_FN)
#undef X_FN

static const struct {
    const char *id, *text;
    void (*emit)(struct x64_buf *);
} cases[] = {
#define X_ROW(id, text, call) {#id, text, emit_##id},
    CASES(X_ROW)
#undef X_ROW
};
#define NCASES (sizeof cases / sizeof cases[0])

START_TEST(encodings_match_gnu_as)
{
    char dir[] = "/tmp/check_x64emit_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char s_path[64], o_path[64], bin_path[64], cmd[512];
    snprintf(s_path, sizeof s_path, "%s/t.s", dir);
    snprintf(o_path, sizeof o_path, "%s/t.o", dir);
    snprintf(bin_path, sizeof bin_path, "%s/t.bin", dir);

    static uint8_t ours[NCASES * 16];
    size_t at[NCASES + 1];
    struct x64_buf b = {ours, ours + sizeof ours, 0};
    FILE *f = fopen(s_path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(".intel_syntax noprefix\n.text\n", f);
    for (size_t i = 0; i < NCASES; i++) {
        at[i] = (size_t)(b.p - ours);
        cases[i].emit(&b);
        fprintf(f, "%s\n", cases[i].text);
    }
    at[NCASES] = (size_t)(b.p - ours);
    ck_assert_int_eq(b.full, 0);
    fclose(f);
    snprintf(cmd, sizeof cmd, "as --64 -o %s %s && objcopy -O binary -j .text %s %s", o_path,
             s_path, o_path, bin_path);
    ck_assert_msg(system(cmd) == 0, "GNU as (binutils) must assemble %s", s_path);

    static uint8_t theirs[sizeof ours + 1];
    f = fopen(bin_path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(theirs, 1, sizeof theirs, f);
    fclose(f);
    /* Case by case: the first difference names its instruction. */
    for (size_t i = 0; i < NCASES; i++) {
        size_t len = at[i + 1] - at[i];
        ck_assert_msg(at[i + 1] <= n && memcmp(ours + at[i], theirs + at[i], len) == 0,
                      "%s: '%s' is not encoded as GNU as encodes it", cases[i].id, cases[i].text);
    }
    ck_assert_uint_eq(n, at[NCASES]);
    unlink(s_path);
    unlink(o_path);
    unlink(bin_path);
    rmdir(dir);
}
END_TEST

/* A buffer that runs out says so (the translator then drops the block)
 * and is never written past its end, nor at all once full. */
START_TEST(full_buffer_writes_nothing_more)
{
    uint8_t buf[12];
    memset(buf, 0xcc, sizeof buf);
    struct x64_buf b = {buf, buf + 6, 0};
    x64_load32(&b, A, B, NO, 8);                /* 3 bytes */
    x64_alu64_mem_imm(&b, X64_ADD, B, 0x98, 7); /* 8 bytes: does not fit */
    ck_assert_int_eq(b.full, 1);
    ck_assert(b.p <= buf + 6);
    uint8_t *p = b.p;
    x64_ret(&b); /* 1 byte would fit, but the buffer is full */
    ck_assert_ptr_eq(b.p, p);
    ck_assert_ptr_null(x64_jmp(&b));
    for (size_t i = 6; i < sizeof buf; i++)
        ck_assert_uint_eq(buf[i], 0xcc);
}
END_TEST

Suite *x64emit_suite(void)
{
    Suite *s = suite_create("x64emit");
    TCase *tc = tcase_create("encodings");
    tcase_add_test(tc, encodings_match_gnu_as);
    tcase_add_test(tc, full_buffer_writes_nothing_more);
    suite_add_tcase(s, tc);
    return s;
}
