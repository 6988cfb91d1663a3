/* fuzz_jit.c: libFuzzer target for the translation tier (vm/core/jit.c):
 * random guest code runs in two VMs of the SPIM-style machine, one
 * interpreted and one with the tier on, slice by slice with the same
 * budgets, and after every slice the two must be in the same state: the
 * exit (kind, pc, exception, bad address), the instruction count, and the
 * hash of the whole machine (registers, CP0, FPU, memory: what --final-hash
 * and the snapshots hash).
 *
 * Input: byte 0 picks the threshold (1-4: low, so random code gets
 * translated at all), bit 2 of byte 1 a minimal code cache (flushed
 * often), bit 3 tally mode (--stats' counting); byte 2 the slice (1-1021
 * instructions); the rest are words: the first half .text, then eight
 * words of .data, the others in .ktext at the exception vector (a guest
 * handler: faults are delivered and the code goes on).  $s0-$s3 point
 * into .data so loads and stores often hit (the soft TLB's fast path).
 * Syscalls and hypercalls are resumed as a monitor would, unanswered. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "image.h"
#include "machine/machine.h"
#include "snapshot.h"
#include "vm.h"

#define TOTAL_BUDGET 100000

static FILE *devnull_in, *devnull_out;

static struct bh_vm *make(const struct bh_image *img, int tier, unsigned threshold, size_t cache,
                          int tally)
{
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.mem_limit = 256 * 1024;
    o.name = tier ? "jit" : "interp";
    struct bh_vm *vm;
    char err[256];
    if (bh_vm_create(img, &o, &vm, err, sizeof err) != 0)
        return NULL;
    bh_console_attach(bh_vm_console(vm), devnull_in, devnull_out, "");
    if (tally && bh_vm_tally(vm) != 0)
        abort();
    if (tier && bh_vm_jit(vm, threshold, cache, err, sizeof err) != 0)
        abort();
    for (unsigned i = 0; i < 4; i++)
        bh_vm_set_reg(vm, 16 + i, (int32_t)(BH_DATA_BASE + 4 * i));
    return vm;
}

static void compare(const uint8_t *p, size_t n, unsigned threshold, size_t cache, int tally,
                    int64_t slice)
{
    size_t words = n / 4;
    if (words > 4096)
        words = 4096;
    size_t nt = (words + 1) / 2, nd = words - nt < 8 ? words - nt : 8, nk = words - nt - nd;
    uint8_t *text = malloc(nt * 4 + 4), *ktext = malloc(nk * 4 + 4), data[32];
    memcpy(text, p, nt * 4);
    memset(data, 0, sizeof data);
    memcpy(data, p + nt * 4, nd * 4);
    memcpy(ktext, p + (nt + nd) * 4, nk * 4);
    static char strings[] = "\0out.bin";
    struct bh_image img;
    memset(&img, 0, sizeof img);
    img.entry = BH_TEXT_BASE;
    img.seg[BH_SEG_TEXT] = (struct bh_segment){BH_TEXT_BASE, (uint32_t)nt * 4, text};
    img.seg[BH_SEG_KTEXT] = (struct bh_segment){BH_EXC_VECTOR, (uint32_t)nk * 4, ktext};
    img.seg[BH_SEG_DATA] = (struct bh_segment){BH_DATA_BASE, sizeof data, data};
    img.strings = strings;
    img.strings_size = sizeof strings;
    struct bh_vm *a = make(&img, 0, 0, 0, tally), *b = make(&img, 1, threshold, cache, tally);
    if (!a || !b)
        abort(); /* both or neither: the image is the same */
    for (int round = 0; round < 20000 && bh_vm_icount(a) < TOTAL_BUDGET; round++) {
        struct bh_exit ea, eb;
        bh_vm_run(a, slice, &ea);
        bh_vm_run(b, slice, &eb);
        if (ea.kind != eb.kind || ea.pc != eb.pc || ea.exc != eb.exc || ea.badvaddr != eb.badvaddr ||
            bh_vm_icount(a) != bh_vm_icount(b) ||
            bh_snapshot_state_hash(a) != bh_snapshot_state_hash(b)) {
            fprintf(stderr,
                    "round %d: interpreter exit %d pc 0x%08x exc %d icount %llu, tier exit %d pc "
                    "0x%08x exc %d icount %llu\n",
                    round, ea.kind, ea.pc, ea.exc, (unsigned long long)bh_vm_icount(a), eb.kind,
                    eb.pc, eb.exc, (unsigned long long)bh_vm_icount(b));
            for (unsigned r = 0; r < 32; r++)
                if (bh_vm_reg(a, r) != bh_vm_reg(b, r))
                    fprintf(stderr, "  $%u: %d vs %d\n", r, bh_vm_reg(a, r), bh_vm_reg(b, r));
            abort();
        }
        if (ea.kind == BH_EXIT_FAULT || ea.kind == BH_EXIT_HALT || ea.kind == BH_EXIT_POWEROFF)
            break;
        if (ea.kind == BH_EXIT_SYSCALL && bh_vm_reg(a, 2) == 10)
            break;
    }
    bh_vm_destroy(a);
    bh_vm_destroy(b);
    free(text);
    free(ktext);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull_in = fopen("/dev/null", "r");
    devnull_out = fopen("/dev/null", "w");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    unsigned threshold = 1u + (data[0] & 3u);
    size_t cache = (data[1] & 4) ? BH_JIT_CACHE_MIN : BH_JIT_CACHE;
    int tally = (data[1] & 8) != 0;
    int64_t slice = 1 + 4 * (int64_t)data[2];
    compare(data + 3, size - 3, threshold, cache, tally, slice);
    return 0;
}
