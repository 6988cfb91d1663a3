/* check_dwarf.c: the DWARF writer (asm/dwarf.c).  LEB128 against the
 * DWARF standard's own examples and a decoder of the test's own; the line
 * program of small assembled programs run through a line-program
 * interpreter written here from the DWARF 3 standard (6.2), whose rows
 * must be the image's line table entry for entry; the compile unit read
 * through its abbreviation. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "asm_test_util.h"
#include "dwarf.h"

/* ---- the test's own readers ---------------------------------------------- */

struct rd {
    const uint8_t *p;
    size_t n, off;
};

static uint8_t u8(struct rd *r)
{
    ck_assert_uint_lt(r->off, r->n);
    return r->p[r->off++];
}

static uint32_t u16(struct rd *r)
{
    uint32_t v = u8(r);
    return v | (uint32_t)u8(r) << 8;
}

static uint32_t u32(struct rd *r)
{
    uint32_t v = u16(r);
    return v | u16(r) << 16;
}

static uint64_t uleb(struct rd *r)
{
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
        uint8_t b = u8(r);
        ck_assert_int_lt(shift, 64);
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
}

static int64_t sleb(struct rd *r)
{
    uint64_t v = 0;
    int shift = 0;
    uint8_t b;
    do {
        b = u8(r);
        ck_assert_int_lt(shift, 64);
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40))
        v |= ~(uint64_t)0 << shift;
    return (int64_t)v;
}

static const char *cstr(struct rd *r)
{
    const char *s = (const char *)r->p + r->off;
    size_t n = strnlen(s, r->n - r->off);
    ck_assert_uint_lt(n, r->n - r->off);
    r->off += n + 1;
    return s;
}

/* ---- LEB128 -------------------------------------------------------------- */

static void expect_bytes(const struct bh_buf *b, const uint8_t *want, size_t n)
{
    ck_assert_uint_eq(b->len, n);
    ck_assert_mem_eq(b->data, want, n);
}

/* DWARF 3, section 7.6, figures 22 and 23. */
START_TEST(test_leb128_standard_examples)
{
    static const struct {
        uint64_t v;
        uint8_t b[3];
        size_t n;
    } u[] = {{2, {2}, 1},         {127, {0x7f}, 1},    {128, {0x80, 1}, 2},
             {129, {0x81, 1}, 2}, {130, {0x82, 1}, 2}, {12857, {0xb9, 0x64}, 2}};
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
        struct bh_buf b = {0};
        asm_dwarf_uleb(&b, u[i].v);
        expect_bytes(&b, u[i].b, u[i].n);
        bh_buf_free(&b);
    }
    static const struct {
        int64_t v;
        uint8_t b[3];
        size_t n;
    } s[] = {
        {2, {2}, 1},         {-2, {0x7e}, 1},         {127, {0xff, 0}, 2}, {-127, {0x81, 0x7f}, 2},
        {128, {0x80, 1}, 2}, {-128, {0x80, 0x7f}, 2}, {129, {0x81, 1}, 2}, {-129, {0xff, 0x7e}, 2}};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        struct bh_buf b = {0};
        asm_dwarf_sleb(&b, s[i].v);
        expect_bytes(&b, s[i].b, s[i].n);
        bh_buf_free(&b);
    }
}
END_TEST

START_TEST(test_leb128_round_trip)
{
    /* Every power of two and its neighbours, both signs, and the ends. */
    struct bh_buf b = {0};
    uint64_t uv[64 * 3 + 2];
    int64_t sv[64 * 6 + 2];
    size_t nu = 0, ns = 0;
    for (int k = 0; k < 64; k++) {
        uint64_t p = (uint64_t)1 << k;
        uv[nu++] = p - 1, uv[nu++] = p, uv[nu++] = p + 1;
        int64_t q = k < 63 ? (int64_t)p : INT64_MAX;
        sv[ns++] = q - 1, sv[ns++] = q, sv[ns++] = k < 63 ? q + 1 : INT64_MIN;
        sv[ns++] = -q, sv[ns++] = -q + 1, sv[ns++] = -q - 1;
    }
    uv[nu++] = UINT64_MAX;
    sv[ns++] = INT64_MIN;
    for (size_t i = 0; i < nu; i++)
        asm_dwarf_uleb(&b, uv[i]);
    for (size_t i = 0; i < ns; i++)
        asm_dwarf_sleb(&b, sv[i]);
    struct rd r = {b.data, b.len, 0};
    for (size_t i = 0; i < nu; i++)
        ck_assert_uint_eq(uleb(&r), uv[i]);
    for (size_t i = 0; i < ns; i++)
        ck_assert_int_eq(sleb(&r), sv[i]);
    ck_assert_uint_eq(r.off, b.len);
    bh_buf_free(&b);
    /* The longest: ten bytes, the last 1. */
    struct bh_buf m = {0};
    asm_dwarf_uleb(&m, UINT64_MAX);
    ck_assert_uint_eq(m.len, 10);
    ck_assert_uint_eq(m.data[9], 1);
    bh_buf_free(&m);
}
END_TEST

/* ---- the line program ------------------------------------------------------ */

struct row {
    uint32_t addr, line;
    const char *file;
    int stmt, end;
};

struct rows {
    struct row v[256];
    int n;
    const char *files[16];
    int nfiles;
};

/* Run the line program in b (one unit) as DWARF 3, 6.2.5, says. */
static void interpret(const struct bh_buf *b, struct rows *out)
{
    memset(out, 0, sizeof *out);
    struct rd r = {b->data, b->len, 0};
    uint32_t unit_length = u32(&r);
    ck_assert_uint_eq(unit_length, b->len - 4);
    ck_assert_uint_eq(u16(&r), 3);
    uint32_t header_length = u32(&r);
    size_t program = r.off + header_length;
    uint8_t min_insn = u8(&r), default_is_stmt = u8(&r);
    int8_t line_base = (int8_t)u8(&r);
    uint8_t line_range = u8(&r), opcode_base = u8(&r);
    ck_assert_uint_gt(line_range, 0);
    uint8_t lengths[256] = {0};
    for (int i = 1; i < opcode_base; i++)
        lengths[i] = u8(&r);
    while (*cstr(&r)) /* include_directories */
        ;
    for (;;) {
        const char *name = cstr(&r);
        if (!*name)
            break;
        ck_assert_uint_eq(uleb(&r), 0); /* directory */
        uleb(&r), uleb(&r);
        ck_assert_int_lt(out->nfiles, 16);
        out->files[out->nfiles++] = name;
    }
    ck_assert_uint_eq(r.off, program);
    uint32_t addr = 0, file = 1, line = 1;
    int stmt = default_is_stmt;
#define EMIT(is_end)                                                                               \
    do {                                                                                           \
        ck_assert_int_lt(out->n, 256);                                                             \
        ck_assert_uint_ge(file, 1);                                                                \
        ck_assert_uint_le(file, (uint32_t)out->nfiles);                                            \
        out->v[out->n++] = (struct row){addr, line, out->files[file - 1], stmt, is_end};           \
    } while (0)
    while (r.off < r.n) {
        uint8_t op = u8(&r);
        if (op >= opcode_base) {
            int adj = op - opcode_base;
            addr += (uint32_t)(adj / line_range) * min_insn;
            line += (uint32_t)(line_base + adj % line_range);
            EMIT(0);
        } else if (op == 0) {
            uint64_t len = uleb(&r);
            size_t end = r.off + len;
            uint8_t ext = u8(&r);
            if (ext == 1) { /* DW_LNE_end_sequence */
                EMIT(1);
                addr = 0, file = 1, line = 1, stmt = default_is_stmt;
            } else if (ext == 2) { /* DW_LNE_set_address */
                ck_assert_uint_eq(len, 5);
                addr = u32(&r);
            } else {
                ck_abort_msg("unexpected extended opcode %u", ext);
            }
            ck_assert_uint_eq(r.off, end);
        } else if (op == 1) { /* DW_LNS_copy */
            EMIT(0);
        } else if (op == 2) { /* DW_LNS_advance_pc */
            addr += (uint32_t)uleb(&r) * min_insn;
        } else if (op == 3) { /* DW_LNS_advance_line */
            line += (uint32_t)sleb(&r);
        } else if (op == 4) { /* DW_LNS_set_file */
            file = (uint32_t)uleb(&r);
        } else if (op == 6) { /* DW_LNS_negate_stmt */
            stmt = !stmt;
        } else {
            for (int i = 0; i < lengths[op]; i++)
                uleb(&r);
        }
    }
#undef EMIT
}

/* The rows must be the image's line table, entry for entry, and each
 * sequence must end right after its last word. */
static void expect_rows_are_lines(const struct bh_image *img, const struct rows *rows)
{
    uint32_t k = 0;
    for (int i = 0; i < rows->n; i++) {
        const struct row *w = &rows->v[i];
        if (w->end) {
            ck_assert_uint_gt(k, 0);
            ck_assert_uint_eq(w->addr, img->lines[k - 1].addr + 4);
            ck_assert(k == img->nlines || img->lines[k].addr != w->addr);
            continue;
        }
        ck_assert_uint_lt(k, img->nlines);
        const struct bh_line *l = &img->lines[k++];
        ck_assert_uint_eq(w->addr, l->addr);
        ck_assert_uint_eq(w->line, l->line);
        ck_assert_str_eq(w->file, bh_image_str(img, l->file));
        ck_assert_int_eq(w->stmt, (l->flags & BH_LINE_STMT) != 0);
    }
    ck_assert_uint_eq(k, img->nlines);
    ck_assert(rows->n > 0 && rows->v[rows->n - 1].end);
}

static void build(const char *src, struct bh_image *img, struct asm_dwarf *d)
{
    struct bh_asm_result res;
    int rc = asm_str_flags(src, 0, img, &res);
    ck_assert_msg(rc == 0, "%s", (char *)res.diag.data);
    bh_asm_result_free(&res);
    char err[256];
    ck_assert_int_eq(asm_dwarf_build(img, "/src", "babyasm test", d, err, sizeof err), 0);
}

START_TEST(test_line_program_tiny)
{
    /* Line 2's li is two words (the second not a statement start); text
     * and ktext are two sequences; the start-up code has no rows. */
    static const char src[] = "main:\n"
                              "\tli $t0, 0x12345678\n"
                              "\taddu $t1, $t0, $t0\n"
                              "\n"
                              "\tjr $ra\n"
                              "\t.ktext 0x80000180\n"
                              "\teret\n";
    struct bh_image img;
    struct asm_dwarf d;
    build(src, &img, &d);
    struct rows rows;
    interpret(&d.line, &rows);
    ck_assert_int_eq(rows.nfiles, 1);
    ck_assert_str_eq(rows.files[0], "t.s");
    expect_rows_are_lines(&img, &rows);
    /* What the image says, written out: the interpreter and the image
     * agree with the source, not only with each other. */
    static const struct row want[] = {
        {0x00400024, 2, "t.s", 1, 0}, {0x00400028, 2, "t.s", 0, 0}, {0x0040002c, 3, "t.s", 1, 0},
        {0x00400030, 5, "t.s", 1, 0}, {0x00400034, 5, "t.s", 1, 1}, {0x80000180, 7, "t.s", 1, 0},
        {0x80000184, 7, "t.s", 1, 1},
    };
    ck_assert_int_eq(rows.n, 7);
    for (int i = 0; i < 7; i++) {
        ck_assert_uint_eq(rows.v[i].addr, want[i].addr);
        ck_assert_uint_eq(rows.v[i].line, want[i].line);
        ck_assert_int_eq(rows.v[i].stmt, want[i].stmt);
        ck_assert_int_eq(rows.v[i].end, want[i].end);
    }
    asm_dwarf_free(&d);
    bh_image_free(&img);
}
END_TEST

START_TEST(test_line_program_files_gaps_jumps)
{
    /* Other files (.file N/.loc), a line far ahead and back (advance_line
     * with both signs), a gap in .text (a new sequence), data in text. */
    static const char src[] = ".file 1 \"lib/other.s\"\n"
                              "main:\n"
                              "\taddu $t0, $t0, $t0\n"
                              ".loc 1 100000\n"
                              "\taddu $t1, $t1, $t1\n"
                              ".loc 1 3\n"
                              "\taddu $t2, $t2, $t2\n"
                              ".file 2 \"third.s\"\n"
                              ".loc 2 9\n"
                              "\tjr $ra\n"
                              "\t.text 0x00400100\n"
                              ".loc 1 4\n"
                              "\t.word 7\n"
                              "\tnop\n";
    struct bh_image img;
    struct asm_dwarf d;
    build(src, &img, &d);
    struct rows rows;
    interpret(&d.line, &rows);
    ck_assert_int_eq(rows.nfiles, 3);
    ck_assert_str_eq(rows.files[0], "t.s");
    ck_assert_str_eq(rows.files[1], "lib/other.s");
    ck_assert_str_eq(rows.files[2], "third.s");
    expect_rows_are_lines(&img, &rows);
    int ends = 0, far = 0;
    for (int i = 0; i < rows.n; i++) {
        ends += rows.v[i].end;
        far += rows.v[i].line == 100000;
    }
    ck_assert_int_eq(ends, 2);
    ck_assert_int_eq(far, 1);
    ck_assert_uint_eq(rows.v[rows.n - 1].addr, 0x00400108);
    asm_dwarf_free(&d);
    bh_image_free(&img);
}
END_TEST

/* ---- the compile unit ------------------------------------------------------ */

START_TEST(test_compile_unit)
{
    static const char src[] = "main: jr $ra\n .ktext\n eret\n .data\nx: .word 1\n";
    struct bh_image img;
    struct asm_dwarf d;
    build(src, &img, &d);
    /* The abbreviation: code 1, DW_TAG_compile_unit, no children, pairs. */
    struct rd a = {d.abbrev.data, d.abbrev.len, 0};
    ck_assert_uint_eq(uleb(&a), 1);
    ck_assert_uint_eq(uleb(&a), 0x11);
    ck_assert_uint_eq(u8(&a), 0);
    uint64_t attr[16], form[16];
    int n = 0;
    for (;;) {
        ck_assert_int_lt(n, 16);
        attr[n] = uleb(&a), form[n] = uleb(&a);
        if (!attr[n] && !form[n])
            break;
        n++;
    }
    ck_assert_uint_eq(uleb(&a), 0);
    ck_assert_uint_eq(a.off, a.n);
    /* The unit, read by the forms. */
    struct rd r = {d.info.data, d.info.len, 0};
    ck_assert_uint_eq(u32(&r), d.info.len - 4);
    ck_assert_uint_eq(u16(&r), 3);
    ck_assert_uint_eq(u32(&r), 0);
    ck_assert_uint_eq(u8(&r), 4);
    ck_assert_uint_eq(uleb(&r), 1);
    struct attr {
        uint64_t at;
        const char *s;
        int64_t v;
    } v[16];
    for (int i = 0; i < n; i++) {
        v[i] = (struct attr){attr[i], NULL, -1};
        if (form[i] == 0x08) /* DW_FORM_string */
            v[i].s = cstr(&r);
        else if (form[i] == 0x05) /* DW_FORM_data2 */
            v[i].v = u16(&r);
        else if (form[i] == 0x06 || form[i] == 0x01) /* DW_FORM_data4, DW_FORM_addr */
            v[i].v = u32(&r);
        else
            ck_abort_msg("unexpected form 0x%x", (unsigned)form[i]);
    }
    ck_assert_uint_eq(r.off, r.n);
    /* Each attribute once, with its value. */
    static const uint64_t want_at[] = {0x03, 0x1b, 0x25, 0x13, 0x10, 0x11, 0x55};
    ck_assert_int_eq(n, 7);
    const struct attr *by[7] = {0};
    for (int k = 0; k < 7; k++)
        for (int i = 0; i < n; i++)
            if (v[i].at == want_at[k]) {
                ck_assert_ptr_null(by[k]);
                by[k] = &v[i];
            }
    for (int k = 0; k < 7; k++)
        ck_assert_msg(by[k] != NULL, "no attribute 0x%x", (unsigned)want_at[k]);
    ck_assert_str_eq(by[0]->s, "t.s");          /* DW_AT_name */
    ck_assert_str_eq(by[1]->s, "/src");         /* DW_AT_comp_dir */
    ck_assert_str_eq(by[2]->s, "babyasm test"); /* DW_AT_producer */
    ck_assert_int_eq(by[3]->v, 0x8001);         /* DW_AT_language: DW_LANG_Mips_Assembler */
    ck_assert_int_eq(by[4]->v, 0);              /* DW_AT_stmt_list */
    ck_assert_int_eq(by[5]->v, 0);              /* DW_AT_low_pc: the ranges' base */
    ck_assert_int_eq(by[6]->v, 0);              /* DW_AT_ranges */
    /* The ranges: text (with the start-up code) and ktext, not data. */
    struct rd g = {d.ranges.data, d.ranges.len, 0};
    ck_assert_uint_eq(u32(&g), BH_TEXT_BASE);
    ck_assert_uint_eq(u32(&g), img.seg[BH_SEG_TEXT].addr + img.seg[BH_SEG_TEXT].size);
    ck_assert_uint_eq(u32(&g), BH_KTEXT_BASE);
    ck_assert_uint_eq(u32(&g), BH_KTEXT_BASE + 4);
    ck_assert_uint_eq(u32(&g), 0);
    ck_assert_uint_eq(u32(&g), 0);
    ck_assert_uint_eq(g.off, g.n);
    asm_dwarf_free(&d);
    bh_image_free(&img);
}
END_TEST

Suite *dwarf_suite(void)
{
    Suite *s = suite_create("dwarf");
    TCase *l = tcase_create("leb128");
    tcase_add_test(l, test_leb128_standard_examples);
    tcase_add_test(l, test_leb128_round_trip);
    suite_add_tcase(s, l);
    TCase *p = tcase_create("line_program");
    tcase_add_test(p, test_line_program_tiny);
    tcase_add_test(p, test_line_program_files_gaps_jumps);
    suite_add_tcase(s, p);
    TCase *u = tcase_create("unit");
    tcase_add_test(u, test_compile_unit);
    suite_add_tcase(s, u);
    return s;
}
