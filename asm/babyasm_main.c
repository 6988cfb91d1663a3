/* babyasm_main.c: the babyasm command line.
 *   babyasm prog.s [-o prog.bin] [-l]    assemble (default output: prog.bin)
 *   babyasm --elf prog.s [-o prog.elf]   an ELF file for gdb instead of the image
 *   babyasm -d prog.bin                  disassemble an image to source
 * Diagnostics go to stderr, the listing and disassembly to stdout; the exit
 * status is 1 on any error (and then no output file is written). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "babyasm.h"
#include "bh_util.h"

#define BABYASM_VERSION BH_VERSION

static void usage(FILE *f)
{
    fprintf(f, "usage: babyasm [-l] [--elf] [--bare] [--dialect spim|mars] [--delayed-branches]\n"
               "               [--delayed-loads] [-o OUT.bin] PROG.s\n"
               "       babyasm -d PROG.bin\n"
               "  -o FILE    write the image to FILE (default: PROG with .bin, or .elf)\n"
               "  -l         print a listing (address, word, source) to stdout\n"
               "  --elf, -g  write an ELF executable for gdb and binutils instead of the\n"
               "             image: sections, labels, DWARF source lines\n"
               "  --bare     SPIM's bare machine (spim -bare): machine instructions only,\n"
               "             16-bit immediates, $at free, .data at 0x10000000; the image\n"
               "             records both delay slots (as spim -bare implies them)\n"
               "  --dialect spim|mars\n"
               "             the syscall behaviour the image records (default: mars for a\n"
               "             .asm source, spim otherwise; docs/myvmm.md, Dialects)\n"
               "  --delayed-branches, --delayed-loads\n"
               "             the image records that it is written for branch (load) delay\n"
               "             slots: myvmm runs it with them\n"
               "  -d FILE    disassemble an image as source babyasm assembles back\n"
               "  -h, --help this help\n"
               "  --version  print the version\n");
}

static char *default_output(const char *in, const char *ext)
{
    size_t n = strlen(in);
    const char *dot = strrchr(in, '.');
    const char *slash = strrchr(in, '/');
    if (dot && (!slash || dot > slash) && dot != in)
        n = (size_t)(dot - in);
    char *out = malloc(n + 5);
    if (!out)
        return NULL;
    memcpy(out, in, n);
    memcpy(out + n, ext, 5);
    return out;
}

static int disassemble(const char *path)
{
    struct bh_image img;
    char err[512];
    if (bh_image_load(path, &img, err, sizeof err)) {
        fprintf(stderr, "babyasm: %s\n", err);
        return 1;
    }
    struct bh_buf out = {0};
    int rc = bh_disasm_image(&img, &out, err, sizeof err);
    if (rc)
        fprintf(stderr, "babyasm: %s: %s\n", path, err);
    else if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    bh_buf_free(&out);
    bh_image_free(&img);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *dis = NULL;
    int listing = 0, elf = 0;
    unsigned dialect = 0, bare = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("babyasm %s\n", BABYASM_VERSION);
            return 0;
        } else if (!strcmp(a, "-l")) {
            listing = 1;
        } else if (!strcmp(a, "--elf") || !strcmp(a, "-g")) {
            elf = 1;
        } else if (!strcmp(a, "--bare")) {
            bare = BH_ASM_BARE;
        } else if (!strcmp(a, "--dialect")) {
            const char *d = i + 1 < argc ? argv[++i] : "";
            if (!strcmp(d, "spim"))
                dialect = BH_ASM_DIALECT_SPIM;
            else if (!strcmp(d, "mars"))
                dialect = BH_ASM_DIALECT_MARS;
            else {
                fprintf(stderr, "babyasm: --dialect takes spim or mars, not '%s'\n", d);
                return 2;
            }
        } else if (!strcmp(a, "--delayed-branches")) {
            dialect |= BH_ASM_DELAYED_BRANCHES;
        } else if (!strcmp(a, "--delayed-loads")) {
            dialect |= BH_ASM_DELAYED_LOADS;
        } else if (!strcmp(a, "-o") || !strcmp(a, "-d")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "babyasm: %s needs a file name\n", a);
                return 2;
            }
            if (a[1] == 'o')
                out = argv[++i];
            else
                dis = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "babyasm: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (!in) {
            in = a;
        } else {
            fprintf(stderr, "babyasm: one source file at a time ('%s' and '%s')\n", in, a);
            return 2;
        }
    }
    if (dis) {
        if (in || out || listing || bare || elf) {
            fprintf(stderr, "babyasm: -d takes only the image to disassemble\n");
            return 2;
        }
        return disassemble(dis);
    }
    if (!in) {
        usage(stderr);
        return 2;
    }

    struct bh_image img;
    struct bh_asm_result res = {0};
    int rc = bh_asm_file(in, (listing ? BH_ASM_LISTING : 0) | dialect | bare, &img, &res);
    if (res.diag.len)
        fwrite(res.diag.data, 1, res.diag.len, stderr);
    if (rc) {
        if (res.errors > 1)
            fprintf(stderr, "%d errors\n", res.errors);
        bh_asm_result_free(&res);
        return 1;
    }
    if (listing && res.listing.len)
        fwrite(res.listing.data, 1, res.listing.len, stdout);
    bh_asm_result_free(&res);

    char *def = out ? NULL : default_output(in, elf ? ".elf" : ".bin");
    const char *path = out ? out : def;
    uint8_t *bytes = NULL;
    size_t len = 0;
    char err[512], cwd[4096];
    rc = 1;
    if (!path)
        fprintf(stderr, "babyasm: out of memory\n");
    else if (elf && !getcwd(cwd, sizeof cwd))
        fprintf(stderr, "babyasm: --elf: cannot tell the current folder (DW_AT_comp_dir): %s\n",
                strerror(errno));
    else if (elf ? bh_elf_write(&img, cwd, &bytes, &len, err, sizeof err)
                 : bh_image_write(&img, &bytes, &len, err, sizeof err))
        fprintf(stderr, "babyasm: %s\n", err);
    else if (bh_write_file_atomic(path, bytes, len, err, sizeof err))
        fprintf(stderr, "babyasm: cannot write %s: %s\n", path, err);
    else
        rc = 0;
    free(bytes);
    free(def);
    bh_image_free(&img);
    return rc;
}
