/* image.c: the program image file, written and read (docs/image-format.md).
 *
 * As in Lua's ldump.c/lundump.c, the writer and the reader mirror each
 * other function by function, in the same order: header, section table,
 * segments, symbols, lines, strings.  The reader checks every field it
 * reads and funnels each failure through one error function with its own
 * message; after it, nothing in the VM ever sees a malformed image.
 *
 * The writer runs the reader over what it produced, so an image babyasm
 * writes is one myvmm accepts, and the checks live in one place.
 */
#include "image.h"

#include "bh_util.h"
#include "isa.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_SIZE 64u
#define SECTION_ENTRY 20u
#define SYMBOL_ENTRY 12u
#define LINE_ENTRY 16u
#define CRC_OFFSET 32u
#define BYTE_ORDER_MARK 0x01020304u

static const uint8_t magic[4] = {0x7f, 'B', 'H', 'I'};
/* CR LF, ^Z, LF: a text-mode transfer rewrites at least one of them. */
static const uint8_t detector[4] = {'\r', '\n', 0x1a, '\n'};

enum sect {
    SECT_TEXT = 1,
    SECT_DATA,
    SECT_KTEXT,
    SECT_KDATA,
    SECT_SYMBOLS,
    SECT_LINES,
    SECT_STRINGS,
    SECT_MAX = SECT_STRINGS
};

static const char *const sect_names[] = {"",      "text",    "data",  "ktext",
                                         "kdata", "symbols", "lines", "strings"};

/* Where each segment may live in SPIM's memory map: [lo, hi). */
static const struct {
    uint32_t lo, hi;
} seg_region[BH_SEG_COUNT] = {
    [BH_SEG_TEXT] = {0x00400000u, 0x10000000u},
    [BH_SEG_DATA] = {0x10000000u, 0x80000000u},
    [BH_SEG_KTEXT] = {0x80000000u, 0x90000000u},
    [BH_SEG_KDATA] = {0x90000000u, 0xffff0000u},
};
static const uint32_t seg_default[BH_SEG_COUNT] = {BH_TEXT_BASE, BH_DATA_BASE, BH_KTEXT_BASE,
                                                   BH_KDATA_BASE};

static int seg_is_text(int s)
{
    return s == BH_SEG_TEXT || s == BH_SEG_KTEXT;
}

/* ======================================================================
 * Writer
 * ====================================================================== */

static void write_header(struct bh_buf *b, const struct bh_image *img, uint32_t nsect)
{
    bh_buf_append(b, magic, 4);
    bh_buf_put16(b, BH_IMAGE_VERSION);
    bh_buf_put16(b, HEADER_SIZE);
    bh_buf_append(b, detector, 4);
    bh_buf_put32(b, BYTE_ORDER_MARK);
    bh_buf_put32(b, img->entry);
    bh_buf_put32(b, img->flags);
    bh_buf_put32(b, nsect);
    bh_buf_put32(b, 0); /* file size: patched at the end */
    bh_buf_put32(b, 0); /* CRC32C: patched at the end */
    bh_buf_put32(b, img->source);
    static const uint8_t reserved[HEADER_SIZE - 40] = {0};
    bh_buf_append(b, reserved, sizeof reserved);
}

struct wsect {
    uint32_t type, addr, size, count;
};

/* The sections an image has, in the order they are written. */
static uint32_t plan_sections(const struct bh_image *img, struct wsect *out)
{
    uint32_t n = 0;
    for (int s = 0; s < BH_SEG_COUNT; s++)
        if (img->seg[s].size)
            out[n++] =
                (struct wsect){SECT_TEXT + (uint32_t)s, img->seg[s].addr, img->seg[s].size, 0};
    if (img->nsymbols)
        out[n++] = (struct wsect){SECT_SYMBOLS, 0, img->nsymbols * SYMBOL_ENTRY, img->nsymbols};
    if (img->nlines)
        out[n++] = (struct wsect){SECT_LINES, 0, img->nlines * LINE_ENTRY, img->nlines};
    if (img->strings_size)
        out[n++] = (struct wsect){SECT_STRINGS, 0, img->strings_size, 0};
    return n;
}

static void pad4(struct bh_buf *b)
{
    while (b->len % 4)
        bh_buf_put8(b, 0);
}

static void write_section_table(struct bh_buf *b, const struct wsect *sec, uint32_t n)
{
    /* Sections follow the table, each starting on a 4-byte boundary. */
    uint32_t off = HEADER_SIZE + n * SECTION_ENTRY;
    for (uint32_t i = 0; i < n; i++) {
        bh_buf_put32(b, sec[i].type);
        bh_buf_put32(b, sec[i].addr);
        bh_buf_put32(b, off);
        bh_buf_put32(b, sec[i].size);
        bh_buf_put32(b, sec[i].count);
        off += (sec[i].size + 3u) & ~3u;
    }
}

static void write_segments(struct bh_buf *b, const struct bh_image *img)
{
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        if (!img->seg[s].size)
            continue;
        bh_buf_append(b, img->seg[s].bytes, img->seg[s].size);
        pad4(b);
    }
}

static void write_symbols(struct bh_buf *b, const struct bh_image *img)
{
    for (uint32_t i = 0; i < img->nsymbols; i++) {
        const struct bh_symbol *s = &img->symbols[i];
        bh_buf_put32(b, s->name);
        bh_buf_put32(b, s->value);
        bh_buf_put8(b, s->kind);
        bh_buf_put8(b, s->flags);
        bh_buf_put16(b, 0);
    }
}

static void write_lines(struct bh_buf *b, const struct bh_image *img)
{
    for (uint32_t i = 0; i < img->nlines; i++) {
        const struct bh_line *l = &img->lines[i];
        bh_buf_put32(b, l->addr);
        bh_buf_put32(b, l->line);
        bh_buf_put32(b, l->file);
        bh_buf_put32(b, l->flags);
    }
}

static void write_strings(struct bh_buf *b, const struct bh_image *img)
{
    bh_buf_append(b, img->strings, img->strings_size);
    pad4(b);
}

/* The checksum covers every byte of the file except its own four. */
static uint32_t image_crc(const uint8_t *buf, size_t len)
{
    uint32_t crc = bh_crc32c(0, buf, CRC_OFFSET);
    return bh_crc32c(crc, buf + CRC_OFFSET + 4, len - CRC_OFFSET - 4);
}

int bh_image_write(const struct bh_image *img, uint8_t **out, size_t *outlen, char *err,
                   size_t errlen)
{
    *out = NULL;
    *outlen = 0;
    /* Sizes must fit the u32 fields before any arithmetic on them. */
    uint64_t total = HEADER_SIZE + 7u * SECTION_ENTRY;
    for (int s = 0; s < BH_SEG_COUNT; s++)
        total += (uint64_t)img->seg[s].size + 3;
    total += (uint64_t)img->nsymbols * SYMBOL_ENTRY + (uint64_t)img->nlines * LINE_ENTRY +
             (uint64_t)img->strings_size + 3;
    if (total > UINT32_MAX)
        return bh_errf(err, errlen, "image: cannot write: %llu bytes exceed the 4 GiB format limit",
                       (unsigned long long)total);

    struct wsect sec[SECT_MAX];
    uint32_t nsect = plan_sections(img, sec);
    struct bh_buf b = {0};
    write_header(&b, img, nsect);
    write_section_table(&b, sec, nsect);
    write_segments(&b, img);
    write_symbols(&b, img);
    write_lines(&b, img);
    write_strings(&b, img);
    if (b.oom) {
        bh_buf_free(&b);
        return bh_errf(err, errlen, "image: cannot write: out of memory");
    }
    bh_put32(b.data + 28, (uint32_t)b.len);
    bh_put32(b.data + CRC_OFFSET, image_crc(b.data, b.len));

    /* Refuse to produce a file the loader would refuse. */
    struct bh_image check;
    char why[256];
    if (bh_image_read(b.data, b.len, &check, why, sizeof why) != 0) {
        bh_buf_free(&b);
        return bh_errf(err, errlen, "image: cannot write: %s",
                       strncmp(why, "image: ", 7) == 0 ? why + 7 : why);
    }
    bh_image_free(&check);
    *out = b.data;
    *outlen = b.len;
    return 0;
}

/* ======================================================================
 * Reader
 * ====================================================================== */

struct reader {
    const uint8_t *buf;
    size_t len;
    struct bh_image *img;
    char *err;
    size_t errlen;
    /* The section table, indexed by type (0 = absent). */
    struct {
        int present;
        uint32_t addr, off, size, count;
    } sect[SECT_MAX + 1];
};

/* The one error function: every message starts with "image: ". */
static int bad(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct reader *r, const char *fmt, ...)
{
    if (r->err && r->errlen) {
        int n = snprintf(r->err, r->errlen, "image: ");
        if (n >= 0 && (size_t)n < r->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

static int read_header(struct reader *r)
{
    const uint8_t *p = r->buf;
    size_t have = r->len < 4 ? r->len : 4;
    if (memcmp(p, magic, have) != 0)
        return bad(r, "not a baby_hypervisor image (bad magic)" BH_HELP
                   "an image is what babyasm writes: babyasm PROG.s -o PROG.bin assembles a "
                   "source into one");
    if (r->len >= 6 && bh_get16(p + 4) != BH_IMAGE_VERSION)
        return bad(r, "format version %u not supported (this program reads version %u)" BH_HELP
                   "another version of babyasm wrote it: assemble the source again with this one",
                   bh_get16(p + 4), BH_IMAGE_VERSION);
    if (r->len < HEADER_SIZE)
        return bad(r, "truncated: header needs %u bytes, file has %zu", HEADER_SIZE, r->len);
    if (bh_get16(p + 6) != HEADER_SIZE)
        return bad(r, "header size %u, version %u headers are %u bytes", bh_get16(p + 6),
                   BH_IMAGE_VERSION, HEADER_SIZE);
    if (memcmp(p + 8, detector, 4) != 0)
        return bad(r, "line-ending detector damaged (was the file transferred as text?)" BH_HELP
                   "copy images as binary files (scp, or FTP's binary mode), or assemble the "
                   "source again");
    if (bh_get32(p + 12) != BYTE_ORDER_MARK)
        return bad(r, "byte-order check reads 0x%08x, expected 0x%08x (wrong endianness)" BH_HELP
                   "images are little-endian whatever the host: this one was damaged or written "
                   "by another tool; assemble the source again",
                   bh_get32(p + 12), BYTE_ORDER_MARK);
    uint32_t size = bh_get32(p + 28);
    if (size > r->len)
        return bad(r, "truncated: header says the file has %u bytes, file has %zu" BH_HELP
                   "the file was cut short after babyasm wrote it: assemble the source again",
                   size, r->len);
    if (size < r->len)
        return bad(r, "%zu bytes of trailing data after the %u bytes the header declares",
                   r->len - size, size);
    uint32_t want = bh_get32(p + CRC_OFFSET), got = image_crc(p, r->len);
    if (want != got)
        return bad(r, "checksum mismatch: header says CRC32C 0x%08x, contents give 0x%08x" BH_HELP
                   "the file changed after babyasm wrote it: assemble the source again", want,
                   got);
    for (unsigned i = 40; i < HEADER_SIZE; i++)
        if (p[i])
            return bad(r, "reserved header byte %u is 0x%02x, must be 0", i, p[i]);
    r->img->entry = bh_get32(p + 16);
    r->img->flags = bh_get32(p + 20);
    r->img->source = bh_get32(p + 36);
    if (r->img->flags & ~BH_IMG_FLAGS)
        return bad(r, "unknown flags 0x%08x", r->img->flags & ~BH_IMG_FLAGS);
    return 0;
}

static int read_section_table(struct reader *r)
{
    uint32_t n = bh_get32(r->buf + 24);
    if (n > SECT_MAX)
        return bad(r, "%u sections, at most %u (one of each type)", n, SECT_MAX);
    uint32_t table_end = HEADER_SIZE + n * SECTION_ENTRY;
    if (table_end > r->len)
        return bad(r, "truncated: section table needs %u bytes, file has %zu", table_end, r->len);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = r->buf + HEADER_SIZE + i * SECTION_ENTRY;
        uint32_t type = bh_get32(e), addr = bh_get32(e + 4), off = bh_get32(e + 8);
        uint32_t size = bh_get32(e + 12), count = bh_get32(e + 16);
        if (type < SECT_TEXT || type > SECT_MAX)
            return bad(r, "section %u: unknown type %u", i, type);
        const char *name = sect_names[type];
        if (r->sect[type].present)
            return bad(r, "section %u: second %s section", i, name);
        if (off < table_end)
            return bad(r, "%s section at offset %u overlaps the header or section table (%u bytes)",
                       name, off, table_end);
        if (off > r->len || size > r->len - off)
            return bad(r,
                       "%s section (offset %u, %u bytes) runs past the end of the file (%zu bytes)",
                       name, off, size, r->len);
        if (type >= SECT_SYMBOLS && addr != 0)
            return bad(r, "%s section has address 0x%08x, must be 0", name, addr);
        uint32_t entry = type == SECT_SYMBOLS ? SYMBOL_ENTRY : type == SECT_LINES ? LINE_ENTRY : 0;
        if (entry ? (uint64_t)count * entry != size : count != 0)
            return bad(r, "%s section: count %u does not match its %u bytes", name, count, size);
        if (size == 0)
            return bad(r, "%s section is empty (empty sections are left out)", name);
        r->sect[type].present = 1;
        r->sect[type].addr = addr;
        r->sect[type].off = off;
        r->sect[type].size = size;
        r->sect[type].count = count;
    }
    /* No two sections may share bytes.  At most 7: compare every pair. */
    for (int a = SECT_TEXT; a <= SECT_MAX; a++)
        for (int b = a + 1; b <= SECT_MAX; b++) {
            if (!r->sect[a].present || !r->sect[b].present)
                continue;
            uint64_t a0 = r->sect[a].off, a1 = a0 + r->sect[a].size;
            uint64_t b0 = r->sect[b].off, b1 = b0 + r->sect[b].size;
            if (a0 < b1 && b0 < a1)
                return bad(r, "%s and %s sections overlap", sect_names[a], sect_names[b]);
        }
    return 0;
}

static uint8_t *copy_out(struct reader *r, int type)
{
    uint8_t *m = malloc(r->sect[type].size);
    if (m)
        memcpy(m, r->buf + r->sect[type].off, r->sect[type].size);
    return m;
}

static int read_segments(struct reader *r)
{
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        struct bh_segment *seg = &r->img->seg[s];
        int type = SECT_TEXT + s;
        const char *name = sect_names[type];
        seg->addr = seg_default[s];
        if (!r->sect[type].present)
            continue;
        uint32_t addr = r->sect[type].addr, size = r->sect[type].size;
        if (addr < seg_region[s].lo || addr >= seg_region[s].hi)
            return bad(r, "%s segment at 0x%08x, outside its region [0x%08x, 0x%08x)", name, addr,
                       seg_region[s].lo, seg_region[s].hi);
        if (size > seg_region[s].hi - addr)
            return bad(r, "%s segment (0x%08x, %u bytes) runs past the end of its region 0x%08x",
                       name, addr, size, seg_region[s].hi);
        if (seg_is_text(s) && (addr % 4 || size % 4))
            return bad(r, "%s segment (0x%08x, %u bytes): address and size must be multiples of 4",
                       name, addr, size);
        seg->addr = addr;
        seg->size = size;
        if (!(seg->bytes = copy_out(r, type)))
            return bad(r, "out of memory");
    }
    return 0;
}

static int read_symbols(struct reader *r)
{
    if (!r->sect[SECT_SYMBOLS].present)
        return 0;
    uint32_t n = r->sect[SECT_SYMBOLS].count;
    if (!(r->img->symbols = calloc(n, sizeof *r->img->symbols)))
        return bad(r, "out of memory");
    r->img->nsymbols = n;
    const uint8_t *p = r->buf + r->sect[SECT_SYMBOLS].off;
    for (uint32_t i = 0; i < n; i++, p += SYMBOL_ENTRY) {
        struct bh_symbol *s = &r->img->symbols[i];
        s->name = bh_get32(p);
        s->value = bh_get32(p + 4);
        s->kind = p[8];
        s->flags = p[9];
        if (s->kind > BH_SYM_ABS)
            return bad(r, "symbol %u: unknown kind %u", i, s->kind);
        if (s->flags & ~BH_SYM_GLOBAL)
            return bad(r, "symbol %u: unknown flags 0x%02x", i, s->flags);
        if (bh_get16(p + 10))
            return bad(r, "symbol %u: padding bytes are not 0", i);
    }
    return 0;
}

static int read_lines(struct reader *r)
{
    if (!r->sect[SECT_LINES].present)
        return 0;
    uint32_t n = r->sect[SECT_LINES].count;
    if (!(r->img->lines = calloc(n, sizeof *r->img->lines)))
        return bad(r, "out of memory");
    r->img->nlines = n;
    const uint8_t *p = r->buf + r->sect[SECT_LINES].off;
    for (uint32_t i = 0; i < n; i++, p += LINE_ENTRY) {
        struct bh_line *l = &r->img->lines[i];
        l->addr = bh_get32(p);
        l->line = bh_get32(p + 4);
        l->file = bh_get32(p + 8);
        l->flags = bh_get32(p + 12);
        if (l->flags & ~(BH_LINE_STMT | BH_LINE_DATA))
            return bad(r, "line entry %u: unknown flags 0x%08x", i, l->flags);
        if (l->line == 0)
            return bad(r, "line entry %u: line 0 (lines are 1-based)", i);
    }
    return 0;
}

static int read_strings(struct reader *r)
{
    if (!r->sect[SECT_STRINGS].present)
        return 0;
    const uint8_t *p = r->buf + r->sect[SECT_STRINGS].off;
    uint32_t n = r->sect[SECT_STRINGS].size;
    /* Leading NUL: offset 0 is the empty string.  Trailing NUL: every
     * offset inside the section starts a NUL-terminated string. */
    if (p[0] != 0)
        return bad(r, "strings section does not start with a NUL byte");
    if (p[n - 1] != 0)
        return bad(r, "strings section does not end with a NUL byte");
    if (!(r->img->strings = (char *)copy_out(r, SECT_STRINGS)))
        return bad(r, "out of memory");
    r->img->strings_size = n;
    return 0;
}

/* ---- checks across sections, once everything is read ----------------- */

static int in_strings(const struct reader *r, uint32_t off)
{
    return off < r->img->strings_size;
}

/* Words the assembler marked as data (BH_LINE_DATA) may hold anything. */
static int is_data_word(const struct bh_image *img, uint32_t addr)
{
    const struct bh_line *l = bh_image_line_at(img, addr);
    return l && l->addr == addr && (l->flags & BH_LINE_DATA);
}

static int check_text(struct reader *r)
{
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        const struct bh_segment *seg = &r->img->seg[s];
        if (!seg_is_text(s))
            continue;
        for (uint32_t i = 0; i < seg->size; i += 4) {
            uint32_t w = bh_get32(seg->bytes + i);
            enum isa_op op = isa_decode(w);
            if (op == ISA_INVALID && !is_data_word(r->img, seg->addr + i))
                return bad(r, "%s word at 0x%08x is 0x%08x, not a valid instruction",
                           sect_names[SECT_TEXT + s], seg->addr + i, w);
            if (isa_table[op].fmt == F_STR && !in_strings(r, ISA_IMM(w)))
                return bad(r, "%s at 0x%08x names string offset %u, outside the strings (%u bytes)",
                           isa_table[op].mnemonic, seg->addr + i, ISA_IMM(w), r->img->strings_size);
        }
    }
    return 0;
}

static int check_symbols(struct reader *r)
{
    for (uint32_t i = 0; i < r->img->nsymbols; i++)
        if (!in_strings(r, r->img->symbols[i].name))
            return bad(r, "symbol %u: name offset %u outside the strings (%u bytes)", i,
                       r->img->symbols[i].name, r->img->strings_size);
    return 0;
}

static int in_text(const struct bh_image *img, uint32_t addr)
{
    for (int s = 0; s < BH_SEG_COUNT; s++)
        if (seg_is_text(s) && addr - img->seg[s].addr < img->seg[s].size)
            return 1;
    return 0;
}

static int check_lines(struct reader *r)
{
    const struct bh_image *img = r->img;
    for (uint32_t i = 0; i < img->nlines; i++) {
        const struct bh_line *l = &img->lines[i];
        if (i > 0 && l->addr <= img->lines[i - 1].addr)
            return bad(r, "line entry %u (0x%08x) is not after the one before (0x%08x)", i, l->addr,
                       img->lines[i - 1].addr);
        if (l->addr % 4 || !in_text(img, l->addr))
            return bad(r, "line entry %u: address 0x%08x is not an instruction in text or ktext", i,
                       l->addr);
        if (!in_strings(r, l->file))
            return bad(r, "line entry %u: file name offset %u outside the strings (%u bytes)", i,
                       l->file, img->strings_size);
    }
    return 0;
}

static int check_entry(struct reader *r)
{
    const struct bh_image *img = r->img;
    if (img->entry % 4 || !in_text(img, img->entry))
        return bad(r, "entry point 0x%08x is not an instruction in text or ktext", img->entry);
    if (img->source && !in_strings(r, img->source))
        return bad(r, "source file name offset %u outside the strings (%u bytes)", img->source,
                   img->strings_size);
    return 0;
}

int bh_image_read(const uint8_t *buf, size_t len, struct bh_image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    struct reader r = {.buf = buf, .len = len, .img = img, .err = err, .errlen = errlen};
    if (len > UINT32_MAX)
        return bad(&r, "file of %zu bytes is larger than the format allows", len);
    if (read_header(&r) || read_section_table(&r) || read_segments(&r) || read_symbols(&r) ||
        read_lines(&r) || read_strings(&r) || check_lines(&r) || check_text(&r) ||
        check_symbols(&r) || check_entry(&r)) {
        bh_image_free(img);
        return -1;
    }
    return 0;
}

int bh_image_load(const char *path, struct bh_image *img, char *err, size_t errlen)
{
    uint8_t *buf;
    size_t len;
    memset(img, 0, sizeof *img);
    if (bh_read_file(path, &buf, &len, err, errlen) != 0)
        return -1;
    char why[256];
    int rc = bh_image_read(buf, len, img, why, sizeof why);
    free(buf);
    if (rc != 0)
        return bh_errf(err, errlen, "%s: %s", path, why);
    return 0;
}

void bh_image_free(struct bh_image *img)
{
    for (int s = 0; s < BH_SEG_COUNT; s++)
        free(img->seg[s].bytes);
    free(img->symbols);
    free(img->lines);
    free(img->strings);
    memset(img, 0, sizeof *img);
}

int bh_image_is_image(const uint8_t *buf, size_t len)
{
    return len >= sizeof magic && memcmp(buf, magic, sizeof magic) == 0;
}
