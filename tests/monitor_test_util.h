/* monitor_test_util.h: helpers for the monitor's Check suites: build a tiny
 * program image from hand-encoded words (no assembler needed), run it
 * through bh_monitor_step with its console on memory streams. */
#ifndef MONITOR_TEST_UTIL_H
#define MONITOR_TEST_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "image.h"
#include "isa.h"
#include "host/monitor.h"
#include "vm.h"
#include "machine/vm_internal.h"
#include "core/cpu_priv.h"

enum { R0 = 0, AT = 1, V0 = 2, V1 = 3, A0 = 4, A1 = 5, A2 = 6, T0 = 8, T1 = 9, T2 = 10, S0 = 16, S1 = 17 };

#define MT_MAXW 256
struct mt_prog {
    uint32_t w[MT_MAXW];
    unsigned n;
    uint8_t data[256];
    uint32_t ndata;
    char strings[128];
    uint32_t nstrings;
};

static inline void mt_emit(struct mt_prog *p, enum isa_op op, uint32_t rs, uint32_t rt, uint32_t rd,
                           uint32_t sa, uint32_t imm)
{
    struct isa_fields f = {.rs = rs, .rt = rt, .rd = rd, .sa = sa, .imm = imm & 0xffffu};
    if (op == ISA_J || op == ISA_JAL) f.imm = imm;
    ck_assert_uint_lt(p->n, MT_MAXW);
    p->w[p->n++] = isa_encode(op, &f);
}
/* r = v (any 32-bit value): lui + ori */
static inline void mt_li(struct mt_prog *p, uint32_t r, uint32_t v)
{
    mt_emit(p, ISA_LUI, 0, r, 0, 0, v >> 16);
    mt_emit(p, ISA_ORI, r, r, 0, 0, v & 0xffffu);
}
static inline void mt_syscall(struct mt_prog *p, uint32_t num)
{
    mt_li(p, V0, num);
    mt_emit(p, ISA_SYSCALL, 0, 0, 0, 0, 0);
}
static inline void mt_move(struct mt_prog *p, uint32_t rd, uint32_t rs)
{
    mt_emit(p, ISA_ADDU, rs, 0, rd, 0, 0);
}
/* Put bytes in .data; returns their address. */
static inline uint32_t mt_data(struct mt_prog *p, const void *b, uint32_t n)
{
    uint32_t at = BH_DATA_BASE + p->ndata;
    ck_assert_uint_le(p->ndata + n, sizeof p->data);
    memcpy(p->data + p->ndata, b, n);
    p->ndata += (n + 3) & ~3u;
    return at;
}
/* Put a string in the image string table (for SNAPSHOT); returns its offset. */
static inline uint32_t mt_string(struct mt_prog *p, const char *s)
{
    if (!p->nstrings) p->nstrings = 1; /* strings[0] is "" */
    uint32_t at = p->nstrings;
    size_t n = strlen(s) + 1;
    ck_assert_uint_le(p->nstrings + n, sizeof p->strings);
    memcpy(p->strings + at, s, n);
    p->nstrings += (uint32_t)n;
    return at;
}

/* A running test VM: image, VM, console streams. */
struct mt_vm {
    struct bh_image img;
    struct bh_vm *vm;
    FILE *in, *out;
    char *outbuf;
    size_t outlen;
    char msg[2048];
    enum bh_vm_state st;
};

static inline void mt_start(struct mt_vm *t, struct mt_prog *p, const char *input, const char *fs_root)
{
    memset(t, 0, sizeof *t);
    if (!p->nstrings) p->nstrings = 1;
    t->img.entry = BH_TEXT_BASE;
    t->img.seg[BH_SEG_TEXT].addr = BH_TEXT_BASE;
    t->img.seg[BH_SEG_TEXT].size = p->n * 4;
    t->img.seg[BH_SEG_TEXT].bytes = (uint8_t *)malloc(p->n * 4 + 4);
    for (unsigned i = 0; i < p->n; i++) bh_put32(t->img.seg[BH_SEG_TEXT].bytes + 4 * i, p->w[i]);
    t->img.seg[BH_SEG_DATA].addr = BH_DATA_BASE;
    t->img.seg[BH_SEG_DATA].size = p->ndata;
    t->img.seg[BH_SEG_DATA].bytes = p->ndata ? p->data : NULL;
    t->img.strings = p->strings;
    t->img.strings_size = p->nstrings;
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "t1";
    o.fs_root = fs_root;
    o.seed = 1;
    char *argv[] = {(char *)"test", NULL};
    o.argc = 1;
    o.argv = argv;
    char err[256] = "";
    ck_assert_msg(bh_vm_create(&t->img, &o, &t->vm, err, sizeof err) == 0, "%s", err);
    static const char empty[] = "";
    if (!input) input = empty;
    t->in = fmemopen((void *)input, strlen(input) ? strlen(input) : 1, "r");
    if (!strlen(input)) fgetc(t->in); /* fmemopen needs size >= 1: consume the NUL */
    t->out = open_memstream(&t->outbuf, &t->outlen);
    ck_assert_ptr_nonnull(t->in);
    ck_assert_ptr_nonnull(t->out);
    bh_console_attach(bh_vm_console(t->vm), t->in, t->out, "");
}

/* Run to the end (at most ~10M instructions) and return the output. */
static inline const char *mt_run(struct mt_vm *t)
{
    int guard = 0;
    do t->st = bh_monitor_step(t->vm, 1000, t->msg, sizeof t->msg);
    while ((t->st == BH_VM_RUNNING) && ++guard < 10000);
    fflush(t->out);
    return t->outbuf;
}

static inline void mt_end(struct mt_vm *t)
{
    bh_vm_destroy(t->vm);
    fclose(t->in);
    fclose(t->out);
    free(t->outbuf);
    free(t->img.seg[BH_SEG_TEXT].bytes);
}

#endif
