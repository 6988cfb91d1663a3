#!/usr/bin/env bash
# versus.sh -- two myvmm builds side by side on the bench kernels, in one
# run: host instructions per guest instruction (callgrind: repeatable) and
# wall time (interleaved runs, median), so a change to the core can be
# shown to cost nothing.  Usage:
#   tests/bench/versus.sh OLD_MYVMM [NEW_MYVMM]     (NEW: build/myvmm)
# e.g. the previous main:  git worktree add /tmp/old <rev> && make -C /tmp/old
#                          tests/bench/versus.sh /tmp/old/build/myvmm
# Kernels: tests/bench/kernels (lib.sh).  Env: VS_KERNELS, VS_SCALE (wall-time size, x the spim-tier size; 50),
# VS_CG_SCALE (callgrind size; 2), VS_RUNS (5).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
OLD=${1:?usage: versus.sh OLD_MYVMM [NEW_MYVMM]}
NEW=${2:-$TOP/build/myvmm}
KERNELS=${VS_KERNELS:-fib sieve matmul sort crc32 xorshift syscall}
SCALE=${VS_SCALE:-50}
CG=${VS_CG_SCALE:-2}
RUNS=${VS_RUNS:-5}
B=$(mktemp -d)
trap 'rm -rf "$B"' EXIT
mkdir -p "$B/src"
. "$HERE/lib.sh"
command -v valgrind >/dev/null || { echo "versus.sh: valgrind is needed (apt-get install valgrind)"; exit 1; }

secs() { # binary source -> seconds of one run
    local t0 t1
    t0=$(date +%s%N)
    "$1" -v "$2" </dev/null >/dev/null 2>&1
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 ))"
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

printf '%-8s %14s %14s %8s   %10s %10s %7s\n' kernel "old insn/g" "new insn/g" "new/old" "old ms" "new ms" "new/old"
for k in $KERNELS; do
    f=$(kfile "$k")
    [ -n "$f" ] || { echo "$k: no source"; continue; }
    n=$(size_of "$f")
    small=$(make_src "$k" $((n * CG)))
    big=$(make_src "$k" $((n * SCALE)))
    g=$("$NEW" --stats -v "$small" </dev/null 2>&1 >/dev/null | sed -n 's/^\[vm1\] \([0-9]*\) instructions.*/\1/p')
    go=$("$OLD" --stats -v "$small" </dev/null 2>&1 >/dev/null | sed -n 's/^\[vm1\] \([0-9]*\) instructions.*/\1/p')
    [ "$g" = "$go" ] || echo "$k: the two builds ran $go and $g guest instructions"
    ho=$(hostins "$OLD" "$small")
    hn=$(hostins "$NEW" "$small")
    to=() tn=()
    for _ in $(seq "$RUNS"); do # interleaved, so drift hits both
        to+=("$(secs "$OLD" "$big")")
        tn+=("$(secs "$NEW" "$big")")
    done
    mo=$(printf '%s\n' "${to[@]}" | median)
    mn=$(printf '%s\n' "${tn[@]}" | median)
    awk -v k="$k" -v g="$g" -v ho="$ho" -v hn="$hn" -v mo="$mo" -v mn="$mn" 'BEGIN {
        printf "%-8s %14.3f %14.3f %8.3f   %10.1f %10.1f %7.3f\n", k, ho / g, hn / g, hn / ho,
               mo / 1000, mn / 1000, mn / mo }'
done
