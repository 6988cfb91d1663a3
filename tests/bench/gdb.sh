#!/usr/bin/env bash
# gdb.sh -- issue 17: a VM with the gdb stub attached but idle runs at the
# speed of one without (make bench runs it from run.sh; alone: bash
# tests/bench/gdb.sh).  For each kernel, side by side in one run (median
# of GDB_RUNS interleaved runs at @size x GDB_SCALE):
#   plain     myvmm -v K.s
#   listening myvmm --gdb tcp:127.0.0.1:0 -v K.s (no client)
#   attached  a client connected and continuing (gdb_attached.py: from its
#             continue to the exit reply, so without the start-up)
# The start-up (the empty kernel's time) is subtracted from the first two.
# Env: GDB_KERNELS (fib sieve matmul), GDB_SCALE (20), GDB_RUNS (5), BUILD.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
MYVMM=${MYVMM:-$TOP/$BUILD/myvmm}
KERNELS=${GDB_KERNELS:-fib sieve matmul}
SCALE=${GDB_SCALE:-20}
RUNS=${GDB_RUNS:-5}
B=$TOP/$BUILD/bench/gdb
mkdir -p "$B/src"
. "$HERE/lib.sh"
[ -x "$MYVMM" ] || { echo "gdb.sh: $MYVMM not built (run make)" >&2; exit 1; }
r3() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "n/a"; else printf "%.3f", a / b }'; }

e=$(make_src empty 0)
CA=("$MYVMM" -v "$e")
CB=("$MYVMM" --gdb tcp:127.0.0.1:0 -v "$e")
interleave
e_plain=$MA e_listen=$MB
echo "Wall time, median of $RUNS interleaved runs at @size x $SCALE; start-up (plain $((e_plain / 1000)) ms, listening $((e_listen / 1000)) ms) subtracted."
echo
echo "| kernel | plain ms | listening ms | attached ms | listening/plain | attached/plain |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for k in $KERNELS; do
    f=$(kfile "$k")
    [ -n "$f" ] || { echo "| $k | no kernels/$k.s |"; continue; }
    src=$(make_src "$k" $(($(size_of "$f") * SCALE)))
    ta=() tb=() tc=()
    for ((i = 0; i < RUNS; i++)); do
        ta+=("$(usecs "$MYVMM" -v "$src")")
        tb+=("$(usecs "$MYVMM" --gdb tcp:127.0.0.1:0 -v "$src")")
        tc+=("$(python3 "$HERE/gdb_attached.py" "$MYVMM" "$src")")
    done
    pa=$(($(printf '%s\n' "${ta[@]}" | median) - e_plain))
    pb=$(($(printf '%s\n' "${tb[@]}" | median) - e_listen))
    pc=$(printf '%s\n' "${tc[@]}" | median)
    echo "| $k | $((pa / 1000)) | $((pb / 1000)) | $((pc / 1000)) | $(r3 "$pb" "$pa") | $(r3 "$pc" "$pa") |"
done
