#!/usr/bin/env bash
# mars_features.sh -- programs that use what MARS accepts and SPIM does not
# (.eqv, .macro, .include, subi, '\n' literals, 32-bit andi/ori immediates,
# no main, syscalls 30-42, CRLF files with non-ASCII comment bytes).  MARS is
# not installed, so each tests/mars/NAME.asm has its expected stdout in
# NAME.expected, worked out by hand (the random numbers with a Python
# model of java.util.Random, which MARS uses).  Optional NAME.in is stdin.
# Exit status must be 0.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
for src in "$TOP"/tests/mars/*.asm; do
    name=$(basename "$src" .asm)
    input=/dev/null
    [ -f "$TOP/tests/mars/$name.in" ] && input=$TOP/tests/mars/$name.in
    (cd "$TOP/tests/mars" && timeout 20 "$MYVMM" -v "$name.asm" <"$input" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    if [ $rc -eq 0 ] && cmp -s "$TOP/tests/mars/$name.expected" "$tmp/out"; then
        pass=$((pass + 1))
        echo "ok   $name"
    else
        fail=$((fail + 1))
        echo "FAIL $name (exit $rc)"
        diff -u --label expected --label myvmm "$TOP/tests/mars/$name.expected" "$tmp/out" | head -n 30
        head -n 10 "$tmp/err" | sed 's/^/    stderr: /'
    fi
done
echo "mars_features: $pass ok, $fail failed"
[ $fail -eq 0 ]
