#!/usr/bin/env bash
# The syscall table in docs/myvmm.md is generated from vm/machine/syscall.def
# by tests/gen_syscalldoc.c: fail when the committed table differs from what
# the generator writes now (fix: make docs/myvmm.md, and commit it).
set -eu
cd "$TOP"
gen="$TOP/${BUILD:-build}/gen_syscalldoc"
[ -x "$gen" ] || make -s "${BUILD:-build}/gen_syscalldoc"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$gen" docs/myvmm.md > "$tmp"
# The generator must have written a row for every syscall in the list.
calls=$(grep -c '^SYSCALL(' vm/machine/syscall.def)
rows=$(grep -c '^| [0-9]* | `[a-z_0-9]*` |' "$tmp")
if [ "$rows" -ne "$calls" ]; then
    echo "gen_syscalldoc wrote $rows syscall rows, vm/machine/syscall.def lists $calls"
    exit 1
fi
if ! diff -u docs/myvmm.md "$tmp"; then
    echo "the syscall table in docs/myvmm.md is stale: run 'make docs/myvmm.md' and commit it"
    exit 1
fi
