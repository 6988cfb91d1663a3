#!/usr/bin/env bash
# syscall_trace.sh -- the syscall table as the traces show it: with
# --trace-exits every syscall a program makes is named (60 included, no
# "unknown"), by the number and name vm/machine/syscall.def gives it; with
# --trace the line of read_int shows the $v0 it read, and the line of time
# its $a0 and $a1.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

cat >calls.s <<'S'
        .data
msg:    .asciiz "n="
        .text
main:   li $v0, 60              # request_migration: -1, no --migrate
        syscall
        move $s0, $v0
        li $v0, 4               # print_string
        la $a0, msg
        syscall
        li $v0, 5               # read_int
rd:     syscall
        move $a0, $v0
        li $v0, 1               # print_int
        syscall
        li $v0, 12              # read_char
        syscall
        li $v0, 9               # sbrk
        li $a0, 16
        syscall
        li $v0, 30              # time
tm:     syscall
        li $v0, 41              # random_int
        li $a0, 1
        syscall
        li $a0, 10
        li $v0, 11              # print_char
        syscall
        li $v0, 10              # exit
        syscall
S

printf '42\nx' | timeout 20 "$MYVMM" --trace-exits -v calls.s >out 2>err
rc=$?
[ $rc = 0 ] || bad "--trace-exits: exit status $rc: $(head -n 3 err)"
[ "$(cat out)" = "n=42" ] || bad "--trace-exits: stdout '$(cat out)'"
grep -n unknown err && bad "--trace-exits names a syscall unknown"
grep -q ': 60 request_migration: emulated$' err || bad "no '60 request_migration' line in: $(cat err)"
# Every syscall line: the number and name are a pair of syscall.def.
n=0
while read -r num name; do
    n=$((n + 1))
    grep -q "^SYSCALL($num, $name," "$TOP/vm/machine/syscall.def" ||
        bad "--trace-exits says '$num $name', vm/machine/syscall.def does not"
done < <(sed -n 's/.*instructions: \([0-9]*\) \([a-z_0-9]*\): .*/\1 \2/p' err)
[ "$n" = 10 ] || bad "--trace-exits: $n syscall lines, the program makes 10: $(cat err)"

printf '42\nx' | timeout 20 "$MYVMM" --trace -v calls.s >out 2>err
rc=$?
[ $rc = 0 ] || bad "--trace: exit status $rc: $(head -n 3 err)"
[ "$(cat out)" = "n=42" ] || bad "--trace: stdout '$(cat out)'"
grep -Eq '^\[vm1\] 0x[0-9a-f]{8} rd +syscall .* \$v0=42$' err ||
    bad "--trace: the read_int line has no \$v0=42: $(grep ' rd ' err)"
grep -Eq '^\[vm1\] 0x[0-9a-f]{8} tm +syscall .* \$a0=-?[0-9]+ \$a1=[0-9]+$' err ||
    bad "--trace: the time line has no \$a0 and \$a1: $(grep ' tm ' err)"
exit $fail
