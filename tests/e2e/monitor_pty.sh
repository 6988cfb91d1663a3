#!/usr/bin/env bash
# monitor_pty.sh -- the interactive monitor (-i) on a pseudo-terminal: a
# step / break / continue / print / x / list / disas session on
# monitor/sum.s (which sums 1..5), its errors included, compared with the
# expected transcript (monitor/session.expected: $t0 is 0 then 1 at the
# loop's breakpoint, 15 at line 13, the output "sum: 15", status 0).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
cd "$TOP/tests/e2e/monitor" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 120 python3 pty_session.py "$MYVMM" sum.s > "$tmp/got" || { cat "$tmp/got"; exit 1; }
if ! diff -u session.expected "$tmp/got"; then
    echo "FAIL: the monitor's transcript differs"
    exit 1
fi
echo "summary: a $(grep -c '^(myvmm) ' session.expected)-command session as expected"
