# overflow.asm -- addi past the largest int: an arithmetic overflow
# exception with no handler of the program's own stops it.
	.text
	li	$a0, 1
	li	$v0, 1
	syscall
	li	$t0, 0x7fffffff
	addi	$t0, $t0, 1
	li	$a0, 2
	li	$v0, 1
	syscall
