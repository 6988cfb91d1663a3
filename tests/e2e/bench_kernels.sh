#!/usr/bin/env bash
# bench_kernels.sh -- the benchmark kernels cannot rot: each one in
# tests/bench/kernels has its C version in tests/bench/c and an @size
# word, and at a small size (@size / 20, at least 1) its assembly under
# tests/bench/main.s.in (the wrapper) prints on myvmm the checksum
# its C version prints when compiled natively (cc -O2 -ffp-contract=off: no fused multiply-adds).  `make bench` runs
# them large and times them; this only checks that they agree.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
K=$TOP/tests/bench/kernels
C=$TOP/tests/bench/c
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

for s in "$K"/*.s; do
    k=$(basename "$s" .s)
    n=$((n + 1))
    [ -f "$C/$k.c" ] || { bad "$k: no C version $C/$k.c"; continue; }
    size=$(sed -nE '/# @size/{s/.*\.word[[:space:]]+([0-9]+).*/\1/p;q;}' "$s")
    [ -n "$size" ] || { bad "$k: no '.word N  # @size' line"; continue; }
    small=$(((size + 19) / 20))
    sed -E "/# @size/ s/(\.word[[:space:]]+)[0-9]+/\1$small/" "$s" | cat "$TOP/tests/bench/main.s.in" - >"$tmp/$k.s"
    ${CC:-cc} -O2 -ffp-contract=off -o "$tmp/$k" "$C/$k.c" -lm || { bad "$k: $C/$k.c does not compile"; continue; }
    want=$("$tmp/$k" "$small" | tail -n 1)
    got=$(timeout 60 "$MYVMM" -v "$tmp/$k.s" </dev/null 2>"$tmp/$k.err" | tail -n 1)
    if [ "$got" != "$want" ] || [ -z "$want" ]; then
        bad "$k at size $small: myvmm prints '$got', the C version '$want'"
        sed 's/^/    /' "$tmp/$k.err" | head -n 5
    fi
done
[ "$n" -ge 9 ] || bad "only $n kernels in $K (fib sieve matmul sort crc32 xorshift syscall mandel nbody expected)"
[ $fail -eq 0 ] || exit 1
echo "summary: $n bench kernels agree with their C versions"
