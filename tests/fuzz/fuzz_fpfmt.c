/* fuzz_fpfmt.c: libFuzzer target for the float text of syscalls 2, 3, 6, 7
 * (common/fpfmt.c), whose read side parses the guest's input lines.
 *
 * Any bytes, as a line in both styles: SPIM style never refuses; MARS style
 * either refuses or gives a value.  Every value read, and the first bytes
 * taken as float and double bits, must format in both styles within
 * BH_FP_TEXT_MAX, with the length returned; MARS's text must read back (in
 * MARS style) to the same value, as Java's does.
 *
 * BH_FUZZ_WRITE_SEED=dir writes one seed file per line of
 * tests/fpfmt/inputs.txt into dir and exits (tests/e2e/fuzz_fpfmt.sh).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bh_fpfmt.h"

static void check_float(float v)
{
    char buf[BH_FP_TEXT_MAX];
    for (int s = BH_FP_SPIM; s <= BH_FP_MARS; s++) {
        size_t n = bh_fmt_float(buf, sizeof buf, v, (enum bh_fp_style)s);
        if (n >= sizeof buf || n != strlen(buf))
            abort();
    }
    float back;
    if (bh_parse_float(buf, strlen(buf), &back, BH_FP_MARS) != 0)
        abort();
    if (isnan(v) ? !isnan(back) : memcmp(&v, &back, sizeof v) != 0)
        abort();
}

static void check_double(double v)
{
    char buf[BH_FP_TEXT_MAX];
    for (int s = BH_FP_SPIM; s <= BH_FP_MARS; s++) {
        size_t n = bh_fmt_double(buf, sizeof buf, v, (enum bh_fp_style)s);
        if (n >= sizeof buf || n != strlen(buf))
            abort();
    }
    double back;
    if (bh_parse_double(buf, strlen(buf), &back, BH_FP_MARS) != 0)
        abort();
    if (isnan(v) ? !isnan(back) : memcmp(&v, &back, sizeof v) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *line = (const char *)data;
    float f;
    double d;
    if (bh_parse_float(line, size, &f, BH_FP_SPIM) != 0 ||
        bh_parse_double(line, size, &d, BH_FP_SPIM) != 0)
        abort(); /* SPIM never refuses */
    check_float(f);
    check_double(d);
    int rf = bh_parse_float(line, size, &f, BH_FP_MARS);
    int rd = bh_parse_double(line, size, &d, BH_FP_MARS);
    if (rf != rd)
        abort(); /* Java's syntax is the same for both */
    if (rf == 0) {
        check_float(f);
        check_double(d);
    }
    if (size >= 8) {
        memcpy(&f, data, 4);
        memcpy(&d, data, 8);
        check_float(f);
        check_double(d);
    }
    return 0;
}

static int write_seeds(const char *dir)
{
    FILE *in = fopen("tests/fpfmt/inputs.txt", "r");
    if (!in) {
        perror("fuzz_fpfmt: tests/fpfmt/inputs.txt");
        return 1;
    }
    char line[512], path[1024];
    int i = 0;
    while (fgets(line, sizeof line, in)) {
        snprintf(path, sizeof path, "%s/seed%03d", dir, i++);
        FILE *out = fopen(path, "w");
        if (!out || fputs(line, out) == EOF || fclose(out) != 0) {
            perror(path);
            return 1;
        }
    }
    fclose(in);
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *seed = getenv("BH_FUZZ_WRITE_SEED");
    if (seed)
        exit(write_seeds(seed));
    return 0;
}
