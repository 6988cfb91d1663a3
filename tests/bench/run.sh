#!/usr/bin/env bash
# run.sh -- baby_hypervisor benchmarks (`make bench` runs it after `make`).
#
# Everything it runs is in this folder: seven kernels, each twice, as MIPS
# assembly (kernels/K.s, run under main.s.in) and as the same
# algorithm in C (c/K.c), all printing the same checksum:
#   fib sieve matmul sort crc32 xorshift: integer work (calls, byte and
#           word memory, multiplies, branches, shifts, the tightest loop)
#   syscall: two guest exits per iteration (console output)
# One run, side by side, for each kernel:
#   myvmm    build/myvmm (computed-goto dispatch), `myvmm -v K.s`
#   switch   build/switch/myvmm (`make DISPATCH=switch`, built here)
#   qemu     qemu-mipsel (TCG JIT) running c/K.c built by mipsel-linux-gnu-gcc
#            -O2 -static
#   native   c/K.c, gcc -O2
#   spim     spim 8.0 at a smaller size (it is ~1000x slower), scaled per rep
# then the start-up cost (`myvmm -v hello.s` vs qemu-mipsel vs spim), the
# assembler's speed on a generated 100,000-line program, and the snapshot,
# many-VM, guest-kernel, delay-slot, MMIO, display, migration and disk
# benchmarks (snapshot.sh, multi.sh, os.sh, delay.sh, mmio.sh, display.sh,
# migrate.sh, disk.sh, net.sh, gdb.sh, qmp.sh).
# With valgrind, the dispatch comparison also counts host instructions per
# guest instruction (callgrind: repeatable where wall times on a shared
# machine are not).  A system that is not installed (`make bench` installs
# them: .ci/install-deps bench) gets n/a, and a line saying why.
#
# Each kernel file has a `# @size` word (about 2 million guest instructions,
# 2-3 s on spim); sizes here:
#   spim:   @size / SPIM_DIV          (default SPIM_DIV=10)
#   myvmm, switch, qemu: @size * BENCH_SCALE  (default BENCH_SCALE=100)
#   native: @size * BENCH_SCALE * NATIVE_MULT (default 10: long enough to time)
# Times are medians of BENCH_RUNS runs (default 3; hyperfine when installed,
# else a loop).  Each system's start-up cost (the empty kernel) is subtracted
# and times are divided by the size, so ratios compare work per repetition.
# ns per guest instruction: that time per repetition over the guest
# instructions myvmm runs per repetition of the assembly kernel (`myvmm
# --stats`), for every system: the same work, in one unit.  They go to
# $BUILD/bench/kernels.csv, and chart.py draws them as
# $BUILD/bench/chart.svg.  Every system's checksum is checked against native
# -O2 at the same size.  Env: BENCH_SCALE, BENCH_RUNS, SPIM_DIV,
# NATIVE_MULT, BENCH_KERNELS, BUILD (default build).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
SCALE=${BENCH_SCALE:-100}
RUNS=${BENCH_RUNS:-3}
SPIM_DIV=${SPIM_DIV:-10}
NATIVE_MULT=${NATIVE_MULT:-10}
MYVMM=${MYVMM:-$TOP/$BUILD/myvmm}
SWITCH=$TOP/$BUILD/switch/myvmm
BABYASM=$TOP/$BUILD/babyasm
B=$TOP/$BUILD/bench
mkdir -p "$B/src" "$B/res"
cd "$TOP" || exit 1
. "$HERE/lib.sh"
KERNELS=${BENCH_KERNELS:-$BENCH_KERNELS_ALL}

have() { command -v "$1" >/dev/null 2>&1; }
note() { echo "# $*" >&2; }

[ -x "$MYVMM" ] || { echo "run.sh: $MYVMM not built (run make)" >&2; exit 1; }
note "building the switch core (make DISPATCH=switch)"
make -s DISPATCH=switch "$BUILD/switch/myvmm" >"$B/res/switch-build.log" 2>&1 ||
    make -s DISPATCH=switch >>"$B/res/switch-build.log" 2>&1 || true
[ -x "$SWITCH" ] || note "switch column skipped: the build failed (see $B/res/switch-build.log)"
HAVE_QEMU=0
if ! have qemu-mipsel; then
    note "qemu column skipped: qemu-mipsel is not installed (apt-get install qemu-user)"
elif ! have mipsel-linux-gnu-gcc; then
    note "qemu column skipped: mipsel-linux-gnu-gcc is not installed (apt-get install gcc-mipsel-linux-gnu libc6-dev-mipsel-cross)"
elif ! printf '#include <stdio.h>\nint main(void) { puts("0"); return 0; }\n' >"$B/src/empty.c" ||
    ! mipsel-linux-gnu-gcc -O2 -static -o "$B/qemu-empty" "$B/src/empty.c" 2>"$B/res/qemu-build.err"; then
    note "qemu column skipped: mipsel-linux-gnu-gcc cannot build a static program ($(head -n 1 "$B/res/qemu-build.err"); apt-get install libc6-dev-mipsel-cross)"
else
    HAVE_QEMU=1
fi
HAVE_SPIM=0
if have spim; then HAVE_SPIM=1; else note "spim column skipped: spim is not installed (apt-get install spim)"; fi
HAVE_HF=0
have hyperfine && HAVE_HF=1
printf '#include <stdio.h>\nint main(void) { puts("0"); return 0; }\n' >"$B/src/empty.c"
gcc -O2 -o "$B/native-empty" "$B/src/empty.c"

# ---------------------------------------------------------------- timing
# tmed NAME CMD...: median wall seconds of RUNS runs, stdout to /dev/null; FAIL on error
tmed() {
    local name=$1
    shift
    if [ $HAVE_HF = 1 ]; then
        local q
        q=$(printf '%q ' "$@")
        if hyperfine -N --style none -r "$RUNS" -w 0 --export-csv "$B/res/$name.csv" "$q" \
            >/dev/null 2>"$B/res/$name.err"; then
            awk -F, 'NR == 2 { print $4 }' "$B/res/$name.csv"
        else echo FAIL; fi
    else
        local i s e ts=()
        for ((i = 0; i < RUNS; i++)); do
            s=$(date +%s%N)
            "$@" >/dev/null 2>"$B/res/$name.err" || { echo FAIL; return; }
            e=$(date +%s%N)
            ts+=($(((e - s) / 1000)))
        done
        printf '%s\n' "${ts[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.6f\n", a[int((NR + 1) / 2)] / 1e6 }'
    fi
}
# check NAME WANT CMD...: run once, compare the last stdout line with WANT
check() {
    local name=$1 want=$2 got
    shift 2
    got=$("$@" 2>"$B/res/$name.check.err" </dev/null | tail -n 1)
    if [ "$got" = "$want" ]; then echo ok; else echo "BAD($got)"; fi
}
calc() { awk "BEGIN { $1 }" </dev/null; }
isnum() { [[ "$1" =~ ^[0-9.]+(e-?[0-9]+)?$ ]]; }

declare -A T E N CHK SZ
systems="myvmm switch qemu native spim"
sys_ok() {
    case $1 in
    myvmm) true ;;
    switch) [ -x "$SWITCH" ] ;;
    qemu) [ $HAVE_QEMU = 1 ] ;;
    native) true ;;
    spim) [ $HAVE_SPIM = 1 ] ;;
    esac
}
cmd_for() { # system kernel size -> command words (one per line)
    local s=$1 k=$2 n=$3
    case $s in
    myvmm) printf '%s\n' "$MYVMM" -v "$(make_src "$k" "$n")" ;;
    switch) printf '%s\n' "$SWITCH" -v "$(make_src "$k" "$n")" ;;
    qemu) if [ "$k" = empty ]; then printf '%s\n' qemu-mipsel "$B/qemu-empty"; else printf '%s\n' qemu-mipsel "$B/qemu-$k" "$n"; fi ;;
    native) if [ "$k" = empty ]; then echo "$B/native-empty"; else printf '%s\n' "$B/native-$k" "$n"; fi ;;
    spim) printf '%s\n' spim -file "$(make_src "$k" "$n")" ;;
    esac
}
size_for() { # system kernel -> size
    local base=$2
    [ "$2" = empty ] || base=$(size_of "$(kfile "$2")")
    [ "$2" = empty ] && { echo 0; return; }
    case $1 in
    spim) echo $(((base + SPIM_DIV - 1) / SPIM_DIV)) ;;
    native) echo $((base * SCALE * NATIVE_MULT)) ;;
    *) echo $((base * SCALE)) ;;
    esac
}

note "start-up cost (empty kernel), $((RUNS * 3)) runs each"
for s in $systems; do
    sys_ok "$s" || continue
    mapfile -t c < <(cmd_for "$s" empty 0)
    E[$s]=$(RUNS=$((RUNS * 3)) tmed "$s.empty" "${c[@]}")
done

for k in $KERNELS; do
    if [ -z "$(kfile "$k")" ] || [ -z "$(cfile "$k")" ]; then
        note "kernel $k: no kernels/$k.s or c/$k.c: skipped"
        continue
    fi
    gcc -O2 -ffp-contract=off -o "$B/native-$k" "$(cfile "$k")" -lm
    [ $HAVE_QEMU = 1 ] && mipsel-linux-gnu-gcc -O2 -ffp-contract=off -static -o "$B/qemu-$k" "$(cfile "$k")" -lm
    for s in $systems; do
        sys_ok "$s" || continue
        n=$(size_for "$s" "$k")
        [ "${n:-0}" -gt 0 ] || { note "kernel $k: no @size word: skipped"; continue; }
        SZ[$s,$k]=$n
        mapfile -t c < <(cmd_for "$s" "$k" "$n") || continue
        [ ${#c[@]} -gt 0 ] || continue
        want=$("$B/native-$k" "$n" | tail -n 1)
        note "$k on $s (size $n)"
        CHK[$s,$k]=$(check "$s.$k" "$want" "${c[@]}")
        if [ "$s" = myvmm ] || [ "$s" = switch ]; then
            N[$s,$k]=$("${c[0]}" --stats "${c[@]:1}" 2>&1 >/dev/null </dev/null |
                sed -nE 's/^\[[^]]*\] ([0-9]+) instructions in .*/\1/p; s/^instructions:[[:space:]]*([0-9]+).*/\1/p' |
                head -n 1)
        fi
        T[$s,$k]=$(tmed "$s.$k" "${c[@]}")
    done
done

# per-rep seconds with start-up subtracted
prep() { # system kernel
    local t=${T[$1,$2]:-} e=${E[$1]:-} n=${SZ[$1,$2]:-}
    isnum "$t" && isnum "$e" && [ -n "$n" ] || { echo n/a; return; }
    calc "d = $t - $e; if (d < 0) d = 0; printf \"%.6g\", d / $n"
}
ratio() { # a b -> a/b or n/a
    isnum "$1" && isnum "$2" || { echo n/a; return; }
    calc "if ($2 <= 0) print \"n/a\"; else printf \"%.3g\", $1 / $2"
}
fmt() { isnum "${1:-}" && calc "printf \"%.3f\", $1" || echo "${1:-n/a}"; }
rate() { # system kernel -> "ns/insn MIPS"
    local t=${T[$1,$2]:-} e=${E[$1]:-} n=${N[$1,$2]:-}
    isnum "$t" && isnum "$e" && [ -n "$n" ] && [ "$n" -gt 0 ] || { echo "n/a n/a"; return; }
    calc "d = $t - $e; if (d <= 0) { print \"n/a n/a\"; exit } printf \"%.2f %.0f\", d / $n * 1e9, $n / d / 1e6"
}

echo
echo "## Kernels: median wall seconds ($RUNS runs), start-up subtracted for the ratios"
echo
echo "Sizes: myvmm/switch/qemu @size x $SCALE, native x $((SCALE * NATIVE_MULT)), spim @size / $SPIM_DIV."
echo
echo "| kernel | guest insns | myvmm s | ns/insn | MIPS | qemu s | native s | spim s | myvmm/qemu | myvmm/native | spim/myvmm | checksums |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for k in $KERNELS; do
    [ -n "${SZ[myvmm,$k]:-}" ] || continue
    read -r ns mips <<<"$(rate myvmm "$k")"
    pm=$(prep myvmm "$k")
    chk=""
    for s in $systems; do [ -n "${CHK[$s,$k]:-}" ] && chk="$chk$s:${CHK[$s,$k]} "; done
    echo "| $k | ${N[myvmm,$k]:-n/a} | $(fmt "${T[myvmm,$k]:-}") | $ns | $mips | $(fmt "${T[qemu,$k]:-n/a}") |" \
        "$(fmt "${T[native,$k]:-}") | $(fmt "${T[spim,$k]:-n/a}") | $(ratio "$pm" "$(prep qemu "$k")") |" \
        "$(ratio "$pm" "$(prep native "$k")") | $(ratio "$(prep spim "$k")" "$pm") | ${chk% } |"
done
# geometric means of myvmm/qemu and myvmm/native over the integer kernels
# that have both figures (not syscall: its C version buffers its output),
# then over the floating-point ones (qemu emulates FP in software)
geo() { echo "$1" | awk '{ s = 0; for (i = 1; i <= NF; i++) s += log($i); if (NF) printf "%.2f over %d kernels", exp(s / NF), NF; else print "n/a" }'; }
echo
for group in integer floating-point; do
    gq=""
    gn=""
    for k in $KERNELS; do
        [ -n "${SZ[myvmm,$k]:-}" ] && [ "$k" != syscall ] || continue
        case $k in mandel | nbody) [ $group = floating-point ] || continue ;; *) [ $group = integer ] || continue ;; esac
        pm=$(prep myvmm "$k")
        r=$(ratio "$pm" "$(prep qemu "$k")")
        isnum "$r" && gq="$gq $r"
        r=$(ratio "$pm" "$(prep native "$k")")
        isnum "$r" && gn="$gn $r"
    done
    echo "geometric mean, $group kernels (time per repetition): myvmm/qemu $(geo "$gq"); myvmm/native $(geo "$gn")"
done
echo
echo "start-up (empty kernel), median s: $(for s in $systems; do sys_ok "$s" && printf '%s %s  ' "$s" "$(fmt "${E[$s]:-}")"; done)"
echo

# ns per guest instruction, every system: its time per repetition over the
# guest instructions myvmm runs per repetition (the same unit of work)
nsi() { # system kernel
    local p n
    p=$(prep "$1" "$2")
    n=${N[myvmm,$2]:-}
    isnum "$p" && [ -n "$n" ] && [ "$n" -gt 0 ] || { echo n/a; return; }
    calc "printf \"%.4g\", $p / ($n / ${SZ[myvmm,$2]}) * 1e9"
}
csv=$B/kernels.csv
echo "kernel,guest_insns_per_rep,$(echo $systems | tr ' ' ',')" >"$csv"
echo "## ns per guest instruction (each system's time per repetition / myvmm's guest instructions per repetition)"
echo
echo "| kernel | guest insns/rep | $(echo $systems | sed 's/ / | /g') |"
echo "| --- | ---:$(for s in $systems; do printf ' | ---:'; done) |"
for k in $KERNELS; do
    [ -n "${SZ[myvmm,$k]:-}" ] && [ -n "${N[myvmm,$k]:-}" ] || continue
    per=$(calc "printf \"%.0f\", ${N[myvmm,$k]} / ${SZ[myvmm,$k]}")
    row="| $k | $per"
    line="$k,$per"
    for s in $systems; do
        v=$(nsi "$s" "$k")
        row="$row | $v"
        line="$line,$(isnum "$v" && echo "$v")"
    done
    echo "$row |"
    echo "$line" >>"$csv"
done
if python3 "$HERE/chart.py" "$csv" "$B/chart.svg" 2>"$B/res/chart.err"; then
    echo
    echo "chart: $BUILD/bench/chart.svg (from $BUILD/bench/kernels.csv)"
else
    note "chart.py failed: $(head -n 3 "$B/res/chart.err")"
fi

echo
echo "## Dispatch: computed goto vs switch"
echo
echo "| kernel | computed goto s | switch s | cg ns/insn | switch ns/insn | switch/cg |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for k in $KERNELS; do
    [ -n "${SZ[myvmm,$k]:-}" ] || continue
    read -r ns1 _ <<<"$(rate myvmm "$k")"
    read -r ns2 _ <<<"$(rate switch "$k")"
    echo "| $k | $(fmt "${T[myvmm,$k]:-}") | $(fmt "${T[switch,$k]:-n/a}") | $ns1 | $ns2 |" \
        "$(ratio "$(prep switch "$k")" "$(prep myvmm "$k")") |"
done

# Host instructions per guest instruction (callgrind): the same comparison
# without the noise of a shared machine, at 10x the spim-tier size; the
# empty kernel's count (start-up, assembling) is subtracted.
if have valgrind && [ -x "$SWITCH" ]; then
    note "callgrind: host instructions per guest instruction"
    e1=$(hostins "$MYVMM" "$(make_src empty 0)")
    e2=$(hostins "$SWITCH" "$(make_src empty 0)")
    echo
    echo "Host instructions per guest instruction (valgrind --tool=callgrind, repeatable; 10x the spim-tier size, start-up subtracted):"
    echo
    echo "| kernel | guest insns | computed goto | switch | switch/cg |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    for k in $KERNELS; do
        [ -n "${SZ[myvmm,$k]:-}" ] || continue
        n=$(($(size_for spim "$k") * 10))
        src=$(make_src "$k" "$n")
        g=$("$MYVMM" --stats -v "$src" 2>&1 >/dev/null </dev/null |
            sed -nE 's/^\[vm1\] ([0-9]+) instructions in .*/\1/p')
        h1=$(hostins "$MYVMM" "$src")
        h2=$(hostins "$SWITCH" "$src")
        if [ -n "$g" ] && [ -n "$h1" ] && [ -n "$h2" ] && [ -n "$e1" ] && [ -n "$e2" ]; then
            echo "| $k | $g | $(calc "printf \"%.2f\", ($h1 - $e1) / $g") |" \
                "$(calc "printf \"%.2f\", ($h2 - $e2) / $g") |" \
                "$(calc "printf \"%.2f\", ($h2 - $e2) / ($h1 - $e1)") |"
        else
            echo "| $k | n/a | n/a | n/a | n/a |"
        fi
    done
fi

# ---------------------------------------------------------------- start-up
echo
echo "## Start-up: \`myvmm -v hello.s\` vs the others (median of $((RUNS * 5)) runs)"
echo
echo "| command | median ms |"
echo "| --- | ---: |"
su() { # label cmd...
    local l=$1 t
    shift
    t=$(RUNS=$((RUNS * 5)) tmed "startup.$(echo "$l" | tr -c "A-Za-z0-9.\n" _)" "$@")
    isnum "$t" && t=$(calc "printf \"%.2f\", $t * 1000")
    echo "| $l | $t |"
}
su "myvmm -v samples/hello.s" "$MYVMM" -v "$TOP/samples/hello.s"
if [ -x "$BABYASM" ] && "$BABYASM" "$TOP/samples/hello.s" -o "$B/hello.bin" >/dev/null 2>&1; then
    su "myvmm -v hello.bin (image)" "$MYVMM" -v "$B/hello.bin"
fi
if [ $HAVE_QEMU = 1 ]; then su "qemu-mipsel empty (static C)" qemu-mipsel "$B/qemu-empty"; else echo "| qemu-mipsel | n/a |"; fi
if [ $HAVE_SPIM = 1 ]; then su "spim -file hello.s" spim -file "$TOP/samples/hello.s"; else echo "| spim | n/a |"; fi
su "native empty (gcc -O2)" "$B/native-empty"

# ---------------------------------------------------------------- assembler
echo
echo "## Assembler: babyasm on a generated 100,000-line program"
echo
gen=$B/src/asm100k.s
awk 'BEGIN {
    print "\t.data"
    for (i = 0; i < 2000; i++) printf "d%d:\t.word\t%d, %d, %d\n", i, i, i * 3, -i
    print "\t.text"
    print "main:"
    n = 2003
    for (i = 0; n < 100000; i++) {
        m = i % 8
        if (m == 0) { printf "L%d:\taddiu\t$t0, $t0, %d\t# loop %d\n", i, i % 1000, i; }
        else if (m == 1) print "\taddu\t$t1, $t1, $t0"
        else if (m == 2) printf "\tlw\t$t2, d%d\n", i % 2000
        else if (m == 3) print "\tsll\t$t3, $t2, 3"
        else if (m == 4) printf "\tli\t$t4, %d\n", i * 7919
        else if (m == 5) print "\txor\t$t5, $t4, $t3"
        else if (m == 6) printf "\tsw\t$t5, %d($sp)\n", -(i % 64) * 4
        else printf "\tbne\t$t5, $zero, L%d\n", i - 7
        n++
    }
    print "\tjr\t$ra"
}' >"$gen"
lines=$(wc -l <"$gen")
if [ -x "$BABYASM" ]; then
    t=$(tmed asm100k "$BABYASM" "$gen" -o "$B/asm100k.bin")
    if isnum "$t"; then
        echo "$lines lines: median $(calc "printf \"%.3f\", $t") s = $(calc "printf \"%.0f\", $lines / $t") lines/s"
    else
        echo "$lines lines: babyasm failed ($(head -n 3 "$B/res/asm100k.err" | tr '\n' ' '))"
    fi
else
    echo "n/a: $BABYASM not built"
fi

# ---------------------------------------------------------------- snapshots
if [ -f "$HERE/snapshot.sh" ]; then
    echo
    echo "## Snapshots (tests/bench/snapshot.sh)"
    echo
    BUILD=$BUILD bash "$HERE/snapshot.sh" || echo "snapshot.sh failed (status $?)"
fi

# ---------------------------------------------------------------- many VMs
if [ -f "$HERE/multi.sh" ]; then
    echo
    echo "## Many VMs (tests/bench/multi.sh)"
    echo
    BUILD=$BUILD bash "$HERE/multi.sh" || echo "multi.sh failed (status $?)"
fi

# ---------------------------------------------------------------- under a guest kernel
if [ -f "$HERE/os.sh" ]; then
    echo
    echo "## Under the demo guest kernel, TLB on (tests/bench/os.sh)"
    echo
    BUILD=$BUILD bash "$HERE/os.sh" || echo "os.sh failed (status $?)"
fi

# ---------------------------------------------------------------- delay slots
if [ -f "$HERE/delay.sh" ]; then
    echo
    echo "## Branch delay slots (tests/bench/delay.sh)"
    echo
    BUILD=$BUILD bash "$HERE/delay.sh" || echo "delay.sh failed (status $?)"
fi

# ---------------------------------------------------------------- MMIO exits
if [ -f "$HERE/mmio.sh" ]; then
    echo
    echo "## MMIO exits (tests/bench/mmio.sh)"
    echo
    BUILD=$BUILD bash "$HERE/mmio.sh" || echo "mmio.sh failed (status $?)"
fi

# ---------------------------------------------------------------- bitmap display
if [ -f "$HERE/display.sh" ]; then
    echo
    echo "## The bitmap display, on and off (tests/bench/display.sh)"
    echo
    BUILD=$BUILD bash "$HERE/display.sh" || echo "display.sh failed (status $?)"
fi

# ---------------------------------------------------------------- live migration
if [ -f "$HERE/migrate.sh" ]; then
    echo
    echo "## Live migration (tests/bench/migrate.sh)"
    echo
    BUILD=$BUILD bash "$HERE/migrate.sh" || echo "migrate.sh failed (status $?)"
fi

# ---------------------------------------------------------------- the disk
if [ -f "$HERE/disk.sh" ]; then
    echo
    echo "## The block device (tests/bench/disk.sh)"
    echo
    BUILD=$BUILD bash "$HERE/disk.sh" || echo "disk.sh failed (status $?)"
fi

# ---------------------------------------------------------------- the network
if [ -f "$HERE/net.sh" ]; then
    echo
    echo "## The virtual network: frame streams and a flood (tests/bench/net.sh)"
    echo
    BUILD=$BUILD bash "$HERE/net.sh" || echo "net.sh failed (status $?)"
fi

# ---------------------------------------------------------------- the gdb stub, idle
if [ -f "$HERE/gdb.sh" ]; then
    echo
    echo "## The gdb stub listening and attached but idle (tests/bench/gdb.sh)"
    echo
    BUILD=$BUILD bash "$HERE/gdb.sh" || echo "gdb.sh failed (status $?)"
fi

# ---------------------------------------------------------------- the QMP socket
if [ -f "$HERE/qmp.sh" ]; then
    echo
    echo "## An idle QMP socket (tests/bench/qmp.sh)"
    echo
    BUILD=$BUILD bash "$HERE/qmp.sh" || echo "qmp.sh failed (status $?)"
fi

echo
echo "machine: $(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(nproc) CPUs;" \
    "compiler: $(${CC:-cc} --version | head -n 1); raw results: $BUILD/bench/res/"
