#!/usr/bin/env bash
# multi_stdin.sh -- console input and output with several VMs:
#  - VMs without vm_stdin take myvmm's stdin in command-line order: the
#    next gets what is left when the one before stops (a VM with vm_stdin
#    is skipped); a read before its turn waits;
#  - a waiting VM burns no CPU;
#  - vm_stdout gets the VM's output without a prefix; one VM alone has no
#    prefix at all.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
cd "$tmp" || exit 1
cat >double.s <<'S'
	.data
ask:	.asciiz	"number? "
	.text
main:	la	$a0, ask
	li	$v0, 4
	syscall
	li	$v0, 5
	syscall
	addu	$a0, $v0, $v0
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$v0, 10
	syscall
S
cat >busy.s <<'S'
	.text
main:	li	$t0, 2000000
loop:	addiu	$t0, $t0, -1
	bne	$t0, $zero, loop
	li	$a0, 1
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
S
echo 50 >own.in
printf 'vm_binary = double.s\nvm_name = own\nvm_stdin = own.in\n' >own.cfg
printf 'vm_binary = double.s\nvm_name = tofile\nvm_stdin = own.in\nvm_stdout = tofile.out\n' >tofile.cfg

# in order, whatever the threads; the busy VM in between does not read
for j in 1 2 4; do
    printf '1\n2\n3\n' | timeout 20 "$MYVMM" -j $j -v double.s -v busy.s -v own.cfg -v double.s -v double.s >out 2>err
    [ $? = 0 ] || bad "chain -j $j: exit status: $(cat err)"
    grep -qx 'vm1 | number? 2' out || bad "chain -j $j: vm1: $(grep vm1 out)"
    grep -qx 'vm4 | number? 4' out || bad "chain -j $j: vm4: $(grep vm4 out)"
    grep -qx 'vm5 | number? 6' out || bad "chain -j $j: vm5: $(grep vm5 out)"
    grep -qx 'own | number? 100' out || bad "chain -j $j: vm_stdin: $(grep own out)"
    grep -qx 'vm2 | 1' out || bad "chain -j $j: busy: $(grep vm2 out)"
    # vm4's line comes after vm1's, vm5's after vm4's
    [ "$(grep -E '^vm[145] ' out | cut -c1-3 | tr '\n' ' ')" = "vm1 vm4 vm5 " ] ||
        bad "chain -j $j: order $(grep -E '^vm[145] ' out | tr '\n' '/')"
done

# at end of input the later VMs read 0 (SPIM's read_int at end of input)
printf '7\n' | timeout 20 "$MYVMM" -v double.s -v double.s >out 2>err
printf 'vm1 | number? 14\nvm2 | number? 0\n' | cmp -s - out || bad "end of input: $(cat -A out)"

# waiting costs no CPU: 1.5 s of waiting for input, well under 0.5 s of CPU
TIMEFORMAT='%U %S'
{ time (sleep 1.5; echo 4) | timeout 20 "$MYVMM" -v double.s -v double.s >out 2>/dev/null; } 2>cpu
read -r u s <cpu
awk -v u="$u" -v s="$s" 'BEGIN { exit !(u + s < 0.5) }' || bad "waiting burnt CPU: user $u s, sys $s s"
printf 'vm1 | number? 8\nvm2 | number? 0\n' | cmp -s - out || bad "late input: $(cat -A out)"

# vm_stdout: no prefix there; the other VM keeps its prefix
timeout 20 "$MYVMM" -v tofile.cfg -v busy.s </dev/null >out 2>err || bad "vm_stdout: exit $?"
[ "$(cat tofile.out)" = "number? 100" ] || bad "vm_stdout file: '$(cat tofile.out)'"
[ "$(cat out)" = "vm2 | 1" ] || bad "vm_stdout: stdout '$(cat out)'"

# one VM: exactly the program's output
echo 8 | timeout 20 "$MYVMM" -v double.s >out 2>err
printf 'number? 16\n' | cmp -s - out || bad "one VM: $(cat -A out)"

# a terminal shared by two VMs: myvmm says which VM gets the input first
if command -v script >/dev/null 2>&1; then
    printf '3\n4\n' >two.in
    timeout 20 script -qc "$MYVMM -v double.s -v double.s" /dev/null <two.in >tty.out 2>&1
    grep -q "the terminal's input goes to vm1, then vm2" tty.out ||
        bad "terminal: no word on who reads it: $(cat -A tty.out | head -5)"
    # without a terminal nothing is said
    timeout 20 "$MYVMM" -v double.s -v double.s <two.in >out 2>err
    grep -q "terminal" err && bad "no terminal, but: $(cat err)"
fi

echo "multi_stdin: $fail failures"
[ $fail -eq 0 ]
