#!/usr/bin/env bash
# asm_bare.sh -- babyasm --bare against `spim -bare` (SPIM's bare machine):
#  1. every statement of tests/spim/bare/forms.txt is refused or accepted
#     by both, as its line says (truncated: SPIM accepts it, keeping 16 of
#     the 32 bits the value needs, and babyasm refuses it), each alone
#     after an exit in a small program; our refusals name --bare;
#  2. tests/spim/bare/hello.s assembles with no diagnostic, and the image
#     prints on myvmm what spim -bare prints (its data at 0x10000000, $at
#     used by hand, a nop in every delay slot); 0x10000000 is where its
#     data goes with --bare only (without: 0x10010000, as SPIM's); the
#     image disassembles to source that babyasm (without --bare) assembles
#     back to the same image;
#  3. SPIM's own bare tests, when SPIM_TESTS names a folder holding
#     tt.fpu.bare.s and tt.alu.bare.s (SPIM's Tests/, never copied here):
#     tt.fpu.bare.s assembles with no diagnostic and its image prints
#     "Passed all tests" on myvmm; tt.alu.bare.s: every line spim -bare
#     refuses is refused by babyasm --bare (the same lines), and babyasm's
#     other refusals are only instructions include/isa.h lacks.
# Parts 1 and 2's spim sides are skipped, with a note, without spim;
# part 3 without SPIM_TESTS.
set -u
cd "$TOP"
t=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$t"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
have_spim=0
command -v spim >/dev/null && have_spim=1

# 1. forms, one program each
n=0
while IFS=$'\t' read -r kind stmt; do
    case "$kind" in '#'* | '') continue ;; esac
    n=$((n + 1))
    printf '\t.data\nx:\t.word 5\n\t.text\n\t.globl main\nmain:\taddiu $v0, $0, 10\n\tsyscall\n\t%s\n' \
        "$stmt" >"$t/f.s"
    "$BABYASM" --bare "$t/f.s" -o "$t/f.bin" 2>"$t/ours.err"
    ours=$?
    case "$kind" in
    accepted)
        [ $ours -eq 0 ] || bad "babyasm --bare refuses '$stmt': $(head -1 "$t/ours.err")"
        [ -s "$t/ours.err" ] && bad "babyasm --bare warns on '$stmt': $(head -1 "$t/ours.err")" ;;
    refused | truncated)
        [ $ours -eq 1 ] || bad "babyasm --bare accepts '$stmt'"
        grep -q '^.*f\.s:7:[0-9]*: error: ' "$t/ours.err" || bad "'$stmt': no error on line 7: $(head -1 "$t/ours.err")"
        # what only the bare machine refuses says so
        if "$BABYASM" "$t/f.s" -o "$t/f.bin" 2>/dev/null; then
            grep -q ': error: .*the bare machine (--bare)' "$t/ours.err" ||
                bad "'$stmt': the error does not name the bare machine: $(head -1 "$t/ours.err")"
        fi ;;
    *) bad "forms.txt: unknown kind '$kind'" ;;
    esac
    if [ $have_spim -eq 1 ]; then
        timeout 10 spim -bare -file "$t/f.s" >"$t/spim.out" 2>&1 </dev/null
        if grep -Eq '\(parser\)|Immediate value is too large' "$t/spim.out"; then spim_kind=refused; else spim_kind=accepted; fi
        want=$kind
        [ "$kind" = truncated ] && want=accepted
        [ "$spim_kind" = "$want" ] || bad "spim -bare: '$stmt' is $spim_kind, forms.txt says $kind"
    fi
done <tests/spim/bare/forms.txt
[ $n -ge 60 ] || bad "only $n statements in forms.txt"

# 2. a whole program, run
"$BABYASM" --bare tests/spim/bare/hello.s -o "$t/hello.bin" 2>"$t/err" || bad "hello.s: $(cat "$t/err")"
[ -s "$t/err" ] && bad "hello.s: diagnostics: $(head -3 "$t/err")"
"$MYVMM" -v "$t/hello.bin" >"$t/ours.out" 2>"$t/err" || bad "hello.bin on myvmm: $(cat "$t/err")"
printf 'sum of 1..10 = 55\n1234\n176\n' | cmp -s - "$t/ours.out" || bad "hello.bin printed: $(cat "$t/ours.out")"
# the three-operand div still breaks on a zero divisor
printf 'main:\taddiu $t1, $0, 5\n\tdiv $t0, $t1, $0\n\tjr $ra\n\taddu $0, $0, $0\n' >"$t/div0.s"
"$BABYASM" --bare "$t/div0.s" -o "$t/div0.bin" 2>"$t/err" || bad "div0.s: $(cat "$t/err")"
"$MYVMM" -v "$t/div0.bin" >/dev/null 2>"$t/err"
rc=$?
[ $rc -eq 3 ] && grep -q "(Bp)" "$t/err" || bad "div by \$0 on the bare machine: exit $rc, $(head -1 "$t/err")"
"$BABYASM" tests/spim/bare/hello.s -o "$t/ext.bin" 2>"$t/err" || bad "hello.s without --bare: $(cat "$t/err")"
"$BABYASM" -d "$t/ext.bin" | grep -q '^[[:space:]]*\.data 0x10010000' || bad "without --bare, .data is not at 0x10010000"
# (a bare image records its delay slots: -d says to assemble with both options)
"$BABYASM" -d "$t/hello.bin" >"$t/round.s" && grep -q -- '--delayed-branches' "$t/round.s" &&
    "$BABYASM" --delayed-branches --delayed-loads "$t/round.s" -o "$t/round.bin" &&
    cmp -s "$t/hello.bin" "$t/round.bin" || bad "hello.bin: babyasm -d does not assemble back to it"
if [ $have_spim -eq 1 ]; then
    (cd tests/spim/bare && timeout 10 spim -bare -file hello.s </dev/null | tail -n +6 >"$t/spim.out")
    cmp -s "$t/spim.out" "$t/ours.out" || bad "hello.s: spim -bare printed $(cat "$t/spim.out")"
else
    echo "note: spim is not installed: the spim side of parts 1 and 2 skipped"
fi

# 3. SPIM's own tests
if [ -n "${SPIM_TESTS:-}" ] && [ -f "$SPIM_TESTS/tt.fpu.bare.s" ] && [ -f "$SPIM_TESTS/tt.alu.bare.s" ]; then
    "$BABYASM" --bare "$SPIM_TESTS/tt.fpu.bare.s" -o "$t/fpu.bin" 2>"$t/err" || bad "tt.fpu.bare.s: $(head -3 "$t/err")"
    [ -s "$t/err" ] && bad "tt.fpu.bare.s: diagnostics: $(head -3 "$t/err")"
    timeout 20 "$MYVMM" -v "$t/fpu.bin" >"$t/fpu.out" 2>"$t/err" || bad "tt.fpu.bare.s on myvmm: $(tail -3 "$t/err")"
    [ "$(tail -n 1 "$t/fpu.out")" = "Passed all tests" ] || bad "tt.fpu.bare.s: $(grep -v '^Testing' "$t/fpu.out" | head -3)"
    "$BABYASM" --bare "$SPIM_TESTS/tt.alu.bare.s" -o "$t/alu.bin" 2>"$t/alu.err"
    # the refused lines' text, as each tool quotes it after its message
    grep -A1 ': error: ' "$t/alu.err" | grep -v -e ': error: ' -e '^--$' | sed 's/^[[:space:]]*//' | sort >"$t/ours.lines"
    if [ $have_spim -eq 1 ]; then
        timeout 20 spim -bare -notrap -file "$SPIM_TESTS/tt.alu.bare.s" </dev/null >"$t/spim.alu" 2>&1
        # spim stops at its first syntax error (ctc3, an instruction of a
        # coprocessor it does not have): compare the lines before it
        stop=$(grep -m1 -o 'syntax error on line [0-9]*' "$t/spim.alu" | grep -o '[0-9]*$')
        awk '/^spim: \(parser\) syntax/ { skip = 1; next } /^spim: \(parser\) / { take = 1; next }
             take && !skip { sub(/^[[:space:]]+/, ""); print } { take = 0; skip = 0 }' "$t/spim.alu" |
            sort >"$t/spim.lines"
        [ -s "$t/spim.lines" ] || bad "spim -bare refused no line of tt.alu.bare.s"
        comm -23 "$t/spim.lines" "$t/ours.lines" >"$t/missed"
        [ -s "$t/missed" ] && bad "tt.alu.bare.s: spim -bare refuses, babyasm --bare accepts: $(cat "$t/missed")"
        grep -E "^[^:]*:[0-9]+:[0-9]+: error: " "$t/alu.err" | grep -v "unknown instruction" |
            awk -F: -v stop="${stop:-999999}" '$2 < stop' | wc -l >"$t/ours.before"
        [ "$(cat "$t/ours.before")" -eq "$(wc -l <"$t/spim.lines")" ] ||
            bad "tt.alu.bare.s: babyasm --bare refuses $(cat "$t/ours.before") lines before line $stop, spim -bare $(wc -l <"$t/spim.lines")"
    fi
    grep -E ": error: " "$t/alu.err" | grep -v -e "unknown instruction '\(ctc\|cfc\|mtc\|mfc\|lwc\|swc\)[023]'" \
        -e "unknown instruction 'rfe'" -e "the bare machine (--bare)" -e "immediate out of range for 'lui'" \
        -e "shift amount must be 0 to 31" >"$t/other"
    [ -s "$t/other" ] && bad "tt.alu.bare.s: other errors: $(head -3 "$t/other")"
    echo "tt.alu.bare.s: $(grep -c ': error: ' "$t/alu.err") lines refused ($(grep -c 'unknown instruction' "$t/alu.err") instructions include/isa.h lacks)"
else
    echo "note: SPIM_TESTS does not name a folder with SPIM's tt.fpu.bare.s and tt.alu.bare.s: part 3 skipped"
fi

[ $fail -eq 0 ] && echo "summary: $n statements as spim -bare takes them, hello.s run, SPIM's tests${SPIM_TESTS:+ (from $SPIM_TESTS)}"
exit $fail
