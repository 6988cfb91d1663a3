/* signals.h: the signals myvmm answers, caught in one place.
 *
 * A handler only counts (async-signal-safe, lock-free); the host loop
 * (the scheduler's hooks in myvmm_main.c) compares a count with the last
 * value each VM acted on and turns a new signal into a request: SIGUSR1
 * into a snapshot (bh_snapshot_ctl_request), SIGUSR2 into a migration
 * (bh_migrate_src_request).  So the layers below keep no signal state and
 * never see a signal. */
#ifndef BH_SIGNALS_H
#define BH_SIGNALS_H

enum bh_signal {
    BH_SIGNAL_SNAPSHOT, /* SIGUSR1: every VM with a vm_snapshot path writes it */
    BH_SIGNAL_MIGRATE,  /* SIGUSR2: start (or retry) the live migration */
    BH_SIGNAL_COUNT
};

/* Catch the signal from now on (until then it keeps its default action,
 * which ends the process: SIGUSR2 without --migrate still does). */
void bh_signals_catch(enum bh_signal s);
/* How many times it arrived so far: the start value of a "seen" count. */
unsigned long bh_signals_count(enum bh_signal s);
/* 1 when it arrived since *seen was taken (*seen catches up), else 0.
 * Several signals in between make one request. */
int bh_signals_take(enum bh_signal s, unsigned long *seen);

#endif
