/* qmp.h: the QMP control socket (--qmp unix:PATH | tcp:127.0.0.1:PORT,
 * docs/qmp.md): a thread that serves qmp_proto.h's protocol to its
 * clients and sends them the VMs' events.  A client that sends a line over
 * BH_QMP_MAX_LINE, stops reading (more than BH_QMP_MAX_OUT waits for it)
 * or comes beyond BH_QMP_MAX_CLIENTS gets an error and is closed; no
 * client ever blocks the thread, and the VMs never wait for it. */
#ifndef BH_QMP_H
#define BH_QMP_H

#include <stddef.h>

#include "host/control.h"
#include "host/hmp.h"

#define BH_QMP_MAX_LINE (1u << 20)
#define BH_QMP_MAX_OUT (4u << 20)
#define BH_QMP_MAX_CLIENTS 16

struct bh_qmp_server;

/* Listen on addr (unix:PATH, made mode 0600; or tcp:HOST:PORT on a
 * loopback address, port 0: any) and serve ctl's VMs.  NULL with a
 * message when it cannot.  *where: what to tell the user ("unix:PATH",
 * "tcp:127.0.0.1:PORT"), valid while the server lives. */
struct bh_qmp_server *bh_qmp_start(const char *addr, struct bh_ctl *ctl,
                                   const struct bh_hmp_ops *ops, const char **where, char *err,
                                   size_t errlen);
/* The VMs have ended: send what is queued (a short while at most),
 * close every client and the socket (a unix one is removed); freed. */
void bh_qmp_stop(struct bh_qmp_server *s);

#endif
