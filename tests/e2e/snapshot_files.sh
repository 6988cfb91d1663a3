#!/usr/bin/env bash
# snapshot_files.sh -- guest files (syscalls 13-16) in snapshots: a
# program reads 5 bytes of in.txt and writes them to out.txt, SNAPSHOTs,
# then reads and writes 5 more.  The restore reopens both files under
# --fs-root at their saved offsets (write mode without truncating again),
# so it prints the second half and writes it at offset 5; without
# --fs-root the restore is refused with a message.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" && mkdir root || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
printf 'HELLOWORLD' >root/in.txt
cat >f.s <<'S'
	.data
inname:	.asciiz	"in.txt"
outname: .asciiz "out.txt"
buf:	.space	16
	.text
main:	la	$a0, inname		# open in.txt for reading
	li	$a1, 0
	li	$v0, 13
	syscall
	move	$s0, $v0
	la	$a0, outname		# open out.txt for writing
	li	$a1, 1
	li	$v0, 13
	syscall
	move	$s1, $v0
	jal	copy5
	SNAPSHOT f.bin
	jal	copy5
	li	$v0, 10
	syscall
copy5:	move	$a0, $s0		# read 5 bytes, print them, write them
	la	$a1, buf
	li	$a2, 5
	li	$v0, 14
	syscall
	sb	$zero, buf+5
	la	$a0, buf
	li	$v0, 4
	syscall
	move	$a0, $s1
	la	$a1, buf
	li	$a2, 5
	li	$v0, 15
	syscall
	jr	$ra
S
"$MYVMM" --fs-root root -v f.s >full 2>err || bad "run: $(cat err)"
[ "$(cat full)" = HELLOWORLD ] || bad "run printed '$(cat full)'"
[ "$(cat root/out.txt)" = HELLOWORLD ] || bad "run wrote '$(cat root/out.txt)'"
"$MYVMM" --snapshot-info f.bin >info || bad "info failed"
grep -q 'fd 3: in.txt (flags 0, offset 5)' info || bad "info: $(cat info)"
grep -q 'fd 4: out.txt (flags 1, offset 5)' info || bad "info: $(cat info)"
printf 'xxxxxxxxxx' >root/out.txt
"$MYVMM" --fs-root root -s f.bin >rest 2>err || bad "restore: $(cat err)"
[ "$(cat rest)" = WORLD ] || bad "restore printed '$(cat rest)'"
[ "$(cat root/out.txt)" = xxxxxWORLD ] || bad "restore wrote '$(cat root/out.txt)' (expected xxxxxWORLD: offset 5, no truncation)"
"$MYVMM" -s f.bin >none 2>err && bad "restore without --fs-root ran"
grep -q 'give --fs-root' err || bad "no --fs-root: $(cat err)"
[ -s none ] && bad "the VM ran without its files"
echo "snapshot_files: $fail failures"
[ $fail -eq 0 ]
