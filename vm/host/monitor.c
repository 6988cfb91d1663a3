/* monitor.c: the exit-handling loop, the monitor half of the hypervisor.
 *
 *        +--------- bh_vm_run(budget) ---------+
 *        |                                     v
 *   [ monitor ]  <---- struct bh_exit ----  [ core ]
 *     syscall  -> syscall.c (console, files, clock, random)
 *     hypercall-> DUMP_PROCESSOR_STATE, SNAPSHOT (snapshot.c)
 *     fault    -> fault.c (message), the VM stops
 *     halt     -> the program ran off its last instruction: exit 0
 *     budget   -> the slice is over (or keep going)
 *
 * As KVM's userspace loop around KVM_RUN: the core never does I/O, the
 * monitor never executes guest instructions.  Everything here works on one
 * VM's own state, so a scheduler can step VMs on many threads. */
#include <stdio.h>
#include <string.h>

#include "monitor.h"
#include "snapshot.h"
#include "vm_internal.h"

/* Snapshots live in snapshot.c (another module); a build without it still
 * links and reports the SNAPSHOT instruction as unsupported. */
#pragma weak bh_snapshot_save

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
    const struct bh_dev *dev = &vm->dev;
    switch (dev->state) {
    case BH_VM_EXITED: return dev->exit_status;
    case BH_VM_FAULTED: return BH_STATUS_FAULT;
    case BH_VM_LIMIT: return BH_STATUS_LIMIT;
    default: return 0;
    }
}

static void dump_processor_state(struct bh_vm *vm)
{
    /* The original tool's format: "$r0=0" ... "$r31=N", signed decimal. */
    for (unsigned r = 0; r < 32; r++) bh_dev_printf(&vm->dev, "$r%u=%d\n", r, bh_vm_reg(vm, r));
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
        const char *path = bh_image_str(vm->img, ex->arg);
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
        if (!bh_snapshot_save) {
            snprintf(msg, msglen, "SNAPSHOT %s: this myvmm was built without snapshots%s", path,
                     where);
            return BH_VM_FAULTED;
        }
        if (bh_snapshot_save(vm, path, err, sizeof err) != 0) {
            snprintf(msg, msglen, "SNAPSHOT failed: %s%s", err, where);
            return BH_VM_FAULTED;
        }
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
    vm->dev.state = st;
    if (st == BH_VM_WAITING) bh_dev_flush(&vm->dev);
    else bh_dev_close_output(&vm->dev);
    return st;
}

enum bh_vm_state bh_monitor_step(struct bh_vm *vm, int64_t budget, char *msg, size_t msglen)
{
    struct bh_dev *dev = &vm->dev;
    if (msglen) msg[0] = '\0';
    if (dev->state != BH_VM_RUNNING && dev->state != BH_VM_WAITING) return dev->state;
    bh_dev_poll(dev); /* MMIO console: input may have arrived since the last slice */

    int64_t left = budget;
    for (;;) {
        int64_t run = left;
        if (dev->max_instructions) {
            if (vm->icount >= dev->max_instructions) {
                snprintf(msg, msglen, "instruction limit of %llu reached (%llu executed) at PC 0x%08x",
                         (unsigned long long)dev->max_instructions,
                         (unsigned long long)vm->icount, vm->cpu.pc);
                return finish(vm, BH_VM_LIMIT);
            }
            uint64_t room = dev->max_instructions - vm->icount;
            if ((uint64_t)run > room) run = (int64_t)room;
        }

        struct bh_exit ex;
        struct bh_trace_insn traced;
        uint64_t before = vm->icount;
        if (dev->trace) bh_trace_step(vm, &ex, &traced);
        else bh_vm_run(vm, run, &ex);
        left -= (int64_t)(vm->icount - before);
        /* Single steps for --trace end in budget exits the core would not
         * otherwise make: they are not counted. */
        if (!(dev->trace && ex.kind == BH_EXIT_BUDGET))
            dev->nexits[(unsigned)ex.kind < BH_DEV_STAT_COUNT ? (unsigned)ex.kind
                                                              : BH_DEV_STAT_FAULT]++;

        const char *handled = "resumed";
        char hbuf[96];
        int32_t sysnum = 0;
        enum bh_vm_state st = BH_VM_RUNNING;
        switch (ex.kind) {
        case BH_EXIT_BUDGET:
            handled = left > 0 ? "slice goes on" : "slice over";
            break;
        case BH_EXIT_SYSCALL:
            dev->nsyscalls++;
            sysnum = bh_vm_reg(vm, 2);
            st = bh_syscall(vm, msg, msglen);
            if (st == BH_VM_WAITING) {
                /* Undo the syscall: it runs again when input is there, and
                 * is counted once, so the virtual clock stays exact. */
                vm->cpu.pc -= 4;
                vm->icount--;
                if (dev->mix) dev->mix[ISA_SYSCALL]--; /* --stats: tallied again then */
                bh_vm_state_changed(vm);
                handled = "no input yet: will retry";
            } else {
                handled = st == BH_VM_RUNNING ? "emulated" : bh_monitor_state_name(st);
            }
            if (dev->trace)
                bh_trace_syscall(vm, &traced, sysnum, st);
            break;
        case BH_EXIT_HYPERCALL:
            st = hypercall(vm, &ex, msg, msglen, &handled);
            if (st != BH_VM_RUNNING) handled = "failed";
            break;
        case BH_EXIT_FAULT:
            bh_fault_message(vm, &ex, msg, msglen);
            st = BH_VM_FAULTED;
            handled = "VM stopped";
            break;
        case BH_EXIT_HALT:
            /* MARS ends a program that runs past its last instruction normally. */
            dev->exited = 1;
            dev->exit_status = 0;
            st = BH_VM_EXITED;
            handled = "ran off the end of the program: exit 0";
            break;
        }
        if (dev->trace_exits) {
            if (ex.kind == BH_EXIT_SYSCALL) {
                snprintf(hbuf, sizeof hbuf, "%d %s: %s", sysnum, bh_trace_syscall_name(sysnum),
                         handled);
                handled = hbuf;
            }
            bh_trace_exit(vm, &ex, handled);
        }
        if (st != BH_VM_RUNNING) return finish(vm, st);
        if (left <= 0) {
            /* The slice is over.  No flush: an unfinished line waits for
             * its end, so lines of VMs sharing a terminal stay whole. */
            dev->state = BH_VM_RUNNING;
            return BH_VM_RUNNING;
        }
    }
}
