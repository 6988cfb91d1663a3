#!/usr/bin/env bash
# docs/isa.md is generated from include/isa.h by tests/gen_isadoc.c: fail
# when the committed file differs from what the generator writes now
# (fix: make docs/isa.md, and commit it).
set -eu
cd "$TOP"
gen="$TOP/${BUILD:-build}/gen_isadoc"
[ -x "$gen" ] || make -s "${BUILD:-build}/gen_isadoc"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$gen" > "$tmp"
# The generator must have produced a table row for every op in the list.
ops=$(grep -o 'X([A-Z_0-9]*, *"[^"]*", *0x' include/isa.h | wc -l)
rows=$(grep -c '^| `[A-Za-z_0-9.]*` |' "$tmp")
if [ "$rows" -ne "$ops" ]; then
    echo "gen_isadoc wrote $rows instruction rows, include/isa.h lists $ops"
    exit 1
fi
if ! diff -u docs/isa.md "$tmp"; then
    echo "docs/isa.md is stale: run 'make docs/isa.md' and commit it"
    exit 1
fi
