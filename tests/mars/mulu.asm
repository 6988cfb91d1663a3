# mulu.asm -- MARS's mulu (unsigned multiply into a register; HI keeps the
# high word): with a register and with an immediate.
	.text
	li	$t1, -1			# 0xffffffff
	li	$t2, 3
	mulu	$t0, $t1, $t2		# low word 0xfffffffd, HI 2
	move	$a0, $t0
	li	$v0, 34
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
	mulu	$t0, $t2, 100000	# 300000
	move	$a0, $t0
	li	$v0, 1
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
