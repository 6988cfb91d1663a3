#!/usr/bin/env bash
# os.sh -- issue 15: the bench kernels as a user process under the demo
# guest kernel, TLB on, against the same kernels run directly (make bench
# runs it from run.sh; alone: bash tests/bench/os.sh).
#   direct  myvmm -v K.s: main.s.in + kernels/K.s on the SPIM-style machine
#   os      myvmm --machine bare OSK.s: samples/os/kernel.s with the process
#           table os/procs.s.in (one process, entry `main`, text and data
#           mapped through the guest TLB) + the same K.s; the kernel takes
#           the timer every QUANTUM instructions (kernel.s), serves the
#           print and exit syscalls and powers off
# For each kernel: both print the same checksum; wall time (median of
# OS_RUNS interleaved runs at @size x OS_SCALE, the empty kernel's time
# subtracted), the guest instructions of each (--stats: the os column adds
# the kernel's own), the os run's guest exceptions, TLB refills and shadow
# flushes (--stats), and with valgrind the host instructions (callgrind at
# @size x OS_CG_SCALE, the empty kernel's count subtracted: repeatable).
# Env: OS_KERNELS (sieve xorshift fib), OS_SCALE (20), OS_CG_SCALE (2),
# OS_RUNS (5), BUILD (build).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
MYVMM=${MYVMM:-$TOP/$BUILD/myvmm}
KERNELS=${OS_KERNELS:-sieve xorshift fib}
SCALE=${OS_SCALE:-20}
CG=${OS_CG_SCALE:-2}
RUNS=${OS_RUNS:-5}
B=$TOP/$BUILD/bench/os
mkdir -p "$B/src"
. "$HERE/lib.sh"
[ -x "$MYVMM" ] || { echo "os.sh: $MYVMM not built (run make)" >&2; exit 1; }
HAVE_VG=0
command -v valgrind >/dev/null 2>&1 && HAVE_VG=1
[ $HAVE_VG = 1 ] || echo "# callgrind column skipped: valgrind is not installed (apt-get install valgrind)" >&2
quantum=$(sed -nE 's/^[[:space:]]*\.eqv[[:space:]]+QUANTUM[[:space:]]+([0-9]+).*/\1/p' "$TOP/samples/os/kernel.s")
# the checksum: the last line that is not the kernel's
checksum() { "$@" </dev/null 2>/dev/null | grep -v '^\[kernel\]' | tail -n 1; }
r3() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b <= 0) print "n/a"; else printf "%.3f", a / b }'; }

CA=("$MYVMM" -v "$(make_src empty 0)")
CB=("$MYVMM" --machine bare "$(make_os_src empty 0)")
interleave
e_direct=$MA e_os=$MB
if [ $HAVE_VG = 1 ]; then
    h_direct0=$(hostins_cmd "${CA[@]}")
    h_os0=$(hostins_cmd "${CB[@]}")
fi

echo "The demo kernel's timer quantum: QUANTUM = $quantum instructions (samples/os/kernel.s)."
echo "Sizes: wall @size x $SCALE, callgrind @size x $CG; wall: median of $RUNS interleaved runs, start-up (the empty kernel: direct $((e_direct / 1000)) ms, os $((e_os / 1000)) ms) subtracted."
echo
echo "| kernel | direct guest insns | os guest insns | direct ms | os ms | wall os/direct | callgrind os/direct | host insns/guest insn direct, os | os exceptions | TLB refills | shadow flushes | checksums |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for k in $KERNELS; do
    f=$(kfile "$k")
    [ -n "$f" ] || { echo "| $k | no kernels/$k.s |"; continue; }
    n=$(size_of "$f")
    CA=("$MYVMM" -v "$(make_src "$k" $((n * SCALE)))")
    CB=("$MYVMM" --machine bare "$(make_os_src "$k" $((n * SCALE)))")
    want=$(checksum "${CA[@]}")
    got=$(checksum "${CB[@]}")
    if [ -n "$want" ] && [ "$want" = "$got" ]; then chk="same ($want)"; else chk="DIFFER: direct '$want', os '$got'"; fi
    ga=$(guest_insns "${CA[@]}")
    stats=$("$MYVMM" --stats "${CB[@]:1}" </dev/null 2>&1 >/dev/null)
    gb=$(echo "$stats" | sed -nE 's/^\[vm1\] ([0-9]+) instructions in .*/\1/p')
    exc=$(echo "$stats" | sed -nE 's/^\[vm1\] guest exceptions: ([0-9]+).*/\1/p')
    refills=$(echo "$stats" | sed -nE 's/^\[vm1\] tlb: ([0-9]+) refills.*/\1/p')
    flushes=$(echo "$stats" | sed -nE 's/^\[vm1\] tlb: .*, ([0-9]+) shadow flushes.*/\1/p')
    interleave
    wa=$((MA - e_direct)) wb=$((MB - e_os))
    cg=n/a per=n/a
    if [ $HAVE_VG = 1 ]; then
        sa=$(make_src "$k" $((n * CG)))
        sb=$(make_os_src "$k" $((n * CG)))
        ha=$(hostins_cmd "$MYVMM" -v "$sa")
        hb=$(hostins_cmd "$MYVMM" --machine bare "$sb")
        cga=$(guest_insns "$MYVMM" -v "$sa")
        cgb=$(guest_insns "$MYVMM" --machine bare "$sb")
        if [ -n "$ha" ] && [ -n "$hb" ] && [ -n "$cga" ] && [ -n "$cgb" ]; then
            cg=$(r3 $((hb - h_os0)) $((ha - h_direct0)))
            per="$(r3 $((ha - h_direct0)) "$cga"), $(r3 $((hb - h_os0)) "$cgb")"
        fi
    fi
    echo "| $k | $ga | $gb | $((MA / 1000)) | $((MB / 1000)) | $(r3 $wb $wa) | $cg | $per | $exc | $refills | $flushes | $chk |"
done
