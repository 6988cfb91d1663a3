/* fuzz_snapshot.c: libFuzzer target for the snapshot loader.
 *
 * Each input is tried twice: as it is (the container checks: magic,
 * version, sizes, CRC32C), and with its checksums and sizes recomputed, so
 * mutations also reach the section parsers and the restore into a VM
 * instead of dying at the first CRC.  Whatever is accepted is restored
 * into a fresh VM of a small built-in program (or of the embedded image),
 * described, saved again, and the saved bytes must load again: no crash,
 * no leak, no sanitizer report, no broken round trip.
 *
 * BH_FUZZ_WRITE_SEED=dir writes seed snapshots (v1 raw, v1 zstd, v0) there
 * (the v1 ones of a VM with a bitmap display);
 * snapshot_fuzz.sh adds a file with a version-1 CPU body (no FPU).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bh_util.h"
#include "image.h"
#include "isa.h"
#include "snapshot.h"
#include "machine/vm_internal.h"
#include "core/cpu_priv.h"

static const char strtab[] = "\0fuzz.s";

static uint32_t enc(enum isa_op op, uint32_t rs, uint32_t rt, uint32_t imm)
{
    struct isa_fields f = {rs, rt, 0, 0, imm};
    return isa_encode(op, &f);
}

static void build(struct bh_image *img)
{
    memset(img, 0, sizeof *img);
    uint32_t text[] = {enc(ISA_ADDIU, 0, 8, 1), enc(ISA_ADDIU, 8, 8, 2), enc(ISA_ADDIU, 0, 2, 10),
                       enc(ISA_SYSCALL, 0, 0, 0)};
    img->entry = BH_TEXT_BASE;
    img->seg[BH_SEG_TEXT].addr = BH_TEXT_BASE;
    img->seg[BH_SEG_TEXT].size = sizeof text;
    img->seg[BH_SEG_TEXT].bytes = malloc(sizeof text);
    for (size_t i = 0; i < 4; i++)
        bh_put32(img->seg[BH_SEG_TEXT].bytes + 4 * i, text[i]);
    img->seg[BH_SEG_DATA].addr = BH_DATA_BASE;
    img->seg[BH_SEG_DATA].size = 4;
    img->seg[BH_SEG_DATA].bytes = calloc(1, 4);
    img->nlines = 4;
    img->lines = calloc(4, sizeof *img->lines);
    for (uint32_t i = 0; i < 4; i++)
        img->lines[i] = (struct bh_line){BH_TEXT_BASE + 4 * i, i + 1, 1, BH_LINE_STMT};
    img->strings_size = sizeof strtab;
    img->strings = malloc(sizeof strtab);
    memcpy(img->strings, strtab, sizeof strtab);
    img->source = 1;
}

static struct bh_vm *make_vm(const struct bh_image *img)
{
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "fuzz";
    o.mem_limit = 1u << 20; /* keeps restores small */
    struct bh_vm *vm = NULL;
    if (bh_vm_create(img, &o, &vm, NULL, 0) != 0)
        return NULL;
    return vm;
}

/* Recompute section CRCs, the section count, the file size and the header
 * CRC in place, walking the sections as their lengths say. */
static void fix_checksums(uint8_t *b, size_t n)
{
    if (n < BH_SNAP_HDR_SIZE || memcmp(b, BH_SNAP_MAGIC, 4) != 0)
        return;
    size_t off = BH_SNAP_HDR_SIZE;
    uint32_t count = 0;
    while (n - off >= BH_SNAP_SECHDR_SIZE) {
        uint64_t len = bh_get64(b + off + 8);
        if (len > n - off - BH_SNAP_SECHDR_SIZE) {
            len = n - off - BH_SNAP_SECHDR_SIZE;
            bh_put64(b + off + 8, len);
        }
        bh_put32(b + off + 16, bh_crc32c(0, b + off + BH_SNAP_SECHDR_SIZE, (size_t)len));
        off += BH_SNAP_SECHDR_SIZE + (size_t)len;
        count++;
    }
    bh_put32(b + 12, count);
    bh_put64(b + 16, off == n ? n : off); /* trailing bytes stay an error */
    bh_put32(b + 40, bh_crc32c(0, b, 40));
}

static void try_one(const uint8_t *data, size_t size, const struct bh_image *builtin)
{
    struct bh_snapshot s;
    memset(&s, 0, sizeof s);
    if (bh_snapshot_parse_buf(data, size, &s, NULL, 0) != 0)
        return;
    struct bh_buf info = {0};
    bh_snapshot_describe(&s, NULL, &info, NULL, 0);
    bh_buf_free(&info);
    struct bh_image emb;
    const struct bh_image *img = builtin;
    int have_emb = bh_snapshot_image(&s, &emb, NULL, 0) == 0;
    if (have_emb)
        img = &emb;
    struct bh_vm *vm = make_vm(img);
    if (vm && bh_snapshot_restore(vm, &s, NULL, 0) == 0) {
        /* What was restored must save and load again. */
        struct bh_snap_opts o = {.compress = 0, .embed_image = 0};
        struct bh_buf out = {0};
        char err[256];
        if (bh_snapshot_serialize(vm, &o, &out, err, sizeof err) != 0) {
            fprintf(stderr, "re-serialize failed: %s\n", err);
            abort();
        }
        struct bh_snapshot s2;
        memset(&s2, 0, sizeof s2);
        if (bh_snapshot_parse_buf(out.data, out.len, &s2, err, sizeof err) != 0) {
            fprintf(stderr, "re-saved snapshot refused: %s\n", err);
            abort();
        }
        bh_buf_free(&out);
    }
    if (vm)
        bh_vm_destroy(vm);
    if (have_emb)
        bh_image_free(&emb);
}

static void write_seeds(const char *dir, const struct bh_image *img)
{
    struct bh_vm *vm = make_vm(img);
    if (!vm)
        exit(1);
    for (unsigned r = 1; r < 32; r++)
        bh_vm_set_reg(vm, r, (int32_t)(r * 3));
    bh_vm_write(vm, 0x10010000, "seed data", 10);
    for (unsigned r = 0; r < 32; r++) /* coprocessor 1 (CPU body version 2) */
        bh_core_set_fpr(bh_vm_core(vm), r, 0x3f800000u + r);
    bh_core_set_fcsr(bh_vm_core(vm), 0x02800f81u);
    bh_vm_write(vm, 0x10030000, "\0\0\0\0", 4);
    struct bh_display_geom g; /* a DISPLAY section to mutate */
    bh_display_geom_default(&g);
    g.unit_w = g.unit_h = 8;
    if (bh_vm_display_on(vm, &g, NULL, 0) != 0)
        exit(1);
    for (int z = 0; z < 2; z++) {
        if (z && !bh_snapshot_have_zstd())
            break;
        struct bh_snap_opts o = {.compress = z, .embed_image = !z};
        struct bh_buf b = {0};
        char path[1024], err[256];
        if (bh_snapshot_serialize(vm, &o, &b, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            exit(1);
        }
        snprintf(path, sizeof path, "%s/seed_v1_%s.bin", dir, z ? "zstd" : "raw");
        if (bh_write_file_atomic(path, b.data, b.len, err, sizeof err) != 0)
            exit(1);
        bh_buf_free(&b);
    }
    uint8_t v0[BH_SNAP_V0_SIZE] = {0};
    for (int i = 1; i < 32; i++)
        bh_put32(v0 + 4 * i, (uint32_t)i);
    bh_put32(v0 + 128, 2);
    char path[1024];
    snprintf(path, sizeof path, "%s/seed_v0.bin", dir);
    if (bh_write_file_atomic(path, v0, sizeof v0, NULL, 0) != 0)
        exit(1);
    bh_vm_destroy(vm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct bh_image img;
    static int ready;
    if (!ready) {
        build(&img);
        ready = 1;
        const char *seed = getenv("BH_FUZZ_WRITE_SEED");
        if (seed) {
            write_seeds(seed, &img);
            _exit(0); /* libFuzzer reports exit() from a target as a failure */
        }
    }
    try_one(data, size, &img);
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    fix_checksums(copy, size);
    try_one(copy, size, &img);
    free(copy);
    return 0;
}
