#!/usr/bin/env bash
# vm_output.sh -- guest output is never held back or lost (docs/myvmm.md,
# Output and Exit status):
#  1. to a pipe, a line arrives while the VM still runs, and so does an
#     unfinished line (one VM: within 100 ms of the guest writing it);
#  2. SIGTERM stops a VM that prints lines: exit status 143, a note on
#     stderr, and the file holds every byte the guest wrote (the
#     --snapshot-on-exit file counts them), lines in order;
#  3. SIGINT stops a single VM blocked reading its input (130), and
#     SIGHUP stops a VM waiting for input beside one that prints (129),
#     lines whole with their prefixes.
# Every wait is for an event, with a generous bound (20 s).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
pids=
trap 'for p in $pids; do kill -9 $p 2>/dev/null; done; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# until CMD: run it every 50 ms, at most 20 s
until_true() { for _ in $(seq 400); do eval "$1" && return 0; sleep 0.05; done; return 1; }

cat >spin.s <<'S'
# A line, an unfinished line, then compute forever.
	.data
msg:	.asciiz	"first\n"
part:	.asciiz	"partial"
	.text
main:	li	$v0, 4
	la	$a0, msg
	syscall
	li	$v0, 4
	la	$a0, part
	syscall
spin:	b	spin
S
cat >count.s <<'S'
# "line N" for N = 1, 2, ... forever, some computing between lines.
	.data
pre:	.asciiz	"line "
	.text
main:	li	$s0, 1
loop:	li	$v0, 4
	la	$a0, pre
	syscall
	li	$v0, 1
	move	$a0, $s0
	syscall
	li	$v0, 11
	li	$a0, 10
	syscall
	addiu	$s0, $s0, 1
	li	$t0, 200000
busy:	addiu	$t0, $t0, -1
	bnez	$t0, busy
	b	loop
S
cat >ask.s <<'S'
# A prompt, then a read that waits for input that never comes.
	.data
q:	.asciiz	"ask\n"
	.text
main:	li	$v0, 4
	la	$a0, q
	syscall
	li	$v0, 5
	syscall
	li	$v0, 10
	syscall
S

# 1. a pipe gets the line and the unfinished line while the VM computes
mkfifo a.fifo
"$MYVMM" -v spin.s >a.fifo 2>errA & pid=$!
pids="$pids $pid"
exec 3<a.fifo
line= part=
IFS= read -r -t 20 line <&3
IFS= read -r -t 20 -N 7 part <&3
kill -0 $pid 2>/dev/null || bad "1: myvmm ended by itself"
[ "$line" = first ] || bad "1: the line did not reach the pipe while the VM ran (got '$line')"
[ "$part" = partial ] || bad "1: the unfinished line did not reach the pipe while the VM ran (got '$part')"
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
exec 3<&-
[ $rc = 143 ] || bad "1: SIGTERM: exit status $rc, expected 143 (128 + 15)"
grep -q 'stopped by SIGTERM' errA || bad "1: no note of the signal on stderr: $(cat errA)"

# 2. SIGTERM while lines pour into a file: every byte written arrives
"$MYVMM" --snapshot-on-exit end.snap -v count.s >out2 2>err2 & pid=$!
pids="$pids $pid"
until_true '[ "$(wc -l <out2)" -ge 3 ]' || bad "2: no lines in the file while the VM ran"
kill -TERM $pid
wait $pid
rc=$?
[ $rc = 143 ] || bad "2: exit status $rc, expected 143: $(cat err2)"
"$MYVMM" --snapshot-info end.snap >info 2>&1 || bad "2: no --snapshot-on-exit file: $(cat info)"
wrote=$(sed -n 's/^console: \([0-9]*\) bytes written.*/\1/p' info)
got=$(wc -c <out2)
[ -n "$wrote" ] && [ "$got" = "$wrote" ] || bad "2: the guest wrote ${wrote:-?} bytes, the file has $got"
n=$(wc -l <out2)
awk '$0 != "line " NR { bad = 1 } END { exit bad }' out2 || bad "2: lines missing or out of order: $(head -c 200 out2)"
echo "2: $n lines, $got bytes written and found"

# 3a. SIGINT: a single VM blocked in a read of a pipe nobody writes to
mkfifo in.fifo
exec 4<>in.fifo # held open, never written: the read blocks
# (a background job of a script starts with SIGINT ignored, and myvmm
# keeps an ignored signal ignored, as nohup expects for SIGHUP)
env --default-signal=INT "$MYVMM" --snapshot-on-exit ask.snap -v ask.s <in.fifo >out3 2>err3 & pid=$!
pids="$pids $pid"
until_true 'grep -q ask out3' || bad "3a: no prompt"
sleep 0.2 # let the read start waiting (if it had not, the test only gets easier)
kill -INT $pid
until_true '! kill -0 $pid 2>/dev/null' || { bad "3a: myvmm still runs 20 s after SIGINT"; kill -9 $pid; }
wait $pid
rc=$?
[ $rc = 130 ] || bad "3a: exit status $rc, expected 130: $(cat err3)"
grep -q 'stopped by SIGINT' err3 || bad "3a: no note of the signal: $(cat err3)"
[ -s ask.snap ] || bad "3a: the host loop did not stop the VM (no --snapshot-on-exit file)"

# 3b. SIGHUP: two VMs (prefixed lines), one printing, one waiting for input
"$MYVMM" -j 2 -v count.s -v ask.s <in.fifo >out4 2>err4 & pid=$!
pids="$pids $pid"
until_true '[ "$(grep -c "^vm1 | " out4)" -ge 3 ] && grep -q "^vm2 | ask" out4' || bad "3b: lines did not arrive while the VMs ran: $(head -c 200 out4)"
kill -HUP $pid
until_true '! kill -0 $pid 2>/dev/null' || { bad "3b: myvmm still runs 20 s after SIGHUP"; kill -9 $pid; }
wait $pid
rc=$?
exec 4>&-
[ $rc = 129 ] || bad "3b: exit status $rc, expected 129: $(cat err4)"
grep -vqE '^vm1 \| line [0-9]+$|^vm2 \| ask$' out4 && bad "3b: a line that is not whole: $(grep -vE '^vm1 \| line [0-9]+$|^vm2 \| ask$' out4 | head -3)"
grep '^vm1 | ' out4 | awk '$0 != "vm1 | line " NR { bad = 1 } END { exit bad }' || bad "3b: vm1's lines missing or out of order"
[ "$(grep -c 'stopped by SIGHUP$' err4)" = 2 ] || bad "3b: both VMs must say they were stopped: $(cat err4)"

echo "vm_output: $fail failures"
[ $fail -eq 0 ]
