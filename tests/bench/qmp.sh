#!/usr/bin/env bash
# qmp.sh -- issue 17: a VM with the QMP socket attached but idle runs as
# fast as without it (make bench runs it from run.sh; alone: bash
# tests/bench/qmp.sh).  The same kernel (fib at QMP_SCALE times its size)
# run by `myvmm -v K.s` and by `myvmm --qmp unix:S -v K.s` (no client: the
# server thread sleeps in poll, the VMs' control is on), in turns,
# QMP_RUNS runs each; the median times side by side and their ratio.
# With --qmp the VMs never block a host thread on input and the scheduler
# asks the control before and after each slice: that is what is measured.
# With valgrind, the host instructions of both (callgrind), at the
# kernel's own size.  Env: QMP_SCALE (50), QMP_RUNS (7), BUILD (build).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
MYVMM=${MYVMM:-$TOP/$BUILD/myvmm}
RUNS=${QMP_RUNS:-7}
B=$TOP/$BUILD/bench/qmp
mkdir -p "$B/src"
. "$HERE/lib.sh"
[ -x "$MYVMM" ] || { echo "qmp.sh: $MYVMM not built (run make)" >&2; exit 1; }
k=fib
src=$(make_src "$k" $(($(size_of "$(kfile "$k")") * ${QMP_SCALE:-50})))
sock=$B/qmp.sock
CA=("$MYVMM" -v "$src")
CB=("$MYVMM" --qmp "unix:$sock" -v "$src")
interleave
printf '%-28s %10s\n' "run ($k x${QMP_SCALE:-50})" "median ms"
printf '%-28s %10.1f\n' "myvmm" "$(echo "$MA / 1000" | bc -l)"
printf '%-28s %10.1f\n' "myvmm --qmp (idle socket)" "$(echo "$MB / 1000" | bc -l)"
printf 'ratio --qmp / without: %.3f (%d runs each, in turns)\n' "$(echo "$MB / $MA" | bc -l)" "$RUNS"
# Host instructions (callgrind, every thread: repeatable where times on a
# shared machine are not), at the kernel's own size.
if command -v valgrind >/dev/null 2>&1; then
    small=$(make_src "$k" "$(size_of "$(kfile "$k")")")
    ia=$(hostins_cmd "$MYVMM" -v "$small")
    ib=$(hostins_cmd "$MYVMM" --qmp "unix:$sock" -v "$small")
    printf 'host instructions (callgrind, %s x1): %s without, %s with --qmp: ratio %.4f\n' \
        "$k" "$ia" "$ib" "$(echo "$ib / $ia" | bc -l)"
else
    echo "host instructions: n/a (valgrind not installed)"
fi
