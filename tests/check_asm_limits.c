/* check_asm_limits.c: the assembler's budget (asm/asm_int.h, issue 12):
 * inputs that once ran for hours or filled the memory (a macro calling
 * itself twice, a file including itself twice, /dev/zero, a FIFO, .space
 * past the output limit) now stop with one error naming the chain, and
 * real programs well below the limits still assemble. */
#include <check.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asm_test_util.h"

/* ---- files in a temporary folder, for .include ------------------------- */

static char tmpdir[64];

static void tmp_setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/asm_limits.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void tmp_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *tmp_path(const char *name)
{
    static char p[128];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

static void tmp_write(const char *name, const char *text)
{
    FILE *f = fopen(tmp_path(name), "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* Assemble tmpdir/name, which must fail with exactly one error; returns the
 * diagnostics (the caller frees). */
static char *file_fails_once(const char *name)
{
    struct bh_image img;
    struct bh_asm_result res;
    memset(&res, 0, sizeof res);
    ck_assert_int_eq(bh_asm_file(tmp_path(name), 0, &img, &res), -1);
    bh_buf_put8(&res.diag, 0);
    ck_assert_msg(res.errors == 1, "%d errors:\n%s", res.errors, (char *)res.diag.data);
    char *d = strdup((char *)res.diag.data);
    bh_asm_result_free(&res);
    return d;
}

/* src must fail with exactly one error; returns the diagnostics. */
static char *fails_once(const char *src)
{
    struct bh_image img;
    struct bh_asm_result res;
    ck_assert_int_eq(asm_str(src, &img, &res), -1);
    ck_assert_msg(res.errors == 1, "%d errors:\n%.2000s", res.errors, (char *)res.diag.data);
    char *d = strdup((char *)res.diag.data);
    bh_asm_result_free(&res);
    return d;
}

/* ---- macros --------------------------------------------------------- */

START_TEST(test_macro_fan_out)
{
    /* Each chain stops at 32 levels, but there are 2^32 chains. */
    char *d = fails_once(".macro f(%a)\n\tf(%a)\n\tf(%a)\n.end_macro\nmain:\n\tf(1)\n");
    ck_assert_str_eq(d, "t.s:6:2: error: macro 'f' expands more than 32 levels deep (recursive?)\n"
                        "\tf(1)\n"
                        "\t^\n"
                        "t.s:2:2: note: in macro 'f' (32 levels deep) called at t.s:6\n"
                        "\tf(%a)\n"
                        "\t^\n");
    free(d);
}
END_TEST

/* Five macros, each calling the one below 20 times: no recursion, but
 * 20^5 statements. */
static char *wide_macros(int fan)
{
    struct bh_buf b = {0};
    bh_buf_printf(&b, ".macro m0\n\tnop\n.end_macro\n");
    for (int i = 1; i <= 5; i++) {
        bh_buf_printf(&b, ".macro m%d\n", i);
        for (int k = 0; k < fan; k++)
            bh_buf_printf(&b, "\tm%d\n", i - 1);
        bh_buf_printf(&b, ".end_macro\n");
    }
    bh_buf_printf(&b, "main:\n\tm5\n");
    bh_buf_put8(&b, 0);
    return (char *)b.data;
}

START_TEST(test_macro_statement_budget)
{
    char *src = wide_macros(20);
    char *d = fails_once(src);
    /* 3 lines for m0, 22 for each of the others, then main: and the use. */
    ck_assert_has(d, "t.s:115:2: error: expansion budget exceeded: more than 2000000 statements "
                     "after .include and macro expansion\n\tm5\n\t^\n");
    ck_assert_has(d, "t.s:2:2: note: in macro 'm0' called at t.s:");
    ck_assert_has(d, ", in macro 'm5' called at t.s:115\n\tnop\n");
    free(d);
    free(src);
}
END_TEST

START_TEST(test_macro_below_budget)
{
    /* 1,000,000 instructions from 1000 uses of a macro of 100 uses of a
     * macro of 10 instructions: well past a million statements after
     * expansion, and 4 MB of text. */
    const char *src = ".macro ten\n"
                      "\taddiu $t0, $t0, 1\n\taddiu $t0, $t0, 1\n\taddiu $t0, $t0, 1\n"
                      "\taddiu $t0, $t0, 1\n\taddiu $t0, $t0, 1\n\taddiu $t0, $t0, 1\n"
                      "\taddiu $t0, $t0, 1\n\taddiu $t0, $t0, 1\n\taddiu $t0, $t0, 1\n"
                      "\taddiu $t0, $t0, 1\n"
                      ".end_macro\n";
    struct bh_buf b = {0};
    bh_buf_printf(&b, "%s.macro hundred\n", src);
    for (int i = 0; i < 100; i++)
        bh_buf_printf(&b, "\tten\n");
    bh_buf_printf(&b, ".end_macro\nmain:\n");
    for (int i = 0; i < 1000; i++)
        bh_buf_printf(&b, "\thundred\n");
    bh_buf_put8(&b, 0);
    struct bh_image img;
    struct bh_asm_result res;
    memset(&res, 0, sizeof res);
    int rc = bh_asm_source("t.s", (char *)b.data, b.len - 1, 0, &img, &res);
    bh_buf_put8(&res.diag, 0);
    ck_assert_msg(rc == 0, "%.2000s", (char *)res.diag.data);
    /* SPIM's 9 start-up words, then the million. */
    ck_assert_uint_eq(img.seg[BH_SEG_TEXT].size, 4u * (9 + 1000000));
    bh_image_free(&img);
    bh_asm_result_free(&res);
    bh_buf_free(&b);
}
END_TEST

/* ---- .include ------------------------------------------------------- */

START_TEST(test_include_self_twice)
{
    tmp_write("self.s", ".include \"self.s\"\n.include \"self.s\"\n");
    char *d = file_fails_once("self.s");
    ck_assert_has(d, "/self.s:1:1: error: .include nested more than 32 deep\n"
                     ".include \"self.s\"\n^\n");
    ck_assert_has(d, "/self.s:1:1: note: in \"");
    ck_assert_has(d, "/self.s\" (32 levels deep) included at ");
    free(d);
}
END_TEST

START_TEST(test_include_dev_zero)
{
    char *d = fails_once("main: nop\n.include \"/dev/zero\"\n");
    ck_assert_str_eq(d, "t.s:2:10: error: cannot include: /dev/zero: is not a regular file (a FIFO "
                        "or a device?)\n"
                        ".include \"/dev/zero\"\n"
                        "         ^\n");
    free(d);
}
END_TEST

START_TEST(test_include_proc_file)
{
    /* Regular, but of size 0 with text behind it: read no further. */
    char *d = fails_once("main: nop\n.include \"/proc/self/status\"\n");
    ck_assert_str_eq(d, "t.s:2:10: error: cannot include: /proc/self/status: longer than its size "
                        "says (changing, or not a plain file)\n"
                        ".include \"/proc/self/status\"\n"
                        "         ^\n");
    free(d);
}
END_TEST

START_TEST(test_include_folder)
{
    ck_assert_int_eq(mkdir(tmp_path("dir"), 0700), 0);
    tmp_write("main.s", "main: nop\n.include \"dir\"\n");
    char *d = file_fails_once("main.s");
    ck_assert_has(d, "/main.s:2:10: error: cannot include: ");
    ck_assert_has(d, "/dir: is a folder, not a file\n.include \"dir\"\n         ^\n");
    free(d);
}
END_TEST

START_TEST(test_include_fifo)
{
    /* No writer ever opens it: a blocking open would wait for ever. */
    ck_assert_int_eq(mkfifo(tmp_path("fifo"), 0600), 0);
    tmp_write("main.s", "main: nop\n.include \"fifo\"\n");
    char *d = file_fails_once("main.s");
    ck_assert_has(d, "/fifo: is not a regular file (a FIFO or a device?)\n");
    ck_assert_has(d, "/main.s:2:10: error: cannot include: ");
    free(d);
}
END_TEST

START_TEST(test_include_bytes_budget)
{
    /* A sparse file one byte over 64 MiB: refused by its size, unread. */
    int fd = open(tmp_path("big.s"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (64 << 20) + 1), 0);
    close(fd);
    tmp_write("main.s", "main: nop\n.include \"big.s\"\n");
    char *d = file_fails_once("main.s");
    ck_assert_has(d, "/main.s:2:1: error: include budget exceeded: '");
    ck_assert_has(d, "/big.s' would take the included text past 67108864 bytes\n");
    free(d);
}
END_TEST

START_TEST(test_include_count_budget)
{
    tmp_write("empty.s", "");
    struct bh_buf b = {0};
    bh_buf_printf(&b, "main: nop\n");
    for (int i = 0; i < 65537; i++)
        bh_buf_printf(&b, ".include \"empty.s\"\n");
    bh_buf_put8(&b, 0);
    tmp_write("main.s", (char *)b.data);
    bh_buf_free(&b);
    char *d = file_fails_once("main.s");
    ck_assert_has(d, "/main.s:65538:1: error: include budget exceeded: more than 65536 .include "
                     "directives carried out\n");
    free(d);
}
END_TEST

/* ---- output --------------------------------------------------------- */

START_TEST(test_output_space)
{
    char *d = fails_once("main: nop\n.data\n.space 0x800000\n.space 0x800000\n.byte 1\n");
    /* 36 + 4 bytes of text and 16 MiB of data: the second .space is over. */
    ck_assert_str_eq(d, "t.s:4:1: error: output budget exceeded: the segments would hold more than "
                        "16777216 bytes\n"
                        ".space 0x800000\n"
                        "^\n");
    free(d);
}
END_TEST

START_TEST(test_output_far_address)
{
    /* A gap is output too: zeros up to the new address. */
    char *d = fails_once(".data\n.byte 1\n.data 0x7f000000\n.byte 2\n");
    ck_assert_has(d, "t.s:3:1: error: output budget exceeded");
    free(d);
    d = fails_once(".data\n.word 0:0x1000000\n");
    ck_assert_has(d, "t.s:2:1: error: output budget exceeded");
    free(d);
}
END_TEST

START_TEST(test_output_at_limit)
{
    /* Exactly 16 MiB: text 36 + 4 bytes, the rest data. */
    char src[128];
    snprintf(src, sizeof src, "main: nop\n.data\n.space %u\n", (16u << 20) - 40);
    struct bh_image img;
    struct bh_asm_result res;
    ck_assert_msg(asm_str(src, &img, &res) == 0, "%s", (char *)res.diag.data);
    ck_assert_uint_eq(img.seg[BH_SEG_TEXT].size + img.seg[BH_SEG_DATA].size, 16u << 20);
    bh_image_free(&img);
    bh_asm_result_free(&res);
}
END_TEST

START_TEST(test_large_program)
{
    /* 100,000 lines (3 a loop, plus main and the data): labels, branches, loads, data. */
    struct bh_buf b = {0};
    bh_buf_printf(&b, "main:\n");
    for (int i = 0; i < 33300; i++)
        bh_buf_printf(&b, "L%d:\taddiu $t0, $t0, %d\n\tlw $t1, v%d\n\tbne $t0, $t1, L%d\n", i, i,
                      i % 100, i);
    bh_buf_printf(&b, ".data\n");
    for (int i = 0; i < 100; i++)
        bh_buf_printf(&b, "v%d: .word %d\n", i, i);
    bh_buf_put8(&b, 0);
    struct bh_image img;
    struct bh_asm_result res;
    memset(&res, 0, sizeof res);
    int rc = bh_asm_source("t.s", (char *)b.data, b.len - 1, 0, &img, &res);
    bh_buf_put8(&res.diag, 0);
    ck_assert_msg(rc == 0, "%.2000s", (char *)res.diag.data);
    ck_assert_uint_gt(img.seg[BH_SEG_TEXT].size, 4u * 33300 * 3);
    bh_image_free(&img);
    bh_asm_result_free(&res);
    bh_buf_free(&b);
}
END_TEST

Suite *asm_limits_suite(void)
{
    Suite *s = suite_create("asm_limits");
    TCase *t = tcase_create("limits");
    /* Generous for sanitizer builds; a regression hangs and fails here. */
    tcase_set_timeout(t, 60);
    tcase_add_checked_fixture(t, tmp_setup, tmp_teardown);
    tcase_add_test(t, test_macro_fan_out);
    tcase_add_test(t, test_macro_statement_budget);
    tcase_add_test(t, test_macro_below_budget);
    tcase_add_test(t, test_include_self_twice);
    tcase_add_test(t, test_include_dev_zero);
    tcase_add_test(t, test_include_proc_file);
    tcase_add_test(t, test_include_folder);
    tcase_add_test(t, test_include_fifo);
    tcase_add_test(t, test_include_bytes_budget);
    tcase_add_test(t, test_include_count_budget);
    tcase_add_test(t, test_output_space);
    tcase_add_test(t, test_output_far_address);
    tcase_add_test(t, test_output_at_limit);
    tcase_add_test(t, test_large_program);
    suite_add_tcase(s, t);
    return s;
}
