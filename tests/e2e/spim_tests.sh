#!/usr/bin/env bash
# spim_tests.sh: SPIM's own regression tests (Tests/ in SPIM's source
# tree; not in this repository, their license is SPIM's) run on myvmm the
# way SPIM's Makefile runs them, each must print "Passed all tests".
# SPIM_TESTS names the directory holding them; without it the script
# skips (exit 77) and says so.  One case per line below: the file, its
# stdin (or -), then myvmm's options.
set -u
MYVMM=${MYVMM:-${TOP:-.}/build/myvmm}
if [ -z "${SPIM_TESTS:-}" ]; then
    echo "skipped: set SPIM_TESTS to the directory of SPIM's Tests (tt.bare.s ...)"
    exit 77
fi
if [ ! -d "$SPIM_TESTS" ]; then
    echo "SPIM_TESTS=$SPIM_TESTS is not a directory"
    exit 1
fi
pass=0
fail=0
run_case() { # file input options...
    local file=$1 input=$2 out rc
    shift 2
    [ "$input" = - ] && input=/dev/null || input=$SPIM_TESTS/$input
    out=$(timeout 60 "$MYVMM" "$@" -file "$SPIM_TESTS/$file" <"$input" 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && grep -q "Passed all tests" <<<"$out"; then
        pass=$((pass + 1))
        echo "ok   $file ($*)"
    else
        fail=$((fail + 1))
        echo "FAIL $file ($*): status $rc"
        tail -n 5 <<<"$out" | sed 's/^/    /'
    fi
}
run_case tt.bare.s - -delayed_branches -delayed_loads -noexception
run_case tt.fpu.bare.s - -bare -noexception
echo "summary: $pass of SPIM's tests passed, $fail failed"
[ $fail -eq 0 ]
