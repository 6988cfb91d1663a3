#!/usr/bin/env bash
# multi_original.sh -- the original tool's multi-VM commands work unchanged
# with the samples: two VMs at once, and a VM resumed from a snapshot next
# to a fresh one.  Each VM's dump equals its dump alone, and a few
# registers hold the values computed by hand in samples.sh (those that do
# not depend on how `li` of a large constant uses $at):
#   vm1 ends with $r4=8 $r7=174712 $r12=178905088 $r13=21
#   vm2 ends with $r4=-27 $r8=33344 $r13=32
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
[ -f "$TOP/samples/assembly_file_vm1.txt" ] || { echo "samples missing"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
cp "$TOP"/samples/assembly_file_vm[12].txt "$TOP"/samples/instructions_vm[12].txt "$tmp/"
cd "$tmp" || exit 1

has() { # vm reg value
    grep -qx "$1 | \\\$r$2=$3" out || bad "$label: no '$1 | \$r$2=$3' in the output"
}
vm1() { has vm1 4 8; has vm1 7 174712; has vm1 12 178905088; has vm1 13 21; }
vm2() { has vm2 4 -27; has vm2 8 33344; has vm2 13 32; }
# same VMNAME ALONEFILE: VMNAME's lines in out, prefix removed, are ALONEFILE
same() {
    grep "^$1 | " out | sed "s/^$1 | //" | cmp -s - "$2" || bad "$label: $1's dump differs from alone"
}
for v in 1 2; do
    timeout 20 "$MYVMM" -v assembly_file_vm$v.txt </dev/null >alone$v 2>/dev/null || bad "vm$v alone: exit $?"
done

for j in 1 2; do
    label="two VMs -j $j"
    timeout 20 "$MYVMM" -j $j -v assembly_file_vm1.txt -v assembly_file_vm2.txt </dev/null >out 2>err ||
        bad "$label: exit $?: $(grep -v warning err | head -n 3)"
    [ "$(grep -c '^vm1 | \$r[0-9]*=' out)" = 32 ] || bad "$label: vm1 has not 32 register lines"
    [ "$(grep -c '^vm2 | \$r[0-9]*=' out)" = 32 ] || bad "$label: vm2 has not 32 register lines"
    vm1
    vm2
    same vm1 alone1
    same vm2 alone2
    # each VM's dump is in register order, whatever the interleaving
    for v in vm1 vm2; do
        grep "^$v | " out | sed 's/^[a-z0-9]* | \$r\([0-9]*\)=.*/\1/' | tr '\n' ' ' >order
        [ "$(cat order)" = "$(seq 0 31 | tr '\n' ' ')" ] || bad "$label: $v's registers out of order: $(cat order)"
    done
    [ -s snapshot_vm1.bin ] && [ -s snapshot_vm2.bin ] || bad "$label: SNAPSHOT left no snapshot files"
done

# Resume vm1 from its snapshot (taken mid-program) next to a fresh vm2:
# vm1 goes on after the SNAPSHOT line and ends with the same registers.
cp snapshot_vm1.bin keep_vm1.bin
label="-s in the middle"
timeout 20 "$MYVMM" -v assembly_file_vm1.txt -s keep_vm1.bin -v assembly_file_vm2.txt </dev/null >out 2>err ||
    bad "$label: exit $?: $(grep -v warning err | head -n 3)"
vm1
vm2
same vm1 alone1
same vm2 alone2
n1=$(grep -c '^myvmm: vm1: exited (status 0), ' err)
[ "$n1" = 1 ] || bad "$label: vm1's summary: $(grep 'vm1:' err | grep -v warning)"
# the resumed VM ran only the instructions after the snapshot
i1=$(sed -n 's/^myvmm: vm1: exited (status 0), \([0-9]*\) instructions.*/\1/p' err)
timeout 20 "$MYVMM" -v assembly_file_vm1.txt -v assembly_file_vm2.txt </dev/null >/dev/null 2>err
i1full=$(sed -n 's/^myvmm: vm1: exited (status 0), \([0-9]*\) instructions.*/\1/p' err)
[ -n "$i1" ] && [ -n "$i1full" ] && [ "$i1" -eq "$i1full" ] ||
    bad "$label: the resumed VM's instruction count $i1 differs from the full run's $i1full (a restore keeps the count)"

echo "multi_original: $fail failures"
[ $fail -eq 0 ]
