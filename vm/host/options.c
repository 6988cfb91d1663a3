/* options.c: the parser of the option table (options.h): one loop over
 * argv, one lookup over the rows, so every module's options take the same
 * forms and no module writes its own "--opt=VALUE or --opt VALUE" code. */
#include "host/options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The row whose long name is word[0..n) (exact: no abbreviations). */
static const struct bh_option *find_long(const struct bh_option_set *sets, size_t nsets,
                                         const char *word, size_t n,
                                         const struct bh_option_set **set)
{
    for (size_t s = 0; s < nsets; s++)
        for (size_t r = 0; r < sets[s].n; r++) {
            const char *name = sets[s].rows[r].name;
            if (name && strlen(name) == n && strncmp(name, word, n) == 0) {
                *set = &sets[s];
                return &sets[s].rows[r];
            }
        }
    return NULL;
}

static const struct bh_option *find_short(const struct bh_option_set *sets, size_t nsets, char c,
                                          const struct bh_option_set **set)
{
    for (size_t s = 0; s < nsets; s++)
        for (size_t r = 0; r < sets[s].n; r++)
            if (sets[s].rows[r].short_name == c) {
                *set = &sets[s];
                return &sets[s].rows[r];
            }
    return NULL;
}

/* The long name nearest to word[0..n), within two edits, or NULL. */
static const char *nearest_long(const struct bh_option_set *sets, size_t nsets, const char *word,
                                size_t n)
{
    char w[64];
    if (n >= sizeof w) return NULL;
    memcpy(w, word, n);
    w[n] = '\0';
    const char *best = NULL;
    size_t bd = 3;
    for (size_t s = 0; s < nsets; s++)
        for (size_t r = 0; r < sets[s].n; r++) {
            const char *name = sets[s].rows[r].name;
            size_t d = name && strlen(name) > 2 ? bh_edit_distance(w, name) : (size_t)-1;
            if (d < bd) bd = d, best = name;
        }
    return best;
}

/* The option at argv[*i] (advancing *i past a separate value): what its
 * handler returns, or -1 for an unknown option. */
static int one_option(const struct bh_option_set *sets, size_t nsets, int argc, char **argv, int *i,
                      char *err, size_t errlen)
{
    const char *a = argv[*i];
    const char *word = a + (a[1] == '-' ? 2 : 1);
    const char *eq = strchr(word, '=');
    size_t n = eq ? (size_t)(eq - word) : strlen(word);
    const struct bh_option_set *set = NULL;
    const struct bh_option *row = find_long(sets, nsets, word, n, &set);
    const char *value = NULL;
    if (row) {
        if (row->arg == BH_OPT_NONE && eq)
            row = NULL; /* --flag=VALUE: no such option */
        else if (eq)
            value = eq + 1;
        else if (row->arg != BH_OPT_NONE && *i + 1 < argc)
            value = argv[++*i];
    } else if (a[1] != '-' && (row = find_short(sets, nsets, a[1], &set)) != NULL) {
        if (a[2] && row->arg != BH_OPT_GLUED)
            row = NULL; /* -xyz is neither a long option nor -x */
        else if (a[2])
            value = a + 2;
        else if (row->arg != BH_OPT_NONE && *i + 1 < argc)
            value = argv[++*i];
    }
    if (!row) {
        bh_errf(err, errlen, "unknown option '%s'", a);
        const char *dash = a[1] == '-' ? "--" : "-", *near = nearest_long(sets, nsets, word, n);
        if (near && eq && strlen(near) == n && !strncmp(near, word, n))
            bh_err_help(err, errlen, "'%s%s' takes no value", dash, near);
        else if (near)
            bh_err_help(err, errlen, "did you mean '%s%s'?", dash, near);
        return -1;
    }
    return set->apply(set->ctx, row->id, value, err, errlen);
}

int bh_options_parse(const struct bh_option_set *sets, size_t nsets, int argc, char **argv,
                     bh_operand_fn operand, void *ctx, int *next, char *err, size_t errlen)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc;
        if (strcmp(a, "--") == 0)
            break;
        if (a[0] == '-' && a[1])
            rc = one_option(sets, nsets, argc, argv, &i, err, errlen);
        else if ((rc = operand(ctx, a, err, errlen)) == 1)
            break;
        if (rc != 0)
            return rc;
    }
    *next = i;
    return 0;
}

int bh_options_number(const char *v, int base, uint64_t *out)
{
    char *end;
    if (!v || *v < '0' || *v > '9')
        return -1;
    errno = 0;
    unsigned long long n = strtoull(v, &end, base);
    if (errno || *end)
        return -1;
    *out = n;
    return 0;
}

void bh_options_help(const struct bh_option_set *sets, size_t nsets, struct bh_buf *out)
{
    for (size_t s = 0; s < nsets; s++)
        for (size_t r = 0; r < sets[s].n; r++)
            bh_buf_append(out, sets[s].rows[r].help, strlen(sets[s].rows[r].help));
}
