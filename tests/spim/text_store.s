# text_store.s -- a program that stores into its own text: SPIM lets it,
# and runs what it stored.  The word at "patch" starts as li $a0, 1 and is
# overwritten with li $a0, 2 (addiu $a0, $zero, 2) before it runs; a load
# from text reads the new word back.  (The privileged machine, with its
# own kernel, keeps text read-only.)
	.text
main:	la	$t0, patch
	lw	$t1, new
	sw	$t1, 0($t0)		# into text
	lw	$t2, 0($t0)
	bne	$t1, $t2, bad
patch:	li	$a0, 1			# runs as li $a0, 2
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
bad:	li	$a0, 0
	li	$v0, 1
	syscall
	jr	$ra

	.data
new:	.word	0x24040002		# addiu $a0, $zero, 2
