/* signals.h: the signals myvmm answers, caught in one place.
 *
 * A handler only counts (async-signal-safe, lock-free); the host loop
 * (the scheduler's hooks in myvmm_main.c) compares a count with the last
 * value each VM acted on and turns a new signal into a request: SIGUSR1
 * into a snapshot (bh_snapshot_ctl_request), SIGUSR2 into a migration
 * (bh_migrate_src_request).  So the layers below keep no signal state and
 * never see a signal.
 *
 * SIGTERM, SIGINT and SIGHUP ask myvmm to stop: the first one is kept,
 * and a pipe becomes readable, so a VM blocked reading its console wakes
 * up (the console polls that fd beside its input: a flag alone could be
 * set just before the read starts, and the read would never return).  The
 * host loop then stops every VM, writes out its output and exits with
 * 128 + the signal. */
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

/* Catch SIGTERM, SIGINT and SIGHUP from now on, each but once (a second
 * one of a kind takes its default action: a stuck stop can still be
 * ended), except one ignored when myvmm started (nohup, a background job)
 * stays ignored. */
void bh_signals_catch_stop(void);
/* The first stop signal that arrived (its number), or 0. */
int bh_signals_stopped(void);
/* The fd that becomes readable when it arrives, for a blocking read to
 * poll beside its input; -1 before bh_signals_catch_stop (or without a
 * pipe: then a blocked read is not woken). */
int bh_signals_stop_fd(void);
/* "SIGTERM", "SIGINT", "SIGHUP" (else "a signal"). */
const char *bh_signals_name(int signo);

#endif
