# lib.sh -- the kernels' sources and the callgrind count, shared by run.sh,
# superinsn.sh and versus.sh (sourced; the caller sets HERE and B).
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
hostins() { # binary source -> host instructions executed
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" -v "$2" </dev/null 2>&1 >/dev/null |
        sed -n 's/^==[0-9]*== Collected : \([0-9]*\).*/\1/p'
}
