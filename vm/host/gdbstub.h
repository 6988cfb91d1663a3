/* gdbstub.h: --gdb: a gdb remote stub on a TCP or Unix socket, as QEMU's
 * -gdb (docs/debugging.md).  One thread of its own serves one client at a
 * time: it speaks the protocol (gdb_proto.c) and drives the VMs through
 * the control layer (control.h).  Each VM is a gdb thread.
 *
 * All-stop, as gdb's default mode has it: when one VM stops (a breakpoint,
 * a watchpoint, a fault, Ctrl-C), the stub stops the others before it
 * tells gdb, because in all-stop mode a stop reply means the whole target
 * stopped and gdb then reads any thread's registers.  A step runs the
 * stepping VM alone.  A client that connects stops every VM (as QEMU's
 * stub does); one that detaches or goes away (or is dropped for a
 * protocol error, which the stub names on stderr) leaves them running,
 * without its breakpoints and watchpoints, and the stub waits for the
 * next client. */
#ifndef BH_GDBSTUB_H
#define BH_GDBSTUB_H

#include <stddef.h>

#include "host/control.h"

struct bh_gdbstub;

/* Listen on spec ("tcp:127.0.0.1:1234", "unix:PATH") and serve the VMs of
 * ctl from a thread of its own.  -1 with a message. */
int bh_gdbstub_start(struct bh_gdbstub **out, const char *spec, struct bh_ctl *ctl, char *err,
                     size_t errlen);
/* The address it listens on ("tcp:127.0.0.1:40123" when port 0 was asked). */
const char *bh_gdbstub_address(const struct bh_gdbstub *g);
/* Every VM has ended: tell the client (W or X), close, and free. */
void bh_gdbstub_stop(struct bh_gdbstub *g);

#endif
