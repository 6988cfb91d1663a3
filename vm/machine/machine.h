/* machine.h: the machine layer's interface to the layers above it (the
 * monitor loop, the scheduler, snapshots and migration), beside the VM's
 * public face in include/vm.h.
 *
 * A VM (struct bh_vm, private to vm/machine) owns a core, a guest memory
 * and its devices, and wires them: the console's registers into the
 * memory map, its interrupt lines to the CPU's Cause bits.  This layer
 * also does the paravirtual exits (SPIM and MARS syscalls, the guest file
 * system) and names faults at their source line.  Nothing here prints or
 * exits: messages go into the caller's buffer, guest output to the
 * console. */
#ifndef BH_MACHINE_H
#define BH_MACHINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bh_util.h"
#include "core/cpu.h"
#include "dev/console.h"
#include "dev/disk.h"
#include "dev/nic.h"
#include "dev/display.h"
#include "vm.h"

/* Where a VM stands after the last monitor step. */
enum bh_vm_state {
    BH_VM_RUNNING, /* budget spent; call again */
    BH_VM_WAITING, /* non-blocking mode: a read needs input that has not
                      arrived; the syscall will run again at the next step */
    BH_VM_EXITED,  /* syscall 10/17, fell off the end of text: see exit_status */
    BH_VM_FAULTED, /* stopped by a fault or a monitor error */
    BH_VM_LIMIT    /* the instruction limit was reached */
};

/* The VM's run control: its state, how the guest ended, and the options
 * and requests the host and the guest exchange.  state, exited and
 * exit_status travel in snapshots; the rest is about this host's run. */
struct bh_vm_ctl {
    int state; /* enum bh_vm_state */
    int exited;
    int32_t exit_status;
    int nonblock;    /* a read with no input returns BH_VM_WAITING */
    int mig_armed;   /* a --migrate destination is set: syscall 60 may ask */
    int mig_request; /* syscall 60 asked: the next migration tick starts one */
    int trace, trace_exits, stats;
    uint64_t max_instructions; /* 0: no limit */
    int snap_compress;         /* this VM's snapshots zstd-compress their pages */
    bh_progress_fn snap_progress; /* told as its snapshots are written (may be NULL) */
    void *snap_progress_ctx;
    /* called after the guest's SNAPSHOT was saved (may be NULL) */
    void (*snapshot_taken)(void *ctx, struct bh_vm *vm);
    void *snapshot_taken_ctx;
    FILE *diag;                /* where --trace / --trace-exits write (NULL: stderr) */
    /* A debugger's breakpoint or watchpoint stopped the last step early
     * (the BH_EXIT_DEBUG exit, kept for the controller; vm/host/control.c
     * clears it). */
    int debug_hit;
    struct bh_exit debug;
    /* A debugger is attached (the gdb stub): a fault first pauses the VM
     * (debug_hit with the fault's exit) instead of ending it; the same
     * fault again (run on from there) ends it.  debug_fault_at is 1 +
     * the icount of the fault reported. */
    int debug_faults;
    uint64_t debug_fault_at;
};

/* Exits by kind, for --stats (index: enum bh_exit_kind; a power-off is
 * counted as a halt: the machine's end). */
#define BH_STAT_EXITS 5
struct bh_stats {
    uint64_t nexits[BH_STAT_EXITS];
    uint64_t nsyscalls;
};

struct bh_vm_ctl *bh_vm_ctl(struct bh_vm *vm);
struct bh_stats *bh_vm_stats(struct bh_vm *vm);
struct bh_console *bh_vm_console(struct bh_vm *vm);
struct bh_clock *bh_vm_clock(struct bh_vm *vm);
/* The VM's disk (dev/disk.h), or NULL when it has none. */
struct bh_disk *bh_vm_disk(struct bh_vm *vm);
/* The VM's network card (dev/nic.h), or NULL when it has none. */
struct bh_nic *bh_vm_nic(struct bh_vm *vm);
/* Give the VM a network card with this MAC, unplugged (a restore or a
 * migration of a VM that had one): 0 (also when it has one), or -1 with
 * a message. */
int bh_vm_nic_on(struct bh_vm *vm, const uint8_t mac[6], char *err, size_t errlen);
/* Plug the card into a wire (a switch's port): link is copied; a link
 * with send == NULL unplugs it.  The VM must have a card. */
void bh_vm_nic_plug(struct bh_vm *vm, const struct bh_net_link *link);
/* The bare machine's exit status, written to its board's power register. */
int32_t bh_vm_poweroff_status(const struct bh_vm *vm);
/* The VM's core (its CPU state travels as the core's CPU section). */
struct bh_core *bh_vm_core(struct bh_vm *vm);
/* Instructions by enum isa_op since bh_vm_tally, or NULL. */
const uint64_t *bh_vm_mix(const struct bh_vm *vm);

/* ---- the bitmap display (dev/display.h) ---- */

/* The VM's display, or NULL when it has none. */
struct bh_display *bh_vm_display(struct bh_vm *vm);
/* Give the VM a display of geometry g (checked), or change its geometry
 * (a restore).  It reads guest memory (guest physical addresses on a bare
 * machine) through the DMA interface; a VM without one never pays for it. */
int bh_vm_display_on(struct bh_vm *vm, const struct bh_display_geom *g, char *err, size_t errlen);
/* Was the framebuffer written since the last call (1 at the first)?  It
 * asks the memory's write watch (bh_mem_watch), so a guest that does not
 * draw costs nothing, and one that does takes one slow-path store per
 * framebuffer page after each call.  0 when the VM has no display. */
int bh_vm_display_changed(struct bh_vm *vm);

/* Set ctl.state.  While a VM runs or waits, the console holds an
 * unfinished line back when it shares the output with other VMs (so
 * their lines stay whole); once it stops, the line goes out. */
void bh_vm_set_state(struct bh_vm *vm, enum bh_vm_state st);


/* The syscall just run must wait for input: rewind the VM to it so it
 * runs again later, counted once (the virtual clock stays exact). */
void bh_vm_retry_syscall(struct bh_vm *vm);

/* ---- paravirtual exits ---- */

/* Emulate the syscall in $v0 (syscall.c).  Returns the new state
 * (BH_VM_RUNNING to go on); msg says why when the VM stops. */
enum bh_vm_state bh_syscall(struct bh_vm *vm, char *msg, size_t msglen);

/* ---- faults named at their source line (fault.c) ---- */

/* The message for a fault exit ("address error on load (AdEL) at PC ...
 * in main+8, prog.s:12: ..."). */
void bh_fault_message(struct bh_vm *vm, const struct bh_exit *ex, char *msg, size_t msglen);
/* "label+off" of addr, or the hex address, into buf. */
void bh_fault_where(const struct bh_vm *vm, uint32_t addr, char *buf, size_t n);
/* Line lineno of the source file path (tabs as spaces, no line ending),
 * or "" when it cannot be read. */
void bh_source_text(const char *path, uint32_t lineno, char *buf, size_t n);

/* ---- the machine's own state (snapshot section MACHINE) ---- */

/* Virtual clock, MARS random generators, open guest files, how the guest
 * ended, the run state and the exit counters.  Version 1 is the tail of
 * the DEV section of snapshot format 1, and the whole MACHINE section
 * since.  load validates everything (and reopens the guest's files under
 * --fs-root) before it changes the VM. */
#define BH_MACHINE_STATE_VERSION 1u
int bh_machine_save(const struct bh_vm *vm, struct bh_buf *b);
int bh_machine_load(struct bh_vm *vm, struct bh_rd *r, uint32_t version, char *err, size_t errlen);
/* Validation only: bh_machine_load with vm NULL.  The lines that
 * --snapshot-info prints for a body (clock, generators, files, exit). */
int bh_machine_describe(struct bh_rd *r, uint32_t version, struct bh_buf *o, char *err,
                        size_t errlen);

#endif
