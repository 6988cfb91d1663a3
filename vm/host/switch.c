/* switch.c: the learning switch (switch.h). */
#include "host/switch.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    uint32_t len;
    uint64_t ns;
    uint8_t data[BH_SWITCH_FRAME_MAX];
};

struct bh_switch_port {
    struct bh_switch *sw;
    char *owner;
    int attached;
    struct slot *queue; /* a ring of sw->queue_max frames */
    unsigned first, count;
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
    p->count = 0;
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

static void enqueue(struct bh_switch_port *p, const void *frame, uint32_t len, uint64_t ns)
{
    if (!p->attached || p->count == p->sw->queue_max) {
        p->c.drops++;
        return;
    }
    struct slot *s = &p->queue[(p->first + p->count++) % p->sw->queue_max];
    s->len = len;
    s->ns = ns;
    memcpy(s->data, frame, len);
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
            enqueue(e->port, frame, len, ns);
    } else {
        for (struct bh_switch_port *q = sw->ports; q; q = q->next)
            if (q != p && q->attached)
                enqueue(q, frame, len, ns);
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
    pthread_mutex_lock(&p->sw->mu);
    if (p->count) {
        const struct slot *s = &p->queue[p->first];
        len = s->len <= cap ? s->len : cap;
        memcpy(buf, s->data, len);
        if (ns)
            *ns = s->ns;
        p->first = (p->first + 1) % p->sw->queue_max;
        p->count--;
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
