#!/usr/bin/env bash
# snapshot_text.sh -- a word a program stored into its own text survives a
# snapshot and a live migration (docs/myvmm.md, "Stores into text"): the
# snapshot carries the text page (MEM version 2), the restored VM decodes
# it again and runs the stored word.  Each program below patches an
# instruction that runs after the snapshot or migration; with the patch
# lost, it would print what the image has there.
#  1. SPIM-style: SNAPSHOT right after the store, resumed from the file
#     (mapped), and from a compressed snapshot; --snapshot-info counts the
#     text page;
#  2. SPIM-style: --max-instructions with --snapshot-on-exit in a loop that
#     runs the word, then rewrites it;
#  3. the bare machine: the loop in a kernel in kseg0, stopped by
#     --max-instructions and resumed; the stores through kseg1 instead;
#  4. loopback migrations of both while they rewrite the word.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
. "$TOP/tests/e2e/migrate/lib.sh"
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# 1. the word at "patch" is li $a0, 1 in the image, li $a0, 2 once stored
cat >once.s <<'T'
	.text
main:	la	$t0, patch
	lw	$t1, new
	sw	$t1, 0($t0)		# into text
	SNAPSHOT once.snap
patch:	li	$a0, 1			# runs as li $a0, 2
	li	$v0, 1
	syscall
	jr	$ra
	.data
new:	.word	0x24040002		# addiu $a0, $zero, 2
T
"$MYVMM" once.s </dev/null >out 2>err || bad "once: exit $?: $(cat err)"
[ "$(cat out)" = 2 ] || bad "once: the uninterrupted run printed '$(cat out)', want 2"
"$MYVMM" -s once.snap </dev/null >out 2>err || bad "once: resume: exit $?: $(cat err)"
[ "$(cat out)" = 2 ] || bad "once: the resumed run printed '$(cat out)', want 2 (the stored word)"
"$MYVMM" --snapshot-info once.snap >info 2>&1 || bad "once: --snapshot-info: $(cat info)"
grep -q '^text: 1 of those pages are text the program stored into' info ||
    bad "once: --snapshot-info: $(cat info)"
grep -q '^  MEM  *v2 ' info || bad "once: MEM is not version 2: $(cat info)"
# compressed (when this myvmm has zstd): the page is decompressed, not mapped
mkdir z
if (cd z && "$MYVMM" --snapshot-compress ../once.s </dev/null >/dev/null 2>err); then
    "$MYVMM" -s z/once.snap </dev/null >out 2>err || bad "compressed: resume: exit $?: $(cat err)"
    [ "$(cat out)" = 2 ] || bad "compressed: the resumed run printed '$(cat out)', want 2"
else
    grep -q 'built without libzstd' z/err || bad "compressed: $(cat z/err)"
fi
# the snapshot of a run that never stored into text has no text page
printf '\t.text\nmain:\tSNAPSHOT plain.snap\n\tjr $ra\n' >plain.s
"$MYVMM" plain.s </dev/null >/dev/null 2>err || bad "plain: exit $?: $(cat err)"
"$MYVMM" --snapshot-info plain.snap >info 2>&1 || bad "plain: --snapshot-info: $(cat info)"
grep -q '^text:' info && bad "plain: a text page in the snapshot: $(cat info)"

# 2. a loop adds the word at "patch" to $a0, then rewrites it for the next
# iteration (addiu $a0, $a0, i & 0xff): stopped anywhere, the next word
# to run is the one stored last
cat >loop.s <<'T'
	.text
main:	li	$t0, 0
	li	$a0, 0
	lw	$t3, count
	la	$t1, patch
	lw	$t2, base
patch:	addiu	$a0, $a0, 1		# the image's; rewritten below
	andi	$t4, $t0, 0xff
	or	$t5, $t2, $t4
	sw	$t5, 0($t1)		# into text
	addiu	$t0, $t0, 1
	bne	$t0, $t3, patch
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
	.data
base:	.word	0x24840000		# addiu $a0, $a0, 0
count:	.word	3000000
T
"$MYVMM" --final-hash loop.s </dev/null >ref.out 2>ref.err || bad "loop: exit $?: $(cat ref.err)"
[ "$(cat ref.out)" = 382493666 ] || bad "loop: printed '$(cat ref.out)', want 382493666"
"$MYVMM" --max-instructions 1234567 --snapshot-on-exit loop.snap loop.s </dev/null >/dev/null 2>err
[ $? -eq 4 ] || bad "loop: not stopped by the limit: $(cat err)"
"$MYVMM" --final-hash -s loop.snap </dev/null >out 2>err || bad "loop: resume: exit $?: $(cat err)"
cmp -s out ref.out || bad "loop: the resumed run printed '$(cat out)', want '$(cat ref.out)'"
[ "$(final_hash ref.err)" = "$(final_hash err)" ] ||
    bad "loop: final hash $(final_hash err), uninterrupted $(final_hash ref.err)"

# 3. the bare machine: the same loop in a kernel in kseg0, which prints
# the sum's low 10 bits as two letters
cat >bare.s <<'T'
        .ktext 0x80001000
__start: li   $t0, 0
        li   $t6, 0
        li   $t3, 3000000
        la   $t1, patch
        lw   $t2, base
patch:  addiu $t6, $t6, 1               # the image's; rewritten below
        andi $t4, $t0, 0xff
        or   $t5, $t2, $t4
        sw   $t5, 0($t1)                # into text, through kseg0
        addiu $t0, $t0, 1
        bne  $t0, $t3, patch
        li   $t0, 0xbfff000c
        andi $t2, $t6, 31
        addiu $t2, $t2, 64
        sb   $t2, 0($t0)
        srl  $t2, $t6, 5
        andi $t2, $t2, 31
        addiu $t2, $t2, 64
        sb   $t2, 0($t0)
        li   $t2, 10
        sb   $t2, 0($t0)
        li   $t0, 0xbfff0100
        sw   $zero, 0($t0)              # power off
        .kdata
base:   .word 0x25ce0000                # addiu $t6, $t6, 0
T
"$MYVMM" --machine bare --final-hash -v bare.s </dev/null >bref.out 2>bref.err ||
    bad "bare: exit $?: $(cat bref.err)"
[ "$(cat bref.out)" = B_ ] || bad "bare: printed '$(cat bref.out)', want B_"
"$MYVMM" --machine bare --max-instructions 3456789 --snapshot-on-exit bare.snap -v bare.s \
    </dev/null >/dev/null 2>err
[ $? -eq 4 ] || bad "bare: not stopped by the limit: $(cat err)"
"$MYVMM" --final-hash -s bare.snap </dev/null >out 2>err || bad "bare: resume: exit $?: $(cat err)"
cmp -s out bref.out || bad "bare: the resumed run printed '$(cat out)', want '$(cat bref.out)'"
[ "$(final_hash bref.err)" = "$(final_hash err)" ] ||
    bad "bare: final hash $(final_hash err), uninterrupted $(final_hash bref.err)"

# the same store through the kseg1 alias of the page is decoded again too
sed 's/^        la   \$t1, patch$/        la   $t1, patch\n        lui  $t4, 0x2000\n        or   $t1, $t1, $t4              # kseg1/' bare.s >kseg1.s
grep -q 'kseg1' kseg1.s || bad "kseg1: the sed did not apply"
"$MYVMM" --machine bare -v kseg1.s </dev/null >out 2>err || bad "kseg1: exit $?: $(cat err)"
cmp -s out bref.out || bad "kseg1: printed '$(cat out)', want '$(cat bref.out)'"

# 4. loopback migrations while the word is being rewritten
migrate() {
    local name=$1 after=$2 ref=$3 reference_err=$4
    shift 4
    start_dest dst.out dst.err --final-hash </dev/null || { bad "$name: no destination"; return; }
    timeout 60 "$MYVMM" --final-hash --migrate "tcp:127.0.0.1:$DPORT" --migrate-after "$after" \
        "$@" </dev/null >src.out 2>src.err
    local rc=$?
    grep -q "summary: handed over" src.err || kill "$DPID" 2>/dev/null
    wait_dest
    local drc=$?
    [ $rc -eq 0 ] && [ $drc -eq 0 ] || bad "$name: exits $rc, $drc: $(tail -n 2 src.err dst.err)"
    grep -q "summary: handed over" src.err || bad "$name: not handed over: $(cat src.err)"
    cat src.out dst.out | cmp -s - "$ref" ||
        bad "$name: printed '$(cat src.out dst.out)', want '$(cat "$ref")'"
    [ "$(final_hash "$reference_err")" = "$(final_hash dst.err)" ] ||
        bad "$name: final hash $(final_hash dst.err), unmigrated $(final_hash "$reference_err")"
}
migrate migrate-spim 2000000 ref.out ref.err loop.s
migrate migrate-bare 2000000 bref.out bref.err --machine bare -v bare.s

[ $fail -eq 0 ] || exit 1
echo "summary: stored text survives SNAPSHOT, --snapshot-on-exit, zstd, the bare machine and 2 migrations"
