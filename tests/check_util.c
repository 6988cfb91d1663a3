/* check_util.c: bh_write_file_atomic (common/util.c), the crash-safe
 * writer of snapshots and images: a temporary left by a crashed writer is
 * reused and gone after the next write, and a name at the temporary that
 * is not a plain file of ours (a symbolic link, a file with other hard
 * links) is refused without touching what it leads to.  And the help
 * lines a message carries to the host (bh_err_help). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bh_util.h"

static char dir[64];
static char path[128], tmp[160], other[160];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/check_util_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/snap.bin", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    snprintf(other, sizeof other, "%s/other", dir);
}

static void teardown(void)
{
    unlink(path);
    unlink(tmp);
    unlink(other);
    rmdir(dir);
}

static void put(const char *p, const char *text)
{
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static int holds(const char *p, const char *text)
{
    uint8_t *buf;
    size_t len;
    char err[256];
    if (bh_read_file(p, &buf, &len, err, sizeof err) != 0)
        return 0;
    int same = len == strlen(text) && memcmp(buf, text, len) == 0;
    free(buf);
    return same;
}

START_TEST(crashed_temporary_is_reused)
{
    char err[256] = "";
    /* What a writer killed mid-write leaves: longer than the new file. */
    put(tmp, "half of an old snapshot, much longer than the new one");
    ck_assert_msg(bh_write_file_atomic(path, "new", 3, err, sizeof err) == 0, "%s", err);
    ck_assert(holds(path, "new"));
    ck_assert_int_eq(access(tmp, F_OK), -1);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0644);
}
END_TEST

START_TEST(foreign_temporary_is_refused)
{
    char err[256] = "";
    put(path, "old");
    put(other, "someone else's");
    ck_assert_int_eq(symlink(other, tmp), 0);
    ck_assert(bh_write_file_atomic(path, "new", 3, err, sizeof err) == -1);
    ck_assert_msg(strstr(err, tmp) != NULL, "%s", err);
    ck_assert(holds(other, "someone else's"));
    ck_assert(holds(path, "old"));
    unlink(tmp);
    ck_assert_int_eq(link(other, tmp), 0);
    ck_assert(bh_write_file_atomic(path, "new", 3, err, sizeof err) == -1);
    ck_assert_msg(strstr(err, "hard links") != NULL, "%s", err);
    ck_assert(holds(other, "someone else's"));
    ck_assert(holds(path, "old"));
}
END_TEST

START_TEST(help_follows_the_message)
{
    char err[128];
    ck_assert_int_eq(bh_errf(err, sizeof err, "x.snap: not a snapshot"), -1);
    ck_assert_int_eq(bh_err_help(err, sizeof err, "run %s", "--snapshot-info"), -1);
    ck_assert_str_eq(err, "x.snap: not a snapshot\n  help: run --snapshot-info");
    ck_assert_uint_eq(bh_err_len(err), strlen("x.snap: not a snapshot"));
    ck_assert_uint_eq(bh_err_len("no help"), 7);
}
END_TEST

START_TEST(help_never_overruns_a_full_buffer)
{
    char err[16 + 1];
    memset(err, 'a', 16);
    err[16] = '\0';
    bh_err_help(err, sizeof err, "never seen");
    ck_assert_str_eq(err, "aaaaaaaaaaaaaaaa");
    char small[24] = "message"; /* room for the prefix, not the whole help */
    bh_err_help(small, sizeof small, "a long help line");
    ck_assert_str_eq(small, "message\n  help: a long ");
}
END_TEST

START_TEST(edit_distance_counts_edits)
{
    ck_assert_uint_eq(bh_edit_distance("--stat", "--stats"), 1);
    ck_assert_uint_eq(bh_edit_distance("vm_bianry", "vm_binary"), 2);
    ck_assert_uint_eq(bh_edit_distance("", "abc"), 3);
    char big[80];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ck_assert_uint_eq(bh_edit_distance(big, "x"), (size_t)-1);
}
END_TEST

Suite *util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *th = tcase_create("messages");
    tcase_add_test(th, help_follows_the_message);
    tcase_add_test(th, help_never_overruns_a_full_buffer);
    tcase_add_test(th, edit_distance_counts_edits);
    suite_add_tcase(s, th);
    TCase *tc = tcase_create("write_file_atomic");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, crashed_temporary_is_reused);
    tcase_add_test(tc, foreign_temporary_is_refused);
    suite_add_tcase(s, tc);
    return s;
}
