/* asm_test_util.h: helpers for the assembler's Check suites: assemble a
 * string, compare the text words with words built by isa_encode, and
 * look at the diagnostics.  Header-only (static), one copy per suite. */
#ifndef BH_ASM_TEST_UTIL_H
#define BH_ASM_TEST_UTIL_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "babyasm.h"
#include "image.h"
#include "isa.h"

static inline uint32_t W_R(enum isa_op op, int rd, int rs, int rt, int sa)
{
    struct isa_fields f = {.rd = (uint32_t)rd, .rs = (uint32_t)rs, .rt = (uint32_t)rt,
                           .sa = (uint32_t)sa};
    return isa_encode(op, &f);
}

static inline uint32_t W_I(enum isa_op op, int rt, int rs, uint32_t imm)
{
    struct isa_fields f = {.rs = (uint32_t)rs, .rt = (uint32_t)rt, .imm = imm & 0xffffu};
    return isa_encode(op, &f);
}

static inline uint32_t W_J(enum isa_op op, uint32_t target)
{
    struct isa_fields f = {.imm = (target >> 2) & 0x03ffffffu};
    return isa_encode(op, &f);
}

static inline uint32_t W_BRK(uint32_t code)
{
    struct isa_fields f = {.imm = code};
    return isa_encode(ISA_BREAK, &f);
}

/* Assemble src as "t.s" with the BH_ASM_* flags given; returns 0 on
 * success.  The caller frees. */
static inline int asm_str_flags(const char *src, unsigned flags, struct bh_image *img,
                                struct bh_asm_result *res)
{
    memset(res, 0, sizeof *res);
    int rc = bh_asm_source("t.s", src, strlen(src), flags, img, res);
    bh_buf_put8(&res->diag, 0); /* printable as a C string */
    res->diag.len--;
    return rc;
}

static inline int asm_str(const char *src, struct bh_image *img, struct bh_asm_result *res)
{
    return asm_str_flags(src, BH_ASM_LISTING, img, res);
}

/* Assemble src and require exactly the n words given (text segment). */
static inline void expect_words_at(const char *file, int line, unsigned flags, const char *src,
                                   int n, ...)
{
    struct bh_image img;
    struct bh_asm_result res;
    int rc = asm_str_flags(src, flags, &img, &res);
    ck_assert_msg(rc == 0, "%s:%d: '%s' failed:\n%s", file, line, src,
                  res.diag.data ? (char *)res.diag.data : "");
    const struct bh_segment *t = &img.seg[BH_SEG_TEXT];
    ck_assert_msg(t->size == 4u * (uint32_t)n, "%s:%d: '%s': %u words, expected %d", file, line, src,
                  t->size / 4, n);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        uint32_t want = va_arg(ap, uint32_t);
        uint32_t got = bh_get32(t->bytes + 4 * i);
        ck_assert_msg(got == want, "%s:%d: '%s': word %d is 0x%08x, expected 0x%08x", file, line, src,
                      i, got, want);
    }
    va_end(ap);
    bh_image_free(&img);
    bh_asm_result_free(&res);
}
#define expect_words(src, ...) \
    expect_words_at(__FILE__, __LINE__, BH_ASM_LISTING, src, __VA_ARGS__)

/* Assemble src with the flags given, require failure, and return the
 * diagnostics (caller frees). */
static inline char *expect_fail_flags(const char *src, unsigned flags)
{
    struct bh_image img;
    struct bh_asm_result res;
    int rc = asm_str_flags(src, flags, &img, &res);
    ck_assert_msg(rc == -1, "'%s' should fail", src);
    ck_assert_int_gt(res.errors, 0);
    char *d = strdup(res.diag.data ? (char *)res.diag.data : "");
    bh_asm_result_free(&res);
    return d;
}

static inline char *expect_fail(const char *src)
{
    return expect_fail_flags(src, BH_ASM_LISTING);
}

#define ck_assert_has(hay, needle) \
    ck_assert_msg(strstr(hay, needle) != NULL, "expected '%s' in:\n%s", needle, hay)

#endif
