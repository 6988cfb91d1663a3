#!/usr/bin/env bash
# multi_fairness.sh -- --stats after VMs that never stop by themselves
# (vm_max_instructions ends them): equal weights give a Jain index of at
# least 0.99 over the host CPU time used while all VMs were runnable;
# weights 1:3 share the host CPU 1:3 within 5 %, on 1 and 2 threads.  A VM
# printing a line every 4 instructions (each a syscall, many times the host
# time of an add) among 7 compute VMs on 2 threads leaves each at least
# 85 % of its equal share of the host CPU (issue 12).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
cd "$tmp" || exit 1
cat >spin.s <<'S'
	.text
main:	addiu	$t0, $t0, 1
	andi	$t1, $t0, 255
	addu	$t2, $t2, $t1
	b	main
S
# share NAME: VM NAME's share of the host CPU in the --stats output
share() { sed -n "s/^\[$1\] scheduler: .*, \([0-9.]*\)% of host CPU.*/\1/p" err; }

# Equal weights: 4 VMs, the same slice, different limits.  (A turn is
# slice * weight instructions: shares follow the weights when the slices
# are equal, docs/scheduling.md.)
for j in 1 2; do
    args=()
    for i in 1 2 3 4; do
        printf 'vm_binary = spin.s\nvm_name = e%d\nvm_exec_slice_in_instructions = %d\nvm_max_instructions = %d\n' \
            "$i" 10000 $((20000000 + i * 3000000)) >e$i.cfg
        args+=(-v e$i.cfg)
    done
    timeout 120 "$MYVMM" --stats -j $j "${args[@]}" </dev/null >out 2>err
    [ $? = 4 ] || bad "equal j=$j: exit status (expected 4, the limit): $(head -n 3 err)"
    jain=$(sed -n "s/^\[sched\] fairness: Jain's index \([0-9.]*\) .*/\1/p" err)
    [ -n "$jain" ] || { bad "equal j=$j: no fairness line: $(grep sched err)"; continue; }
    awk -v x="$jain" 'BEGIN { exit !(x >= 0.99) }' || bad "equal j=$j: Jain's index $jain < 0.99"
    for i in 1 2 3 4; do
        s=$(share e$i)
        awk -v x="$s" 'BEGIN { exit !(x > 23 && x < 27) }' || bad "equal j=$j: e$i's share $s%"
    done
done

# Weights 1:3.
for j in 1 2; do
    printf 'vm_binary = spin.s\nvm_name = light\nvm_weight = 1\nvm_max_instructions = 40000000\n' >light.cfg
    printf 'vm_binary = spin.s\nvm_name = heavy\nvm_weight = 3\nvm_max_instructions = 60000000\n' >heavy.cfg
    timeout 120 "$MYVMM" --stats -j $j -v light.cfg -v heavy.cfg </dev/null >out 2>err
    l=$(share light)
    h=$(share heavy)
    [ -n "$l" ] && [ -n "$h" ] || { bad "weights j=$j: no share lines: $(grep scheduler err)"; continue; }
    awk -v l="$l" -v h="$h" 'BEGIN { r = h / l; exit !(r > 2.85 && r < 3.15) }' ||
        bad "weights 1:3 j=$j: shares $l% and $h%"
    jain=$(sed -n "s/^\[sched\] fairness: Jain's index \([0-9.]*\) .*/\1/p" err)
    awk -v x="$jain" 'BEGIN { exit !(x >= 0.99) }' || bad "weights j=$j: Jain's index (per weight) $jain"
done

# A chatty VM among compute VMs.  Its limit is low enough that it stops
# soon after them, and high enough that they stop first if it takes no
# more than its share.
cat >chatty.s <<'S'
	.data
line:	.asciiz "a line from a chatty guest\n"
	.text
main:	la	$a0, line
loop:	li	$v0, 4
	syscall
	addiu	$t0, $t0, 1
	b	loop
S
args=()
for i in 1 2 3 4 5 6 7; do
    printf 'vm_binary = spin.s\nvm_name = c%d\nvm_max_instructions = %d\n' \
        "$i" $((100000000 + i * 1000000)) >c$i.cfg
    args+=(-v c$i.cfg)
done
printf 'vm_binary = chatty.s\nvm_name = chatty\nvm_max_instructions = 12000000\n' >chatty.cfg
timeout 120 "$MYVMM" --stats -j 2 "${args[@]}" -v chatty.cfg </dev/null >out 2>err
for i in 1 2 3 4 5 6 7; do
    s=$(share c$i)
    awk -v x="$s" 'BEGIN { exit !(x >= 0.85 * 100 / 8) }' ||
        bad "chatty: c$i's share of the host CPU $s% < 85 % of 12.5 % (chatty: $(share chatty)%)"
done

echo "multi_fairness: $fail failures"
[ $fail -eq 0 ]
