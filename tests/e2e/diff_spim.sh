#!/usr/bin/env bash
# diff_spim.sh -- differential test: every SPIM program in tests/spim/ and
# samples/ runs on spim 8.0 and on myvmm; stdout must match byte for byte
# and so must the exit status.
#
# Per program NAME.s, optional companions in the same folder:
#   NAME.in               stdin for both runs (else /dev/null)
#   NAME.args             program arguments, one line, split on blanks
#   NAME.flags            SPIM's machine options for both (one line, e.g.
#                         -delayed_branches), before -v / -file
#   NAME.handler          an exception handler (path from the top of the tree,
#                         e.g. samples/exceptions.s) myvmm loads with -ef, as
#                         spim loads its default one, which prints the same
#   NAME.expect-differs   we differ from SPIM on purpose: this file says why;
#                         spim is not run, and our stdout must equal
#                         NAME.expected instead; NAME.status (exit status, or
#                         "nonzero") and NAME.stderr (one extended regex per
#                         line, each must match our stderr) are checked when
#                         present.
# A source with neither main nor __start is an exception handler for -ef
# (samples/exceptions.s), not a program: it is not run alone.
# Programs run from their own folder as "NAME.s", so argv[0] is the same on
# both sides.  myvmm runs each program twice, as `myvmm -v NAME.s -- ARGS`
# and as a grader would with spim replaced (`myvmm -quiet -file NAME.s
# ARGS`): both outputs and statuses must match.  DIFF_ONLY=substr picks programs.  Exit 0 when all match,
# 1 otherwise, 77 (skip) only when spim is not installed.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
LIMIT=${DIFF_TIMEOUT:-20}

if ! command -v spim >/dev/null 2>&1; then
    echo "skipped: spim is not installed (apt-get install spim)"
    exit 77
fi
if [ ! -x "$MYVMM" ]; then
    echo "myvmm not found at $MYVMM (run make)"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
failed=()

# shellcheck source-path=SCRIPTDIR source=lib/pinned.bash
. "$TOP/tests/e2e/lib/pinned.bash"

for src in "$TOP"/tests/spim/*.s "$TOP"/samples/*.s; do
    [ -e "$src" ] || continue
    dir=$(dirname "$src")
    name=$(basename "$src" .s)
    rel=${src#"$TOP"/}
    if [ -n "${DIFF_ONLY:-}" ] && [[ "$rel" != *"$DIFF_ONLY"* ]]; then continue; fi
    input=/dev/null
    [ -f "$dir/$name.in" ] && input=$dir/$name.in
    args=()
    [ -f "$dir/$name.args" ] && read -r -a args <"$dir/$name.args"
    vmargs=()
    [ ${#args[@]} -gt 0 ] && vmargs=(-- "${args[@]}")
    flags=()
    [ -f "$dir/$name.flags" ] && read -r -a flags <"$dir/$name.flags"
    grep -qE '^[[:space:]]*(main|__start)[[:space:]]*:' "$src" || continue
    ef=()
    if [ -f "$dir/$name.handler" ]; then
        read -r handler <"$dir/$name.handler"
        ef=(-ef "$TOP/$handler")
    fi

    (cd "$dir" && timeout "$LIMIT" "$MYVMM" "${flags[@]}" "${ef[@]}" -v "$name.s" "${vmargs[@]}" <"$input" >"$tmp/ours" 2>"$tmp/ours.err")
    ours_rc=$?
    (cd "$dir" && timeout "$LIMIT" "$MYVMM" -quiet "${flags[@]}" "${ef[@]}" -file "$name.s" "${args[@]}" <"$input" >"$tmp/ours2" 2>/dev/null)
    ours2_rc=$?
    ok=1
    why=""
    if [ "$ours2_rc" -ne "$ours_rc" ] || ! cmp -s "$tmp/ours" "$tmp/ours2"; then
        ok=0; why="SPIM's spelling (-quiet -file) ran differently: status $ours2_rc vs $ours_rc"
    fi
    if [ -f "$dir/$name.expect-differs" ]; then
        # A deliberate difference: compare with our pinned expectation.
        why=$(differs_why "$dir" "$name" expected)
        if [ -z "$why" ]; then
            cp "$dir/$name.expected" "$tmp/want"
            why=$(pinned_why "$dir" "$name" "$ours_rc" "$tmp/ours.err")
        fi
        [ -z "$why" ] || ok=0
        label="$rel (differs from spim on purpose)"
    else
        (cd "$dir" && timeout "$LIMIT" spim "${flags[@]}" -file "$name.s" "${args[@]}" <"$input" 2>"$tmp/spim.err" |
            tail -n +6 >"$tmp/want"
            exit "${PIPESTATUS[0]}")
        want_rc=$?
        if [ "$want_rc" -ge 124 ]; then
            ok=0; why="spim itself failed (status $want_rc): fix the program"
        elif [ "$want_rc" -ne "$ours_rc" ]; then
            ok=0; why="exit status: spim $want_rc, myvmm $ours_rc"
        fi
        label=$rel
    fi
    if [ $ok = 1 ] && ! cmp -s "$tmp/want" "$tmp/ours"; then
        ok=0; why="stdout differs"
    fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
        echo "ok   $label"
    else
        fail=$((fail + 1))
        failed+=("$rel")
        echo "FAIL $label: ${why#; }"
        diff -u --label "expected (spim or .expected)" --label "myvmm" "$tmp/want" "$tmp/ours" | head -n 40
        if [ -s "$tmp/ours.err" ]; then
            echo "  myvmm stderr:"
            head -n 10 "$tmp/ours.err" | sed 's/^/    /'
        fi
    fi
done
echo "diff_spim: $pass matched, $fail differ${failed:+: ${failed[*]}}"
[ $fail -eq 0 ]
