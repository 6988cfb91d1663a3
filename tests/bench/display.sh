#!/usr/bin/env bash
# display.sh -- issue 16: a guest that does not draw runs as fast with the
# bitmap display on as off (make bench runs it from run.sh; alone: bash
# tests/bench/display.sh).  For each kernel, side by side in one run:
#   off    myvmm -v K.s
#   png    myvmm --display png:K.png -v K.cfg        (the picture at the end)
#   term   myvmm --display term -v K.cfg on a pseudo-terminal of 200 x 60
#          (tests/e2e/display/ptyout.py), against `off` on the same
#          terminal: the 30-a-second refresh asks the write watch, which
#          finds nothing written after the first frame
# K.cfg runs K.s with a display of MARS's default size at 0x10040000 (the
# heap base, which the kernels do not touch: the default 0x10010000 is
# their .data, and a kernel storing there draws).
# Wall time: median of DISPLAY_RUNS interleaved runs at @size x
# DISPLAY_SCALE; host instructions: callgrind at @size x DISPLAY_CG_SCALE
# (repeatable: the measure to trust on a shared machine).  Wall times have
# the empty kernel's subtracted; callgrind's ratio is of the counts' growth
# from @size x DISPLAY_CG_SCALE to twice that, what each further guest
# instruction costs, without start-up and the display's fixed costs (one
# PNG, or the first and last frames, of 512 x 256 units: 512 KiB read
# and encoded once each).
# Env: DISPLAY_KERNELS (sieve xorshift), DISPLAY_SCALE (20),
# DISPLAY_CG_SCALE (2), DISPLAY_RUNS (5), BUILD (build).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
MYVMM=${MYVMM:-$TOP/$BUILD/myvmm}
KERNELS=${DISPLAY_KERNELS:-sieve xorshift}
SCALE=${DISPLAY_SCALE:-20}
CG=${DISPLAY_CG_SCALE:-2}
RUNS=${DISPLAY_RUNS:-5}
PTY=$TOP/tests/e2e/display/ptyout.py
B=$TOP/$BUILD/bench/display
mkdir -p "$B/src"
. "$HERE/lib.sh"
[ -x "$MYVMM" ] || { echo "display.sh: $MYVMM not built (run make)" >&2; exit 1; }
HAVE_VG=0
command -v valgrind >/dev/null 2>&1 && HAVE_VG=1
[ $HAVE_VG = 1 ] || echo "# callgrind columns skipped: valgrind is not installed (apt-get install valgrind)" >&2
r3() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b <= 0) print "n/a"; else printf "%.3f", a / b }'; }
# callgrind's count of a command run on the pseudo-terminal
hostins_pty() {
    python3 "$PTY" /dev/null 200 60 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 |
        sed -n 's/^==[0-9]*== Collected : \([0-9]*\).*/\1/p'
}

# cfg SRC -> SRC with the display at 0x10040000
cfg() {
    printf 'vm_binary = %s\nvm_display_base = 0x10040000\n' "$1" >"$1.cfg"
    echo "$1.cfg"
}
CA=("$MYVMM" -v "$(make_src empty 0)")
CB=("$MYVMM" --display png:"$B/empty.png" -v "$(cfg "$(make_src empty 0)")")
interleave
e_off=$MA e_png=$MB
CA=(python3 "$PTY" /dev/null 200 60 "$MYVMM" -v "$(make_src empty 0)")
CB=(python3 "$PTY" /dev/null 200 60 "$MYVMM" --display term -v "$(cfg "$(make_src empty 0)")")
interleave
e_offp=$MA e_term=$MB

echo "Sizes: wall @size x $SCALE (median of $RUNS interleaved runs), callgrind @size x $CG; the guest draws nothing; term runs on a 200 x 60 pseudo-terminal, and so does its 'off'.  Subtracted from the wall times, the empty kernel's: off $((e_off / 1000)) ms, png $((e_png / 1000)) ms, off on pty $((e_offp / 1000)) ms, term $((e_term / 1000)) ms.  Callgrind: the growth from @size x $CG to x $((2 * CG)), per guest instruction."
echo
echo "| kernel | guest insns | off ms | png ms | wall png/off | off on pty ms | term ms | wall term/off | host insns/guest insn off, png, off on pty, term | callgrind png/off | callgrind term/off |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for k in $KERNELS; do
    f=$(kfile "$k")
    [ -n "$f" ] || { echo "| $k | no kernels/$k.s |"; continue; }
    n=$(size_of "$f")
    src=$(make_src "$k" $((n * SCALE)))
    g=$(guest_insns "$MYVMM" -v "$src")
    CA=("$MYVMM" -v "$src")
    CB=("$MYVMM" --display png:"$B/$k.png" -v "$(cfg "$src")")
    interleave
    off=$((MA - e_off)) png=$((MB - e_png))
    CA=(python3 "$PTY" /dev/null 200 60 "$MYVMM" -v "$src")
    CB=(python3 "$PTY" /dev/null 200 60 "$MYVMM" --display term -v "$(cfg "$src")")
    interleave
    offp=$((MA - e_offp)) term=$((MB - e_term))
    cgp=n/a cgt=n/a per=n/a
    if [ $HAVE_VG = 1 ]; then
        s1=$(make_src "$k" $((n * CG))) s2=$(make_src "$k" $((2 * n * CG)))
        g1=$(guest_insns "$MYVMM" -v "$s1") g2=$(guest_insns "$MYVMM" -v "$s2")
        d_off=$(($(hostins_cmd "$MYVMM" -v "$s2") - $(hostins_cmd "$MYVMM" -v "$s1")))
        d_png=$(($(hostins_cmd "$MYVMM" --display png:"$B/$k.png" -v "$(cfg "$s2")") -
                 $(hostins_cmd "$MYVMM" --display png:"$B/$k.png" -v "$(cfg "$s1")")))
        d_offp=$(($(hostins_pty "$MYVMM" -v "$s2") - $(hostins_pty "$MYVMM" -v "$s1")))
        d_term=$(($(hostins_pty "$MYVMM" --display term -v "$(cfg "$s2")") -
                  $(hostins_pty "$MYVMM" --display term -v "$(cfg "$s1")")))
        per="$(r3 $d_off $((g2 - g1))), $(r3 $d_png $((g2 - g1))), $(r3 $d_offp $((g2 - g1))), $(r3 $d_term $((g2 - g1)))"
        cgp=$(r3 "$d_png" "$d_off")
        cgt=$(r3 "$d_term" "$d_offp")
    fi
    echo "| $k | $g | $((off / 1000)) | $((png / 1000)) | $(r3 "$png" "$off") | $((offp / 1000)) | $((term / 1000)) | $(r3 "$term" "$offp") | $per | $cgp | $cgt |"
done
