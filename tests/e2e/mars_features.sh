#!/usr/bin/env bash
# mars_features.sh -- differential test against MARS 4.5 without MARS:
# every tests/mars/NAME.asm (MARS conventions: .eqv, .macro, .include,
# no main, syscalls 30-42, character literals...) runs on myvmm, and its
# stdout must equal NAME.expected byte for byte, its exit status
# NAME.status (0 when absent).  NAME.expected and NAME.status are MARS's
# own output, recorded by tests/mars/regen.sh (tests/mars/README.md).
# Optional NAME.in is stdin.
#
# NAME.expect-differs: we differ from MARS on purpose, or have a gap still
# to close; the file says which and why.  Then NAME.mars holds what MARS
# printed (regen.sh records it there, for the reader), and NAME.expected,
# NAME.status and NAME.stderr are ours, pinned by hand as in tests/spim.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
# shellcheck source-path=SCRIPTDIR source=lib/pinned.bash
. "$TOP/tests/e2e/lib/pinned.bash"
dir=$TOP/tests/mars
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
differ=0
for src in "$dir"/*.asm; do
    name=$(basename "$src" .asm)
    input=/dev/null
    [ -f "$dir/$name.in" ] && input=$dir/$name.in
    (cd "$dir" && timeout 20 "$MYVMM" -v "$name.asm" <"$input" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    label=$name
    why=""
    if [ -f "$dir/$name.expect-differs" ]; then
        label="$name (differs from MARS on purpose or as a known gap)"
        differ=$((differ + 1))
        why=$(differs_why "$dir" "$name" expected mars)
    fi
    [ -n "$why" ] || why=$(pinned_why "$dir" "$name" "$rc" "$tmp/err")
    [ -n "$why" ] || cmp -s "$dir/$name.expected" "$tmp/out" || why="stdout differs"
    if [ -z "$why" ]; then
        pass=$((pass + 1))
        echo "ok   $label"
    else
        fail=$((fail + 1))
        echo "FAIL $label: $why"
        [ -f "$dir/$name.expected" ] &&
            diff -u --label expected --label myvmm "$dir/$name.expected" "$tmp/out" | head -n 30
        head -n 10 "$tmp/err" | sed 's/^/    stderr: /'
    fi
done
echo "mars_features: $pass ok ($differ of them pinned as differing from MARS), $fail failed"
[ $fail -eq 0 ]
