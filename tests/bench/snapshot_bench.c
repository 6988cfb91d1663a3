/* snapshot_bench.c: times snapshot writes and restores in-process
 * (tests/bench/snapshot.sh builds and runs it).  A VM with MIB MiB of
 * touched, non-zero memory (half incompressible, half text-like) is saved
 * to a file (serialize + write + fsync + rename) and restored into a fresh
 * VM (map + validate every CRC + map the raw pages copy-on-write, or
 * decompress zstd pages), raw and with zstd.  A mapped restore defers the
 * copy of a page to its first store, so "1st store" times one store into
 * every restored page afterwards (the cost a guest pays over its run).
 * Prints one line per measurement; the median of RUNS runs.
 *
 *   snapshot_bench DIR [MIB] [RUNS]
 * Also leaves DIR/bench_raw.bin, a snapshot whose embedded program exits
 * at once, for timing `myvmm -s` end to end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bh_util.h"
#include "image.h"
#include "isa.h"
#include "snapshot.h"
#include "vm_internal.h"

static const char strtab[] = "\0bench.s";

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void build(struct bh_image *img)
{
    struct isa_fields li = {0, 2, 0, 0, 10}, sys = {0};
    uint32_t text[] = {isa_encode(ISA_ADDIU, &li), isa_encode(ISA_SYSCALL, &sys)};
    memset(img, 0, sizeof *img);
    img->entry = BH_TEXT_BASE;
    img->seg[BH_SEG_TEXT].addr = BH_TEXT_BASE;
    img->seg[BH_SEG_TEXT].size = sizeof text;
    img->seg[BH_SEG_TEXT].bytes = malloc(sizeof text);
    for (int i = 0; i < 2; i++)
        bh_put32(img->seg[BH_SEG_TEXT].bytes + 4 * i, text[i]);
    img->nlines = 2;
    img->lines = calloc(2, sizeof *img->lines);
    for (uint32_t i = 0; i < 2; i++)
        img->lines[i] = (struct bh_line){BH_TEXT_BASE + 4 * i, i + 1, 1, BH_LINE_STMT};
    img->strings_size = sizeof strtab;
    img->strings = malloc(sizeof strtab);
    memcpy(img->strings, strtab, sizeof strtab);
    img->source = 1;
}

static struct bh_vm *make_vm(const struct bh_image *img, uint64_t limit)
{
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = "bench";
    o.mem_limit = limit;
    struct bh_vm *vm;
    char err[256];
    if (bh_vm_create(img, &o, &vm, err, sizeof err)) {
        fprintf(stderr, "create: %s\n", err);
        exit(1);
    }
    return vm;
}

static void touch(struct bh_vm *vm, uint32_t mib)
{
    uint8_t page[BH_PAGE_SIZE];
    uint64_t x = 88172645463325252ull;
    uint32_t pages = mib * 256;
    for (uint32_t p = 0; p < pages; p++) {
        if (p % 2) {
            for (size_t i = 0; i < sizeof page; i++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                page[i] = (uint8_t)x;
            }
        } else {
            for (size_t i = 0; i < sizeof page; i++)
                page[i] = (uint8_t)("the quick brown fox jumps over the lazy dog "[(i + p) % 44]);
        }
        if (bh_vm_write(vm, 0x10100000 + p * BH_PAGE_SIZE, page, sizeof page)) {
            fprintf(stderr, "write failed at page %u\n", p);
            exit(1);
        }
    }
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void measure(const struct bh_image *img, struct bh_vm *vm, const char *dir, uint32_t mib,
                    int compress, int runs)
{
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/bench_%s.bin", dir, compress ? "zstd" : "raw");
    struct bh_snap_opts o = {.compress = compress, .embed_image = 1};
    double w[16], r[16], st[16];
    for (int i = 0; i < runs; i++) {
        double t0 = now_ms();
        if (bh_snapshot_save_opts(vm, path, &o, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            exit(1);
        }
        w[i] = now_ms() - t0;
        struct bh_vm *fresh = make_vm(img, vm->mem->limit_pages * BH_PAGE_SIZE);
        t0 = now_ms();
        struct bh_snapshot s;
        if (bh_snapshot_load(path, &s, err, sizeof err) ||
            bh_snapshot_restore(fresh, &s, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            exit(1);
        }
        r[i] = now_ms() - t0;
        if (bh_snapshot_state_hash(fresh) != bh_snapshot_state_hash(vm)) {
            fprintf(stderr, "restored state differs\n");
            exit(1);
        }
        t0 = now_ms();
        for (uint32_t p = 0; p < mib * 256; p++)
            if (bh_vm_write(fresh, 0x10100000 + p * BH_PAGE_SIZE, &p, sizeof p)) {
                fprintf(stderr, "store after restore failed\n");
                exit(1);
            }
        st[i] = now_ms() - t0;
        bh_snapshot_free(&s);
        bh_vm_destroy(fresh);
    }
    printf(
        "snapshot %3u MiB %-4s  write %7.1f ms  restore %6.1f ms  1st store %6.1f ms  file %9.2f "
        "MiB\n",
        mib, compress ? "zstd" : "raw", median(w, runs), median(r, runs), median(st, runs),
        (double)file_size(path) / (1 << 20));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: snapshot_bench DIR [MIB] [RUNS]\n");
        return 2;
    }
    uint32_t mib = argc > 2 ? (uint32_t)atoi(argv[2]) : 64;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (runs < 1 || runs > 16)
        runs = 5;
    struct bh_image img;
    build(&img);
    /* 1 MiB touched: the file must stay under 1.1 MiB uncompressed. */
    struct bh_vm *small = make_vm(&img, 64ull << 20);
    touch(small, 1);
    measure(&img, small, argv[1], 1, 0, runs);
    bh_vm_destroy(small);
    struct bh_vm *vm = make_vm(&img, ((uint64_t)mib + 16) << 20);
    touch(vm, mib);
    if (bh_snapshot_have_zstd())
        measure(&img, vm, argv[1], mib, 1, runs);
    measure(&img, vm, argv[1], mib, 0, runs);
    bh_vm_destroy(vm);
    bh_image_free(&img);
    return 0;
}
