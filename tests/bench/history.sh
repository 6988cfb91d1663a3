#!/usr/bin/env bash
# history.sh -- issue 21's time travel (not in CI; alone: bash
# tests/bench/history.sh).  The loop kernel (xorshift, HIST_SCALE times its
# size) under --qmp with history off (--history 0) and on (the default:
# a checkpoint every 4 M instructions, 64M), in turns, HIST_RUNS runs
# each: the median times side by side and their ratio (the goal: on runs
# at least 0.9x as fast).  Then, on a longer run, one `back` once the VM
# has run 100 M instructions, `goto` to random counts in the history
# kept (the goals: under 50 ms and 200 ms), and the ring's memory
# (`history`).  Env: HIST_SCALE (20), HIST_RUNS (5), BUILD (build).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
MYVMM=${MYVMM:-$TOP/$BUILD/myvmm}
RUNS=${HIST_RUNS:-5}
B=$TOP/$BUILD/bench/history
mkdir -p "$B/src"
. "$HERE/lib.sh"
[ -x "$MYVMM" ] || { echo "history.sh: $MYVMM not built (run make)" >&2; exit 1; }
k=xorshift
scale=${HIST_SCALE:-20}
src=$(make_src "$k" $(($(size_of "$(kfile "$k")") * scale)))
sock=$B/qmp.sock
rm -f "$sock"
CA=("$MYVMM" --qmp "unix:$sock" --history 0 -v "$src")
CB=("$MYVMM" --qmp "unix:$sock" -v "$src")
interleave
insns=$(guest_insns "$MYVMM" -v "$src")
printf '%-34s %10s\n' "run ($k x$scale, $insns instructions)" "median ms"
printf '%-34s %10.1f\n' "--qmp --history 0 (off)" "$(echo "$MA / 1000" | bc -l)"
printf '%-34s %10.1f\n' "--qmp (history on, 64M)" "$(echo "$MB / 1000" | bc -l)"
printf 'speed with history / without: %.3f (%d runs each, in turns)\n' \
    "$(echo "$MA / $MB" | bc -l)" "$RUNS"
# One back at 100 M instructions, gotos, the ring's size.
big=$(make_src "$k" $(($(size_of "$(kfile "$k")") * 100)))
rm -f "$sock"
"$MYVMM" --qmp "unix:$sock" -v "$big" >/dev/null &
pid=$!
python3 "$HERE/history_back.py" "$sock" 100000000 20
wait "$pid"
