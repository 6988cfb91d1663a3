/* progress.h: a one-line progress bar on stderr for long jobs (a large
 * snapshot, a live migration), drawn only when stderr is a terminal.
 *
 * bh_progress_tty_init, once at start: when stderr is a terminal, stderr
 * becomes a stream that erases a drawn bar before writing anything, so a
 * message never lands in the middle of the bar's line; it returns 1 then
 * (bars may be drawn), 0 otherwise (no bar is ever drawn: the output is
 * what it would be without this).  bh_progress_bar_update is a
 * bh_progress_fn; any thread may call it (one bar struct per job). */
#ifndef BH_HOST_PROGRESS_H
#define BH_HOST_PROGRESS_H

#include <stdint.h>

#include "bh_util.h"

struct bh_progress_bar {
    const char *name; /* the VM's name */
    const char *what; /* "snapshot", "migrate" */
    uint64_t min_total; /* draw only jobs at least this large (bytes) */
    /* private */
    double t0, drawn_at;
    int active;
};

int bh_progress_tty_init(void);
void bh_progress_bar_update(void *bar, const struct bh_progress *p);

#endif
