# random_range.asm -- syscall 42 with bounds 1, 6, 16 (a power of two
# takes java.util.Random's other path), 1000 and 0x7fffffff, seed 2024.
	.data
bounds:	.word	1, 6, 16, 1000, 0x7fffffff
	.text
	li	$a0, 0
	li	$a1, 2024
	li	$v0, 40
	syscall
	li	$s1, 3			# rounds
round:	li	$s0, 0
one:	sll	$t0, $s0, 2
	lw	$a1, bounds($t0)
	li	$a0, 0
	li	$v0, 42
	syscall
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	addi	$s0, $s0, 1
	blt	$s0, 5, one
	li	$a0, '\n'
	li	$v0, 11
	syscall
	addi	$s1, $s1, -1
	bnez	$s1, round
