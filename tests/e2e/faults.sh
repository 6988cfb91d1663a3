#!/usr/bin/env bash
# faults.sh -- every fault kind ends the VM cleanly: for each program in
# tests/faults/, myvmm must exit non-zero, its stdout must be exactly the
# output printed before the fault, and its stderr must name the fault kind,
# the PC, the label and the source line of the faulting instruction.
#
# Each program says what to expect in header comments:
#   # fault-kind: REGEX     the fault's name as stderr must show it (grep -E)
#   # fault-stdout: TEXT    stdout before the fault is exactly TEXT + newline
#   # fault-opts: OPTS      extra myvmm options (e.g. --memory 1M)
#   # fault-where: any      the fault has no single instruction (limits):
#                           skip the PC, label and line checks
#   # fault-spim: no        SPIM does not fault here; otherwise, when spim is
#                           installed, the PC must be the one spim reports
# The faulting line carries the comment "# FAULT"; the label is the nearest
# label above it.  FAULT_ONLY=substr picks programs.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
have_spim=0
command -v spim >/dev/null 2>&1 && have_spim=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
header() { sed -n "s/^# $1: //p" "$2" | head -n 1; }
pass=0
fail=0
for src in "$TOP"/tests/faults/*.s; do
    name=$(basename "$src" .s)
    if [ -n "${FAULT_ONLY:-}" ] && [[ "$name" != *"$FAULT_ONLY"* ]]; then continue; fi
    kind=$(header fault-kind "$src")
    opts=$(header fault-opts "$src")
    where=$(header fault-where "$src")
    printf '%s\n' "$(header fault-stdout "$src")" >"$tmp/want"
    problems=()
    # shellcheck disable=SC2086 # opts are words on purpose
    (cd "$TOP/tests/faults" && timeout 20 "$MYVMM" $opts -v "$name.s" </dev/null >"$tmp/out" 2>"$tmp/err")
    rc=$?
    [ $rc -ne 0 ] || problems+=("exit status 0")
    [ $rc -lt 124 ] || problems+=("exit status $rc (timeout or crash)")
    cmp -s "$tmp/want" "$tmp/out" || problems+=("stdout is not the output before the fault")
    grep -Eq -- "$kind" "$tmp/err" || problems+=("stderr does not name the fault (/$kind/)")
    if [ "$where" != any ]; then
        line=$(grep -n '# FAULT' "$src" | head -n 1 | cut -d: -f1)
        label=$(head -n "$line" "$src" | grep -oE '^[A-Za-z_][A-Za-z0-9_]*:' | tail -n 1 | tr -d :)
        grep -Eq -- "(:|line )$line([^0-9]|$)" "$tmp/err" || problems+=("stderr lacks the source line number $line")
        text=$(sed -n "${line}p" "$src" | sed -E 's/^[A-Za-z_][A-Za-z0-9_]*://; s/#.*//; s/^[[:space:]]+//; s/[[:space:]]+$//')
        # compare with blanks squeezed: a message may re-indent the line
        tr -s ' \t' '  ' <"$tmp/err" >"$tmp/err.sq"
        text=$(printf '%s' "$text" | tr -s ' \t' '  ')
        grep -Fq -- "$text" "$tmp/err.sq" || problems+=("stderr lacks the source text '$text'")
        grep -Fq -- "$label" "$tmp/err" || problems+=("stderr lacks the label $label")
        pc=""
        if [ $have_spim = 1 ] && [ -z "$(header fault-spim "$src")" ]; then
            pc=$(cd "$TOP/tests/faults" && timeout 10 spim -file "$name.s" 2>&1 >/dev/null </dev/null |
                sed -n 's/.*Exception occurred at PC=\(0x[0-9a-fA-F]*\).*/\1/p' | head -n 1)
        fi
        if [ -n "$pc" ]; then
            grep -iq -- "$pc" "$tmp/err" || problems+=("stderr lacks the PC $pc (where spim faults)")
        else
            grep -Eiq -- '0x[0-9a-f]{8}' "$tmp/err" || problems+=("stderr shows no PC (0x%08x)")
        fi
    fi
    if [ ${#problems[@]} -eq 0 ]; then
        pass=$((pass + 1))
        echo "ok   $name: $(head -n 1 "$tmp/err")"
    else
        fail=$((fail + 1))
        echo "FAIL $name (exit $rc):"
        printf '    %s\n' "${problems[@]}"
        echo "  stderr:"
        head -n 8 "$tmp/err" | sed 's/^/    /'
        echo "  stdout:"
        head -n 5 "$tmp/out" | sed 's/^/    /'
    fi
done
echo "faults: $pass ok, $fail failed"
[ $fail -eq 0 ]
