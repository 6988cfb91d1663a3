/* fuzz_asm.c: libFuzzer target for the assembler (asm/, through
 * include/babyasm.h as babyasm and myvmm use it).
 *
 * Any bytes are a source file: bh_asm_source either refuses them with at
 * least one "file:line:col: error:" diagnostic and no image, or accepts
 * them without errors, and the image it makes must write out and read back
 * (the reader checks every text word decodes) with the same identity hash,
 * and become an ELF file (babyasm --elf) that libelf reads back.
 * The budget (asm/asm_int.h) keeps every input short and small.
 *
 * .include resolves against the working directory: a temporary folder made
 * here and removed at once (a removed working folder stays usable and holds
 * nothing, so nothing is left behind however libFuzzer exits).  The input
 * reaches only the files it names by absolute path, and only reads them.
 * Nothing is written but the ELF writer's anonymous temporary file.
 */
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "babyasm.h"
#include "bh_util.h"
#include "image.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/fuzz_asm.XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0 || rmdir(dir) != 0) {
        perror("fuzz_asm: an empty working folder");
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bh_image img;
    struct bh_asm_result res;
    memset(&res, 0, sizeof res);
    int rc = bh_asm_source("fuzz.s", (const char *)data, size, BH_ASM_LISTING, &img, &res);
    if (rc != 0) {
        /* Refused: at least one error, said in the diagnostics, no image. */
        if (res.errors == 0 || res.diag.len == 0 || img.seg[0].bytes || img.symbols)
            abort();
        bh_asm_result_free(&res);
        return 0;
    }
    if (res.errors != 0)
        abort();
    uint8_t *out;
    size_t len;
    char err[256];
    if (bh_image_write(&img, &out, &len, err, sizeof err) != 0) {
        fprintf(stderr, "assembled image does not write: %s\n", err);
        abort();
    }
    struct bh_image back;
    if (bh_image_read(out, len, &back, err, sizeof err) != 0) {
        fprintf(stderr, "assembled image does not read back: %s\n", err);
        abort();
    }
    if (bh_image_hash(&back) != bh_image_hash(&img))
        abort();
    free(out);
    if (bh_elf_write(&img, "/", &out, &len, err, sizeof err) != 0) {
        fprintf(stderr, "assembled image does not make an ELF file: %s\n", err);
        abort();
    }
    Elf *e = elf_memory((char *)out, len);
    if (!e || elf_kind(e) != ELF_K_ELF || !elf32_getehdr(e)) {
        fprintf(stderr, "libelf does not read the ELF file back: %s\n", elf_errmsg(-1));
        abort();
    }
    elf_end(e);
    free(out);
    bh_image_free(&back);
    bh_image_free(&img);
    bh_asm_result_free(&res);
    return 0;
}
