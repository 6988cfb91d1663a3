#!/usr/bin/env bash
# bench_kernels.sh -- the benchmark kernels cannot rot: each one in
# tests/bench/kernels has its C version in tests/bench/c and an @size
# word, and at a small size (@size / 20, at least 1) its assembly under
# tests/bench/main.s.in (the wrapper) prints on myvmm the checksum
# its C version prints when compiled natively (cc -O2 -ffp-contract=off: no fused multiply-adds); so do the
# delay-slot versions (kernels/delayed) with -delayed_branches and sieve,
# xorshift and fib under the demo guest kernel (os.sh's setup).  `make
# bench` runs them large and times them; this only checks that they agree.
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
# the delay-slot versions (kernels/delayed, for delay.sh) under
# main_delayed.s.in with -delayed_branches, and the kernels os.sh runs as
# the process of the demo guest kernel (samples/os/kernel.s with the table
# tests/bench/os/procs.s.in, on the bare machine): the same checksums
nd=0
for s in "$K"/delayed/*.s; do
    k=$(basename "$s" .s)
    nd=$((nd + 1))
    [ -f "$tmp/$k" ] || { bad "delayed/$k: no kernel $k.s with a C version"; continue; }
    size=$(sed -nE '/# @size/{s/.*\.word[[:space:]]+([0-9]+).*/\1/p;q;}' "$K/$k.s")
    small=$(((size + 19) / 20))
    sed -E "/# @size/ s/(\.word[[:space:]]+)[0-9]+/\1$small/" "$s" | cat "$TOP/tests/bench/main_delayed.s.in" - >"$tmp/d-$k.s"
    want=$("$tmp/$k" "$small" | tail -n 1)
    got=$(timeout 60 "$MYVMM" -delayed_branches -v "$tmp/d-$k.s" </dev/null 2>"$tmp/d-$k.err" | tail -n 1)
    [ "$got" = "$want" ] || bad "delayed/$k at size $small: myvmm -delayed_branches prints '$got', the C version '$want'"
done
[ "$nd" -ge 3 ] || bad "only $nd kernels in $K/delayed (fib sieve xorshift expected)"
for k in sieve xorshift fib; do
    printf '\t.include "%s"\n\t.include "%s"\n' "$TOP/samples/os/kernel.s" "$TOP/tests/bench/os/procs.s.in" |
        cat - "$tmp/$k.s" >"$tmp/os-$k.s"
    small=$(sed -nE '/# @size/{s/.*\.word[[:space:]]+([0-9]+).*/\1/p;q;}' "$tmp/$k.s")
    want=$("$tmp/$k" "$small" | tail -n 1)
    timeout 60 "$MYVMM" --machine bare "$tmp/os-$k.s" </dev/null >"$tmp/os-$k.out" 2>"$tmp/os-$k.err"
    rc=$?
    got=$(grep -v '^\[kernel\]' "$tmp/os-$k.out" | tail -n 1)
    [ $rc -eq 0 ] && [ "$got" = "$want" ] && grep -qx '\[kernel\] process main exited' "$tmp/os-$k.out" ||
        bad "$k under the demo kernel: exit $rc, prints '$got' (want '$want'): $(head -c 300 "$tmp/os-$k.out" "$tmp/os-$k.err")"
done
[ "$n" -ge 9 ] || bad "only $n kernels in $K (fib sieve matmul sort crc32 xorshift syscall mandel nbody expected)"
[ $fail -eq 0 ] || exit 1
echo "summary: $n bench kernels agree with their C versions, so do $nd delay-slot versions and 3 under the demo kernel"
