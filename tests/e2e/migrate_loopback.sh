#!/usr/bin/env bash
# migrate_loopback.sh -- two real myvmm processes on loopback: a compute
# loop, a floating-point loop (FP registers, rounding mode, flags), a
# program writing 8 MiB fast, and one reading console input with
# lines still pending are migrated while they run; the source's output
# followed by the destination's is exactly the unmigrated run's output, and
# the final register + memory hash is the same.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
. "$TOP/tests/e2e/migrate/lib.sh"
P=$TOP/tests/e2e/migrate
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
seq 1 40 >in.txt
echo 0 >>in.txt

# case NAME PROGRAM AFTER [extra source args]: input is in.txt for both
case_() {
    local name=$1 prog=$2 after=$3
    shift 3
    timeout 60 "$MYVMM" --final-hash "$prog" <in.txt >ref.out 2>ref.err || bad "$name: reference run: $(cat ref.err)"
    start_dest dst.out dst.err --final-hash <in.txt || { bad "$name: no destination"; return; }
    timeout 60 "$MYVMM" --final-hash --migrate "tcp:127.0.0.1:$DPORT" --migrate-after "$after" "$@" \
        "$prog" <in.txt >src.out 2>src.err
    local rc=$?
    # a destination whose source kept the VM waits for the next one: stop it
    grep -q "summary: handed over" src.err || kill "$DPID" 2>/dev/null
    wait_dest
    local drc=$?
    [ $rc -eq 0 ] || bad "$name: source exit $rc: $(tail -n 3 src.err)"
    [ $drc -eq 0 ] || bad "$name: destination exit $drc: $(tail -n 3 dst.err)"
    grep -q "summary: handed over" src.err || bad "$name: source did not hand over: $(cat src.err)"
    grep -q "migrated to" src.err || bad "$name: no 'migrated to' line"
    grep -q "downtime" src.err || bad "$name: no downtime in the summary"
    grep -q "summary: VM received and running here" dst.err || bad "$name: destination summary missing: $(cat dst.err)"
    [ -s src.out ] || bad "$name: the source printed nothing before the migration"
    [ -s dst.out ] || bad "$name: the destination printed nothing after it"
    cat src.out dst.out >both.out
    cmp -s both.out ref.out || bad "$name: output differs: $(diff both.out ref.out | head -n 5)"
    local h1 h2
    h1=$(final_hash ref.err)
    h2=$(final_hash dst.err)
    [ -n "$h1" ] && [ "$h1" = "$h2" ] || bad "$name: final hash $h2, unmigrated $h1"
    echo "$name: ok ($(sed -n 's/.*summary: handed over[^;]*; //p' src.err))"
}
# 1.1 G instructions: a migration that starts at 12 M must not find the
# program ended (connecting alone may take 100 ms on a loaded machine, and
# the translation tier runs this loop at 2 G instructions a second)
compute_n 100000000 compute100.s || bad "could not make compute100.s"
case_ compute compute100.s 12000000
case_ compute-fp "$P/compute_fp.s" 12000000
# input.s spinning 10x as long between reads (330 M instructions in all)
sed 's/li    \$t0, 400000$/li    $t0, 4000000/' "$P/input.s" >input10.s
grep -q 4000000 input10.s || bad "could not make input10.s"
case_ input input10.s 9000000
# a writer of 750 M instructions: its rounds converge before it ends
sed 's/li    \$t3, 12$/li    $t3, 60/' "$P/writer.s" >writer60.s
case_ writer writer60.s 40000000
# a link slower than the writer dirties memory (auto-converge), and a
# small downtime budget: still exact (150 passes, 1.9 G instructions: the
# rounds until auto-converge has slowed the VM enough take half a second
# and more, which 60 passes with the translation tier do not outlast)
sed 's/li    \$t3, 12$/li    $t3, 150/' "$P/writer.s" >writer150.s
case_ writer-slow-link writer150.s 30000000 --max-bandwidth 100M --max-downtime 5
# SIGUSR2 as the trigger (no --migrate-after)
start_dest dst.out dst.err --final-hash || bad "sigusr2: no destination"
# a compute loop of 1.1 G instructions (a second and more with the
# translation tier); the signal goes once the guest printed its first
# line (it runs, myvmm's handler is in place), not after a time
compute_n 100000000 long.s || bad "could not make long.s"
timeout 60 "$MYVMM" --final-hash long.s >ref.out 2>ref.err
"$MYVMM" --final-hash --migrate "tcp:127.0.0.1:$DPORT" long.s >src.out 2>src.err &
spid=$!
for _ in $(seq 1 1200); do [ -s src.out ] && break; sleep 0.05; done
[ -s src.out ] || bad "sigusr2: the source printed nothing in 60 s"
kill -USR2 $spid
wait $spid || bad "sigusr2: source exit $?: $(tail -n 3 src.err)"
grep -q "summary: handed over" src.err || kill "$DPID" 2>/dev/null
wait_dest || bad "sigusr2: destination exit $?"
cat src.out dst.out | cmp -s - ref.out || bad "sigusr2: output differs"
[ "$(final_hash ref.err)" = "$(final_hash dst.err)" ] || bad "sigusr2: final hash differs"
grep -q "summary: handed over" src.err || bad "sigusr2: no hand-over: $(cat src.err)"

echo "migrate_loopback: $fail failures"
[ $fail -eq 0 ]
