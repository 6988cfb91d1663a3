# llsc.s -- ll/sc, the atomic read-modify-write pair.  On one CPU with no
# interrupt in between, sc always succeeds.  MIPS32 then sets rt to 1;
# SPIM 8.0 stores but leaves rt unchanged (here 42, which happens to make
# the retry loop exit too), and SPIM's tt.core.s checks it.  The
# SPIM-style machine does as SPIM (the privileged one as MIPS32).
	.data
word:	.word	41
	.text
main:	la	$t1, word
retry:	ll	$t0, 0($t1)
	addiu	$t0, $t0, 1
	sc	$t0, 0($t1)
	beqz	$t0, retry		# the usual loop: 0 means "try again"
	move	$a0, $t0		# 1: success
	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	lw	$a0, word		# 42
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
