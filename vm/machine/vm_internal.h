/* vm_internal.h: everything a VM is, private to vm/machine (the layers
 * above use machine.h and include/vm.h).  One struct, no globals, so many
 * VMs run in one process and a snapshot can walk the whole machine.
 * What a snapshot must carry to resume exactly: the core's CPU state
 *   (bh_core_save), brk, the memory pages (bh_mem_foreach_page), the
 *   console (console.h), the disk (disk.h) and the machine's own state (pv, ctl.state/
 *   exited/exit_status, stats: bh_machine_save).  The decoded code arrays are derived from the
 *   image and are rebuilt by bh_vm_create: never serialize them.
 */
#ifndef BH_VM_INTERNAL_H
#define BH_VM_INTERNAL_H

#include <stdint.h>

#include "core/cpu.h"
#include "dev/board.h"
#include "dev/clock.h"
#include "dev/console.h"
#include "dev/disk.h"
#include "dev/nic.h"
#include "dev/display.h"
#include "image.h"
#include "isa.h"
#include "machine/machine.h"
#include "mem/mem.h"
#include "vm.h"

/* The paravirtual devices the syscalls see: the virtual clock, MARS's
 * random generators and the guest's open files (pv.c, fsys.c). */

/* The virtual clock: a fixed epoch (2024-01-01T00:00:00Z in ms) plus one
 * virtual nanosecond per instruction plus the virtual sleeps.  Runs are
 * reproducible because nothing here reads the host clock. */
#define BH_PV_EPOCH_MS    1704067200000ull
#define BH_PV_NS_PER_INSN 1u
#define BH_PV_RNG_MAX     16  /* distinct generator ids (MARS syscall 40) */
#define BH_PV_FILES_MAX   16  /* open guest files at once */
#define BH_PV_PATH_MAX    256 /* guest path, relative to the fs root */
/* MARS open flags */
#define BH_PV_O_READ   0
#define BH_PV_O_WRITE  1
#define BH_PV_O_APPEND 9

struct bh_pv_rng {
    int32_t id;
    uint64_t state; /* java.util.Random's 48-bit state, so MARS programs match */
};

struct bh_pv_file {
    int32_t used;
    int32_t guest_fd;  /* 3, 4, ... */
    int32_t flags;     /* BH_PV_O_* as the guest passed them */
    uint64_t offset;   /* current position (for reopening after a restore) */
    char path[BH_PV_PATH_MAX]; /* as the guest named it, relative to fs_root */
    int host_fd;       /* not serialized */
};

struct bh_pv {
    uint64_t sleep_ms;  /* virtual milliseconds added by syscall 32 */
    uint64_t seed;      /* the VM's --seed (default generator's origin) */
    struct bh_pv_rng rng[BH_PV_RNG_MAX];
    uint32_t nrng;
    struct bh_pv_file files[BH_PV_FILES_MAX];
    int root_fd;        /* O_DIRECTORY fd of fs_root, or -1 (not serialized) */
};

/* pv.c */
int bh_pv_init(struct bh_pv *pv, uint64_t seed, const char *fs_root, char *err, size_t errlen);
void bh_pv_free(struct bh_pv *pv);
/* Virtual time in ms since the Unix epoch for instruction count icount. */
uint64_t bh_pv_time_ms(const struct bh_pv *pv, uint64_t icount);
/* The same clock in ns (the rtc and the timer read it). */
uint64_t bh_pv_time_ns(const struct bh_pv *pv, uint64_t icount);
/* MARS random numbers (java.util.Random semantics). */
void bh_pv_rng_seed(struct bh_pv *pv, int32_t id, uint64_t seed);
int32_t bh_pv_rng_int(struct bh_pv *pv, int32_t id);
float bh_pv_rng_float(struct bh_pv *pv, int32_t id);
double bh_pv_rng_double(struct bh_pv *pv, int32_t id);
/* In [0, bound); bound must be > 0. */
int32_t bh_pv_rng_below(struct bh_pv *pv, int32_t id, int32_t bound);

/* fsys.c: guest files (MARS syscalls 13-16) inside --fs-root.  Each
 * returns the value for $v0: a descriptor / byte count, or -1. */
int32_t bh_fsys_open(struct bh_vm *vm, const char *path, int32_t flags);
int32_t bh_fsys_read(struct bh_vm *vm, int32_t fd, uint32_t buf, int32_t n, int *waiting);
int32_t bh_fsys_write(struct bh_vm *vm, int32_t fd, uint32_t buf, int32_t n);
int32_t bh_fsys_close(struct bh_vm *vm, int32_t fd);
/* Open path inside the directory root_fd without leaving it: no absolute
 * paths, no "..", no symbolic links (O_NOFOLLOW on every component).
 * Returns a host fd or -1 with errno set. */
int bh_fsys_open_beneath(int root_fd, const char *path, int oflags, int mode);

struct bh_vm {
    struct bh_core *core; /* the CPU and, inside it, the guest memory */
    struct bh_mem *mem;   /* bh_core_mem(core) */
    const struct bh_image *img;
    uint64_t img_hash;
    uint32_t brk;
    struct bh_console con;
    struct bh_board board; /* the bare machine's (unwired otherwise) */
    struct bh_disk disk;   /* the block device (disk.fd -1: the VM has none) */
    struct bh_nic *nic;    /* the network card, or NULL (its FIFO is 12 KiB: only when asked) */
    /* Guest memory as devices see it (DMA, dev.h): the VM's own addresses
     * on the spim machine (identity-mapped), physical ones on the bare
     * machine; writes mark pages dirty; device and text pages refuse. */
    struct bh_dma dma;
    struct bh_clock clock; /* the rtc and the interval timer */
    struct bh_display display; /* the bitmap display, when has_display */
    int has_display;
    int display_seen;          /* bh_vm_display_changed answered once since the geometry */
    struct bh_pv pv;
    struct bh_vm_ctl ctl;
    struct bh_stats stats;
    int mars;             /* MARS's dialect: its read syscalls and heap base */
    struct bh_vm_opts opts; /* name and fs_root point at the copies below; argv NULL */
    char *name, *fs_root;
};


#endif
