#!/usr/bin/env bash
# migrate_triggers.sh -- the gaps closed after the first migration work:
#  1. the guest asks to be migrated (syscall 60, samples/migration/request.s);
#  2. a VM blocked in read_int with no input yet is migrated (SIGUSR2),
#     then its input is given to the destination: the output is right;
#  3. a source running two VMs sends one: the destination (--incoming-prefix)
#     prefixes its lines as the source did, the source's summary line says
#     "migrated to ADDR";
#  4. a failed attempt (nothing listening yet): the VM resumes, the reason
#     is shown, and a later SIGUSR2 migrates it.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
. "$TOP/tests/e2e/migrate/lib.sh"
P=$TOP/tests/e2e/migrate
tmp=$(mktemp -d)
trap 'exec 3>&- 4>&- 2>/dev/null; kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
f0=0
done_case() { [ $fail -eq $f0 ] && echo "$1: ok" || echo "$1: FAILED"; f0=$fail; }
# wait_pid PID SECONDS: wait for a background process, killing it after SECONDS
wait_pid() {
    local i
    for i in $(seq 1 $(($2 * 20))); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$1" 2>/dev/null && { kill "$1"; echo "(killed $1 after $2 s)"; }
    wait "$1"
}

# the source's VM printed its prompt: it reached its read
wait_prompt() {
    for _ in $(seq 1 200); do grep -q "two numbers?" src.out 2>/dev/null && return; sleep 0.05; done
}

# 1. the guest's request
# (its 8 blocks made 60: 600 M instructions, so that it outlives the
# migration it asks for after block 2 with the translation tier too)
sed 's/li    \$t4, 8$/li    $t4, 60/' "$TOP/samples/migration/request.s" >request.s
grep -q 't4, 60$' request.s || bad "request: could not make request.s"
REQ=$PWD/request.s
timeout 60 "$MYVMM" --final-hash "$REQ" >ref.out 2>ref.err || bad "request: reference run failed"
grep -q "no migration destination: staying here" ref.out || bad "request: syscall 60 without --migrate did not return -1: $(cat ref.out)"
start_dest dst.out dst.err --final-hash || bad "request: no destination"
timeout 60 "$MYVMM" --final-hash --migrate "tcp:127.0.0.1:$DPORT" "$REQ" >src.out 2>src.err ||
    bad "request: source exit $?: $(tail -n 3 src.err)"
grep -q "summary: handed over" src.err || kill "$DPID" 2>/dev/null
wait_dest || bad "request: destination exit $?"
grep -q "summary: handed over" src.err || bad "request: the guest's request did not migrate it: $(cat src.err)"
grep -q "asked to be migrated" src.out || bad "request: syscall 60 did not return 0 with --migrate"
[ -s dst.out ] || bad "request: nothing ran at the destination"
# apart from the line saying what syscall 60 returned, the same output
cat src.out dst.out | grep -v "asked to be migrated" >both.out
grep -v "staying here" ref.out | cmp -s - both.out || bad "request: output differs: $(grep -v 'staying here' ref.out | diff - both.out | head -n 5)"
done_case "guest request"

# 2. blocked in read_int, no input yet: SIGUSR2 must still migrate it
cat >sum2.s <<'S'
        .text
main:   li    $v0, 4
        la    $a0, prompt
        syscall
        li    $v0, 5
        syscall
        move  $s0, $v0
        li    $v0, 5
        syscall
        addu  $a0, $s0, $v0
        li    $v0, 1
        syscall
        li    $v0, 11
        li    $a0, 10
        syscall
        li    $v0, 10
        syscall
        .data
prompt: .asciiz "two numbers? "
S
mkfifo src.in dst.in
rm -f src.out
exec 3<>src.in 4<>dst.in # held open, empty: reads find nothing yet
# (not start_dest: a background job's stdin would be /dev/null)
rm -f dst.err
"$MYVMM" --incoming tcp:127.0.0.1:0 <dst.in >dst.out 2>dst.err &
DPID=$!
for _ in $(seq 1 100); do
    DPORT=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' dst.err)
    [ -n "$DPORT" ] && break
    sleep 0.05
done
"$MYVMM" --migrate "tcp:127.0.0.1:$DPORT" sum2.s <src.in >src.out 2>src.err &
spid=$!
wait_prompt # blocked in its read now (and SIGUSR2 handled)
kill -USR2 $spid
wait_pid $spid 10 || bad "waiting: source exit $?: $(tail -n 3 src.err)"
grep -q "summary: handed over" src.err || bad "waiting: the waiting VM was not migrated: $(cat src.err)"
printf '30\n12\n' >&4
exec 4>&-
wait_pid "$DPID" 10 || bad "waiting: destination exit $?: $(tail -n 3 dst.err)"
exec 3>&-
[ "$(cat src.out dst.out)" = "two numbers? 42" ] || bad "waiting: output '$(cat src.out dst.out)'"
done_case "waiting VM"

# 3. a two-VM source sends vm2: prefixes, and the summary line
# (vm2 at 1.1 G instructions, to outlive its migration with the tier)
compute_n 100000000 long.s || bad "prefix: could not make long.s"
timeout 60 "$MYVMM" -v "$P/compute.s" -v long.s </dev/null >ref.out 2>ref.err || bad "prefix: reference run"
start_dest dst.out dst.err --incoming-prefix || bad "prefix: no destination"
timeout 60 "$MYVMM" --migrate "vm2=tcp:127.0.0.1:$DPORT" --migrate-after 30000000 \
    -v "$P/compute.s" -v long.s </dev/null >src.out 2>src.err || bad "prefix: source exit $?: $(tail -n 3 src.err)"
grep -q "summary: handed over" src.err || kill "$DPID" 2>/dev/null
wait_dest || bad "prefix: destination exit $?"
grep -q "^myvmm: vm2: migrated to tcp:127.0.0.1:$DPORT, " src.err || bad "prefix: no 'vm2: migrated to' summary line: $(grep 'myvmm: vm2' src.err)"
grep -q "vm2: exited" src.err && bad "prefix: the summary says vm2 exited"
[ -s dst.out ] || bad "prefix: nothing ran at the destination"
grep -v -q "^vm2 | " dst.out && bad "prefix: unprefixed destination lines: $(grep -v '^vm2 | ' dst.out | head -n 2)"
cat src.out dst.out | grep "^vm2 | " >got2.txt
grep "^vm2 | " ref.out | cmp -s - got2.txt || bad "prefix: vm2's lines differ"
grep "^vm1 | " ref.out | cmp -s - <(grep "^vm1 | " src.out) || bad "prefix: vm1's lines differ"
done_case "prefix and summary"

# 4. a failed attempt, then a retry by SIGUSR2.  The VM waits for input
# (a fifo held open, empty) so it is still there however fast the core is.
start_dest x.out x.err || bad "retry: no port"
port=$DPORT
kill "$DPID"; wait "$DPID" 2>/dev/null
exec 3<>src.in 4<>dst.in
rm -f src.out src.err dst.err # the waits below read them: nothing stale
"$MYVMM" --migrate "tcp:127.0.0.1:$port" sum2.s <src.in >src.out 2>src.err &
spid=$!
wait_prompt # blocked in its read now (and SIGUSR2 handled)
kill -USR2 $spid
for _ in $(seq 1 100); do grep -q "resumes here" src.err && break; sleep 0.05; done
grep -q "failed: connect to tcp:127.0.0.1:$port.*the VM resumes here" src.err || bad "retry: no reason shown: $(cat src.err)"
kill -0 $spid 2>/dev/null || bad "retry: the source stopped after the failed attempt"
"$MYVMM" --incoming "tcp:127.0.0.1:$port" <dst.in >dst.out 2>dst.err &
DPID=$!
for _ in $(seq 1 100); do grep -q "waiting for a VM" dst.err && break; sleep 0.05; done
kill -USR2 $spid
wait_pid $spid 10 || bad "retry: source exit $?: $(tail -n 3 src.err)"
grep -q "(attempt 2)" src.err || bad "retry: no second attempt: $(cat src.err)"
grep -q "summary: handed over" src.err || bad "retry: not migrated on the second attempt: $(cat src.err)"
printf '5\n6\n' >&4
exec 4>&- 3>&-
wait_pid "$DPID" 10 || bad "retry: destination exit $?: $(tail -n 3 dst.err)"
[ "$(cat src.out dst.out)" = "two numbers? 11" ] || bad "retry: output '$(cat src.out dst.out)'"
done_case "retry"

echo "migrate_triggers: $fail failures"
[ $fail -eq 0 ]
