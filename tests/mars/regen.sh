#!/usr/bin/env bash
# regen.sh -- records MARS's output for the programs in tests/mars/, the
# expected files tests/e2e/mars_features.sh compares myvmm with.  MARS is
# not needed to run the tests, only to remake these files:
#
#   MARS_CMD="java -cp /path/to/mars Mars nc me" tests/mars/regen.sh [NAME...]
#
# MARS_CMD is the command that runs one program, given as its last
# argument; it must drop MARS's banner (nc) and send MARS's own messages
# to stderr (me) so that stdout is the program's output alone.  Each
# NAME.asm runs from this folder (its .include paths are relative to it)
# with NAME.in as stdin when present; its stdout becomes NAME.expected and
# a non-zero exit status NAME.status.  For a program with a
# NAME.expect-differs, MARS's stdout goes to NAME.mars instead: there
# NAME.expected is ours and is not touched.
#
# MARS exits with 0 after an assembly or runtime error too, so whatever it
# says on stderr is shown here: read it before committing.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
if [ -z "${MARS_CMD:-}" ]; then
    sed -n '2,/^set -u/s/^# \{0,1\}//p' "$0" >&2
    exit 2
fi
read -r -a mars <<<"$MARS_CMD"
# MARS reads sources and writes output in Java's default charset, which
# follows the locale: fix it so that non-ASCII bytes record the same on
# every machine (utf8_string.asm).
export LC_ALL=C.UTF-8
cd "$dir" || exit 1
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for src in *.asm; do names+=("${src%.asm}"); done
fi
noisy=()
for name in "${names[@]}"; do
    [ -f "$name.asm" ] || { echo "regen: no $name.asm in $dir" >&2; exit 1; }
    input=/dev/null
    [ -f "$name.in" ] && input=$name.in
    timeout "${MARS_TIMEOUT:-60}" "${mars[@]}" "$name.asm" <"$input" >"$name.out.tmp" 2>"$name.err.tmp"
    rc=$?
    if [ $rc -ge 124 ]; then
        echo "regen: $name: MARS failed or timed out (status $rc); nothing written" >&2
        rm -f "$name.out.tmp" "$name.err.tmp"
        exit 1
    fi
    if [ -f "$name.expect-differs" ]; then
        mv "$name.out.tmp" "$name.mars"
    else
        mv "$name.out.tmp" "$name.expected"
        if [ $rc -ne 0 ]; then echo "$rc" >"$name.status"; else rm -f "$name.status"; fi
    fi
    # With `me`, MARS ends every run with an empty line on stderr: only
    # the other lines are messages.
    if grep -q '[^[:space:]]' "$name.err.tmp"; then
        noisy+=("$name")
        grep '[^[:space:]]' "$name.err.tmp" | sed "s/^/$name: MARS: /" >&2
    fi
    rm -f "$name.err.tmp"
    echo "recorded $name (status $rc)"
done
[ ${#noisy[@]} -eq 0 ] || echo "regen: MARS printed messages for: ${noisy[*]} (check that each is meant)" >&2
