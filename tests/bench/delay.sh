#!/usr/bin/env bash
# delay.sh -- issue 15: the bench kernels with branch delay slots against
# the same kernels without (make bench runs it from run.sh; alone: bash
# tests/bench/delay.sh).
#   plain    myvmm -v K.s: main.s.in + kernels/K.s
#   delayed  myvmm -delayed_branches -v DK.s: main_delayed.s.in +
#            kernels/delayed/K.s, the same algorithm with every slot filled
#            as a compiler fills it (same checksum)
# For each kernel with a delayed version: both print the same checksum;
# wall time (median of DELAY_RUNS interleaved runs at @size x DELAY_SCALE,
# the empty kernel's time subtracted), the guest instructions of each
# (--stats), and with valgrind the host instructions (callgrind at @size x
# DELAY_CG_SCALE, the empty kernel's count subtracted: repeatable), in
# total and per guest instruction.
# Env: DELAY_KERNELS (every kernels/delayed/*.s), DELAY_SCALE (20),
# DELAY_CG_SCALE (2), DELAY_RUNS (5), BUILD (build).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
MYVMM=${MYVMM:-$TOP/$BUILD/myvmm}
KERNELS=${DELAY_KERNELS:-$(cd "$HERE/kernels/delayed" && ls -- *.s | sed 's/\.s$//' | tr '\n' ' ')}
SCALE=${DELAY_SCALE:-20}
CG=${DELAY_CG_SCALE:-2}
RUNS=${DELAY_RUNS:-5}
B=$TOP/$BUILD/bench/delay
mkdir -p "$B/src"
. "$HERE/lib.sh"
[ -x "$MYVMM" ] || { echo "delay.sh: $MYVMM not built (run make)" >&2; exit 1; }
HAVE_VG=0
command -v valgrind >/dev/null 2>&1 && HAVE_VG=1
[ $HAVE_VG = 1 ] || echo "# callgrind columns skipped: valgrind is not installed (apt-get install valgrind)" >&2
r3() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b <= 0) print "n/a"; else printf "%.3f", a / b }'; }
last() { "$@" </dev/null 2>/dev/null | tail -n 1; }

CA=("$MYVMM" -v "$(make_src empty 0)")
CB=("$MYVMM" -delayed_branches -v "$(make_delayed_src empty 0)")
interleave
e_plain=$MA e_delayed=$MB
if [ $HAVE_VG = 1 ]; then
    h_plain0=$(hostins_cmd "${CA[@]}")
    h_delayed0=$(hostins_cmd "${CB[@]}")
fi

echo "Sizes: wall @size x $SCALE, callgrind @size x $CG; wall: median of $RUNS interleaved runs, start-up (the empty kernel: plain $((e_plain / 1000)) ms, delayed $((e_delayed / 1000)) ms) subtracted."
echo
echo "| kernel | plain guest insns | delayed guest insns | plain ms | delayed ms | wall delayed/plain | callgrind delayed/plain | host insns/guest insn plain, delayed | checksums |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for k in $KERNELS; do
    f=$(kfile "$k")
    [ -n "$f" ] && [ -n "$(make_delayed_src "$k" 1)" ] || { echo "| $k | no kernels/$k.s or kernels/delayed/$k.s |"; continue; }
    n=$(size_of "$f")
    CA=("$MYVMM" -v "$(make_src "$k" $((n * SCALE)))")
    CB=("$MYVMM" -delayed_branches -v "$(make_delayed_src "$k" $((n * SCALE)))")
    want=$(last "${CA[@]}")
    got=$(last "${CB[@]}")
    if [ -n "$want" ] && [ "$want" = "$got" ]; then chk="same ($want)"; else chk="DIFFER: plain '$want', delayed '$got'"; fi
    ga=$(guest_insns "${CA[@]}")
    gb=$(guest_insns "${CB[@]}")
    interleave
    cg=n/a per=n/a
    if [ $HAVE_VG = 1 ]; then
        sa=$(make_src "$k" $((n * CG)))
        sb=$(make_delayed_src "$k" $((n * CG)))
        ha=$(hostins_cmd "$MYVMM" -v "$sa")
        hb=$(hostins_cmd "$MYVMM" -delayed_branches -v "$sb")
        cga=$(guest_insns "$MYVMM" -v "$sa")
        cgb=$(guest_insns "$MYVMM" -delayed_branches -v "$sb")
        if [ -n "$ha" ] && [ -n "$hb" ] && [ -n "$cga" ] && [ -n "$cgb" ]; then
            cg=$(r3 $((hb - h_delayed0)) $((ha - h_plain0)))
            per="$(r3 $((ha - h_plain0)) "$cga"), $(r3 $((hb - h_delayed0)) "$cgb")"
        fi
    fi
    echo "| $k | $ga | $gb | $((MA / 1000)) | $((MB / 1000)) | $(r3 $((MB - e_delayed)) $((MA - e_plain))) | $cg | $per | $chk |"
done
