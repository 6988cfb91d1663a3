/* migrate.h: live migration of a running VM to another myvmm over TCP,
 * pre-copy as in Xen and QEMU (docs/migration-protocol.md).
 *
 * The VM's thread never waits for the network: between two slices it
 * copies one chunk of pages into a queue (bh_migrate_src_tick), and a
 * thread per attempt connects, authenticates and sends them while the VM
 * runs on.  Only the switch-over pauses the VM (BH_MIG_PAUSED: the caller
 * parks it and runs its other VMs).  Dirty pages come from the memory system's dirty harvest
 * (bh_mem_dirty_harvest), never from scanning memory.  Every message body
 * that carries VM state is a snapshot section body (snapshot.h): the
 * stream has no serializer of its own.
 *
 * The commit point is the destination receiving GO (see the protocol doc):
 *   source                         destination
 *   HELLO (identity, image)   ->   checks, builds a VM      <- WELCOME
 *   PAGES ... (rounds)        ->   applies pages
 *   pause; PAGES, CPU, DEV, END ->  validates all           <- CONFIRM
 *   GO                        ->   runs the VM              <- ACK
 * Before GO the source owns the VM and resumes it on any failure.  After
 * GO without an ACK, the source asks the destination on a new connection
 * (QUERY) whether it took the VM, and resumes only on a clear "no".
 *
 * Library code: nothing here prints or exits.  Progress and summaries go
 * to the caller's report callback, one line at a time, without newline.
 */
#ifndef BH_MIGRATE_H
#define BH_MIGRATE_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h" /* bh_progress_fn */

struct bh_vm;
struct bh_image;

typedef void (*bh_mig_report_fn)(void *ctx, const char *line);

#define BH_MIG_DEFAULT_DOWNTIME_MS 30
#define BH_MIG_DEFAULT_MAX_ROUNDS 30

/* ------------------------------------------------------------ source */

/* One round of a migration attempt, for a per-round table. */
struct bh_mig_round_stat {
    unsigned attempt, round;
    uint64_t pages;     /* pages sent in it */
    double seconds;     /* how long it took (the final round: 0) */
    double dirty_rate;  /* pages the VM dirtied per second during it (final: 0) */
    uint64_t remaining; /* dirty pages left at its end (final: 0) */
    double downtime;    /* the final round: the pause in seconds; -1 otherwise */
};
typedef void (*bh_mig_round_fn)(void *ctx, const struct bh_mig_round_stat *r);

/* A migration's status, as QEMU's query-migrate names them (none: never
 * started; cancelling: a cancel was asked, the attempt is being stopped). */
enum bh_mig_status {
    BH_MIG_NONE,
    BH_MIG_SETUP,     /* asked for: connecting, authenticating, HELLO/WELCOME */
    BH_MIG_ACTIVE,    /* pre-copy rounds, then the switch-over */
    BH_MIG_CANCELLING,
    BH_MIG_CANCELLED, /* the VM runs on here */
    BH_MIG_COMPLETED, /* the destination took the VM */
    BH_MIG_FAILED     /* the VM runs on here, unless error says otherwise */
};
/* "none", "setup", "active", "cancelling", "cancelled", "completed", "failed". */
const char *bh_migrate_status_name(enum bh_mig_status st);

/* Where the latest migration of a VM stands (bh_migrate_src_info). */
struct bh_mig_info {
    enum bh_mig_status status;
    double total_time;    /* seconds since it was asked for (until its end once over) */
    double downtime;      /* seconds the VM was paused (COMPLETED) */
    uint64_t transferred; /* bytes sent (headers and tags included) */
    uint64_t remaining;   /* bytes of the dirty pages and disk blocks still to send */
    uint64_t total;       /* bytes of the pages the VM had touched at the start */
    uint64_t pages;       /* pages sent (a page sent twice counts twice) */
    unsigned rounds;      /* pre-copy rounds begun (round 0, the full copy, counts) */
    char addr[128];       /* where to */
    char error[512];      /* FAILED: why */
};

struct bh_mig_src_opts {
    const char *addr;        /* tcp:HOST:PORT of the destination (NULL: only
                                bh_migrate_src_start gives one) */
    uint64_t after;          /* start once the VM has run this many instructions (0: no) */
    double max_downtime;     /* seconds (0: BH_MIG_DEFAULT_DOWNTIME_MS) */
    uint64_t max_bandwidth;  /* bytes per second (0: unlimited) */
    unsigned max_rounds;     /* pre-copy rounds before switching over anyway (0: default) */
    const char *rescue_path; /* where the VM is saved when the outcome cannot be learned */
    int timeout_ms;          /* per network message (0: 10000) */
    const char *psk_file;    /* --migrate-psk: the shared key (NULL: none, loopback only) */
    int insecure;            /* --insecure: no key even off loopback */
    bh_mig_report_fn report; /* progress and summary lines (may be NULL) */
    void *report_ctx;
    bh_mig_round_fn round_log; /* each round's figures, on the VM's thread (may be NULL) */
    void *round_ctx;
    /* bytes sent of the bytes the attempt expects to send (pages left in
     * the round and the bodies queued: it grows with each round's dirty
     * pages), then finished; on the attempt's thread (may be NULL) */
    bh_progress_fn progress;
    void *progress_ctx;
    /* The VM leaves (1: paused for the switch-over, before any of the
     * final state is queued, so before the destination can run it) or is
     * back (0: that switch-over failed and the VM resumes here); on the
     * VM's thread (may be NULL).  A VM that went stays away. */
    void (*away)(void *ctx, int away);
    void *away_ctx;
    /* each change of status, on the thread that made it (the VM's, or
     * the caller of bh_migrate_src_start / _cancel), no lock held (may be
     * NULL) */
    void (*status)(void *ctx, enum bh_mig_status st);
    void *status_ctx;
};

struct bh_mig_src;

/* What the caller does with the VM after a tick. */
enum bh_mig_tick {
    BH_MIG_RUN, /* keep running it (no migration, one in progress, or one that failed) */
    BH_MIG_GONE, /* it now belongs to the destination: stop it, flush nothing, free it */
    BH_MIG_PAUSED /* the switch-over: run it no more until bh_migrate_src_wait_fd is
                   * readable, then tick again (run other VMs meanwhile) */
};

/* A source controller for one VM; NULL with a message on bad options. */
struct bh_mig_src *bh_migrate_src_new(const struct bh_mig_src_opts *o, char *err, size_t errlen);
void bh_migrate_src_free(struct bh_mig_src *m);
/* The budget for the next slice: trimmed so --migrate-after starts close
 * to its instruction count; 0 during the switch-over (the VM must not
 * run).  Auto-converge holds the VM back by parking it (BH_MIG_PAUSED on a
 * timer), not by its budget. */
int64_t bh_migrate_src_budget(const struct bh_mig_src *m, const struct bh_vm *vm, int64_t slice);
/* Between two slices of a running (or waiting) VM: starts a migration when
 * its trigger fired (--migrate-after, syscall 60 from the guest,
 * bh_migrate_src_request: SIGUSR2 through the host), sends one chunk, or
 * switches over.  A failed migration leaves the VM running and says why
 * through report; the next trigger (SIGUSR2, syscall 60, a request) tries
 * again (--migrate-after fires once). */
enum bh_mig_tick bh_migrate_src_tick(struct bh_mig_src *m, struct bh_vm *vm);
/* The VM stopped (exited, faulted) while a migration was under way: tell
 * the destination to discard what it has. */
void bh_migrate_src_stopped(struct bh_mig_src *m);
/* Ask for a migration at the next tick (the host turns SIGUSR2 into this;
 * the guest uses syscall 60). */
void bh_migrate_src_request(struct bh_mig_src *m);
/* While the tick says BH_MIG_PAUSED: an fd that becomes readable when the
 * switch-over has an outcome (poll it; never read or close it). */
int bh_migrate_src_wait_fd(const struct bh_mig_src *m);
/* 1 while a migration is in progress. */
int bh_migrate_src_active(const struct bh_mig_src *m);
/* From any thread: migrate to addr (tcp:HOST:PORT; NULL: the options'
 * address) at the VM's next tick, with the options' key and limits.
 * 0 (status SETUP), or -1 with the reason: a bad address, no key off
 * loopback, a migration already under way, the VM already handed over. */
int bh_migrate_src_start(struct bh_mig_src *m, const char *addr, char *err, size_t errlen);
/* From any thread: stop the migration under way (every network wait of
 * its attempt ends at once; the destination is told to drop what it
 * has); the VM runs on here (status CANCELLED at its next tick).  Too
 * late once GO has gone (the hand-over decides).  1 when there was one
 * to cancel, 0 when none was under way. */
int bh_migrate_src_cancel(struct bh_mig_src *m);
/* From any thread: the latest migration's status and figures. */
void bh_migrate_src_info(struct bh_mig_src *m, struct bh_mig_info *info);
/* The address of the latest migration ("" before any). */
const char *bh_migrate_src_addr(const struct bh_mig_src *m);
/* The VM this controller moves: from now on its syscall 60 asks for a
 * migration (returns 0) instead of returning -1. */
void bh_migrate_src_attach(struct bh_mig_src *m, struct bh_vm *vm);
/* 1 while the controller needs ticks even if the VM waits for input: a
 * migration under way, a trigger not yet taken, or the VM handed over (its
 * next turn must find it ended, input or not).  A scheduler gives such
 * a waiting VM turns anyway, so its migration does not stall until input
 * arrives. */
int bh_migrate_src_pending(struct bh_mig_src *m, struct bh_vm *vm);

/* Write a new key file at path for --migrate-psk: 32 random bytes, mode
 * 0600, never over an existing file.  0, or -1 with the reason. */
int bh_migrate_gen_psk(const char *path, char *err, size_t errlen);

/* ------------------------------------------------------- destination */

struct bh_mig_dst_opts {
    const char *fs_root;  /* --fs-root for the arriving VM (may be NULL) */
    const char *disk;     /* --disk: where an arriving VM's disk goes (NULL: one with a disk
                             is refused); written as DISK.incoming, renamed at GO */
    int count;            /* VMs it receives in all (--incoming N times; 0: 1) */
    uint64_t max_memory;  /* refuse VMs whose limit is larger (0: 4 GiB) */
    int timeout_ms;       /* per network message once a source is connected (0: 30000) */
    const char *psk_file; /* --migrate-psk: the shared key (NULL: none, loopback only) */
    int insecure;         /* --insecure: no key even off loopback */
    /* Called once the VM exists and before any state reaches it, to attach
     * its console (a restore positions the console input).  0 or -1. */
    int (*setup)(void *ctx, struct bh_vm *vm, char *err, size_t errlen);
    void *setup_ctx;
    bh_mig_report_fn report;
    void *report_ctx;
};

struct bh_mig_dst;

/* Listen on addr ("tcp:0.0.0.0:4444"; port 0 picks one). */
struct bh_mig_dst *bh_migrate_dst_new(const char *addr, const struct bh_mig_dst_opts *o, char *err,
                                      size_t errlen);
void bh_migrate_dst_free(struct bh_mig_dst *d);
/* The port it listens on. */
int bh_migrate_dst_port(const struct bh_mig_dst *d);
/* Wait for one VM: one received while the one before ran (poll), else
 * accept sources until one completes (a failed or refused attempt is
 * reported and the next source is awaited).  On 0,
 * *vm runs as if it had started here; *img is its program (the caller
 * frees both: bh_vm_destroy, then bh_image_free and free).  timeout_ms < 0
 * waits forever; -2 on timeout; -1 on a listening error. */
int bh_migrate_dst_accept(struct bh_mig_dst *d, int timeout_ms, struct bh_vm **vm,
                          struct bh_image **img, char *err, size_t errlen);
/* Between slices of the arrived VM: answer sources asking whether this
 * destination took their VM (QUERY); receive a VM that arrives while
 * fewer than count have been (the running one pauses meanwhile: a source
 * cannot wait until it ends), which bh_migrate_dst_accept then returns;
 * refuse one beyond count.  Blocks only while a source is connected. */
void bh_migrate_dst_poll(struct bh_mig_dst *d);

#endif
