/* check_runner.c: one runner for every Check suite (tests/check_<module>.c
 * exports <module>_suite()).  The exit status is the number of failures.
 * CK_RUN_SUITE / CK_RUN_CASE pick one suite or case; CK_FORK=no for gdb. */
#include <check.h>
#include <stdlib.h>

#define X(fn) Suite *fn(void);
#include "suites.h"
#undef X

int main(void)
{
    /* Check's default timeout of 4 s per test is too short for a test
     * that takes 1 s here and runs under the sanitizers, ten times slower,
     * on a loaded CI machine: 30 s for every test case that sets none (a
     * hang still fails).  Set before the suites create their test cases,
     * which read it; CK_DEFAULT_TIMEOUT in the environment wins. */
    setenv("CK_DEFAULT_TIMEOUT", "30", 0);
    SRunner *sr = srunner_create(NULL);
#define X(fn) srunner_add_suite(sr, fn());
#include "suites.h"
#undef X
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed;
}
