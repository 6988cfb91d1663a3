/* vm_internal.h: everything a VM is.  One struct, no globals, so many VMs
 * run in one process and a snapshot can walk the whole machine.
 *
 * For the monitor, snapshot and migration code of myvmm only; outside vm/
 * use include/vm.h.  What a snapshot must carry to resume exactly:
 *   cpu (r[0..31], hi, lo, pc, c0[], llbit), icount, count_base,
 *   timer_armed, brk, the memory pages (bh_mem_foreach_page) and the
 *   devices (dev, see dev.h).  The decoded code arrays are derived from the
 *   image and are rebuilt by bh_vm_create: never serialize them.
 * After changing cpu.pc, c0[] or icount directly, call bh_vm_state_changed.
 */
#ifndef BH_VM_INTERNAL_H
#define BH_VM_INTERNAL_H

#include <stdint.h>

#include "core/decode.h"
#include "dev.h"
#include "image.h"
#include "isa.h"
#include "mem.h"
#include "vm.h"

/* cp0 registers */
#define BH_C0_BADVADDR 8
#define BH_C0_COUNT    9
#define BH_C0_COMPARE  11
#define BH_C0_STATUS   12
#define BH_C0_CAUSE    13
#define BH_C0_EPC      14
#define BH_ST_IE  0x1u
#define BH_ST_EXL 0x2u
#define BH_ST_IM  0xff00u
#define BH_CAUSE_IP    0xff00u
#define BH_CAUSE_TIMER 0x8000u /* hardware interrupt 5 (IP7) */
#define BH_CAUSE_EXC(c) (((uint32_t)(c) & 0x1fu) << 2)
#define BH_CAUSE_EXC_MASK 0x7cu

struct bh_cpu {
    int32_t r[33];      /* r[32] is the write sink for $zero */
    int32_t hi, lo;
    uint32_t pc;        /* exact whenever the core is not running */
    uint32_t c0[32];    /* c0[BH_C0_COUNT] is derived: see count_base */
    int llbit;
};

struct bh_vm {
    struct bh_cpu cpu;
    uint64_t icount;      /* instructions retired, exact whenever the core is not running */
    uint64_t count_base;  /* Count = (uint32_t)(icount - count_base) */
    int timer_armed;      /* Compare was written: Count == Compare raises IP7 */
    uint64_t timer_at;    /* derived: the icount at which Count next equals Compare */
    int check_now;        /* set by bh_vm_irq: re-evaluate interrupts at the next branch */
    uint64_t budget_end;  /* this bh_vm_run exits at the first taken branch at or past it */
    int threaded;         /* decoded ops already turned into label addresses */
    int stepping;         /* inside bh_vm_step: a fault delivered to the guest stops at the vector */
    struct bh_code text, ktext;
    struct bh_mem mem;
    const struct bh_image *img;
    uint64_t img_hash;
    uint32_t brk;
    struct bh_dev dev;
    struct bh_vm_opts opts; /* name and fs_root point at the copies below; argv NULL */
    char *name, *fs_root;
};

/* Re-derive cached state after a snapshot restore changed the machine. */
void bh_vm_state_changed(struct bh_vm *vm);

/* Does the image have a guest exception handler (ktext at 0x80000180)? */
int bh_vm_has_handler(const struct bh_vm *vm);

#endif
