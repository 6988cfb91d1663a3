/* pass.c: the two passes over the statements.
 *
 * Both passes run the same code (run_pass): pass 1 only moves the location
 * counters and defines labels; pass 2, with every label known, also writes
 * bytes, line entries and diagnostics.  Because one walk does both, a
 * statement cannot take a different size in the two passes unless its
 * size depends on a label's value, and expand.c never lets it (a label
 * operand always takes the long form).  Labels record the address each
 * pass gives them, and a mismatch is reported as an internal error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"
#include "isa.h"

static const uint32_t default_base[BH_SEG_COUNT] = {BH_TEXT_BASE, BH_DATA_BASE, BH_KTEXT_BASE,
                                                    BH_KDATA_BASE};
/* SPIM's bare machine has no 64 KiB $gp area in front of the data. */
#define BARE_DATA_BASE 0x10000000u
static const char *const seg_names[BH_SEG_COUNT] = {".text", ".data", ".ktext", ".kdata"};

/* SPIM's start-up code (exceptions.s): argc/argv/envp into $a0-$a2, call
 * main, then exit (syscall 10), so a program's main sits at 0x00400024. */
#define STARTUP_WORDS 9

/* A constant: no label allowed (sizes, counts, alignments). */
static int const_operand(struct asm_ctx *c, const struct asm_opnd *o, const char *what, int64_t *v)
{
    if (o->kind != OPND_EXPR || o->e.sym || o->has_count) {
        ERR(c, o->col, "%s expects a constant number", what);
        return -1;
    }
    *v = o->e.val;
    return 0;
}

/* ---- directives -------------------------------------------------------- */

static void dir_segment(struct asm_ctx *c, const struct asm_stmt *s, int seg)
{
    c->seg = seg;
    struct asm_segstate *g = &c->segs[seg];
    g->auto_align = 1;
    g->explicit_pc = 0;
    c->npending = 0;
    if (s->nops == 0)
        return;
    int64_t a;
    if (s->nops > 1 || const_operand(c, &s->ops[0], s->name, &a))
        return;
    if (a < 0 || a > 0xffffffffll) {
        ERR(c, s->ops[0].col, "address out of range");
        return;
    }
    uint32_t addr = (uint32_t)a;
    if (asm_seg_is_text(seg) && addr % 4) {
        ERR(c, s->ops[0].col, "%s address 0x%08x is not a multiple of 4", s->name, addr);
        return;
    }
    g->explicit_pc = 1;
    if (!g->based) {
        g->base = g->pc = addr;
        g->based = 1;
    } else if (addr < g->pc) {
        ERR(c, s->ops[0].col, "%s address 0x%08x is below what the segment already holds (0x%08x)",
            seg_names[seg], addr, g->pc);
    } else if (!asm_out_room(c, addr - g->pc)) {
        g->pc = addr;
    }
}

static int auto_align(struct asm_ctx *c, uint32_t a)
{
    struct asm_segstate *g = &c->segs[c->seg];
    if (g->auto_align)
        asm_align_to(c, a, 1);
    return g->pc % a != 0;
}

static int64_t repeat_count(struct asm_ctx *c, const struct asm_opnd *o)
{
    if (!o->has_count)
        return 1;
    if (o->count.sym) {
        ERR(c, o->col, "a repeat count must be a constant");
        return 0;
    }
    if (o->count.val < 0 || o->count.val > 0x1000000) {
        ERR(c, o->col, "repeat count %lld out of range", (long long)o->count.val);
        return 0;
    }
    return o->count.val;
}

/* .word .half .byte: size 4, 2 or 1. */
static void dir_int(struct asm_ctx *c, const struct asm_stmt *s, int size)
{
    struct asm_segstate *g = &c->segs[c->seg];
    if (size > 1 && g->explicit_pc && g->pc % (uint32_t)size) {
        ERR(c, s->col, "'%s' at 0x%08x, an address given to the segment that is not a multiple of %d",
            s->name, g->pc, size);
        g->explicit_pc = 0;
    }
    if (size > 1 && auto_align(c, (uint32_t)size))
        WARN(c, s->col, "%s at the unaligned address 0x%08x (after .align 0)", s->name,
             c->segs[c->seg].pc);
    for (int i = 0; i < s->nops; i++) {
        const struct asm_opnd *o = &s->ops[i];
        if (o->kind != OPND_EXPR) {
            ERR(c, o->col, "'%s' expects %s", s->name,
                size == 4 ? "numbers or labels" : "numbers");
            continue;
        }
        uint32_t v = 0;
        if (c->pass == 2) {
            if (o->e.sym && size < 4)
                ERR(c, o->col, "a label does not fit in a %s", size == 2 ? "halfword" : "byte");
            else if (!asm_eval(c, &o->e, o->col, &v) && size < 4) {
                int64_t x = o->e.val;
                if (x < -(1ll << (size * 8 - 1)) || x >= (1ll << (size * 8)))
                    ERR(c, o->col, "value %lld does not fit in a %s", (long long)x,
                        size == 2 ? "halfword" : "byte");
            }
        }
        int64_t n = repeat_count(c, o);
        uint8_t b[4];
        bh_put32(b, v);
        for (int64_t k = 0; k < n && !c->budget.spent; k++)
            asm_put_bytes(c, b, (size_t)size);
    }
}

static void dir_float(struct asm_ctx *c, const struct asm_stmt *s, int dbl)
{
    auto_align(c, dbl ? 8 : 4);
    for (int i = 0; i < s->nops; i++) {
        const struct asm_opnd *o = &s->ops[i];
        double d;
        if (o->kind == OPND_FLOAT)
            d = o->f;
        else if (o->kind == OPND_EXPR && !o->e.sym)
            d = (double)o->e.val;
        else {
            ERR(c, o->col, "'%s' expects numbers", s->name);
            continue;
        }
        uint8_t b[8];
        if (dbl) {
            uint64_t u;
            memcpy(&u, &d, 8);
            bh_put64(b, u);
        } else {
            float f = (float)d;
            uint32_t u;
            memcpy(&u, &f, 4);
            bh_put32(b, u);
        }
        int64_t n = repeat_count(c, o);
        for (int64_t k = 0; k < n && !c->budget.spent; k++)
            asm_put_bytes(c, b, dbl ? 8 : 4);
    }
}

static void dir_ascii(struct asm_ctx *c, const struct asm_stmt *s, int z)
{
    if (s->nops == 0)
        ERR(c, s->col, "'%s' expects a string", s->name);
    for (int i = 0; i < s->nops; i++) {
        const struct asm_opnd *o = &s->ops[i];
        if (o->kind != OPND_STR) {
            ERR(c, o->col, "'%s' expects a string in double quotes", s->name);
            continue;
        }
        asm_put_bytes(c, o->str, o->slen);
        if (z)
            asm_put_bytes(c, "", 1);
    }
}

static void dir_space(struct asm_ctx *c, const struct asm_stmt *s)
{
    int64_t n;
    if (s->nops != 1) {
        ERR(c, s->col, "'.space' expects one size");
        return;
    }
    if (const_operand(c, &s->ops[0], "'.space'", &n))
        return;
    if (n < 0 || n > 0x10000000) {
        ERR(c, s->ops[0].col, "'.space' size %lld out of range", (long long)n);
        return;
    }
    if (asm_out_room(c, (uint64_t)n))
        return;
    struct asm_segstate *g = &c->segs[c->seg];
    g->based = 1;
    c->npending = 0;
    g->pc += (uint32_t)n; /* asm_fill_to() zeroes the gap on the next write; zero
                             words are nops, so .space in text needs no line entries */
}

static void dir_align(struct asm_ctx *c, const struct asm_stmt *s)
{
    int64_t n;
    if (s->nops != 1) {
        ERR(c, s->col, "'.align' expects one power of two");
        return;
    }
    if (const_operand(c, &s->ops[0], "'.align'", &n))
        return;
    if (n < 0 || n > 16) {
        ERR(c, s->ops[0].col, "'.align %lld' out of range (0 to 16)", (long long)n);
        return;
    }
    if (n == 0) {
        c->segs[c->seg].auto_align = 0; /* SPIM: no automatic alignment until the next segment */
        return;
    }
    asm_align_to(c, 1u << n, 1);
}

static void dir_globl(struct asm_ctx *c, const struct asm_stmt *s)
{
    for (int i = 0; i < s->nops; i++) {
        const struct asm_opnd *o = &s->ops[i];
        if (o->kind != OPND_EXPR || !o->e.sym || o->e.val) {
            ERR(c, o->col, "'%s' expects label names", s->name);
            continue;
        }
        if (c->pass == 1) {
            struct asm_sym *y = asm_sym_get(&c->syms, o->e.sym);
            if (y)
                y->global = 1;
        }
    }
}

/* .extern sym size, .comm sym size, .lcomm sym size: storage placed after
 * the data unless a label defines the symbol. */
static void dir_comm(struct asm_ctx *c, const struct asm_stmt *s, int global)
{
    int64_t n;
    if (s->nops != 2 || s->ops[0].kind != OPND_EXPR || !s->ops[0].e.sym || s->ops[0].e.val) {
        ERR(c, s->col, "'%s' expects a name and a size", s->name);
        return;
    }
    if (const_operand(c, &s->ops[1], s->name, &n))
        return;
    if (n < 0 || n > 0x1000000) {
        ERR(c, s->ops[1].col, "size %lld out of range", (long long)n);
        return;
    }
    if (c->pass == 1) {
        struct asm_sym *y = asm_sym_get(&c->syms, s->ops[0].e.sym);
        if (!y)
            return;
        y->comm = 1;
        if ((uint32_t)n > y->size)
            y->size = (uint32_t)n;
        if (global)
            y->global = 1;
    }
}

static void dir_set(struct asm_ctx *c, const struct asm_stmt *s)
{
    if (s->nops >= 1 && s->ops[0].kind == OPND_EXPR && s->ops[0].e.sym) {
        if (strcmp(s->ops[0].e.sym, "noat") == 0)
            c->noat = 1;
        else if (strcmp(s->ops[0].e.sym, "at") == 0)
            c->noat = 0;
        /* reorder, noreorder, macro, nomacro...: nothing to do without delay slots */
    }
}

static void dir_file(struct asm_ctx *c, const struct asm_stmt *s)
{
    if (s->nops == 1 && s->ops[0].kind == OPND_STR) {
        c->main_name = s->ops[0].str;
        return;
    }
    if (s->nops == 2 && s->ops[0].kind == OPND_EXPR && !s->ops[0].e.sym &&
        s->ops[0].e.val > 0 && s->ops[0].e.val < 256 && s->ops[1].kind == OPND_STR) {
        c->loc_names[s->ops[0].e.val] = s->ops[1].str;
        return;
    }
    ERR(c, s->col, "'.file' expects \"name\" or a number 1-255 and \"name\"");
}

static void dir_loc(struct asm_ctx *c, const struct asm_stmt *s)
{
    /* .loc file line [column]: the words that follow come from there */
    if (s->nops >= 2 && s->ops[0].kind == OPND_EXPR && !s->ops[0].e.sym &&
        s->ops[1].kind == OPND_EXPR && !s->ops[1].e.sym && s->ops[0].e.val > 0 &&
        s->ops[0].e.val < 256 && s->ops[1].e.val >= 0 && s->ops[1].e.val <= 0x7fffffff) {
        if (!c->loc_names[s->ops[0].e.val]) {
            ERR(c, s->ops[0].col, "'.loc' names file %lld, which no '.file' declared",
                (long long)s->ops[0].e.val);
            return;
        }
        c->loc_file = (int)s->ops[0].e.val;
        c->loc_line = (int)s->ops[1].e.val;
        c->loc_fresh = 1;
        return;
    }
    ERR(c, s->col, "'.loc' expects a file number and a line");
}

static const char *const ignored_dirs[] = {".ent", ".end", ".frame", ".mask", ".fmask", ".option", ".verstamp", ".section", ".type",
                                           ".size", ".abicalls", ".previous", ".cpload", ".gnu_attribute",
                                           ".module", ".nan", ".ident",
                                           /* compilers' output that SPIM ignores too */
                                           ".alias", ".asm0", ".bgnb", ".endb", ".endr", ".lab",
                                           ".livereg", ".noalias", ".vreg", NULL};
static const char *const known_dirs[] = {".text", ".data", ".ktext", ".kdata", ".rdata", ".sdata",
                                         ".word", ".half", ".byte", ".float", ".double", ".ascii",
                                         ".asciiz", ".space", ".align", ".globl", ".global", ".extern",
                                         ".comm", ".lcomm", ".set", ".eqv", ".macro", ".end_macro",
                                         ".include", ".file", ".loc", NULL};

static void directive(struct asm_ctx *c, const struct asm_stmt *s)
{
    const char *d = s->name;
    uint32_t before = c->segs[c->seg].pc;
    int data = 1;
    c->list_set = 0;
    if (!strcmp(d, ".text")) dir_segment(c, s, BH_SEG_TEXT), data = 0;
    else if (!strcmp(d, ".data") || !strcmp(d, ".rdata") || !strcmp(d, ".sdata"))
        dir_segment(c, s, BH_SEG_DATA), data = 0;
    else if (!strcmp(d, ".ktext")) dir_segment(c, s, BH_SEG_KTEXT), data = 0;
    else if (!strcmp(d, ".kdata")) dir_segment(c, s, BH_SEG_KDATA), data = 0;
    else if (!strcmp(d, ".word")) dir_int(c, s, 4);
    else if (!strcmp(d, ".half")) dir_int(c, s, 2);
    else if (!strcmp(d, ".byte")) dir_int(c, s, 1);
    else if (!strcmp(d, ".float")) dir_float(c, s, 0);
    else if (!strcmp(d, ".double")) dir_float(c, s, 1);
    else if (!strcmp(d, ".ascii")) dir_ascii(c, s, 0);
    else if (!strcmp(d, ".asciiz")) dir_ascii(c, s, 1);
    else if (!strcmp(d, ".space")) dir_space(c, s);
    else if (!strcmp(d, ".align")) dir_align(c, s);
    else if (!strcmp(d, ".globl") || !strcmp(d, ".global")) dir_globl(c, s), data = 0;
    else if (!strcmp(d, ".extern")) dir_comm(c, s, 1), data = 0;
    else if (!strcmp(d, ".comm")) dir_comm(c, s, 1), data = 0;
    else if (!strcmp(d, ".lcomm")) dir_comm(c, s, 0), data = 0;
    else if (!strcmp(d, ".set")) dir_set(c, s), data = 0;
    else if (!strcmp(d, ".file")) dir_file(c, s), data = 0;
    else if (!strcmp(d, ".loc")) dir_loc(c, s), data = 0;
    else {
        data = 0;
        for (int i = 0; ignored_dirs[i]; i++)
            if (!strcmp(d, ignored_dirs[i]))
                return;
        if (!strcmp(d, ".repeat") || !strcmp(d, ".struct")) { /* SPIM warns and ignores them */
            if (c->pass == 2)
                asm_warning(c, s->file, s->line, s->col, "'%s' is ignored, as SPIM does", d);
            return;
        }
        if (!strcmp(d, ".err")) { /* SPIM stops there */
            ERR(c, s->col, "the file contains an '.err' directive");
            return;
        }
        const char *best = NULL;
        int bd = 3;
        for (int i = 0; known_dirs[i]; i++) {
            int e = asm_edit_distance(d, known_dirs[i], 2);
            if (e < bd)
                bd = e, best = known_dirs[i];
        }
        if (best)
            ERR(c, s->col, "unknown directive '%s'; did you mean '%s'?", d, best);
        else
            ERR(c, s->col, "unknown directive '%s'", d);
    }
    if (data && c->pass == 2 && (c->flags & BH_ASM_LISTING)) {
        bh_buf_printf(&c->res->listing, "0x%08x  %-10s  ", c->list_set ? c->list_addr : before, "");
        asm_listing_src(c, s);
        bh_buf_put8(&c->res->listing, '\n');
    }
}

/* ---- labels ------------------------------------------------------------ */

static void define_label(struct asm_ctx *c, const struct asm_stmt *s)
{
    struct asm_sym *y = asm_sym_get(&c->syms, s->name);
    if (!y)
        return;
    uint32_t pc = c->segs[c->seg].pc;
    if (c->pass == 1) {
        if (y->defined) {
            asm_error(c, s->file, s->line, s->col, "duplicate label '%s'", s->name);
            asm_note(c, y->file, y->line, y->col, "'%s' was first defined here", s->name);
            return;
        }
        y->defined = 1;
        y->value = pc;
        y->def_stmt = c->cur_index;
        y->seg = (uint8_t)c->seg;
        y->file = s->file;
        y->line = s->line;
        y->col = s->col;
        if (isa_lookup(s->name) != ISA_INVALID)
            asm_warning(c, s->file, s->line, s->col,
                        "label '%s' has the name of an instruction (SPIM rejects this)", s->name);
    } else {
        if (y->file != s->file || y->line != s->line || y->col != s->col)
            return; /* a duplicate, reported in pass 1 */
        y->value2 = pc;
    }
    if (c->npending == c->pcap) {
        int cap = c->pcap ? c->pcap * 2 : 16;
        const char **v = realloc(c->pending, (size_t)cap * sizeof *v);
        if (!v)
            return;
        c->pending = v;
        c->pcap = cap;
    }
    c->pending[c->npending++] = y->name;
}

/* ---- the passes -------------------------------------------------------- */

static void startup_code(struct asm_ctx *c, uint32_t main_addr)
{
    struct isa_fields f;
    struct asm_segstate *g = &c->segs[BH_SEG_TEXT];
    uint32_t w[STARTUP_WORDS];
#define ENC(i, op, ...) (f = (struct isa_fields){__VA_ARGS__}, w[i] = isa_encode(ISA_##op, &f))
    ENC(0, LW, .rt = 4, .rs = 29, .imm = 0);
    ENC(1, ADDIU, .rt = 5, .rs = 29, .imm = 4);
    ENC(2, ADDIU, .rt = 6, .rs = 5, .imm = 4);
    ENC(3, SLL, .rd = 2, .rt = 4, .sa = 2);
    ENC(4, ADDU, .rd = 6, .rs = 6, .rt = 2);
    ENC(5, JAL, .imm = (main_addr >> 2) & 0x03ffffffu);
    w[6] = 0;
    ENC(7, ORI, .rt = 2, .rs = 0, .imm = 10);
    ENC(8, SYSCALL, .rs = 0);
#undef ENC
    for (int i = 0; i < STARTUP_WORDS; i++)
        bh_buf_put32(&g->bytes, w[i]);
    if (c->flags & BH_ASM_LISTING)
        for (int i = 0; i < STARTUP_WORDS; i++)
            bh_buf_printf(&c->res->listing, "0x%08x  0x%08x  %s\n", BH_TEXT_BASE + 4u * i, w[i],
                          i == 0 ? "# start-up code: main(argc, argv, envp); exit" : "");
}

static void alloc_comm(struct asm_ctx *c)
{
    c->seg = BH_SEG_DATA;
    for (uint32_t i = 0; i < c->syms.n; i++) {
        struct asm_sym *y = &c->syms.v[i];
        if (!y->comm || (y->defined && !(y->seg == BH_SEG_DATA && y->comm == 2)))
            continue;
        asm_align_to(c, 4, 0);
        if (asm_out_room(c, y->size))
            return;
        struct asm_segstate *g = &c->segs[BH_SEG_DATA];
        if (c->pass == 1) {
            y->defined = 1;
            y->def_stmt = SIZE_MAX;
            y->comm = 2; /* allocated here, not by a label */
            y->seg = BH_SEG_DATA;
            y->value = g->pc;
        } else {
            y->value2 = g->pc;
        }
        g->based = 1;
        g->pc += y->size;
    }
    if (c->pass == 2)
        asm_fill_to(&c->segs[BH_SEG_DATA]);
}

static void run_pass(struct asm_ctx *c, int pass)
{
    c->pass = pass;
    c->seg = BH_SEG_TEXT;
    c->noat = 0;
    c->at_hand = c->at_pseudo = NULL;
    c->npending = 0;
    c->loc_line = c->loc_file = c->loc_fresh = 0;
    for (int i = 0; i < BH_SEG_COUNT; i++) {
        struct asm_segstate *g = &c->segs[i];
        g->base = g->pc = default_base[i];
        g->based = 0;
        g->auto_align = 1;
        g->bytes.len = 0;
        g->nlines = 0;
    }
    if (c->flags & BH_ASM_BARE)
        c->segs[BH_SEG_DATA].base = c->segs[BH_SEG_DATA].pc = BARE_DATA_BASE;
    if (c->startup) {
        c->segs[BH_SEG_TEXT].pc += 4 * STARTUP_WORDS;
        c->segs[BH_SEG_TEXT].based = 1;
    }
    for (size_t i = 0; i < c->prog.n && !c->budget.spent; i++) {
        const struct asm_stmt *s = &c->prog.v[i];
        c->cur = s;
        c->cur_index = i;
        if (s->kind == STMT_LABEL)
            define_label(c, s);
        else if (s->name[0] == '.') {
            c->cur_first = 1;
            directive(c, s);
        }
        else if (!asm_seg_is_text(c->seg))
            ERR(c, s->col, "instruction '%s' in a data segment (%s); put it after .text", s->name,
                seg_names[c->seg]);
        else {
            c->cur_first = 1;
            asm_instruction(c, s);
        }
    }
    alloc_comm(c);
    if (pass == 2)
        asm_at_report(c);
}

static int find_entry(struct asm_ctx *c, uint32_t *entry)
{
    const struct asm_sym *st = asm_sym_find(&c->syms, "__start");
    if (st && st->defined) {
        if (!asm_seg_is_text(st->seg)) {
            asm_error(c, st->file, st->line, st->col, "'__start' must label an instruction in .text");
            return -1;
        }
        *entry = st->value;
        return 0;
    }
    if (c->startup) {
        *entry = BH_TEXT_BASE;
        return 0;
    }
    for (int s = BH_SEG_TEXT; s < BH_SEG_COUNT; s += 2)
        if (c->segs[s].pc > c->segs[s].base) {
            *entry = c->segs[s].base;
            return 0;
        }
    asm_error(c, 0, 1, 1, "the program has no instructions");
    return -1;
}

static int cmp_sym(const void *a, const void *b)
{
    const struct asm_sym *x = *(const struct asm_sym *const *)a, *y = *(const struct asm_sym *const *)b;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int build_image(struct asm_ctx *c, struct bh_image *img, uint32_t entry)
{
    memset(img, 0, sizeof *img);
    img->entry = entry;
    img->flags = c->startup ? BH_IMG_STARTUP : 0;
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        struct asm_segstate *g = &c->segs[s];
        asm_fill_to(g);
        if (asm_seg_is_text(s))
            while (g->bytes.len % 4)
                bh_buf_put8(&g->bytes, 0);
        img->seg[s].addr = g->base;
        img->seg[s].size = (uint32_t)g->bytes.len;
        if (g->bytes.len) {
            img->seg[s].bytes = malloc(g->bytes.len);
            if (!img->seg[s].bytes)
                return -1;
            memcpy(img->seg[s].bytes, g->bytes.data, g->bytes.len);
        }
    }
    uint32_t nl = c->segs[BH_SEG_TEXT].nlines + c->segs[BH_SEG_KTEXT].nlines;
    img->lines = malloc((nl + 1) * sizeof *img->lines);
    if (!img->lines)
        return -1;
    int first = c->segs[BH_SEG_TEXT].base <= c->segs[BH_SEG_KTEXT].base ? BH_SEG_TEXT : BH_SEG_KTEXT;
    int second = first == BH_SEG_TEXT ? BH_SEG_KTEXT : BH_SEG_TEXT;
    if (c->segs[first].nlines)
        memcpy(img->lines, c->segs[first].lines, c->segs[first].nlines * sizeof *img->lines);
    if (c->segs[second].nlines)
        memcpy(img->lines + c->segs[first].nlines, c->segs[second].lines,
               c->segs[second].nlines * sizeof *img->lines);
    img->nlines = nl;
    img->symbols = malloc((c->syms.n + 1) * sizeof *img->symbols);
    const struct asm_sym **order = malloc((c->syms.n + 1) * sizeof *order);
    if (!img->symbols || !order) {
        free(order);
        return -1;
    }
    /* By address, then name: the same symbols give the same section
     * whatever order the source defined them in (disassembly round trip). */
    for (uint32_t i = 0; i < c->syms.n; i++)
        order[i] = &c->syms.v[i];
    if (c->syms.n)
        qsort(order, c->syms.n, sizeof *order, cmp_sym);
    for (uint32_t i = 0; i < c->syms.n; i++) {
        const struct asm_sym *y = order[i];
        if (!y->defined)
            continue;
        struct bh_symbol *o = &img->symbols[img->nsymbols++];
        o->name = (uint32_t)c->strings.len;
        bh_buf_append(&c->strings, y->name, strlen(y->name) + 1);
        o->value = y->value;
        o->kind = (uint8_t)(y->seg < BH_SEG_COUNT ? y->seg : BH_SYM_ABS);
        o->flags = y->global ? BH_SYM_GLOBAL : 0;
    }
    free(order);
    img->source = c->files[0].strid;
    if (c->strings.oom)
        return -1;
    img->strings = malloc(c->strings.len);
    if (!img->strings)
        return -1;
    memcpy(img->strings, c->strings.data, c->strings.len);
    img->strings_size = (uint32_t)c->strings.len;
    return 0;
}

static uint32_t add_name(struct asm_ctx *c, const char *name, uint32_t first)
{
    struct bh_buf *b = &c->strings;
    size_t n = strlen(name);
    for (size_t off = first; off < b->len;) {
        size_t l = strlen((const char *)b->data + off);
        if (l == n && memcmp(b->data + off, name, n) == 0)
            return (uint32_t)off;
        off += l + 1;
    }
    uint32_t off = (uint32_t)b->len;
    bh_buf_append(b, name, n + 1);
    return off;
}

/* File names go into the strings after the SNAPSHOT names: the main file,
 * then each file a line entry names (no unused include), each once.  Line
 * entries then get their string offsets. */
static void name_files(struct asm_ctx *c)
{
    int nf = c->nfiles + 256;
    uint32_t *id = calloc((size_t)nf, sizeof *id);
    char *used = calloc((size_t)nf, 1);
    if (!id || !used) {
        free(id);
        free(used);
        c->strings.oom = 1;
        return;
    }
    for (int s = BH_SEG_TEXT; s < BH_SEG_COUNT; s += 2)
        for (uint32_t i = 0; i < c->segs[s].nlines; i++)
            used[c->segs[s].lines[i].file] = 1;
    uint32_t first = (uint32_t)c->strings.len;
    id[0] = add_name(c, c->main_name ? c->main_name : c->files[0].path, first);
    c->files[0].strid = id[0];
    for (int f = 1; f < nf; f++) {
        if (!used[f])
            continue;
        const char *name = f < c->nfiles ? c->files[f].path : c->loc_names[f - c->nfiles];
        id[f] = add_name(c, name ? name : "?", first);
    }
    for (int s = BH_SEG_TEXT; s < BH_SEG_COUNT; s += 2)
        for (uint32_t i = 0; i < c->segs[s].nlines; i++)
            c->segs[s].lines[i].file = id[c->segs[s].lines[i].file];
    free(id);
    free(used);
}

int asm_passes(struct asm_ctx *c, struct bh_image *img)
{
    /* SPIM's start-up code only when there is a main and no __start. */
    const struct asm_stmt *mainlbl = NULL;
    int has_start = 0;
    for (size_t i = 0; i < c->prog.n; i++)
        if (c->prog.v[i].kind == STMT_LABEL) {
            if (!strcmp(c->prog.v[i].name, "main"))
                mainlbl = &c->prog.v[i];
            else if (!strcmp(c->prog.v[i].name, "__start"))
                has_start = 1;
        }
    c->startup = mainlbl && !has_start;

    run_pass(c, 1);
    int pass1_errors = c->res->errors;
    if (c->budget.spent)
        return -1; /* pass 2 would only write what pass 1 found too large */

    /* Pass 2 builds the string table: SNAPSHOT names first, then the rest. */
    c->strings.len = 0;
    bh_buf_put8(&c->strings, 0);
    run_pass(c, 2);
    for (uint32_t i = 0; i < c->syms.n; i++) {
        const struct asm_sym *y = &c->syms.v[i];
        if (y->defined && y->value != y->value2 && !pass1_errors)
            asm_error(c, y->file, y->line, y->col,
                      "internal error: label '%s' moved between passes (0x%08x, 0x%08x)", y->name,
                      y->value, y->value2);
    }
    if (c->strings.len > 0x10000)
        asm_error(c, 0, 1, 1, "too many SNAPSHOT file names (their table exceeds 64 KiB)");
    if (c->startup) {
        const struct asm_sym *m = asm_sym_find(&c->syms, "main");
        if (m && !asm_seg_is_text(m->seg))
            asm_error(c, mainlbl->file, mainlbl->line, mainlbl->col,
                      "'main' must label an instruction in .text");
    }
    uint32_t entry = 0;
    if (c->res->errors || find_entry(c, &entry))
        return -1;
    name_files(c);
    if (c->startup) {
        /* The start-up words were skipped by both passes: put them in front. */
        struct asm_segstate *g = &c->segs[BH_SEG_TEXT];
        struct bh_buf user = g->bytes;
        memset(&g->bytes, 0, sizeof g->bytes);
        struct bh_buf lst = c->res->listing;
        memset(&c->res->listing, 0, sizeof c->res->listing);
        startup_code(c, asm_sym_find(&c->syms, "main")->value);
        if (user.len > 4 * STARTUP_WORDS)
            bh_buf_append(&g->bytes, user.data + 4 * STARTUP_WORDS, user.len - 4 * STARTUP_WORDS);
        bh_buf_append(&c->res->listing, lst.data, lst.len);
        bh_buf_free(&user);
        bh_buf_free(&lst);
        g->base = BH_TEXT_BASE;
    }
    return build_image(c, img, entry);
}
