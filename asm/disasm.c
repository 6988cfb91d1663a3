/* disasm.c: an image back to source that babyasm assembles into the same
 * image, byte for byte.
 *
 * Labels come from the symbol table; text words through isa_disasm (one
 * machine instruction each, so expansions come back as their machine
 * words); data as .word/.byte/.asciiz between labels.  What the source
 * cannot show otherwise is written with GNU as directives: .file and .loc
 * carry the line table (file names, lines, first word of each statement),
 * so the reassembled image keeps the original's lines.  An image made with
 * SPIM's start-up code is written from main: on, so reassembly makes the
 * start-up code again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"
#include "isa.h"

static const uint32_t default_base[BH_SEG_COUNT] = {BH_TEXT_BASE, BH_DATA_BASE, BH_KTEXT_BASE,
                                                    BH_KDATA_BASE};
static const char *const seg_dir[BH_SEG_COUNT] = {".text", ".data", ".ktext", ".kdata"};

struct dis {
    const struct bh_image *img;
    const struct bh_symbol **sym; /* sorted by value */
    uint32_t nsym;
    uint32_t *files;              /* string offsets of .file 1..n */
    uint32_t nfiles;
    char strbuf[600];
};

static int cmp_sym(const void *a, const void *b)
{
    const struct bh_symbol *x = *(const struct bh_symbol *const *)a;
    const struct bh_symbol *y = *(const struct bh_symbol *const *)b;
    return x->value < y->value ? -1 : x->value > y->value;
}

/* First symbol with value >= addr. */
static uint32_t sym_lower(const struct dis *d, uint32_t addr)
{
    uint32_t lo = 0, hi = d->nsym;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (d->sym[mid]->value < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const char *symbolize(void *ctx, uint32_t addr)
{
    const struct dis *d = ctx;
    uint32_t i = sym_lower(d, addr);
    if (i < d->nsym && d->sym[i]->value == addr)
        return bh_image_str(d->img, d->sym[i]->name);
    return NULL;
}

static void put_quoted(char *out, size_t n, const char *s, size_t len)
{
    size_t o = 0;
    if (n < 8)
        return;
    out[o++] = '"';
    for (size_t i = 0; i < len && o + 6 < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            o += (size_t)snprintf(out + o, n - o, "\\%c", ch);
        else if (ch == '\n')
            o += (size_t)snprintf(out + o, n - o, "\\n");
        else if (ch == '\t')
            o += (size_t)snprintf(out + o, n - o, "\\t");
        else if (ch < 0x20 || ch >= 0x7f)
            o += (size_t)snprintf(out + o, n - o, "\\%03o", ch);
        else
            out[o++] = (char)ch;
    }
    out[o++] = '"';
    out[o] = 0;
}

static const char *snapshot_name(void *ctx, uint32_t off)
{
    struct dis *d = ctx;
    if (off >= d->img->strings_size)
        return NULL;
    const char *s = bh_image_str(d->img, off);
    put_quoted(d->strbuf, sizeof d->strbuf, s, strlen(s));
    return d->strbuf;
}

static void labels_at(struct dis *d, struct bh_buf *out, uint32_t addr, int seg)
{
    for (uint32_t i = sym_lower(d, addr); i < d->nsym && d->sym[i]->value == addr; i++) {
        if (d->sym[i]->kind != seg)
            continue;
        bh_buf_printf(out, "%s:\n", bh_image_str(d->img, d->sym[i]->name));
    }
}

/* The next symbol address in seg after addr (or end). */
static uint32_t next_label(const struct dis *d, uint32_t addr, uint32_t end, int seg)
{
    for (uint32_t i = sym_lower(d, addr + 1); i < d->nsym; i++)
        if (d->sym[i]->kind == seg)
            return d->sym[i]->value < end ? d->sym[i]->value : end;
    return end;
}

static uint32_t file_number(struct dis *d, uint32_t off)
{
    for (uint32_t i = 0; i < d->nfiles; i++)
        if (d->files[i] == off)
            return i + 1;
    return 0;
}

/* Does decoding and encoding again give the word back?  If not (fields
 * MIPS ignores were set), it is written as .word to stay identical. */
static int canonical(uint32_t w)
{
    enum isa_op op = isa_decode(w);
    if (op == ISA_INVALID)
        return 0;
    struct isa_fields f = {0};
    switch ((enum isa_fmt)isa_table[op].fmt) {
    case F_NONE: break;
    case F_CODE: f.imm = ISA_CODE(w); break;
    case F_TARGET: f.imm = ISA_TARGET(w); break;
    case F_RT_C0: f.rt = ISA_RT(w), f.rd = ISA_RD(w), f.imm = ISA_C0_SEL(w); break;
    case F_RT_RS_SIMM: case F_RT_RS_UIMM: case F_RT_UIMM: case F_RS_SIMM: case F_RT_MEM:
    case F_RS_RT_REL: case F_RS_REL: case F_STR: case F_CC_REL: case F_FT_MEM:
        f.rs = ISA_RS(w), f.rt = ISA_RT(w), f.imm = ISA_IMM(w);
        break;
    default:
        f.rs = ISA_RS(w), f.rt = ISA_RT(w), f.rd = ISA_RD(w), f.sa = ISA_SA(w);
        break;
    }
    return isa_encode(op, &f) == w;
}

static void text_seg(struct dis *d, struct bh_buf *out, int s, uint32_t skip)
{
    const struct bh_segment *g = &d->img->seg[s];
    char buf[700];
    for (uint32_t off = skip; off < g->size; off += 4) {
        uint32_t a = g->addr + off, w = bh_get32(g->bytes + off);
        labels_at(d, out, a, s);
        const struct bh_line *l = bh_image_line_at(d->img, a);
        if (l && l->addr != a)
            l = NULL;
        if (!l) {
            /* no line entry: padding (.space, .align) */
            bh_buf_printf(out, "\t.space 4\n");
            if (w)
                bh_buf_printf(out, "\t# (unexpected non-zero word 0x%08x)\n", w);
            continue;
        }
        if (l->flags & BH_LINE_STMT)
            bh_buf_printf(out, "\t.loc %u %u\n", file_number(d, l->file), l->line);
        if ((l->flags & BH_LINE_DATA) || !canonical(w)) {
            bh_buf_printf(out, "\t.word 0x%08x\n", w);
            continue;
        }
        isa_disasm(w, a, buf, sizeof buf, symbolize, d, snapshot_name);
        bh_buf_printf(out, "\t%s\n", buf);
    }
    labels_at(d, out, g->addr + g->size, s);
}

static int printable(unsigned char ch)
{
    return (ch >= 0x20 && ch < 0x7f) || ch == '\n' || ch == '\t';
}

static void data_seg(struct dis *d, struct bh_buf *out, int s)
{
    const struct bh_segment *g = &d->img->seg[s];
    uint32_t off = 0;
    char buf[600];
    while (off < g->size) {
        uint32_t a = g->addr + off;
        labels_at(d, out, a, s);
        uint32_t end = next_label(d, a, g->addr + g->size, s) - g->addr;
        while (off < end) {
            /* a NUL-terminated run of text: .asciiz */
            uint32_t k = off;
            while (k < end && printable(g->bytes[k]))
                k++;
            if (k - off >= 3 && k < end && g->bytes[k] == 0) {
                uint32_t n = k - off;
                if (n > 400)
                    n = 400; /* long strings: several .ascii lines */
                put_quoted(buf, sizeof buf, (const char *)g->bytes + off, n);
                if (off + n == k) {
                    bh_buf_printf(out, "\t.asciiz %s\n", buf);
                    off = k + 1;
                } else {
                    bh_buf_printf(out, "\t.ascii %s\n", buf);
                    off += n;
                }
                continue;
            }
            if ((g->addr + off) % 4 == 0 && end - off >= 4) {
                bh_buf_printf(out, "\t.word");
                for (int i = 0; i < 4 && end - off >= 4; i++, off += 4)
                    bh_buf_printf(out, "%s0x%08x", i ? ", " : " ", bh_get32(g->bytes + off));
                bh_buf_put8(out, '\n');
                continue;
            }
            bh_buf_printf(out, "\t.byte");
            for (int i = 0; i < 8 && off < end; i++, off++) {
                if (i > 0 && (g->addr + off) % 4 == 0 && end - off >= 4)
                    break; /* words again from here */
                bh_buf_printf(out, "%s0x%02x", i ? ", " : " ", g->bytes[off]);
            }
            bh_buf_put8(out, '\n');
        }
    }
    labels_at(d, out, g->addr + g->size, s);
}

int bh_disasm_image(const struct bh_image *img, struct bh_buf *out, char *err, size_t errlen)
{
    struct dis d = {.img = img};
    d.sym = malloc((img->nsymbols + 1) * sizeof *d.sym);
    d.files = malloc((img->nlines + 1) * sizeof *d.files);
    if (!d.sym || !d.files) {
        free(d.sym);
        free(d.files);
        return bh_errf(err, errlen, "out of memory");
    }
    for (uint32_t i = 0; i < img->nsymbols; i++)
        d.sym[i] = &img->symbols[i];
    d.nsym = img->nsymbols;
    if (d.nsym)
        qsort(d.sym, d.nsym, sizeof *d.sym, cmp_sym);
    /* The files the lines name, in string-table order (as babyasm added them). */
    for (uint32_t i = 0; i < img->nlines; i++) {
        uint32_t f = img->lines[i].file, k;
        for (k = 0; k < d.nfiles && d.files[k] != f; k++)
            ;
        if (k == d.nfiles)
            d.files[d.nfiles++] = f;
    }
    for (uint32_t i = 1; i < d.nfiles; i++)
        for (uint32_t k = i; k > 0 && d.files[k - 1] > d.files[k]; k--) {
            uint32_t t = d.files[k];
            d.files[k] = d.files[k - 1];
            d.files[k - 1] = t;
        }

    char q[600];
    const char *src = bh_image_str(img, img->source);
    bh_buf_printf(out, "# disassembled by babyasm -d; babyasm assembles it back to the same image\n");
    put_quoted(q, sizeof q, src, strlen(src));
    bh_buf_printf(out, "\t.file %s\n", q);
    for (uint32_t i = 0; i < d.nfiles; i++) {
        const char *f = bh_image_str(img, d.files[i]);
        put_quoted(q, sizeof q, f, strlen(f));
        bh_buf_printf(out, "\t.file %u %s\n", i + 1, q);
    }
    bh_buf_printf(out, "\t.set noat\n");
    if (img->flags & BH_IMG_MARS) /* the image records it; the text cannot */
        bh_buf_printf(out, "# MARS's dialect: assemble with babyasm --dialect mars\n");
    if (img->flags & BH_IMG_DELAYED_BRANCHES)
        bh_buf_printf(out, "# delay slots: assemble with babyasm --delayed-branches\n");
    if (img->flags & BH_IMG_DELAYED_LOADS)
        bh_buf_printf(out, "# load delay slots: assemble with babyasm --delayed-loads\n");
    for (uint32_t i = 0; i < d.nsym; i++)
        if (d.sym[i]->flags & BH_SYM_GLOBAL)
            bh_buf_printf(out, "\t.globl %s\n", bh_image_str(img, d.sym[i]->name));

    int startup = (img->flags & BH_IMG_STARTUP) != 0;
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        const struct bh_segment *g = &img->seg[s];
        int text = s == BH_SEG_TEXT || s == BH_SEG_KTEXT;
        if (g->size == 0 && g->addr == default_base[s])
            continue;
        if (s == BH_SEG_TEXT && startup) {
            bh_buf_printf(out, "\n\t.text\n# (SPIM's start-up code, 9 words, comes back from main:)\n");
            text_seg(&d, out, s, g->size >= 36 ? 36 : g->size);
            continue;
        }
        bh_buf_printf(out, "\n\t%s 0x%08x\n", seg_dir[s], g->addr);
        if (text)
            text_seg(&d, out, s, 0);
        else
            data_seg(&d, out, s);
    }
    free(d.sym);
    free(d.files);
    if (out->oom)
        return bh_errf(err, errlen, "out of memory");
    return 0;
}
