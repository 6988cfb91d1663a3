# print_formats.asm -- syscalls 34 (hex), 35 (binary) and 36 (unsigned) on
# the edge values 0, -1, the smallest and largest ints and 0xdeadbeef.
	.data
vals:	.word	0, -1, 0x80000000, 0x7fffffff, 0xdeadbeef
	.text
	li	$s0, 0
loop:	sll	$t0, $s0, 2
	lw	$s1, vals($t0)
	move	$a0, $s1
	li	$v0, 34
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	move	$a0, $s1
	li	$v0, 35
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	move	$a0, $s1
	li	$v0, 36
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	addi	$s0, $s0, 1
	blt	$s0, 5, loop
