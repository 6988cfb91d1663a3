/* options.h: myvmm's command line as one option table, as ninja's
 * kLongOptions[]: each host module contributes its rows (a set: the rows,
 * the handler that applies them, and the struct they fill), main puts the
 * sets together, and one parser walks argv against them.
 *
 * Accepted forms: --name, --name=VALUE, --name VALUE, and the same with a
 * single dash (-name VALUE, as SPIM's -file and -delayed_branches), and
 * short options -x, -x VALUE (-xVALUE only for rows that say so: -j4).
 * A value is the next argument whatever it looks like ("-v -x" runs a
 * file named -x), as before.  --help is the rows' help text, in order. */
#ifndef BH_OPTIONS_H
#define BH_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h"

enum bh_opt_arg {
    BH_OPT_NONE,  /* a flag (--name=VALUE is then an unknown option) */
    BH_OPT_VALUE, /* takes a value */
    BH_OPT_GLUED  /* takes a value, which may also follow the short name: -j4 */
};

struct bh_option {
    const char *name; /* the long name without dashes, or NULL */
    char short_name;  /* x for -x, or 0; neither name: a line of --help only */
    enum bh_opt_arg arg;
    int id;           /* what the set's handler is told (-1: a line of help) */
    const char *help; /* its lines of --help, verbatim ("" for none) */
};

/* Applies option id of a set to ctx.  value: the option's value, NULL for
 * a flag or when the value is missing (each option words that message).
 * 0 to go on, -1 with a message in err, > 0 to stop parsing (returned). */
typedef int (*bh_option_fn)(void *ctx, int id, const char *value, char *err, size_t errlen);

struct bh_option_set {
    const struct bh_option *rows;
    size_t n;
    bh_option_fn apply;
    void *ctx;
};

/* A word that is no option ("-" is one): 0 taken, 1 stop before it
 * (the rest belongs to someone else), -1 with a message in err. */
typedef int (*bh_operand_fn)(void *ctx, const char *arg, char *err, size_t errlen);

/* Walk argv[1..argc) against the sets.  0 when it stopped at *next: argc
 * (the end), a "--", or an operand that said stop.  > 0: what a handler
 * returned to stop.  -1: a usage error in err ("unknown option '-x'", or
 * a handler's message). */
int bh_options_parse(const struct bh_option_set *sets, size_t nsets, int argc, char **argv,
                     bh_operand_fn operand, void *ctx, int *next, char *err, size_t errlen);
/* The whole number v in base (10, or 0 for C's 0x and 0 prefixes), for
 * handlers: 0, or -1 when v is NULL, does not start with a digit, is too
 * large or has anything after the number (*out is then left alone). */
int bh_options_number(const char *v, int base, uint64_t *out);
/* Append every row's help text, set by set, to out. */
void bh_options_help(const struct bh_option_set *sets, size_t nsets, struct bh_buf *out);

#endif
