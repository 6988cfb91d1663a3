/* history.c: time travel's checkpoints and recorded input (history.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"
#include "state/history.h"
#include "state/snapshot.h"
#include "vm.h"

struct checkpoint {
    uint64_t icount;
    uint8_t *data; /* a snapshot file's bytes (bh_snapshot_serialize) */
    size_t len;
    size_t tape_next; /* the console's next input chunk at that count */
};

struct bh_history {
    struct bh_vm *vm;
    uint64_t interval, limit, present, bytes;
    struct checkpoint *ring; /* oldest first: ring[(head + k) % cap] */
    size_t head, n, cap;
    struct bh_con_tape tape;
    uint64_t dropped; /* checkpoints dropped to stay within the limit */
};

static uint64_t vm_now(void *ctx) { return bh_vm_icount(ctx); }

static struct checkpoint *at(const struct bh_history *h, size_t k)
{
    return &h->ring[(h->head + k) % h->cap];
}

static void drop_oldest(struct bh_history *h)
{
    struct checkpoint *c = at(h, 0);
    h->bytes -= c->len;
    free(c->data);
    h->head = (h->head + 1) % h->cap;
    h->n--;
    h->dropped++;
}

static int take(struct bh_history *h, char *err, size_t errlen)
{
    struct bh_buf b = {0};
    struct bh_snap_opts o = {0};
    if (bh_snapshot_serialize(h->vm, &o, &b, err, errlen) != 0 || b.oom) {
        bh_buf_free(&b);
        return b.oom ? bh_errf(err, errlen, "out of memory for a checkpoint") : -1;
    }
    uint8_t *d = realloc(b.data, b.len); /* serialize sized it for the worst case */
    if (d) b.data = d;
    if (b.len > h->limit) {
        bh_errf(err, errlen,
                "one checkpoint of it takes %zu KiB, more than --history's %" PRIu64
                " KiB" BH_HELP "give --history a larger SIZE",
                (b.len + 1023) >> 10, h->limit >> 10);
        bh_buf_free(&b);
        return -1;
    }
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        struct checkpoint *r = malloc(cap * sizeof *r);
        if (!r) {
            bh_buf_free(&b);
            return bh_errf(err, errlen, "out of memory for a checkpoint");
        }
        for (size_t k = 0; k < h->n; k++) r[k] = *at(h, k);
        free(h->ring);
        h->ring = r;
        h->head = 0;
        h->cap = cap;
    }
    while (h->n && h->bytes + b.len + h->tape.bytes.len > h->limit) drop_oldest(h);
    *at(h, h->n) = (struct checkpoint){bh_vm_icount(h->vm), b.data, b.len, h->tape.next};
    h->n++;
    h->bytes += b.len;
    return 0;
}

struct bh_history *bh_history_new(struct bh_vm *vm, uint64_t interval, uint64_t limit, char *err,
                                  size_t errlen)
{
    if (bh_vm_disk(vm) || bh_vm_nic(vm)) {
        bh_errf(err, errlen, "a VM with a %s cannot go back in time (what it %s is outside it)"
                BH_HELP "run it without --history, or give it no %s",
                bh_vm_disk(vm) ? "disk" : "network card",
                bh_vm_disk(vm) ? "wrote to its disk image" : "sent on its LAN",
                bh_vm_disk(vm) ? "disk" : "network card");
        return NULL;
    }
    struct bh_history *h = calloc(1, sizeof *h);
    if (!h) {
        bh_errf(err, errlen, "out of memory");
        return NULL;
    }
    h->vm = vm;
    h->interval = interval ? interval : 1;
    h->limit = limit;
    h->present = bh_vm_icount(vm);
    h->tape.now = vm_now;
    h->tape.ctx = vm;
    h->tape.live_from = h->present;
    struct bh_console *con = bh_vm_console(vm);
    h->tape.out_high = con->out_bytes;
    if (take(h, err, errlen) != 0) {
        free(h);
        return NULL;
    }
    con->tape = &h->tape;
    return h;
}

void bh_history_free(struct bh_history *h)
{
    if (!h) return;
    struct bh_console *con = bh_vm_console(h->vm);
    if (con->tape == &h->tape) con->tape = NULL;
    while (h->n) drop_oldest(h);
    free(h->ring);
    bh_buf_free(&h->tape.bytes);
    free(h->tape.chunk);
    free(h);
}

int bh_history_restart(struct bh_history *h, char *err, size_t errlen)
{
    while (h->n) drop_oldest(h);
    h->dropped = 0;
    h->tape.bytes.len = h->tape.n = h->tape.next = 0;
    h->tape.bytes.oom = 0;
    h->present = h->tape.live_from = bh_vm_icount(h->vm);
    h->tape.out_high = bh_vm_console(h->vm)->out_bytes;
    return take(h, err, errlen);
}

int bh_history_tick(struct bh_history *h, char *err, size_t errlen)
{
    uint64_t now = bh_vm_icount(h->vm);
    if (now > h->present) h->present = h->tape.live_from = now;
    uint64_t newest = h->n ? at(h, h->n - 1)->icount : 0;
    if (h->n && now < (newest / h->interval + 1) * h->interval) return 0;
    return take(h, err, errlen);
}

int bh_history_rewind(struct bh_history *h, uint64_t target, char *err, size_t errlen)
{
    bh_history_tick(h, err, errlen); /* the present counts as reached */
    if (!h->n || target < at(h, 0)->icount)
        return bh_errf(err, errlen,
                       "instruction %" PRIu64 " is before the oldest kept (%" PRIu64
                       "; a larger --history keeps more)",
                       target, h->n ? at(h, 0)->icount : h->present);
    if (target > h->present)
        return bh_errf(err, errlen,
                       "instruction %" PRIu64 " is beyond the furthest the VM ran (%" PRIu64
                       "; step or continue to run it further)",
                       target, h->present);
    size_t k = h->n - 1;
    while (at(h, k)->icount > target) k--;
    const struct checkpoint *c = at(h, k);
    struct bh_snapshot s = {.fd = -1}; /* a view of c->data: nothing to free */
    char msg[512];
    if (bh_snapshot_parse_buf(c->data, c->len, &s, msg, sizeof msg) != 0 ||
        bh_snapshot_restore(h->vm, &s, msg, sizeof msg) != 0)
        return bh_errf(err, errlen, "checkpoint at %" PRIu64 ": %s", c->icount, msg);
    h->tape.next = c->tape_next;
    return 0;
}

uint64_t bh_history_oldest(const struct bh_history *h) { return h->n ? at(h, 0)->icount : h->present; }
uint64_t bh_history_present(const struct bh_history *h) { return h->present; }
uint64_t bh_history_bytes(const struct bh_history *h) { return h->bytes + h->tape.bytes.len; }

uint64_t bh_history_next_input(const struct bh_history *h, uint64_t from, uint64_t to)
{
    for (size_t k = h->tape.next; k < h->tape.n; k++)
        if (h->tape.chunk[k].icount > from) return h->tape.chunk[k].icount < to ? h->tape.chunk[k].icount : to;
    return to;
}

void bh_history_describe(const struct bh_history *h, struct bh_buf *out)
{
    uint64_t now = bh_vm_icount(h->vm);
    bh_buf_printf(out, "history: instructions %" PRIu64 " to %" PRIu64 " (now at %" PRIu64 ")\n",
                  bh_history_oldest(h), h->present, now);
    bh_buf_printf(out, "  %zu checkpoint%s, one every %" PRIu64 " instructions", h->n,
                  h->n == 1 ? "" : "s", h->interval);
    if (h->dropped) bh_buf_printf(out, " (%" PRIu64 " older ones dropped)", h->dropped);
    bh_buf_printf(out, "\n  %" PRIu64 " KiB kept of %" PRIu64 " KiB (--history)\n",
                  (bh_history_bytes(h) + 1023) >> 10, h->limit >> 10);
    bh_buf_printf(out, "  console input recorded: %zu bytes in %zu read%s\n", h->tape.bytes.len,
                  h->tape.n, h->tape.n == 1 ? "" : "s");
}
