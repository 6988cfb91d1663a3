/* control.h: pause, resume and step running VMs from outside their
 * threads: the one layer the gdb stub (gdbstub.c), the QMP socket
 * (qmp.c) and the human monitor (hmp.c) all stand on (docs/debugging.md).
 *
 * A VM runs in the scheduler's turns (sched.h).  A pause is a request: the
 * VM stops at the end of its turn (or at once, before its next turn, when
 * it waits for input), the scheduler parks it on a pipe, and from then on
 * the VM belongs to the controller: any thread may read and change its
 * registers and memory through include/vm.h, step it (bh_ctl_step), set
 * breakpoints and watchpoints, save it, until bh_ctl_resume gives it back
 * to the scheduler.  A breakpoint or watchpoint hit pauses the VM the same
 * way, from inside its turn (the core's BH_EXIT_DEBUG).
 *
 * Who may call what: bh_ctl_pause, bh_ctl_resume, bh_ctl_quit and the
 * queries from any thread; bh_ctl_step, bh_ctl_break, bh_ctl_watch and
 * every include/vm.h access only while bh_ctl_paused() says the VM is
 * paused, and from one controller at a time (the caller's own lock, or
 * one front end per process: the gdb stub takes the VMs it stops).
 *
 * Events (a VM paused, resumed, ended) go to every listener, from
 * whichever thread caused them, with no lock of this module held: a
 * listener only queues what it is told and wakes its own thread. */
#ifndef BH_CONTROL_H
#define BH_CONTROL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "host/sched.h"
#include "state/history.h"

/* Why a VM is paused. */
enum bh_ctl_reason {
    BH_CTL_RUNNING = 0, /* not paused */
    BH_CTL_REQUEST,     /* bh_ctl_pause (gdb's Ctrl-C, QMP stop, the monitor's stop) */
    BH_CTL_START,       /* paused before its first instruction (--gdb-wait, -i) */
    BH_CTL_BREAK,       /* a breakpoint: pc is at it, not yet run */
    BH_CTL_WATCH,       /* a watchpoint: the access at pc is not yet done (watch_addr) */
    BH_CTL_STEP,        /* a step finished */
    BH_CTL_FAULT,       /* a fault, caught for the debugger (bh_vm_ctl's debug_faults): pc
                           at the faulting instruction; resuming ends the VM with it */
    BH_CTL_ENDED        /* the VM ended (exited, faulted, limit): not paused, done */
};

enum bh_ctl_event_kind {
    BH_CTL_EV_PAUSED,  /* reason says why */
    BH_CTL_EV_RESUMED,
    BH_CTL_EV_ENDED,   /* status: myvmm's exit status for it; msg: the fault message or "" */
    BH_CTL_EV_MIGRATION /* its migration's status changed: msg is the new one ("active"...) */
};

struct bh_ctl_event {
    enum bh_ctl_event_kind kind;
    size_t vm;                 /* index */
    enum bh_ctl_reason reason; /* PAUSED */
    uint32_t pc;
    uint32_t watch_addr;       /* BH_CTL_WATCH: the data address */
    unsigned watch_kind;       /* BH_WATCH_READ / BH_WATCH_WRITE: the access */
    int exc;                   /* BH_CTL_FAULT: the exception (BH_EXC_*) */
    int status;                /* ENDED */
    const char *msg;           /* ENDED, MIGRATION */
};

typedef void (*bh_ctl_listener_fn)(void *ctx, const struct bh_ctl_event *e);

#define BH_CTL_MAX_LISTENERS 4

/* One VM as the controller sees it.  Fields are under ctl->mu. */
struct bh_ctl_vm {
    struct bh_vm *vm;
    const char *name;
    enum bh_ctl_reason reason; /* BH_CTL_RUNNING, or why it is paused, or ENDED */
    int want_pause;            /* a pause was requested (or --gdb-wait's at the start) */
    int want_quit;             /* bh_ctl_quit: end it at the end of its turn */
    int parked;                /* the scheduler holds it parked (reason != RUNNING) */
    int wake[2];               /* the pipe it is parked on: resume writes a byte */
    uint32_t watch_addr;
    unsigned watch_kind;
    int exc;
    int hold;                  /* bh_ctl_hold: pause before the first instruction */
    int status;                /* ENDED: its exit status */
    char msg[1024];            /* ENDED: its message (a fault found by a step) */
    uint64_t pauses;           /* times paused (query-vms) */
    int migrated;              /* ENDED because it left for a destination */
    struct bh_history *hist;   /* its time travel (--history), or NULL: off */
    char no_hist[400];         /* why not, when it cannot have one */
};

struct bh_ctl {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a VM paused or ended */
    struct bh_ctl_vm *vms;
    size_t n;
    struct {
        bh_ctl_listener_fn fn;
        void *ctx;
    } listeners[BH_CTL_MAX_LISTENERS];
    unsigned nlisteners;
};

/* n VMs, none paused.  -1 with a message (out of pipes or memory). */
int bh_ctl_init(struct bh_ctl *c, size_t n, char *err, size_t errlen);
void bh_ctl_destroy(struct bh_ctl *c);
/* VM i is vm, called name (kept, not copied). */
void bh_ctl_attach(struct bh_ctl *c, size_t i, struct bh_vm *vm, const char *name);
/* Tell fn of every event from now on (at most BH_CTL_MAX_LISTENERS); -1 when full. */
int bh_ctl_listen(struct bh_ctl *c, bh_ctl_listener_fn fn, void *ctx);
/* The index of the VM called name; when name is NULL or "", 0 if there
 * is one VM only.  -1 when none (or ambiguous: several VMs and no name). */
long bh_ctl_find(const struct bh_ctl *c, const char *name);

/* Pause VM i before its first instruction (reason BH_CTL_START): call
 * before bh_sched_run. */
void bh_ctl_hold(struct bh_ctl *c, size_t i);

/* ---- the scheduler's side: myvmm_main.c calls these from its hooks ---- */

/* Before a turn: 0 when a pause is pending (the turn runs nothing). */
int64_t bh_ctl_budget(struct bh_ctl *c, size_t i, int64_t budget);
/* After a turn that left the VM running or waiting: pauses it (parks v)
 * when a pause was requested or the turn stopped at a breakpoint or
 * watchpoint; ends it (state EXITED) after bh_ctl_quit. */
void bh_ctl_between(struct bh_ctl *c, size_t i, struct bh_sched_vm *v);
/* A VM waiting for input with a pause or quit pending must get a turn. */
int bh_ctl_busy(struct bh_ctl *c, size_t i);
/* The VM ended: status is myvmm's exit status for it, msg its message
 * (when empty, the one a step found, if any, is kept).  Returns the
 * message to print: msg, or that one. */
const char *bh_ctl_ended(struct bh_ctl *c, size_t i, int status, const char *msg);

/* VM i now runs at a migration's destination: it ends here (call before
 * bh_ctl_ended). */
void bh_ctl_migrated(struct bh_ctl *c, size_t i);
/* VM i's migration has a new status (its name): tell the listeners. */
void bh_ctl_migration(struct bh_ctl *c, size_t i, const char *status);

/* ---- the controller's side ---- */

/* Ask VM i to pause; with wait, return once it is paused or ended.
 * 0 when paused, 1 when it has ended, -1 when it does not exist. */
int bh_ctl_pause(struct bh_ctl *c, size_t i, int wait);
/* Wait until VM i is paused or ended, at most timeout_ms (< 0: forever):
 * 0 paused, 1 ended, 2 timed out. */
int bh_ctl_wait(struct bh_ctl *c, size_t i, int timeout_ms);
/* Is VM i paused (owned by the controller)?  Its reason, or
 * BH_CTL_RUNNING / BH_CTL_ENDED. */
enum bh_ctl_reason bh_ctl_state(struct bh_ctl *c, size_t i);
/* Give a paused VM back to the scheduler.  At a breakpoint or watchpoint
 * it first steps over it (the instruction runs once, the hit does not
 * repeat).  0, or -1 with a message when it was not paused. */
int bh_ctl_resume(struct bh_ctl *c, size_t i, char *err, size_t errlen);
/* Run one instruction of paused VM i on this thread, exits handled as the
 * monitor handles them (a syscall's output appears).  The VM stays paused
 * (reason BH_CTL_STEP, or BREAK / WATCH when the next instruction would
 * hit one... as after any stop) unless it ended.  0 paused, 1 ended, -1
 * with a message when it was not paused. */
int bh_ctl_step(struct bh_ctl *c, size_t i, char *err, size_t errlen);
/* Time travel (state/history.h): send paused VM i back (or forward, up
 * to the furthest it ran) to instruction count target: restore the
 * checkpoint before it and run forward to exactly there, its recorded
 * input replayed, breakpoints and watchpoints passed over.  The VM stays
 * paused (reason BH_CTL_STEP).  0, or -1 with a message: not paused, no
 * history, target outside it (the VM is then unchanged). */
int bh_ctl_goto(struct bh_ctl *c, size_t i, uint64_t target, char *err, size_t errlen);
/* reverse-continue: send paused VM i back to the last breakpoint or
 * watchpoint hit before its count (reason BH_CTL_BREAK / WATCH), or, when
 * none was hit since the oldest checkpoint, there (BH_CTL_STEP).  0 at a
 * hit, 1 at the start of the history, -1 with a message. */
int bh_ctl_reverse(struct bh_ctl *c, size_t i, char *err, size_t errlen);
/* Let paused VM i go without running anything first (a stop signal
 * ends it at its next turn): 1 when it was paused. */
int bh_ctl_release(struct bh_ctl *c, size_t i);
/* End every VM (QMP quit, the monitor's quit, gdb's k): running ones at the
 * end of their turn, paused ones at once. */
void bh_ctl_quit(struct bh_ctl *c);

#endif
