#!/usr/bin/env bash
# spim_tests.sh -- SPIM's own regression tests (its Tests folder, not kept
# here) run the way SPIM's Makefile runs them, with myvmm in spim's place:
#     myvmm -ef EXCEPTIONS -file Tests/CASE [< Tests/INPUT]
# Each must print "Passed all tests", with SPIM's exception handler
# (exceptions.s, from SPIM_EXCEPTIONS or the same folder) and with ours,
# samples/exceptions.s.  The bare-machine tests run as SPIM's Makefile
# runs them too, with their delay-slot options and no handler:
#     myvmm -delayed_branches -delayed_loads -noexception -file tt.bare.s
#     myvmm -bare -noexception -file tt.fpu.bare.s
# SPIM_TESTS names the folder (e.g. CPU's Tests from a SPIM checkout);
# without it the test is skipped.
#
# Both run unchanged: tt.core.s's tlbp, tlbr, tlbwi raise RI in the
# SPIM-style machine, as in spim 8.0 (no TLB there; the guest TLB belongs
# to the bare machine, --machine bare).  tt.core.s passes in both its 2010
# revision and SVN HEAD's (HEAD's `.space 100000` test fails on Debian's
# spim 8.0, not here).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
dir=${SPIM_TESTS:-}
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    echo "skipped: set SPIM_TESTS to SPIM's Tests folder (tt.le.s, tt.in, exceptions.s)"
    exit 77
fi
spim_exc=${SPIM_EXCEPTIONS:-$dir/exceptions.s}
if [ ! -f "$spim_exc" ]; then
    echo "skipped: no exceptions.s in $dir: set SPIM_EXCEPTIONS to SPIM's CPU/exceptions.s"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 ran=0

# One line per case: the test file and its stdin ('-': none).
cases="
tt.le.s -
tt.core.s tt.in
"
while read -r test input; do
    [ -n "$test" ] || continue
    if [ ! -f "$dir/$test" ]; then
        echo "FAIL: $dir/$test is missing"; fail=$((fail + 1)); continue
    fi
    stdin=/dev/null
    [ "$input" = - ] || stdin=$dir/$input
    src=$dir/$test
    for exc in "$spim_exc" "$TOP/samples/exceptions.s"; do
        ran=$((ran + 1))
        timeout 60 "$MYVMM" -ef "$exc" -file "$src" <"$stdin" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        if [ "$rc" = 0 ] && grep -qx "Passed all tests" "$tmp/out"; then
            echo "ok   $test with $exc"
        else
            echo "FAIL $test with $exc: exit $rc, last lines:"
            tail -n 5 "$tmp/out" | sed 's/^/    /'
            grep -m 5 error "$tmp/err" | sed 's/^/    /'
            fail=$((fail + 1))
        fi
    done
done <<<"$cases"
# One line per case without a handler: the test file, its stdin ('-':
# none), then myvmm's options.
machine_cases="
tt.bare.s - -delayed_branches -delayed_loads -noexception
tt.fpu.bare.s - -bare -noexception
"
while read -r test input opts; do
    [ -n "$test" ] || continue
    if [ ! -f "$dir/$test" ]; then
        echo "FAIL: $dir/$test is missing"; fail=$((fail + 1)); continue
    fi
    stdin=/dev/null
    [ "$input" = - ] || stdin=$dir/$input
    ran=$((ran + 1))
    read -r -a o <<<"$opts"
    timeout 60 "$MYVMM" "${o[@]}" -file "$dir/$test" <"$stdin" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" = 0 ] && grep -q "Passed all tests" "$tmp/out"; then
        echo "ok   $test with $opts"
    else
        echo "FAIL $test with $opts: exit $rc, last lines:"
        tail -n 5 "$tmp/out" | sed 's/^/    /'
        grep -m 5 error "$tmp/err" | sed 's/^/    /'
        fail=$((fail + 1))
    fi
done <<<"$machine_cases"
echo "spim_tests: $ran runs, $fail failed"
[ "$fail" = 0 ]
