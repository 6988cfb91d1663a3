/* check_options.c: the option table (vm/host/options.c) on a small table
 * of its own: every accepted form, the stops, today's messages; and
 * myvmm's own table (run_options.c): --help byte for byte as the checked
 * copy tests/cli/myvmm_help.txt, every row named in it, every option it
 * names a row. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/options.h"
#include "host/run_options.h"

enum { T_FLAG, T_VALUE, T_JOBS, T_STOP };

static const struct bh_option trows[] = {
    {"flag", 'f', BH_OPT_NONE, T_FLAG, "  -f, --flag\n"},
    {"value", 0, BH_OPT_VALUE, T_VALUE, "  --value V\n"},
    {"jobs", 'j', BH_OPT_GLUED, T_JOBS, "  -j N, --jobs N\n"},
    {"stop", 0, BH_OPT_NONE, T_STOP, "  --stop\n"},
    {NULL, 0, BH_OPT_NONE, -1, "a line of help\n"},
};

/* What the handlers saw. */
struct seen {
    int flags;
    const char *value, *jobs;
    const char *ops[8];
    int nops;
    int op_limit; /* the operand after this many stops parsing */
    int next;
    char err[256];
};

static int tapply(void *ctx, int id, const char *v, char *err, size_t errlen)
{
    struct seen *s = ctx;
    switch (id) {
    case T_FLAG:
        s->flags++;
        return 0;
    case T_VALUE:
        if (!v)
            return bh_errf(err, errlen, "--value needs a value");
        s->value = v;
        return 0;
    case T_JOBS:
        if (!v)
            return bh_errf(err, errlen, "-j needs a number");
        s->jobs = v;
        return 0;
    case T_STOP:
        return 7;
    }
    return 0;
}

static int toperand(void *ctx, const char *a, char *err, size_t errlen)
{
    struct seen *s = ctx;
    (void)err;
    (void)errlen;
    if (s->nops == s->op_limit)
        return 1;
    s->ops[s->nops++] = a;
    return 0;
}

/* Parse the words of line (split at spaces) after a program name. */
static int parse(struct seen *s, const char *line)
{
    static char buf[256];
    char *argv[32] = {"prog"};
    int argc = 1;
    snprintf(buf, sizeof buf, "%s", line);
    for (char *w = strtok(buf, " "); w && argc < 31; w = strtok(NULL, " "))
        argv[argc++] = w;
    memset(s, 0, sizeof *s);
    s->op_limit = 8;
    struct bh_option_set set = {trows, sizeof trows / sizeof trows[0], tapply, s};
    return bh_options_parse(&set, 1, argc, argv, toperand, s, &s->next, s->err, sizeof s->err);
}

START_TEST(test_options_forms)
{
    static const char *const value_forms[] = {"--value a", "--value=a", "-value a", "-value=a"};
    struct seen s;
    for (size_t i = 0; i < sizeof value_forms / sizeof value_forms[0]; i++) {
        ck_assert_int_eq(parse(&s, value_forms[i]), 0);
        ck_assert_msg(s.value && strcmp(s.value, "a") == 0, "%s", value_forms[i]);
        ck_assert_int_eq(s.nops, 0);
    }
    static const char *const jobs_forms[] = {"-j 4", "-j4", "--jobs 4", "--jobs=4", "-jobs 4"};
    for (size_t i = 0; i < sizeof jobs_forms / sizeof jobs_forms[0]; i++) {
        ck_assert_int_eq(parse(&s, jobs_forms[i]), 0);
        ck_assert_msg(s.jobs && strcmp(s.jobs, "4") == 0, "%s", jobs_forms[i]);
    }
    ck_assert_int_eq(parse(&s, "-f --flag -flag"), 0);
    ck_assert_int_eq(s.flags, 3);
    /* a value is the next argument whatever it looks like */
    ck_assert_int_eq(parse(&s, "--value --flag"), 0);
    ck_assert_str_eq(s.value, "--flag");
    ck_assert_int_eq(s.flags, 0);
    ck_assert_int_eq(parse(&s, "--value="), 0);
    ck_assert_str_eq(s.value, "");
}
END_TEST

START_TEST(test_options_errors)
{
    static const char *const unknown[] = {
        "--nope", "-x", "--flag=1", "-fx", "--val", "--f", "-flagx", "--j4",
    };
    /* the help line each carries: a near name, or that a flag takes no value */
    static const char *const help[] = {
        "", "", "\n  help: '--flag' takes no value", "", "\n  help: did you mean '--value'?",
        "", "\n  help: did you mean '-flag'?", "",
    };
    struct seen s;
    char want[96];
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        ck_assert_msg(parse(&s, unknown[i]) == -1, "%s accepted", unknown[i]);
        snprintf(want, sizeof want, "unknown option '%s'%s", unknown[i], help[i]);
        ck_assert_str_eq(s.err, want);
    }
    /* a missing value reaches the handler as NULL: it words the message */
    ck_assert_int_eq(parse(&s, "--value"), -1);
    ck_assert_str_eq(s.err, "--value needs a value");
    ck_assert_int_eq(parse(&s, "-j"), -1);
    ck_assert_str_eq(s.err, "-j needs a number");
}
END_TEST

START_TEST(test_options_stops)
{
    struct seen s;
    /* options and operands mix until an operand says stop */
    ck_assert_int_eq(parse(&s, "a -f b"), 0);
    ck_assert_int_eq(s.nops, 2);
    ck_assert_int_eq(s.flags, 1);
    ck_assert_int_eq(s.next, 4);
    memset(&s, 0, sizeof s);
    char *argv[] = {"prog", "a", "-f", "b", "--nope"};
    s.op_limit = 1;
    struct bh_option_set set = {trows, sizeof trows / sizeof trows[0], tapply, &s};
    ck_assert_int_eq(bh_options_parse(&set, 1, 5, argv, toperand, &s, &s.next, s.err, 64), 0);
    ck_assert_int_eq(s.next, 3); /* at "b": --nope is not looked at */
    ck_assert_int_eq(s.flags, 1);
    /* "--" ends the options; "-" is an operand */
    ck_assert_int_eq(parse(&s, "- -- --value x"), 0);
    ck_assert_int_eq(s.next, 2);
    ck_assert_int_eq(s.nops, 1);
    ck_assert_str_eq(s.ops[0], "-");
    ck_assert_ptr_null(s.value);
    /* a handler's stop comes back, and what follows is not parsed */
    ck_assert_int_eq(parse(&s, "--stop --nope"), 7);
}
END_TEST

START_TEST(test_options_help)
{
    struct seen s;
    struct bh_option_set set = {trows, sizeof trows / sizeof trows[0], tapply, &s};
    struct bh_buf b = {0};
    bh_options_help(&set, 1, &b);
    bh_buf_append(&b, "", 1);
    ck_assert_str_eq((char *)b.data,
                     "  -f, --flag\n  --value V\n  -j N, --jobs N\n  --stop\na line of help\n");
    bh_buf_free(&b);
}
END_TEST

/* ---- myvmm's own table ---- */

static struct bh_option_set sets[BH_RUN_NSETS];
static struct bh_snap_cli snap;
static struct bh_display_cli disp;
static struct bh_mig_cli mig;
static int threads;

static int never(void *ctx, int id, const char *v, char *err, size_t errlen)
{
    (void)ctx, (void)id, (void)v;
    return bh_errf(err, errlen, "not called");
}

static char *myvmm_help(void)
{
    struct bh_buf b = {0};
    bh_run_option_sets(sets, never, NULL, &threads, &snap, &disp, &mig);
    bh_run_help(sets, &b);
    bh_buf_append(&b, "", 1);
    return (char *)b.data;
}

START_TEST(test_myvmm_help_text)
{
    char *help = myvmm_help();
    FILE *f = fopen("tests/cli/myvmm_help.txt", "rb");
    ck_assert_msg(f != NULL, "tests/cli/myvmm_help.txt (run from the top of the tree)");
    static char want[16384]; /* the help is past 8 KiB since --jit* and --net, --pcap */
    size_t n = fread(want, 1, sizeof want - 1, f);
    fclose(f);
    want[n] = '\0';
    size_t i = 0; /* the first difference, not two whole texts: Check's messages are short */
    while (help[i] && help[i] == want[i])
        i++;
    ck_assert_msg(help[i] == want[i],
                  "--help differs from the copy at byte %zu: '%.40s' for '%.40s'", i, help + i,
                  want + i);
    free(help);
}
END_TEST

/* Is "-x" or "--name" in text as a whole word? */
static int names(const char *text, const char *opt)
{
    size_t n = strlen(opt);
    for (const char *p = strstr(text, opt); p; p = strstr(p + 1, opt)) {
        char after = p[n];
        int starts = p == text || p[-1] == ' ' || p[-1] == '[' || p[-1] == '\n';
        if (starts && (after == ' ' || after == ',' || after == '\n' || after == ')'))
            return 1;
    }
    return 0;
}

static const struct bh_option *row_named(const char *name, size_t n)
{
    for (int s = 0; s < BH_RUN_NSETS; s++)
        for (size_t r = 0; r < sets[s].n; r++) {
            const char *rn = sets[s].rows[r].name;
            if (rn && strlen(rn) == n && strncmp(rn, name, n) == 0)
                return &sets[s].rows[r];
        }
    return NULL;
}

START_TEST(test_myvmm_rows)
{
    char *help = myvmm_help();
    char opt[64];
    for (int s = 0; s < BH_RUN_NSETS; s++)
        for (size_t r = 0; r < sets[s].n; r++) {
            const struct bh_option *row = &sets[s].rows[r];
            if (row->name) {
                /* SPIM's options are listed with one dash, as SPIM spells them */
                snprintf(opt, sizeof opt, "--%s", row->name);
                ck_assert_msg(names(help, opt) || names(help, opt + 1), "row %s is not in --help",
                              opt);
                ck_assert_msg(row_named(row->name, strlen(row->name)) == row, "two rows named %s",
                              opt);
            }
            if (row->short_name) {
                snprintf(opt, sizeof opt, "-%c", row->short_name);
                ck_assert_msg(names(help, opt), "row %s is not in --help", opt);
            }
            if (!row->name && !row->short_name)
                ck_assert_msg(row->id == -1 && strstr(row->help, "  --") == NULL,
                              "a line of help lists an option: %s", row->help);
        }
    /* every --name that --help mentions is a row */
    for (const char *p = strstr(help, "--"); p; p = strstr(p + 2, "--")) {
        size_t n = 0;
        while (islower((unsigned char)p[2 + n]) || p[2 + n] == '-')
            n++;
        if (n)
            ck_assert_msg(row_named(p + 2, n) != NULL, "--help names --%.*s: no such row", (int)n,
                          p + 2);
    }
    free(help);
}
END_TEST

Suite *options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("parser");
    tcase_add_test(tc, test_options_forms);
    tcase_add_test(tc, test_options_errors);
    tcase_add_test(tc, test_options_stops);
    tcase_add_test(tc, test_options_help);
    suite_add_tcase(s, tc);
    tc = tcase_create("myvmm");
    tcase_add_test(tc, test_myvmm_help_text);
    tcase_add_test(tc, test_myvmm_rows);
    suite_add_tcase(s, tc);
    return s;
}
