#!/usr/bin/env bash
# snapshot_determinism.sh -- run-to-snapshot then restore-and-finish prints
# exactly what one uninterrupted run prints, and ends in the same machine
# state (--final-hash: registers, HI/LO, PC, instruction count, memory).
#
# For each program (tests/spim, tests/mars and samples: several read input,
# one counts traps in a guest exception handler, one ends in a fault, one
# uses the MARS clock and random syscalls), at
# SNAP_POINTS random instruction counts K (default 6) in [1, N) where N is
# the program's full length: run with --max-instructions K
# --snapshot-on-exit, restore with -s (orders and forms rotate: -v P -s S,
# -s S -v P, -s S alone from the embedded image, compressed or not) and
# compare stdout (first part + second part == whole), the final hash and
# the exit status.  SNAP_SEED fixes the random points.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
RANDOM=${SNAP_SEED:-$$}
echo "seed $RANDOM (SNAP_SEED)"
points=${SNAP_POINTS:-6}
zstd=0
"$MYVMM" --snapshot-compress --snapshot-info /dev/null 2>&1 | grep -q 'without zstd' || zstd=1
fail=0 checked=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

progs="tests/spim/hanoi.s tests/spim/bubble_sort.s tests/spim/read_mixed.s
tests/spim/read_string.s tests/spim/read_int.s tests/spim/syscalls.s tests/spim/memory.s
tests/spim/ktext_handler.s tests/spim/overflow_stops.s tests/spim/llsc.s tests/mars/mars_syscalls.asm
tests/spim/fp_ops.s tests/spim/fp_read.s tests/spim/fp_mips.s
samples/recursion.s samples/linked_list.s samples/strings.s samples/echo_input.s"
form=0
for p in $progs; do
    [ -f "$TOP/$p" ] || { echo "skip $p (missing)"; continue; }
    name=$(basename "${p%.*}")
    in=/dev/null
    [ -f "$TOP/${p%.*}.in" ] && in="$TOP/${p%.*}.in"
    [ "$name" = echo_input ] && { printf '2\nfirst\nsecond\nthe rest\nof it\n' >"$tmp/echo.in"; in="$tmp/echo.in"; }
    # the whole run, and its length from a final snapshot
    "$MYVMM" --final-hash --snapshot-on-exit "$tmp/end.bin" -v "$TOP/$p" <"$in" >"$tmp/full" 2>"$tmp/full.err"
    full_rc=$?
    full_hash=$(grep -o 'final-hash 0x[0-9a-f]*' "$tmp/full.err")
    n=$("$MYVMM" --snapshot-info "$tmp/end.bin" | sed -n 's/^instructions: //p')
    if [ -z "$full_hash" ] || [ -z "$n" ] || [ "$n" -lt 2 ]; then
        bad "$name: the whole run gave no hash or length (rc $full_rc): $(head -c 300 "$tmp/full.err")"
        continue
    fi
    for _ in $(seq "$points"); do
        k=$(( (RANDOM * 32768 + RANDOM) % (n - 1) + 1 ))
        comp=""
        [ $zstd = 1 ] && [ $((form % 2)) = 1 ] && comp=--snapshot-compress
        rm -f "$tmp/s.bin"
        "$MYVMM" --max-instructions "$k" $comp --snapshot-on-exit "$tmp/s.bin" -v "$TOP/$p" \
            <"$in" >"$tmp/a" 2>"$tmp/a.err"
        [ -s "$tmp/s.bin" ] || { bad "$name@$k: no snapshot written: $(head -c 300 "$tmp/a.err")"; continue; }
        case $((form % 3)) in
        0) set -- -v "$TOP/$p" -s "$tmp/s.bin";;
        1) set -- -s "$tmp/s.bin" -v "$TOP/$p";;
        2) set -- -s "$tmp/s.bin";;
        esac
        form=$((form + 1))
        "$MYVMM" --final-hash "$@" <"$in" >"$tmp/b" 2>"$tmp/b.err"
        rc=$?
        cat "$tmp/a" "$tmp/b" >"$tmp/ab"
        checked=$((checked + 1))
        if ! cmp -s "$tmp/full" "$tmp/ab"; then
            bad "$name@$k ($*): output differs"
            diff "$tmp/full" "$tmp/ab" | head -n 6
            continue
        fi
        hash=$(grep -o 'final-hash 0x[0-9a-f]*' "$tmp/b.err")
        [ "$hash" = "$full_hash" ] || bad "$name@$k: final state $hash, whole run $full_hash"
        [ $rc = $full_rc ] || bad "$name@$k: exit status $rc, whole run $full_rc: $(head -c 300 "$tmp/b.err")"
    done
done
echo "snapshot_determinism: $checked restores checked, $fail failures"
[ $checked -gt 0 ] && [ $fail -eq 0 ]
