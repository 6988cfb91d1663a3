/* fuzz_core.c: libFuzzer target for the VM core (vm/cpu.c, mem.c, vm.c).
 *
 * The first input byte picks the mode:
 *   even: the rest is an image file: bh_image_read must accept or refuse it
 *         cleanly; an accepted image becomes a VM that runs.
 *   odd:  the rest is raw guest code: the first half of the words become
 *         .text, the second half .ktext at the exception vector (so faults
 *         and interrupts are delivered to a guest handler), and a few bytes
 *         of .data.  This reaches the core with every possible word, which
 *         a checksummed image from random bytes almost never does.
 * Bit 1 of the first byte runs the VM in tally mode (--stats: unfused code
 * behind the counting dispatch), where the mix must add up to icount.
 * Bit 2 makes it a bare machine (--machine bare: kernel and user mode,
 * the MIPS32 address map, the guest TLB and its shadow); raw code then
 * also starts with guest TLB entries and CP0 registers (Status, EntryHi,
 * Wired, Context...) taken from the input, so random modes, ASIDs and
 * mappings meet random code.  Whatever they say, every access stays in
 * the VM's own memory (ASan would see one that does not).
 * Bit 3 points registers $s0-$s3 into the device window (the console,
 * the rtc, the interval timer, the board), so random loads and stores
 * through them reach the devices' registers with every size and offset.
 * Either way the VM runs under a total budget of instructions in slices,
 * resuming after syscalls and hypercalls as a monitor would (and, as the
 * monitor does, no further than a device timer's deadline, letting it
 * fire after each run), with a small memory limit.  Invariants checked: no crash, no leak (ASan), icount only
 * grows and never passes the budget by more than one straight-line run,
 * $zero stays 0, the host's rounding mode is back to nearest after every
 * run whatever FCSR.RM the guest set, and a fault's pc is inside text or ktext or is the
 * fetch address itself.
 */
#include <fenv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bh_util.h"
#include "machine/machine.h"
#include "mem/mem.h"
#include "image.h"
#include "isa.h"
#include "vm.h"

#define TOTAL_BUDGET 200000
#define SLICE 997

static FILE *devnull_in, *devnull_out;

static int tally; /* this input runs in tally mode */
static int bare;  /* this input runs as a bare machine */
static int devs;  /* $s0-$s3 point at the devices' registers */
static const uint8_t *seed_bytes; /* raw mode: where the bare machine's TLB comes from */
static size_t seed_len;

/* The bare machine's guest TLB and CP0 registers from the input's bytes. */
static void seed_mmu(struct bh_vm *vm)
{
    uint8_t b[8 * 12 + 5 * 4];
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = seed_len ? seed_bytes[i % seed_len] ^ (uint8_t)i : 0;
    for (unsigned i = 0; i < 8; i++) {
        const uint8_t *e = b + 12 * i;
        struct bh_gtlb_entry t = {bh_get32(e) & (BH_HI_VPN2 | BH_HI_ASID),
                                  {bh_get32(e + 4) & BH_LO_MASK, bh_get32(e + 8) & BH_LO_MASK}};
        bh_mem_gtlb_write(bh_vm_mem(vm), (e[0] * 7u + i) % BH_GTLB_ENTRIES, &t);
    }
    static const unsigned regs[] = {BH_C0_STATUS, BH_C0_ENTRYHI, BH_C0_WIRED, BH_C0_CONTEXT,
                                    BH_C0_INDEX};
    for (unsigned i = 0; i < 5; i++)
        bh_vm_set_c0(vm, regs[i],
                     bh_gtlb_c0_write(regs[i], bh_vm_c0(vm, regs[i]), bh_get32(b + 96 + 4 * i)));
}

static uint64_t mix_sum(struct bh_vm *vm)
{
    const uint64_t *mix = bh_vm_mix(vm);
    uint64_t sum = 0;
    for (unsigned op = 0; op < ISA_COUNT; op++)
        sum += mix[op];
    return sum;
}

static void run_vm(const struct bh_image *img)
{
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.mem_limit = 256 * 1024;
    o.name = "fuzz";
    o.machine = bare ? BH_MACHINE_BARE : BH_MACHINE_SPIM;
    struct bh_vm *vm;
    char err[256];
    if (bh_vm_create(img, &o, &vm, err, sizeof err) != 0)
        return;
    bh_console_attach(bh_vm_console(vm), devnull_in, devnull_out, "");
    if (tally && bh_vm_tally(vm) != 0)
        abort();
    if (bare && seed_bytes)
        seed_mmu(vm);
    if (devs) {
        uint32_t io = bare ? 0xbfff0000u : BH_MMIO_BASE;
        static const uint32_t off[] = {0x000, 0x300, 0x310, 0x100};
        for (unsigned i = 0; i < 4; i++)
            bh_vm_set_reg(vm, 16 + i, (int32_t)(io + off[i]));
    }
    uint64_t last = 0;
    for (int round = 0; round < 10000 && bh_vm_icount(vm) < TOTAL_BUDGET; round++) {
        struct bh_exit ex;
        uint64_t room = bh_vm_device_room(vm);
        bh_vm_run(vm, room < SLICE ? (room ? (int64_t)room : 1) : SLICE, &ex);
        bh_vm_device_tick(vm);
        uint64_t now = bh_vm_icount(vm);
        if (now < last)
            abort();
        /* the text is at most 64 KiB: no straight-line run is longer */
        if (now - last > SLICE + 65536u)
            abort();
        last = now;
        if (bh_vm_reg(vm, 0) != 0)
            abort();
        if (fegetround() != FE_TONEAREST)
            abort();
        if (tally && mix_sum(vm) != now)
            abort();
        if (ex.kind == BH_EXIT_FAULT || ex.kind == BH_EXIT_HALT || ex.kind == BH_EXIT_POWEROFF)
            break;
        if (ex.kind == BH_EXIT_SYSCALL && bh_vm_reg(vm, 2) == 10)
            break;
        /* A monitor would act on syscalls and hypercalls; the core only
         * needs to be resumable, with pc past the instruction. */
        char s[64];
        (void)bh_vm_read_str(vm, (uint32_t)bh_vm_reg(vm, 4), s, sizeof s);
    }
    bh_console_flush(bh_vm_console(vm));
    bh_vm_destroy(vm);
}

static void raw_mode(const uint8_t *p, size_t n)
{
    size_t words = n / 4;
    if (words > 16384)
        words = 16384;
    size_t nt = (words + 1) / 2, nk = words - nt;
    uint8_t *text = malloc(nt * 4 + 4), *ktext = malloc(nk * 4 + 4);
    memcpy(text, p, nt * 4);
    memcpy(ktext, p + nt * 4, nk * 4);
    uint8_t data[64];
    memset(data, 0, sizeof data);
    memcpy(data, p, n < sizeof data ? n : sizeof data);
    static char strings[] = "\0out.bin";
    struct bh_image img;
    memset(&img, 0, sizeof img);
    img.entry = BH_TEXT_BASE;
    img.seg[BH_SEG_TEXT] = (struct bh_segment){BH_TEXT_BASE, (uint32_t)nt * 4, text};
    img.seg[BH_SEG_KTEXT] = (struct bh_segment){BH_EXC_VECTOR, (uint32_t)nk * 4, ktext};
    img.seg[BH_SEG_DATA] = (struct bh_segment){BH_DATA_BASE, sizeof data, data};
    img.strings = strings;
    img.strings_size = sizeof strings;
    seed_bytes = p;
    seed_len = n;
    run_vm(&img);
    seed_bytes = NULL;
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
    if (size < 1)
        return 0;
    tally = (data[0] & 2) != 0;
    bare = (data[0] & 4) != 0;
    devs = (data[0] & 8) != 0;
    if (data[0] & 1) {
        raw_mode(data + 1, size - 1);
        return 0;
    }
    struct bh_image img;
    char err[256];
    if (bh_image_read(data + 1, size - 1, &img, err, sizeof err) != 0)
        return 0;
    run_vm(&img);
    bh_image_free(&img);
    return 0;
}
