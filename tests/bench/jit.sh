#!/usr/bin/env bash
# jit.sh -- the translation tier against the interpreter on the bench
# kernels, one build, in one run: host instructions per guest instruction
# (callgrind: repeatable; start-up and translation included) and wall time
# (interleaved runs, median), `myvmm --no-jit` vs `myvmm --jit` (the
# default threshold), with the share of guest instructions the tier ran.
# Usage: tests/bench/jit.sh [MYVMM]   (default build/myvmm)
# Env: JIT_KERNELS, JIT_SCALE (wall-time size, x the spim-tier size; 50),
# JIT_CG_SCALE (callgrind size; 2), JIT_RUNS (5).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
MYVMM=${1:-$TOP/build/myvmm}
KERNELS=${JIT_KERNELS:-fib sieve matmul sort crc32 xorshift syscall}
SCALE=${JIT_SCALE:-50}
CG=${JIT_CG_SCALE:-2}
RUNS=${JIT_RUNS:-5}
B=$(mktemp -d)
trap 'rm -rf "$B"' EXIT
mkdir -p "$B/src"
. "$HERE/lib.sh"
command -v valgrind >/dev/null || { echo "jit.sh: valgrind is needed (apt-get install valgrind)"; exit 1; }

printf '| kernel | guest insns | host/guest --no-jit | host/guest --jit | --jit/--no-jit | ms --no-jit | ms --jit | --jit/--no-jit | translated |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for k in $KERNELS; do
    f=$(kfile "$k")
    [ -n "$f" ] || { echo "$k: no source"; continue; }
    n=$(size_of "$f")
    small=$(make_src "$k" $((n * CG)))
    big=$(make_src "$k" $((n * SCALE)))
    g=$(guest_insns "$MYVMM" --no-jit -v "$small")
    share=$("$MYVMM" --jit --stats -v "$small" </dev/null 2>&1 >/dev/null |
        sed -nE 's/^\[vm1\] jit:.*\(([0-9.]+%)\)$/\1/p')
    hi=$(hostins_cmd "$MYVMM" --no-jit -v "$small")
    hj=$(hostins_cmd "$MYVMM" --jit -v "$small")
    CA=("$MYVMM" --no-jit -v "$big")
    CB=("$MYVMM" --jit -v "$big")
    interleave
    awk -v k="$k" -v g="$g" -v hi="$hi" -v hj="$hj" -v mi="$MA" -v mj="$MB" -v s="${share:-n/a}" 'BEGIN {
        printf "| %s | %d | %.2f | %.2f | %.3f | %.1f | %.1f | %.3f | %s |\n", k, g, hi / g, hj / g,
               hj / hi, mi / 1000, mj / 1000, mj / mi, s }'
done
