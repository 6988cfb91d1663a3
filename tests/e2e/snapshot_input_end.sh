#!/usr/bin/env bash
# snapshot_input_end.sh: a VM snapshotted after it has read all of its
# input resumes with an empty input queue (no buffer at all after the
# restore) and still reads end of input as SPIM does.  Found by
# snapshot_determinism under UBSan: memchr/memcpy on the empty queue.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
p=$TOP/tests/spim/read_string.s in=$TOP/tests/spim/read_string.in
"$MYVMM" --snapshot-on-exit "$t/end.bin" -v "$p" <"$in" >"$t/full" 2>"$t/err" || { cat "$t/err"; exit 1; }
n=$("$MYVMM" --snapshot-info "$t/end.bin" | sed -n 's/^instructions: //p')
[ -n "$n" ] || { echo "no instruction count"; exit 1; }
fail=0
# points late in the run, after the last line of input was read
for back in 5 20 54 60 120; do
    k=$((n - back))
    "$MYVMM" --max-instructions "$k" --snapshot-on-exit "$t/s.bin" -v "$p" <"$in" >"$t/a" 2>/dev/null
    "$MYVMM" -s "$t/s.bin" -v "$p" <"$in" >"$t/b" 2>"$t/b.err"
    cat "$t/a" "$t/b" | cmp -s "$t/full" - || { echo "FAIL at $k:"; cat "$t/b.err"; fail=1; }
done
exit $fail
