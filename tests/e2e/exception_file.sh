#!/usr/bin/env bash
# exception_file.sh -- SPIM's -exception_file (-ef) and -noexception: the
# handler file is assembled before the program (one symbol table), and
# samples/exceptions.s, our default handler, reports each fault as SPIM's
# does and goes on: EPC + 4 after a fault, EPC after an interrupt (which it
# masks).  Without a handler a fault stops the VM (myvmm's default).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
BABYASM=${BABYASM:-$TOP/build/babyasm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
run() { timeout 20 "$MYVMM" "$@" >out 2>err </dev/null; rc=$?; }
EXC=$TOP/samples/exceptions.s

cat >faults.s <<'S'
	.text
main:	li $t0, 0x7fffffff
	add $t1, $t0, $t0	# Ov: skipped
	break 5			# Bp: skipped
	li $v0, 1
	li $a0, 7
	syscall
	li $v0, 10
	syscall
S
want='  Exception 12  [Arithmetic overflow]  occurred and ignored
  Exception 9  [Breakpoint]  occurred and ignored
7'
for ef in -ef -exception_file; do
    run $ef "$EXC" -file faults.s
    [ "$rc" = 0 ] && [ "$(cat out)" = "$want" ] || bad "$ef: exit $rc, stdout '$(cat out)'"
done
# the last of -ef and -noexception wins, as in SPIM; none: the fault stops the VM
for args in "-noexception" "-ef $EXC -noexception" ""; do
    run $args -file faults.s
    [ "$rc" = 3 ] && grep -q "arithmetic overflow (Ov)" err || bad "'$args': exit $rc, stderr '$(cat err)'"
done
run -noexception -ef "$EXC" -file faults.s
[ "$rc" = 0 ] && [ "$(cat out)" = "$want" ] || bad "-noexception -ef: exit $rc"

# an interrupt returns to EPC (nothing skipped) and is masked afterwards
cat >intr.s <<'S'
	.text
main:	li $t0, 0x101		# Status: IE, IM0 (software interrupt 0)
	mtc0 $t0, $12
	li $t1, 0x100		# Cause.IP0: raise it
	mtc0 $t1, $13
	b next			# taken at this branch: EPC = next
next:	li $a0, 42
	li $v0, 1
	syscall
	mfc0 $a0, $12		# IM0 masked: Status = 0x1 | CU0, CU1, UM as SPIM forces them
	li $v0, 34
	syscall
	li $v0, 10
	syscall
S
run -ef "$EXC" -file intr.s
[ "$rc" = 0 ] && [ "$(cat out)" = "  Exception 0  [Interrupt]  occurred and ignored
420x30000011" ] || bad "interrupt: exit $rc, stdout '$(cat out)', stderr '$(cat err)'"

# the symbols of both files are one table: a label defined twice is named
printf 'main:\tli $v0, 10\n\tsyscall\n\t.kdata\nnames:\t.word 0\n' >dup.s
run -ef "$EXC" -file dup.s
[ "$rc" = 1 ] && grep -q "dup.s:4:1: error: .*names" err && grep -q "exceptions.s" err ||
    bad "label in both files: exit $rc, stderr '$(cat err)'"

# a handler goes with an assembly program, not an image
"$BABYASM" faults.s -o faults.bin || bad "babyasm faults.s"
run -ef "$EXC" -file faults.bin
[ "$rc" = 1 ] && grep -q "faults.bin: -exception_file is assembled with an assembly program, not with an image" err ||
    bad "image: exit $rc, stderr '$(cat err)'"
run -ef nosuch.s -file faults.s
[ "$rc" = 1 ] && grep -q "myvmm: -exception_file: .*nosuch.s" err || bad "missing file: exit $rc, stderr '$(cat err)'"
[ $fail -eq 0 ]
