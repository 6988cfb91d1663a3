/* hmp.h: the human monitor's command interpreter (docs/debugging.md):
 * one line of text in ("step 3", "break loop", "x/4w $sp"), its answer
 * appended to a buffer.  The interactive monitor (-i, hmp_tty.c) and QMP's
 * human-monitor-command (qmp.c) both call it; it does no terminal I/O.
 *
 * It stands on the control layer (control.h): commands that read or change
 * a VM (print, x, step, break...) need it paused and say so otherwise.
 * What needs myvmm's own structures (snapshots to files) goes through the
 * ops myvmm gives it. */
#ifndef BH_HMP_H
#define BH_HMP_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h"
#include "host/control.h"
#include "state/migrate.h"

/* What the interpreter asks of myvmm, for VM index vm.  Each returns 0,
 * or -1 with a message in err.  A NULL op answers "not available". */
struct bh_hmp_ops {
    int (*savevm)(void *ctx, size_t vm, const char *path, char *err, size_t errlen);
    int (*loadvm)(void *ctx, size_t vm, const char *path, char *err, size_t errlen);
    /* live migration (migrate.h): start one to uri; cancel the one under
     * way (1, or 0 when none is); the latest one's status and figures */
    int (*migrate)(void *ctx, size_t vm, const char *uri, char *err, size_t errlen);
    int (*migrate_cancel)(void *ctx, size_t vm);
    void (*query_migrate)(void *ctx, size_t vm, struct bh_mig_info *info);
    void *ctx;
};

#define BH_HMP_MAX_BREAKS 64

struct bh_hmp {
    struct bh_ctl *ctl;
    struct bh_hmp_ops ops;
    size_t cur; /* the VM commands apply to ("vm NAME" changes it) */
    struct {
        size_t vm;
        uint32_t pc;
        unsigned num; /* 0: a free slot */
    } breaks[BH_HMP_MAX_BREAKS];
    unsigned next_num;
    int resumed; /* the last command gave VM cur back to the scheduler (continue) */
    int quit;    /* the last command was quit */
};

void bh_hmp_init(struct bh_hmp *h, struct bh_ctl *ctl, const struct bh_hmp_ops *ops);
/* Run one command line; its answer (lines ending in '\n') goes to out.
 * 0, or -1 when the command failed or was not understood (out says why
 * and what was expected).  An empty line is 0 with nothing written. */
int bh_hmp_exec(struct bh_hmp *h, const char *line, struct bh_buf *out);
/* Where paused VM i stands, one line: "0x00400024 <main+8>: addi ... (prog.s:12)". */
void bh_hmp_where(struct bh_hmp *h, size_t i, struct bh_buf *out);
/* Why VM i stopped (after a continue), one or two lines. */
void bh_hmp_stopped(struct bh_hmp *h, size_t i, struct bh_buf *out);
/* The lock every command runs under (one controller at a time, control.h):
 * QMP takes it for its own commands that drive VMs. */
void bh_hmp_lock(void);
void bh_hmp_unlock(void);
/* Live migration of VM i, one implementation for the monitor's migrate,
 * migrate_cancel and info migrate and QMP's migrate, migrate-cancel and
 * query-migrate (call under bh_hmp_lock).  migrate: 0, or -1 with why
 * in err (no uri, the VM ended or paused, a migration under way...).
 * cancel: 1 when one was cancelled, 0 when none was under way, -1 with
 * err.  query: fills info (status none when migration is not available). */
int bh_hmp_migrate(struct bh_hmp *h, size_t i, const char *uri, char *err, size_t errlen);
int bh_hmp_migrate_cancel(struct bh_hmp *h, size_t i, char *err, size_t errlen);
void bh_hmp_query_migrate(struct bh_hmp *h, size_t i, struct bh_mig_info *info);
/* Completion: the k-th (from 0) command name, then what info takes, then
 * label of VM cur's program, that starts with prefix (len bytes); NULL
 * after the last. */
const char *bh_hmp_complete(const struct bh_hmp *h, const char *prefix, size_t len, size_t k);

#endif
