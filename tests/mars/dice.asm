# dice.asm -- a course exercise: 600 rolls of a die (seed 7), counted per
# face in a .word array.
	.data
counts:	.word	0:6
	.text
	li	$a0, 3
	li	$a1, 7
	li	$v0, 40
	syscall
	li	$s0, 600
roll:	li	$a0, 3
	li	$a1, 6
	li	$v0, 42
	syscall
	sll	$t0, $a0, 2
	lw	$t1, counts($t0)
	addi	$t1, $t1, 1
	sw	$t1, counts($t0)
	addi	$s0, $s0, -1
	bnez	$s0, roll
	li	$s0, 0
show:	sll	$t0, $s0, 2
	lw	$a0, counts($t0)
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	addi	$s0, $s0, 1
	blt	$s0, 6, show
