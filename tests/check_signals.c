/* check_signals.c: the host's signal counters (vm/host/signals.c): a
 * caught signal is counted, each "seen" count takes it once, several
 * signals in between make one request, and every VM's count sees it. */
#include <check.h>
#include <poll.h>
#include <signal.h>

#include "host/signals.h"

START_TEST(test_signals_take)
{
    bh_signals_catch(BH_SIGNAL_SNAPSHOT);
    bh_signals_catch(BH_SIGNAL_MIGRATE);
    unsigned long vm1 = bh_signals_count(BH_SIGNAL_SNAPSHOT), vm2 = vm1;
    unsigned long mig = bh_signals_count(BH_SIGNAL_MIGRATE);
    ck_assert_int_eq(bh_signals_take(BH_SIGNAL_SNAPSHOT, &vm1), 0);
    raise(SIGUSR1);
    raise(SIGUSR1);
    ck_assert_int_eq(bh_signals_take(BH_SIGNAL_SNAPSHOT, &vm1), 1);
    ck_assert_int_eq(bh_signals_take(BH_SIGNAL_SNAPSHOT, &vm1), 0);
    ck_assert_int_eq(bh_signals_take(BH_SIGNAL_SNAPSHOT, &vm2), 1); /* each VM takes it */
    ck_assert_int_eq(bh_signals_take(BH_SIGNAL_MIGRATE, &mig), 0);  /* SIGUSR1 is not SIGUSR2 */
    raise(SIGUSR2);
    ck_assert_int_eq(bh_signals_take(BH_SIGNAL_MIGRATE, &mig), 1);
    ck_assert_int_eq(bh_signals_take(BH_SIGNAL_SNAPSHOT, &vm1), 0);
}
END_TEST

/* A stop signal is kept (the first one) and makes the stop fd readable,
 * the fd a blocked console read polls; later ones do not replace it. */
START_TEST(test_signals_stop)
{
    signal(SIGHUP, SIG_IGN); /* ignored at start (nohup): stays ignored */
    bh_signals_catch_stop();
    int fd = bh_signals_stop_fd();
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bh_signals_stopped(), 0);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ck_assert_int_eq(poll(&p, 1, 0), 0);
    raise(SIGHUP);
    ck_assert_int_eq(bh_signals_stopped(), 0);
    raise(SIGTERM);
    raise(SIGINT);
    ck_assert_int_eq(bh_signals_stopped(), SIGTERM);
    ck_assert_str_eq(bh_signals_name(bh_signals_stopped()), "SIGTERM");
    ck_assert_int_eq(poll(&p, 1, 0), 1);
}
END_TEST

Suite *signals_suite(void)
{
    Suite *s = suite_create("signals");
    TCase *tc = tcase_create("signals");
    tcase_add_test(tc, test_signals_take);
    tcase_add_test(tc, test_signals_stop);
    suite_add_tcase(s, tc);
    return s;
}
