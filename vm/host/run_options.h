/* run_options.h: myvmm's whole option table (options.h) in --help order:
 * main's own rows (running VMs: -v, -s, --memory, ...), then the
 * scheduler's (-j, sched.c), the snapshot rows (snapcli.c), --display (display_cli.c), the migration
 * rows (migrate_cli.c), SPIM's own spellings, and --help and --version; with the text --help prints around them.  The
 * rows are data apart from main's handler (myvmm_main.c), so the tests
 * check the very table myvmm parses with. */
#ifndef BH_RUN_OPTIONS_H
#define BH_RUN_OPTIONS_H

#include "bh_util.h"
#include "host/display_cli.h"
#include "host/migrate_cli.h"
#include "host/options.h"
#include "host/sched.h"
#include "host/snapcli.h"

/* The ids main's handler is told. */
enum bh_run_opt {
    BH_RUN_VM,   /* -v FILE */
    BH_RUN_SNAP, /* -s SNAP */
    BH_RUN_MEMORY,
    BH_RUN_SEED,
    BH_RUN_FS_ROOT,
    BH_RUN_MAX_INSTRUCTIONS,
    BH_RUN_TRACE,
    BH_RUN_TRACE_EXITS,
    BH_RUN_STATS,
    BH_RUN_STATS_CSV,
    BH_RUN_JIT,    /* --jit */
    BH_RUN_NO_JIT, /* --no-jit */
    BH_RUN_JIT_THRESHOLD,
    BH_RUN_JIT_CACHE,
    BH_RUN_JIT_DUMP, /* --jit-dump FILE */
    BH_RUN_CONSOLE,
    BH_RUN_DIALECT,
    BH_RUN_MACHINE,
    BH_RUN_DISK,
    BH_RUN_NET,  /* --net LAN */
    BH_RUN_PCAP, /* --pcap LAN=FILE */
    BH_RUN_NET_LINK, /* --net-link LAN=[listen:]tcp:HOST:PORT */
    BH_RUN_GDB,      /* --gdb SPEC */
    BH_RUN_GDB_WAIT, /* --gdb-wait */
    BH_RUN_MONITOR,     /* --monitor stdio */
    BH_RUN_INTERACTIVE, /* -i: --monitor stdio */
    BH_RUN_QMP,         /* --qmp unix:PATH|tcp:127.0.0.1:PORT */
    BH_RUN_HISTORY,     /* --history SIZE */
    BH_RUN_SPIM_FILE,  /* SPIM's spellings (spim_rows) */
    BH_RUN_SPIM_NOOP,  /* -quiet, -mapped_io: what they ask is myvmm's default */
    BH_RUN_SPIM_BARE,  /* implies the delay slots */
    BH_RUN_SPIM_DELAYED_BRANCHES,
    BH_RUN_SPIM_DELAYED_LOADS,
    BH_RUN_SPIM_NOEXCEPTION,    /* no exception file (myvmm's default) */
    BH_RUN_SPIM_EXCEPTION_FILE, /* -exception_file, -ef: assembled before the program */
    BH_RUN_HELP,
    BH_RUN_VERSION
};

#define BH_RUN_NSETS 7

/* Fill sets[BH_RUN_NSETS]: main's rows go to apply(ctx), the others to
 * their modules, filling threads (-j), snap and mig. */
void bh_run_option_sets(struct bh_option_set *sets, bh_option_fn apply, void *ctx, int *threads,
                        struct bh_snap_cli *snap, struct bh_display_cli *disp,
                        struct bh_mig_cli *mig);
/* The text of myvmm --help, appended to out. */
void bh_run_help(const struct bh_option_set *sets, struct bh_buf *out);

#endif
