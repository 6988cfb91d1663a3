#!/usr/bin/env bash
# history_pty.sh -- time travel in the interactive monitor (-i) on a
# pseudo-terminal: on monitor/sum.s (which sums 1..5), back 3 after three
# steps shows $t0's earlier value, goto 0 the first instruction, history
# the span kept; a replay passes over the loop's breakpoint;
# reverse-continue goes back to its hits ($t0 1, then 0), then to the
# start of the history; after going
# back over the program's prints and stepping on, "sum: 15" is shown once;
# going beyond the present or a bad count is refused.  Compared with the
# expected transcript (monitor/history.expected).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
cd "$TOP/tests/e2e/monitor" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 120 python3 pty_session.py "$MYVMM" sum.s history_session.txt > "$tmp/got" ||
    { cat "$tmp/got"; exit 1; }
if ! diff -u history.expected "$tmp/got"; then
    echo "FAIL: the monitor's transcript differs"
    exit 1
fi
[ "$(grep -c 'sum: 15' "$tmp/got")" = 1 ] || { echo "FAIL: the output is not shown once"; exit 1; }
echo "summary: a $(grep -c '^(myvmm) ' history.expected)-command session with back, goto and history as expected"
