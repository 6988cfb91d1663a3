/* history.h: time travel (docs/debugging.md "Time travel"): a ring of
 * in-memory checkpoints of one VM, taken as it runs under a debugger,
 * and the console input it read, recorded, so that it can be sent back
 * to any instruction count since the oldest checkpoint kept.
 *
 * A checkpoint is the VM's whole state in the snapshot's own bodies
 * (bh_snapshot_serialize, uncompressed): CPU, devices, the MMU and the
 * touched pages.  Going back to instruction count T restores the newest
 * checkpoint at or before T (bh_history_rewind); the caller then runs the
 * VM forward to exactly T with its own exit loop (the host's monitor),
 * and the console replays the recorded input at the counts it arrived at
 * and keeps quiet about output the host already shows (console.h's tape).
 *
 * The ring is bounded in bytes (checkpoints and the input recorded):
 * when a new checkpoint takes it over the limit, the oldest go.  A VM
 * with a disk or a network card cannot be sent back (its disk image and
 * its LAN are outside it): bh_history_new refuses it.
 * Library code: nothing here prints or exits. */
#ifndef BH_HISTORY_H
#define BH_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "bh_util.h"

struct bh_vm;
struct bh_history;

/* Instructions between checkpoints (myvmm's; a test may pass its own). */
#define BH_HISTORY_INTERVAL 4000000u
#define BH_HISTORY_DEFAULT_LIMIT (64ull << 20) /* --history's default */

/* Start recording vm, taking its first checkpoint now.  NULL with a
 * message: a VM that cannot be sent back, a limit that holds not even
 * that checkpoint, out of memory. */
struct bh_history *bh_history_new(struct bh_vm *vm, uint64_t interval, uint64_t limit, char *err,
                                  size_t errlen);
/* Stop recording (the console reads the host from now on) and free it. */
void bh_history_free(struct bh_history *h);
/* The VM was given another state (a snapshot loaded): forget every
 * checkpoint and the recorded input, and start again from here. */
int bh_history_restart(struct bh_history *h, char *err, size_t errlen);
/* Between runs and steps: a checkpoint when the VM's count reached the
 * next multiple of the interval past the newest one.  -1 with a message
 * when it could not be taken (out of memory): the history stays as it
 * was. */
int bh_history_tick(struct bh_history *h, char *err, size_t errlen);
/* Restore the newest checkpoint at or before target; the VM's count is
 * then <= target.  -1 with a message (nothing changed) when target is
 * before the oldest checkpoint or beyond the furthest count reached. */
int bh_history_rewind(struct bh_history *h, uint64_t target, char *err, size_t errlen);
/* The oldest count the VM can be sent back to, and the furthest it ran. */
uint64_t bh_history_oldest(const struct bh_history *h);
uint64_t bh_history_present(const struct bh_history *h);
/* Bytes kept (checkpoints and recorded input), and the limit. */
uint64_t bh_history_bytes(const struct bh_history *h);
/* Counts at which the recorded input chunks arrived after `from`, up to
 * `to` exclusive: the first one (a replay stops there exactly), or `to`. */
uint64_t bh_history_next_input(const struct bh_history *h, uint64_t from, uint64_t to);
/* What `history` shows: the span kept, checkpoints, bytes, input. */
void bh_history_describe(const struct bh_history *h, struct bh_buf *out);

#endif
