/* fuzz_image.c: libFuzzer target for the image reader (common/image.c).
 *
 * Any bytes: bh_image_read either refuses them with an "image: " message or
 * accepts them; an accepted image must survive every query helper and the
 * disassembler, write back, read back with the same identity hash, and
 * write back again to the same bytes.
 *
 * BH_FUZZ_WRITE_SEED=path writes a small valid image to path and exits:
 * tests/e2e/fuzz_image.sh seeds its corpus with it (plus whatever babyasm
 * assembles), since a random start almost never passes the checksum.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "image.h"
#include "isa.h"

static const char *sym_name(void *ctx, uint32_t addr)
{
    const struct bh_image *img = ctx;
    const struct bh_symbol *s = bh_image_symbol_before(img, addr);
    return s && s->value == addr ? bh_image_str(img, s->name) : NULL;
}

static const char *str_at(void *ctx, uint32_t off)
{
    return bh_image_str(ctx, off);
}

static void exercise(const struct bh_image *img)
{
    char line[160];
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        const struct bh_segment *seg = &img->seg[s];
        if (s != BH_SEG_TEXT && s != BH_SEG_KTEXT)
            continue;
        for (uint32_t i = 0; i + 4 <= seg->size; i += 4) {
            uint32_t w = bh_get32(seg->bytes + i);
            const struct bh_line *l = bh_image_line_at(img, seg->addr + i);
            if (isa_decode(w) == ISA_INVALID && !(l && (l->flags & BH_LINE_DATA)))
                abort(); /* the reader promised valid text, data words aside */
            isa_disasm(w, seg->addr + i, line, sizeof line, sym_name, (void *)img, str_at);
        }
    }
    for (uint32_t i = 0; i < img->nsymbols; i++) {
        const char *name = bh_image_str(img, img->symbols[i].name);
        if (!bh_image_symbol_named(img, name))
            abort();
        (void)bh_image_symbol_before(img, img->symbols[i].value);
    }
    for (uint32_t i = 0; i < img->nlines; i++)
        if (bh_image_line_at(img, img->lines[i].addr) != &img->lines[i])
            abort();
}

static void one(const uint8_t *data, size_t size);

/* Mutated bytes almost never keep the file-size field and the CRC32C right,
 * which would stop the fuzzer at the header.  So each input is tried twice:
 * as it is, and with those two fields made right (as in docs/image-format.md),
 * which lets the mutations reach the section, segment and text checks. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size);
    if (size < 64)
        return 0;
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    bh_put32(copy + 28, (uint32_t)size);
    uint32_t crc = bh_crc32c(0, copy, 32);
    bh_put32(copy + 32, bh_crc32c(crc, copy + 36, size - 36));
    one(copy, size);
    free(copy);
    return 0;
}

static void one(const uint8_t *data, size_t size)
{
    struct bh_image img;
    char err[256] = "";
    if (bh_image_read(data, size, &img, err, sizeof err) != 0) {
        if (strncmp(err, "image: ", 7) != 0 || img.symbols || img.seg[0].bytes)
            abort();
        return;
    }
    exercise(&img);
    uint8_t *out, *out2;
    size_t len, len2;
    if (bh_image_write(&img, &out, &len, err, sizeof err) != 0) {
        fprintf(stderr, "accepted image does not write back: %s\n", err);
        abort();
    }
    struct bh_image back;
    if (bh_image_read(out, len, &back, err, sizeof err) != 0) {
        fprintf(stderr, "written image does not read back: %s\n", err);
        abort();
    }
    if (bh_image_hash(&back) != bh_image_hash(&img))
        abort();
    if (bh_image_write(&back, &out2, &len2, err, sizeof err) != 0 || len2 != len ||
        memcmp(out, out2, len) != 0)
        abort();
    free(out);
    free(out2);
    bh_image_free(&back);
    bh_image_free(&img);
}

/* The seed: every section type, a SNAPSHOT string, lines and symbols. */
static int write_seed(const char *path)
{
    static const char strings[] = "\0seed.s\0s.bin\0main\0msg";
    struct isa_fields f = {.rt = 2, .imm = 10};
    uint8_t text[16], data[8] = "hi\n", ktext[4];
    bh_put32(text, isa_encode(ISA_ADDIU, &f));
    f = (struct isa_fields){.imm = 8};
    bh_put32(text + 4, isa_encode(ISA_SNAPSHOT, &f));
    f = (struct isa_fields){.rs = 4, .imm = 0xfffe};
    bh_put32(text + 8, isa_encode(ISA_BNE, &f));
    f = (struct isa_fields){0};
    bh_put32(text + 12, isa_encode(ISA_SYSCALL, &f));
    bh_put32(ktext, ISA_ERET_WORD);
    struct bh_symbol syms[] = {{14, BH_TEXT_BASE, BH_SYM_TEXT, BH_SYM_GLOBAL},
                               {19, BH_DATA_BASE, BH_SYM_DATA, 0}};
    struct bh_line lines[] = {{BH_TEXT_BASE, 1, 1, BH_LINE_STMT},
                              {BH_TEXT_BASE + 4, 2, 1, BH_LINE_STMT},
                              {BH_EXC_VECTOR, 9, 1, BH_LINE_STMT}};
    struct bh_image img = {
        .entry = BH_TEXT_BASE,
        .flags = BH_IMG_STARTUP,
        .seg = {{BH_TEXT_BASE, sizeof text, text},
                {BH_DATA_BASE, sizeof data, data},
                {BH_EXC_VECTOR, sizeof ktext, ktext},
                {BH_KDATA_BASE, 0, NULL}},
        .symbols = syms,
        .nsymbols = 2,
        .lines = lines,
        .nlines = 3,
        .strings = (char *)strings,
        .strings_size = sizeof strings,
        .source = 1,
    };
    uint8_t *out;
    size_t len;
    char err[256];
    if (bh_image_write(&img, &out, &len, err, sizeof err) != 0 ||
        bh_write_file_atomic(path, out, len, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_image: %s\n", err);
        return 1;
    }
    free(out);
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *seed = getenv("BH_FUZZ_WRITE_SEED");
    if (seed)
        exit(write_seed(seed));
    return 0;
}
