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
# compute.s for 3.3 G instructions: long enough that a migration (or a
# cancel) lands well before its end on a loaded machine
sed 's/li    \$s1, 3000000/li    $s1, 300000000/' "$TOP/tests/e2e/migrate/compute.s" >"$tmp/long.s"
timeout 300 python3 "$TOP/tests/e2e/qmp/test_qmp_migrate.py" "$MYVMM" "$tmp" "$tmp/long.s"
