/* emit.c: where a run's output goes, shared by the directives (pass.c) and
 * the instructions (expand.c): the location counter of each segment, the
 * bytes written there with their line-table entries and listing lines, the
 * value of an expression, and the image's string table.
 *
 * It sits below both users, so pass.c -> expand.c -> emit.c is a chain and
 * not a circle.
 */
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

/* ---- location counters and bytes --------------------------------------- */

void asm_listing_src(struct asm_ctx *c, const struct asm_stmt *s)
{
    size_t n;
    const char *t = asm_line_text(c, s->file, s->line, &n);
    while (n && (*t == ' ' || *t == '\t'))
        t++, n--;
    bh_buf_append(&c->res->listing, t, n);
}

/* Room for n more bytes at the current segment's location counter?  All
 * segments together stay within ASM_MAX_OUTPUT: a few .space lines or a
 * far ".data ADDR" would otherwise fill gigabytes.  The first statement
 * past the budget is reported (in pass 1, which then ends the run). */
int asm_out_room(struct asm_ctx *c, uint64_t n)
{
    if (c->budget.spent)
        return -1;
    uint64_t total = n;
    for (int s = 0; s < BH_SEG_COUNT; s++)
        total += (uint32_t)(c->segs[s].pc - c->segs[s].base);
    if (total <= ASM_MAX_OUTPUT)
        return 0;
    c->budget.spent = 1;
    const struct asm_stmt *s = c->cur;
    asm_error(c, s->file, s->line, s->col,
              "output budget exceeded: the segments would hold more than %u bytes", ASM_MAX_OUTPUT);
    return -1;
}

void asm_fill_to(struct asm_segstate *g)
{
    while (g->bytes.len < g->pc - g->base && !g->bytes.oom)
        bh_buf_put8(&g->bytes, 0);
}

static void add_line(struct asm_ctx *c, struct asm_segstate *g, uint32_t addr, uint32_t flags)
{
    if (g->nlines && g->lines[g->nlines - 1].addr >= addr)
        return;
    if (g->nlines == g->lcap) {
        uint32_t cap = g->lcap ? g->lcap * 2 : 256;
        struct bh_line *v = realloc(g->lines, cap * sizeof *v);
        if (!v)
            return;
        g->lines = v;
        g->lcap = cap;
    }
    const struct asm_stmt *s = c->cur;
    /* .file holds the file index until pass 2 ends; then it becomes the
     * string offset.  Files named by .file N are numbered after the others. */
    uint32_t file = (uint32_t)s->file, line = (uint32_t)s->line;
    if (c->loc_line) {
        file = (uint32_t)(c->nfiles + c->loc_file);
        line = (uint32_t)c->loc_line;
        flags = (flags & ~BH_LINE_STMT) | (c->loc_fresh ? BH_LINE_STMT : 0);
        c->loc_fresh = 0;
    }
    g->lines[g->nlines++] = (struct bh_line){addr, line, file, flags};
}

/* Labels defined since the last emission move with SPIM's auto-alignment:
 * "x: .word 1" after a .byte labels the aligned word, not the padding. */
void asm_align_to(struct asm_ctx *c, uint32_t a, int move_labels)
{
    struct asm_segstate *g = &c->segs[c->seg];
    uint32_t pc = (g->pc + a - 1) & ~(a - 1);
    if (pc == g->pc)
        return;
    g->pc = pc;
    if (!move_labels)
        return;
    for (int i = 0; i < c->npending; i++) {
        struct asm_sym *s = asm_sym_find(&c->syms, c->pending[i]);
        if (!s)
            continue;
        if (c->pass == 1)
            s->value = pc;
        else
            s->value2 = pc;
    }
}

void asm_put_bytes(struct asm_ctx *c, const void *p, size_t n)
{
    struct asm_segstate *g = &c->segs[c->seg];
    if (asm_out_room(c, n))
        return;
    g->based = 1;
    g->explicit_pc = 0;
    c->npending = 0;
    if (!c->list_set) {
        c->list_addr = g->pc;
        c->list_set = 1;
    }
    if (c->pass == 2) {
        if (asm_seg_is_text(c->seg))
            for (uint32_t a = g->pc & ~3u; a < g->pc + n; a += 4) {
                add_line(c, g, a, BH_LINE_DATA | (c->cur_first ? BH_LINE_STMT : 0));
                c->cur_first = 0;
            }
        asm_fill_to(g);
        bh_buf_append(&g->bytes, p, n);
    }
    g->pc += (uint32_t)n;
}

void asm_emit_word(struct asm_ctx *c, uint32_t w)
{
    struct asm_segstate *g = &c->segs[c->seg];
    asm_align_to(c, 4, 1);
    if (asm_out_room(c, 4))
        return;
    g->based = 1;
    g->explicit_pc = 0;
    c->npending = 0;
    if (c->pass == 2) {
        asm_fill_to(g);
        bh_buf_put32(&g->bytes, w);
        add_line(c, g, g->pc, c->cur_first ? BH_LINE_STMT : 0);
        if (c->flags & BH_ASM_LISTING) {
            bh_buf_printf(&c->res->listing, "0x%08x  0x%08x  ", g->pc, w);
            if (c->cur_first)
                asm_listing_src(c, c->cur);
            bh_buf_put8(&c->res->listing, '\n');
        }
    }
    c->cur_first = 0;
    g->pc += 4;
}

/* ---- expressions ------------------------------------------------------- */

int asm_eval(struct asm_ctx *c, const struct asm_expr *e, int col, uint32_t *out)
{
    *out = (uint32_t)e->val;
    if (!e->sym)
        return 0;
    const struct asm_sym *s = asm_sym_find(&c->syms, e->sym);
    if (!s || !s->defined) {
        if (c->pass == 2) {
            if (e->sym[0] == '%')
                ERR(c, col, "macro parameter '%s' outside a macro", e->sym);
            else
                ERR(c, col, "undefined label '%s'", e->sym);
        }
        return -1;
    }
    *out = s->value + (uint32_t)e->val;
    return 0;
}

/* Is e a label defined by an earlier statement?  Its value is then final
 * in pass 1 already, and SPIM picks the short form of la/li by it; a
 * forward reference always takes the long form.  Both passes answer the
 * same, so sizes still agree. */
int asm_sym_known(const struct asm_ctx *c, const struct asm_expr *e)
{
    if (!e->sym)
        return 1;
    const struct asm_sym *s = asm_sym_find(&c->syms, e->sym);
    return s && s->defined && s->def_stmt < c->cur_index;
}

/* ---- the image string table ------------------------------------------- */

uint32_t asm_snapshot_string(struct asm_ctx *c, const char *s, size_t n)
{
    /* Only pass 2 builds the string table; SNAPSHOT names go first so their
     * offsets fit the instruction's 16-bit field. */
    if (c->pass != 2)
        return 0;
    struct bh_buf *b = &c->strings;
    for (size_t off = 1; off < b->len;) {
        size_t l = strlen((const char *)b->data + off);
        if (l == n && memcmp(b->data + off, s, n) == 0)
            return (uint32_t)off;
        off += l + 1;
    }
    uint32_t off = (uint32_t)b->len;
    bh_buf_append(b, s, n);
    bh_buf_put8(b, 0);
    return off;
}
