#!/usr/bin/env bash
# mmio.sh -- issue 16: what an MMIO exit costs (make bench runs it from
# run.sh; alone: bash tests/bench/mmio.sh).  Four loops of N iterations,
# each the same loop around one instruction:
#   ram      sw to a word of RAM (the fast path: the baseline)
#   console  sw to the console's transmitter data (an MMIO exit; the bytes
#            go to stdout, here /dev/null)
#   clock    lw of the rtc's time_lo (an MMIO exit that reads the clock)
#   syscall  syscall 11 print_char (an exit to the monitor and back)
# Per access: (loop time - ram loop time) / N, median of MMIO_RUNS runs
# taken in turns; with valgrind, host instructions per access (callgrind
# at N / 10, repeatable).  The target: an MMIO exit at most 150 ns.
# Env: MMIO_N (5000000), MMIO_RUNS (5), BUILD (build).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
MYVMM=${MYVMM:-$TOP/$BUILD/myvmm}
N=${MMIO_N:-5000000}
RUNS=${MMIO_RUNS:-5}
B=$TOP/$BUILD/bench/mmio
mkdir -p "$B"
. "$HERE/lib.sh"
[ -x "$MYVMM" ] || { echo "mmio.sh: $MYVMM not built (run make)" >&2; exit 1; }

# loop NAME N INSTRUCTION: a program running INSTRUCTION N times
loop() {
    cat >"$B/$1.s" <<S
        .data
word:   .word 0
        .text
main:   li   \$s0, 0xffff0000       # console +0x000, rtc +0x300
        la   \$s1, word
        li   \$a0, 'x'
        li   \$t1, 'x'
        li   \$t0, $2
loop:   $3
        addiu \$t0, \$t0, -1
        bnez \$t0, loop
        li   \$v0, 10
        syscall
S
    echo "$B/$1.s"
}
declare -A SRC=(
    [ram]=$(loop ram "$N" 'sw   $t1, 0($s1)')
    [console]=$(loop console "$N" 'sw   $t1, 12($s0)')
    [clock]=$(loop clock "$N" 'lw   $t2, 0x300($s0)')
    [syscall]=$(loop syscall "$N" "$(printf 'li   $v0, 11\n        syscall')")
)
declare -A T
for k in ram console clock syscall; do T[$k]=""; done
for ((i = 0; i < RUNS; i++)); do
    for k in ram console clock syscall; do T[$k]+="$(usecs "$MYVMM" -v "${SRC[$k]}") "; done
done
med() { printf '%s\n' $1 | median; }
base=$(med "${T[ram]}")
HAVE_VG=0
command -v valgrind >/dev/null 2>&1 && HAVE_VG=1
if [ $HAVE_VG = 1 ]; then
    NC=$((N / 10))
    declare -A CG
    for k in ram console clock syscall; do
        CG[$k]=$(hostins "$MYVMM" "$(loop "cg_$k" "$NC" "$(sed -n '/^loop:/,/addiu/p' "${SRC[$k]}" | sed -e '$d' -e 's/^loop:   //')")")
    done
fi
printf '| access | loop time (ms) | ns per access (minus the RAM loop) |%s\n' \
    "$([ $HAVE_VG = 1 ] && echo ' host instructions per access (callgrind) |')"
printf '|---|---|---|%s\n' "$([ $HAVE_VG = 1 ] && echo '---|')"
for k in ram console clock syscall; do
    t=$(med "${T[$k]}")
    ns=$(awk -v t="$t" -v b="$base" -v n="$N" 'BEGIN { printf "%.1f", (t - b) * 1000 / n }')
    [ "$k" = ram ] && ns="(baseline)"
    cg=""
    if [ $HAVE_VG = 1 ]; then
        cg=$(awk -v a="${CG[$k]}" -v b="${CG[ram]}" -v n="$NC" 'BEGIN { printf " %.0f |", (a - b) / n }')
        [ "$k" = ram ] && cg=" (baseline) |"
    fi
    printf '| %s | %.1f | %s |%s\n' "$k" "$(awk -v t="$t" 'BEGIN { print t / 1000 }')" "$ns" "$cg"
done
