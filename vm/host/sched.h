/* sched.h: many VMs in one process: a time-sliced, weighted round-robin
 * scheduler on a pool of host threads (docs/scheduling.md).
 *
 * The scheduler knows a VM only through the monitor's interface
 * (bh_monitor_step with an instruction budget), as a hypervisor's scheduler
 * knows a vCPU only through "run it for a while".  A VM runs on one thread
 * at a time; VMs share no mutable state, so each VM's output and final
 * state do not depend on the slice, the thread count or the other VMs.
 *
 * Rounds: in round R every runnable VM gets one turn worth the host CPU
 * time of slice * weight instructions at the fastest VM's speed, and is
 * charged the CPU time the turn really took, so weights 1:3 share the host
 * CPU 1:3 whatever each instruction costs (a syscall costs far more than an
 * add).  Turns of round R+1 may
 * start while the last turns of round R finish on other threads (so no
 * thread idles at the end of a round), never those of R+2: no VM gets more
 * than two turns ahead of another.
 *
 * Waiting: with ctl.nonblock set, a VM whose read finds no input returns
 * BH_VM_WAITING; it leaves the rounds (it burns no slice) until poll(2)
 * says its input fd is readable, then rejoins the current round.
 *
 * Shared input: VMs linked by input_next share one console input in that
 * order.  Only the first reads it; the others have console.in_held set, and a
 * read waits.  When the VM holding the input stops, the input (with what
 * it read ahead and did not consume) passes to the next VM of the chain
 * that has not stopped, before that VM's next turn: each VM reads what it
 * would read if the VMs ran one after the other.
 *
 * Nothing here prints: the caller's hooks run on the VM's thread between
 * turns and once when the VM stops. */
#ifndef BH_SCHED_H
#define BH_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "host/options.h"
#include "host/monitor.h"

struct bh_vm;

#define BH_SCHED_DEFAULT_SLICE 100000

/* One VM under the scheduler.  The caller fills the first block; the
 * scheduler fills the results. */
struct bh_sched_vm {
    struct bh_vm *vm;
    int64_t slice;       /* a turn: the host CPU time of slice * weight instructions */
    uint32_t weight;     /* at the fastest VM's speed (slice <= 0: default; weight 0: 1) */
    void *user;          /* the caller's, for its hooks */
    struct bh_sched_vm *input_next; /* gets the console input when this VM stops (or NULL) */
    /* Parking: the between hook sets parked = 1 and park_fd: the VM takes
     * no turn until park_fd is readable (it sits in the waiting list, the
     * host thread runs the other VMs), then the scheduler clears parked
     * (a live migration's switch-over, migrate.h). */
    int parked;
    int park_fd;

    /* results (read them after bh_sched_run, or in the stopped hook) */
    enum bh_vm_state state;  /* how it stopped */
    uint64_t insns;          /* instructions executed during bh_sched_run */
    uint64_t fair_insns;     /* of those, in turns that began while no VM had stopped */
    uint64_t turns;          /* turns taken (not counting rounds it sat out to repay host time) */
    uint64_t waits;          /* turns that ended waiting for input */
    double busy_seconds;     /* host time spent in its turns (wall clock) */
    double cpu_seconds;      /* host CPU time of its turns, their hooks and picking it */
    double fair_cpu_seconds; /* of those, in turns that began while no VM had stopped */
    double end_seconds;      /* from the start of bh_sched_run until it stopped */

    /* the scheduler's own (do not touch) */
    uint64_t round_;
    size_t next_;
    struct bh_sched_vm *input_from_; /* hand-over pending: the stopped VM holding the input */
    double rate_;   /* its instructions per host CPU second, recent turns (0: not measured) */
    double credit_; /* host CPU seconds it may still use (< 0: it owes) */
    int done_;
};

/* What one turn did, for the turn hook (--stats-csv). */
struct bh_sched_turn {
    int thread;             /* the scheduler's thread that ran it, 0 .. threads-1 */
    uint64_t round;         /* the round it belonged to */
    double start;           /* seconds from the start of bh_sched_run */
    double wall;            /* seconds it took (wall clock) */
    double cpu;             /* host CPU seconds charged for it (see worker) */
    int64_t budget;         /* instructions it was given */
    uint64_t insns;         /* instructions it ran */
    uint64_t exits;         /* exits from the core to the monitor during it */
    enum bh_vm_state state; /* the VM's state after it */
};

struct bh_sched_hooks {
    void *ctx;
    /* Before each turn: may shorten the budget (snapshot triggers); 0:
     * no instruction this turn (the between hook still runs). */
    int64_t (*budget)(void *ctx, struct bh_sched_vm *v, int64_t budget);
    /* After each turn that left the VM running or waiting. */
    void (*between)(void *ctx, struct bh_sched_vm *v);
    /* Once, when the VM stopped for good; msg is bh_monitor_step's message
     * ("" when it exited normally). */
    void (*stopped)(void *ctx, struct bh_sched_vm *v, const char *msg);
    /* May be NULL.  Called under the scheduler's lock for a VM waiting for
     * input: 1 when the caller still has work for it between turns (a live
     * migration under way or just triggered): it then gets turns anyway
     * (its read finds no input again, then between runs), and the waiting
     * list is looked at every BH_SCHED_BUSY_POLL_MS for such VMs.  It is
     * asked about parked VMs too: 1 unparks one at once (a stop signal
     * for a VM a debugger holds). */
    int (*busy)(void *ctx, struct bh_sched_vm *v);
    /* May be NULL (then the turns are not measured beyond the results
     * above).  After each turn, on its thread, without the scheduler's
     * lock: what it did. */
    void (*turn)(void *ctx, struct bh_sched_vm *v, const struct bh_sched_turn *t);
};
#define BH_SCHED_BUSY_POLL_MS 20

struct bh_sched_opts {
    int threads;                 /* <= 0: bh_sched_default_threads() */
    struct bh_sched_hooks hooks;
};

/* What a whole run did. */
struct bh_sched_result {
    int threads;       /* threads actually used (never more than the VMs) */
    uint64_t rounds;   /* rounds completed */
    uint64_t insns;    /* instructions of every VM */
    double seconds;    /* wall time */
};

/* The number of online host cores (at least 1). */
int bh_sched_default_threads(void);

/* Run every VM until each has stopped (exited, faulted, hit its limit).
 * VMs that have already stopped are skipped.  Returns 0, or -1 with a
 * message when nothing could run (out of memory); if only some threads
 * could be started, it runs on those. */
int bh_sched_run(struct bh_sched_vm *vms, size_t n, const struct bh_sched_opts *o,
                 struct bh_sched_result *res, char *err, size_t errlen);

/* The scheduler's row of myvmm's option table (options.h): -j N, --jobs N
 * sets *threads (bh_sched_opts.threads). */
struct bh_option_set bh_sched_cli_options(int *threads);

/* Jain's fairness index over fair_cpu_seconds / weight of the n VMs (what
 * weights share, docs/scheduling.md): 1 when every
 * VM got exactly its share, 1/n when one VM got everything.  1 when no VM
 * ran. */
double bh_sched_jain(const struct bh_sched_vm *vms, size_t n);

#endif
