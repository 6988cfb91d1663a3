/* asm.c: the assembler's entry points (include/babyasm.h): read the
 * source, parse it, apply .include/.eqv/.macro, run the two passes and
 * hand back an image, or the diagnostics that explain why not. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asm_int.h"

static void ctx_free(struct asm_ctx *c)
{
    asm_diag_flush(c);
    bh_buf_free(&c->dtext);
    free(c->drec);
    for (int i = 0; i < c->nfiles; i++) {
        free(c->files[i].buf);
        free(c->files[i].lines);
    }
    free(c->files);
    free(c->prog.v);
    asm_symtab_free(&c->syms);
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        bh_buf_free(&c->segs[s].bytes);
        free(c->segs[s].lines);
    }
    bh_buf_free(&c->strings);
    free(c->pending);
    asm_arena_free(&c->arena);
}

int bh_asm_sources(const struct bh_asm_input *in, int n, unsigned flags, struct bh_image *img,
                   struct bh_asm_result *res)
{
    memset(img, 0, sizeof *img);
    struct asm_ctx c;
    memset(&c, 0, sizeof c);
    c.res = res;
    c.flags = flags;
    int rc = -1;
    struct asm_stmts top = {0};
    for (int i = 0; i < n; i++) {
        int fi = asm_add_file(&c, in[i].path, in[i].src, in[i].len);
        /* Every file starts in .text, as SPIM's parser does for each file. */
        struct asm_stmt *t = fi < 0 || i == 0 ? NULL : asm_stmts_push(&top);
        if (fi < 0 || (i > 0 && !t)) {
            bh_buf_printf(&res->diag, "%s: out of memory\n", in[i].path);
            res->errors++;
            goto out;
        }
        if (t)
            *t = (struct asm_stmt){
                .kind = STMT_OP, .name = ".text", .file = fi, .line = 1, .col = 1};
        asm_parse_file(&c, fi, &top);
    }
    if (asm_front(&c, &top)) {
        bh_buf_printf(&res->diag, "%s: out of memory\n", in[n - 1].path);
        res->errors++;
        goto out;
    }
    if (c.budget.spent)
        goto out; /* the program was cut short: its passes would only cascade */
    if (res->errors) {
        /* Syntax errors: still run pass 1 and 2 for their diagnostics
         * (undefined labels, bad operands) on the lines that parsed. */
        struct bh_image scratch;
        if (asm_passes(&c, &scratch) == 0)
            bh_image_free(&scratch);
        goto out;
    }
    if (asm_passes(&c, img) == 0 && res->errors == 0 && !res->diag.oom) {
        const char *path = in[n - 1].path;
        size_t len = strlen(path);
        int mars = flags & BH_ASM_DIALECT_MARS ? 1
                   : flags & BH_ASM_DIALECT_SPIM ? 0
                                                 : len >= 4 && !strcasecmp(path + len - 4, ".asm");
        if (mars)
            img->flags |= BH_IMG_MARS;
        /* SPIM's bare machine has both delay slots (-bare implies them) */
        if (flags & (BH_ASM_DELAYED_BRANCHES | BH_ASM_BARE))
            img->flags |= BH_IMG_DELAYED_BRANCHES;
        if (flags & (BH_ASM_DELAYED_LOADS | BH_ASM_BARE))
            img->flags |= BH_IMG_DELAYED_LOADS;
        rc = 0;
    }
out:
    if (rc)
        bh_image_free(img);
    free(top.v);
    ctx_free(&c);
    return rc;
}

int bh_asm_source(const char *path, const char *src, size_t len, unsigned flags,
                  struct bh_image *img, struct bh_asm_result *res)
{
    struct bh_asm_input in = {path, src, len};
    return bh_asm_sources(&in, 1, flags, img, res);
}

int bh_asm_file(const char *path, unsigned flags, struct bh_image *img,
                struct bh_asm_result *res)
{
    uint8_t *buf;
    size_t len;
    char err[512];
    memset(img, 0, sizeof *img);
    if (bh_read_file(path, &buf, &len, err, sizeof err)) {
        bh_buf_printf(&res->diag, "%s: error: %s\n", path, err);
        res->errors++;
        return -1;
    }
    int rc = bh_asm_source(path, (const char *)buf, len, flags, img, res);
    free(buf);
    return rc;
}

void bh_asm_result_free(struct bh_asm_result *res)
{
    bh_buf_free(&res->diag);
    bh_buf_free(&res->listing);
    memset(res, 0, sizeof *res);
}
