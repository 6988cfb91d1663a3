#!/usr/bin/env bash
# babyasm -l on tests/asm/listing.s gives exactly tests/asm/listing.expected,
# and the image it writes runs and prints what the program computes.
set -u
cd "$TOP"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$BABYASM" -l tests/asm/listing.s -o "$t/l.bin" > "$t/out" 2> "$t/err" || { echo "babyasm failed"; cat "$t/err"; exit 1; }
diff -u tests/asm/listing.expected "$t/out" || { echo "listing differs"; exit 1; }
[ -s "$t/err" ] && { echo "unexpected diagnostics:"; cat "$t/err"; exit 1; }
[ -s "$t/l.bin" ] || { echo "no image written"; exit 1; }
if [ -x "$MYVMM" ]; then
    out=$("$MYVMM" -v "$t/l.bin" 2>/dev/null)
    [ "$out" = "sum = 17" ] || { echo "program printed '$out', expected 'sum = 17'"; exit 1; }
fi
exit 0
