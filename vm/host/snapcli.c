/* snapcli.c: myvmm's snapshot options and the triggers that take
 * snapshots from outside the guest: SIGUSR1, --snapshot-every N and
 * --snapshot-on-exit FILE.  main calls these between time slices; nothing
 * here prints.  SIGUSR1 is counted in signals.c; the host loop compares
 * the count with the last value each VM acted on and makes a request, so
 * one signal makes every VM write its snapshot once, at its next slice
 * boundary. */
#include "host/snapcli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"

enum { SNAP_INFO, SNAP_EVERY, SNAP_ON_EXIT, SNAP_COMPRESS, SNAP_FINAL_HASH };

static const struct bh_option rows[] = {
    {"snapshot-info", 0, BH_OPT_VALUE, SNAP_INFO,
     "  --snapshot-info SNAP   describe a snapshot (verifies every checksum); runs nothing\n"},
    {"snapshot-every", 0, BH_OPT_VALUE, SNAP_EVERY,
     "  --snapshot-every N     snapshot each VM every N instructions, to PATH.1..PATH.3 in\n"
     "                         turn (PATH: the config's vm_snapshot, else NAME.snap)\n"},
    {"snapshot-on-exit", 0, BH_OPT_VALUE, SNAP_ON_EXIT,
     "  --snapshot-on-exit F   snapshot the final state when the VM stops\n"},
    {"snapshot-compress", 0, BH_OPT_NONE, SNAP_COMPRESS,
     "  --snapshot-compress    zstd-compress the memory pages of snapshots\n"},
    {"final-hash", 0, BH_OPT_NONE, SNAP_FINAL_HASH,
     "  --final-hash           print a hash of the final registers and memory\n"},
    {NULL, 0, BH_OPT_NONE, -1,
     "  SIGUSR1                every VM with a vm_snapshot path writes its snapshot there\n"
     "                         (and with --display png:FILE its picture)\n"},
};

static int apply(void *ctx, int id, const char *v, char *err, size_t errlen)
{
    struct bh_snap_cli *o = ctx;
    if (id == SNAP_COMPRESS) {
        o->compress = 1;
    } else if (id == SNAP_FINAL_HASH) {
        o->final_hash = 1;
    } else if (id == SNAP_EVERY) {
        if (!v || *v < '1' || *v > '9')
            return bh_errf(err, errlen, "--snapshot-every needs a positive number of instructions");
        if (bh_options_number(v, 10, &o->every))
            return bh_errf(err, errlen, "--snapshot-every needs a positive number, not '%s'", v);
    } else if (id == SNAP_ON_EXIT) {
        if (!v || !*v)
            return bh_errf(err, errlen, "--snapshot-on-exit needs a file name");
        o->on_exit = v;
    } else if (id == SNAP_INFO) {
        if (!v || !*v)
            return bh_errf(err, errlen, "--snapshot-info needs a snapshot file");
        o->info = v;
    }
    return 0;
}

struct bh_option_set bh_snapshot_cli_options(struct bh_snap_cli *o)
{
    return (struct bh_option_set){rows, sizeof rows / sizeof rows[0], apply, o};
}

int bh_snapshot_cli_apply(const struct bh_snap_cli *o, char *err, size_t errlen)
{
    if (o->compress && !bh_snapshot_have_zstd())
        return bh_errf(err, errlen,
                       "--snapshot-compress: this myvmm was built without zstd (install "
                       "libzstd-dev and rebuild)");
    return 0;
}

int bh_snapshot_cli_info(const char *path, const struct bh_image *img, struct bh_buf *out,
                         char *err, size_t errlen)
{
    struct bh_snapshot s;
    if (bh_snapshot_load(path, &s, err, errlen))
        return -1;
    int rc = bh_snapshot_describe(&s, img, out, err, errlen);
    bh_snapshot_free(&s);
    return rc;
}

void bh_snapshot_ctl_init(struct bh_snap_ctl *c, const struct bh_snap_cli *cli,
                          struct bh_vm *vm, const char *vm_snapshot)
{
    memset(c, 0, sizeof *c);
    c->cli = cli;
    bh_vm_ctl(vm)->snap_compress = cli->compress; /* every snapshot of this VM */
    c->has_cfg_path = vm_snapshot != NULL;
    if (vm_snapshot)
        snprintf(c->path, sizeof c->path, "%s", vm_snapshot);
    else
        snprintf(c->path, sizeof c->path, "%s.snap", bh_vm_name(vm)[0] ? bh_vm_name(vm) : "vm");
    if (cli->every)
        c->next_every = (bh_vm_icount(vm) / cli->every + 1) * cli->every;
}

int64_t bh_snapshot_ctl_budget(const struct bh_snap_ctl *c, const struct bh_vm *vm, int64_t slice)
{
    if (!c->cli->every || bh_vm_icount(vm) >= c->next_every)
        return slice;
    uint64_t room = c->next_every - bh_vm_icount(vm);
    return room < (uint64_t)slice ? (int64_t)room : slice;
}

void bh_snapshot_ctl_request(struct bh_snap_ctl *c)
{
    c->requested = 1;
}

int bh_snapshot_ctl_slice(struct bh_snap_ctl *c, struct bh_vm *vm, char *err, size_t errlen)
{
    int rc = 0;
    if (c->requested) {
        c->requested = 0;
        if (c->has_cfg_path)
            rc = bh_snapshot_save(vm, c->path, err, errlen);
    }
    if (rc == 0 && c->cli->every && bh_vm_icount(vm) >= c->next_every) {
        char p[540];
        c->rot = c->rot % BH_SNAP_ROTATE + 1;
        snprintf(p, sizeof p, "%s.%u", c->path, c->rot);
        /* The next one is at the next multiple of N: a slice that overshot
         * several multiples writes one snapshot, not several. */
        c->next_every = (bh_vm_icount(vm) / c->cli->every + 1) * c->cli->every;
        rc = bh_snapshot_save(vm, p, err, errlen);
    }
    return rc;
}

int bh_snapshot_ctl_stop(struct bh_snap_ctl *c, struct bh_vm *vm, char *err, size_t errlen)
{
    if (!c->cli->on_exit)
        return 0;
    return bh_snapshot_save(vm, c->cli->on_exit, err, errlen);
}
