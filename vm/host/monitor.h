/* monitor.h: the monitor: the loop that runs a VM's core and handles each
 * exit (syscall, hypercall, fault, halt) before resuming it.
 *
 * This is the seam the tool teaches: the core (cpu.c, bh_vm_run) executes
 * guest instructions until something needs the outside world; everything
 * the outside world does happens here and in the files this loop calls
 * (the machine's syscall.c, fsys.c and fault.c, the console, trace.c).  It is the only place
 * exits are handled.
 *
 * A step touches only its own VM (all state lives in struct bh_vm), so a scheduler may step many VMs on several threads,
 * one thread per VM at a time. */
#ifndef BH_MONITOR_H
#define BH_MONITOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "machine/machine.h"

/* myvmm's exit status for a VM that stopped in each way (docs/myvmm.md). */
#define BH_STATUS_ERROR  1 /* bad file, assembly errors, config errors, I/O */
#define BH_STATUS_USAGE  2 /* command-line mistakes */
#define BH_STATUS_FAULT  3 /* the guest faulted (incl. memory limit, bad syscall) */
#define BH_STATUS_LIMIT  4 /* the instruction limit was reached */

/* Run vm for about budget instructions (the core checks the budget at
 * taken branches), handling every exit on the way.  Stops early when the
 * VM exits, faults, reaches its instruction limit, or (with
 * ctl.nonblock) must wait for input.  On BH_VM_FAULTED / BH_VM_LIMIT, msg
 * holds the message for the user (several lines: kind, PC, label, source
 * line).  Console output is written as lines complete; the unfinished
 * line is flushed when the VM stops or waits. */
enum bh_vm_state bh_monitor_step(struct bh_vm *vm, int64_t budget, char *msg, size_t msglen);
/* One instruction (bh_vm_step), its exit handled as bh_monitor_step
 * handles it: a debugger's step.  A breakpoint at pc does not stop it
 * (the instruction under it runs); a watchpoint does, unless suspended.
 * A step ends with the instruction: a slice that stops at a breakpoint
 * or watchpoint ends early too (ctl->debug_hit, ctl->debug). */
enum bh_vm_state bh_monitor_single(struct bh_vm *vm, char *msg, size_t msglen);

/* The status myvmm exits with for this VM: the guest's exit2 code when it
 * exited, BH_STATUS_FAULT / BH_STATUS_LIMIT otherwise; 0 while running. */
int bh_monitor_status(const struct bh_vm *vm);

const char *bh_monitor_state_name(enum bh_vm_state s);

/* trace.c: --trace-exits, --trace and --stats output (to ctl.diag). */
void bh_trace_exit(struct bh_vm *vm, const struct bh_exit *ex, const char *handled);
/* --trace-exits: print what the core does inside the guest without an
 * exit (guest exceptions and interrupts) as it happens. */
void bh_trace_events_on(struct bh_vm *vm);
/* "print_int"... for syscall number n, from the syscall table (syscall.h);
 * "unknown" for a number the dispatcher refuses. */
const char *bh_trace_syscall_name(int32_t n);
/* --trace: what an instruction's line needs from before it ran. */
struct bh_trace_insn {
    uint32_t pc, word;
    int have_word;
    int32_t before[34]; /* $0-$31, hi, lo */
    uint32_t fbefore[33]; /* $f0-$f31, FCSR */
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
