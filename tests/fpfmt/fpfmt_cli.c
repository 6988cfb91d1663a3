/* fpfmt_cli.c: common/fpfmt.c on the command line, for tests/fpfmt/regen.sh
 * and tests/e2e/fpfmt_*.sh.  Reads requests from stdin, one a line, and
 * writes one answer line each:
 *   fs HEX / fm HEX    float with these bits, SPIM / MARS text
 *   ds HEX / dm HEX    double with these bits, SPIM / MARS text
 *   rfs TEXT / rfm TEXT / rds TEXT / rdm TEXT
 *                      read TEXT (the rest of the line) as a float/double in
 *                      SPIM/MARS style: the result's bits in hex, or "error"
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bh_fpfmt.h"

int main(void)
{
    char line[4096], out[BH_FP_TEXT_MAX];
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        char *sp = strchr(line, ' ');
        if (!sp) {
            fprintf(stderr, "fpfmt_cli: bad request '%s'\n", line);
            return 2;
        }
        *sp = '\0';
        const char *op = line, *arg = sp + 1;
        size_t alen = len - (size_t)(arg - line);
        enum bh_fp_style st = op[strlen(op) - 1] == 'm' ? BH_FP_MARS : BH_FP_SPIM;
        if (op[0] == 'f' || op[0] == 'd') {
            uint64_t bits = strtoull(arg, NULL, 16);
            if (op[0] == 'f') {
                uint32_t b = (uint32_t)bits;
                float v;
                memcpy(&v, &b, 4);
                bh_fmt_float(out, sizeof out, v, st);
            } else {
                double v;
                memcpy(&v, &bits, 8);
                bh_fmt_double(out, sizeof out, v, st);
            }
            puts(out);
        } else if (!strcmp(op, "rfs") || !strcmp(op, "rfm")) {
            float v;
            uint32_t b;
            if (bh_parse_float(arg, alen, &v, st) != 0) {
                puts("error");
                continue;
            }
            memcpy(&b, &v, 4);
            printf("%08x\n", b);
        } else if (!strcmp(op, "rds") || !strcmp(op, "rdm")) {
            double v;
            uint64_t b;
            if (bh_parse_double(arg, alen, &v, st) != 0) {
                puts("error");
                continue;
            }
            memcpy(&b, &v, 8);
            printf("%016llx\n", (unsigned long long)b);
        } else {
            fprintf(stderr, "fpfmt_cli: bad request '%s'\n", op);
            return 2;
        }
    }
    return 0;
}
