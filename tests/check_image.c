/* check_image.c: the image writer and reader (common/image.c) and the
 * query helpers (common/image_query.c).  A small image is built in memory,
 * written, read back, and then damaged in every way the reader must catch,
 * each time checking the message says what is wrong. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bh_util.h"
#include "image.h"
#include "isa.h"

/* On-disk constants from docs/image-format.md (the test's own copy, so a
 * silent change of the format breaks the test). */
enum { HDR = 64, SECT = 20, T_TEXT = 1, T_DATA, T_KTEXT, T_KDATA, T_SYMBOLS, T_LINES, T_STRINGS };

static const char strtab[] = "\0prog.s\0snap.bin\0main\0msg\0handler";
#define S_FILE 1u
#define S_SNAP 8u
#define S_MAIN 17u
#define S_MSG 22u
#define S_HANDLER 26u

static uint32_t enc(enum isa_op op, uint32_t rs, uint32_t rt, uint32_t rd, uint32_t sa,
                    uint32_t imm)
{
    struct isa_fields f = {rs, rt, rd, sa, imm};
    return isa_encode(op, &f);
}

/* A small but complete image: text, data, ktext, symbols, lines, strings. */
static void build(struct bh_image *img)
{
    memset(img, 0, sizeof *img);
    uint32_t text[] = {
        enc(ISA_LUI, 0, 4, 0, 0, 0x1001),         /* main: lui $a0, 0x1001 */
        enc(ISA_ADDIU, 0, 2, 0, 0, 4),            /* addiu $v0, $zero, 4 */
        enc(ISA_SYSCALL, 0, 0, 0, 0, 0),          /* syscall */
        enc(ISA_SNAPSHOT, 0, 0, 0, 0, S_SNAP),    /* SNAPSHOT snap.bin */
        enc(ISA_BEQ, 0, 0, 0, 0, 0xfffb),         /* beq $zero, $zero, main */
        enc(ISA_J, 0, 0, 0, 0, 0x00400000u >> 2), /* j main */
    };
    uint32_t ktext[] = {enc(ISA_MFC0, 0, 26, 14, 0, 0), ISA_ERET_WORD};
    img->entry = BH_TEXT_BASE;
    img->flags = 0;
    img->seg[BH_SEG_TEXT].addr = BH_TEXT_BASE;
    img->seg[BH_SEG_TEXT].size = sizeof text;
    img->seg[BH_SEG_TEXT].bytes = malloc(sizeof text);
    for (size_t i = 0; i < sizeof text / 4; i++)
        bh_put32(img->seg[BH_SEG_TEXT].bytes + 4 * i, text[i]);
    img->seg[BH_SEG_DATA].addr = BH_DATA_BASE;
    img->seg[BH_SEG_DATA].size = 6; /* not a multiple of 4: data need not be */
    img->seg[BH_SEG_DATA].bytes = (uint8_t *)strdup("hello");
    img->seg[BH_SEG_KTEXT].addr = BH_EXC_VECTOR;
    img->seg[BH_SEG_KTEXT].size = sizeof ktext;
    img->seg[BH_SEG_KTEXT].bytes = malloc(sizeof ktext);
    for (size_t i = 0; i < 2; i++)
        bh_put32(img->seg[BH_SEG_KTEXT].bytes + 4 * i, ktext[i]);
    img->seg[BH_SEG_KDATA].addr = BH_KDATA_BASE;
    img->nsymbols = 3;
    img->symbols = calloc(3, sizeof *img->symbols);
    img->symbols[0] = (struct bh_symbol){S_MAIN, BH_TEXT_BASE, BH_SYM_TEXT, BH_SYM_GLOBAL};
    img->symbols[1] = (struct bh_symbol){S_MSG, BH_DATA_BASE, BH_SYM_DATA, 0};
    img->symbols[2] = (struct bh_symbol){S_HANDLER, BH_EXC_VECTOR, BH_SYM_KTEXT, 0};
    img->nlines = 4;
    img->lines = calloc(4, sizeof *img->lines);
    img->lines[0] = (struct bh_line){BH_TEXT_BASE, 3, S_FILE, BH_LINE_STMT};
    img->lines[1] = (struct bh_line){BH_TEXT_BASE + 4, 4, S_FILE, BH_LINE_STMT};
    img->lines[2] = (struct bh_line){BH_TEXT_BASE + 8, 4, S_FILE, 0};
    img->lines[3] = (struct bh_line){BH_EXC_VECTOR, 20, S_FILE, BH_LINE_STMT};
    img->strings_size = sizeof strtab;
    img->strings = malloc(sizeof strtab);
    memcpy(img->strings, strtab, sizeof strtab);
    img->source = S_FILE;
}

static uint8_t *written(size_t *len)
{
    struct bh_image img;
    build(&img);
    uint8_t *buf;
    char err[256] = "";
    int rc = bh_image_write(&img, &buf, len, err, sizeof err);
    ck_assert_msg(rc == 0, "write failed: %s", err);
    bh_image_free(&img);
    return buf;
}

/* Recompute the checksum after a deliberate edit, so the reader gets past
 * it to the check under test: every byte but the CRC field itself. */
static void reseal(uint8_t *buf, size_t len)
{
    uint32_t crc = bh_crc32c(0, buf, 32);
    crc = bh_crc32c(crc, buf + 36, len - 36);
    bh_put32(buf + 32, crc);
}

static uint8_t *section(uint8_t *buf, uint32_t type)
{
    uint32_t n = bh_get32(buf + 24);
    for (uint32_t i = 0; i < n; i++)
        if (bh_get32(buf + HDR + i * SECT) == type)
            return buf + HDR + i * SECT;
    ck_abort_msg("section %u not in the test image", type);
    return NULL;
}

static void expect_refused(const uint8_t *buf, size_t len, const char *needle)
{
    struct bh_image img;
    char err[256] = "";
    int rc = bh_image_read(buf, len, &img, err, sizeof err);
    ck_assert_msg(rc == -1, "accepted, expected \"%s\"", needle);
    ck_assert_msg(strncmp(err, "image: ", 7) == 0, "message lacks the prefix: %s", err);
    ck_assert_msg(strstr(err, needle), "message \"%s\" lacks \"%s\"", err, needle);
    ck_assert_ptr_null(img.seg[BH_SEG_TEXT].bytes);
    ck_assert_uint_eq(img.nsymbols, 0);
}

/* ---- round trip -------------------------------------------------------- */

START_TEST(round_trip)
{
    struct bh_image a, b;
    build(&a);
    size_t len;
    uint8_t *buf = written(&len);
    char err[256] = "";
    ck_assert_msg(bh_image_read(buf, len, &b, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(b.entry, a.entry);
    ck_assert_uint_eq(b.flags, a.flags);
    ck_assert_uint_eq(b.source, a.source);
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        ck_assert_uint_eq(b.seg[s].addr, a.seg[s].addr);
        ck_assert_uint_eq(b.seg[s].size, a.seg[s].size);
        if (a.seg[s].size)
            ck_assert_mem_eq(b.seg[s].bytes, a.seg[s].bytes, a.seg[s].size);
    }
    ck_assert_uint_eq(b.nsymbols, a.nsymbols);
    ck_assert_mem_eq(b.symbols, a.symbols, a.nsymbols * sizeof *a.symbols);
    ck_assert_uint_eq(b.nlines, a.nlines);
    ck_assert_mem_eq(b.lines, a.lines, a.nlines * sizeof *a.lines);
    ck_assert_uint_eq(b.strings_size, a.strings_size);
    ck_assert_mem_eq(b.strings, a.strings, a.strings_size);
    ck_assert(bh_image_hash(&a) == bh_image_hash(&b));

    /* Writing what was read gives the same bytes. */
    uint8_t *buf2;
    size_t len2;
    ck_assert(bh_image_write(&b, &buf2, &len2, err, sizeof err) == 0);
    ck_assert_uint_eq(len2, len);
    ck_assert_mem_eq(buf2, buf, len);
    ck_assert(bh_image_is_image(buf, len));
    free(buf2);
    free(buf);
    bh_image_free(&a);
    bh_image_free(&b);
}
END_TEST

START_TEST(minimal_image)
{
    /* Only text: no data, symbols, lines or strings. */
    struct bh_image a = {0}, b;
    uint8_t word[4];
    bh_put32(word, enc(ISA_SYSCALL, 0, 0, 0, 0, 0));
    a.entry = BH_TEXT_BASE;
    a.seg[BH_SEG_TEXT] = (struct bh_segment){BH_TEXT_BASE, 4, word};
    uint8_t *buf;
    size_t len;
    char err[256] = "";
    ck_assert_msg(bh_image_write(&a, &buf, &len, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(len, HDR + SECT + 4);
    ck_assert_msg(bh_image_read(buf, len, &b, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(b.seg[BH_SEG_DATA].addr, BH_DATA_BASE); /* absent: the default base */
    ck_assert_ptr_null(b.seg[BH_SEG_DATA].bytes);
    ck_assert_str_eq(bh_image_str(&b, 0), "");
    ck_assert(bh_image_hash(&a) == bh_image_hash(&b));
    bh_image_free(&b);
    free(buf);
}
END_TEST

START_TEST(load_file)
{
    size_t len;
    uint8_t *buf = written(&len);
    char path[] = "/tmp/check_image_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    char err[256] = "";
    ck_assert(bh_write_file_atomic(path, buf, len, err, sizeof err) == 0);
    struct bh_image img;
    ck_assert_msg(bh_image_load(path, &img, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(img.nsymbols, 3);
    bh_image_free(&img);
    /* A damaged file: the message names it. */
    ck_assert(bh_write_file_atomic(path, buf, len - 1, err, sizeof err) == 0);
    ck_assert(bh_image_load(path, &img, err, sizeof err) == -1);
    ck_assert_msg(strncmp(err, path, strlen(path)) == 0 && strstr(err, "truncated"), "%s", err);
    unlink(path);
    close(fd);
    ck_assert(bh_image_load(path, &img, err, sizeof err) == -1);
    ck_assert_msg(strstr(err, path) != NULL, "%s", err);
    free(buf);
}
END_TEST

START_TEST(writer_refuses_invalid)
{
    struct bh_image img;
    build(&img);
    img.entry = BH_DATA_BASE;
    uint8_t *buf;
    size_t len;
    char err[256] = "";
    ck_assert(bh_image_write(&img, &buf, &len, err, sizeof err) == -1);
    ck_assert_ptr_null(buf);
    ck_assert_msg(strstr(err, "cannot write") && strstr(err, "entry point"), "%s", err);
    bh_image_free(&img);
}
END_TEST

/* ---- damage ------------------------------------------------------------ */

START_TEST(truncated_everywhere)
{
    size_t len;
    uint8_t *buf = written(&len);
    for (size_t n = 0; n < len; n++) {
        uint8_t *copy = malloc(n ? n : 1); /* exact size: ASan sees overreads */
        memcpy(copy, buf, n);
        expect_refused(copy, n, "truncated");
        free(copy);
    }
    /* The message gives both sizes. */
    struct bh_image img;
    char err[256];
    bh_image_read(buf, 10, &img, err, sizeof err);
    ck_assert_str_eq(err, "image: truncated: header needs 64 bytes, file has 10");
    free(buf);
}
END_TEST

START_TEST(every_bit_flip)
{
    size_t len;
    uint8_t *buf = written(&len);
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            struct bh_image img;
            char err[256] = "";
            int rc = bh_image_read(buf, len, &img, err, sizeof err);
            ck_assert_msg(rc == -1, "flip of byte %zu bit %d accepted", i, bit);
            buf[i] ^= (uint8_t)(1u << bit);
        }
    free(buf);
}
END_TEST

START_TEST(trailing_data)
{
    size_t len;
    uint8_t *buf = written(&len);
    uint8_t *big = calloc(1, len + 3);
    memcpy(big, buf, len);
    expect_refused(big, len + 3, "3 bytes of trailing data");
    free(big);
    free(buf);
}
END_TEST

START_TEST(bad_magic)
{
    size_t len;
    uint8_t *buf = written(&len);
    memcpy(buf,
           "\x7f"
           "ELF",
           4);
    expect_refused(buf, len, "not a baby_hypervisor image");
    ck_assert(!bh_image_is_image(buf, len));
    expect_refused((const uint8_t *)"hello", 5, "not a baby_hypervisor image");
    free(buf);
}
END_TEST

START_TEST(future_version)
{
    size_t len;
    uint8_t *buf = written(&len);
    bh_put16(buf + 4, BH_IMAGE_VERSION + 1);
    reseal(buf, len);
    char want[128];
    snprintf(want, sizeof want, "format version %u not supported (this program reads version %u)",
             BH_IMAGE_VERSION + 1, BH_IMAGE_VERSION);
    expect_refused(buf, len, want);
    /* Even a file cut short says so first: the version decides the layout. */
    expect_refused(buf, 8, want);
    free(buf);
}
END_TEST

START_TEST(header_fields)
{
    size_t len;
    uint8_t *buf = written(&len);
    uint8_t *orig = malloc(len);
    memcpy(orig, buf, len);
#define RESTORE() memcpy(buf, orig, len)

    bh_put16(buf + 6, 80);
    reseal(buf, len);
    expect_refused(buf, len, "header size 80");
    RESTORE();

    /* A text-mode transfer turning CR LF into LF. */
    buf[8] = '\n';
    buf[9] = 0x1a;
    reseal(buf, len);
    expect_refused(buf, len, "line-ending detector damaged");
    RESTORE();

    uint32_t be = 0x04030201u; /* what a big-endian writer would leave */
    bh_put32(buf + 12, be);
    reseal(buf, len);
    expect_refused(buf, len, "wrong endianness");
    RESTORE();

    buf[40] = 1;
    reseal(buf, len);
    expect_refused(buf, len, "reserved header byte 40");
    RESTORE();

    bh_put32(buf + 20, 0x80);
    reseal(buf, len);
    expect_refused(buf, len, "unknown flags 0x00000080");
    RESTORE();

    bh_put32(buf + 16, BH_TEXT_BASE + 2);
    reseal(buf, len);
    expect_refused(buf, len, "entry point 0x00400002");
    RESTORE();

    bh_put32(buf + 36, 5000);
    reseal(buf, len);
    expect_refused(buf, len, "source file name offset 5000");
    RESTORE();
#undef RESTORE
    free(orig);
    free(buf);
}
END_TEST

START_TEST(checksum_mismatch)
{
    size_t len;
    uint8_t *buf = written(&len);
    uint32_t good = bh_get32(buf + 32);
    buf[len - 1] ^= 0x40;
    uint32_t bad = bh_crc32c(bh_crc32c(0, buf, 32), buf + 36, len - 36);
    char want[128];
    snprintf(want, sizeof want,
             "checksum mismatch: header says CRC32C 0x%08x, contents give 0x%08x", good, bad);
    expect_refused(buf, len, want);
    free(buf);
}
END_TEST

START_TEST(section_table)
{
    size_t len;
    uint8_t *buf = written(&len);
    uint8_t *orig = malloc(len);
    memcpy(orig, buf, len);
#define RESTORE() memcpy(buf, orig, len)
    uint8_t *e;

    e = section(buf, T_DATA);
    bh_put32(e, 99);
    reseal(buf, len);
    expect_refused(buf, len, "unknown type 99");
    RESTORE();

    e = section(buf, T_DATA);
    bh_put32(e, T_KTEXT);
    reseal(buf, len);
    expect_refused(buf, len, "second ktext section");
    RESTORE();

    bh_put32(buf + 24, 40);
    reseal(buf, len);
    expect_refused(buf, len, "40 sections");
    RESTORE();

    e = section(buf, T_TEXT);
    bh_put32(e + 8, 16);
    reseal(buf, len);
    expect_refused(buf, len, "overlaps the header");
    RESTORE();

    e = section(buf, T_STRINGS);
    bh_put32(e + 12, (uint32_t)len);
    reseal(buf, len);
    expect_refused(buf, len, "runs past the end of the file");
    RESTORE();

    e = section(buf, T_STRINGS);
    bh_put32(e + 8, 0xfffffff0u); /* offset + size wraps around 2^32 */
    reseal(buf, len);
    expect_refused(buf, len, "runs past the end of the file");
    RESTORE();

    e = section(buf, T_DATA);
    bh_put32(e + 8, bh_get32(section(buf, T_TEXT) + 8) + 4);
    reseal(buf, len);
    expect_refused(buf, len, "text and data sections overlap");
    RESTORE();

    e = section(buf, T_SYMBOLS);
    bh_put32(e + 16, 4);
    reseal(buf, len);
    expect_refused(buf, len, "symbols section: count 4 does not match its 36 bytes");
    RESTORE();

    e = section(buf, T_SYMBOLS);
    bh_put32(e + 4, 0x1000);
    reseal(buf, len);
    expect_refused(buf, len, "symbols section has address 0x00001000");
    RESTORE();

    e = section(buf, T_DATA);
    bh_put32(e + 16, 1);
    reseal(buf, len);
    expect_refused(buf, len, "data section: count 1");
    RESTORE();
#undef RESTORE
    free(orig);
    free(buf);
}
END_TEST

START_TEST(segments)
{
    size_t len;
    uint8_t *buf = written(&len);
    uint8_t *orig = malloc(len);
    memcpy(orig, buf, len);
#define RESTORE() memcpy(buf, orig, len)
    uint8_t *e;

    e = section(buf, T_TEXT);
    bh_put32(e + 12, bh_get32(e + 12) - 2);
    reseal(buf, len);
    expect_refused(buf, len, "must be multiples of 4");
    RESTORE();

    e = section(buf, T_TEXT);
    bh_put32(e + 4, BH_DATA_BASE);
    reseal(buf, len);
    expect_refused(buf, len,
                   "text segment at 0x10010000, outside its region [0x00400000, 0x10000000)");
    RESTORE();

    e = section(buf, T_KTEXT);
    bh_put32(e + 4, 0x8ffffffcu); /* 8 bytes from here cross into kdata */
    reseal(buf, len);
    expect_refused(buf, len, "runs past the end of its region 0x90000000");
    RESTORE();

    e = section(buf, T_DATA);
    bh_put32(e + 4, 0xfffffffcu);
    reseal(buf, len);
    expect_refused(buf, len, "data segment at 0xfffffffc, outside its region");
    RESTORE();

    /* An invalid word in text, checksum made right again. */
    e = section(buf, T_TEXT);
    bh_put32(buf + bh_get32(e + 8) + 4, 0xffffffffu);
    reseal(buf, len);
    expect_refused(buf, len, "text word at 0x00400004 is 0xffffffff, not a valid instruction");
    RESTORE();

    /* add with a non-zero sa field: MIPS says it must be 0. */
    e = section(buf, T_KTEXT);
    bh_put32(buf + bh_get32(e + 8), enc(ISA_ADD, 1, 2, 3, 0, 0) | 1u << 6);
    reseal(buf, len);
    expect_refused(buf, len, "ktext word at 0x80000180");
    RESTORE();

    /* SNAPSHOT naming a string offset past the string table. */
    e = section(buf, T_TEXT);
    bh_put32(buf + bh_get32(e + 8) + 12, enc(ISA_SNAPSHOT, 0, 0, 0, 0, 999));
    reseal(buf, len);
    expect_refused(buf, len, "SNAPSHOT at 0x0040000c names string offset 999");
    RESTORE();
#undef RESTORE
    free(orig);
    free(buf);
}
END_TEST

START_TEST(symbols_lines_strings)
{
    size_t len;
    uint8_t *buf = written(&len);
    uint8_t *orig = malloc(len);
    memcpy(orig, buf, len);
#define RESTORE() memcpy(buf, orig, len)
    uint8_t *sym = buf + bh_get32(section(buf, T_SYMBOLS) + 8);
    uint8_t *lin = buf + bh_get32(section(buf, T_LINES) + 8);
    uint8_t *str = buf + bh_get32(section(buf, T_STRINGS) + 8);
    uint32_t strsize = bh_get32(section(buf, T_STRINGS) + 12);

    bh_put32(sym + 12, 500); /* symbol 1's name */
    reseal(buf, len);
    expect_refused(buf, len, "symbol 1: name offset 500 outside the strings");
    RESTORE();

    sym[8] = 9;
    reseal(buf, len);
    expect_refused(buf, len, "symbol 0: unknown kind 9");
    RESTORE();

    sym[9] = 0x10;
    reseal(buf, len);
    expect_refused(buf, len, "symbol 0: unknown flags 0x10");
    RESTORE();

    sym[10] = 1;
    reseal(buf, len);
    expect_refused(buf, len, "symbol 0: padding");
    RESTORE();

    bh_put32(lin + 16, BH_TEXT_BASE); /* line 1 at the same address as line 0 */
    reseal(buf, len);
    expect_refused(buf, len, "line entry 1 (0x00400000) is not after the one before");
    RESTORE();

    bh_put32(lin + 48, BH_DATA_BASE); /* line 3 moved into data, still sorted */
    reseal(buf, len);
    expect_refused(buf, len, "line entry 3: address 0x10010000 is not an instruction");
    RESTORE();

    bh_put32(lin + 4, 0);
    reseal(buf, len);
    expect_refused(buf, len, "line entry 0: line 0");
    RESTORE();

    bh_put32(lin + 8, strsize);
    reseal(buf, len);
    expect_refused(buf, len, "line entry 0: file name offset");
    RESTORE();

    str[0] = 'x';
    reseal(buf, len);
    expect_refused(buf, len, "does not start with a NUL");
    RESTORE();

    str[strsize - 1] = 'x';
    reseal(buf, len);
    expect_refused(buf, len, "does not end with a NUL");
    RESTORE();
#undef RESTORE
    free(orig);
    free(buf);
}
END_TEST

/* ---- queries ----------------------------------------------------------- */

START_TEST(queries)
{
    struct bh_image img;
    build(&img);
    ck_assert_str_eq(bh_image_str(&img, S_SNAP), "snap.bin");
    ck_assert_str_eq(bh_image_str(&img, 0), "");
    ck_assert_str_eq(bh_image_str(&img, 100000), "");

    const struct bh_line *l = bh_image_line_at(&img, BH_TEXT_BASE + 8);
    ck_assert_ptr_nonnull(l);
    ck_assert_uint_eq(l->line, 4);
    ck_assert_uint_eq(l->flags, 0);
    ck_assert_ptr_null(bh_image_line_at(&img, BH_TEXT_BASE + 12));
    ck_assert_ptr_null(bh_image_line_at(&img, BH_TEXT_BASE + 2));
    l = bh_image_line_at(&img, BH_EXC_VECTOR);
    ck_assert_ptr_nonnull(l);
    ck_assert_uint_eq(l->line, 20);

    const struct bh_symbol *s = bh_image_symbol_before(&img, BH_TEXT_BASE + 12);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(bh_image_str(&img, s->name), "main");
    s = bh_image_symbol_before(&img, BH_DATA_BASE + 3);
    ck_assert_str_eq(bh_image_str(&img, s->name), "msg");
    s = bh_image_symbol_before(&img, BH_EXC_VECTOR + 4);
    ck_assert_str_eq(bh_image_str(&img, s->name), "handler");
    ck_assert_ptr_null(bh_image_symbol_before(&img, 0x00300000u));

    s = bh_image_symbol_named(&img, "msg");
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->value, BH_DATA_BASE);
    ck_assert_ptr_null(bh_image_symbol_named(&img, "nope"));
    bh_image_free(&img);
}
END_TEST

START_TEST(hash_identity)
{
    struct bh_image a, b;
    build(&a);
    build(&b);
    uint64_t h = bh_image_hash(&a);
    ck_assert(h == bh_image_hash(&b));
    /* Symbols, lines and strings are not part of the identity. */
    b.symbols[0].value += 4;
    b.nlines = 1;
    b.strings[1] = 'P';
    ck_assert(h == bh_image_hash(&b));
    /* Contents, addresses, entry and flags are. */
    b.seg[BH_SEG_DATA].bytes[0] ^= 1;
    ck_assert(h != bh_image_hash(&b));
    b.seg[BH_SEG_DATA].bytes[0] ^= 1;
    b.seg[BH_SEG_DATA].addr += 4;
    ck_assert(h != bh_image_hash(&b));
    b.seg[BH_SEG_DATA].addr -= 4;
    b.entry += 4;
    ck_assert(h != bh_image_hash(&b));
    b.entry -= 4;
    b.flags = BH_IMG_STARTUP;
    ck_assert(h != bh_image_hash(&b));
    b.flags = 0;
    ck_assert(h == bh_image_hash(&b));
    bh_image_free(&a);
    bh_image_free(&b);
}
END_TEST

START_TEST(crc32c_check_value)
{
    /* The standard CRC-32C check value (RFC 3720, B.4). */
    ck_assert_uint_eq(bh_crc32c(0, "123456789", 9), 0xe3069283u);
    /* Fed in pieces, the same. */
    ck_assert_uint_eq(bh_crc32c(bh_crc32c(0, "1234", 4), "56789", 5), 0xe3069283u);
}
END_TEST

Suite *image_suite(void)
{
    Suite *s = suite_create("image");
    TCase *t = tcase_create("round_trip");
    tcase_add_test(t, round_trip);
    tcase_add_test(t, minimal_image);
    tcase_add_test(t, load_file);
    tcase_add_test(t, writer_refuses_invalid);
    suite_add_tcase(s, t);
    t = tcase_create("damage");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, truncated_everywhere);
    tcase_add_test(t, every_bit_flip);
    tcase_add_test(t, trailing_data);
    tcase_add_test(t, bad_magic);
    tcase_add_test(t, future_version);
    tcase_add_test(t, header_fields);
    tcase_add_test(t, checksum_mismatch);
    tcase_add_test(t, section_table);
    tcase_add_test(t, segments);
    tcase_add_test(t, symbols_lines_strings);
    suite_add_tcase(s, t);
    t = tcase_create("queries");
    tcase_add_test(t, queries);
    tcase_add_test(t, hash_identity);
    tcase_add_test(t, crc32c_check_value);
    suite_add_tcase(s, t);
    return s;
}
