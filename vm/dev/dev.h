/* dev.h: the per-VM devices the monitor emulates: the console seen through
 * syscalls and through the memory-mapped registers at 0xffff0000, the
 * virtual clock, the random generators of MARS syscalls 40-42, and the
 * guest's open files (syscalls 13-16).
 *
 * Every piece of per-VM monitor state lives in struct bh_dev (no globals),
 * so many VMs can run in one process on several threads, and a snapshot or
 * a migration can carry the whole device state.
 *
 * SERIALIZED STATE (what a snapshot must write; plain integers and bytes):
 *   inq[0..inq_len)          console input read from the host, not yet consumed
 *   in_eof                   the host input reached its end
 *   in_consumed              bytes the guest consumed from the input so far
 *   outline[0..outline_len)  console output of the current, unfinished line
 *   out_bytes                bytes the guest has written to its console
 *   out_midline              the host already shows part of the current line
 *   rcv_ctrl, rcv_data, tx_ctrl, tx_data   MMIO console registers
 *   sleep_ms                 virtual milliseconds added by syscall 32
 *   rng[0..nrng)             {id, state} of each MARS random generator
 *   seed                     the VM's --seed (default generator's origin)
 *   files[i] with used != 0  {guest_fd, flags, offset, path}
 *   exited, exit_status
 *   state                    enum bh_vm_state after the last monitor step
 *   nexits[], nsyscalls      exit counters for --stats (optional)
 * NOT serialized (host resources, reattached on restore): vm, in, in_fd,
 * out, prefix, trace flags, files[i].host_fd, root_fd, fs_root.
 * The virtual clock itself is not stored: it is derived (bh_dev_time_ms)
 * from the VM's exact instruction count plus sleep_ms.
 */
#ifndef BH_DEV_H
#define BH_DEV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bh_vm;

/* MMIO console (SPIM -mapped_io; MARS Keyboard and Display) */
#define BH_DEV_MMIO_SIZE  16u
#define BH_DEV_RCV_CTRL   0x0u /* bit 0 ready, bit 1 interrupt enable */
#define BH_DEV_RCV_DATA   0x4u /* low byte */
#define BH_DEV_TX_CTRL    0x8u /* bit 0 ready, bit 1 interrupt enable */
#define BH_DEV_TX_DATA    0xcu /* low byte */
#define BH_DEV_CTRL_READY 1u
#define BH_DEV_CTRL_IE    2u
#define BH_DEV_CAUSE_RCV  0x800u /* Cause IP3: hardware level 1 */
#define BH_DEV_CAUSE_TX   0x400u /* Cause IP2: hardware level 0 */

/* The virtual clock: a fixed epoch (2024-01-01T00:00:00Z in ms) plus one
 * virtual nanosecond per instruction plus the virtual sleeps.  Runs are
 * reproducible because nothing here reads the host clock. */
#define BH_DEV_EPOCH_MS   1704067200000ull
#define BH_DEV_NS_PER_INSN 1u

#define BH_DEV_RNG_MAX    16  /* distinct generator ids (MARS syscall 40) */
#define BH_DEV_FILES_MAX  16  /* open guest files at once */
#define BH_DEV_PATH_MAX   256 /* guest path, relative to the fs root */
#define BH_DEV_PREFIX_MAX 32
#define BH_DEV_LINE_MAX   4096 /* a longer unfinished line is written out in pieces */

/* MARS open flags */
#define BH_DEV_O_READ   0
#define BH_DEV_O_WRITE  1
#define BH_DEV_O_APPEND 9

struct bh_dev_rng {
    int32_t id;
    uint64_t state; /* java.util.Random's 48-bit state, so MARS programs match */
};

struct bh_dev_file {
    int32_t used;
    int32_t guest_fd;  /* 3, 4, ... */
    int32_t flags;     /* BH_DEV_O_* as the guest passed them */
    uint64_t offset;   /* current position (for reopening after a restore) */
    char path[BH_DEV_PATH_MAX]; /* as the guest named it, relative to fs_root */
    int host_fd;       /* not serialized */
};

/* Exit kinds counted for --stats (index of nexits). */
enum bh_dev_exit_stat {
    BH_DEV_STAT_BUDGET, BH_DEV_STAT_SYSCALL, BH_DEV_STAT_HYPERCALL,
    BH_DEV_STAT_FAULT, BH_DEV_STAT_HALT, BH_DEV_STAT_COUNT
};

struct bh_dev {
    struct bh_vm *vm;          /* owner (not serialized) */

    /* console input */
    FILE *in;                  /* host input stream (default stdin) */
    int in_fd;                 /* fileno(in) when it is a real fd, else -1: read(2)
                                  is used on it so a non-blocking step can poll */
    int in_eof;
    uint8_t *inq;              /* queued input bytes (malloc'ed) */
    uint32_t inq_len, inq_cap;
    uint64_t in_consumed;

    /* console output */
    FILE *out;                 /* host output stream (default stdout) */
    char prefix[BH_DEV_PREFIX_MAX]; /* e.g. "vm1 | ": starts every output line */
    uint8_t *outline;          /* the unfinished line (malloc'ed) */
    uint32_t outline_len, outline_cap;
    uint64_t out_bytes;
    int out_midline;           /* the host already shows part of the current line
                                  (flushed before an input read): no new prefix */
    int out_error;             /* a host write failed (errno value) */

    /* memory-mapped console registers */
    uint32_t rcv_ctrl, rcv_data, tx_ctrl, tx_data;

    /* virtual clock and randomness */
    uint64_t sleep_ms;
    uint64_t seed;
    struct bh_dev_rng rng[BH_DEV_RNG_MAX];
    uint32_t nrng;

    /* guest files (syscalls 13-16); refused unless fs_root is set */
    struct bh_dev_file files[BH_DEV_FILES_MAX];
    int root_fd;               /* O_DIRECTORY fd of fs_root, or -1 (not serialized) */

    /* end of the guest */
    int exited;
    int32_t exit_status;

    /* monitor options (not serialized; set by main or the scheduler) */
    int nonblock;              /* a read with no input returns "waiting" */
    int in_held;               /* the console input is still another VM's: reads wait
                                  until the scheduler hands it over (sched.c) */
    int mig_armed;             /* a --migrate destination is set: syscall 60 may ask */
    int mig_request;           /* syscall 60 asked: the next migration tick starts one
                                  (migrate.c) */
    int trace, trace_exits, stats;
    uint64_t max_instructions; /* 0: no limit */
    FILE *diag;                /* where --trace / --trace-exits write (default stderr) */

    /* monitor bookkeeping */
    int state;                 /* enum bh_vm_state (monitor.h) after the last step */
    uint64_t nexits[BH_DEV_STAT_COUNT];
    uint64_t nsyscalls;        /* syscall exits, for --stats */
    uint64_t *mix;             /* --stats with --trace: instructions by isa_op (malloc'ed) */
};

/* Called by bh_vm_create once guest memory exists: sets defaults (stdin,
 * stdout, no prefix), seeds the default generator from the VM's seed, opens
 * the fs root if the VM's options name one, and maps the console registers
 * at BH_MMIO_BASE.  -1 with a message on failure (nothing to free then). */
int bh_dev_init(struct bh_dev *dev, struct bh_vm *vm, char *err, size_t errlen);
/* Called by bh_vm_destroy: closes guest files and the root, frees buffers.
 * Does not flush: call bh_dev_flush first to keep an unfinished line. */
void bh_dev_free(struct bh_dev *dev);

/* Attach the console to host streams.  NULL keeps the current stream;
 * prefix NULL keeps the current prefix, "" removes it. */
void bh_dev_set_console(struct bh_dev *dev, FILE *in, FILE *out, const char *prefix);

/* Console output: bytes go to the line buffer; each complete line is
 * written to out with the prefix in one fwrite, so lines from VMs on
 * several threads never interleave. */
void bh_dev_write(struct bh_dev *dev, const void *p, size_t n);
void bh_dev_printf(struct bh_dev *dev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write out the unfinished line (before waiting for input, at exit). */
void bh_dev_flush(struct bh_dev *dev);
/* The VM stopped: flush, and with a prefix end an unfinished line so the
 * next VM's line starts on its own (without a prefix, the bytes stay
 * exactly the guest's). */
void bh_dev_close_output(struct bh_dev *dev);

/* Console input.  Make sure the queue holds a whole line (or what is left
 * before end of input).  block = 0: read only what is available now.
 * Returns 1 when a line (or end of input) is there, 0 when not yet. */
int bh_dev_want_line(struct bh_dev *dev, int block);
/* Same for at least one byte. */
int bh_dev_want_byte(struct bh_dev *dev, int block);
/* Take n bytes off the front of the queue. */
void bh_dev_consume(struct bh_dev *dev, uint32_t n);

/* Hand the input that from read from the host but did not consume to
 * `to`, which reads the same host stream and has not read yet (VMs run one
 * after the other on one stdin: the next VM gets the rest of the line
 * buffer, as if it had read the stream itself). */
void bh_dev_pass_input(struct bh_dev *to, struct bh_dev *from);

/* Virtual time in ms since the Unix epoch for instruction count icount. */
uint64_t bh_dev_time_ms(const struct bh_dev *dev, uint64_t icount);

/* MARS random numbers (java.util.Random semantics). */
void bh_dev_rng_seed(struct bh_dev *dev, int32_t id, uint64_t seed);
int32_t bh_dev_rng_int(struct bh_dev *dev, int32_t id);
/* In [0, bound); bound must be > 0. */
int32_t bh_dev_rng_below(struct bh_dev *dev, int32_t id, int32_t bound);

/* Re-evaluate the MMIO console's ready bits and raise or lower the Cause
 * interrupt bits (the monitor calls this between time slices). */
void bh_dev_poll(struct bh_dev *dev);

#endif
