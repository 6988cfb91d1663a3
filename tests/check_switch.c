/* check_switch.c: the learning switch alone (no VM, no card): learning,
 * unicast to one port, broadcast and unknown destinations to every
 * other port, the bounded queues and their counted drops, detached
 * ports, bad lengths, the tap (what a capture sees), a full MAC table,
 * and two threads sending at once. */
#include <check.h>
#include <pthread.h>
#include <string.h>

#include "host/switch.h"

static struct bh_switch *sw;

static void setup(void) { sw = bh_switch_new("lan0", 4); }
static void teardown(void) { bh_switch_free(sw); }

/* A 60-byte frame from MAC 02:00:00:00:00:src to 02:00:00:00:00:dst (dst
 * 0xff: broadcast), its byte 20 tag. */
static uint8_t *frame(uint8_t dst, uint8_t src, uint8_t tag)
{
    static _Thread_local uint8_t f[60]; /* two_threads builds frames on two threads */
    memset(f, 0, sizeof f);
    if (dst == 0xff)
        memset(f, 0xff, 6);
    else
        f[0] = 2, f[5] = dst;
    f[6] = 2;
    f[11] = src;
    f[12] = 0x88;
    f[13] = 0xb5;
    f[20] = tag;
    return f;
}
static void xmit(struct bh_switch_port *p, uint8_t dst, uint8_t src, uint8_t tag)
{
    bh_switch_send(p, frame(dst, src, tag), 60, 0);
}
/* The next frame queued for p: its tag, or -1 when none. */
static int next_tag(struct bh_switch_port *p)
{
    uint8_t buf[BH_SWITCH_FRAME_MAX];
    uint32_t len = bh_switch_recv(p, buf, sizeof buf);
    if (!len)
        return -1;
    ck_assert_uint_eq(len, 60);
    return buf[20];
}
static struct bh_switch_counts counts(struct bh_switch_port *p)
{
    struct bh_switch_counts c;
    bh_switch_port_counts(p, &c);
    return c;
}

START_TEST(learning_and_forwarding)
{
    struct bh_switch_port *a = bh_switch_attach(sw, "a"), *b = bh_switch_attach(sw, "b"),
                          *c = bh_switch_attach(sw, "c");
    uint8_t mac_a[6] = {2, 0, 0, 0, 0, 0xa}, mac_b[6] = {2, 0, 0, 0, 0, 0xb};
    ck_assert_ptr_null(bh_switch_lookup(sw, mac_a));
    /* a -> b, b unknown: flooded to b and c, never back to a; a learnt */
    xmit(a, 0xb, 0xa, 1);
    ck_assert_ptr_eq(bh_switch_lookup(sw, mac_a), a);
    ck_assert_int_eq(next_tag(b), 1);
    ck_assert_int_eq(next_tag(c), 1);
    ck_assert_int_eq(next_tag(a), -1);
    /* b -> a, a known: to a only; b learnt */
    xmit(b, 0xa, 0xb, 2);
    ck_assert_ptr_eq(bh_switch_lookup(sw, mac_b), b);
    ck_assert_int_eq(next_tag(a), 2);
    ck_assert_int_eq(next_tag(c), -1);
    /* a -> b, now known: to b only */
    xmit(a, 0xb, 0xa, 3);
    ck_assert_int_eq(next_tag(b), 3);
    ck_assert_int_eq(next_tag(c), -1);
    /* broadcast from c: a and b */
    xmit(c, 0xff, 0xc, 4);
    ck_assert_int_eq(next_tag(a), 4);
    ck_assert_int_eq(next_tag(b), 4);
    ck_assert_int_eq(next_tag(c), -1);
    /* a frame for its own sender's port goes nowhere */
    xmit(a, 0xa, 0xa, 5);
    ck_assert_int_eq(next_tag(a), -1);
    ck_assert_int_eq(next_tag(b), -1);
    /* b's MAC moves to c (a VM replugged): learnt again there */
    xmit(c, 0xa, 0xb, 6);
    ck_assert_ptr_eq(bh_switch_lookup(sw, mac_b), c);
    ck_assert_int_eq(next_tag(a), 6);
    xmit(a, 0xb, 0xa, 7);
    ck_assert_int_eq(next_tag(c), 7);
    ck_assert_int_eq(next_tag(b), -1);
    struct bh_switch_counts ca = counts(a);
    ck_assert_uint_eq(ca.in_frames, 4);
    ck_assert_uint_eq(ca.in_bytes, 240);
    ck_assert_uint_eq(ca.out_frames, 3);
    ck_assert_uint_eq(ca.drops, 0);
}
END_TEST

START_TEST(multicast_source_not_learnt)
{
    struct bh_switch_port *a = bh_switch_attach(sw, "a"), *b = bh_switch_attach(sw, "b");
    uint8_t *f = frame(0xb, 0xa, 1);
    f[6] = 3; /* a multicast source: bogus */
    bh_switch_send(a, f, 60, 0);
    uint8_t m[6] = {3, 0, 0, 0, 0, 0xa};
    ck_assert_ptr_null(bh_switch_lookup(sw, m));
    ck_assert_int_eq(next_tag(b), 1);
    /* a multicast destination floods even when its address was "learnt" */
    xmit(b, 0xff, 0xb, 2);
    ck_assert_int_eq(next_tag(a), 2);
}
END_TEST

START_TEST(queue_bounds_and_drops)
{
    struct bh_switch_port *a = bh_switch_attach(sw, "a"), *b = bh_switch_attach(sw, "b");
    /* b never reads: its queue holds 4, the other 6 are dropped on b */
    for (int i = 0; i < 10; i++)
        xmit(a, 0xff, 0xa, (uint8_t)i);
    struct bh_switch_counts cb = counts(b);
    ck_assert_uint_eq(cb.out_frames, 4);
    ck_assert_uint_eq(cb.drops, 6);
    ck_assert_uint_eq(counts(a).in_frames, 10);
    ck_assert_uint_eq(counts(a).drops, 0);
    /* the first four, in order; then room again */
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(next_tag(b), i);
    ck_assert_int_eq(next_tag(b), -1);
    xmit(a, 0xff, 0xa, 42);
    ck_assert_int_eq(next_tag(b), 42);
    /* a flooding port does not starve the others: c's frame to b gets in
     * once b reads */
    struct bh_switch_port *c = bh_switch_attach(sw, "c");
    for (int i = 0; i < 10; i++)
        xmit(a, 0xb, 0xa, 1); /* b is unknown: flooded to b and c */
    ck_assert_uint_eq(counts(c).drops, 6);
    while (next_tag(b) != -1)
        ;
    xmit(c, 0xff, 0xc, 99);
    ck_assert_int_eq(next_tag(b), 99);
    /* bad lengths: dropped on the sender, forwarded nowhere */
    uint8_t big[BH_SWITCH_FRAME_MAX + 1] = {0};
    bh_switch_send(a, big, 13, 0);
    bh_switch_send(a, big, sizeof big, 0);
    ck_assert_uint_eq(counts(a).drops, 2);
    ck_assert_int_eq(next_tag(b), -1);
}
END_TEST

/* Fair queuing: each sender has its own FIFO in a port's queue; the card
 * takes them in turn, and a full queue drops from the longest. */
START_TEST(flood_shares_the_queue)
{
    struct bh_switch_port *a = bh_switch_attach(sw, "a"), *b = bh_switch_attach(sw, "b"),
                          *c = bh_switch_attach(sw, "c");
    xmit(b, 0xff, 0xb, 0); /* b learnt (a and c take it) */
    ck_assert_int_eq(next_tag(a), 0);
    ck_assert_int_eq(next_tag(c), 0);
    for (int i = 0; i < 10; i++)
        xmit(a, 0xb, 0xa, (uint8_t)i); /* b's queue: a's 0-3, 6 dropped */
    ck_assert_uint_eq(counts(b).drops, 6);
    /* c's frame finds the queue full: a's last (3) makes room for it */
    xmit(c, 0xb, 0xc, 99);
    struct bh_switch_counts cb = counts(b);
    ck_assert_uint_eq(cb.drops, 7);
    ck_assert_uint_eq(cb.out_frames, 4);
    ck_assert_uint_eq(cb.out_bytes, 4 * 60);
    /* in turn: a, c, a, a; nothing of a's order changes */
    ck_assert_int_eq(next_tag(b), 0);
    ck_assert_int_eq(next_tag(b), 99);
    ck_assert_int_eq(next_tag(b), 1);
    ck_assert_int_eq(next_tag(b), 2);
    ck_assert_int_eq(next_tag(b), -1);
    /* two flows, both longer than the queue's half: the longer one loses
     * its last frame, never the one with less */
    for (int i = 0; i < 3; i++)
        xmit(a, 0xb, 0xa, (uint8_t)(10 + i));
    xmit(c, 0xb, 0xc, 100);
    xmit(c, 0xb, 0xc, 101); /* full (a 3, c 1): a's 12 goes */
    xmit(c, 0xb, 0xc, 102); /* full (a 2, c 2): c's own frame is the one lost */
    ck_assert_uint_eq(counts(b).drops, 9);
    ck_assert_int_eq(next_tag(b), 100); /* c's turn came (a was last) */
    ck_assert_int_eq(next_tag(b), 10);
    ck_assert_int_eq(next_tag(b), 101);
    ck_assert_int_eq(next_tag(b), 11);
    ck_assert_int_eq(next_tag(b), -1);
    /* detached: its flows emptied */
    xmit(a, 0xb, 0xa, 7);
    bh_switch_detach(b);
    ck_assert_int_eq(next_tag(b), -1);
}
END_TEST

START_TEST(detached_port)
{
    struct bh_switch_port *a = bh_switch_attach(sw, "a"), *b = bh_switch_attach(sw, "b");
    xmit(b, 0xa, 0xb, 1); /* b learnt */
    xmit(a, 0xb, 0xa, 2);
    bh_switch_detach(b);
    ck_assert_int_eq(next_tag(b), -1); /* its queue is gone: counted as dropped */
    ck_assert_uint_eq(counts(b).drops, 1);
    ck_assert_uint_eq(counts(b).out_frames, 0);
    xmit(a, 0xb, 0xa, 3);             /* for b: dropped and counted */
    xmit(a, 0xff, 0xa, 4);            /* flooded: to the attached ports only */
    ck_assert_uint_eq(counts(b).drops, 2);
    ck_assert_int_eq(next_tag(b), -1);
    /* back (a migration that failed): queued again, its MAC still there */
    bh_switch_reattach(b);
    xmit(a, 0xb, 0xa, 5);
    ck_assert_int_eq(next_tag(b), 5);
    ck_assert_uint_eq(counts(b).drops, 2);
}
END_TEST

static unsigned tapped;
static uint64_t tapped_ns;
static uint8_t tapped_first;
static void tap(void *ctx, const void *f, uint32_t len, uint64_t ns)
{
    ck_assert_ptr_eq(ctx, &tapped);
    tapped++;
    tapped_ns = ns;
    tapped_first = ((const uint8_t *)f)[20];
}

START_TEST(tap_sees_every_frame)
{
    struct bh_switch_port *a = bh_switch_attach(sw, "a"), *b = bh_switch_attach(sw, "b");
    bh_switch_set_tap(sw, tap, &tapped);
    bh_switch_send(a, frame(0xff, 0xa, 7), 60, 123456789);
    ck_assert_uint_eq(tapped, 1);
    ck_assert_uint_eq(tapped_ns, 123456789);
    ck_assert_uint_eq(tapped_first, 7);
    /* also what is dropped on a full queue (the switch took it) */
    for (int i = 0; i < 8; i++)
        xmit(a, 0xff, 0xa, 1);
    ck_assert_uint_eq(tapped, 9);
    (void)b;
}
END_TEST

START_TEST(full_mac_table_floods)
{
    struct bh_switch_port *a = bh_switch_attach(sw, "a"), *b = bh_switch_attach(sw, "b"),
                          *c = bh_switch_attach(sw, "c");
    uint8_t *f;
    /* fill the table from a with other sources */
    for (unsigned i = 0; i < BH_SWITCH_MACS; i++) {
        f = frame(0xff, 0, 0);
        f[9] = (uint8_t)(i >> 8);
        f[10] = (uint8_t)i;
        f[11] = 0x77;
        bh_switch_send(a, f, 60, 0);
        while (next_tag(b) != -1 || next_tag(c) != -1)
            ;
    }
    /* b's address cannot be learnt: a frame for it is flooded */
    xmit(b, 0xff, 0xb, 1);
    uint8_t mac_b[6] = {2, 0, 0, 0, 0, 0xb};
    ck_assert_ptr_null(bh_switch_lookup(sw, mac_b));
    while (next_tag(a) != -1 || next_tag(c) != -1)
        ;
    xmit(a, 0xb, 0x1, 2);
    ck_assert_int_eq(next_tag(b), 2);
    ck_assert_int_eq(next_tag(c), 2);
}
END_TEST

/* Two threads, each sending 20000 frames to the other's port while
 * reading its own: every frame is accounted for (received or dropped). */
struct pair {
    struct bh_switch_port *me;
    uint8_t mine, peer;
    unsigned got;
};
static void *blast(void *arg)
{
    struct pair *p = arg;
    for (int i = 0; i < 20000; i++) {
        xmit(p->me, p->peer, p->mine, 1);
        while (next_tag(p->me) != -1)
            p->got++;
    }
    return NULL;
}

START_TEST(two_threads)
{
    struct pair x = {bh_switch_attach(sw, "x"), 1, 2, 0}, y = {bh_switch_attach(sw, "y"), 2, 1, 0};
    pthread_t t;
    pthread_create(&t, NULL, blast, &x);
    blast(&y);
    pthread_join(t, NULL);
    while (next_tag(x.me) != -1)
        x.got++;
    while (next_tag(y.me) != -1)
        y.got++;
    struct bh_switch_counts cx = counts(x.me), cy = counts(y.me);
    ck_assert_uint_eq(cx.in_frames, 20000);
    ck_assert_uint_eq(cy.in_frames, 20000);
    ck_assert_uint_eq(x.got, cx.out_frames);
    ck_assert_uint_eq(y.got, cy.out_frames);
    /* before either learnt the other, frames flooded; all counted */
    ck_assert_uint_eq(cx.out_frames + cx.drops, 20000);
    ck_assert_uint_eq(cy.out_frames + cy.drops, 20000);
}
END_TEST

Suite *switch_suite(void)
{
    Suite *s = suite_create("switch");
    TCase *t = tcase_create("switch");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, learning_and_forwarding);
    tcase_add_test(t, multicast_source_not_learnt);
    tcase_add_test(t, queue_bounds_and_drops);
    tcase_add_test(t, flood_shares_the_queue);
    tcase_add_test(t, detached_port);
    tcase_add_test(t, tap_sees_every_frame);
    tcase_add_test(t, full_mac_table_floods);
    tcase_add_test(t, two_threads);
    suite_add_tcase(s, t);
    return s;
}
