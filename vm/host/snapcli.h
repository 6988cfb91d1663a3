/* snapcli.h: myvmm's snapshot options and the per-VM triggers that take
 * snapshots from outside the guest (SIGUSR1 through the host loop,
 * --snapshot-every, --snapshot-on-exit).  The host's: the snapshot format
 * itself is vm/state (snapshot.h). */
#ifndef BH_SNAPCLI_H
#define BH_SNAPCLI_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h"
#include "host/options.h"
#include "state/snapshot.h"

/* The snapshot options of myvmm's command line. */
struct bh_snap_cli {
    int compress;        /* --snapshot-compress */
    uint64_t every;      /* --snapshot-every N (0: off) */
    const char *on_exit; /* --snapshot-on-exit FILE */
    const char *info;    /* --snapshot-info FILE */
    int final_hash;      /* --final-hash */
};
/* The snapshot rows of the option table (options.h), filling o.  After
 * the whole command line, bh_snapshot_cli_apply checks them
 * (refusing --snapshot-compress without zstd). */
struct bh_option_set bh_snapshot_cli_options(struct bh_snap_cli *o);
int bh_snapshot_cli_apply(const struct bh_snap_cli *o, char *err, size_t errlen);
/* --snapshot-info FILE: the description into out (img: the program named
 * with -v, or NULL).  -1 with "FILE: problem" when the file is refused. */
int bh_snapshot_cli_info(const char *path, const struct bh_image *img, struct bh_buf *out,
                         char *err, size_t errlen);

/* Per-VM snapshot triggers: SIGUSR1, --snapshot-every, --snapshot-on-exit. */
struct bh_snap_ctl {
    const struct bh_snap_cli *cli;
    char path[512];      /* the VM's vm_snapshot path, or NAME.snap */
    int has_cfg_path;    /* SIGUSR1 only writes VMs with a vm_snapshot path */
    uint64_t next_every; /* icount of the next --snapshot-every snapshot */
    unsigned rot;        /* last rotation index written (1..BH_SNAP_ROTATE) */
    int requested;       /* SIGUSR1 came (bh_snapshot_ctl_request) */
};
#define BH_SNAP_ROTATE 3 /* --snapshot-every writes PATH.1, PATH.2, PATH.3, PATH.1, ... */

/* Also sets the VM's snapshot options (ctl.snap_compress) from cli. */
void bh_snapshot_ctl_init(struct bh_snap_ctl *c, const struct bh_snap_cli *cli,
                          struct bh_vm *vm, const char *vm_snapshot);
/* The budget for the next slice, trimmed so --snapshot-every lands close
 * to each multiple of N. */
int64_t bh_snapshot_ctl_budget(const struct bh_snap_ctl *c, const struct bh_vm *vm, int64_t slice);
/* SIGUSR1 came (the host counts signals, signals.h): a VM with a
 * vm_snapshot path writes it at its next bh_snapshot_ctl_slice. */
void bh_snapshot_ctl_request(struct bh_snap_ctl *c);
/* Between slices: SIGUSR1 and --snapshot-every.  0, or -1 with a message
 * (main reports it; the VM goes on). */
int bh_snapshot_ctl_slice(struct bh_snap_ctl *c, struct bh_vm *vm, char *err, size_t errlen);
/* When the VM has stopped: --snapshot-on-exit. */
int bh_snapshot_ctl_stop(struct bh_snap_ctl *c, struct bh_vm *vm, char *err, size_t errlen);

#endif
