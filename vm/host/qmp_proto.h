/* qmp_proto.h: QMP's protocol without its sockets (docs/qmp.md): one
 * line of JSON in, one answer out, as QEMU's QMP specification words
 * them: the greeting, capabilities negotiation, {"execute", "arguments",
 * "id"} answered by {"return", "id"} or {"error": {"class", "desc"}},
 * and events with timestamps.  qmp.c serves it on a socket; the fuzz
 * target (tests/fuzz/fuzz_qmp.c) and the unit tests call it directly.
 * JSON is parsed and built with jansson. */
#ifndef BH_QMP_PROTO_H
#define BH_QMP_PROTO_H

#include <stddef.h>

#include "bh_util.h"
#include "host/control.h"
#include "host/hmp.h"

struct bh_qmp {
    struct bh_ctl *ctl;
    struct bh_hmp hmp; /* human-monitor-command's interpreter */
    int quit;          /* quit was asked */
};

/* One client's state: capabilities negotiated or not. */
struct bh_qmp_session {
    int negotiated;
};

void bh_qmp_init(struct bh_qmp *q, struct bh_ctl *ctl, const struct bh_hmp_ops *ops);
/* The greeting a client gets on connecting, with its "\r\n". */
void bh_qmp_greeting(struct bh_buf *out);
/* Answer one line (without its newline) of session s: JSON and "\r\n"
 * appended to out.  Never fails: bad input gets a QMP error. */
void bh_qmp_handle(struct bh_qmp *q, struct bh_qmp_session *s, const char *line, size_t len,
                   struct bh_buf *out);
/* An event of control (control.h), as QMP's line ("\r\n" included), or
 * none (out unchanged).  seconds/usec: its timestamp. */
void bh_qmp_event(struct bh_ctl *ctl, const struct bh_ctl_event *e, long long seconds,
                  long usec, struct bh_buf *out);
/* An error line with no id (the connection's own errors: too many
 * clients, a line too long). */
void bh_qmp_error_line(const char *cls, const char *desc, struct bh_buf *out);

#endif
