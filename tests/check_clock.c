/* check_clock.c: the rtc and the interval timer alone, on the device
 * contract only: a test clock source whose time the test sets, a
 * recording IRQ line and deadline callback; registers, expirations (one,
 * several at once after a virtual sleep), acknowledging, bus errors, and
 * the mirrored save/load of the state with its refusals. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "dev/clock.h"

static uint64_t t_ns;      /* the test's virtual time */
static uint64_t last_dl;   /* the last deadline the device announced */
static int line = -1, nsets;
static struct bh_clock c;

static uint64_t now(void *o) { return *(uint64_t *)o; }
static void deadline(void *o, uint64_t ns) { last_dl = ns; }
static void irq(void *o, unsigned n, int lv)
{
    ck_assert_uint_eq(n, 3);
    line = lv;
    nsets++;
}

static void setup(void)
{
    memset(&c, 0, sizeof c);
    t_ns = 1000000000000ull;
    last_dl = 0;
    line = -1;
    nsets = 0;
    c.src = (struct bh_clock_src){now, deadline, &t_ns};
    c.irq = (struct bh_irq){irq, NULL, 3};
}

static uint32_t rd(const struct bh_dev_region *r, uint32_t off)
{
    uint32_t v = 0xdeadbeef;
    ck_assert_int_eq(r->read(&c, off, 4, &v), 0);
    return v;
}
static void wr(const struct bh_dev_region *r, uint32_t off, uint32_t v)
{
    ck_assert_int_eq(r->write(&c, off, 4, v), 0);
}

START_TEST(rtc_reads_virtual_microseconds)
{
    t_ns = 0x123456789abcull * 1000u + 999u; /* ns below a microsecond are dropped */
    ck_assert_uint_eq(rd(&bh_rtc_region, BH_RTC_TIME_LO), 0x56789abcu);
    t_ns += 0x100000000ull * 1000u; /* the high word stays latched until time_lo is read */
    ck_assert_uint_eq(rd(&bh_rtc_region, BH_RTC_TIME_HI), 0x1234u);
    ck_assert_uint_eq(rd(&bh_rtc_region, BH_RTC_TIME_LO), 0x56789abcu);
    ck_assert_uint_eq(rd(&bh_rtc_region, BH_RTC_TIME_HI), 0x1235u);
    uint32_t v;
    ck_assert_int_eq(bh_rtc_region.write(&c, BH_RTC_TIME_LO, 4, 0), -1); /* read-only */
    ck_assert_int_eq(bh_rtc_region.read(&c, BH_RTC_TIME_LO, 2, &v), -1);  /* words only */
    ck_assert_int_eq(bh_rtc_region.read(&c, 8, 4, &v), -1);
    ck_assert_str_eq(bh_dev_reg_name(&bh_rtc_region, 4), "time_hi");
}
END_TEST

START_TEST(timer_expires_and_acknowledges)
{
    ck_assert_uint_eq(bh_timer_deadline(&c), UINT64_MAX);
    wr(&bh_timer_region, BH_TIMER_PERIOD, 50);
    ck_assert_uint_eq(bh_timer_deadline(&c), UINT64_MAX); /* not enabled */
    wr(&bh_timer_region, BH_TIMER_CTRL, BH_TIMER_CTRL_EN | BH_TIMER_CTRL_IE);
    uint64_t start = t_ns;
    ck_assert_uint_eq(bh_timer_deadline(&c), start + 50000);
    ck_assert_uint_eq(last_dl, start + 50000); /* the machine was told */
    t_ns = start + 49999;
    ck_assert_uint_eq(bh_timer_tick(&c), 0);
    ck_assert_uint_eq(rd(&bh_timer_region, BH_TIMER_STATUS), 0);
    ck_assert_int_eq(line, 0);
    t_ns = start + 50000;
    ck_assert_uint_eq(bh_timer_tick(&c), 1);
    ck_assert_uint_eq(rd(&bh_timer_region, BH_TIMER_STATUS), BH_TIMER_EXPIRED);
    ck_assert_int_eq(line, 1);
    ck_assert_uint_eq(bh_timer_deadline(&c), start + 100000); /* periods keep their phase */
    /* a virtual sleep to 2.5 periods past the next deadline (100000):
     * the expirations at 100000, 150000, 200000 and 250000 at once */
    t_ns = start + 275000;
    ck_assert_uint_eq(bh_timer_tick(&c), 4);
    ck_assert_uint_eq(rd(&bh_timer_region, BH_TIMER_TICKS), 5);
    ck_assert_uint_eq(bh_timer_deadline(&c), start + 300000);
    /* writing 0 to status changes nothing; 1 acknowledges and lowers the line */
    wr(&bh_timer_region, BH_TIMER_STATUS, 0);
    ck_assert_int_eq(line, 1);
    wr(&bh_timer_region, BH_TIMER_STATUS, BH_TIMER_EXPIRED);
    ck_assert_uint_eq(rd(&bh_timer_region, BH_TIMER_STATUS), 0);
    ck_assert_int_eq(line, 0);
    /* without IE the line stays low; status still says expired */
    wr(&bh_timer_region, BH_TIMER_CTRL, BH_TIMER_CTRL_EN);
    t_ns = start + 300000;
    ck_assert_uint_eq(bh_timer_tick(&c), 1);
    ck_assert_uint_eq(rd(&bh_timer_region, BH_TIMER_STATUS), BH_TIMER_EXPIRED);
    ck_assert_int_eq(line, 0);
    /* a new period starts a new interval from now */
    t_ns = start + 310000;
    wr(&bh_timer_region, BH_TIMER_PERIOD, 7);
    ck_assert_uint_eq(bh_timer_deadline(&c), start + 317000);
    /* disabled or period 0: no deadline, no expiration */
    wr(&bh_timer_region, BH_TIMER_PERIOD, 0);
    ck_assert_uint_eq(bh_timer_deadline(&c), UINT64_MAX);
    t_ns += 1000000;
    ck_assert_uint_eq(bh_timer_tick(&c), 0);
    ck_assert_uint_eq(rd(&bh_timer_region, BH_TIMER_CTRL), BH_TIMER_CTRL_EN);
    wr(&bh_timer_region, BH_TIMER_CTRL, 0xffffffffu); /* unknown bits read back as 0 */
    ck_assert_uint_eq(rd(&bh_timer_region, BH_TIMER_CTRL), BH_TIMER_CTRL_EN | BH_TIMER_CTRL_IE);
}
END_TEST

START_TEST(timer_bus_errors)
{
    uint32_t v;
    ck_assert_int_eq(bh_timer_region.write(&c, BH_TIMER_TICKS, 4, 1), -1);
    ck_assert_int_eq(bh_timer_region.write(&c, BH_TIMER_PERIOD, 1, 1), -1);
    ck_assert_int_eq(bh_timer_region.read(&c, BH_TIMER_CTRL, 2, &v), -1);
    ck_assert_int_eq(bh_timer_region.read(&c, 16, 4, &v), -1);
    ck_assert_uint_eq(c.period, 0); /* nothing changed */
    ck_assert_int_eq(nsets, 0);
}
END_TEST

START_TEST(state_round_trip_and_refusals)
{
    wr(&bh_timer_region, BH_TIMER_PERIOD, 20);
    wr(&bh_timer_region, BH_TIMER_CTRL, BH_TIMER_CTRL_EN | BH_TIMER_CTRL_IE);
    t_ns += 45000;
    bh_timer_tick(&c);
    rd(&bh_rtc_region, BH_RTC_TIME_LO);
    struct bh_buf b = {0};
    ck_assert_int_eq(bh_clock_save(&c, &b), 0);
    ck_assert_uint_eq(b.len, BH_CLOCK_STATE_SIZE);
    struct bh_clock d;
    memset(&d, 0, sizeof d);
    d.irq = c.irq;
    line = -1;
    char err[200];
    struct bh_rd r = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_clock_load(&d, &r, BH_CLOCK_STATE_VERSION, err, sizeof err), 0);
    ck_assert_int_eq(memcmp(&d.rtc_hi, &c.rtc_hi, offsetof(struct bh_clock, irq) -
                                                      offsetof(struct bh_clock, rtc_hi)), 0);
    ck_assert_int_eq(line, 1); /* the pending interrupt is raised again */
    /* refusals leave the device alone */
    struct bh_rd r2 = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_clock_load(&d, &r2, 2, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "version 2"));
    struct bh_rd r3 = {b.data, b.len - 1, 0, 0};
    ck_assert_int_eq(bh_clock_load(&d, &r3, 1, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "truncated"));
    b.data[8] = 0x10; /* ctrl */
    struct bh_rd r4 = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_clock_load(&d, &r4, 1, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "ctrl"));
    b.data[8] = 3;
    b.data[12] = 2; /* status */
    struct bh_rd r5 = {b.data, b.len, 0, 0};
    ck_assert_int_eq(bh_clock_load(NULL, &r5, 1, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "status"));
    ck_assert_uint_eq(d.ctrl, BH_TIMER_CTRL_EN | BH_TIMER_CTRL_IE);
    bh_buf_free(&b);
}
END_TEST

Suite *clock_suite(void)
{
    Suite *s = suite_create("clock");
    TCase *t = tcase_create("registers");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, rtc_reads_virtual_microseconds);
    tcase_add_test(t, timer_expires_and_acknowledges);
    tcase_add_test(t, timer_bus_errors);
    tcase_add_test(t, state_round_trip_and_refusals);
    suite_add_tcase(s, t);
    return s;
}
