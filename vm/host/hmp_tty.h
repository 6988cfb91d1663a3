/* hmp_tty.h: the interactive monitor (-i, --monitor stdio): the
 * interpreter of hmp.h on the terminal, with libedit's line editing,
 * history and completion of commands and labels, on a thread of its own
 * beside the scheduler's.  Every VM starts paused (bh_ctl_hold); the
 * monitor's prompt and answers go to stderr, the guests' output stays on
 * stdout, and the guests read the terminal while they run (after
 * continue), the monitor while they are paused. */
#ifndef BH_HMP_TTY_H
#define BH_HMP_TTY_H

#include <stddef.h>

#include "host/hmp.h"

struct bh_hmp_tty;

/* Start the monitor on ctl's VMs (held before their first instruction by
 * the caller).  NULL with a message when it cannot. */
struct bh_hmp_tty *bh_hmp_tty_start(struct bh_ctl *ctl, const struct bh_hmp_ops *ops, char *err,
                                    size_t errlen);
/* Every VM has ended: the monitor stops (its terminal restored); freed. */
void bh_hmp_tty_finish(struct bh_hmp_tty *t);

#endif
