#!/usr/bin/env bash
# qmp_migrate.sh -- live migration driven only through QMP (docs/qmp.md):
# migrate to a real myvmm --incoming, the MIGRATION events, query-migrate,
# migrate-cancel mid-way (the VM runs on to the right end) and during the
# handshake, a failed attempt, bad inputs, a snapshot-save then a
# migration.  The destination ends with the output and final hash of the
# program run alone (qmp/test_qmp_migrate.py).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# compute.s for 2.2 G instructions: long enough that a migration (or a
# cancel) lands well before its end on a loaded machine (a sanitized
# myvmm is ten times slower: a tenth of them)
iters=200000000
case $MYVMM in */san/*) iters=20000000 ;; esac
sed "s/li    \\\$s1, 3000000/li    \\\$s1, $iters/" "$TOP/tests/e2e/migrate/compute.s" >"$tmp/long.s"
timeout 300 python3 "$TOP/tests/e2e/qmp/test_qmp_migrate.py" "$MYVMM" "$tmp" "$tmp/long.s"
