#!/usr/bin/env bash
# Coprocessor 0 in the tools: babyasm -d and myvmm --trace show each
# register by number, as SPIM and MARS write it, with its name as a comment
# (none for a number without a register), and the select as GNU as writes
# it; tests/asm/cp0.s runs and prints PRId, Config and Config1.
set -u
cd "$TOP"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
"$BABYASM" tests/asm/cp0.s -o "$t/c.bin" || { echo "babyasm failed"; exit 1; }
"$BABYASM" -d "$t/c.bin" > "$t/d.s" || { echo "babyasm -d failed"; exit 1; }
names="Index Random EntryLo0 EntryLo1 Context PageMask Wired - BadVAddr Count EntryHi Compare Status Cause EPC"
r=0
for n in $names; do
    if [ "$n" = - ]; then
        grep -qx "	mfc0 \$t0, \$$r" "$t/d.s" || bad "register $r: no line without a name"
    else
        grep -qx "	mfc0 \$t0, \$$r  # $n" "$t/d.s" || bad "register $r: no line naming $n"
    fi
    r=$((r + 1))
done
for line in 'mfc0 $a0, $15  # PRId' 'mfc0 $a0, $16  # Config' 'mfc0 $a0, $16, 1  # Config1' \
    'mfc0 $t0, $16, 2' 'mtc0 $t0, $30  # ErrorEPC' eret rfe; do
    grep -qxF "	$line" "$t/d.s" || bad "babyasm -d has no line '$line'"
done
out=$("$MYVMM" -v tests/asm/cp0.s 2>&1)
[ "$out" = 0x000093010x800000820x3e000001 ] || bad "PRId, Config, Config1: '$out'"
"$MYVMM" --trace -v tests/asm/cp0.s 2>&1 | grep -q 'mfc0 \$a0, \$16, 1  # Config1 *tests/asm/cp0.s:25' ||
    bad "--trace does not name Config1"
[ $fail = 0 ]
