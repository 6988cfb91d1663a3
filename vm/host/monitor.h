/* monitor.h: the monitor: the loop that runs a VM's core and handles each
 * exit (syscall, hypercall, fault, halt) before resuming it.
 *
 * This is the seam the tool teaches: the core (cpu.c, bh_vm_run) executes
 * guest instructions until something needs the outside world; everything
 * the outside world does happens here and in the files this loop calls
 * (syscall.c, fsys.c, dev.c, fault.c, trace.c).  It is the only place
 * exits are handled.
 *
 * A step touches only its own VM (all state lives in struct bh_vm and its
 * struct bh_dev), so a scheduler may step many VMs on several threads,
 * one thread per VM at a time. */
#ifndef BH_MONITOR_H
#define BH_MONITOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bh_vm;

enum bh_vm_state {
    BH_VM_RUNNING,   /* budget spent; call again */
    BH_VM_WAITING,   /* non-blocking mode: a read needs input that has not
                        arrived; the syscall will run again at the next step */
    BH_VM_EXITED,    /* syscall 10/17, fell off the end of text: see status */
    BH_VM_FAULTED,   /* stopped by a fault or a monitor error: see msg */
    BH_VM_LIMIT      /* the instruction limit was reached: see msg */
};

/* myvmm's exit status for a VM that stopped in each way (docs/myvmm.md). */
#define BH_STATUS_ERROR  1 /* bad file, assembly errors, config errors, I/O */
#define BH_STATUS_USAGE  2 /* command-line mistakes */
#define BH_STATUS_FAULT  3 /* the guest faulted (incl. memory limit, bad syscall) */
#define BH_STATUS_LIMIT  4 /* the instruction limit was reached */

/* Run vm for about budget instructions (the core checks the budget at
 * taken branches), handling every exit on the way.  Stops early when the
 * VM exits, faults, reaches its instruction limit, or (with
 * dev.nonblock) must wait for input.  On BH_VM_FAULTED / BH_VM_LIMIT, msg
 * holds the message for the user (several lines: kind, PC, label, source
 * line).  Console output is written as lines complete; the unfinished
 * line is flushed when the VM stops or waits. */
enum bh_vm_state bh_monitor_step(struct bh_vm *vm, int64_t budget, char *msg, size_t msglen);

/* The status myvmm exits with for this VM: the guest's exit2 code when it
 * exited, BH_STATUS_FAULT / BH_STATUS_LIMIT otherwise; 0 while running. */
int bh_monitor_status(const struct bh_vm *vm);

const char *bh_monitor_state_name(enum bh_vm_state s);

/* ---- parts of the monitor in their own files ---- */

/* syscall.c: emulate the syscall in $v0.  Returns the new state
 * (BH_VM_RUNNING to go on). */
enum bh_vm_state bh_syscall(struct bh_vm *vm, char *msg, size_t msglen);

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

/* fault.c: the message for a fault exit ("address error on load (AdEL)
 * at PC ... in main+8, prog.s:12: ..."). */
struct bh_exit;
void bh_fault_message(struct bh_vm *vm, const struct bh_exit *ex, char *msg, size_t msglen);
/* "label+off" of addr, or the hex address, into buf. */
void bh_fault_where(const struct bh_vm *vm, uint32_t addr, char *buf, size_t n);

/* trace.c: --trace-exits, --trace and --stats output (to dev.diag). */
void bh_trace_exit(struct bh_vm *vm, const struct bh_exit *ex, const char *handled);
/* "print_int"... for syscall number n, from the syscall table (syscall.h);
 * "unknown" for a number the dispatcher refuses. */
const char *bh_trace_syscall_name(int32_t n);
/* --trace: what an instruction's line needs from before it ran. */
struct bh_trace_insn {
    uint32_t pc, word;
    int have_word;
    int32_t before[34]; /* $0-$31, hi, lo */
};
/* --trace: run one instruction with the core and print it with the
 * registers it changed.  Same contract as bh_vm_run with a budget of 1.
 * A syscall changes registers only once the monitor has emulated it, so
 * its line is left to bh_trace_syscall, which gets t. */
void bh_trace_step(struct bh_vm *vm, struct bh_exit *ex, struct bh_trace_insn *t);
/* --trace: the line of the syscall t ran, after the monitor emulated
 * syscall num with the outcome st: it shows the registers the syscall
 * wrote (its result registers always, when it completed). */
void bh_trace_syscall(struct bh_vm *vm, const struct bh_trace_insn *t, int32_t num,
                      enum bh_vm_state st);
/* --stats: instructions, exits by kind, instruction mix, time, MIPS. */
void bh_trace_stats(struct bh_vm *vm, double seconds, FILE *out);

#endif
