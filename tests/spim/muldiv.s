# muldiv.s -- HI/LO instructions: mult/multu/div/divu/mfhi/mflo/mthi/mtlo,
# madd/maddu/msub/msubu, SPIM's mul (which also sets HI/LO), clz/clo and
# the conditional moves movz/movn.  Prints "hi lo" pairs and values.
	.text
# p: print $a0 then a space
p:	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	jr	$ra
# phl: print HI and LO then a newline
phl:	move	$t8, $ra
	mfhi	$a0
	jal	p
	mflo	$a0
	jal	p
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$t8

main:	move	$s7, $ra
	li	$s0, 123456789
	li	$s1, -987654
	li	$s2, 0xffffffff
	li	$s3, 7

	mult	$s0, $s1
	jal	phl
	multu	$s0, $s1
	jal	phl
	multu	$s2, $s2
	jal	phl
	mult	$s2, $s2
	jal	phl
	div	$s0, $s1
	jal	phl
	div	$s1, $s3		# negative dividend: quotient and remainder truncate toward 0
	jal	phl
	divu	$s1, $s3
	jal	phl
	li	$t0, 5
	mthi	$t0
	li	$t0, -6
	mtlo	$t0
	jal	phl
	madd	$s0, $s3		# hi:lo += 123456789 * 7
	jal	phl
	maddu	$s2, $s3
	jal	phl
	msub	$s1, $s1
	jal	phl
	msubu	$s2, $s3
	jal	phl
	mul	$a0, $s0, $s1		# low word; HI/LO get the full product
	jal	p
	jal	phl

	clz	$a0, $zero
	jal	p
	clz	$a0, $s3
	jal	p
	clz	$a0, $s1
	jal	p
	clo	$a0, $s1
	jal	p
	clo	$a0, $s2
	jal	p
	clo	$a0, $s3
	jal	p
	li	$a0, 10
	li	$v0, 11
	syscall

	li	$t1, 111
	li	$t2, 222
	movz	$t1, $t2, $zero		# moves: condition is zero
	move	$a0, $t1
	jal	p
	li	$t1, 111
	movz	$t1, $t2, $s3		# no move
	move	$a0, $t1
	jal	p
	li	$t1, 111
	movn	$t1, $t2, $s3		# moves
	move	$a0, $t1
	jal	p
	li	$t1, 111
	movn	$t1, $t2, $zero		# no move
	move	$a0, $t1
	jal	p
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$s7
