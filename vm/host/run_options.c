/* run_options.c: myvmm's option table (run_options.h): main's rows, and
 * the order in which every module's rows are parsed and listed. */
#include "host/run_options.h"

#include <string.h>

static const char head[] =
    "usage: myvmm [options] -v FILE [-s SNAP] [-v FILE [-s SNAP]] ... [-- ARGS...]\n"
    "Runs each FILE as a virtual machine, all at the same time.  FILE is a program\n"
    "image (babyasm output), an assembly source (assembled on the fly) or a VM\n"
    "config file (key=value lines, docs/config.md).  -s SNAP resumes that VM from a\n"
    "snapshot; it belongs to the -v before it, or to the next -v when it comes first.\n"
    "\n"
    "options:\n";

static const char foot[] =
    "Arguments after -- (or after the program) reach the guest as argv[1..].\n"
    "Exit status: 0, or the guest's exit2 code, 1 error before running,\n"
    "2 usage, 3 guest fault, 4 instruction limit (the first failing VM on the\n"
    "command line decides; with several VMs a summary line per VM says which).\n"
    "VMs without vm_stdin share myvmm's stdin in command-line order: the next one\n"
    "gets it (what is left) when the one before stops; reading before then waits.\n";

/* -v and -s are described in the usage lines above the options. */
static const struct bh_option run_rows[] = {
    {NULL, 'v', BH_OPT_VALUE, BH_RUN_VM, ""},
    {NULL, 's', BH_OPT_VALUE, BH_RUN_SNAP, ""},
    {"memory", 0, BH_OPT_VALUE, BH_RUN_MEMORY,
     "  --memory SIZE          guest memory limit per VM (e.g. 16M, 1G; default 64M)\n"},
    {"seed", 0, BH_OPT_VALUE, BH_RUN_SEED,
     "  --seed N               seed of the MARS random syscalls (default 0)\n"},
    {"fs-root", 0, BH_OPT_VALUE, BH_RUN_FS_ROOT,
     "  --fs-root DIR          let syscalls 13-16 open files inside DIR (and only there)\n"},
    {"max-instructions", 0, BH_OPT_VALUE, BH_RUN_MAX_INSTRUCTIONS,
     "  --max-instructions N   stop a VM after N instructions (exit status 4)\n"},
    {"trace", 0, BH_OPT_NONE, BH_RUN_TRACE,
     "  --trace                print each instruction with the registers it changed\n"},
    {"trace-exits", 0, BH_OPT_NONE, BH_RUN_TRACE_EXITS,
     "  --trace-exits          print each exit from the core and how it was handled\n"},
    {"dialect", 0, BH_OPT_VALUE, BH_RUN_DIALECT,
     "  --dialect spim|mars    behave as SPIM or as MARS where they differ (read syscalls,\n"
     "                         heap base); default: mars for a .asm program, else spim\n"},
    {"machine", 0, BH_OPT_VALUE, BH_RUN_MACHINE,
     "  --machine spim|bare    spim (default): syscalls emulated by the monitor, as SPIM;\n"
     "                         bare: a MIPS32 machine the program's own .ktext kernel owns\n"
     "                         (modes, TLB, devices; docs/devices.md)\n"},
    {"disk", 0, BH_OPT_VALUE, BH_RUN_DISK,
     "  --disk FILE            the VM's disk image (docs/devices.md; vm_disk in a config);\n"
     "                         one VM only; with --incoming, where the arriving disk goes\n"},
    {"net", 0, BH_OPT_VALUE, BH_RUN_NET,
     "  --net LAN              plug the VM's network card into switch LAN (docs/network.md;\n"
     "                         vm_net in a config); one VM only\n"},
    {"pcap", 0, BH_OPT_VALUE, BH_RUN_PCAP,
     "  --pcap LAN=FILE        write every frame switch LAN takes to FILE (pcap format)\n"},
    {"net-link", 0, BH_OPT_VALUE, BH_RUN_NET_LINK,
     "  --net-link LAN=tcp:HOST:PORT|LAN=listen:tcp:HOST:PORT\n"
     "                         join switch LAN to the same LAN in another myvmm: connect\n"
     "                         there, or wait for it there (loopback unless --insecure)\n"},
    {"console", 0, BH_OPT_VALUE, BH_RUN_CONSOLE,
     "  --console line|raw     raw: the terminal on stdin sends each key as it is typed\n"
     "                         (no Enter, no echo) and shows MARS's display controls (form\n"
     "                         feed, bell + x/y): games on the MMIO keyboard; default line\n"},
    {"stats", 0, BH_OPT_NONE, BH_RUN_STATS,
     "  --stats                print instructions, exits by kind, time and MIPS; with\n"
     "                         several VMs also slices, shares and Jain's fairness index\n"},
    {"stats-csv", 0, BH_OPT_VALUE, BH_RUN_STATS_CSV,
     "  --stats-csv FILE       write one CSV line per slice of every VM to FILE: VM,\n"
     "                         thread, start time, host time, instructions, exits\n"},
    {"jit", 0, BH_OPT_NONE, BH_RUN_JIT,
     "  --jit                  translate hot code to host code (docs/jit.md); same output,\n"
     "                         counts and state as without; x86-64 builds, SPIM-style\n"
     "                         machine without delay slots (elsewhere: interpreted)\n"},
    {"no-jit", 0, BH_OPT_NONE, BH_RUN_NO_JIT,
     "  --no-jit               interpret only (the default for now; BH_JIT=1 in the\n"
     "                         environment makes --jit the default)\n"},
    {"jit-threshold", 0, BH_OPT_VALUE, BH_RUN_JIT_THRESHOLD,
     "  --jit-threshold N      translate a block after N arrivals at it (default 50)\n"},
    {"jit-cache", 0, BH_OPT_VALUE, BH_RUN_JIT_CACHE,
     "  --jit-cache SIZE       host code cache per VM, flushed whole when full (default\n"
     "                         16M, at least 16K)\n"},
    {"jit-dump", 0, BH_OPT_VALUE, BH_RUN_JIT_DUMP,
     "  --jit-dump FILE        with --jit: write each block translated to FILE ('-':\n"
     "                         stdout), its guest lines next to its host code\n"},
    {"gdb", 0, BH_OPT_VALUE, BH_RUN_GDB,
     "  --gdb tcp:HOST:PORT|unix:PATH\n"
     "                         a gdb remote stub there (gdb-multiarch: target remote\n"
     "                         :PORT); each VM is a thread (docs/debugging.md)\n"},
    {"gdb-wait", 0, BH_OPT_NONE, BH_RUN_GDB_WAIT,
     "  --gdb-wait             with --gdb: stop before the first instruction until gdb\n"
     "                         connects and continues\n"},
    {"monitor", 0, BH_OPT_VALUE, BH_RUN_MONITOR,
     "  -i, --monitor stdio    the interactive monitor on the terminal: every VM starts\n"
     "                         paused; step, break, print, x, disas, list, continue...\n"
     "                         (docs/debugging.md)\n"},
    {NULL, 'i', BH_OPT_NONE, BH_RUN_INTERACTIVE, ""},
    {"qmp", 0, BH_OPT_VALUE, BH_RUN_QMP,
     "  --qmp unix:PATH|tcp:127.0.0.1:PORT\n"
     "                         a control socket speaking QEMU's QMP (JSON): stop, cont,\n"
     "                         query-status, snapshots, events... (docs/qmp.md)\n"},
    {"history", 0, BH_OPT_VALUE, BH_RUN_HISTORY,
     "  --history SIZE         with -i, --gdb or --qmp: the memory each VM keeps for time\n"
     "                         travel (back, goto: docs/debugging.md); default 64M, 0: off\n"},
};

/* SPIM's command line (spim -file prog.s < input, as course graders run
 * it): the options that mean something to myvmm.  Single-dash long names
 * are accepted for every option, so these are spelled as SPIM does. */
static const struct bh_option spim_rows[] = {
    {NULL, 0, BH_OPT_NONE, -1, "SPIM's options (`spim -file prog.s ARGS < in` runs as `myvmm -file ...`):\n"},
    {"file", 0, BH_OPT_VALUE, BH_RUN_SPIM_FILE,
     "  -file FILE             the program, as -v FILE; words after it reach the guest\n"},
    {"quiet", 0, BH_OPT_NONE, BH_RUN_SPIM_NOOP,
     "  -quiet                 accepted: myvmm prints no banner, nor SPIM's line on stderr\n"
     "                         for each exception a handler takes (what -quiet hides)\n"},
    {"mapped_io", 0, BH_OPT_NONE, BH_RUN_SPIM_NOOP,
     "  -mapped_io             accepted (the MMIO console is always on)\n"},
    {"exception_file", 0, BH_OPT_VALUE, BH_RUN_SPIM_EXCEPTION_FILE,
     "  -exception_file F, -ef F\n"
     "                         assemble F (an exception handler in .ktext, e.g.\n"
     "                         samples/exceptions.s) before the program, as SPIM does\n"},
    {"ef", 0, BH_OPT_VALUE, BH_RUN_SPIM_EXCEPTION_FILE, ""},
    {"noexception", 0, BH_OPT_NONE, BH_RUN_SPIM_NOEXCEPTION,
     "  -noexception           no exception file (myvmm's default: it loads no handler,\n"
     "                         a fault stops the VM with its source line)\n"},
    {"delayed_branches", 0, BH_OPT_NONE, BH_RUN_SPIM_DELAYED_BRANCHES,
     "  -delayed_branches      the word after a branch or jump (its delay slot) runs\n"
     "                         before the branch takes effect; links are pc + 8\n"},
    {"delayed_loads", 0, BH_OPT_NONE, BH_RUN_SPIM_DELAYED_LOADS,
     "  -delayed_loads         a load's register changes after the next instruction ran\n"},
    {"bare", 0, BH_OPT_NONE, BH_RUN_SPIM_BARE,
     "  -bare                  SPIM's bare machine: a source is assembled as by\n"
     "                         babyasm --bare; implies -delayed_branches, -delayed_loads\n"},
};

static const struct bh_option info_rows[] = {
    {"help", 'h', BH_OPT_NONE, BH_RUN_HELP, "  -h, --help             this help\n"},
    {"version", 0, BH_OPT_NONE, BH_RUN_VERSION, "  --version              the version\n"},
};

void bh_run_option_sets(struct bh_option_set *sets, bh_option_fn apply, void *ctx, int *threads,
                        struct bh_snap_cli *snap, struct bh_display_cli *disp,
                        struct bh_mig_cli *mig)
{
    sets[0] = (struct bh_option_set){run_rows, sizeof run_rows / sizeof run_rows[0], apply, ctx};
    sets[1] = bh_sched_cli_options(threads);
    sets[2] = bh_snapshot_cli_options(snap);
    sets[3] = bh_display_cli_options(disp);
    sets[4] = bh_migrate_cli_options(mig);
    sets[5] = (struct bh_option_set){spim_rows, sizeof spim_rows / sizeof spim_rows[0], apply, ctx};
    sets[6] = (struct bh_option_set){info_rows, sizeof info_rows / sizeof info_rows[0], apply, ctx};
}

void bh_run_help(const struct bh_option_set *sets, struct bh_buf *out)
{
    bh_buf_append(out, head, sizeof head - 1);
    bh_options_help(sets, BH_RUN_NSETS, out);
    bh_buf_append(out, foot, sizeof foot - 1);
}
