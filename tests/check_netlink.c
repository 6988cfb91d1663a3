/* check_netlink.c: the link protocol between two myvmm processes
 * (vm/host/netlink_proto.c), its decoder fed one byte at a time: a good
 * hello and frames of every edge length, whatever the splits; a bad
 * magic, version, name length, name byte or name; frame lengths of 0, 13,
 * 1515 and 65535; an error that sticks.  And the switch's side of a link
 * port: the time a frame was sent at kept in the queue, the wake-up only
 * when the queue stops being empty. */
#include <check.h>
#include <string.h>

#include "bh_util.h"
#include "host/netlink_proto.h"
#include "host/switch.h"

static struct bh_netlink_dec dec;
static uint8_t buf[8192];
static size_t n;

static void setup(void)
{
    bh_netlink_dec_init(&dec, "lan0");
    n = 0;
}

static void put(const void *p, size_t len)
{
    ck_assert_uint_le(n + len, sizeof buf);
    memcpy(buf + n, p, len);
    n += len;
}
static void put_hello(const char *lan) { n += bh_netlink_hello(buf + n, lan); }
static void put_frame(uint32_t len, uint64_t ns, uint8_t fill)
{
    bh_netlink_frame_header(buf + n, len, ns);
    n += BH_NETLINK_HDR;
    memset(buf + n, fill, len);
    n += len;
}

/* Feed buf[0..n): the number of each event, the last error's position
 * (-1: none). */
struct tally {
    int hello, frames, errors;
    long error_at;
    uint32_t last_len;
    uint64_t last_ns;
    uint8_t last_fill;
};
static struct tally feed_all(void)
{
    struct tally t = {.error_at = -1};
    for (size_t i = 0; i < n; i++)
        switch (bh_netlink_feed(&dec, buf[i])) {
        case BH_NETLINK_MORE: break;
        case BH_NETLINK_HELLO: t.hello++; break;
        case BH_NETLINK_FRAME:
            t.frames++;
            t.last_len = dec.len;
            t.last_ns = dec.ns;
            t.last_fill = dec.frame[dec.len - 1];
            break;
        case BH_NETLINK_ERROR:
            if (!t.errors++)
                t.error_at = (long)i;
            break;
        }
    return t;
}

START_TEST(hello_and_frames)
{
    put_hello("lan0");
    put_frame(14, 1, 0xa1);
    put_frame(60, 0x0123456789abcdefull, 0xb2);
    put_frame(BH_SWITCH_FRAME_MAX, 3, 0xc3);
    ck_assert_uint_eq(n, 10 + 3 * BH_NETLINK_HDR + 14 + 60 + BH_SWITCH_FRAME_MAX);
    ck_assert_mem_eq(buf, "BHLK\x01\x04lan0", 10);
    struct tally t = feed_all();
    ck_assert_int_eq(t.hello, 1);
    ck_assert_int_eq(t.frames, 3);
    ck_assert_int_eq(t.errors, 0);
    ck_assert_uint_eq(t.last_len, BH_SWITCH_FRAME_MAX);
    ck_assert_uint_eq(t.last_ns, 3);
    ck_assert_uint_eq(t.last_fill, 0xc3);
}
END_TEST

/* Each frame comes out at its last byte, never before, with its time. */
START_TEST(events_at_the_right_byte)
{
    put_hello("lan0");
    size_t hello_end = n;
    put_frame(60, 0x0123456789abcdefull, 0xb2);
    for (size_t i = 0; i < n; i++) {
        enum bh_netlink_event e = bh_netlink_feed(&dec, buf[i]);
        if (i == hello_end - 1)
            ck_assert_int_eq(e, BH_NETLINK_HELLO);
        else if (i == n - 1) {
            ck_assert_int_eq(e, BH_NETLINK_FRAME);
            ck_assert_uint_eq(dec.len, 60);
            ck_assert_uint_eq(dec.ns, 0x0123456789abcdefull);
            ck_assert_uint_eq(dec.frame[0], 0xb2);
        } else
            ck_assert_int_eq(e, BH_NETLINK_MORE);
    }
}
END_TEST

static void expect_error(long at, const char *msg)
{
    struct tally t = feed_all();
    ck_assert_int_eq(t.frames, 0);
    ck_assert_int_ge(t.errors, 1);
    ck_assert_int_eq(t.error_at, at);
    ck_assert_str_eq(dec.err, msg);
    /* the error sticks: a good hello after it is not taken */
    n = 0;
    put_hello("lan0");
    t = feed_all();
    ck_assert_int_eq(t.hello, 0);
    ck_assert_int_eq(t.errors, (int)n);
}

START_TEST(bad_magic)
{
    put("GET / HTTP/1.0\r\n", 16);
    expect_error(3, "not a myvmm link: the hello begins 47 45 54 20, not \"BHLK\"");
}
END_TEST

START_TEST(bad_version)
{
    put("BHLK\x02\x04lan0", 10);
    expect_error(4, "link protocol version 2 (this myvmm speaks 1)");
}
END_TEST

START_TEST(bad_name_length)
{
    put("BHLK\x01\x00", 6);
    expect_error(5, "a LAN name of 0 bytes (a name has 1 to 23)");
    setup();
    put("BHLK\x01\x18", 6);
    expect_error(5, "a LAN name of 24 bytes (a name has 1 to 23)");
}
END_TEST

START_TEST(bad_name_byte)
{
    put("BHLK\x01\x04la\n0", 10);
    expect_error(8, "byte 0x0a in the LAN's name (a name has letters, digits, '_', '.', '-')");
}
END_TEST

START_TEST(other_lan)
{
    put_hello("lan9");
    expect_error(9, "the peer's LAN is 'lan9', this one is 'lan0'");
    setup();
    put_hello("lan"); /* a prefix is not the name */
    expect_error(8, "the peer's LAN is 'lan', this one is 'lan0'");
    setup();
    put_hello("lan00");
    expect_error(10, "the peer's LAN is 'lan00', this one is 'lan0'");
    setup(); /* a name of the longest length */
    bh_netlink_dec_init(&dec, "abcdefghijklmnopqrstuvw");
    put_hello("abcdefghijklmnopqrstuvw");
    put_frame(14, 0, 1);
    struct tally t = feed_all();
    ck_assert_int_eq(t.hello, 1);
    ck_assert_int_eq(t.frames, 1);
}
END_TEST

/* A frame of len bytes after a good hello: refused at its header's end. */
static void bad_length(uint32_t len, const char *msg)
{
    setup();
    put_hello("lan0");
    long at = (long)n + BH_NETLINK_HDR - 1;
    uint8_t h[BH_NETLINK_HDR];
    bh_put16(h, (uint16_t)len);
    bh_put64(h + 2, 0);
    put(h, sizeof h);
    memset(buf + n, 0, 64);
    n += 64;
    struct tally t = feed_all();
    ck_assert_int_eq(t.hello, 1);
    ck_assert_int_eq(t.frames, 0);
    ck_assert_int_eq(t.error_at, at);
    ck_assert_str_eq(dec.err, msg);
}

START_TEST(bad_frame_lengths)
{
    bad_length(0, "a frame of 0 bytes (a frame has 14 to 1514)");
    bad_length(13, "a frame of 13 bytes (a frame has 14 to 1514)");
    bad_length(1515, "a frame of 1515 bytes (a frame has 14 to 1514)");
    bad_length(65535, "a frame of 65535 bytes (a frame has 14 to 1514)");
}
END_TEST

/* The switch's side: a link port's queue keeps each frame's time, and the
 * wake-up comes when the queue stops being empty, not for every frame. */
static int wakes;
static void count_wake(void *ctx) { (void)ctx, wakes++; }

START_TEST(link_port)
{
    struct bh_switch *sw = bh_switch_new("lan0", 4);
    struct bh_switch_port *vm = bh_switch_attach(sw, "vm"), *link = bh_switch_attach(sw, "link");
    bh_switch_notify(link, count_wake, NULL);
    uint8_t f[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1};
    wakes = 0;
    bh_switch_send(vm, f, 60, 1000);
    bh_switch_send(vm, f, 60, 2000);
    ck_assert_int_eq(wakes, 1);
    uint8_t got[BH_SWITCH_FRAME_MAX];
    uint64_t ns = 0;
    ck_assert_uint_eq(bh_switch_recv_ns(link, got, sizeof got, &ns), 60);
    ck_assert_uint_eq(ns, 1000);
    ck_assert_uint_eq(bh_switch_recv_ns(link, got, sizeof got, &ns), 60);
    ck_assert_uint_eq(ns, 2000);
    ck_assert_uint_eq(bh_switch_recv_ns(link, got, sizeof got, &ns), 0);
    bh_switch_send(vm, f, 60, 3000);
    ck_assert_int_eq(wakes, 2);
    ck_assert_int_eq(bh_switch_rename(link, "link tcp:127.0.0.1:1"), 0);
    bh_switch_free(sw);
}
END_TEST

Suite *netlink_suite(void)
{
    Suite *s = suite_create("netlink");
    TCase *t = tcase_create("netlink");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, hello_and_frames);
    tcase_add_test(t, events_at_the_right_byte);
    tcase_add_test(t, bad_magic);
    tcase_add_test(t, bad_version);
    tcase_add_test(t, bad_name_length);
    tcase_add_test(t, bad_name_byte);
    tcase_add_test(t, other_lan);
    tcase_add_test(t, bad_frame_lengths);
    tcase_add_test(t, link_port);
    suite_add_tcase(s, t);
    return s;
}
