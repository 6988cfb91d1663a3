/* snapcli.c: myvmm's snapshot options and the triggers that take
 * snapshots from outside the guest: SIGUSR1, --snapshot-every N and
 * --snapshot-on-exit FILE.  main calls these between time slices; nothing
 * here prints.  SIGUSR1 is counted in signals.c; the host loop compares
 * the count with the last value each VM acted on and makes a request, so
 * one signal makes every VM write its snapshot once, at its next slice
 * boundary. */
#include "host/snapcli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_internal.h"

static const char *value_of(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (strcmp(argv[*i], name) != 0 || *i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int named(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == 0 || arg[n] == '=');
}

int bh_snapshot_cli_option(int argc, char **argv, int *i, struct bh_snap_cli *o, char *err,
                           size_t errlen)
{
    const char *a = argv[*i], *v;
    if (strcmp(a, "--snapshot-compress") == 0) {
        o->compress = 1;
    } else if (strcmp(a, "--final-hash") == 0) {
        o->final_hash = 1;
    } else if (named(a, "--snapshot-every")) {
        char *end;
        if (!(v = value_of(argc, argv, i, "--snapshot-every")) || *v < '1' || *v > '9')
            return bh_errf(err, errlen, "--snapshot-every needs a positive number of instructions");
        errno = 0;
        o->every = strtoull(v, &end, 10);
        if (errno || *end)
            return bh_errf(err, errlen, "--snapshot-every needs a positive number, not '%s'", v);
    } else if (named(a, "--snapshot-on-exit")) {
        if (!(v = value_of(argc, argv, i, "--snapshot-on-exit")) || !*v)
            return bh_errf(err, errlen, "--snapshot-on-exit needs a file name");
        o->on_exit = v;
    } else if (named(a, "--snapshot-info")) {
        if (!(v = value_of(argc, argv, i, "--snapshot-info")) || !*v)
            return bh_errf(err, errlen, "--snapshot-info needs a snapshot file");
        o->info = v;
    } else {
        return 0;
    }
    return 1;
}

int bh_snapshot_cli_apply(const struct bh_snap_cli *o, char *err, size_t errlen)
{
    if (o->compress && !bh_snapshot_have_zstd())
        return bh_errf(err, errlen,
                       "--snapshot-compress: this myvmm was built without zstd (install "
                       "libzstd-dev and rebuild)");
    struct bh_snap_opts so = {o->compress, 1};
    bh_snapshot_set_defaults(&so);
    return 0;
}

const char *bh_snapshot_cli_usage(void)
{
    return "  --snapshot-info SNAP   describe a snapshot (verifies every checksum); runs nothing\n"
           "  --snapshot-every N     snapshot each VM every N instructions, to PATH.1..PATH.3 in\n"
           "                         turn (PATH: the config's vm_snapshot, else NAME.snap)\n"
           "  --snapshot-on-exit F   snapshot the final state when the VM stops\n"
           "  --snapshot-compress    zstd-compress the memory pages of snapshots\n"
           "  --final-hash           print a hash of the final registers and memory\n"
           "  SIGUSR1                every VM with a vm_snapshot path writes its snapshot there\n";
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
                          const struct bh_vm *vm, const char *vm_snapshot)
{
    memset(c, 0, sizeof *c);
    c->cli = cli;
    c->has_cfg_path = vm_snapshot != NULL;
    if (vm_snapshot)
        snprintf(c->path, sizeof c->path, "%s", vm_snapshot);
    else
        snprintf(c->path, sizeof c->path, "%s.snap", vm->name ? vm->name : "vm");
    if (cli->every)
        c->next_every = (vm->icount / cli->every + 1) * cli->every;
}

int64_t bh_snapshot_ctl_budget(const struct bh_snap_ctl *c, const struct bh_vm *vm, int64_t slice)
{
    if (!c->cli->every || vm->icount >= c->next_every)
        return slice;
    uint64_t room = c->next_every - vm->icount;
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
    if (rc == 0 && c->cli->every && vm->icount >= c->next_every) {
        char p[540];
        c->rot = c->rot % BH_SNAP_ROTATE + 1;
        snprintf(p, sizeof p, "%s.%u", c->path, c->rot);
        /* The next one is at the next multiple of N: a slice that overshot
         * several multiples writes one snapshot, not several. */
        c->next_every = (vm->icount / c->cli->every + 1) * c->cli->every;
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
