/* vm.c: building a VM from a program image (memory map, registers, the
 * start-up stack, devices) and the accessors of include/vm.h.  The decoder
 * that turns text words into the core's pre-decoded form is core/decode.c. */
#include "machine/vm_internal.h"

#include <stdlib.h>
#include <string.h>

#include "bh_util.h"

/* SPIM 8.0's first sbrk returns 0x10020000 for any small program; we
 * never hand out a break inside .data, so a larger .data moves it up to
 * the page after its end. */
#define BH_BRK_MIN 0x10020000u
#define BH_BRK_MIN_MARS 0x10040000u /* MARS's heap base */
/* Status after SPIM's start-up: user mode, all interrupt masks set,
 * interrupts disabled (IE = 0). */
#define BH_STATUS_INIT 0x3000ff10u

void bh_vm_opts_init(struct bh_vm_opts *o)
{
    memset(o, 0, sizeof *o);
    o->mem_limit = BH_VM_DEFAULT_MEM;
}

int bh_vm_tally(struct bh_vm *vm) { return bh_core_tally(vm->core); }

int bh_vm_jit(struct bh_vm *vm, unsigned threshold, size_t cache_bytes, char *err, size_t errlen)
{
    return bh_core_jit(vm->core, threshold, cache_bytes, err, errlen);
}

int bh_vm_jit_stats(const struct bh_vm *vm, struct bh_jit_stats *st)
{
    return bh_core_jit_stats(vm->core, st);
}

void bh_vm_jit_hook(struct bh_vm *vm, bh_jit_block_fn fn, void *opaque)
{
    bh_core_jit_hook(vm->core, fn, opaque);
}

/* ---- creation --------------------------------------------------------- */

/* SPIM's start-up stack: $sp -> argc, argv[0..argc-1], NULL, envp NULL,
 * then the strings up to BH_VM_STACK_TOP. */
static int build_stack(struct bh_vm *vm, int argc, char **argv, char *err, size_t errlen)
{
    uint32_t top = BH_VM_STACK_TOP;
    uint32_t *ptrs = calloc((size_t)argc + 1, sizeof *ptrs);
    if (!ptrs)
        return bh_errf(err, errlen, "out of memory");
    for (int i = argc - 1; i >= 0; i--) {
        size_t len = strlen(argv[i]) + 1;
        if (len > 65536 || top - 0x7f000000u < len) {
            free(ptrs);
            return bh_errf(err, errlen, "guest arguments are too long");
        }
        top -= (uint32_t)len;
        if (bh_mem_write(vm->mem, top, argv[i], (uint32_t)len) != 0) {
            free(ptrs);
            return bh_errf(err, errlen, "memory limit too small for the guest arguments");
        }
        ptrs[i] = top;
    }
    top &= ~3u;
    /* argc, argv[], NULL, envp NULL */
    uint32_t words = 1 + (uint32_t)argc + 1 + 1;
    uint32_t sp = (top - 4 * words) & ~7u;
    uint8_t buf[4];
    int rc = 0;
    bh_put32(buf, (uint32_t)argc);
    rc |= bh_mem_write(vm->mem, sp, buf, 4);
    for (int i = 0; i <= argc; i++) {
        bh_put32(buf, ptrs[i]);
        rc |= bh_mem_write(vm->mem, sp + 4 + 4 * (uint32_t)i, buf, 4);
    }
    bh_put32(buf, 0);
    rc |= bh_mem_write(vm->mem, sp + 4 + 4 * (uint32_t)argc + 4, buf, 4);
    free(ptrs);
    if (rc)
        return bh_errf(err, errlen, "memory limit too small for the stack");
    bh_core_set_reg(vm->core, 29, (int32_t)sp);
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The original v0.2 tool's instruction files (no labels, no data, only
 * register arithmetic and its two hypercalls) started with every register
 * zero, and their DUMP_PROCESSOR_STATE shows it.  Such a program cannot
 * touch memory, jump or call the monitor other than by hypercall, so it
 * never uses $sp or $gp as pointers: starting them at zero changes nothing
 * but the dump, which then matches the original tool's.  Every other
 * program gets SPIM's $gp and $sp. */
static int original_form(const struct bh_image *img)
{
    if (img->nsymbols || (img->flags & BH_IMG_STARTUP) || img->seg[BH_SEG_DATA].size ||
        img->seg[BH_SEG_KTEXT].size || img->seg[BH_SEG_KDATA].size)
        return 0;
    const struct bh_segment *t = &img->seg[BH_SEG_TEXT];
    for (uint32_t i = 0; i + 4 <= t->size; i += 4) {
        enum isa_op op = isa_decode(bh_get32(t->bytes + i));
        if (op == ISA_INVALID)
            return 0;
        const struct isa_info *in = &isa_table[op];
        switch (in->fmt) {
        case F_RD_RS_RT: case F_RD_RT_RS: case F_RD_RT_SA: case F_RD_RS: case F_RD:
        case F_RT_RS_SIMM: case F_RT_RS_UIMM: case F_RT_UIMM:
            if (op == ISA_MOVZ || op == ISA_MOVN || in->cls == ISA_CLASS_COP0)
                return 0;
            break;
        case F_NONE: case F_STR:
            if (in->cls != ISA_CLASS_HV)
                return 0;
            break;
        default:
            return 0;
        }
    }
    return 1;
}

/* ---- the bare machine (docs/devices.md) ---------------------------------- */

/* Its devices in the physical window at BH_BARE_IO_BASE (kseg1 0xbfff0000). */
/* The devices' places in the device window (its base: BH_MMIO_BASE on the
 * spim machine, physical BH_BARE_IO_BASE on the bare one). */
#define BH_IO_CONSOLE 0x000u
#define BH_IO_BOARD   0x100u /* the bare machine only */
#define BH_IO_DISK    0x200u /* when the VM has a disk */
#define BH_IO_RTC     0x300u
#define BH_IO_TIMER   0x310u
#define BH_IO_NIC     0x400u /* when the VM has a network card */
#define BH_RESET_VECTOR 0xbfc00000u
/* Status at reset (MIPS32): BEV and ERL set, kernel mode. */
#define BH_STATUS_RESET 0x00400004u

static void board_power_off(void *opaque)
{
    bh_core_power_off(((struct bh_vm *)opaque)->core);
}

/* Where the kernel starts, and in what state: the reset vector when the
 * image has code there (BEV = 1, ERL = 1, as MIPS32 resets), else the
 * ktext's __start or its first word with BEV, ERL and EXL clear. */
static int bare_start(struct bh_vm *vm, char *err, size_t errlen)
{
    const struct bh_segment *k = &vm->img->seg[BH_SEG_KTEXT];
    if (!k->size)
        return bh_errf(err, errlen, "a bare machine runs its own kernel, and this program has no "
                                    ".ktext" BH_HELP "put the kernel's code after .ktext "
                                    "(docs/devices.md shows one)");
    uint32_t pc = k->addr, status = 0;
    const struct bh_symbol *s = bh_image_symbol_named(vm->img, "__start");
    if (BH_RESET_VECTOR - k->addr < k->size) {
        pc = BH_RESET_VECTOR;
        status = BH_STATUS_RESET;
    } else if (s && s->value - k->addr < k->size) {
        pc = s->value;
    }
    bh_core_set_pc(vm->core, pc);
    bh_core_set_c0(vm->core, BH_C0_STATUS, status);
    return 0;
}

/* Load the image at physical addresses, place the console and the board. */
static int bare_build(struct bh_vm *vm, char *err, size_t errlen)
{
    for (int s = 0; s < BH_SEG_COUNT; s++) {
        const struct bh_segment *g = &vm->img->seg[s];
        if (!g->size)
            continue;
        int64_t pa = bh_mem_bare_physical(g->addr);
        if (pa < 0 || pa + g->size > BH_BARE_IO_BASE)
            return bh_errf(err, errlen, "a bare machine cannot load the segment at 0x%08x: it "
                                        "must be in kuseg, kseg0 or kseg1 and below physical "
                                        "0x%08x" BH_HELP "place it with .text/.data/.ktext/.kdata "
                                        "ADDRESS (docs/devices.md has the map)",
                           g->addr, BH_BARE_IO_BASE);
        /* RAM, all of it writable: a store into code is decoded again
         * (BH_PAGE_CODE) when it goes through the address the code runs at */
        int text = s == BH_SEG_TEXT || s == BH_SEG_KTEXT;
        if (bh_mem_load_bytes(vm->mem, (uint32_t)pa, g->bytes, g->size,
                              text ? BH_PAGE_CODE : BH_PAGE_WRITABLE, err, errlen) != 0)
            return -1;
    }
    vm->board.power_off = board_power_off;
    vm->board.opaque = vm;
    if (bh_mem_map_io(vm->mem, BH_BARE_IO_BASE + BH_IO_BOARD, &bh_board_region, &vm->board, err,
                      errlen) != 0)
        return -1;
    return bare_start(vm, err, errlen);
}

/* DMA for devices: the monitor's access to guest memory, which never
 * reaches a device and marks the pages it writes dirty (so snapshots and
 * migration carry what a device wrote). */
static int dma_read(void *opaque, uint32_t addr, void *dst, uint32_t n)
{
    return bh_mem_read(((struct bh_vm *)opaque)->mem, addr, dst, n);
}
static int dma_write(void *opaque, uint32_t addr, const void *src, uint32_t n)
{
    return bh_mem_write(((struct bh_vm *)opaque)->mem, addr, src, n);
}

static uint64_t clock_now(void *opaque)
{
    struct bh_vm *vm = opaque;
    return bh_pv_time_ns(&vm->pv, bh_core_icount(vm->core));
}

struct bh_clock *bh_vm_clock(struct bh_vm *vm)
{
    return &vm->clock;
}

/* Instructions from now to virtual time dl (0: due). */
static uint64_t room_to(struct bh_vm *vm, uint64_t dl)
{
    uint64_t now = clock_now(vm);
    return dl <= now ? 0 : (dl - now + BH_PV_NS_PER_INSN - 1) / BH_PV_NS_PER_INSN;
}

static void clock_deadline(void *opaque, uint64_t ns)
{
    struct bh_vm *vm = opaque;
    bh_core_end_run_by(vm->core, bh_core_icount(vm->core) + room_to(vm, ns));
}


/* A device's interrupt line n is the CPU's hardware interrupt n (Cause
 * bit IP(n + 2), bit 8 + 2 + n). */
static void cpu_irq(void *opaque, unsigned line, int level)
{
    bh_vm_irq(opaque, 1u << (10 + line), level);
}

int bh_vm_create(const struct bh_image *img, const struct bh_vm_opts *o, struct bh_vm **out,
                 char *err, size_t errlen)
{
    struct bh_vm_opts defaults;
    if (!o) {
        bh_vm_opts_init(&defaults);
        o = &defaults;
    }
    *out = NULL;
    struct bh_vm *vm = calloc(1, sizeof *vm);
    if (!vm)
        return bh_errf(err, errlen, "out of memory");
    vm->img = img;
    vm->opts = *o;
    vm->opts.argc = 0;
    vm->opts.argv = NULL;
    vm->name = dup_or_null(o->name);
    vm->fs_root = dup_or_null(o->fs_root);
    vm->opts.name = vm->name;
    vm->opts.fs_root = vm->fs_root;
    vm->opts.disk = NULL; /* the disk keeps its own copy of the path */
    vm->opts.mac = NULL;  /* read during creation only */
    vm->disk.fd = -1;
    if (!vm->opts.mem_limit)
        vm->opts.mem_limit = BH_VM_DEFAULT_MEM;
    int pv_ok = 0;

    if (img->seg[BH_SEG_TEXT].size % 4 || img->seg[BH_SEG_KTEXT].size % 4) {
        bh_errf(err, errlen, "text size is not a multiple of 4");
        goto fail;
    }
    /* The original tool's programs keep its arithmetic: add, sub and addi
     * wrap (its dumps show the wrapped values); every other program traps
     * on overflow as SPIM does. */
    int bare = vm->opts.machine == BH_MACHINE_BARE;
    int original = !bare && original_form(img);
    unsigned core_flags = (original ? BH_CORE_WRAP : 0) | (bare ? BH_CORE_PRIV : 0);
    if ((vm->opts.delay & BH_VM_DELAYED_BRANCHES) || (img->flags & BH_IMG_DELAYED_BRANCHES))
        core_flags |= BH_CORE_DELAYED_BRANCHES;
    if ((vm->opts.delay & BH_VM_DELAYED_LOADS) || (img->flags & BH_IMG_DELAYED_LOADS))
        core_flags |= BH_CORE_DELAYED_LOADS;
    if (bh_core_new(vm->opts.mem_limit, &img->seg[BH_SEG_TEXT], &img->seg[BH_SEG_KTEXT],
                    core_flags, &vm->core, err, errlen) != 0)
        goto fail;
    vm->mem = bh_core_mem(vm->core);
    vm->dma = (struct bh_dma){dma_read, dma_write, vm};
    bh_console_init(&vm->con);
    if (bare) {
        if (bare_build(vm, err, errlen) != 0)
            goto fail;
    }
    for (int s = 0; !bare && s < BH_SEG_COUNT; s++) {
        const struct bh_segment *g = &img->seg[s];
        if (!g->size)
            continue;
        /* SPIM lets a program store into its text and ktext (and runs
         * what it stored): the core decodes a changed word again */
        int text = s == BH_SEG_TEXT || s == BH_SEG_KTEXT;
        if (bh_mem_load_bytes(vm->mem, g->addr, g->bytes, g->size,
                              text ? BH_PAGE_CODE : BH_PAGE_WRITABLE, err, errlen) != 0)
            goto fail;
    }

    if (!original && !bare) {
        bh_core_set_reg(vm->core, 28, (int32_t)BH_GP_INIT);
        bh_core_set_reg(vm->core, 29, (int32_t)BH_VM_SP_INIT);
    }
    if (!bare) {
        bh_core_set_pc(vm->core, img->entry);
        bh_core_set_c0(vm->core, BH_C0_STATUS, BH_STATUS_INIT);
    }
    if ((img->flags & BH_IMG_STARTUP) && !bare) {
        char *noargs[1] = {(char *)"program"};
        int argc = o->argc > 0 && o->argv ? o->argc : 1;
        if (build_stack(vm, argc, o->argc > 0 && o->argv ? o->argv : noargs, err, errlen) != 0)
            goto fail;
    }
    const struct bh_segment *data = &img->seg[BH_SEG_DATA];
    uint64_t data_end = (uint64_t)data->addr + data->size;
    uint64_t brk = (data_end + BH_PAGE_SIZE - 1) & ~(uint64_t)(BH_PAGE_SIZE - 1);
    vm->mars = vm->opts.dialect == BH_DIALECT_MARS ||
               (vm->opts.dialect == BH_DIALECT_IMAGE && (img->flags & BH_IMG_MARS));
    uint32_t brk_min = vm->mars ? BH_BRK_MIN_MARS : BH_BRK_MIN;
    vm->brk = data->size && brk > brk_min ? (uint32_t)brk : brk_min;
    vm->img_hash = bh_image_hash(img);

    if (bh_pv_init(&vm->pv, vm->opts.seed, vm->fs_root, err, errlen) != 0)
        goto fail;
    pv_ok = 1;
    /* The devices (docs/devices.md): the console's registers at the start
     * of the device window, its receiver on hardware interrupt 1 (Cause
     * IP3) and its transmitter on 0 (IP2), as SPIM and MARS wire them; the
     * rtc and the interval timer (line 3, IP5) after them. */
    bh_vm_set_state(vm, BH_VM_RUNNING);
    vm->con.irq_rcv = (struct bh_irq){cpu_irq, vm, 1};
    vm->con.irq_tx = (struct bh_irq){cpu_irq, vm, 0};
    vm->clock.src = (struct bh_clock_src){clock_now, clock_deadline, vm};
    vm->clock.irq = (struct bh_irq){cpu_irq, vm, 3};
    uint32_t io = bare ? BH_BARE_IO_BASE : BH_MMIO_BASE;
    if (bh_mem_map_io(vm->mem, io + BH_IO_CONSOLE, &bh_console_region, &vm->con, err, errlen) ||
        bh_mem_map_io(vm->mem, io + BH_IO_RTC, &bh_rtc_region, &vm->clock, err, errlen) ||
        bh_mem_map_io(vm->mem, io + BH_IO_TIMER, &bh_timer_region, &vm->clock, err, errlen))
        goto fail;
    /* The disk: its completion on hardware interrupt 2 (Cause IP4), its
     * DMA through the machine's guest-memory access. */
    if (o->disk) {
        if (bh_disk_open(&vm->disk, o->disk, err, errlen) != 0)
            goto fail;
        vm->disk.irq = (struct bh_irq){cpu_irq, vm, 2};
        vm->disk.dma = vm->dma;
        if (bh_mem_map_io(vm->mem, io + BH_IO_DISK, &bh_disk_region, &vm->disk, err, errlen))
            goto fail;
    }
    /* The network card: its interrupt on hardware interrupt 4 (Cause
     * IP6), unplugged until the host plugs it into its switch. */
    if (o->net) {
        uint8_t mac[6];
        if (o->mac && bh_nic_parse_mac(o->mac, mac) != 0) {
            bh_errf(err, errlen, "MAC address '%s' is not six hex bytes of a unicast address",
                    o->mac);
            goto fail;
        }
        if (!o->mac)
            bh_nic_mac_of_name(bh_vm_name(vm), mac);
        if (bh_vm_nic_on(vm, mac, err, errlen))
            goto fail;
    }
    *out = vm;
    return 0;
fail:
    if (pv_ok)
        bh_pv_free(&vm->pv);
    bh_disk_close(&vm->disk);
    free(vm->nic);
    bh_core_free(vm->core);
    free(vm->name);
    free(vm->fs_root);
    free(vm);
    return -1;
}

void bh_vm_destroy(struct bh_vm *vm)
{
    if (!vm)
        return;
    bh_pv_free(&vm->pv);
    bh_console_free(&vm->con);
    bh_disk_close(&vm->disk);
    free(vm->nic);
    bh_core_free(vm->core);
    free(vm->name);
    free(vm->fs_root);
    free(vm);
}

/* ---- the bitmap display ------------------------------------------------- */

struct bh_display *bh_vm_display(struct bh_vm *vm)
{
    return vm->has_display ? &vm->display : NULL;
}

int bh_vm_display_on(struct bh_vm *vm, const struct bh_display_geom *g, char *err, size_t errlen)
{
    if (bh_display_geom_check(g, err, errlen))
        return -1;
    vm->display.g = *g;
    vm->display.dma = vm->dma;
    vm->has_display = 1;
    vm->display_seen = 0;
    return 0;
}

int bh_vm_display_changed(struct bh_vm *vm)
{
    if (!vm->has_display)
        return 0;
    int changed = bh_mem_watch(vm->mem, vm->display.g.base, bh_display_bytes(&vm->display.g));
    changed |= !vm->display_seen;
    vm->display_seen = 1;
    return changed;
}

/* ---- accessors: the core's state, forwarded ------------------------------ */

/* Device timers around a run: as a hypervisor arms a host timer for a
 * guest timer's deadline, the core runs no further than the deadline (a
 * timer enabled during a run ends it there: clock_deadline, and the next
 * run, of one instruction, lets it fire), then the timer looks at the
 * time, and its expiration raises its line. */
static __attribute__((noinline)) uint64_t run_timed(struct bh_vm *vm, int64_t budget,
                                                    struct bh_exit *ex)
{
    uint64_t room = room_to(vm, bh_timer_deadline(&vm->clock));
    if ((uint64_t)budget > room)
        budget = room ? (int64_t)room : 1; /* due now: one more instruction */
    uint64_t ran = bh_core_run(vm->core, budget, ex);
    ex->expired = (uint32_t)bh_timer_tick(&vm->clock);
    return ran;
}

uint64_t bh_vm_run(struct bh_vm *vm, int64_t budget, struct bh_exit *ex)
{
    if (vm->nic)
        bh_nic_poll(vm->nic); /* frames that came while the VM was off its thread */
    if (bh_timer_deadline(&vm->clock) != UINT64_MAX)
        return run_timed(vm, budget, ex);
    ex->expired = 0; /* no timer runs: every exit of a SPIM program passes here */
    return bh_core_run(vm->core, budget, ex);
}
void bh_vm_step(struct bh_vm *vm, struct bh_exit *ex)
{
    bh_core_step(vm->core, ex);
    ex->expired = bh_timer_deadline(&vm->clock) == UINT64_MAX ? 0 : (uint32_t)bh_timer_tick(&vm->clock);
}
int bh_vm_break(struct bh_vm *vm, uint32_t pc, int on) { return bh_core_break(vm->core, pc, on); }
int bh_vm_break_at(const struct bh_vm *vm, uint32_t pc) { return bh_core_brk_at(vm->core, pc); }
int bh_vm_watch(struct bh_vm *vm, uint32_t addr, uint32_t len, unsigned kind, int on)
{
    return bh_mem_dwatch(bh_core_mem(vm->core), addr, len, kind, on);
}
void bh_vm_watch_enable(struct bh_vm *vm, int on) { bh_mem_dwatch_enable(bh_core_mem(vm->core), on); }
int32_t bh_vm_reg(const struct bh_vm *vm, unsigned r) { return bh_core_reg(vm->core, r); }
void bh_vm_set_reg(struct bh_vm *vm, unsigned r, int32_t v) { bh_core_set_reg(vm->core, r, v); }
int32_t bh_vm_hi(const struct bh_vm *vm) { return bh_core_hi(vm->core); }
int32_t bh_vm_lo(const struct bh_vm *vm) { return bh_core_lo(vm->core); }
uint32_t bh_vm_fpr(const struct bh_vm *vm, unsigned r) { return bh_core_fpr(vm->core, r); }
uint32_t bh_vm_fcsr(const struct bh_vm *vm) { return bh_core_fcsr(vm->core); }
void bh_vm_set_fpr(struct bh_vm *vm, unsigned r, uint32_t bits) { bh_core_set_fpr(vm->core, r, bits); }
void bh_vm_set_fcsr(struct bh_vm *vm, uint32_t v) { bh_core_set_fcsr(vm->core, v); }
void bh_vm_set_hilo(struct bh_vm *vm, int32_t hi, int32_t lo) { bh_core_set_hilo(vm->core, hi, lo); }
uint32_t bh_vm_pc(const struct bh_vm *vm) { return bh_core_pc(vm->core); }
void bh_vm_set_pc(struct bh_vm *vm, uint32_t pc) { bh_core_set_pc(vm->core, pc); }
uint32_t bh_vm_c0(const struct bh_vm *vm, unsigned r) { return bh_core_c0(vm->core, r); }
void bh_vm_set_c0(struct bh_vm *vm, unsigned r, uint32_t v) { bh_core_set_c0(vm->core, r, v); }
void bh_vm_irq(struct bh_vm *vm, uint32_t cause_mask, int level)
{
    bh_core_irq(vm->core, cause_mask, level);
}
uint64_t bh_vm_icount(const struct bh_vm *vm) { return bh_core_icount(vm->core); }


int bh_vm_read(struct bh_vm *vm, uint32_t addr, void *dst, uint32_t n)
{
    return bh_mem_read(vm->mem, addr, dst, n);
}

int bh_vm_write(struct bh_vm *vm, uint32_t addr, const void *src, uint32_t n)
{
    return bh_mem_write(vm->mem, addr, src, n);
}

long bh_vm_read_str(struct bh_vm *vm, uint32_t addr, char *dst, size_t cap)
{
    for (size_t i = 0; i < cap; i++) {
        if (bh_mem_read(vm->mem, addr + (uint32_t)i, dst + i, 1) != 0 || addr + i > 0xffffffffu)
            return -1;
        if (dst[i] == '\0')
            return (long)i;
    }
    if (cap)
        dst[cap - 1] = '\0';
    return -1;
}

uint32_t bh_vm_brk(const struct bh_vm *vm) { return vm->brk; }
void bh_vm_set_brk(struct bh_vm *vm, uint32_t brk) { vm->brk = brk; }
const struct bh_image *bh_vm_image(const struct bh_vm *vm) { return vm->img; }
uint64_t bh_vm_image_hash(const struct bh_vm *vm) { return vm->img_hash; }
const char *bh_vm_name(const struct bh_vm *vm) { return vm->name ? vm->name : ""; }
const char *bh_vm_fs_root(const struct bh_vm *vm) { return vm->fs_root; }
uint64_t bh_vm_seed(const struct bh_vm *vm) { return vm->opts.seed; }
uint64_t bh_vm_mem_limit(const struct bh_vm *vm) { return vm->opts.mem_limit; }
struct bh_console *bh_vm_console(struct bh_vm *vm) { return &vm->con; }
struct bh_disk *bh_vm_disk(struct bh_vm *vm) { return vm->disk.fd >= 0 ? &vm->disk : NULL; }
struct bh_nic *bh_vm_nic(struct bh_vm *vm) { return vm->nic; }

int bh_vm_nic_on(struct bh_vm *vm, const uint8_t mac[6], char *err, size_t errlen)
{
    if (vm->nic)
        return 0;
    struct bh_nic *n = malloc(sizeof *n);
    if (!n)
        return bh_errf(err, errlen, "out of memory");
    bh_nic_init(n, mac);
    n->irq = (struct bh_irq){cpu_irq, vm, 4};
    n->dma = vm->dma;
    n->clock = (struct bh_clock_src){clock_now, NULL, vm};
    uint32_t io = bh_vm_machine(vm) == BH_MACHINE_BARE ? BH_BARE_IO_BASE : BH_MMIO_BASE;
    if (bh_mem_map_io(vm->mem, io + BH_IO_NIC, &bh_nic_region, n, err, errlen)) {
        free(n);
        return -1;
    }
    vm->nic = n;
    return 0;
}
void bh_vm_nic_plug(struct bh_vm *vm, const struct bh_net_link *link) { vm->nic->link = *link; }
struct bh_vm_ctl *bh_vm_ctl(struct bh_vm *vm) { return &vm->ctl; }
struct bh_stats *bh_vm_stats(struct bh_vm *vm) { return &vm->stats; }
const uint64_t *bh_vm_mix(const struct bh_vm *vm) { return bh_core_mix(vm->core); }

void bh_vm_set_state(struct bh_vm *vm, enum bh_vm_state st)
{
    vm->ctl.state = st;
    vm->con.hold_lines = st == BH_VM_RUNNING || st == BH_VM_WAITING;
}

void bh_vm_retry_syscall(struct bh_vm *vm) { bh_core_retry(vm->core); }
struct bh_mem *bh_vm_mem(struct bh_vm *vm) { return vm->mem; }
struct bh_core *bh_vm_core(struct bh_vm *vm) { return vm->core; }
int32_t bh_vm_poweroff_status(const struct bh_vm *vm) { return (int32_t)vm->board.status; }
int bh_vm_machine(const struct bh_vm *vm) { return vm->opts.machine; }

const char *bh_vm_exc_name(int exc)
{
    switch (exc) {
    case BH_EXC_INT: return "Int";
    case BH_EXC_MOD: return "Mod";
    case BH_EXC_TLBL: return "TLBL";
    case BH_EXC_TLBS: return "TLBS";
    case BH_EXC_ADEL: return "AdEL";
    case BH_EXC_ADES: return "AdES";
    case BH_EXC_IBE: return "IBE";
    case BH_EXC_DBE: return "DBE";
    case BH_EXC_SYS: return "Sys";
    case BH_EXC_BP: return "Bp";
    case BH_EXC_RI: return "RI";
    case BH_EXC_CPU: return "CpU";
    case BH_EXC_OV: return "Ov";
    case BH_EXC_TR: return "Tr";
    case BH_EXC_FPE: return "FPE";
    default: return "?";
    }
}
