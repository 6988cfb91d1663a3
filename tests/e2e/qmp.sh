#!/usr/bin/env bash
# qmp.sh -- the QMP control socket (--qmp): every command, every event,
# bad input (malformed JSON, unknown commands, wrong types, a 100 MB line,
# a client that never reads, 50 clients at once) and a snapshot driven
# only through QMP, by a small client (qmp/test_qmp.py) on real sockets.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 300 python3 "$TOP/tests/e2e/qmp/test_qmp.py" "$MYVMM" "$tmp"
