#!/usr/bin/env bash
# vm_fsroot.sh -- syscalls 13-16 on the real binary: refused without
# --fs-root; inside it a file can be written, appended and read back;
# absolute paths, .. and symbolic links pointing out are refused.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
mkdir -p "$tmp/root" "$tmp/outside"
echo TOPSECRET >"$tmp/outside/secret.txt"
ln -s "$tmp/outside" "$tmp/root/link"
ln -s "$tmp/outside/secret.txt" "$tmp/root/slink"

# prog NAME: open NAME for writing, write "data", close; open it for
# reading, read, print "<fd>:<n>:<text>".
prog() {
    sed "s|@NAME@|$1|" <<'S'
        .data
name:   .asciiz "@NAME@"
text:   .asciiz "data"
buf:    .space 64
        .text
main:   la $a0, name
        li $a1, 1
        li $a2, 0
        li $v0, 13
        syscall
        move $s0, $v0
        move $a0, $s0
        la $a1, text
        li $a2, 4
        li $v0, 15
        syscall
        move $a0, $s0
        li $v0, 16
        syscall
        la $a0, name
        li $a1, 0
        li $a2, 0
        li $v0, 13
        syscall
        move $s1, $v0
        move $a0, $s1
        la $a1, buf
        li $a2, 63
        li $v0, 14
        syscall
        move $s2, $v0
        move $a0, $s1
        li $v0, 1
        syscall
        li $a0, ':'
        li $v0, 11
        syscall
        move $a0, $s2
        li $v0, 1
        syscall
        li $a0, ':'
        li $v0, 11
        syscall
        la $a0, buf
        li $v0, 4
        syscall
        li $v0, 10
        syscall
S
}
runp() { # NAME ARGS... -> stdout
    prog "$1" >"$tmp/p.s"
    shift
    (cd "$tmp" && timeout 20 "$MYVMM" "$@" -v p.s 2>"$tmp/err")
}

got=$(runp f.txt)
[ "$got" = "-1:-1:" ] || bad "without --fs-root: '$got'"
[ -e "$tmp/f.txt" ] && bad "without --fs-root: a file was created"

got=$(runp f.txt --fs-root "$tmp/root")
[ "$got" = "3:4:data" ] || bad "inside the root: '$got' ($(cat "$tmp/err"))"
[ "$(cat "$tmp/root/f.txt" 2>/dev/null)" = data ] || bad "inside the root: file content"

for esc in "../outside/secret.txt" "$tmp/outside/secret.txt" "link/secret.txt" "slink" "link/new.txt"; do
    got=$(runp "$esc" --fs-root "$tmp/root")
    [ "$got" = "-1:-1:" ] || bad "escape '$esc' not refused: '$got'"
done
[ "$(cat "$tmp/outside/secret.txt")" = TOPSECRET ] || bad "a file outside the root was changed"
[ -e "$tmp/outside/new.txt" ] && bad "a file was created outside the root"

echo "vm_fsroot: $fail failures"
[ $fail -eq 0 ]
