#!/usr/bin/env bash
# snapshot_fixtures.sh -- snapshots written by older myvmm builds still
# load and resume with the output those builds gave.  The files in
# tests/snapshots/ were written once (by main at c543db6, format 1 with
# one version for the whole file) and are never regenerated:
#  - state-v1.snap: tests/snapshots/state.s at its SNAPSHOT (every kind of
#    state: HI/LO, cp0 timer, break, heap page, queued input, an open guest
#    file, a MARS generator, virtual sleep, MMIO registers);
#  - original-v1.snap: samples/assembly_file_vm1.txt at its SNAPSHOT line;
#  - state-v2.snap: state.s again, written by main at af7f191 (format 2,
#    CPU body version 1: before coprocessor 1);
#  - state-cpu2.snap: state.s again, written by main at 0613cc1 (CPU body
#    version 2: before the delay slots);
#  - recv6-nic1.snap: tests/e2e/net/recv6.s (docs/network.md, "Snapshots")
#    with three frames in its ring and three in its card's FIFO, written
#    by main at 3b77dde (NIC body version 1: before the LAN's name).
# The expected outputs were recorded from the same build.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
FIX=$TOP/tests/snapshots
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

cd "$tmp" || exit 1
cp -r "$FIX/root" root
"$MYVMM" --fs-root root -v "$FIX/state.s" -s "$FIX/state-v1.snap" </dev/null >out 2>err ||
    bad "state-v1.snap: exit $?: $(cat err)"
cmp -s out "$FIX/state.resume.expected" ||
    bad "state-v1.snap resumed differently: $(diff "$FIX/state.resume.expected" out | head -5)"
"$MYVMM" --fs-root root -v "$FIX/state.s" -s "$FIX/state-v2.snap" </dev/null >out 2>err ||
    bad "state-v2.snap: exit $?: $(cat err)"
cmp -s out "$FIX/state.resume.expected" ||
    bad "state-v2.snap resumed differently: $(diff "$FIX/state.resume.expected" out | head -5)"
"$MYVMM" --fs-root root -v "$FIX/state.s" -s "$FIX/state-cpu2.snap" </dev/null >out 2>err ||
    bad "state-cpu2.snap: exit $?: $(cat err)"
cmp -s out "$FIX/state.resume.expected" ||
    bad "state-cpu2.snap resumed differently: $(diff "$FIX/state.resume.expected" out | head -5)"
"$MYVMM" --snapshot-info "$FIX/state-v2.snap" >info2 2>err || bad "snapshot-info v2: $(cat err)"
grep -q 'fpu: none in a version-1 CPU section' info2 || bad "info v2: $(cat info2)"
# A fresh run of the same program still writes a snapshot that resumes
# the same way (what the fixture was made with).
cp "$FIX/state.s" .
"$MYVMM" --fs-root root -v state.s <"$FIX/state.in" >full 2>err || bad "state.s: exit $?: $(cat err)"
cmp -s full "$FIX/state.full.expected" || bad "state.s printed: $(cat full)"
"$MYVMM" --fs-root root -v state.s -s state.snap </dev/null >out2 2>err || bad "new snapshot: $(cat err)"
cmp -s out2 "$FIX/state.resume.expected" || bad "new snapshot resumed: $(cat out2)"
"$MYVMM" --snapshot-info "$FIX/state-v1.snap" >info 2>err || bad "snapshot-info: $(cat err)"
grep -q 'console: 7 bytes written, 1 bytes read, 3 queued' info || bad "info: $(cat info)"
grep -q '1 random generator; 1 open file' info || bad "info: $(cat info)"
"$MYVMM" --snapshot-info state.snap >info3 2>err || bad "snapshot-info new: $(cat err)"
grep -q 'CPU     v4        708 bytes' info3 || bad "new CPU section: $(cat info3)"
grep -q 'fpu: FCSR 0x00000000, 0 of 32 registers non-zero' info3 || bad "new fpu: $(cat info3)"

cp "$TOP/samples/assembly_file_vm1.txt" "$TOP/samples/instructions_vm1.txt" . 2>/dev/null
"$MYVMM" -v assembly_file_vm1.txt -s "$FIX/original-v1.snap" >out3 2>err ||
    bad "original-v1.snap: exit $?: $(cat err)"
cmp -s out3 "$FIX/original.resume.expected" ||
    bad "original-v1.snap resumed differently: $(diff "$FIX/original.resume.expected" out3 | head -5)"

# A NIC section of version 1 still reads: with a card given (--net), the
# six frames come out; without one it names no LAN, so the restore asks
# for one.
"$MYVMM" --net lan0 -v "$TOP/tests/e2e/net/recv6.s" -s "$FIX/recv6-nic1.snap" >out4 2>err ||
    bad "recv6-nic1.snap: exit $?: $(cat err)"
[ "$(cat out4)" = "$(printf 'got %s\n' 1 2 3 4 5 6)" ] || bad "recv6-nic1.snap resumed differently: $(cat out4)"
"$MYVMM" --snapshot-info "$FIX/recv6-nic1.snap" >info4 2>err || bad "snapshot-info nic1: $(cat err)"
grep -q '^nic: MAC 62:23:cc:0d:f3:d3, LAN (not named: version 1), .*3 frames pending' info4 ||
    bad "info nic1: $(grep nic info4)"
"$MYVMM" -v "$TOP/tests/e2e/net/recv6.s" -s "$FIX/recv6-nic1.snap" >/dev/null 2>err &&
    bad "recv6-nic1.snap restored without a card"
grep -q "section NIC: the snapshot's VM has a network card (MAC 62:23:cc:0d:f3:d3) and names no LAN for it, and this one has none" err ||
    bad "recv6-nic1.snap without a card: $(cat err)"

[ $fail -eq 0 ] && echo "snapshot_fixtures: ok (5 snapshots from older builds)"
exit $fail
