#!/usr/bin/env bash
# superinsn.sh -- what each family of superinstructions buys
# (docs/performance.md): callgrind host instructions per guest instruction
# (repeatable, unlike wall time on a shared machine) on the six bench
# kernels (tests/bench/kernels), for the build as declared in vm/core/superinsn.def and for one
# build per family with that family left out (and so the families built on
# it: triples and quads end in a fused pair), each built with
# `make SUPER_WITHOUT=<family> BUILD=build/super/no-<family>`.
#   tests/bench/superinsn.sh [family ...]    default: every family of the .def
# Sizes as run.sh's callgrind table: 10x the spim-tier size; the empty
# kernel's count (start-up, assembling) is subtracted.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
KERNELS="fib sieve matmul sort crc32 xorshift"
DEF=vm/core/superinsn.def
B=$TOP/build/super
mkdir -p "$B/src"
cd "$TOP" || exit 1
. "$HERE/lib.sh"
command -v valgrind >/dev/null || { echo "superinsn.sh: needs valgrind" >&2; exit 1; }

families=${*:-$(sed -nE 's/^super ([a-z0-9_]+) =.*/\1/p' "$DEF")}
make -s -j2 build/myvmm || exit 1
bins="all=$TOP/build/myvmm"
for f in $families; do
    echo "# building without $f" >&2
    make -s -j2 SUPER_WITHOUT="$f" BUILD=build/super/no-$f build/super/no-$f/myvmm >&2 || exit 1
    bins="$bins no-$f=$TOP/build/super/no-$f/myvmm"
done

declare -A H
for b in $bins; do H[${b%%=*},empty]=$(hostins "${b#*=}" "$(make_src empty 0)"); done
printf '| kernel | guest insns |'
for b in $bins; do printf ' %s |' "${b%%=*}"; done
printf '\n| --- | ---: |'
for b in $bins; do printf ' ---: |'; done
echo
for k in $KERNELS; do
    n=$((($(size_of "$(kfile "$k")") + 9) / 10 * 10))
    src=$(make_src "$k" "$n")
    g=$("$TOP/build/myvmm" --stats -v "$src" 2>&1 >/dev/null </dev/null |
        sed -nE 's/^\[vm1\] ([0-9]+) instructions in .*/\1/p')
    printf '| %s | %s |' "$k" "$g"
    for b in $bins; do
        l=${b%%=*}
        h=$(hostins "${b#*=}" "$src")
        H[$l,$k]=$h
        if [ "$l" = all ]; then
            awk -v h="$h" -v e="${H[$l,empty]}" -v g="$g" 'BEGIN { printf " %.3f |", (h - e) / g }'
        else # per guest insn, and how much more than with every family
            awk -v h="$h" -v e="${H[$l,empty]}" -v a="${H[all,$k]}" -v ae="${H[all,empty]}" -v g="$g" \
                'BEGIN { printf " %.3f (%+.1f %%) |", (h - e) / g, 100 * ((h - e) / (a - ae) - 1) }'
        fi
    done
    echo
done
