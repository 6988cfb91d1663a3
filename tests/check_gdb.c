/* check_gdb.c: the gdb stub's protocol (vm/host/gdb_proto.c) against a
 * fake target: framing (checksums, escapes, acks, the interrupt byte, the
 * packet size limit), registers in gdb's MIPS order, memory, points,
 * threads, vCont, the target description read in pieces, stop replies. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "host/gdb_proto.h"

static uint32_t regs[2][BH_GDB_NREGS];
static uint8_t mem[256];
static struct {
    unsigned type;
    uint32_t addr, len;
    int on;
} last_point;
static int points_refused;

static int alive(void *c, size_t t) { return t == 0 || t == 1; }
static void describe(void *c, size_t t, char *b, size_t n) { snprintf(b, n, "vm%zu (paused)", t + 1); }
static uint32_t reg(void *c, size_t t, unsigned r) { return regs[t][r]; }
static void set_reg(void *c, size_t t, unsigned r, uint32_t v) { regs[t][r] = v; }
static int rd(void *c, size_t t, uint32_t a, void *d, uint32_t n)
{
    if (a < 0x1000 || a + n > 0x1000 + sizeof mem) return -1;
    memcpy(d, mem + (a - 0x1000), n);
    return 0;
}
static int wr(void *c, size_t t, uint32_t a, const void *s, uint32_t n)
{
    if (a < 0x1000 || a + n > 0x1000 + sizeof mem) return -1;
    memcpy(mem + (a - 0x1000), s, n);
    return 0;
}
static int point(void *c, unsigned type, uint32_t a, uint32_t len, int on)
{
    last_point.type = type, last_point.addr = a, last_point.len = len, last_point.on = on;
    return points_refused ? -1 : 0;
}
static const struct bh_gdb_target target = {NULL, 2, alive, describe, reg, set_reg, rd, wr, point};
static struct bh_gdb_sess sess;
static char answer[BH_GDB_PACKET_MAX + 1];

static void setup(void)
{
    memset(regs, 0, sizeof regs);
    memset(mem, 0, sizeof mem);
    points_refused = 0;
    bh_gdb_sess_init(&sess, &target);
}

/* The answer to pkt, as a string; *act the action. */
static const char *ask_act(const char *pkt, enum bh_gdb_action *act, size_t *th)
{
    struct bh_buf b = {0};
    size_t t = 99;
    enum bh_gdb_action a = bh_gdb_handle(&sess, pkt, strlen(pkt), &b, th ? th : &t);
    if (act) *act = a;
    ck_assert(b.len < sizeof answer);
    memcpy(answer, b.data ? (const char *)b.data : "", b.len);
    answer[b.len] = '\0';
    bh_buf_free(&b);
    return answer;
}
static const char *ask(const char *pkt) { return ask_act(pkt, NULL, NULL); }

/* Feed s to rx; the last event. */
static enum bh_gdb_rx_ev feed(struct bh_gdb_rx *rx, const char *s, size_t n)
{
    enum bh_gdb_rx_ev ev = BH_GDB_RX_NONE;
    for (size_t i = 0; i < n; i++) {
        enum bh_gdb_rx_ev e = bh_gdb_rx_byte(rx, (uint8_t)s[i]);
        if (e != BH_GDB_RX_NONE) ev = e;
    }
    return ev;
}

START_TEST(framing_round_trip_with_escapes)
{
    const char *p = "a$b#c}d*e";
    struct bh_buf f = {0};
    bh_gdb_frame(&f, p, strlen(p));
    bh_buf_put8(&f, 0);
    ck_assert_str_eq((char *)f.data, "$a}\x04" "b}\x03" "c}]d}\x0a" "e#51"); /* the sum of the bytes sent, escapes included */
    static struct bh_gdb_rx rx;
    bh_gdb_rx_init(&rx);
    ck_assert_int_eq(feed(&rx, (char *)f.data, f.len - 1), BH_GDB_RX_PACKET);
    ck_assert_str_eq(rx.pkt, p);
    bh_buf_free(&f);
}
END_TEST

START_TEST(framing_checksum_acks_interrupt_and_limit)
{
    static struct bh_gdb_rx rx;
    bh_gdb_rx_init(&rx);
    ck_assert_int_eq(feed(&rx, "+$g#67", 6), BH_GDB_RX_PACKET);
    ck_assert_str_eq(rx.pkt, "g");
    ck_assert_int_eq(feed(&rx, "$g#68", 5), BH_GDB_RX_BADSUM);
    ck_assert_int_eq(feed(&rx, "$g#6x", 5), BH_GDB_RX_BADSUM);
    ck_assert_int_eq(feed(&rx, "\x03", 1), BH_GDB_RX_INTERRUPT);
    ck_assert_int_eq(feed(&rx, "hello", 5), BH_GDB_RX_NONE);
    ck_assert_uint_eq(rx.junk, 6); /* the x of "#6x" too */
    ck_assert_int_eq(feed(&rx, "$?#3f", 5), BH_GDB_RX_PACKET);
    ck_assert_uint_eq(rx.junk, 0);
    static char big[BH_GDB_PACKET_MAX + 2];
    memset(big, 'm', sizeof big);
    big[0] = '$';
    ck_assert_int_eq(feed(&rx, big, sizeof big), BH_GDB_RX_TOOLONG);
}
END_TEST

START_TEST(registers_in_gdbs_mips_order)
{
    for (unsigned r = 0; r < BH_GDB_NREGS; r++) regs[0][r] = 0x01020300u + r;
    const char *g = ask("g");
    ck_assert_uint_eq(strlen(g), 8u * BH_GDB_NREGS);
    ck_assert(strncmp(g, "00030201", 8) == 0);           /* r0, little-endian */
    ck_assert(strncmp(g + 8 * 37, "25030201", 8) == 0);  /* pc */
    ck_assert_str_eq(ask("p25"), "25030201");
    ck_assert_str_eq(ask("P25=00004000"), "OK");
    ck_assert_uint_eq(regs[0][37], 0x00400000u);
    ck_assert_str_eq(ask("p48"), "E22");              /* 72: no such register */
    ck_assert_str_eq(ask("P8=123"), "E22");
    char G[1 + 8 * BH_GDB_NREGS + 1] = "G";
    for (unsigned r = 0; r < BH_GDB_NREGS; r++) memcpy(G + 1 + 8 * r, "0a000000", 8);
    ck_assert_str_eq(ask(G), "OK");
    ck_assert_uint_eq(regs[0][71], 10);
    G[5] = 'z';
    ck_assert_str_eq(ask(G), "E22");
    ck_assert_str_eq(ask("Hg2"), "OK"); /* thread 2 = VM index 1 */
    ck_assert_str_eq(ask("P1=07000000"), "OK");
    ck_assert_uint_eq(regs[1][1], 7);
    ck_assert_str_eq(ask("Hg3"), "E22");
}
END_TEST

START_TEST(memory_and_points)
{
    ck_assert_str_eq(ask("M1004,3:0a0b0c"), "OK");
    ck_assert_str_eq(ask("m1003,5"), "000a0b0c00");
    ck_assert_str_eq(ask("m0,4"), "E14");
    ck_assert_str_eq(ask("m1000"), "E22");
    ck_assert_str_eq(ask("M1000,2:0a"), "E22");
    ck_assert_str_eq(ask("m123456789,4"), "E22"); /* 9 digits */
    ck_assert_str_eq(ask("Z0,400040,4"), "OK");
    ck_assert_uint_eq(last_point.type, 0);
    ck_assert_uint_eq(last_point.addr, 0x400040);
    ck_assert_int_eq(last_point.on, 1);
    ck_assert_str_eq(ask("z2,10010000,8"), "OK");
    ck_assert_uint_eq(last_point.type, 2);
    ck_assert_uint_eq(last_point.len, 8);
    ck_assert_int_eq(last_point.on, 0);
    ck_assert_str_eq(ask("Z5,0,4"), ""); /* not offered */
    points_refused = 1;
    ck_assert_str_eq(ask("Z0,0,4"), "E22");
}
END_TEST

START_TEST(threads_and_queries)
{
    ck_assert_str_eq(ask("qfThreadInfo"), "m1,2");
    ck_assert_str_eq(ask("qsThreadInfo"), "l");
    ck_assert_str_eq(ask("qC"), "QC1");
    ck_assert_str_eq(ask("T2"), "OK");
    ck_assert_str_eq(ask("T3"), "E01");
    ck_assert_str_eq(ask("qAttached"), "1");
    /* "vm2 (paused)" in hex */
    ck_assert_str_eq(ask("qThreadExtraInfo,2"), "766d32202870617573656429");
    ck_assert(strstr(ask("qSupported:swbreak+"), "PacketSize=4000") != NULL);
    ck_assert(strstr(answer, "qXfer:features:read+") != NULL);
    ck_assert_str_eq(ask("vMustReplyEmpty"), "");
    ck_assert_str_eq(ask("QStartNoAckMode"), "OK");
    ck_assert_int_eq(sess.no_ack, 1);
}
END_TEST

START_TEST(target_description_in_pieces)
{
    char xml[16384] = "";
    size_t n = 0;
    for (unsigned off = 0;; off += 100) {
        char q[80];
        snprintf(q, sizeof q, "qXfer:features:read:target.xml:%x,64", off);
        const char *a = ask(q);
        ck_assert(a[0] == 'm' || a[0] == 'l');
        ck_assert_uint_le(strlen(a + 1), 100);
        memcpy(xml + n, a + 1, strlen(a + 1));
        n += strlen(a + 1);
        if (a[0] == 'l') break;
    }
    xml[n] = '\0';
    ck_assert(strstr(xml, "<feature name=\"org.gnu.gdb.mips.cpu\">") != NULL);
    ck_assert(strstr(xml, "<reg name=\"pc\" bitsize=\"32\" regnum=\"37\"/>") != NULL);
    ck_assert(strstr(xml, "<reg name=\"status\" bitsize=\"32\" regnum=\"32\"/>") != NULL);
    ck_assert(strstr(xml, "<reg name=\"f31\" bitsize=\"32\" type=\"ieee_single\" regnum=\"69\"/>") != NULL);
    ck_assert(strstr(xml, "regnum=\"71\"") != NULL);
    ck_assert(strstr(xml, "</target>") != NULL);
    ck_assert_str_eq(ask("qXfer:features:read:other.xml:0,10"), "E00");
}
END_TEST

START_TEST(resume_step_and_stop_replies)
{
    enum bh_gdb_action a;
    size_t th;
    ask_act("c", &a, &th);
    ck_assert_int_eq(a, BH_GDB_CONTINUE);
    ck_assert_uint_eq(th, BH_GDB_ALL);
    ask_act("c400000", &a, NULL);
    ck_assert_int_eq(a, BH_GDB_ANSWER);
    ck_assert_str_eq(answer, "E22");
    ask_act("vCont;s:2;c", &a, &th);
    ck_assert_int_eq(a, BH_GDB_STEP);
    ck_assert_uint_eq(th, 1);
    ask_act("vCont;c:1", &a, &th);
    ck_assert_int_eq(a, BH_GDB_CONTINUE);
    ck_assert_uint_eq(th, 0);
    ask_act("vCont;C05", &a, &th);
    ck_assert_int_eq(a, BH_GDB_CONTINUE);
    ask_act("vCont;x", &a, NULL);
    ck_assert_str_eq(answer, "E22");
    ck_assert_str_eq(ask("vCont?"), "vCont;c;C;s;S");
    bh_gdb_stop_reply(&sess, 1, 5, 1, 0x10010000, 0);
    ck_assert_str_eq(ask("?"), "T05thread:2;watch:10010000;");
    ck_assert_uint_eq(sess.g_thread, 1);
    bh_gdb_stop_reply(&sess, 0, 5, 0, 0, 1);
    ck_assert_str_eq(ask("?"), "T05thread:1;swbreak:;");
    bh_gdb_exit_reply(&sess, 1, 3);
    ck_assert_str_eq(ask("?"), "W03");
    ask_act("D", &a, NULL);
    ck_assert_int_eq(a, BH_GDB_DETACH);
    ask_act("k", &a, NULL);
    ck_assert_int_eq(a, BH_GDB_KILL);
    ck_assert_str_eq(ask("X1000,0:"), ""); /* binary writes: not offered, gdb uses M */
}
END_TEST

Suite *gdb_suite(void)
{
    Suite *s = suite_create("gdb");
    TCase *tc = tcase_create("protocol");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, framing_round_trip_with_escapes);
    tcase_add_test(tc, framing_checksum_acks_interrupt_and_limit);
    tcase_add_test(tc, registers_in_gdbs_mips_order);
    tcase_add_test(tc, memory_and_points);
    tcase_add_test(tc, threads_and_queries);
    tcase_add_test(tc, target_description_in_pieces);
    tcase_add_test(tc, resume_step_and_stop_replies);
    suite_add_tcase(s, tc);
    return s;
}
