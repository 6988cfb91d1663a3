/* diag.c: diagnostics as compilers print them:
 *     file:line:col: error: message
 *         the source line
 *         ^
 * collected in the result's buffer (the library never prints).  The caret
 * line copies the tabs of the source line so the caret sits under the
 * column whatever the terminal's tab width. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

int asm_add_file(struct asm_ctx *c, const char *path, const char *src, size_t len)
{
    if (c->nfiles == c->fcap) {
        int cap = c->fcap ? c->fcap * 2 : 4;
        struct asm_file *v = realloc(c->files, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        c->files = v;
        c->fcap = cap;
    }
    struct asm_file *f = &c->files[c->nfiles];
    memset(f, 0, sizeof *f);
    f->path = asm_strndup(&c->arena, path, strlen(path));
    f->buf = malloc(len + 1);
    if (!f->path || !f->buf) {
        free(f->buf);
        return -1;
    }
    memcpy(f->buf, src, len);
    f->buf[len] = 0;
    f->len = len;
    return c->nfiles++;
}

static void index_lines(struct asm_file *f)
{
    uint32_t n = 1;
    for (size_t i = 0; i < f->len; i++)
        n += f->buf[i] == '\n';
    f->lines = malloc(n * sizeof *f->lines);
    if (!f->lines)
        return;
    f->lines[0] = 0;
    n = 1;
    for (size_t i = 0; i < f->len; i++)
        if (f->buf[i] == '\n')
            f->lines[n++] = (uint32_t)(i + 1);
    f->nlines = n;
}

const char *asm_line_text(struct asm_ctx *c, int file, int line, size_t *len)
{
    *len = 0;
    if (file < 0 || file >= c->nfiles || line < 1)
        return NULL;
    struct asm_file *f = &c->files[file];
    if (!f->lines)
        index_lines(f);
    if (!f->lines || (uint32_t)line > f->nlines)
        return NULL;
    const char *s = f->buf + f->lines[line - 1];
    const char *e = s;
    while (e < f->buf + f->len && *e != '\n')
        e++;
    if (e > s && e[-1] == '\r')
        e--;
    *len = (size_t)(e - s);
    return s;
}

/* Diagnostics are found in the order of the phases (lexer, parser, pass 1,
 * pass 2) but read best in the order of the source: each is kept as a
 * record and asm_diag_flush sorts them by file and line.  A note keeps the
 * place of the error it explains, so it stays right after it. */
void asm_diag(struct asm_ctx *c, int file, int line, int col, const char *kind,
              const char *fmt, ...)
{
    struct bh_buf *b = &c->dtext;
    size_t start = b->len;
    const char *path = file >= 0 && file < c->nfiles ? c->files[file].path : "?";
    bh_buf_printf(b, "%s:%d:%d: %s: ", path, line, col, kind);
    va_list ap;
    va_start(ap, fmt);
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bh_buf_printf(b, "%s\n", msg);
    if (strcmp(kind, "error") == 0)
        c->res->errors++;
    else if (strcmp(kind, "warning") == 0)
        c->res->warnings++;
    size_t n;
    const char *text = asm_line_text(c, file, line, &n);
    if (text) {
        bh_buf_append(b, text, n);
        bh_buf_put8(b, '\n');
        for (int i = 0; i + 1 < col && (size_t)i < n; i++)
            bh_buf_put8(b, text[i] == '\t' ? '\t' : ' ');
        bh_buf_append(b, "^\n", 2);
    }
    if (c->ndrec == c->dcap) {
        size_t cap = c->dcap ? c->dcap * 2 : 16;
        struct asm_diagrec *v = realloc(c->drec, cap * sizeof *v);
        if (!v)
            return;
        c->drec = v;
        c->dcap = cap;
    }
    struct asm_diagrec r = {file, line, col, c->ndrec, start, b->len - start};
    if (strcmp(kind, "note") == 0 && c->ndrec) {
        const struct asm_diagrec *e = &c->drec[c->ndrec - 1];
        r.file = e->file;
        r.line = e->line;
        r.col = e->col;
    }
    c->drec[c->ndrec++] = r;
}

static int cmp_rec(const void *a, const void *b)
{
    const struct asm_diagrec *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void asm_diag_flush(struct asm_ctx *c)
{
    if (c->ndrec)
        qsort(c->drec, c->ndrec, sizeof *c->drec, cmp_rec);
    for (size_t i = 0; i < c->ndrec; i++)
        bh_buf_append(&c->res->diag, c->dtext.data + c->drec[i].off, c->drec[i].len);
    c->ndrec = 0;
    c->dtext.len = 0;
}

/* Levenshtein distance, giving up (returning limit + 1) past limit. */
int asm_edit_distance(const char *a, const char *b, int limit)
{
    size_t la = strlen(a), lb = strlen(b);
    /* The distance is at least the difference in length: most candidates
     * stop here, which matters for a file of many unknown names. */
    if (la > 32 || lb > 32 || la > lb + (size_t)limit || lb > la + (size_t)limit)
        return limit + 1;
    int row[34];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0], best;
        row[0] = (int)i;
        best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int sub = prev + (a[i - 1] != b[j - 1]);
            int del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
            if (row[j] < best)
                best = row[j];
        }
        if (best > limit)
            return limit + 1;
    }
    return row[lb];
}
