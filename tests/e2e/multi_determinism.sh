#!/usr/bin/env bash
# multi_determinism.sh -- many VMs at once give each VM the output and the
# final state (--final-hash) it gives alone, whatever the slices
# (vm_exec_slice_in_instructions), the thread count (-j) and the other VMs.
# Lines of several VMs carry "name | " and stay whole.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# Programs: the SPIM-style samples plus a loop whose printed values depend
# on every iteration (sizes differ, so VMs stop at different times).
progs=()
for p in recursion strings linked_list hello; do
    [ -f "$TOP/samples/$p.s" ] && cp "$TOP/samples/$p.s" "$tmp/$p.s" && progs+=("$p")
done
for n in 3 7 11 40; do
    cat >"$tmp/mix$n.s" <<S
# acc = acc * 33 + i for i = 0..n*20000; print acc every 20000 steps
	.text
main:	li	\$s0, 0
	li	\$s1, 0
	li	\$s2, $n
outer:	li	\$t0, 20000
inner:	sll	\$t1, \$s0, 5
	addu	\$s0, \$s0, \$t1
	addu	\$s0, \$s0, \$s1
	addiu	\$s1, \$s1, 1
	addiu	\$t0, \$t0, -1
	bne	\$t0, \$zero, inner
	move	\$a0, \$s0
	li	\$v0, 1
	syscall
	li	\$a0, 10
	li	\$v0, 11
	syscall
	addiu	\$s2, \$s2, -1
	bne	\$s2, \$zero, outer
	li	\$v0, 10
	syscall
S
    progs+=("mix$n")
done
[ ${#progs[@]} -ge 2 ] || { echo "not enough programs"; exit 1; }

# Each alone: the reference output and final hash.  Through a config as
# below, so argv[0] (the program path, on the guest stack) is the same.
for p in "${progs[@]}"; do
    printf 'vm_binary = %s.s\n' "$p" >"$tmp/alone_$p.cfg"
    (cd "$tmp" && timeout 60 "$MYVMM" --final-hash -v "$tmp/alone_$p.cfg" </dev/null >"$p.alone" 2>"$p.alone.err") ||
        bad "$p alone: exit $?: $(head -n 3 "$tmp/$p.alone.err")"
    sed -n 's/^myvmm: vm1: final-hash //p' "$tmp/$p.alone.err" >"$tmp/$p.hash"
    [ -s "$tmp/$p.hash" ] || bad "$p alone: no final-hash line"
done

# Together: 2..8 VMs, each with its own slice, on 1, 2 and 4 threads.
slices=(1 7 100 1000 100000 13 4096 50)
run_together() { # threads count offset
    local j=$1 count=$2 off=$3 args=() i p cfg
    for ((i = 0; i < count; i++)); do
        p=${progs[$(((i + off) % ${#progs[@]}))]}
        cfg=$tmp/c$i.cfg
        printf 'vm_binary = %s.s\nvm_name = v%d_%s\nvm_exec_slice_in_instructions = %d\n' \
            "$p" "$i" "$p" "${slices[$(((i + off) % 8))]}" >"$cfg"
        args+=(-v "$cfg")
    done
    (cd "$tmp" && timeout 120 "$MYVMM" --final-hash -j "$j" "${args[@]}" </dev/null >together 2>together.err)
    local rc=$?
    [ $rc = 0 ] || { bad "j=$j n=$count: exit $rc: $(head -n 3 "$tmp/together.err")"; return; }
    for ((i = 0; i < count; i++)); do
        p=${progs[$(((i + off) % ${#progs[@]}))]}
        name="v${i}_$p"
        grep "^$name | " "$tmp/together" | sed "s/^$name | //" >"$tmp/mine"
        # hello.s's line has no newline at the end alone: compare the text
        if [ "$(cat "$tmp/mine")" != "$(cat "$tmp/$p.alone")" ]; then
            bad "j=$j n=$count: $name's output differs from alone: $(diff "$tmp/$p.alone" "$tmp/mine" | head -n 4)"
        fi
        h=$(sed -n "s/^myvmm: $name: final-hash //p" "$tmp/together.err")
        [ "$h" = "$(cat "$tmp/$p.hash")" ] || bad "j=$j n=$count: $name's final state differs ($h)"
    done
    # every stdout line belongs to one of the VMs (no torn lines)
    if grep -vqE '^v[0-9]+_[a-z_0-9]+ \| ' "$tmp/together"; then
        bad "j=$j n=$count: a line without its VM prefix: $(grep -vE '^v[0-9]+_[a-z_0-9]+ \| ' "$tmp/together" | head -n 2)"
    fi
}
for j in 1 2 4; do
    for count in 2 5 8; do
        run_together "$j" "$count" "$((j + count))"
    done
done

echo "multi_determinism: $fail failures"
[ $fail -eq 0 ]
