#!/usr/bin/env bash
# vm_snapshot_order.sh -- -s belongs to the -v before it or, when it comes
# first, to the next -v: both orders resume a SNAPSHOT taken mid-program
# and print exactly what the uninterrupted run printed after that point.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
cat >p.txt <<'S'
li $1, 6
li $2, 7
mul $3, $1, $2
SNAPSHOT snap.bin
addi $3, $3, 1
DUMP_PROCESSOR_STATE
S
timeout 20 "$MYVMM" -v p.txt >full 2>err || bad "first run: exit $?: $(cat err)"
[ -s snap.bin ] || bad "SNAPSHOT left no snap.bin"
grep -qx '\$r3=43' full || bad "first run: no \$r3=43 in $(tr '\n' ' ' <full)"
cp snap.bin keep.bin
for order in "-v p.txt -s keep.bin" "-s keep.bin -v p.txt"; do
    # shellcheck disable=SC2086 # the order is words on purpose
    timeout 20 "$MYVMM" $order >resumed 2>err || bad "'$order': exit $?: $(cat err)"
    cmp -s full resumed || bad "'$order': output differs: $(diff full resumed | head -n 4)"
done
# two VMs, -s in the middle: belongs to the first
cp keep.bin snap2.bin
timeout 20 "$MYVMM" -v p.txt -s keep.bin -v p.txt >two 2>err || bad "two VMs: exit $?: $(cat err)"
[ "$(grep -c '\$r3=43' two)" = 2 ] || bad "two VMs: $(cat two | head -n 3)"

echo "vm_snapshot_order: $fail failures"
[ $fail -eq 0 ]
