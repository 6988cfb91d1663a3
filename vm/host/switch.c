/* switch.c: the learning switch (switch.h). */
#include "host/switch.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

/* A port's queue is a pool of queue_max slots, shared by one FIFO per
 * sending port (a flow): the card takes the flows' frames in turn, and
 * a full queue drops from the longest flow.  So a VM that floods the LAN
 * can hold the queues of the others, but a frame of another VM still
 * gets in and waits behind at most one of its frames per flow, as with
 * fair queuing on a real switch (a plain FIFO dropped nearly every frame
 * of a ping-pong pair next to a flood: tests/bench/net.sh). */
struct slot {
    uint32_t len;
    uint64_t ns;
    uint32_t prev, next; /* in its flow, or next in the free list */
    uint8_t data[BH_SWITCH_FRAME_MAX];
};

struct flow {
    const struct bh_switch_port *src;
    uint32_t head, tail, count;
};

struct bh_switch_port {
    struct bh_switch *sw;
    char *owner;
    int attached;
    struct slot *queue; /* the pool: sw->queue_max slots */
    uint32_t free;      /* the free slots' list */
    unsigned count;     /* frames queued, in all flows (read without the lock: recv) */
    struct flow *flows; /* one per port that sent here, in first-sent order */
    unsigned nflows, rr; /* rr: the flow the card takes from next */
    struct bh_switch_counts c;
    void (*notify)(void *ctx); /* its queue is no longer empty */
    void *notify_ctx;
    struct bh_switch_port *next; /* in attach order */
};

struct mac_entry {
    uint8_t mac[6];
    struct bh_switch_port *port;
};

struct bh_switch {
    char *name;
    unsigned queue_max;
    pthread_mutex_t mu;
    struct bh_switch_port *ports, **last;
    struct mac_entry macs[BH_SWITCH_MACS];
    unsigned nmacs;
    bh_switch_tap_fn tap;
    void *tap_ctx;
};

struct bh_switch *bh_switch_new(const char *name, unsigned queue_max)
{
    struct bh_switch *sw = calloc(1, sizeof *sw);
    if (!sw || !(sw->name = strdup(name))) {
        free(sw);
        return NULL;
    }
    sw->queue_max = queue_max ? queue_max : 1;
    pthread_mutex_init(&sw->mu, NULL);
    sw->last = &sw->ports;
    return sw;
}

void bh_switch_free(struct bh_switch *sw)
{
    if (!sw)
        return;
    for (struct bh_switch_port *p = sw->ports, *next; p; p = next) {
        next = p->next;
        free(p->owner);
        free(p->queue);
        free(p->flows);
        free(p);
    }
    pthread_mutex_destroy(&sw->mu);
    free(sw->name);
    free(sw);
}

const char *bh_switch_name(const struct bh_switch *sw) { return sw->name; }

void bh_switch_set_tap(struct bh_switch *sw, bh_switch_tap_fn fn, void *ctx)
{
    pthread_mutex_lock(&sw->mu);
    sw->tap = fn;
    sw->tap_ctx = ctx;
    pthread_mutex_unlock(&sw->mu);
}

/* The queue emptied: every slot free, no flow holding any. */
static void empty(struct bh_switch_port *p)
{
    for (uint32_t i = 0; i < p->sw->queue_max; i++)
        p->queue[i].next = i + 1 < p->sw->queue_max ? i + 1 : NIL;
    p->free = 0;
    for (unsigned i = 0; i < p->nflows; i++)
        p->flows[i] = (struct flow){.src = p->flows[i].src, .head = NIL, .tail = NIL};
    __atomic_store_n(&p->count, 0, __ATOMIC_RELEASE);
}

struct bh_switch_port *bh_switch_attach(struct bh_switch *sw, const char *owner)
{
    struct bh_switch_port *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->owner = strdup(owner);
    p->queue = malloc(sizeof *p->queue * sw->queue_max);
    if (!p->owner || !p->queue) {
        free(p->owner);
        free(p->queue);
        free(p);
        return NULL;
    }
    p->sw = sw;
    p->attached = 1;
    pthread_mutex_lock(&sw->mu);
    empty(p);
    *sw->last = p;
    sw->last = &p->next;
    pthread_mutex_unlock(&sw->mu);
    return p;
}

void bh_switch_notify(struct bh_switch_port *p, void (*fn)(void *ctx), void *ctx)
{
    pthread_mutex_lock(&p->sw->mu);
    p->notify = fn;
    p->notify_ctx = ctx;
    pthread_mutex_unlock(&p->sw->mu);
}

int bh_switch_rename(struct bh_switch_port *p, const char *owner)
{
    char *o = strdup(owner);
    if (!o)
        return -1;
    pthread_mutex_lock(&p->sw->mu);
    char *old = p->owner;
    p->owner = o;
    pthread_mutex_unlock(&p->sw->mu);
    free(old);
    return 0;
}

void bh_switch_detach(struct bh_switch_port *p)
{
    pthread_mutex_lock(&p->sw->mu);
    p->attached = 0;
    for (unsigned i = 0; i < p->nflows; i++) /* what was queued is lost: counted */
        for (uint32_t k = p->flows[i].head; k != NIL; k = p->queue[k].next) {
            p->c.out_frames--;
            p->c.out_bytes -= p->queue[k].len;
            p->c.drops++;
        }
    empty(p);
    pthread_mutex_unlock(&p->sw->mu);
}

void bh_switch_reattach(struct bh_switch_port *p)
{
    pthread_mutex_lock(&p->sw->mu);
    p->attached = 1;
    pthread_mutex_unlock(&p->sw->mu);
}

static struct mac_entry *find(struct bh_switch *sw, const uint8_t mac[6])
{
    for (unsigned i = 0; i < sw->nmacs; i++)
        if (!memcmp(sw->macs[i].mac, mac, 6))
            return &sw->macs[i];
    return NULL;
}

/* Learn the source address (a unicast one: a multicast source is bogus). */
static void learn(struct bh_switch *sw, struct bh_switch_port *p, const uint8_t *src)
{
    if (src[0] & 1u)
        return;
    struct mac_entry *e = find(sw, src);
    if (!e && sw->nmacs < BH_SWITCH_MACS) {
        e = &sw->macs[sw->nmacs++];
        memcpy(e->mac, src, 6);
    }
    if (e)
        e->port = p; /* a VM that moved to another port is found there */
}

/* src's flow in p's queue, added when src first sends there; NULL when
 * out of memory. */
static struct flow *flow_of(struct bh_switch_port *p, const struct bh_switch_port *src)
{
    for (unsigned i = 0; i < p->nflows; i++)
        if (p->flows[i].src == src)
            return &p->flows[i];
    struct flow *f = realloc(p->flows, sizeof *f * (p->nflows + 1));
    if (!f)
        return NULL;
    p->flows = f;
    f = &p->flows[p->nflows++];
    *f = (struct flow){.src = src, .head = NIL, .tail = NIL};
    return f;
}

/* Unlink slot i, the head or the tail of flow f, and free it. */
static void unlink_slot(struct bh_switch_port *p, struct flow *f, uint32_t i)
{
    struct slot *s = &p->queue[i];
    if (s->prev != NIL) p->queue[s->prev].next = s->next;
    else f->head = s->next;
    if (s->next != NIL) p->queue[s->next].prev = s->prev;
    else f->tail = s->prev;
    f->count--;
    s->next = p->free;
    p->free = i;
    __atomic_store_n(&p->count, p->count - 1, __ATOMIC_RELEASE);
}

static void enqueue(struct bh_switch_port *p, const struct bh_switch_port *src,
                    const void *frame, uint32_t len, uint64_t ns)
{
    struct flow *f = p->attached ? flow_of(p, src) : NULL;
    if (f && p->count == p->sw->queue_max) {
        /* Full: the longest flow gives up its last frame, unless the
         * frame comes from (one of) the longest: then it is the one lost. */
        struct flow *big = f;
        for (unsigned i = 0; i < p->nflows; i++)
            if (p->flows[i].count > big->count)
                big = &p->flows[i];
        if (big == f) {
            f = NULL;
        } else {
            p->c.out_frames--;
            p->c.out_bytes -= p->queue[big->tail].len;
            p->c.drops++;
            unlink_slot(p, big, big->tail);
        }
    }
    if (!f) {
        p->c.drops++;
        return;
    }
    uint32_t i = p->free;
    struct slot *s = &p->queue[i];
    p->free = s->next;
    s->len = len;
    s->ns = ns;
    memcpy(s->data, frame, len);
    s->prev = f->tail;
    s->next = NIL;
    if (f->tail != NIL) p->queue[f->tail].next = i;
    else f->head = i;
    f->tail = i;
    f->count++;
    __atomic_store_n(&p->count, p->count + 1, __ATOMIC_RELEASE);
    p->c.out_frames++;
    p->c.out_bytes += len;
    if (p->count == 1 && p->notify)
        p->notify(p->notify_ctx);
}

void bh_switch_send(struct bh_switch_port *p, const void *frame, uint32_t len, uint64_t ns)
{
    struct bh_switch *sw = p->sw;
    const uint8_t *f = frame;
    pthread_mutex_lock(&sw->mu);
    if (len < 14 || len > BH_SWITCH_FRAME_MAX) {
        p->c.drops++;
        pthread_mutex_unlock(&sw->mu);
        return;
    }
    p->c.in_frames++;
    p->c.in_bytes += len;
    if (sw->tap)
        sw->tap(sw->tap_ctx, frame, len, ns);
    learn(sw, p, f + 6);
    struct mac_entry *e = f[0] & 1u ? NULL : find(sw, f);
    if (e) {
        if (e->port != p) /* a frame for its own sender goes nowhere, as on a bridge */
            enqueue(e->port, p, frame, len, ns);
    } else {
        for (struct bh_switch_port *q = sw->ports; q; q = q->next)
            if (q != p && q->attached)
                enqueue(q, p, frame, len, ns);
    }
    pthread_mutex_unlock(&sw->mu);
}

uint32_t bh_switch_recv(struct bh_switch_port *p, void *buf, uint32_t cap)
{
    return bh_switch_recv_ns(p, buf, cap, NULL);
}

uint32_t bh_switch_recv_ns(struct bh_switch_port *p, void *buf, uint32_t cap, uint64_t *ns)
{
    uint32_t len = 0;
    /* A card polls its port whenever its driver reads RX_HEAD: most polls
     * find nothing, and taking the switch's one lock for each made the
     * VMs' threads fight over it (half the time of a frame flood went to
     * the futex).  The count is written under the lock; a look without
     * it that sees 0 may miss a frame just queued, which the next poll
     * takes. */
    if (!__atomic_load_n(&p->count, __ATOMIC_ACQUIRE))
        return 0;
    pthread_mutex_lock(&p->sw->mu);
    for (unsigned k = 0; p->count && k < p->nflows; k++) {
        unsigned n = (p->rr + k) % p->nflows;
        struct flow *f = &p->flows[n];
        if (!f->count)
            continue;
        const struct slot *s = &p->queue[f->head];
        len = s->len <= cap ? s->len : cap;
        memcpy(buf, s->data, len);
        if (ns)
            *ns = s->ns;
        unlink_slot(p, f, f->head);
        p->rr = n + 1; /* the next flow's turn */
        break;
    }
    pthread_mutex_unlock(&p->sw->mu);
    return len;
}

void bh_switch_port_counts(struct bh_switch_port *p, struct bh_switch_counts *c)
{
    pthread_mutex_lock(&p->sw->mu);
    *c = p->c;
    pthread_mutex_unlock(&p->sw->mu);
}

struct bh_switch_port *bh_switch_lookup(struct bh_switch *sw, const uint8_t mac[6])
{
    pthread_mutex_lock(&sw->mu);
    struct mac_entry *e = find(sw, mac);
    struct bh_switch_port *p = e ? e->port : NULL;
    pthread_mutex_unlock(&sw->mu);
    return p;
}

void bh_switch_report(struct bh_switch *sw, FILE *f)
{
    pthread_mutex_lock(&sw->mu);
    for (struct bh_switch_port *p = sw->ports; p; p = p->next)
        fprintf(f,
                "[%s] port %s: in %llu frames (%llu bytes), out %llu frames (%llu bytes), "
                "%llu dropped\n",
                sw->name, p->owner, (unsigned long long)p->c.in_frames,
                (unsigned long long)p->c.in_bytes, (unsigned long long)p->c.out_frames,
                (unsigned long long)p->c.out_bytes, (unsigned long long)p->c.drops);
    fprintf(f, "[%s] mac table: %u entr%s\n", sw->name, sw->nmacs, sw->nmacs == 1 ? "y" : "ies");
    for (unsigned i = 0; i < sw->nmacs; i++) {
        const uint8_t *m = sw->macs[i].mac;
        fprintf(f, "[%s]   %02x:%02x:%02x:%02x:%02x:%02x -> %s\n", sw->name, m[0], m[1], m[2],
                m[3], m[4], m[5], sw->macs[i].port->owner);
    }
    pthread_mutex_unlock(&sw->mu);
}
