/* dwarf.c: the image's source lines as DWARF 3 (asm/dwarf.h), for
 * debuggers: gdb names the file and line of each word from .debug_line,
 * and finds that table through the compile unit in .debug_info.
 *
 * The line program has one row per line-table entry of the image, so the
 * two tables say the same thing word for word: is_stmt is the entry's
 * BH_LINE_STMT (the first word of a statement; the other words of a
 * pseudo-instruction's expansion are not places to stop).  A run of
 * entries whose words follow each other is one sequence; a gap (the
 * start-up code, an .align, a ".text ADDR" further on, another segment)
 * ends it, so no row ever covers a word the source did not put there.
 */
#include "dwarf.h"

#include <stdlib.h>
#include <string.h>

/* The DWARF constants used (DWARF 3, section 7). */
enum {
    DW_TAG_compile_unit = 0x11,
    DW_CHILDREN_no = 0,
    DW_AT_name = 0x03,
    DW_AT_stmt_list = 0x10,
    DW_AT_low_pc = 0x11,
    DW_AT_language = 0x13,
    DW_AT_comp_dir = 0x1b,
    DW_AT_producer = 0x25,
    DW_AT_ranges = 0x55,
    DW_FORM_addr = 0x01,
    DW_FORM_data2 = 0x05,
    DW_FORM_data4 = 0x06,
    DW_FORM_string = 0x08,
    DW_LNS_advance_pc = 2,
    DW_LNS_advance_line = 3,
    DW_LNS_set_file = 4,
    DW_LNS_negate_stmt = 6,
    DW_LNE_end_sequence = 1,
    DW_LNE_set_address = 2,
};

/* The operand count of standard opcodes 1 to OPCODE_BASE - 1 (DWARF 3). */
static const uint8_t std_opcode_lengths[ASM_DWARF_OPCODE_BASE - 1] = {0, 1, 1, 1, 1, 0,
                                                                      0, 0, 1, 0, 0, 1};

void asm_dwarf_uleb(struct bh_buf *b, uint64_t v)
{
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        bh_buf_put8(b, (uint8_t)(byte | (v ? 0x80 : 0)));
    } while (v);
}

void asm_dwarf_sleb(struct bh_buf *b, int64_t v)
{
    for (;;) {
        uint8_t byte = (uint8_t)((uint64_t)v & 0x7f);
        /* An arithmetic shift, written so for any compiler: the sign stays. */
        v = v < 0 ? ~(~v >> 7) : v >> 7;
        /* Done when the rest is all sign bits and bit 6 says the same sign. */
        if ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) {
            bh_buf_put8(b, byte);
            return;
        }
        bh_buf_put8(b, byte | 0x80);
    }
}

static void put_str(struct bh_buf *b, const char *s)
{
    bh_buf_append(b, s, strlen(s) + 1);
}

/* ---- .debug_line --------------------------------------------------------- */

/* The line program's file numbers: 1 is the program's source, then each
 * file the line table names (.include, .file N) in order of appearance. */
struct files {
    uint32_t *num;  /* by string offset: 0, or the file's number */
    uint32_t *name; /* by number - 1: the string offset */
    uint32_t n;
};

static int number_files(const struct bh_image *img, struct files *f)
{
    f->n = 0;
    f->num = calloc(img->strings_size + 1u, sizeof *f->num);
    f->name = malloc((img->nlines + 1u) * sizeof *f->name);
    if (!f->num || !f->name)
        return -1;
    uint32_t src = img->source < img->strings_size ? img->source : 0;
    f->name[f->n] = src;
    f->num[src] = ++f->n;
    for (uint32_t i = 0; i < img->nlines; i++) {
        uint32_t s = img->lines[i].file < img->strings_size ? img->lines[i].file : 0;
        if (!f->num[s]) {
            f->name[f->n] = s;
            f->num[s] = ++f->n;
        }
    }
    return 0;
}

static void line_header(struct bh_buf *b, const struct bh_image *img, const struct files *f)
{
    /* The fields after header_length, measured before they are appended. */
    struct bh_buf h = {0};
    bh_buf_put8(&h, ASM_DWARF_MIN_INSN);
    bh_buf_put8(&h, 1); /* default_is_stmt */
    bh_buf_put8(&h, (uint8_t)(int8_t)ASM_DWARF_LINE_BASE);
    bh_buf_put8(&h, ASM_DWARF_LINE_RANGE);
    bh_buf_put8(&h, ASM_DWARF_OPCODE_BASE);
    bh_buf_append(&h, std_opcode_lengths, sizeof std_opcode_lengths);
    bh_buf_put8(&h, 0); /* no include_directories: names are as given, from comp_dir */
    for (uint32_t i = 0; i < f->n; i++) {
        put_str(&h, bh_image_str(img, f->name[i]));
        asm_dwarf_uleb(&h, 0); /* directory: the compilation directory */
        asm_dwarf_uleb(&h, 0); /* modification time: unknown */
        asm_dwarf_uleb(&h, 0); /* length: unknown */
    }
    bh_buf_put8(&h, 0);
    bh_buf_put16(b, ASM_DWARF_VERSION);
    bh_buf_put32(b, (uint32_t)h.len);
    bh_buf_append(b, h.data, h.len);
    if (h.oom)
        b->oom = 1;
    bh_buf_free(&h);
}

static void extended_op(struct bh_buf *b, uint8_t op, const void *arg, size_t n)
{
    bh_buf_put8(b, 0);
    asm_dwarf_uleb(b, 1 + n);
    bh_buf_put8(b, op);
    bh_buf_append(b, arg, n);
}

/* Append a row advance words (0 or 1: a sequence's words follow each
 * other) and dline lines on.  A special opcode takes the step in both
 * when the line moves by -5 to +8; else DW_LNS_advance_line moves it
 * first.  Either way the opcode is at most 13 + 13 + 14 = 40. */
static void row(struct bh_buf *b, uint32_t advance, int64_t dline)
{
    if (dline < ASM_DWARF_LINE_BASE || dline >= ASM_DWARF_LINE_BASE + ASM_DWARF_LINE_RANGE) {
        bh_buf_put8(b, DW_LNS_advance_line);
        asm_dwarf_sleb(b, dline);
        dline = 0;
    }
    bh_buf_put8(b, (uint8_t)(dline - ASM_DWARF_LINE_BASE + ASM_DWARF_LINE_RANGE * advance +
                             ASM_DWARF_OPCODE_BASE));
}

static void line_program(struct bh_buf *b, const struct bh_image *img, const struct files *f)
{
    /* The state machine's registers, as a sequence starts (DWARF 3, 6.2.2). */
    uint32_t addr = 0, file = 1;
    int64_t line = 1;
    int stmt = 1;
    for (uint32_t i = 0; i < img->nlines; i++) {
        const struct bh_line *l = &img->lines[i];
        if (i == 0 || l->addr != img->lines[i - 1].addr + 4) {
            uint8_t a[4];
            bh_put32(a, l->addr);
            extended_op(b, DW_LNE_set_address, a, 4);
            addr = l->addr;
        }
        uint32_t advance = (l->addr - addr) / ASM_DWARF_MIN_INSN;
        uint32_t fn = f->num[l->file < img->strings_size ? l->file : 0];
        if (fn != file) {
            bh_buf_put8(b, DW_LNS_set_file);
            asm_dwarf_uleb(b, fn);
            file = fn;
        }
        if (!(l->flags & BH_LINE_STMT) != !stmt) {
            bh_buf_put8(b, DW_LNS_negate_stmt);
            stmt = !stmt;
        }
        row(b, advance, (int64_t)l->line - line);
        addr = l->addr;
        line = l->line;
        if (i + 1 == img->nlines || img->lines[i + 1].addr != l->addr + 4) {
            /* The sequence ends after its last word. */
            bh_buf_put8(b, DW_LNS_advance_pc);
            asm_dwarf_uleb(b, 1);
            extended_op(b, DW_LNE_end_sequence, NULL, 0);
            addr = 0, file = 1, line = 1, stmt = 1;
        }
    }
}

/* The unit's 32-bit length, patched in once its end is known. */
static void patch_length(struct bh_buf *b, size_t at)
{
    if (!b->oom)
        bh_put32(b->data + at, (uint32_t)(b->len - at - 4));
}

static int build_line(struct bh_buf *b, const struct bh_image *img)
{
    struct files f = {0};
    int rc = number_files(img, &f);
    if (rc == 0) {
        bh_buf_put32(b, 0);
        line_header(b, img, &f);
        line_program(b, img, &f);
        patch_length(b, 0);
    }
    free(f.num);
    free(f.name);
    return rc;
}

/* ---- .debug_abbrev, .debug_info, .debug_ranges ------------------------ */

static const uint8_t cu_attrs[][2] = {
    {DW_AT_producer, DW_FORM_string}, {DW_AT_language, DW_FORM_data2},
    {DW_AT_name, DW_FORM_string},     {DW_AT_comp_dir, DW_FORM_string},
    {DW_AT_stmt_list, DW_FORM_data4}, {DW_AT_low_pc, DW_FORM_addr},
    {DW_AT_ranges, DW_FORM_data4},
};

static void build_abbrev(struct bh_buf *b)
{
    asm_dwarf_uleb(b, 1); /* abbreviation code 1 */
    asm_dwarf_uleb(b, DW_TAG_compile_unit);
    bh_buf_put8(b, DW_CHILDREN_no);
    for (size_t i = 0; i < sizeof cu_attrs / sizeof cu_attrs[0]; i++) {
        asm_dwarf_uleb(b, cu_attrs[i][0]);
        asm_dwarf_uleb(b, cu_attrs[i][1]);
    }
    asm_dwarf_uleb(b, 0);
    asm_dwarf_uleb(b, 0);
    asm_dwarf_uleb(b, 0); /* end of the unit's abbreviations */
}

/* The attributes in cu_attrs' order. */
static void build_info(struct bh_buf *b, const struct bh_image *img, const char *comp_dir,
                       const char *producer)
{
    bh_buf_put32(b, 0);
    bh_buf_put16(b, ASM_DWARF_VERSION);
    bh_buf_put32(b, 0); /* its abbreviations: at 0 in .debug_abbrev */
    bh_buf_put8(b, 4);  /* address size */
    asm_dwarf_uleb(b, 1);
    put_str(b, producer);
    bh_buf_put16(b, ASM_DWARF_LANG_MIPS_ASM);
    put_str(b, bh_image_str(img, img->source));
    put_str(b, comp_dir);
    bh_buf_put32(b, 0); /* its line program: at 0 in .debug_line */
    bh_buf_put32(b, 0); /* low_pc: the base of the range list's offsets */
    bh_buf_put32(b, 0); /* its ranges: at 0 in .debug_ranges */
    patch_length(b, 0);
}

/* The text segments: the unit's code (the start-up code included, so
 * gdb knows it belongs to the program, though it has no source line).
 * gdb 13 finds the unit of an address from these, without .debug_aranges. */
static void build_ranges(struct bh_buf *ranges, const struct bh_image *img)
{
    static const int text_segs[] = {BH_SEG_TEXT, BH_SEG_KTEXT};
    for (int i = 0; i < 2; i++) {
        const struct bh_segment *g = &img->seg[text_segs[i]];
        if (!g->size)
            continue;
        bh_buf_put32(ranges, g->addr);
        bh_buf_put32(ranges, g->addr + g->size);
    }
    bh_buf_put32(ranges, 0);
    bh_buf_put32(ranges, 0);
}

void asm_dwarf_free(struct asm_dwarf *d)
{
    bh_buf_free(&d->abbrev);
    bh_buf_free(&d->info);
    bh_buf_free(&d->line);
    bh_buf_free(&d->ranges);
}

int asm_dwarf_build(const struct bh_image *img, const char *comp_dir, const char *producer,
                    struct asm_dwarf *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    build_abbrev(&d->abbrev);
    build_info(&d->info, img, comp_dir, producer);
    build_ranges(&d->ranges, img);
    if (build_line(&d->line, img) || d->abbrev.oom || d->info.oom || d->line.oom || d->ranges.oom) {
        asm_dwarf_free(d);
        return bh_errf(err, errlen, "DWARF: out of memory");
    }
    return 0;
}
