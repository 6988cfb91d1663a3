# lib.sh -- the kernels' sources and the callgrind count, shared by run.sh
# and superinsn.sh (sourced; the caller sets HERE, ANCHORS and B).
kfile() { # kernel -> its source, or nothing
    if [ -f "$HERE/kernels/$1.s" ]; then echo "$HERE/kernels/$1.s"
    elif [ -f "$ANCHORS/kernels/$1.s" ]; then echo "$ANCHORS/kernels/$1.s"; fi
}
cfile() {
    if [ -f "$HERE/c/$1.c" ]; then echo "$HERE/c/$1.c"
    elif [ -f "$ANCHORS/c/$1.c" ]; then echo "$ANCHORS/c/$1.c"; fi
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
WRAP_SPIM=$ANCHORS/wrappers/spim.s
if [ ! -f "$WRAP_SPIM" ]; then # the same wrapper, for a checkout without the anchors
    WRAP_SPIM=$B/wrap-spim.s
    printf '\t.text\nmain:\taddiu $sp, $sp, -8\n\tsw $ra, 4($sp)\n\tjal kernel\n\tmove $a0, $v0\n\tli $v0, 1\n\tsyscall\n\tli $a0, 10\n\tli $v0, 11\n\tsyscall\n\tlw $ra, 4($sp)\n\taddiu $sp, $sp, 8\n\tli $v0, 10\n\tsyscall\n' >"$WRAP_SPIM"
fi
hostins() { # binary source -> host instructions executed
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" -v "$2" </dev/null 2>&1 >/dev/null |
        sed -n 's/^==[0-9]*== Collected : \([0-9]*\).*/\1/p'
}
