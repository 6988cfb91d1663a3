#!/usr/bin/env bash
# disk_migrate.sh -- live migration of a VM with a local disk, on loopback
# (docs/migration-protocol.md): tests/e2e/migrate/disk_writer.s rewrites
# its disk all the time, so disk writes are in flight in every round; the
# source's output then the destination's is one run's output, and the
# destination's --disk image is the image one run leaves.  A destination
# without --disk refuses the VM (the source finishes it, its image whole),
# and one whose --disk is the source's own image (locked) refuses too,
# leaving it alone.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
. "$TOP/tests/e2e/migrate/lib.sh"
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# the writer at 120 passes (440 M instructions): a migration started at
# 120 M has 320 M left, a third of a second with the translation tier, for
# connecting and the rounds; the guest must not end before the hand-over
sed 's/bne   \$s4, 40, pass/bne   $s4, 120, pass/' "$TOP/tests/e2e/migrate/disk_writer.s" >writer.s
grep -q '120, pass' writer.s || bad "could not make writer.s"
W=$PWD/writer.s
truncate -s 1M ref.img
"$MYVMM" --final-hash --disk ref.img "$W" >ref.out 2>ref.err || { echo "reference run failed"; exit 1; }

for after in 20000000 70000000 120000000; do
    rm -f src.img dst.img && truncate -s 1M src.img
    printf 'old contents' >dst.img # replaced at GO
    start_dest dst.out dst.err --final-hash --disk dst.img || { bad "$after: no destination"; continue; }
    timeout 60 "$MYVMM" --final-hash --disk src.img --migrate "tcp:127.0.0.1:$DPORT" \
        --migrate-after "$after" "$W" >src.out 2>src.err || bad "$after: source: $(tail -n 3 src.err)"
    grep -q "summary: handed over" src.err || kill "$DPID" 2>/dev/null
    wait_dest || bad "$after: destination: $(tail -n 3 dst.err)"
    grep -q "summary: handed over" src.err || bad "$after: no hand-over: $(cat src.err)"
    grep -q "the disk: 256 blocks with data" src.err || bad "$after: round 0 sent no disk"
    cat src.out dst.out | cmp -s - ref.out || bad "$after: output differs"
    cmp -s dst.img ref.img || bad "$after: the destination's image differs from one run's"
    [ -e dst.img.incoming ] && bad "$after: dst.img.incoming left behind"
    [ "$(final_hash dst.err)" = "$(final_hash ref.err)" ] || bad "$after: final hash differs"
    echo "after $after: $(sed -n 's/.*summary: handed over[^;]*; //p' src.err)"
done

# no --disk at the destination: refused, the source goes on
rm -f src.img && truncate -s 1M src.img
start_dest dst.out dst.err || bad "no --disk: no destination"
timeout 60 "$MYVMM" --disk src.img --migrate "tcp:127.0.0.1:$DPORT" --migrate-after 20000000 "$W" \
    >src.out 2>src.err || bad "no --disk: source exit: $(tail -n 3 src.err)"
kill "$DPID" 2>/dev/null; wait "$DPID" 2>/dev/null
grep -q "this destination has no --disk for it; the VM resumes here" src.err &&
    grep -q "^  help: start the destination with --disk FILE: the disk arrives in FILE" src.err ||
    bad "no --disk: $(cat src.err)"
cmp -s src.out ref.out && cmp -s src.img ref.img || bad "no --disk: the source did not finish the VM"

# --disk the source's own image: refused (locked), the image untouched
rm -f src.img && truncate -s 1M src.img
start_dest dst.out dst.err --disk src.img || bad "same image: no destination"
timeout 60 "$MYVMM" --disk src.img --migrate "tcp:127.0.0.1:$DPORT" --migrate-after 20000000 "$W" \
    >src.out 2>src.err || bad "same image: source exit: $(tail -n 3 src.err)"
kill "$DPID" 2>/dev/null; wait "$DPID" 2>/dev/null
grep -q "disk src.img is in use by another VM here" src.err || bad "same image: $(cat src.err)"
cmp -s src.out ref.out && cmp -s src.img ref.img || bad "same image: the source did not finish the VM"

echo "disk_migrate: $fail failures"
[ $fail -eq 0 ]
