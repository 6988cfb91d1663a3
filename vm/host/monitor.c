/* monitor.c: the exit-handling loop, the monitor half of the hypervisor.
 *
 *        +--------- bh_vm_run(budget) ---------+
 *        |                                     v
 *   [ monitor ]  <---- struct bh_exit ----  [ core ]
 *     syscall  -> machine/syscall.c (console, files, clock, random)
 *     hypercall-> DUMP_PROCESSOR_STATE, SNAPSHOT (snapshot.c)
 *     fault    -> machine/fault.c (message), the VM stops
 *     halt     -> the program ran off its last instruction: exit 0
 *     poweroff -> the bare machine's board was told to power off: exit status
 *     budget   -> the slice is over (or keep going); a device timer's
 *                 deadline ends a run too (bh_vm_run), after which the
 *                 timer fired (its interrupt line went up): resume
 *
 * As KVM's userspace loop around KVM_RUN: the core never does I/O, the
 * monitor never executes guest instructions.  Everything here works on one
 * VM's own state, so a scheduler can step VMs on many threads. */
#include <stdio.h>
#include <string.h>

#include "host/monitor.h"
#include "isa.h"
#include "state/snapshot.h"

const char *bh_monitor_state_name(enum bh_vm_state s)
{
    switch (s) {
    case BH_VM_RUNNING: return "running";
    case BH_VM_WAITING: return "waiting for input";
    case BH_VM_EXITED: return "exited";
    case BH_VM_FAULTED: return "faulted";
    case BH_VM_LIMIT: return "instruction limit reached";
    }
    return "?";
}

int bh_monitor_status(const struct bh_vm *vm)
{
    const struct bh_vm_ctl *ctl = bh_vm_ctl((struct bh_vm *)vm);
    switch (ctl->state) {
    case BH_VM_EXITED: return ctl->exit_status;
    case BH_VM_FAULTED: return BH_STATUS_FAULT;
    case BH_VM_LIMIT: return BH_STATUS_LIMIT;
    default: return 0;
    }
}

static void dump_processor_state(struct bh_vm *vm)
{
    /* The original tool's format: "$r0=0" ... "$r31=N", signed decimal. */
    for (unsigned r = 0; r < 32; r++) bh_console_printf(bh_vm_console(vm), "$r%u=%d\n", r, bh_vm_reg(vm, r));
}

static enum bh_vm_state hypercall(struct bh_vm *vm, const struct bh_exit *ex, char *msg,
                                  size_t msglen, const char **handled)
{
    switch (ex->code) {
    case 0x00: /* DUMP_PROCESSOR_STATE */
        dump_processor_state(vm);
        *handled = "DUMP_PROCESSOR_STATE: registers printed";
        return BH_VM_RUNNING;
    case 0x01: { /* SNAPSHOT file: the name is in the image's string table */
        const char *path = bh_image_str(bh_vm_image(vm), ex->arg);
        char err[512];
        struct bh_exit at = *ex;
        at.pc = ex->pc - 4;
        at.exc = -1;
        char where[1024];
        bh_fault_message(vm, &at, where, sizeof where);
        if (!path[0]) {
            snprintf(msg, msglen, "SNAPSHOT without a file name%s", where);
            return BH_VM_FAULTED;
        }
        if (bh_snapshot_save(vm, path, err, sizeof err) != 0) {
            snprintf(msg, msglen, "SNAPSHOT failed: %s%s", err, where);
            return BH_VM_FAULTED;
        }
        if (bh_vm_ctl(vm)->snapshot_taken)
            bh_vm_ctl(vm)->snapshot_taken(bh_vm_ctl(vm)->snapshot_taken_ctx, vm);
        *handled = "SNAPSHOT: saved";
        return BH_VM_RUNNING;
    }
    default: {
        struct bh_exit at = *ex;
        at.pc = ex->pc - 4;
        at.exc = -1;
        char where[1024];
        bh_fault_message(vm, &at, where, sizeof where);
        snprintf(msg, msglen, "unknown hypercall %u%s", ex->code, where);
        return BH_VM_FAULTED;
    }
    }
}

static enum bh_vm_state finish(struct bh_vm *vm, enum bh_vm_state st)
{
    struct bh_console *con = bh_vm_console(vm);
    bh_vm_set_state(vm, st);
    if (st == BH_VM_WAITING) bh_console_flush(con);
    else bh_console_close_output(con);
    return st;
}

/* The loop of bh_monitor_step, or (single) one instruction by bh_vm_step. */
static enum bh_vm_state monitor_loop(struct bh_vm *vm, int64_t budget, int single, char *msg,
                                     size_t msglen)
{
    struct bh_vm_ctl *ctl = bh_vm_ctl(vm);
    struct bh_stats *stats = bh_vm_stats(vm);
    if (msglen) msg[0] = '\0';
    if (ctl->state != BH_VM_RUNNING && ctl->state != BH_VM_WAITING) return ctl->state;
    bh_console_poll(bh_vm_console(vm)); /* input may have arrived since the last slice */
    if (ctl->trace_exits)
        bh_trace_events_on(vm); /* a restored or arrived VM too */

    int64_t left = budget;
    for (;;) {
        int64_t run = left;
        if (ctl->max_instructions) {
            if (bh_vm_icount(vm) >= ctl->max_instructions) {
                snprintf(msg, msglen, "instruction limit of %llu reached (%llu executed) at PC 0x%08x"
                         BH_HELP "a program that needs more runs with a higher --max-instructions "
                         "(or vm_max_instructions); one in a loop, with --trace, shows the loop",
                         (unsigned long long)ctl->max_instructions,
                         (unsigned long long)bh_vm_icount(vm), bh_vm_pc(vm));
                return finish(vm, BH_VM_LIMIT);
            }
            uint64_t room = ctl->max_instructions - bh_vm_icount(vm);
            if ((uint64_t)run > room) run = (int64_t)room;
        }

        struct bh_exit ex;
        struct bh_trace_insn traced;
        uint64_t ran;
        if (ctl->trace || single) {
            uint64_t before = bh_vm_icount(vm);
            if (ctl->trace)
                bh_trace_step(vm, &ex, &traced);
            else
                bh_vm_step(vm, &ex);
            ran = bh_vm_icount(vm) - before;
        } else {
            ran = bh_vm_run(vm, run, &ex);
        }
        left -= (int64_t)ran;
        /* Single steps for --trace end in budget exits the core would not
         * otherwise make: they are not counted. */
        if (!((ctl->trace || single) && ex.kind == BH_EXIT_BUDGET) && ex.kind != BH_EXIT_DEBUG)
            stats->nexits[ex.kind == BH_EXIT_POWEROFF ? BH_EXIT_HALT : (unsigned)ex.kind]++;

        const char *handled = "resumed";
        char hbuf[160], pbuf[40], tbuf[112];
        int32_t sysnum = 0;
        enum bh_vm_state st = BH_VM_RUNNING;
        switch (ex.kind) {
        case BH_EXIT_BUDGET:
            handled = left > 0 ? "slice goes on" : "slice over";
            if (ex.expired) {
                snprintf(tbuf, sizeof tbuf, "interval timer expired (%u): interrupt line 3 "
                         "raised if enabled; %s", ex.expired, handled);
                handled = tbuf;
            }
            break;
        case BH_EXIT_SYSCALL:
            stats->nsyscalls++;
            sysnum = bh_vm_reg(vm, 2);
            st = bh_syscall(vm, msg, msglen);
            if (st == BH_VM_WAITING) {
                bh_vm_retry_syscall(vm); /* runs again when input is there */
                handled = "no input yet: will retry";
            } else {
                handled = st == BH_VM_RUNNING ? "emulated" : bh_monitor_state_name(st);
            }
            if (ctl->trace)
                bh_trace_syscall(vm, &traced, sysnum, st);
            break;
        case BH_EXIT_HYPERCALL:
            st = hypercall(vm, &ex, msg, msglen, &handled);
            if (st != BH_VM_RUNNING) handled = "failed";
            break;
        case BH_EXIT_FAULT:
            if (ctl->debug_faults && ctl->debug_fault_at != bh_vm_icount(vm) + 1) {
                ctl->debug_fault_at = bh_vm_icount(vm) + 1;
                ctl->debug_hit = 1; /* the debugger sees it first (control.c) */
                ctl->debug = ex;
                handled = "fault: VM paused for the debugger";
                break;
            }
            bh_fault_message(vm, &ex, msg, msglen);
            st = BH_VM_FAULTED;
            handled = "VM stopped";
            break;
        case BH_EXIT_HALT:
            /* MARS ends a program that runs past its last instruction normally. */
            ctl->exited = 1;
            ctl->exit_status = 0;
            st = BH_VM_EXITED;
            handled = "ran off the end of the program: exit 0";
            break;
        case BH_EXIT_DEBUG:
            /* The controller's (control.c): the slice ends here. */
            ctl->debug_hit = 1;
            ctl->debug = ex;
            handled = ex.code == BH_DEBUG_BREAK ? "breakpoint: VM paused" : "watchpoint: VM paused";
            break;
        case BH_EXIT_POWEROFF:
            ctl->exited = 1;
            ctl->exit_status = bh_vm_poweroff_status(vm);
            st = BH_VM_EXITED;
            snprintf(pbuf, sizeof pbuf, "board powered off: exit %d", (int)ctl->exit_status);
            handled = pbuf;
            break;
        }
        if (ctl->trace_exits) {
            if (ex.kind == BH_EXIT_SYSCALL) {
                snprintf(hbuf, sizeof hbuf, "%d %s: %s", sysnum, bh_trace_syscall_name(sysnum),
                         handled);
                handled = hbuf;
            }
            bh_trace_exit(vm, &ex, handled);
        }
        if (st != BH_VM_RUNNING) return finish(vm, st);
        if (left <= 0 || single || ctl->debug_hit) {
            /* The slice is over.  No flush: an unfinished line waits for
             * its end, so lines of VMs sharing a terminal stay whole. */
            bh_vm_set_state(vm, BH_VM_RUNNING);
            return BH_VM_RUNNING;
        }
    }
}

enum bh_vm_state bh_monitor_step(struct bh_vm *vm, int64_t budget, char *msg, size_t msglen)
{
    return monitor_loop(vm, budget, 0, msg, msglen);
}

enum bh_vm_state bh_monitor_single(struct bh_vm *vm, char *msg, size_t msglen)
{
    return monitor_loop(vm, 1, 1, msg, msglen);
}
