# div_zero.asm -- the machine div and divu by zero do not trap: HI and LO
# keep what they held (set here with mthi/mtlo), as in MARS.
	.text
	li	$t0, 7
	li	$t2, 33
	mtlo	$t2
	li	$t2, 44
	mthi	$t2
	div	$t0, $zero
	mflo	$a0
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	mfhi	$a0
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	divu	$t0, $zero
	mflo	$a0
	li	$v0, 1
	syscall
