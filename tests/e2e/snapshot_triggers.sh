#!/usr/bin/env bash
# snapshot_triggers.sh -- snapshots taken from outside the guest:
#  - SIGUSR1: a VM with vm_snapshot in its config writes its snapshot there
#    (at the end of its current slice) and goes on; a second signal writes a
#    later one;
#  - --snapshot-every N: rotating PATH.1, PATH.2, PATH.3, each at (or just
#    after) a multiple of N instructions, the newest with the highest count,
#    and each one resumes to the same output as the whole run;
#  - --snapshot-compress gives a smaller file that restores the same.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
icount() { "$MYVMM" --snapshot-info "$1" 2>/dev/null | sed -n 's/^instructions: //p'; }

# --- SIGUSR1 ---
cat >spin.s <<'S'
# spins for a long time, printing a dot every 2^22 iterations
	.text
main:	li	$s0, 0
loop:	addiu	$s0, $s0, 1
	andi	$t0, $s0, 0x3fffff
	bnez	$t0, loop
	li	$a0, '.'
	li	$v0, 11
	syscall
	b	loop
S
printf 'vm_binary = spin.s\nvm_snapshot = sig.bin\nvm_exec_slice_in_instructions = 10000\n' >spin.cfg
"$MYVMM" -v spin.cfg >spin.out 2>spin.err & pid=$!
sleep 0.3
kill -USR1 $pid
for _ in $(seq 100); do [ -s sig.bin ] && break; sleep 0.05; done
[ -s sig.bin ] || bad "SIGUSR1 wrote no sig.bin: $(cat spin.err)"
first=$(icount sig.bin)
[ -n "$first" ] && [ "$first" -gt 0 ] || bad "sig.bin does not load"
sleep 0.2
kill -USR1 $pid
sleep 0.5
second=$(icount sig.bin)
[ -n "$second" ] && [ "$second" -gt "${first:-0}" ] || bad "a second SIGUSR1 did not write a later snapshot ($first, then $second)"
kill -0 $pid 2>/dev/null || bad "the VM did not go on after SIGUSR1: $(cat spin.err)"
kill -9 $pid; wait $pid 2>/dev/null; pid=
# a VM without vm_snapshot ignores the signal (and does not die of it)
"$MYVMM" -v spin.s >/dev/null 2>err2 & pid=$!
sleep 0.2; kill -USR1 $pid; sleep 0.2
kill -0 $pid 2>/dev/null || bad "SIGUSR1 killed a VM without vm_snapshot"
kill -9 $pid; wait $pid 2>/dev/null; pid=
ls ./*.snap* >/dev/null 2>&1 && bad "a VM without vm_snapshot wrote a file"

# --- --snapshot-every ---
src=$TOP/tests/spim/hanoi.s
[ -f "$src" ] || src=$TOP/samples/recursion.s
"$MYVMM" --snapshot-on-exit end.bin -v "$src" >full 2>/dev/null
total=$(icount end.bin)
n=$(( total / 5 ))
[ "$n" -gt 0 ] || { bad "program too short ($total)"; n=1; }
"$MYVMM" --snapshot-every $n -v "$src" >every.out 2>every.err || true
cmp -s full every.out || bad "--snapshot-every changed the output"
newest= best=0
for k in 1 2 3; do
    f=vm1.snap.$k
    [ -s $f ] || { bad "no $f: $(cat every.err)"; continue; }
    c=$(icount $f)
    [ -n "$c" ] || { bad "$f does not load"; continue; }
    [ $((c % n)) -lt 1000 ] || bad "$f at $c instructions, not near a multiple of $n"
    [ "$c" -gt "$best" ] && { best=$c; newest=$f; }
    out=$(printf '%s' "$f" | tr . _)
    "$MYVMM" -s $f >"$out" 2>/dev/null
    bytes=$("$MYVMM" --snapshot-info $f | sed -n 's/^console: \([0-9]*\) bytes written.*/\1/p')
    tail -c +$((bytes + 1)) full | cmp -s - "$out" || bad "$f does not resume to the rest of the output"
done
[ "$best" -ge $((4 * n)) ] || bad "the newest rotated snapshot ($newest) is at $best, expected >= $((4 * n))"

# --- --snapshot-compress ---
cat >mem.s <<'S'
# fills 1 MiB with a pattern, then snapshots and prints a checksum
	.text
main:	li	$v0, 9
	li	$a0, 1048576
	syscall
	move	$t0, $v0
	li	$t1, 262144
	li	$t2, 0
fill:	sw	$t2, 0($t0)
	addiu	$t0, $t0, 4
	addiu	$t2, $t2, 3
	addiu	$t1, $t1, -1
	bnez	$t1, fill
	SNAPSHOT mem.bin
	move	$a0, $t2
	li	$v0, 1
	syscall
S
"$MYVMM" -v mem.s >m1 2>/dev/null && cp mem.bin raw.bin
"$MYVMM" --snapshot-compress -v mem.s >m2 2>merr
if grep -q 'without zstd' merr; then
    echo "zstd not built in: compression refusal checked instead"
else
    cmp -s m1 m2 || bad "compression changed the output"
    [ "$(wc -c <mem.bin)" -lt "$(wc -c <raw.bin)" ] || bad "compressed $(wc -c <mem.bin) >= raw $(wc -c <raw.bin)"
    "$MYVMM" --snapshot-info mem.bin | grep -q '(zstd)' || bad "info does not say zstd"
    "$MYVMM" -s mem.bin >m3 2>/dev/null
    cmp -s <(tail -c +1 m1) m3 || bad "compressed snapshot resumes differently"
fi
echo "snapshot_triggers: $fail failures"
[ $fail -eq 0 ]
