/* check_fpfmt.c: the float text of syscalls 2, 3, 6, 7 (common/fpfmt.c)
 * against what real spim 8.0 and real MARS 4.5 (on JDK 25) printed and
 * read, recorded by tests/fpfmt/regen.py into tests/fpfmt/spim.expected
 * and tests/fpfmt/mars.expected (edge values: zeros, denormals, extremes,
 * NaN, infinities, the 10^-3 and 10^7 switches, 9- and 17-digit values,
 * ties; inputs Java refuses and C accepts).  Also: a short buffer, the
 * caller's rounding mode and flags, and the length of the line honoured. */
#include <check.h>
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bh_fpfmt.h"

/* One request as tests/fpfmt/fpfmt_cli.c takes it; the answer into out. */
static void answer(const char *req, char *out, size_t n)
{
    const char *sp = strchr(req, ' ');
    ck_assert_ptr_nonnull(sp);
    size_t oplen = (size_t)(sp - req);
    const char *arg = sp + 1;
    enum bh_fp_style st = req[oplen - 1] == 'm' ? BH_FP_MARS : BH_FP_SPIM;
    if (req[0] == 'f') {
        uint32_t b = (uint32_t)strtoul(arg, NULL, 16);
        float v;
        memcpy(&v, &b, 4);
        bh_fmt_float(out, n, v, st);
    } else if (req[0] == 'd') {
        uint64_t b = strtoull(arg, NULL, 16);
        double v;
        memcpy(&v, &b, 8);
        bh_fmt_double(out, n, v, st);
    } else if (req[1] == 'f') {
        float v;
        uint32_t b;
        if (bh_parse_float(arg, strlen(arg), &v, st) != 0) {
            snprintf(out, n, "error");
            return;
        }
        memcpy(&b, &v, 4);
        snprintf(out, n, "%08x", b);
    } else {
        double v;
        uint64_t b;
        if (bh_parse_double(arg, strlen(arg), &v, st) != 0) {
            snprintf(out, n, "error");
            return;
        }
        memcpy(&b, &v, 8);
        snprintf(out, n, "%016llx", (unsigned long long)b);
    }
}

/* Every "REQUEST<TAB>ANSWER" line of path (run from the top of the tree);
 * returns the number of lines, fails on the first few that differ. */
static int compare_file(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s (run from the top of the tree)", path);
    char line[1024], got[BH_FP_TEXT_MAX];
    int n = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *tab = strrchr(line, '\t');
        ck_assert_msg(tab != NULL, "%s: no tab in '%s'", path, line);
        *tab = '\0';
        answer(line, got, sizeof got);
        if (strcmp(got, tab + 1) != 0 && bad++ < 5)
            fprintf(stderr, "%s: '%s': recorded '%s', ours '%s'\n", path, line, tab + 1, got);
        n++;
    }
    fclose(f);
    ck_assert_msg(bad == 0, "%s: %d of %d lines differ", path, bad, n);
    return n;
}

START_TEST(recorded_spim)
{
    ck_assert_int_ge(compare_file("tests/fpfmt/spim.expected"), 150);
}
END_TEST

START_TEST(recorded_mars)
{
    ck_assert_int_ge(compare_file("tests/fpfmt/mars.expected"), 150);
}
END_TEST

START_TEST(short_buffer)
{
    char buf[4];
    ck_assert_uint_eq(bh_fmt_double(buf, sizeof buf, 0.1, BH_FP_SPIM), 20);
    ck_assert_str_eq(buf, "0.1");
    ck_assert_uint_eq(bh_fmt_float(buf, sizeof buf, -1.5e10f, BH_FP_MARS), 7);
    ck_assert_str_eq(buf, "-1.");
    ck_assert_uint_eq(bh_fmt_float(NULL, 0, -FLT_MAX, BH_FP_SPIM), 49);
    ck_assert_uint_lt(49, BH_FP_TEXT_MAX);
}
END_TEST

/* The guest's rounding mode (FCSR) may be the host's when a syscall runs:
 * the text must not change with it, and the host's flags must stay. */
START_TEST(rounding_mode_and_flags_kept)
{
    char buf[BH_FP_TEXT_MAX];
    float f = 0;
    double d = 0;
    ck_assert_int_eq(fesetround(FE_DOWNWARD), 0);
    feclearexcept(FE_ALL_EXCEPT);
    bh_fmt_double(buf, sizeof buf, 1.0 / 3, BH_FP_SPIM);
    ck_assert_str_eq(buf, "0.333333333333333315");
    bh_fmt_double(buf, sizeof buf, 0.1, BH_FP_MARS);
    ck_assert_str_eq(buf, "0.1");
    bh_fmt_float(buf, sizeof buf, 0.3f, BH_FP_MARS);
    ck_assert_str_eq(buf, "0.3");
    ck_assert_int_eq(bh_parse_float("0.1", 3, &f, BH_FP_SPIM), 0);
    ck_assert(f == 0.1f);
    ck_assert_int_eq(bh_parse_double("0.1", 3, &d, BH_FP_MARS), 0);
    int raised = fetestexcept(FE_ALL_EXCEPT), mode = fegetround();
    fesetround(FE_TONEAREST);
    ck_assert(d == 0.1);
    ck_assert_int_eq(mode, FE_DOWNWARD);
    ck_assert_int_eq(raised, 0);
}
END_TEST

START_TEST(length_is_honoured)
{
    double d = 0;
    float f = 0;
    ck_assert_int_eq(bh_parse_double("1.5e3", 3, &d, BH_FP_SPIM), 0);
    ck_assert(d == 1.5);
    ck_assert_int_eq(bh_parse_double("1.5e3", 3, &d, BH_FP_MARS), 0);
    ck_assert(d == 1.5);
    ck_assert_int_eq(bh_parse_float("12x", 2, &f, BH_FP_MARS), 0);
    ck_assert(f == 12);
    /* SPIM's atof stops at a NUL; Java's trim drops one at the end only. */
    ck_assert_int_eq(bh_parse_double("2\0005", 3, &d, BH_FP_SPIM), 0);
    ck_assert(d == 2);
    ck_assert_int_eq(bh_parse_double("2.5\0", 4, &d, BH_FP_MARS), 0);
    ck_assert(d == 2.5);
    d = 42;
    ck_assert_int_eq(bh_parse_double("2\0005", 3, &d, BH_FP_MARS), -1);
    ck_assert(d == 42); /* refused: *out untouched */
    ck_assert_int_eq(bh_parse_double("", 0, &d, BH_FP_SPIM), 0);
    ck_assert(d == 0);
    ck_assert_int_eq(bh_parse_double("", 0, &d, BH_FP_MARS), -1);
}
END_TEST

/* Lines longer than the stack copy: a number with 300 zeros, both ways. */
START_TEST(long_line)
{
    char line[400];
    memset(line, '0', sizeof line);
    memcpy(line, "0.", 2);
    line[302] = '1';
    double d = 0;
    float f = 1;
    ck_assert_int_eq(bh_parse_double(line, 303, &d, BH_FP_SPIM), 0);
    ck_assert(d == 1e-301);
    d = 0;
    ck_assert_int_eq(bh_parse_double(line, 303, &d, BH_FP_MARS), 0);
    ck_assert(d == 1e-301);
    ck_assert_int_eq(bh_parse_float(line, 303, &f, BH_FP_MARS), 0);
    ck_assert(f == 0 && !signbit(f));
    line[303] = 'x';
    ck_assert_int_eq(bh_parse_double(line, 304, &d, BH_FP_MARS), -1);
}
END_TEST

Suite *fpfmt_suite(void)
{
    Suite *s = suite_create("fpfmt");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, recorded_spim);
    tcase_add_test(tc, recorded_mars);
    tcase_add_test(tc, short_buffer);
    tcase_add_test(tc, rounding_mode_and_flags_kept);
    tcase_add_test(tc, length_is_honoured);
    tcase_add_test(tc, long_line);
    suite_add_tcase(s, tc);
    return s;
}
