/* jit_dump.c: --jit-dump (jit_dump.h, docs/jit.md).  The core hands each
 * block over as it translates it (bh_vm_jit_hook: the guest words, where
 * each one's host code starts, the exits out of line); this file names
 * the guest side with the image's symbols and line table and
 * disassembles the host side with Capstone (x86-64, Intel syntax, host
 * addresses as offsets in the code cache, whose exit stub every exit
 * jumps to).  Builds without the tier (make JIT=0) have no Capstone. */
#include "host/jit_dump.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "image.h"
#include "isa.h"
#include "machine/machine.h"

#if BH_JIT
#include <capstone/capstone.h>
#endif

/* What the hook of one VM gets. */
struct dump_vm {
    struct bh_jit_dump *d;
    struct bh_vm *vm;
    unsigned long blocks; /* translated so far */
    struct dump_vm *next;
};

struct bh_jit_dump {
    FILE *f;
    int is_stdout;
    struct dump_vm *vms;
#if BH_JIT
    csh cs; /* one handle, used under the stream's lock */
#endif
};

struct bh_jit_dump *bh_jit_dump_open(const char *path, char *err, size_t errlen)
{
    struct bh_jit_dump *d = calloc(1, sizeof *d);
    if (!d) {
        bh_errf(err, errlen, "out of memory");
        return NULL;
    }
    d->is_stdout = !strcmp(path, "-");
    d->f = d->is_stdout ? stdout : fopen(path, "w");
    if (!d->f) {
        bh_errf(err, errlen, "%s: %s", path, strerror(errno));
        free(d);
        return NULL;
    }
#if BH_JIT
    cs_err e = cs_open(CS_ARCH_X86, CS_MODE_64, &d->cs);
    if (e != CS_ERR_OK) {
        bh_errf(err, errlen, "Capstone cannot disassemble x86-64: %s", cs_strerror(e));
        if (!d->is_stdout)
            fclose(d->f);
        free(d);
        return NULL;
    }
#endif
    return d;
}

#if BH_JIT
static const char *sym_at(void *ctx, uint32_t addr)
{
    const struct bh_image *img = ctx;
    const struct bh_symbol *s = img ? bh_image_symbol_before(img, addr) : NULL;
    return s && s->value == addr ? bh_image_str(img, s->name) : NULL;
}

static const char *str_at(void *ctx, uint32_t off) { return bh_image_str(ctx, off); }

/* "label+off (0x...)", or the address alone. */
static void where(const struct bh_vm *vm, uint32_t pc, char *buf, size_t n)
{
    char w[160];
    bh_fault_where(vm, pc, w, sizeof w);
    if (!strncmp(w, "0x", 2))
        snprintf(buf, n, "0x%08x", pc);
    else
        snprintf(buf, n, "%s (0x%08x)", w, pc);
}

/* The host instructions in [from, to) of the block, at their offsets in
 * the code cache; a jump out of the block says where it goes. */
static void host_code(struct bh_jit_dump *d, const struct bh_jit_block *b, uint32_t from,
                      uint32_t to)
{
    if (from >= to)
        return;
    cs_insn *in = NULL;
    size_t n = cs_disasm(d->cs, b->code + from, to - from, (uint64_t)b->cache_off + from, 0, &in);
    uint32_t done = from;
    for (size_t i = 0; i < n; i++) {
        const char *note = "";
        if (in[i].mnemonic[0] == 'j' && in[i].op_str[0] >= '0' && in[i].op_str[0] <= '9') {
            unsigned long long t = strtoull(in[i].op_str, NULL, 0);
            if (t == b->exit_stub)
                note = "  ; the exit stub";
            else if (t < b->cache_off || t >= (unsigned long long)b->cache_off + b->size)
                note = "  ; another block (chained)";
            else if (t == b->cache_off)
                note = "  ; this block's start (chained)";
        }
        char text[192];
        snprintf(text, sizeof text, "%s%s%s", in[i].mnemonic, in[i].op_str[0] ? " " : "",
                 in[i].op_str);
        fprintf(d->f, "      %6llx:  %-*s%s\n", (unsigned long long)in[i].address,
                note[0] ? 40 : 0, text, note);
        done = (uint32_t)(in[i].address - b->cache_off) + in[i].size;
    }
    cs_free(in, n);
    if (done < to) /* never for code the emitter wrote; said rather than hidden */
        fprintf(d->f, "      %6x:  (%u bytes Capstone does not decode)\n", b->cache_off + done,
                to - done);
}

static void dump_block(void *opaque, const struct bh_jit_block *b)
{
    struct dump_vm *dv = opaque;
    struct bh_jit_dump *d = dv->d;
    const struct bh_image *img = bh_vm_image(dv->vm);
    uint32_t last = b->pc + 4u * (b->ninsns - 1u);
    char first_at[200], last_at[200];
    where(dv->vm, b->pc, first_at, sizeof first_at);
    where(dv->vm, last, last_at, sizeof last_at);
    flockfile(d->f);
    fprintf(d->f,
            "[%s] block %lu: %s to %s, %u guest instruction%s, %u bytes of host code at 0x%x in "
            "the code cache, translated in %.1f us\n",
            bh_vm_name(dv->vm), ++dv->blocks, first_at, last_at, b->ninsns,
            b->ninsns == 1 ? "" : "s", b->size, b->cache_off, (double)b->ns / 1e3);
    const struct bh_line *prev = NULL;
    for (uint32_t k = 0; k < b->ninsns; k++) {
        uint32_t pc = b->pc + 4u * k;
        char dis[96];
        isa_disasm(b->words[k], pc, dis, sizeof dis, sym_at, (void *)img, str_at);
        char label[160] = "";
        const struct bh_symbol *s = img ? bh_image_symbol_before(img, pc) : NULL;
        if (s && s->value == pc)
            snprintf(label, sizeof label, "%s:", bh_image_str(img, s->name));
        fprintf(d->f, "  0x%08x  %08x  %-12s %-30s", pc, b->words[k], label, dis);
        const struct bh_line *l = img ? bh_image_line_at(img, pc) : NULL;
        if (l && !(prev && prev->line == l->line && prev->file == l->file)) {
            const char *file = bh_image_str(img, l->file);
            char text[160];
            bh_source_text(file, l->line, text, sizeof text);
            const char *t = text + strspn(text, " ");
            fprintf(d->f, " %s:%u:%s%s", file, l->line, t[0] ? " " : "", t);
        }
        prev = l;
        fputc('\n', d->f);
        host_code(d, b, b->insn_off[k], b->insn_off[k + 1]);
    }
    /* The exit at the block's end goes on after its last instruction;
     * side exits leave before one of its instructions (a TLB miss, an
     * overflow...), which the interpreter then runs. */
    for (unsigned q = 0; q < b->nexits; q++) {
        uint32_t pc = b->exit_pc[q], k = (pc - b->pc) / 4u;
        char at[200];
        where(dv->vm, pc, at, sizeof at);
        if (k < b->ninsns) {
            char dis[96];
            isa_disasm(b->words[k], pc, dis, sizeof dis, sym_at, (void *)img, str_at);
            fprintf(d->f, "  side exit: the interpreter runs %s at %s\n", dis, at);
        } else {
            fprintf(d->f, "  exit at the block's end: the interpreter goes on at %s\n", at);
        }
        host_code(d, b, b->exit_off[q], q + 1 < b->nexits ? b->exit_off[q + 1] : b->size);
    }
    fflush(d->f);
    funlockfile(d->f);
}
#endif

int bh_jit_dump_attach(struct bh_jit_dump *d, struct bh_vm *vm)
{
    struct bh_jit_stats st;
    if (bh_vm_jit_stats(vm, &st) != 0) {
        flockfile(d->f);
        fprintf(d->f, "[%s] %s: nothing to dump\n", bh_vm_name(vm),
                BH_JIT ? "the translation tier does not run this VM (stage 1 translates the "
                         "SPIM-style machine without delay slots)"
                       : "this myvmm has no translation tier (built with JIT=0 or for a host "
                         "other than x86-64)");
        fflush(d->f);
        funlockfile(d->f);
        return 0;
    }
#if BH_JIT
    struct dump_vm *dv = calloc(1, sizeof *dv);
    if (!dv)
        return -1;
    dv->d = d;
    dv->vm = vm;
    dv->next = d->vms;
    d->vms = dv;
    bh_vm_jit_hook(vm, dump_block, dv);
#endif
    return 0;
}

int bh_jit_dump_close(struct bh_jit_dump *d, char *err, size_t errlen)
{
    if (!d)
        return 0;
#if BH_JIT
    cs_close(&d->cs);
#endif
    while (d->vms) {
        struct dump_vm *n = d->vms->next;
        free(d->vms);
        d->vms = n;
    }
    int bad = ferror(d->f);
    int rc = d->is_stdout ? fflush(d->f) : fclose(d->f);
    free(d);
    if (rc != 0 || bad)
        return bh_errf(err, errlen, "writing failed: %s", strerror(errno ? errno : EIO));
    return 0;
}
