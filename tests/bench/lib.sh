# lib.sh -- the kernels' sources and the callgrind count, shared by run.sh,
# superinsn.sh, versus.sh, os.sh and delay.sh (sourced; the caller sets HERE
# and B).
# The kernels: tests/bench/kernels/K.s (MIPS, for myvmm and spim) and
# tests/bench/c/K.c (the same algorithm in C, for native and qemu-mipsel).
BENCH_KERNELS_ALL="fib sieve matmul sort crc32 xorshift syscall mandel nbody"
kfile() { # kernel -> its source, or nothing
    if [ -f "$HERE/kernels/$1.s" ]; then echo "$HERE/kernels/$1.s"; fi
}
cfile() {
    if [ -f "$HERE/c/$1.c" ]; then echo "$HERE/c/$1.c"; fi
}
size_of() { sed -nE '/# @size/{s/.*\.word[[:space:]]+([0-9]+).*/\1/p;q;}' "$1"; }
# make_src kernel size -> SPIM-syntax program (wrapper + kernel at that size)
make_src() {
    local k=$1 n=$2 out=$B/src/$1.$2.s
    if [ ! -f "$out" ]; then
        if [ "$k" = empty ]; then
            printf '\t.text\n\t.globl kernel\nkernel:\tli $v0, 0\n\tjr $ra\n' >"$out.k"
        else
            sed -E "/# @size/ s/(\.word[[:space:]]+)[0-9]+/\1$n/" "$(kfile "$k")" >"$out.k"
        fi
        cat "$WRAP_SPIM" "$out.k" >"$out"
    fi
    echo "$out"
}
WRAP_SPIM=$HERE/main.s.in
# make_os_src kernel size -> the same program as the only process of the
# demo guest kernel (samples/os/kernel.s with the table os/procs.s.in), for
# `myvmm --machine bare`
make_os_src() {
    local out=$B/src/os-$1.$2.s
    printf '\t.include "%s"\n\t.include "%s"\n' "$HERE/../../samples/os/kernel.s" \
        "$HERE/os/procs.s.in" >"$out"
    cat "$(make_src "$1" "$2")" >>"$out"
    echo "$out"
}
# make_delayed_src kernel size -> kernels/delayed/K.s under main_delayed.s.in
# (for `myvmm -delayed_branches`), or nothing if there is no such kernel
make_delayed_src() {
    local out=$B/src/delayed-$1.$2.s
    [ "$1" = empty ] || [ -f "$HERE/kernels/delayed/$1.s" ] || return 0
    { cat "$HERE/main_delayed.s.in"
      if [ "$1" = empty ]; then
          printf '\t.text\n\t.globl kernel\nkernel:\tjr $ra\n\tli $v0, 0\n'
      else
          sed -E "/# @size/ s/(\.word[[:space:]]+)[0-9]+/\1$2/" "$HERE/kernels/delayed/$1.s"
      fi; } >"$out"
    echo "$out"
}
hostins() { # binary source -> host instructions executed
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" -v "$2" </dev/null 2>&1 >/dev/null |
        sed -n 's/^==[0-9]*== Collected : \([0-9]*\).*/\1/p'
}
# hostins_cmd CMD... -> host instructions executed by that command
hostins_cmd() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" </dev/null 2>&1 >/dev/null |
        sed -n 's/^==[0-9]*== Collected : \([0-9]*\).*/\1/p'
}
# usecs CMD...: microseconds of one run (output discarded)
usecs() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" </dev/null >/dev/null 2>&1
    t1=$(date +%s%N)
    echo "$(((t1 - t0) / 1000))"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# interleave: the commands in the arrays CA and CB, RUNS runs each taken in
# turns (so drift on a shared machine hits both) -> MA, MB: median us
interleave() {
    local ta=() tb=() i
    for ((i = 0; i < RUNS; i++)); do
        ta+=("$(usecs "${CA[@]}")")
        tb+=("$(usecs "${CB[@]}")")
    done
    MA=$(printf '%s\n' "${ta[@]}" | median)
    MB=$(printf '%s\n' "${tb[@]}" | median)
}
# guest_insns MYVMM ARGS...: the guest instructions `--stats` counts
guest_insns() {
    "$1" --stats "${@:2}" </dev/null 2>&1 >/dev/null | sed -nE 's/^\[vm1\] ([0-9]+) instructions in .*/\1/p'
}
