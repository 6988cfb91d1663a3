#!/usr/bin/env bash
# multi_isolation.sh -- a VM that faults, one that loops forever under
# vm_max_instructions, one over its vm_memory limit and one that exits with
# a code each stop alone; the others finish with the output they give
# alone.  One summary line per VM on stderr; the exit status is the first
# failing VM's on the command line (docs/myvmm.md).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
cd "$tmp" || exit 1

cp "$TOP/samples/recursion.s" ok1.s
cat >ok2.s <<'S'
	.text
main:	li	$s0, 300000
loop:	addiu	$s0, $s0, -1
	bne	$s0, $zero, loop
	li	$a0, 77
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$v0, 10
	syscall
S
cat >fault.s <<'S'
	.text
main:	li	$a0, 5
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$t0, 3
bad:	lw	$t1, 0($t0)
	li	$v0, 10
	syscall
S
cat >spin.s <<'S'
	.text
main:	addiu	$t0, $t0, 1
	b	main
S
cat >hog.s <<'S'
	.text
main:	li	$a0, 65536
	li	$v0, 9
	syscall
	sw	$v0, 0($v0)
	sw	$v0, 65532($v0)
	b	main
S
cat >exit9.s <<'S'
	.text
main:	li	$a0, 9
	li	$v0, 17
	syscall
S
printf 'vm_binary = ok1.s\nvm_name = ok1\n' >ok1.cfg
printf 'vm_binary = ok2.s\nvm_name = ok2\nvm_exec_slice_in_instructions = 333\n' >ok2.cfg
printf 'vm_binary = fault.s\nvm_name = faulty\n' >fault.cfg
printf 'vm_binary = spin.s\nvm_name = spinner\nvm_max_instructions = 2000000\n' >spin.cfg
printf 'vm_binary = hog.s\nvm_name = hog\nvm_memory = 1M\n' >hog.cfg
printf 'vm_binary = exit9.s\nvm_name = nine\n' >exit9.cfg

timeout 30 "$MYVMM" -v ok1.s </dev/null >ok1.alone 2>/dev/null || bad "ok1 alone: exit $?"
timeout 30 "$MYVMM" -v ok2.s </dev/null >ok2.alone 2>/dev/null || bad "ok2 alone: exit $?"

check() { # label expected-status config...
    local label=$1 want=$2
    shift 2
    local args=() c
    for c in "$@"; do args+=(-v "$c"); done
    timeout 60 "$MYVMM" -j 2 "${args[@]}" </dev/null >out 2>err
    local rc=$?
    [ "$rc" = "$want" ] || bad "$label: exit $rc, expected $want: $(head -n 5 err)"
    grep '^ok1 | ' out | sed 's/^ok1 | //' | cmp -s - ok1.alone || bad "$label: ok1's output changed"
    grep '^ok2 | ' out | sed 's/^ok2 | //' | cmp -s - ok2.alone || bad "$label: ok2's output changed"
    grep -q '^myvmm: ok1: exited (status 0), ' err || bad "$label: no summary for ok1: $(cat err)"
    grep -q '^myvmm: ok2: exited (status 0), ' err || bad "$label: no summary for ok2"
}

check "fault first" 3 fault.cfg ok1.cfg spin.cfg hog.cfg ok2.cfg
grep -q '^faulty | 5$' out || bad "faulty's output before the fault: $(grep faulty out)"
grep -q 'myvmm: faulty: .*(AdEL)' err || bad "no AdEL message for faulty"
grep -q '^myvmm: faulty: faulted (status 3), ' err || bad "faulty's summary"
grep -q 'myvmm: spinner: instruction limit of 2000000 reached' err || bad "no limit message"
grep -q '^myvmm: spinner: instruction limit reached (status 4), 2000000 instructions' err ||
    bad "spinner's summary: $(grep spinner err)"
grep -qi 'myvmm: hog: .*memory limit' err || bad "no memory limit message: $(grep hog err)"
grep -q '^myvmm: hog: faulted (status 3), ' err || bad "hog's summary"
[ "$(grep -c '^myvmm: [a-z0-9]*: [a-z ]* (status [0-9]*), [0-9]* instructions, [0-9.]* s$' err)" = 5 ] ||
    bad "expected 5 summary lines: $(grep 'status' err)"

check "limit first" 4 spin.cfg ok1.cfg fault.cfg ok2.cfg
check "hog first" 3 hog.cfg ok1.cfg ok2.cfg
check "exit2 first" 9 ok1.cfg exit9.cfg fault.cfg ok2.cfg
grep -q '^myvmm: nine: exited (status 9), ' err || bad "nine's summary: $(grep nine err)"
check "all fine" 0 ok1.cfg ok2.cfg

echo "multi_isolation: $fail failures"
[ $fail -eq 0 ]
