#!/usr/bin/env bash
# fp_machine.sh -- coprocessor 1 through the machine's tools: --trace shows
# the FP registers an instruction changed (a double pair, a single, a
# word, FCSR), --stats counts the FP instructions in the mix, a snapshot
# taken in the middle of an FP loop shows the FP registers in
# --snapshot-info and resumes to the same output, and a program written
# for MARS (.asm) prints floats as MARS does.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

cat >tr.s <<'PROG'
	.data
d:	.double	1.5
	.text
main:	l.d	$f2, d
	li.s	$f5, 2.5
	add.d	$f4, $f2, $f2
	c.lt.d	$f2, $f4
	cvt.w.d	$f6, $f4
	li	$v0, 10
	syscall
PROG
"$MYVMM" --trace -v tr.s >out 2>err || bad "trace: exit $?: $(tail -n 3 err)"
grep -q 'ldc1 \$f2, 0(\$at) .* \$f2:3=1.5 (0x3ff8000000000000)$' err || bad "trace ldc1: $(grep ldc1 err)"
grep -q 'mtc1 \$at, \$f5 .* \$f5=2.5 (0x40200000)$' err || bad "trace mtc1: $(grep mtc1 err)"
grep -q 'add.d \$f4, \$f2, \$f2 .* \$f4:5=3 (0x4008000000000000)$' err || bad "trace add.d: $(grep add.d err)"
grep -q 'c.lt.d \$f2, \$f4 .* fcsr=0x00800000$' err || bad "trace c.lt.d: $(grep c.lt err)"
grep -q 'cvt.w.d \$f6, \$f4 .* \$f6=3 (0x00000003)$' err || bad "trace cvt.w.d: $(grep cvt err)"

"$MYVMM" --stats -v tr.s >out 2>err || bad "stats: exit $?"
grep -q '^\[vm1\] floating point: 5 instructions (33.3% of the mix)$' err ||
    bad "stats: $(grep -E 'mix|floating' err)"
grep -q 'add.d 1' err || bad "stats mix: $(grep mix err)"

# a snapshot in the middle of an FP loop (rounding toward zero, flags,
# condition codes): --snapshot-info shows them, the restore finishes it
cp "$TOP/tests/e2e/migrate/compute_fp.s" fp.s
"$MYVMM" -v fp.s >whole 2>err || bad "whole run: exit $?: $(cat err)"
"$MYVMM" -v fp.s --max-instructions 9000000 --snapshot-on-exit mid.snap >first 2>err
[ -f mid.snap ] || bad "no snapshot: $(cat err)"
"$MYVMM" --snapshot-info mid.snap >info 2>err || bad "snapshot-info: $(cat err)"
grep -q '^fpu: FCSR 0x00800005, [0-9]* of 32 registers non-zero$' info || bad "info fpu: $(grep -A3 fpu info)"
grep -q '^  \$f9  0x40400000  3$' info || bad "info \$f9: $(grep -A12 fpu info)"
"$MYVMM" -v fp.s -s mid.snap >second 2>err || bad "restore: exit $?: $(cat err)"
cat first second >joined
cmp -s joined whole || bad "snapshot resumed differently: $(diff joined whole | head -5)"
[ -s first ] && [ -s second ] || bad "the snapshot is not in the middle of the output"

# MARS's float text for a .asm program, SPIM's for a .s
printf '\t.text\nmain:\tli.s\t$f12, 0.1\n\tli\t$v0, 2\n\tsyscall\n\tli.d\t$f12, 1.0e10\n\tli\t$v0, 3\n\tsyscall\n' >p.asm
cp p.asm p.s
"$MYVMM" -v p.asm >mars.out 2>err || bad "p.asm: $(cat err)"
[ "$(cat mars.out)" = "0.11.0E10" ] || bad "MARS text: $(cat mars.out)"
"$MYVMM" -v p.s >spim.out 2>err || bad "p.s: $(cat err)"
[ "$(cat spim.out)" = "0.1000000010000000000" ] || bad "SPIM text: $(cat spim.out)"

# read_float: SPIM makes 0.0 of a line that is no number, MARS stops
printf '\t.text\nmain:\tli\t$v0, 6\n\tsyscall\n\tmov.s\t$f12, $f0\n\tli\t$v0, 2\n\tsyscall\n' >r.s
cp r.s r.asm
echo abc | "$MYVMM" -v r.s >out 2>err || bad "SPIM read_float of abc: exit $?: $(cat err)"
[ "$(cat out)" = "0.00000000" ] || bad "SPIM read_float of abc printed $(cat out)"
echo abc | "$MYVMM" -v r.asm >out 2>err && bad "MARS read_float of abc did not stop"
grep -q "read_float: 'abc' is not a float: invalid float input (syscall 6), MARS stops here" err ||
    bad "MARS read_float of abc: $(cat err)"

# SPIM's FPU torture test (Tests/tt.fpu.bare.s in SPIM's source, not
# copied here: SPIM_FPU_TEST names it, as for asm_fp.sh) runs to "Passed
# all tests".  It is written for spim -bare, whose data starts at
# 0x10000000: its addresses (lui 0x1000) move to ours (0x10010000); its
# delay slots hold nops, so running without delay slots changes nothing.
if [ -n "${SPIM_FPU_TEST:-}" ] && [ -f "$SPIM_FPU_TEST" ]; then
    sed -E 's/(lui[[:space:]]+\$[0-9a-z]+,?[[:space:]]*)0x1000([[:space:]]|$)/\10x1001\2/' \
        "$SPIM_FPU_TEST" >tt.s
    "$MYVMM" -v tt.s >tt.out 2>tt.err || bad "tt.fpu.bare.s: exit $?: $(tail -n 3 tt.err)"
    [ "$(tail -n 1 tt.out)" = "Passed all tests" ] || bad "tt.fpu.bare.s: $(grep -v '^Testing' tt.out | head -5)"
    [ "$(grep -c '^Testing' tt.out)" -eq 48 ] || bad "tt.fpu.bare.s: $(grep -c '^Testing' tt.out) tests ran, not 48"
else
    echo "note: SPIM_FPU_TEST does not name SPIM's Tests/tt.fpu.bare.s: that part skipped"
fi

[ $fail -eq 0 ] && echo "summary: trace, stats, snapshot mid-FP, MARS and SPIM float text"
exit $fail
