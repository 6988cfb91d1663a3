/* myvmm_main.c: the myvmm command line (docs/myvmm.md).
 *
 *   myvmm [options] -v FILE [-s SNAP] [-v FILE [-s SNAP]] ... [-- guest args]
 *
 * main is the only place that prints or exits.  It works in three steps,
 * so a scheduler can take over the last one: parse the command line into a
 * list of VM specs; build every VM (all errors are reported before any VM
 * runs); run them all at once under the scheduler (vm/sched.c), each
 * through bh_monitor_step one time slice at a time on a pool of threads.
 * Everything myvmm says itself goes to stderr; stdout is the guests'. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "babyasm.h"
#include "bh_util.h"
#include "config.h"
#include "image.h"
#include "migrate.h"
#include "host/control.h"
#include "host/display_cli.h"
#include "host/gdbstub.h"
#include "host/lan.h"
#include "host/hmp_tty.h"
#include "host/jit_dump.h"
#include "host/qmp.h"
#include "host/migrate_cli.h"
#include "host/monitor.h"
#include "host/sched.h"
#include "snapshot.h"
#include "host/options.h"
#include "host/progress.h"
#include "host/run_options.h"
#include "host/signals.h"
#include "host/snapcli.h"
#include "host/tty.h"
#include "vm.h"
#include "machine/machine.h"

#define MYVMM_VERSION BH_VERSION

/* One VM as the command line asks for it, then as built. */
struct vm_spec {
    const char *file;     /* -v FILE (NULL: -s alone, the snapshot embeds its program) */
    const char *restore;  /* -s SNAP or NULL */
    struct bh_config cfg; /* when FILE is a config file */
    int has_cfg;
    const char *program;  /* the program file (FILE or the config's vm_binary) */
    char name[24];
    struct bh_image img;
    int has_img;
    struct bh_vm *vm;
    FILE *in, *out;       /* vm_stdin / vm_stdout, or NULL for ours */
    int64_t slice;
    uint32_t weight;      /* vm_weight */
    int no_input;         /* myvmm's stdin comes to this VM when the VM before stops */
    int status;           /* its exit status once stopped */
    double seconds;
    struct bh_snap_ctl snapctl; /* snapshot triggers (snapcli.c) */
    struct bh_mig_src *mig;     /* --migrate, or with --qmp / -i: its migrations (migrate_src.c) */
    int mig_cli;                /* mig is --migrate's (SIGUSR2 and syscall 60 start it) */
    struct bh_ctl *ctl;         /* the front ends' control while it exists, for events */
    size_t index;               /* its index there */
    FILE *mig_log;              /* --migrate-log: its per-round table */
    unsigned long usr1_seen, usr2_seen; /* signal counts it acted on (signals.c) */
    int stop_signal;            /* SIGTERM/SIGINT/SIGHUP stopped it (signals.c) */
    int stop_state;             /* its state then: what --snapshot-on-exit saves */
    double flushed_at;          /* when its console was last flushed between slices */
    int migrated;               /* it left for the destination */
    struct bh_image *mig_img;   /* --incoming: the program that came with it */
    struct bh_progress_bar snap_bar, mig_bar; /* on a terminal (progress.c) */
    struct bh_display_ctl display; /* --display: where its picture goes (display_cli.c) */
};

struct cli {
    struct vm_spec *specs;
    int nspecs;
    uint64_t memory;          /* 0: the config's or the default */
    uint64_t seed;
    const char *fs_root;
    const char *disk;         /* --disk FILE: the one VM's disk (wins over vm_disk) */
    const char *net;          /* --net LAN: the one VM's LAN (wins over vm_net) */
    struct bh_lans *lans;     /* the switches and --pcap captures (lan.c) */
    uint64_t max_instructions;
    int trace, trace_exits, stats;
    int jit;                  /* --jit (BH_JIT=1 in the environment), --no-jit */
    uint64_t jit_threshold, jit_cache;
    uint64_t history;         /* --history SIZE: time travel's bytes per VM (0: off) */
    int history_given;        /* --history was on the command line */
    const char *jit_dump_path; /* --jit-dump FILE */
    struct bh_jit_dump *jit_dump; /* open while the VMs run */
    const char *stats_csv;    /* --stats-csv FILE: one line per slice */
    int console_raw;          /* --console raw: the terminal sends keys as typed (tty.c) */
    FILE *csv;                /* open while the VMs run */
    pthread_mutex_t csv_mu;   /* one line at a time */
    int dialect;              /* --dialect: BH_DIALECT_SPIM/_MARS, 0 = each program's own */
    unsigned delay;           /* -delayed_branches, -delayed_loads: BH_VM_DELAYED_* */
    int bare;                 /* -bare: sources assembled as by babyasm --bare */
    int machine;              /* --machine: BH_MACHINE_* + 1, 0 = each config's (else spim) */
    int jobs;                 /* -j N: host threads (0: one per core) */
    int guest_argc;           /* arguments for the guests (after -- or the program) */
    char **guest_argv;
    struct bh_snap_cli snap;  /* --snapshot-* and --final-hash (snapcli.c) */
    struct bh_display_cli disp; /* --display (display_cli.c) */
    struct bh_mig_cli mig;    /* --migrate*, --incoming, --max-* (migrate_cli.c) */
    const char *pending_snap; /* -s before its -v */
    const char *exc_file;     /* -exception_file: assembled before each assembly program */
    struct bh_ctl *ctl;       /* the VMs' control (control.h) when a front end needs it, or NULL */
    const char *gdb;          /* --gdb SPEC */
    int gdb_wait;             /* --gdb-wait */
    int monitor;              /* -i, --monitor stdio: the interactive monitor (hmp_tty.c) */
    const char *qmp;          /* --qmp ADDR: the QMP socket (qmp.c) */
};

static int usage_error(const char *fmt, const char *arg)
{
    fputs("myvmm: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'myvmm --help'.\n", stderr);
    return BH_STATUS_USAGE;
}

static struct vm_spec *add_spec(struct cli *c)
{
    struct vm_spec *s = realloc(c->specs, sizeof *s * (size_t)(c->nspecs + 1));
    if (!s) return NULL;
    c->specs = s;
    s = &c->specs[c->nspecs++];
    memset(s, 0, sizeof *s);
    return s;
}

enum { STOP_HELP = 1, STOP_VERSION }; /* what --help and --version stop parsing with */

/* main's rows of the option table (run_options.c): 0 to go on, -1 with a
 * message, or STOP_HELP / STOP_VERSION. */
static int apply_option(void *ctx, int id, const char *v, char *err, size_t errlen)
{
    struct cli *c = ctx;
    switch (id) {
    case BH_RUN_HELP: return STOP_HELP;
    case BH_RUN_VERSION: return STOP_VERSION;
    case BH_RUN_SPIM_FILE:
    case BH_RUN_VM: {
        if (!v) return bh_errf(err, errlen, "%s needs a file", id == BH_RUN_VM ? "-v" : "-file");
        struct vm_spec *s = add_spec(c);
        if (!s) return bh_errf(err, errlen, "out of memory");
        s->file = v;
        s->restore = c->pending_snap;
        c->pending_snap = NULL;
        return 0;
    }
    case BH_RUN_SNAP: {
        if (!v) return bh_errf(err, errlen, "-s needs a snapshot file");
        struct vm_spec *last = c->nspecs ? &c->specs[c->nspecs - 1] : NULL;
        if (last && !last->restore && !c->pending_snap) last->restore = v;
        else if (c->pending_snap) return bh_errf(err, errlen, "two -s in a row: '%s' has no -v", c->pending_snap);
        else c->pending_snap = v;
        return 0;
    }
    case BH_RUN_MEMORY:
        if (!v || bh_parse_size(v, &c->memory) != 0)
            return bh_errf(err, errlen, "--memory needs a size like 16M or 1G, not '%s'", v ? v : "");
        if (c->memory < (64u << 10) || c->memory > (4ull << 30))
            return bh_errf(err, errlen, "--memory must be between 64K and 4G, not '%s'", v);
        return 0;
    case BH_RUN_SEED:
        if (bh_options_number(v, 0, &c->seed) != 0)
            return bh_errf(err, errlen, "--seed needs a whole number, not '%s'", v ? v : "");
        return 0;
    case BH_RUN_FS_ROOT:
        if (!v || !*v) return bh_errf(err, errlen, "%s needs a folder", "--fs-root");
        c->fs_root = v;
        return 0;
    case BH_RUN_GDB:
        if (!v || (strncmp(v, "tcp:", 4) != 0 && strncmp(v, "unix:", 5) != 0))
            return bh_errf(err, errlen, "--gdb needs tcp:HOST:PORT or unix:PATH (got '%s')",
                           v ? v : "");
        c->gdb = v;
        return 0;
    case BH_RUN_GDB_WAIT:
        c->gdb_wait = 1;
        return 0;
    case BH_RUN_DISK:
        if (!v || !*v) return bh_errf(err, errlen, "%s needs a file", "--disk");
        c->disk = v;
        return 0;
    case BH_RUN_NET:
        if (!v || !bh_nic_lan_ok(v))
            return bh_errf(err, errlen, "--net needs a LAN's name (1-%u letters, digits, '_', "
                                        "'.' or '-'), not '%s'", BH_NIC_LAN_MAX, v ? v : "");
        c->net = v;
        return 0;
    case BH_RUN_PCAP: return bh_lans_pcap_option(c->lans, v, err, errlen);
    case BH_RUN_NET_LINK: return bh_lans_link_option(c->lans, v, err, errlen);
    case BH_RUN_MAX_INSTRUCTIONS:
        if (bh_options_number(v, 0, &c->max_instructions) != 0 || !c->max_instructions)
            return bh_errf(err, errlen, "--max-instructions needs a positive number, not '%s'", v ? v : "");
        return 0;
    case BH_RUN_TRACE: c->trace = 1; return 0;
    case BH_RUN_TRACE_EXITS: c->trace_exits = 1; return 0;
    case BH_RUN_STATS: c->stats = 1; return 0;
    case BH_RUN_JIT: c->jit = 1; return 0;
    case BH_RUN_NO_JIT: c->jit = 0; return 0;
    case BH_RUN_JIT_THRESHOLD:
        if (bh_options_number(v, 0, &c->jit_threshold) != 0 || !c->jit_threshold ||
            c->jit_threshold > UINT32_MAX - 1)
            return bh_errf(err, errlen, "--jit-threshold needs a number from 1 to %u, not '%s'",
                           UINT32_MAX - 1, v ? v : "");
        return 0;
    case BH_RUN_JIT_CACHE:
        if (!v || bh_parse_size(v, &c->jit_cache) != 0 || c->jit_cache < BH_JIT_CACHE_MIN ||
            c->jit_cache > (1ull << 30))
            return bh_errf(err, errlen, "--jit-cache needs a size from 16K to 1G, not '%s'", v ? v : "");
        return 0;
    case BH_RUN_JIT_DUMP:
        if (!v || !*v) return bh_errf(err, errlen, "--jit-dump needs a file name ('-': stdout)");
        c->jit_dump_path = v;
        return 0;
    case BH_RUN_STATS_CSV:
        if (!v || !*v || *v == '-')
            return bh_errf(err, errlen, "--stats-csv needs a file name, not '%s'", v ? v : "");
        c->stats_csv = v;
        return 0;
    case BH_RUN_CONSOLE:
        if (v && !strcmp(v, "raw")) c->console_raw = 1;
        else if (v && !strcmp(v, "line")) c->console_raw = 0;
        else return bh_errf(err, errlen, "--console takes line or raw, not '%s'", v ? v : "");
        return 0;
    case BH_RUN_DIALECT:
        if (v && !strcmp(v, "spim")) c->dialect = BH_DIALECT_SPIM;
        else if (v && !strcmp(v, "mars")) c->dialect = BH_DIALECT_MARS;
        else return bh_errf(err, errlen, "--dialect takes spim or mars, not '%s'", v ? v : "");
        return 0;
    case BH_RUN_MACHINE:
        if (v && !strcmp(v, "spim")) c->machine = BH_MACHINE_SPIM + 1;
        else if (v && !strcmp(v, "bare")) c->machine = BH_MACHINE_BARE + 1;
        else return bh_errf(err, errlen, "--machine takes spim or bare, not '%s'", v ? v : "");
        return 0;
    case BH_RUN_MONITOR:
        if (!v || strcmp(v, "stdio"))
            return bh_errf(err, errlen, "--monitor takes stdio, not '%s'", v ? v : "");
        c->monitor = 1;
        return 0;
    case BH_RUN_INTERACTIVE: c->monitor = 1; return 0;
    case BH_RUN_QMP:
        if (!v || (strncmp(v, "unix:", 5) && strncmp(v, "tcp:", 4)))
            return bh_errf(err, errlen, "--qmp takes unix:PATH or tcp:127.0.0.1:PORT, not '%s'",
                           v ? v : "");
        c->qmp = v;
        return 0;
    case BH_RUN_HISTORY:
        c->history_given = 1;
        if (v && !strcmp(v, "0")) c->history = 0;
        else if (!v || bh_parse_size(v, &c->history) != 0 || c->history > (1ull << 40))
            return bh_errf(err, errlen, "--history needs a size like 64M (0: off), not '%s'",
                           v ? v : "");
        return 0;
    case BH_RUN_SPIM_NOOP: return 0;
    case BH_RUN_SPIM_BARE: /* SPIM's bare machine: its assembler, and both delay slots */
        c->bare = 1;
        c->delay |= BH_VM_DELAYED_BRANCHES;
        c->delay |= BH_VM_DELAYED_LOADS;
        return 0;
    case BH_RUN_SPIM_DELAYED_BRANCHES: c->delay |= BH_VM_DELAYED_BRANCHES; return 0;
    case BH_RUN_SPIM_DELAYED_LOADS: c->delay |= BH_VM_DELAYED_LOADS; return 0;
    case BH_RUN_SPIM_NOEXCEPTION: /* myvmm's default: no handler; the last of the two wins, as in SPIM */
        c->exc_file = NULL;
        return 0;
    case BH_RUN_SPIM_EXCEPTION_FILE:
        if (!v || !*v) return bh_errf(err, errlen, "%s needs a file", "-exception_file");
        c->exc_file = v;
        return 0;
    }
    return 0;
}

/* A word that is no option: the program ("myvmm prog.s", as spim -file),
 * or, after it, the first argument for the guests (as with SPIM). */
static int operand(void *ctx, const char *a, char *err, size_t errlen)
{
    struct cli *c = ctx;
    if (c->nspecs || c->pending_snap) return 1;
    struct vm_spec *s = add_spec(c);
    if (!s) return bh_errf(err, errlen, "out of memory");
    s->file = a;
    return 0;
}

/* Returns -1 to go on, or an exit status (0 for --help / --version). */
static int parse_args(int argc, char **argv, struct cli *c)
{
    struct bh_option_set sets[BH_RUN_NSETS];
    char err[4096];
    int next;
    bh_run_option_sets(sets, apply_option, c, &c->jobs, &c->snap, &c->disp, &c->mig);
    /* BH_JIT=1 runs whole test suites with the tier on (docs/jit.md). */
    const char *jit_env = getenv("BH_JIT");
    c->jit = jit_env && !strcmp(jit_env, "1");
    c->jit_threshold = BH_JIT_THRESHOLD;
    c->jit_cache = BH_JIT_CACHE;
    c->history = BH_HISTORY_DEFAULT_LIMIT;
    int rc = bh_options_parse(sets, BH_RUN_NSETS, argc, argv, operand, c, &next, err, sizeof err);
    if (rc < 0) return usage_error("%s", err);
    if (rc == STOP_HELP) {
        struct bh_buf help = {0};
        bh_run_help(sets, &help);
        fwrite(help.data, 1, help.len, stdout);
        bh_buf_free(&help);
        return 0;
    }
    if (rc == STOP_VERSION) { printf("myvmm (baby_hypervisor) %s\n", MYVMM_VERSION); return 0; }
    if (next < argc) { /* "--", or the first argument after the program */
        int skip = strcmp(argv[next], "--") == 0;
        c->guest_argc = argc - next - skip;
        c->guest_argv = argv + next + skip;
    }
    if (c->pending_snap) {
        /* "-s SNAP" alone: the snapshot must embed its program. */
        struct vm_spec *s = add_spec(c);
        if (!s) return usage_error("%s", "out of memory");
        s->restore = c->pending_snap;
    }
    if (c->mig.incoming && c->nspecs) return usage_error("%s", "--incoming receives its VM: no -v with it");
    if (c->jit_dump_path && !c->jit)
        return usage_error("%s", "--jit-dump shows what the translation tier translates: give --jit "
                                 "(or BH_JIT=1) with it");
    if (!c->nspecs && !c->snap.info && !c->mig.incoming && !c->mig.gen_psk) return usage_error("%s", "nothing to run: give a program with -v FILE");
    if (c->mig.incoming && c->net)
        return usage_error("%s", "--incoming: an arriving VM's card goes to the LAN it was on "
                                 "(its NIC section names it): no --net with it");
    if (c->mig.incoming && (c->monitor || c->qmp))
        return usage_error("%s", "--incoming runs the VMs it receives: no -i, --monitor or --qmp with it");
    if (c->disk && (c->nspecs > 1 || c->mig.incoming_count > 1))
        return usage_error("%s", "--disk is the disk of one VM: with several, give each its own "
                                 "with vm_disk in its config (docs/config.md)");
    if (c->net && c->nspecs > 1)
        return usage_error("%s", "--net is the LAN of one VM: with several, give each its own "
                                 "with vm_net in its config (docs/config.md)");
    return -1;
}

/* The dialect a VM runs in when the command line or its config names one
 * (--dialect wins), else 0: the program's own (docs/myvmm.md, Dialects). */
static int spec_dialect(const struct vm_spec *s, const struct cli *c)
{
    return c->dialect ? c->dialect : s->has_cfg ? s->cfg.dialect : 0;
}

/* Load the program of spec: an image, or an assembly source, after the
 * exception file exc (NULL: none) as SPIM loads them, with asm_flags
 * (BH_ASM_BARE for -bare).  Assembly
 * diagnostics are printed exactly as babyasm prints them. */
static int load_program(struct vm_spec *s, const char *path, int dialect, const char *exc,
                        unsigned asm_flags)
{
    char err[512];
    uint8_t *buf;
    size_t len;
    if (bh_read_file(path, &buf, &len, err, sizeof err) != 0) {
        fprintf(stderr, "myvmm: %s\n", err);
        return -1;
    }
    int rc;
    if (exc && (bh_image_is_image(buf, len) || memchr(buf, '\0', len < 4096 ? len : 4096))) {
        fprintf(stderr, "myvmm: %s: -exception_file is assembled with an assembly program, "
                        "not with an image" BH_HELP "give the program's source (prog.s)\n", path);
        rc = -1;
    } else if (bh_image_is_image(buf, len)) {
        rc = bh_image_read(buf, len, &s->img, err, sizeof err);
        if (rc) fprintf(stderr, "myvmm: %s: %s\n", path, err);
    } else if (bh_config_looks_like(buf, len)) {
        fprintf(stderr, "myvmm: %s: a config file names another config file, not a program\n", path);
        rc = -1;
    } else if (len >= 4 && memcmp(buf, BH_SNAP_MAGIC, 4) == 0) {
        fprintf(stderr, "myvmm: %s: a snapshot, not a program" BH_HELP
                        "a snapshot goes after -s: myvmm -s %s resumes it\n", path, path);
        rc = -1;
    } else if (memchr(buf, '\0', len < 4096 ? len : 4096)) {
        /* Binary junk would come back as pages of assembler errors. */
        fprintf(stderr, "myvmm: %s: not a program: no babyasm image magic, and not text "
                        "(it has NUL bytes)\n", path);
        rc = -1;
    } else {
        struct bh_asm_result res;
        memset(&res, 0, sizeof res);
        unsigned flags = asm_flags | (dialect == BH_DIALECT_SPIM   ? BH_ASM_DIALECT_SPIM
                                      : dialect == BH_DIALECT_MARS ? BH_ASM_DIALECT_MARS
                                                                   : 0);
        uint8_t *ebuf = NULL;
        size_t elen = 0;
        if (exc && bh_read_file(exc, &ebuf, &elen, err, sizeof err) != 0) {
            fprintf(stderr, "myvmm: -exception_file: %s\n", err);
            free(buf);
            return -1;
        }
        struct bh_asm_input in[2] = {{exc, (const char *)ebuf, elen}, {path, (const char *)buf, len}};
        rc = exc ? bh_asm_sources(in, 2, flags, &s->img, &res)
                 : bh_asm_sources(in + 1, 1, flags, &s->img, &res);
        free(ebuf);
        if (res.diag.len) fwrite(res.diag.data, 1, res.diag.len, stderr);
        bh_asm_result_free(&res);
    }
    free(buf);
    if (rc == 0) s->has_img = 1;
    return rc;
}

/* stderr is a terminal: long jobs draw a progress bar (progress.h). */
static int progress_tty;

/* A snapshot shows its bar when it writes at least 64 MiB: smaller ones
 * take a blink, and a run on a terminal stays as quiet as in a pipe. */
#define SNAP_BAR_MIN (64u << 20)

static void watch_snapshots(struct vm_spec *s)
{
    if (!progress_tty) return;
    s->snap_bar = (struct bh_progress_bar){.name = s->name, .what = "snapshot",
                                           .min_total = SNAP_BAR_MIN};
    bh_vm_ctl(s->vm)->snap_progress = bh_progress_bar_update;
    bh_vm_ctl(s->vm)->snap_progress_ctx = &s->snap_bar;
}

/* Read FILE: a config (then its program) or a program. */
static int prepare(struct vm_spec *s, int index, const struct cli *c)
{
    char err[1024];
    snprintf(s->name, sizeof s->name, "vm%d", index + 1);
    s->slice = BH_CONFIG_DEFAULT_SLICE;
    s->weight = BH_CONFIG_DEFAULT_WEIGHT;
    s->program = s->file;
    if (s->file) {
        uint8_t *buf;
        size_t len;
        if (bh_read_file(s->file, &buf, &len, err, sizeof err) != 0) {
            fprintf(stderr, "myvmm: %s\n", err);
            return -1;
        }
        int is_cfg = !bh_image_is_image(buf, len) && bh_config_looks_like(buf, len);
        int rc = is_cfg ? bh_config_parse(s->file, (const char *)buf, len, &s->cfg, err, sizeof err) : 0;
        free(buf);
        if (rc) {
            fprintf(stderr, "myvmm: %s\n", err);
            return -1;
        }
        if (is_cfg) {
            s->has_cfg = 1;
            s->program = s->cfg.binary;
            s->slice = s->cfg.slice;
            s->weight = s->cfg.weight;
            if (s->cfg.name) snprintf(s->name, sizeof s->name, "%s", s->cfg.name);
        }
        if (load_program(s, s->program, spec_dialect(s, c), c->exc_file, c->bare ? BH_ASM_BARE : 0) != 0)
            return -1;
    }
    if (s->restore) {
        struct bh_snapshot snap;
        if (bh_snapshot_load(s->restore, &snap, err, sizeof err) != 0) {
            fprintf(stderr, "myvmm: %s\n", err);
            return -1;
        }
        int rc = 0;
        if (!s->has_img) {
            rc = bh_snapshot_image(&snap, &s->img, err, sizeof err);
            if (rc) fprintf(stderr, "myvmm: %s: %s (give the program with -v)\n", s->restore, err);
            else { s->has_img = 1; s->program = s->restore; }
        }
        bh_snapshot_free(&snap);
        if (rc) return -1;
    }
    (void)c;
    return 0;
}

/* --display png: the picture now (at SNAPSHOT, SIGUSR1, the end); -1
 * when it could not be written (said). */
static int display_png(struct vm_spec *s)
{
    char err[768];
    if (bh_display_ctl_png(&s->display, s->vm, err, sizeof err) == 0) return 0;
    fprintf(stderr, "myvmm: %s: %s\n", s->name, err);
    return -1;
}

/* The guest's SNAPSHOT was saved: the picture too. */
static void display_snapshot_taken(void *ctx, struct bh_vm *vm)
{
    (void)vm;
    display_png(ctx);
}

static int build(struct vm_spec *s, const struct cli *c, int nvms)
{
    char err[1024];
    struct bh_vm_opts o;
    bh_vm_opts_init(&o);
    o.name = s->name;
    o.mem_limit = c->memory ? c->memory : s->has_cfg ? s->cfg.memory : BH_CONFIG_DEFAULT_MEMORY;
    o.seed = c->seed;
    o.fs_root = c->fs_root;
    o.disk = c->disk ? c->disk : s->has_cfg ? s->cfg.disk : NULL;
    o.dialect = spec_dialect(s, c);
    o.delay = c->delay;
    o.machine = c->machine ? c->machine - 1 : s->has_cfg ? s->cfg.machine : BH_MACHINE_SPIM;
    const char *lan = c->net ? c->net : s->has_cfg ? s->cfg.net : NULL;
    o.net = lan != NULL;
    o.mac = s->has_cfg ? s->cfg.mac : NULL;
    if (o.mac && !lan) {
        fprintf(stderr, "myvmm: %s: vm_mac %s is the MAC of a network card, and the VM has none "
                        "(vm_net or --net gives it one)\n", s->name, o.mac);
        return -1;
    }
    /* A restore builds the machine the snapshot was (--machine may only
     * say the same: the restore refuses another). */
    struct bh_snapshot snap;
    int have_snap = 0;
    if (s->restore) {
        if (bh_snapshot_load(s->restore, &snap, err, sizeof err) != 0) {
            fprintf(stderr, "myvmm: %s: %s\n", s->name, err);
            return -1;
        }
        have_snap = 1;
        if (!c->machine) o.machine = bh_snapshot_machine(&snap);
    }
    /* argv[0] is the program path, then the arguments for the guests. */
    char **argv = malloc(sizeof *argv * (size_t)(c->guest_argc + 2));
    if (!argv) { fprintf(stderr, "myvmm: out of memory\n"); return -1; }
    argv[0] = (char *)s->program;
    for (int i = 0; i < c->guest_argc; i++) argv[i + 1] = c->guest_argv[i];
    argv[c->guest_argc + 1] = NULL;
    o.argc = c->guest_argc + 1;
    o.argv = argv;
    int rc = bh_vm_create(&s->img, &o, &s->vm, err, sizeof err);
    free(argv);
    if (rc) {
        if (have_snap) bh_snapshot_free(&snap);
        fprintf(stderr, "myvmm: %s: %s\n", s->name, err);
        return -1;
    }
    if (lan && bh_lans_plug(c->lans, s->vm, lan, err, sizeof err) != 0) {
        if (have_snap) bh_snapshot_free(&snap);
        fprintf(stderr, "myvmm: %s: %s\n", s->name, err);
        return -1;
    }
    struct bh_console *con = bh_vm_console(s->vm);
    struct bh_vm_ctl *ctl = bh_vm_ctl(s->vm);
    if (s->has_cfg && s->cfg.stdin_path && !(s->in = fopen(s->cfg.stdin_path, "rb"))) {
        fprintf(stderr, "myvmm: %s: vm_stdin %s: %s\n", s->name, s->cfg.stdin_path, strerror(errno));
        goto fail;
    }
    if (s->has_cfg && s->cfg.stdout_path && !(s->out = fopen(s->cfg.stdout_path, "wb"))) {
        fprintf(stderr, "myvmm: %s: vm_stdout %s: %s\n", s->name, s->cfg.stdout_path, strerror(errno));
        goto fail;
    }
    char prefix[BH_CON_PREFIX_MAX];
    /* Several VMs share the terminal: each line says which VM wrote it. */
    snprintf(prefix, sizeof prefix, "%s | ", s->name);
    bh_console_attach(con, s->in, s->out, (nvms > 1 && !s->out) ? prefix : "");
    if (s->no_input) { /* stdin is an earlier VM's until it stops (docs/scheduling.md) */
        con->in = NULL;
        con->in_fd = -1;
        con->in_held = 1;
    }
    con->intr_fd = bh_signals_stop_fd(); /* a stop signal ends a blocking read */
    con->screen = c->console_raw && !s->out; /* its output is the terminal's */
    /* Under the scheduler a read with no input yet must not hold a host
     * thread: the VM waits (no slice burnt) until its input is readable. */
    ctl->nonblock = nvms > 1;
    ctl->trace = c->trace;
    ctl->trace_exits = c->trace_exits;
    ctl->stats = c->stats;
    ctl->max_instructions = c->max_instructions ? c->max_instructions
                            : s->has_cfg ? s->cfg.max_instructions : 0;
    if (c->stats && bh_vm_tally(s->vm) != 0) {
        fprintf(stderr, "myvmm: %s: out of memory for --stats\n", s->name);
        goto fail;
    }
    if (c->jit && bh_vm_jit(s->vm, (unsigned)c->jit_threshold, c->jit_cache, err, sizeof err) != 0) {
        fprintf(stderr, "myvmm: %s: --jit: %s\n", s->name, err);
        goto fail;
    }
    if (c->jit_dump && bh_jit_dump_attach(c->jit_dump, s->vm) != 0) {
        fprintf(stderr, "myvmm: %s: out of memory for --jit-dump\n", s->name);
        goto fail;
    }
    /* The display: --display names the VM, or its config sets its
     * geometry (a restore then takes the snapshot's). */
    if (bh_display_ctl_init(&s->display, &c->disp, s->name, nvms, err, sizeof err) != 0) {
        fprintf(stderr, "myvmm: %s\n", err);
        goto fail;
    }
    int cfg_display = s->has_cfg && (s->cfg.set & (BH_CFG_DISPLAY_BASE | BH_CFG_DISPLAY_UNIT |
                                                   BH_CFG_DISPLAY_SIZE));
    if (s->display.on || cfg_display) {
        struct bh_display_geom g;
        if (s->has_cfg) g = s->cfg.display;
        else bh_display_geom_default(&g);
        if (bh_vm_display_on(s->vm, &g, err, sizeof err) != 0) {
            fprintf(stderr, "myvmm: %s: %s\n", s->name, err);
            goto fail;
        }
        bh_vm_ctl(s->vm)->snapshot_taken = display_snapshot_taken;
        bh_vm_ctl(s->vm)->snapshot_taken_ctx = s;
    }
    /* Restore after the console is attached: a restore positions the input. */
    if (have_snap) {
        unsigned version = snap.f.version;
        rc = bh_snapshot_restore(s->vm, &snap, err, sizeof err);
        bh_snapshot_free(&snap);
        have_snap = 0;
        if (rc) {
            fprintf(stderr, "myvmm: %s: %s\n", s->name, err);
            return -1;
        }
        /* A card the snapshot gave (no vm_net here): on the LAN it names. */
        struct bh_nic *nic = bh_vm_nic(s->vm);
        if (!lan && nic && bh_lans_plug(c->lans, s->vm, nic->lan, err, sizeof err) != 0) {
            fprintf(stderr, "myvmm: %s: %s\n", s->name, err);
            return -1;
        }
        /* Random bytes with a zero first word and a PC in range pass as
         * such a file: the user should know nothing vouches for it. */
        if (version == 0)
            fprintf(stderr, "myvmm: %s: note: %s is in the original 132-byte snapshot format, "
                            "which carries no checksum (only its PC is checked)\n",
                    s->name, s->restore);
    }
    bh_snapshot_ctl_init(&s->snapctl, &c->snap, s->vm, s->has_cfg ? s->cfg.snapshot : NULL);
    watch_snapshots(s);
    s->usr1_seen = bh_signals_count(BH_SIGNAL_SNAPSHOT);
    return 0;
fail:
    if (have_snap) bh_snapshot_free(&snap);
    return -1;
}

/* ---- running: the scheduler's hooks, on each VM's own thread ---- */

static struct bh_mig_dst *incoming; /* --incoming: answers sources between slices */

/* VM v's index in the control (control.h) */
static size_t vm_index(const struct cli *c, const struct bh_sched_vm *v)
{
    return (size_t)((const struct vm_spec *)v->user - c->specs);
}

static int64_t hook_budget(void *ctx, struct bh_sched_vm *v, int64_t budget)
{
    struct vm_spec *s = v->user;
    struct cli *c = ctx;
    if (bh_signals_stopped()) return 0; /* stopped from outside: this turn runs nothing */
    if (c->ctl) budget = bh_ctl_budget(c->ctl, vm_index(c, v), budget);
    budget = bh_snapshot_ctl_budget(&s->snapctl, s->vm, budget);
    return s->mig ? bh_migrate_src_budget(s->mig, s->vm, budget) : budget;
}

/* The one place signals become requests: SIGUSR1 a snapshot, SIGUSR2 a
 * migration, each taken once by every VM (signals.h). */
static void take_signals(struct vm_spec *s)
{
    if (bh_signals_take(BH_SIGNAL_SNAPSHOT, &s->usr1_seen)) {
        bh_snapshot_ctl_request(&s->snapctl);
        display_png(s); /* and --display png writes its picture */
    }
    if (s->mig_cli && bh_signals_take(BH_SIGNAL_MIGRATE, &s->usr2_seen))
        bh_migrate_src_request(s->mig);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A stop signal: the VM stops at this turn's end (it is between slices,
 * or its read was just interrupted and rewound, so its state is whole);
 * hook_stopped writes out its output. */
static void take_stop(struct vm_spec *s)
{
    int sig = bh_signals_stopped();
    if (!sig || s->stop_signal) return;
    s->stop_signal = sig;
    s->stop_state = bh_vm_ctl(s->vm)->state;
    bh_vm_set_state(s->vm, BH_VM_EXITED);
}

/* Between slices: SIGUSR1 and --snapshot-every (snapcli.c), stop signals,
 * and an unfinished line that has waited 100 ms (complete lines go out
 * as they end; with several VMs an unfinished one waits for its end). */
static void hook_between(void *ctx, struct bh_sched_vm *v)
{
    struct vm_spec *s = v->user;
    char serr[768];
    (void)ctx;
    take_signals(s);
    take_stop(s);
    double t = now();
    if (t - s->flushed_at >= 0.1) {
        bh_console_flush(bh_vm_console(s->vm));
        s->flushed_at = t;
    }
    bh_display_ctl_between(&s->display, s->vm); /* --display term */
    if (bh_snapshot_ctl_slice(&s->snapctl, s->vm, serr, sizeof serr) != 0)
        fprintf(stderr, "myvmm: %s: %s\n", s->name, serr);
    /* Live migration (migrate_src.c): queue a chunk of pages, or hand the
     * VM over; once it is the destination's, its next turn finds it ended. */
    enum bh_mig_tick mt = s->mig ? bh_migrate_src_tick(s->mig, s->vm) : BH_MIG_RUN;
    if (mt == BH_MIG_GONE) {
        s->migrated = 1;
        bh_vm_ctl(s->vm)->state = BH_VM_EXITED;
        bh_vm_ctl(s->vm)->exit_status = 0;
    } else if (mt == BH_MIG_PAUSED) { /* the switch-over: park it, run the others */
        v->parked = 1;
        v->park_fd = bh_migrate_src_wait_fd(s->mig);
    }
    if (incoming) bh_migrate_dst_poll(incoming);
    struct cli *c = ctx;
    if (c->ctl && !v->parked) bh_ctl_between(c->ctl, vm_index(c, v), v); /* may park it */
}

/* A VM waiting for input still gets turns while its migration needs ticks
 * (migrate_src.c), so the migration does not stall until input arrives. */
static int hook_busy(void *ctx, struct bh_sched_vm *v)
{
    struct vm_spec *s = v->user;
    struct cli *c = ctx;
    if (v->parked) /* a stop signal ends a VM a debugger holds too */
        return c->ctl && bh_signals_stopped() && bh_ctl_release(c->ctl, vm_index(c, v));
    take_signals(s); /* a SIGUSR2 must wake a VM that waits for input */
    if (bh_signals_stopped()) return 1; /* its next turns stop it and end it */
    if (c->ctl && bh_ctl_busy(c->ctl, vm_index(c, v))) return 1; /* a pause or quit */
    return s->mig && bh_migrate_src_pending(s->mig, s->vm);
}

/* The VM stopped: its messages now, while the others go on. */
static void hook_stopped(void *ctx, struct bh_sched_vm *v, const char *msg)
{
    struct vm_spec *s = v->user;
    char serr[768];
    (void)ctx;
    if (s->migrated) { /* it goes on at the destination, which reports its end */
        fprintf(stderr, "myvmm: %s: migrated to %s\n", s->name, bh_migrate_src_addr(s->mig));
        s->status = 0;
        struct cli *c = ctx;
        if (c->ctl) {
            bh_ctl_migrated(c->ctl, vm_index(c, v));
            bh_ctl_ended(c->ctl, vm_index(c, v), 0, "");
        }
        return;
    }
    if (s->mig) bh_migrate_src_stopped(s->mig);
    s->seconds = v->busy_seconds;
    struct bh_console *con = bh_vm_console(s->vm);
    struct bh_vm_ctl *ctl = bh_vm_ctl(s->vm);
    int status;
    if (s->stop_signal) {
        /* Stopped from outside: its unfinished line goes out too, and
         * --snapshot-on-exit saves it as it was, so -s resumes it. */
        bh_console_close_output(con);
        ctl->state = s->stop_state;
        status = 128 + s->stop_signal;
        fprintf(stderr, "myvmm: %s: stopped by %s\n", s->name, bh_signals_name(s->stop_signal));
    } else {
        bh_console_flush(con);
        status = bh_monitor_status(s->vm);
    }
    struct cli *c = ctx;
    if (c->ctl) msg = bh_ctl_ended(c->ctl, vm_index(c, v), status, msg); /* a step's fault too */
    if (msg[0]) fprintf(stderr, "myvmm: %s: %s\n", s->name, msg);
    if (con->out_error)
        fprintf(stderr, "myvmm: %s: writing the console output failed: %s\n", s->name,
                strerror(con->out_error));
    if (v->state == BH_VM_EXITED && status != 0 && !s->stop_signal)
        fprintf(stderr, "myvmm: %s: exited with status %d\n", s->name, status);
    if (ctl->stats) bh_trace_stats(s->vm, s->seconds, stderr);
    bh_display_ctl_stop(&s->display, s->vm);
    int png_failed = display_png(s) != 0; /* --display png: the last picture */
    if (bh_snapshot_ctl_stop(&s->snapctl, s->vm, serr, sizeof serr) != 0)
        fprintf(stderr, "myvmm: %s: %s\n", s->name, serr);
    if (s->snapctl.cli->final_hash)
        fprintf(stderr, "myvmm: %s: final-hash 0x%016llx\n", s->name,
                (unsigned long long)bh_snapshot_state_hash(s->vm));
    s->status = (con->out_error || png_failed) && !status ? BH_STATUS_ERROR : status;
}

/* --stats-csv: each turn, as it ends, on its VM's thread.  The columns
 * are in docs/scheduling.md ("Slices as CSV"). */
static const char *csv_state(enum bh_vm_state st)
{
    switch (st) {
    case BH_VM_RUNNING: return "running";
    case BH_VM_WAITING: return "waiting";
    case BH_VM_EXITED: return "exited";
    case BH_VM_FAULTED: return "faulted";
    case BH_VM_LIMIT: return "limit";
    }
    return "?";
}

static void hook_turn(void *ctx, struct bh_sched_vm *v, const struct bh_sched_turn *t)
{
    struct cli *c = ctx;
    const struct vm_spec *s = v->user;
    pthread_mutex_lock(&c->csv_mu);
    fprintf(c->csv, "%s,%d,%llu,%.6f,%.0f,%.0f,%lld,%llu,%llu,%s\n", s->name, t->thread,
            (unsigned long long)t->round, t->start, t->wall * 1e9, t->cpu * 1e9,
            (long long)t->budget, (unsigned long long)t->insns, (unsigned long long)t->exits,
            csv_state(t->state));
    pthread_mutex_unlock(&c->csv_mu);
}

/* --stats: what the scheduler did for each VM, and how fair it was. */
static void sched_stats(const struct cli *c, const struct bh_sched_vm *sv,
                        const struct bh_sched_result *r)
{
    double fair_total = 0, fair_cpu = 0;
    for (int i = 0; i < c->nspecs; i++) {
        fair_total += (double)sv[i].fair_insns;
        fair_cpu += sv[i].fair_cpu_seconds;
    }
    fprintf(stderr, "[sched] %d VM%s on %d thread%s: %llu instructions in %.3f s", c->nspecs,
            c->nspecs == 1 ? "" : "s", r->threads, r->threads == 1 ? "" : "s",
            (unsigned long long)r->insns, r->seconds);
    if (r->seconds > 0) fprintf(stderr, " (%.1f MIPS aggregate)", (double)r->insns / r->seconds / 1e6);
    fprintf(stderr, ", %llu rounds\n", (unsigned long long)r->rounds);
    for (int i = 0; i < c->nspecs; i++) {
        const struct bh_sched_vm *v = &sv[i];
        fprintf(stderr,
                "[%s] scheduler: weight %u, slice %lld, %llu slices (%llu waiting for input), "
                "%llu instructions, share %.1f%% of instructions, %.1f%% of host CPU (%.3f s)",
                c->specs[i].name, v->weight, (long long)v->slice, (unsigned long long)v->turns,
                (unsigned long long)v->waits, (unsigned long long)v->insns,
                fair_total > 0 ? 100.0 * (double)v->fair_insns / fair_total : 0.0,
                fair_cpu > 0 ? 100.0 * v->fair_cpu_seconds / fair_cpu : 0.0, v->cpu_seconds);
        if (v->busy_seconds > 0)
            fprintf(stderr, ", %.1f MIPS in its slices", (double)v->insns / v->busy_seconds / 1e6);
        fputc('\n', stderr);
    }
    int all_ran = 1; /* the index means something only if every VM ran in the window */
    for (int i = 0; i < c->nspecs; i++) all_ran &= sv[i].fair_insns > 0;
    if (c->nspecs > 1 && all_ran)
        fprintf(stderr,
                "[sched] fairness: Jain's index %.4f over host CPU time/weight while all %d "
                "VMs were runnable\n",
                bh_sched_jain(sv, (size_t)c->nspecs), c->nspecs);
    else if (c->nspecs > 1)
        fprintf(stderr, "[sched] fairness: n/a (a VM stopped before every VM had a turn)\n");
}

/* ---- the front ends' control (control.h): the monitor, QMP, gdb ---- */

/* savevm, snapshot-save: VM i (paused) to path. */
static int op_savevm(void *ctx, size_t i, const char *path, char *err, size_t errlen)
{
    struct cli *c = ctx;
    return bh_snapshot_save(c->specs[i].vm, path, err, errlen);
}

/* loadvm, snapshot-load: path into VM i (paused), which must run the
 * snapshot's program; a snapshot that fails its checks changes nothing. */
static int op_loadvm(void *ctx, size_t i, const char *path, char *err, size_t errlen)
{
    struct cli *c = ctx;
    struct bh_snapshot snap;
    if (bh_snapshot_load(path, &snap, err, errlen) != 0) return -1;
    int rc = bh_snapshot_restore(c->specs[i].vm, &snap, err, errlen);
    bh_snapshot_free(&snap);
    if (rc == 0 && c->ctl && c->ctl->vms[i].hist) /* another timeline: history starts again */
        rc = bh_history_restart(c->ctl->vms[i].hist, err, errlen);
    return rc;
}

/* migrate, migrate-cancel, query-migrate (the monitor's and QMP's): VM
 * i's migration controller, made at start-up (make_mig). */
static int op_migrate(void *ctx, size_t i, const char *uri, char *err, size_t errlen)
{
    struct cli *c = ctx;
    return bh_migrate_src_start(c->specs[i].mig, uri, err, errlen);
}

static int op_migrate_cancel(void *ctx, size_t i)
{
    struct cli *c = ctx;
    return bh_migrate_src_cancel(c->specs[i].mig);
}

static void op_query_migrate(void *ctx, size_t i, struct bh_mig_info *info)
{
    struct cli *c = ctx;
    bh_migrate_src_info(c->specs[i].mig, info);
}

/* The control of the VMs (control.h), made once for the front ends that
 * need it (--gdb, --qmp, -i); NULL with a message when it cannot be.  Its
 * VMs never block a host thread on input: a pause must find them between
 * turns. */
static struct bh_ctl *ensure_ctl(struct cli *c)
{
    if (c->ctl) return c->ctl;
    char err[256];
    struct bh_ctl *ctl = malloc(sizeof *ctl);
    if (!ctl || bh_ctl_init(ctl, (size_t)c->nspecs, err, sizeof err) != 0) {
        fprintf(stderr, "myvmm: %s\n", ctl ? err : "out of memory");
        free(ctl);
        return NULL;
    }
    for (int i = 0; i < c->nspecs; i++) {
        bh_ctl_attach(ctl, (size_t)i, c->specs[i].vm, c->specs[i].name);
        c->specs[i].ctl = ctl; /* its migration's events go there */
        c->specs[i].index = (size_t)i;
        bh_vm_ctl(c->specs[i].vm)->nonblock = 1;
        int st = bh_vm_ctl(c->specs[i].vm)->state;
        if (st != BH_VM_RUNNING && st != BH_VM_WAITING) /* restored after its end */
            bh_ctl_ended(ctl, (size_t)i, c->specs[i].status, "");
        else if (c->history) {
            char why[300];
            ctl->vms[i].hist =
                bh_history_new(c->specs[i].vm, BH_HISTORY_INTERVAL, c->history, why, sizeof why);
            if (!ctl->vms[i].hist) {
                snprintf(ctl->vms[i].no_hist, sizeof ctl->vms[i].no_hist,
                         "%s keeps no history: %s", c->specs[i].name, why);
                if (c->history_given) fprintf(stderr, "myvmm: %s\n", ctl->vms[i].no_hist);
            }
        }
    }
    return c->ctl = ctl;
}

static void end_ctl(struct cli *c)
{
    if (!c->ctl) return;
    for (int i = 0; i < c->nspecs; i++) c->specs[i].ctl = NULL;
    for (size_t i = 0; i < c->ctl->n; i++) bh_history_free(c->ctl->vms[i].hist);
    bh_ctl_destroy(c->ctl);
    free(c->ctl);
    c->ctl = NULL;
}

struct front_ends {
    struct bh_gdbstub *gdb;
    struct bh_qmp_server *qmp;
    struct bh_hmp_tty *tty;
};

static void stop_front_ends(struct front_ends *f)
{
    bh_hmp_tty_finish(f->tty);
    bh_qmp_stop(f->qmp);
    bh_gdbstub_stop(f->gdb);
    memset(f, 0, sizeof *f);
}

/* --gdb: the stub, --qmp: the QMP socket, -i: the monitor on the
 * terminal, all listening before any VM runs (with --gdb-wait or -i,
 * every VM waits before its first instruction). */
static int start_front_ends(struct cli *c, struct front_ends *f)
{
    memset(f, 0, sizeof *f);
    if (!c->gdb && !c->qmp && !c->monitor) return 0;
    if (!ensure_ctl(c)) return -1;
    char err[512];
    if (c->gdb) {
        if (bh_gdbstub_start(&f->gdb, c->gdb, c->ctl, err, sizeof err) != 0) {
            fprintf(stderr, "myvmm: --gdb: %s\n", err);
            return -1;
        }
        if (c->gdb_wait)
            for (int i = 0; i < c->nspecs; i++) bh_ctl_hold(c->ctl, (size_t)i);
        fprintf(stderr, "myvmm: gdb: listening on %s%s\n", bh_gdbstub_address(f->gdb),
                c->gdb_wait ? " (the VMs wait for gdb)" : "");
    }
    struct bh_hmp_ops ops = {.savevm = op_savevm, .loadvm = op_loadvm, .ctx = c};
    if (c->nspecs && c->specs[0].mig) { /* every VM has one (main) */
        ops.migrate = op_migrate;
        ops.migrate_cancel = op_migrate_cancel;
        ops.query_migrate = op_query_migrate;
    }
    const char *where;
    if (c->qmp) {
        if (!(f->qmp = bh_qmp_start(c->qmp, c->ctl, &ops, &where, err, sizeof err))) {
            fprintf(stderr, "myvmm: %s\n", err);
            stop_front_ends(f);
            return -1;
        }
        fprintf(stderr, "myvmm: qmp: listening on %s\n", where);
    }
    if (c->monitor) {
        for (int i = 0; i < c->nspecs; i++) bh_ctl_hold(c->ctl, (size_t)i);
        if (!(f->tty = bh_hmp_tty_start(c->ctl, &ops, err, sizeof err))) {
            fprintf(stderr, "myvmm: %s\n", err);
            stop_front_ends(f);
            return -1;
        }
    }
    return 0;
}

/* Run every VM at once; returns the exit status (docs/myvmm.md). */
static int run_all(struct cli *c)
{
    struct bh_sched_vm *sv = calloc((size_t)c->nspecs, sizeof *sv);
    if (!sv) {
        fprintf(stderr, "myvmm: out of memory\n");
        return BH_STATUS_ERROR;
    }

    struct bh_sched_vm *on_stdin = NULL; /* the last VM so far without vm_stdin */
    for (int i = 0; i < c->nspecs; i++) {
        struct vm_spec *s = &c->specs[i];
        if (!(s->has_cfg && s->cfg.stdin_path)) {
            if (on_stdin) on_stdin->input_next = &sv[i];
            on_stdin = &sv[i];
        }
        sv[i].vm = s->vm;
        sv[i].slice = s->slice;
        sv[i].weight = s->weight;
        sv[i].user = s;
        char derr[512];
        if (bh_display_ctl_start(&s->display, derr, sizeof derr) != 0) {
            fprintf(stderr, "myvmm: %s: %s\n", s->name, derr);
            for (int k = 0; k < i; k++) bh_display_ctl_stop(&c->specs[k].display, NULL);
            free(sv);
            return BH_STATUS_ERROR;
        }
        int st = bh_vm_ctl(s->vm)->state;
        if (st != BH_VM_RUNNING && st != BH_VM_WAITING) { /* restored after its end */
            sv[i].state = (enum bh_vm_state)st;
            hook_stopped(c, &sv[i], "");
        }
    }
    struct bh_sched_opts o = {.threads = c->jobs,
                              .hooks = {c, hook_budget, hook_between, hook_stopped, hook_busy}};
    if (c->stats_csv) {
        c->csv = fopen(c->stats_csv, "w");
        if (!c->csv) {
            fprintf(stderr, "myvmm: --stats-csv %s: %s\n", c->stats_csv, strerror(errno));
            free(sv);
            return BH_STATUS_ERROR;
        }
        pthread_mutex_init(&c->csv_mu, NULL);
        fputs("vm,thread,round,start_s,wall_ns,cpu_ns,budget,instructions,exits,state\n", c->csv);
        o.hooks.turn = hook_turn;
    }
    struct front_ends fe;
    if (start_front_ends(c, &fe) != 0) {
        if (c->csv) fclose(c->csv);
        free(sv);
        end_ctl(c);
        return BH_STATUS_ERROR;
    }
    struct bh_sched_result r;
    char err[256];
    int rc = bh_sched_run(sv, (size_t)c->nspecs, &o, &r, err, sizeof err), csv_failed = 0;
    stop_front_ends(&fe);
    end_ctl(c);
    if (c->csv) {
        pthread_mutex_destroy(&c->csv_mu);
        int bad = ferror(c->csv);
        if (fclose(c->csv) != 0 || bad) {
            fprintf(stderr, "myvmm: --stats-csv %s: writing failed: %s\n", c->stats_csv,
                    strerror(errno ? errno : EIO));
            csv_failed = 1;
        }
        c->csv = NULL;
    }
    if (rc != 0) {
        fprintf(stderr, "myvmm: %s\n", err);
        free(sv);
        return BH_STATUS_ERROR;
    }
    /* The first VM on the command line that did not exit 0 decides. */
    int status = 0;
    for (int i = 0; i < c->nspecs && !status; i++) status = c->specs[i].status;
    if (csv_failed && !status) status = BH_STATUS_ERROR;
    if (c->nspecs > 1) {
        for (int i = 0; i < c->nspecs; i++) {
            const struct vm_spec *s = &c->specs[i];
            if (s->migrated) /* it did not exit: it runs on at the destination */
                fprintf(stderr, "myvmm: %s: migrated to %s, %llu instructions here, %.3f s", s->name,
                        bh_migrate_src_addr(s->mig), (unsigned long long)bh_vm_icount(s->vm),
                        sv[i].end_seconds);
            else if (s->stop_signal)
                fprintf(stderr, "myvmm: %s: stopped by %s (status %d), %llu instructions, %.3f s",
                        s->name, bh_signals_name(s->stop_signal), s->status,
                        (unsigned long long)bh_vm_icount(s->vm), sv[i].end_seconds);
            else
                fprintf(stderr, "myvmm: %s: %s (status %d), %llu instructions, %.3f s", s->name,
                        bh_monitor_state_name(sv[i].state), s->status,
                        (unsigned long long)bh_vm_icount(s->vm), sv[i].end_seconds);
            fputc('\n', stderr);
        }
    }
    if (c->stats) sched_stats(c, sv, &r);
    free(sv);
    return status;
}

static void free_spec(struct vm_spec *s)
{
    if (s->vm) {
        bh_vm_destroy(s->vm);
    }
    bh_migrate_src_free(s->mig);
    if (s->mig_log) fclose(s->mig_log);
    if (s->mig_img) {
        bh_image_free(s->mig_img);
        free(s->mig_img);
    }
    if (s->has_img) bh_image_free(&s->img);
    if (s->has_cfg) bh_config_free(&s->cfg);
    if (s->in) fclose(s->in);
    if (s->out) fclose(s->out);
}

/* ---- live migration (vm/state/migrate_*.c) ---- */

static void mig_report(void *ctx, const char *line)
{
    fprintf(stderr, "myvmm: %s: %s\n", (const char *)ctx, line);
}

/* --migrate-log FILE: one CSV row per round (migrate.h). */
static void mig_round_row(void *ctx, const struct bh_mig_round_stat *r)
{
    FILE *f = ctx;
    if (r->downtime >= 0)
        fprintf(f, "%u,%u,%llu,,,0,%.3f\n", r->attempt, r->round, (unsigned long long)r->pages,
                r->downtime * 1000.0);
    else
        fprintf(f, "%u,%u,%llu,%.4f,%.0f,%llu,\n", r->attempt, r->round,
                (unsigned long long)r->pages, r->seconds, r->dirty_rate,
                (unsigned long long)r->remaining);
    fflush(f);
}

/* The VM leaves for the switch-over, or is back: frames for it are
 * dropped and counted on its switch port meanwhile (lan.h). */
static void mig_away(void *ctx, int away)
{
    bh_lans_away(((struct vm_spec *)ctx)->vm, away);
}

/* A status change of VM s's migration: the front ends' MIGRATION event. */
static void mig_status(void *ctx, enum bh_mig_status st)
{
    struct vm_spec *s = ctx;
    if (s->ctl) bh_ctl_migration(s->ctl, s->index, bh_migrate_status_name(st));
}

/* VM s's migration controller, to addr (NULL: only QMP's or the monitor's
 * migrate gives one), with the command line's key and limits.  -1 said. */
static int make_mig(struct cli *c, struct vm_spec *s, const char *addr, const char *what)
{
    char err[512], rescue[64];
    snprintf(rescue, sizeof rescue, "%s.migrate-rescue.snap", s->name);
    struct bh_mig_src_opts o = {.addr = addr, .after = addr ? c->mig.after : 0,
                                .max_downtime = c->mig.max_downtime,
                                .max_bandwidth = c->mig.max_bandwidth,
                                .max_rounds = c->mig.max_rounds, .rescue_path = rescue,
                                .psk_file = c->mig.psk_file, .insecure = c->mig.insecure,
                                .report = mig_report, .report_ctx = s->name,
                                .away = mig_away, .away_ctx = s,
                                .status = mig_status, .status_ctx = s};
    if (addr && c->mig.log) {
        if (!(s->mig_log = fopen(c->mig.log, "w"))) {
            fprintf(stderr, "myvmm: --migrate-log %s: %s\n", c->mig.log, strerror(errno));
            return -1;
        }
        fputs("attempt,round,pages_sent,seconds,dirty_pages_per_s,dirty_left,downtime_ms\n",
              s->mig_log);
        o.round_log = mig_round_row;
        o.round_ctx = s->mig_log;
    }
    if (progress_tty) {
        s->mig_bar = (struct bh_progress_bar){.name = s->name, .what = "migrate"};
        o.progress = bh_progress_bar_update;
        o.progress_ctx = &s->mig_bar;
    }
    if (!(s->mig = bh_migrate_src_new(&o, err, sizeof err))) {
        fprintf(stderr, "myvmm: %s: %s\n", what, err);
        return -1;
    }
    return 0;
}

/* --migrate [NAME=]ADDR: a migration controller for that VM. */
static int setup_migration(struct cli *c)
{
    struct vm_spec *s = NULL;
    for (int i = 0; i < c->nspecs; i++)
        if (c->mig.to_name[0] ? strcmp(c->specs[i].name, c->mig.to_name) == 0 : c->nspecs == 1)
            s = &c->specs[i];
    if (!s) {
        if (c->mig.to_name[0]) fprintf(stderr, "myvmm: --migrate: no VM named '%s'\n", c->mig.to_name);
        else fprintf(stderr, "myvmm: --migrate: %d VMs run: say which, --migrate NAME=%s\n", c->nspecs, c->mig.to);
        return -1;
    }
    if (make_mig(c, s, c->mig.to, "--migrate") != 0) return -1;
    s->mig_cli = 1;
    s->usr2_seen = bh_signals_count(BH_SIGNAL_MIGRATE);
    bh_signals_catch(BH_SIGNAL_MIGRATE);
    bh_migrate_src_attach(s->mig, s->vm); /* syscall 60 may ask now */
    /* A read with no input must not block the host thread even for a
     * single VM: the scheduler keeps ticking the migration meanwhile. */
    bh_vm_ctl(s->vm)->nonblock = 1;
    return 0;
}

/* The arriving VM gets the options a VM built here would get. */
static int incoming_setup(void *ctx, struct bh_vm *vm, char *err, size_t errlen)
{
    const struct cli *c = ctx;
    struct bh_console *con = bh_vm_console(vm);
    struct bh_vm_ctl *ctl = bh_vm_ctl(vm);
    ctl->trace = c->trace;
    ctl->trace_exits = c->trace_exits;
    ctl->stats = c->stats;
    ctl->max_instructions = c->max_instructions;
    if (c->stats && bh_vm_tally(vm) != 0)
        return bh_errf(err, errlen, "out of memory for --stats");
    if (c->jit && bh_vm_jit(vm, (unsigned)c->jit_threshold, c->jit_cache, err, errlen) != 0)
        return -1;
    if (c->jit_dump && bh_jit_dump_attach(c->jit_dump, vm) != 0)
        return bh_errf(err, errlen, "out of memory for --jit-dump");
    /* Lines say which VM wrote them, as on a multi-VM source, when this
     * destination receives several VMs or --incoming-prefix asks. */
    if (c->mig.incoming_count > 1 || c->mig.prefix) {
        char prefix[BH_CON_PREFIX_MAX];
        snprintf(prefix, sizeof prefix, "%s | ", bh_vm_name(vm));
        bh_console_attach(con, NULL, NULL, prefix);
    }
    return 0;
}

/* --incoming ADDR (N times): receive N VMs, each as it arrives (one that
 * arrives while another runs is received between its slices), and run
 * them one after another in that order; each runs as if it had started
 * here. */
static int run_incoming(struct cli *c)
{
    char err[512];
    struct bh_mig_dst_opts o = {.fs_root = c->fs_root, .disk = c->disk, .max_memory = c->memory,
                                .count = c->mig.incoming_count,
                                .setup = incoming_setup, .setup_ctx = c,
                                .psk_file = c->mig.psk_file, .insecure = c->mig.insecure,
                                .report = mig_report, .report_ctx = (void *)"incoming"};
    struct bh_mig_dst *d = bh_migrate_dst_new(c->mig.incoming, &o, err, sizeof err);
    if (!d) {
        fprintf(stderr, "myvmm: --incoming: %s\n", err);
        return BH_STATUS_ERROR;
    }
    fprintf(stderr, "myvmm: incoming: waiting for a VM on %s (port %d)\n", c->mig.incoming,
            bh_migrate_dst_port(d));
    int status = 0;
    for (int k = 0; k < c->mig.incoming_count; k++) {
        struct vm_spec *s = add_spec(c);
        if (!s) { fprintf(stderr, "myvmm: out of memory\n"); status = BH_STATUS_ERROR; break; }
        if (bh_migrate_dst_accept(d, -1, &s->vm, &s->mig_img, err, sizeof err) != 0) {
            fprintf(stderr, "myvmm: incoming: %s\n", err);
            c->nspecs--;
            status = BH_STATUS_ERROR;
            break;
        }
        snprintf(s->name, sizeof s->name, "%s", bh_vm_name(s->vm));
        /* Its card (the NIC section gave it one): on the LAN of that name
         * here, which then learns where its MAC went. */
        struct bh_nic *nic = bh_vm_nic(s->vm);
        if (nic && bh_lans_plug(c->lans, s->vm, nic->lan, err, sizeof err) != 0) {
            fprintf(stderr, "myvmm: incoming: %s\n", err);
            status = BH_STATUS_ERROR;
            break;
        }
        bh_lans_announce(s->vm);
        /* --display: the VM's display came with it (a SECTION), or it gets
         * MARS's default one */
        if (bh_display_ctl_init(&s->display, &c->disp, s->name, 1, err, sizeof err) != 0) {
            fprintf(stderr, "myvmm: incoming: %s\n", err);
            status = BH_STATUS_USAGE;
            break;
        }
        if (s->display.on) {
            struct bh_display_geom g;
            bh_display_geom_default(&g);
            if (!bh_vm_display(s->vm) && bh_vm_display_on(s->vm, &g, err, sizeof err) != 0) {
                fprintf(stderr, "myvmm: incoming: %s\n", err);
                status = BH_STATUS_ERROR;
                break;
            }
            bh_vm_ctl(s->vm)->snapshot_taken = display_snapshot_taken;
            bh_vm_ctl(s->vm)->snapshot_taken_ctx = s;
        }
        s->slice = BH_CONFIG_DEFAULT_SLICE;
        s->weight = 1;
        bh_snapshot_ctl_init(&s->snapctl, &c->snap, s->vm, NULL);
        watch_snapshots(s);
        s->usr1_seen = bh_signals_count(BH_SIGNAL_SNAPSHOT);
        struct vm_spec *all = c->specs;
        int n = c->nspecs;
        c->specs = s; /* run_all runs this one VM */
        c->nspecs = 1;
        incoming = d;
        int st = run_all(c);
        incoming = NULL;
        c->specs = all;
        c->nspecs = n;
        if (!status) status = st;
    }
    for (int i = 0; i < c->nspecs; i++) free_spec(&c->specs[i]);
    bh_migrate_dst_free(d);
    return status;
}

int main(int argc, char **argv)
{
    struct cli c;
    memset(&c, 0, sizeof c);
    struct bh_lans lans = {0};
    c.lans = &lans;
    progress_tty = bh_progress_tty_init();
    int status = parse_args(argc, argv, &c);
    char serr[768];
    if (status >= 0) { /* --help, --version, or a usage error */
        bh_lans_free(c.lans, serr, sizeof serr);
        free(c.specs);
        return status;
    }
    status = 0;
    if (bh_snapshot_cli_apply(&c.snap, serr, sizeof serr) != 0) {
        fprintf(stderr, "myvmm: %s\n", serr);
        free(c.specs);
        return BH_STATUS_USAGE;
    }
    if (c.mig.gen_psk) { /* --gen-psk FILE: a key for --migrate-psk, nothing runs */
        free(c.specs);
        if (bh_migrate_gen_psk(c.mig.gen_psk, serr, sizeof serr) == 0) return 0;
        fprintf(stderr, "myvmm: --gen-psk %s\n", serr);
        return BH_STATUS_ERROR;
    }
    if (c.snap.info) { /* --snapshot-info SNAP [-v PROGRAM]: describe, run nothing */
        struct bh_buf out = {0};
        if (c.nspecs && c.specs[0].file && prepare(&c.specs[0], 0, &c) != 0) status = BH_STATUS_ERROR;
        else if (bh_snapshot_cli_info(c.snap.info, c.nspecs && c.specs[0].has_img ? &c.specs[0].img : NULL,
                                      &out, serr, sizeof serr) != 0) {
            fprintf(stderr, "myvmm: %s\n", serr);
            status = BH_STATUS_ERROR;
        } else fwrite(out.data, 1, out.len, stdout);
        bh_buf_free(&out);
        for (int i = 0; i < c.nspecs; i++) free_spec(&c.specs[i]);
        free(c.specs);
        return status;
    }
    bh_signals_catch(BH_SIGNAL_SNAPSHOT);
    if (c.jit_dump_path && !(c.jit_dump = bh_jit_dump_open(c.jit_dump_path, serr, sizeof serr))) {
        fprintf(stderr, "myvmm: --jit-dump %s\n", serr);
        for (int i = 0; i < c.nspecs; i++) free_spec(&c.specs[i]);
        free(c.specs);
        bh_lans_free(c.lans, serr, sizeof serr);
        return BH_STATUS_ERROR;
    }
    if (c.mig.incoming) { /* the VM comes over the network (migrate_dst.c) */
        /* The LANs that --net-link and --pcap name are there (and linked)
         * before a VM arrives: an arriving card plugs into its own. */
        if (bh_lans_open(c.lans, serr, sizeof serr) != 0 ||
            bh_lans_start(c.lans, c.mig.insecure, serr, sizeof serr) != 0) {
            fprintf(stderr, "myvmm: %s\n", serr);
            status = BH_STATUS_ERROR;
        } else status = run_incoming(&c);
        bh_lans_stop(c.lans);
        if (c.stats) bh_lans_report(c.lans, stderr);
        if (bh_lans_free(c.lans, serr, sizeof serr) != 0) {
            fprintf(stderr, "myvmm: %s\n", serr);
            if (!status) status = BH_STATUS_ERROR;
        }
        if (bh_jit_dump_close(c.jit_dump, serr, sizeof serr) != 0) {
            fprintf(stderr, "myvmm: --jit-dump %s: %s\n", c.jit_dump_path, serr);
            if (!status) status = BH_STATUS_ERROR;
        }
        free(c.specs);
        return status & 0xff;
    }
    for (int i = 0; i < c.nspecs && !status; i++)
        if (prepare(&c.specs[i], i, &c) != 0) status = BH_STATUS_ERROR;
    if (!status) { /* --display NAME=...: a VM of that name */
        const char **names = calloc((size_t)c.nspecs + 1, sizeof *names);
        for (int i = 0; names && i < c.nspecs; i++) names[i] = c.specs[i].name;
        const char *unknown = names ? bh_display_cli_unknown(&c.disp, names, c.nspecs) : NULL;
        if (unknown) {
            fprintf(stderr, "myvmm: --display %s=...: no VM is called '%s'\n", unknown, unknown);
            status = BH_STATUS_USAGE;
        }
        free(names);
    }
    /* VMs on myvmm's stdin take it in turn, in command-line order: several
     * VMs reading one terminal at once would each get random pieces of it. */
    int stdin_taken = 0;
    char order[256] = "";
    for (int i = 0; i < c.nspecs && !status; i++) {
        struct vm_spec *s = &c.specs[i];
        if (s->has_cfg && s->cfg.stdin_path) continue;
        s->no_input = stdin_taken;
        stdin_taken++;
        size_t len = strlen(order);
        snprintf(order + len, sizeof order - len, "%s%s", len ? ", then " : "", s->name);
    }
    /* Someone typing must know which VM reads what they type. */
    if (!status && stdin_taken > 1 && isatty(STDIN_FILENO))
        fprintf(stderr, "myvmm: the terminal's input goes to %s (each when the one before stops; "
                        "vm_stdin gives a VM its own input)\n", order);
    /* From here a stop signal stops the VMs and myvmm exits 128 + it,
     * their output written out (--incoming, above, keeps the defaults). */
    bh_signals_catch_stop();
    if (!status && c.console_raw && bh_tty_raw(STDIN_FILENO, serr, sizeof serr) != 0) {
        fprintf(stderr, "myvmm: %s\n", serr);
        status = BH_STATUS_USAGE;
    }
    for (int i = 0; i < c.nspecs && !status; i++)
        if (build(&c.specs[i], &c, c.nspecs) != 0) status = BH_STATUS_ERROR;
    if (!status && bh_lans_check(c.lans, serr, sizeof serr) != 0) {
        fprintf(stderr, "myvmm: %s\n", serr);
        status = BH_STATUS_USAGE;
    }
    if (!status && c.mig.log && !c.mig.to) {
        fprintf(stderr, "myvmm: --migrate-log needs --migrate (it records that migration's rounds)\n");
        status = BH_STATUS_USAGE;
    }
    if (!status && c.mig.to && setup_migration(&c) != 0) status = BH_STATUS_USAGE;
    /* QMP's and the monitor's migrate: every VM may be sent at run time */
    for (int i = 0; i < c.nspecs && !status && (c.qmp || c.monitor); i++)
        if (!c.specs[i].mig && make_mig(&c, &c.specs[i], NULL, "--qmp") != 0)
            status = BH_STATUS_USAGE;
    if (!status && bh_lans_start(c.lans, c.mig.insecure, serr, sizeof serr) != 0) {
        fprintf(stderr, "myvmm: %s\n", serr);
        status = BH_STATUS_ERROR;
    }
    /* A VM that fails stops alone: the others still run. */
    if (!status) status = run_all(&c);
    if (!status && bh_signals_stopped()) status = 128 + bh_signals_stopped();
    bh_lans_stop(c.lans); /* the links end with the VMs */
    if (c.stats) bh_lans_report(c.lans, stderr);
    for (int i = 0; i < c.nspecs; i++) free_spec(&c.specs[i]);
    if (bh_jit_dump_close(c.jit_dump, serr, sizeof serr) != 0) {
        fprintf(stderr, "myvmm: --jit-dump %s: %s\n", c.jit_dump_path, serr);
        if (!status) status = BH_STATUS_ERROR;
    }
    if (bh_lans_free(c.lans, serr, sizeof serr) != 0) {
        fprintf(stderr, "myvmm: %s\n", serr);
        if (!status) status = BH_STATUS_ERROR;
    }
    free(c.specs);
    return status & 0xff; /* as a process's exit(status) */
}
