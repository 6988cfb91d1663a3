#!/usr/bin/env bash
# multi.sh -- the scale benchmark of the scheduler (make bench runs it from
# run.sh; alone: bash tests/bench/multi.sh).
#
#  1. 1,000 VMs of a small program run to completion in one myvmm.
#  2. Memory per idle VM: peak RSS of myvmm with 1,000 VMs of a program
#     that exits at once (every VM is built before any runs, so the peak
#     holds 1,000 idle VMs) minus the peak with 1 VM, divided by 999.
#     This counts everything myvmm keeps per VM: VM, decoded code, page
#     tables, touched pages, its copy of the image, console buffers.
#  3. Throughput: aggregate guest instructions per second of 8 VMs of a
#     compute loop with -j 1, -j 2 and -j N (N = cores) against one VM alone:
#     the instructions (counted once by --stats: "[sched] ...: N instructions")
#     over the wall time of runs without --stats (which tallies the mix).
# Env: BUILD (default build), MULTI_VMS (1000), MULTI_ITERS (loop size of
# the compute kernel, default 20000000 iterations = 60M instructions per VM),
# MULTI_RUNS (3: each throughput is the best of that many runs, as other
# work on the machine only ever slows a run down).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
MYVMM=${MYVMM:-$TOP/$BUILD/myvmm}
BABYASM=${BABYASM:-$TOP/$BUILD/babyasm}
NVMS=${MULTI_VMS:-1000}
ITERS=${MULTI_ITERS:-20000000}
[ -x "$MYVMM" ] && [ -x "$BABYASM" ] || { echo "multi.sh: build myvmm and babyasm first (make)" >&2; exit 1; }
B=$TOP/$BUILD/bench/multi
mkdir -p "$B"
cd "$B" || exit 1
NCPU=$(nproc)

cat >small.s <<'S'
# a small program: sum 1..1000, print it
	.text
main:	li	$t0, 1000
	li	$t1, 0
loop:	addu	$t1, $t1, $t0
	addiu	$t0, $t0, -1
	bne	$t0, $zero, loop
	move	$a0, $t1
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$v0, 10
	syscall
S
cat >idle.s <<'S'
	.text
main:	li	$v0, 10
	syscall
S
cat >compute.s <<S
	.text
main:	li	\$t0, $ITERS
loop:	addu	\$t1, \$t1, \$t0
	addiu	\$t0, \$t0, -1
	bne	\$t0, \$zero, loop
	li	\$v0, 10
	syscall
S
# one VM alone does the work of all 8, so both runs last as long
sed "s/li	\$t0, $ITERS\$/li	\$t0, $((ITERS * 8))/" compute.s >alone.s
for p in small idle compute alone; do
    "$BABYASM" $p.s -o $p.bin 2>$p.asm.err || { echo "babyasm $p.s failed: $(head -n 3 $p.asm.err)"; exit 1; }
done
many() { # program count -> "-v prog.bin" count times
    local i
    for ((i = 0; i < $2; i++)); do printf -- '-v\n%s\n' "$1"; done
}

echo "### 1. $NVMS VMs of a small program in one process"
mapfile -t args < <(many small.bin "$NVMS")
start=$(date +%s.%N)
/usr/bin/time -f '%M %e' -o small.time "$MYVMM" --stats "${args[@]}" </dev/null >small.out 2>small.err
rc=$?
end=$(date +%s.%N)
done_ok=$(grep -c '^vm[0-9]* | 500500$' small.out)
summ=$(grep -c '^myvmm: vm[0-9]*: exited (status 0)' small.err)
echo "exit status $rc; $done_ok of $NVMS VMs printed 500500; $summ summary lines 'exited (status 0)'"
sed -n 's/^\[sched\] /  /p' small.err | head -n 2
read -r kb secs <small.time
echo "  wall $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}') s, peak RSS $kb KiB"

echo
echo "### 2. memory per idle VM"
/usr/bin/time -f '%M' -o idle1.time "$MYVMM" -v idle.bin </dev/null >/dev/null 2>&1
mapfile -t args < <(many idle.bin "$NVMS")
/usr/bin/time -f '%M' -o idleN.time "$MYVMM" "${args[@]}" </dev/null >/dev/null 2>idleN.err
r1=$(tail -n 1 idle1.time)
rn=$(tail -n 1 idleN.time)
per=$(awk -v a="$r1" -v b="$rn" -v n="$NVMS" 'BEGIN{printf "%.1f", (b - a) / (n - 1)}')
echo "peak RSS: 1 VM $r1 KiB, $NVMS VMs $rn KiB -> $per KiB per idle VM (goal: under 64 KiB)"

echo
echo "### 3. aggregate throughput (8 VMs x $((ITERS * 3)) instructions)"
RUNS=${MULTI_RUNS:-3}
# best ARGS...: the best aggregate MIPS of RUNS runs of myvmm ARGS
best() {
    local r m b=0 n t0 t1
    n=$("$MYVMM" --stats "$@" </dev/null 2>&1 >/dev/null |
        sed -n 's/^\[sched\] .*: \([0-9]*\) instructions in .*/\1/p')
    for ((r = 0; r < RUNS; r++)); do
        t0=$(date +%s%N)
        "$MYVMM" "$@" </dev/null >/dev/null 2>&1
        t1=$(date +%s%N)
        m=$(awk -v n="${n:-0}" -v ns=$((t1 - t0)) 'BEGIN{printf "%.1f", n / ns * 1000}')
        b=$(awk -v a="$b" -v m="$m" 'BEGIN{print (m > a) ? m : a}')
    done
    echo "$b"
}
one=$(best -v alone.bin)
echo "one VM alone:  $one MIPS"
mapfile -t args < <(many compute.bin 8)
js="1 2"
[ "$NCPU" -gt 2 ] && js="$js $NCPU"
for j in $js; do
    m=$(best -j "$j" "${args[@]}")
    echo "8 VMs, -j $j:  $m MIPS aggregate = $(awk -v a="$m" -v b="$one" 'BEGIN{printf "%.2f", a / b}')x one VM"
done
echo "(machine: $NCPU cores; goal: 1.8x with -j 2 on 2 cores)"
