#!/usr/bin/env bash
# os_demo.sh -- the demo guest kernel (samples/os/) on the bare machine:
#  - alone: its output is samples/os/demo.expected, B's primes are the
#    primes below 60, C is killed for its null-pointer store, and myvmm
#    exits 0 (the kernel powered the machine off);
#  - three at once on two threads: each VM prints exactly that;
#  - across a snapshot at OS_POINTS random instruction counts (OS_SEED):
#    first part + resumed part = the whole output, same final hash;
#  - across a loopback live migration: the same output and final hash;
#  - --stats counts TLB refills, guest TLB writes and guest exceptions;
#  - the same kernel with a one-process table of its own runs it; a
#    table with nproc 0 or 9 (MAXPROC is 8) is refused.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
. "$TOP/tests/e2e/migrate/lib.sh"
CFG=$TOP/samples/os/demo.cfg
EXP=$TOP/samples/os/demo.expected
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# alone
timeout 30 "$MYVMM" --final-hash -v "$CFG" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || bad "alone: exit status $rc: $(tail -n 3 "$tmp/err")"
diff -u "$EXP" "$tmp/out" >"$tmp/d" || bad "alone: output differs from demo.expected: $(head -n 20 "$tmp/d")"
want=$(python3 -c 'print(" ".join(str(n) for n in range(2, 60) if all(n % d for d in range(2, n))))')
grep -qx "B: primes below 60: $want" "$tmp/out" || bad "B's line is not the primes below 60 ($want)"
grep -q '^\[kernel\] process C killed: TLBS at address 0x00000000' "$tmp/out" || bad "C was not killed for its null store"
grep -q 'C: still alive' "$tmp/out" && bad "C ran on after its fault"
[ "$(grep -c '^A: my counter at 0x7fffe000 is' "$tmp/out")" = 5 ] || bad "A did not count to 5"
hash=$(final_hash "$tmp/err")
[ -n "$hash" ] || bad "alone: no final hash: $(cat "$tmp/err")"

# three at once, two threads
timeout 60 "$MYVMM" -j 2 -v "$CFG" -v "$CFG" -v "$CFG" </dev/null >"$tmp/three" 2>"$tmp/three.err"
rc=$?
[ $rc -eq 0 ] || bad "three VMs: exit status $rc: $(tail -n 3 "$tmp/three.err")"
for vm in vm1 vm2 vm3; do
    sed -n "s/^$vm | //p" "$tmp/three" >"$tmp/$vm"
    cmp -s "$EXP" "$tmp/$vm" || bad "three VMs: $vm's output differs: $(diff "$EXP" "$tmp/$vm" | head -n 10)"
done

# across a snapshot
RANDOM=${OS_SEED:-$$}
echo "seed $RANDOM (OS_SEED)"
"$MYVMM" --snapshot-on-exit "$tmp/end.bin" -v "$CFG" </dev/null >/dev/null 2>&1
n=$("$MYVMM" --snapshot-info "$tmp/end.bin" | sed -n 's/^instructions: //p')
[ -n "$n" ] && [ "$n" -gt 100 ] || bad "no instruction count from the final snapshot"
for _ in $(seq "${OS_POINTS:-5}"); do
    [ -n "$n" ] || break
    k=$(( (RANDOM * 32768 + RANDOM) % (n - 1) + 1 ))
    rm -f "$tmp/s.bin"
    "$MYVMM" --max-instructions "$k" --snapshot-on-exit "$tmp/s.bin" -v "$CFG" </dev/null \
        >"$tmp/a" 2>"$tmp/a.err"
    [ -s "$tmp/s.bin" ] || { bad "@$k: no snapshot: $(head -c 300 "$tmp/a.err")"; continue; }
    "$MYVMM" --final-hash -v "$CFG" -s "$tmp/s.bin" </dev/null >"$tmp/b" 2>"$tmp/b.err"
    rc=$?
    [ $rc -eq 0 ] || bad "@$k: resumed run's exit status $rc: $(tail -n 3 "$tmp/b.err")"
    cat "$tmp/a" "$tmp/b" | cmp -s - "$EXP" || bad "@$k: output before + after the snapshot differs"
    [ "$(final_hash "$tmp/b.err")" = "$hash" ] || bad "@$k: final hash differs"
done

# across a live migration on loopback: A pauses longer (the same lines,
# 50 million instructions), so that the VM is still running when the
# destination has connected, on a loaded host too
cd "$tmp" || exit 1
mkdir slow && cp "$TOP"/samples/os/*.s "$TOP/samples/os/demo.cfg" slow/ || exit 1
sed -i 's/li    \$t1, 400000 /li    $t1, 5000000 /' slow/user.s
grep -q 'li    \$t1, 5000000 ' slow/user.s || bad "migration: could not lengthen A's pause"
timeout 60 "$MYVMM" --final-hash -v slow/demo.cfg </dev/null >slow.out 2>slow.err
cmp -s slow.out "$EXP" || bad "the slow demo's output differs: $(diff "$EXP" slow.out | head -n 5)"
hash=$(final_hash slow.err)
if start_dest dst.out dst.err --final-hash </dev/null; then
    timeout 60 "$MYVMM" --migrate "tcp:127.0.0.1:$DPORT" --migrate-after 20000 -v slow/demo.cfg \
        </dev/null >src.out 2>src.err
    rc=$?
    grep -q "summary: handed over" src.err || kill "$DPID" 2>/dev/null
    wait_dest
    drc=$?
    [ $rc -eq 0 ] || bad "migration: source exit $rc: $(tail -n 3 src.err)"
    [ $drc -eq 0 ] || bad "migration: destination exit $drc: $(tail -n 3 dst.err)"
    grep -q "summary: handed over" src.err || bad "migration: the source kept the VM: $(tail -n 5 src.err)"
    cat src.out dst.out | cmp -s - "$EXP" || bad "migration: source + destination output differs: $(cat src.out dst.out | diff "$EXP" - | head)"
    [ "$(final_hash dst.err)" = "$hash" ] || bad "migration: final hash differs"
else
    bad "migration: no destination"
fi

# the two levels in --stats
"$MYVMM" --stats -v "$CFG" </dev/null >/dev/null 2>"$tmp/stats"
grep -Eq 'tlb: [1-9][0-9]* refills, [1-9][0-9]* guest TLB writes, [1-9][0-9]* shadow flushes' "$tmp/stats" ||
    bad "--stats shows no TLB refills, writes or flushes: $(cat "$tmp/stats")"
# nine system calls (A: 5 lines and exit, B: line and exit, C: one line),
# C's TLBS, at least one timer interrupt delivered
grep -Eq 'guest exceptions: [0-9]+ \(.*[1-9][0-9]* Int.*[1-9][0-9]* TLBS, 9 Sys\); interrupts raised: [1-9][0-9]* \([1-9][0-9]* IP7 timer\)' "$tmp/stats" ||
    bad "--stats: guest exceptions by kind: $(grep 'guest exceptions' "$tmp/stats")"
# --trace-exits: no syscall exits (the guest's kernel takes them), each
# guest exception and raised interrupt line is shown, the run ends in the
# board's power-off exit
"$MYVMM" --trace-exits -v "$CFG" </dev/null >/dev/null 2>"$tmp/trace"
grep -q 'exit syscall' "$tmp/trace" && bad "--trace-exits: a syscall exit on the bare machine"
[ "$(grep -c '^\[vm1\] guest exception Sys in user mode at 0x004' "$tmp/trace")" = 9 ] ||
    bad "--trace-exits: not 9 Sys exceptions from user mode: $(grep -c 'guest exception Sys' "$tmp/trace")"
grep -q "^\[vm1\] guest exception TLBS (TLB refill) in user mode at 0x[0-9a-f]*, BadVAddr 0x00000000: to the guest's vector 0x80000000" "$tmp/trace" ||
    bad "--trace-exits: C's refill is not shown"
grep -q '^\[vm1\] guest interrupt line IP7 (timer) raised' "$tmp/trace" || bad "--trace-exits: no timer interrupt raised"
tail -n 1 "$tmp/trace" | grep -q 'exit poweroff .*board powered off: exit 0' || bad "--trace-exits: last line $(tail -n 1 "$tmp/trace")"

# the kernel runs any process table (procs.s): one process of its own, and
# a table it has no room for (nproc outside 1..MAXPROC) is refused
cat >"$tmp/one.s" <<S
        .include "$TOP/samples/os/kernel.s"
        .kdata
nproc:   .word 1
entries: .word main
names:   .word name_main
gmap:    .word 0x00400000, 0x00010003, 0x00010043
         .word 0x10010000, 0x00400407, 0x00400447
         .word -1
name_main: .asciiz "main"
        .data
n:      .word 41
        .text
main:   lw    \$t0, n
        addiu \$t0, \$t0, 1
        sw    \$t0, n
        move  \$a0, \$t0
        li    \$v0, 1
        syscall
        li    \$v0, 10
        syscall
S
printf '[kernel] booting: 1 processes, one address space each\n42[kernel] process main exited\n[kernel] all processes finished: power off\n' >"$tmp/one.want"
timeout 30 "$MYVMM" --machine bare "$tmp/one.s" </dev/null >"$tmp/one.out" 2>"$tmp/one.err"
rc=$?
[ $rc -eq 0 ] || bad "a one-process table: exit status $rc: $(tail -n 3 "$tmp/one.err")"
cmp -s "$tmp/one.want" "$tmp/one.out" || bad "a one-process table: $(diff "$tmp/one.want" "$tmp/one.out")"
for np in 0 9; do
    sed "s/^nproc:   .word 1/nproc:   .word $np/" "$tmp/one.s" >"$tmp/bad$np.s"
    timeout 30 "$MYVMM" --machine bare "$tmp/bad$np.s" </dev/null >"$tmp/bad.out" 2>"$tmp/bad.err"
    rc=$?
    [ $rc -eq 1 ] || bad "nproc $np: exit status $rc, not 1 (the kernel's power-off status)"
    [ "$(cat "$tmp/bad.out")" = "[kernel] the process table's nproc is not 1 to 8: power off" ] ||
        bad "nproc $np: $(cat "$tmp/bad.out")"
done

[ $fail -eq 0 ] && echo "os_demo: all checks passed"
exit $((fail > 0))
