# sbrk_use.asm -- syscall 9: two blocks are allocated, filled and read
# back; only the distance between them is printed (the heap's base differs
# between simulators).
	.text
	li	$a0, 16
	li	$v0, 9
	syscall
	move	$s0, $v0
	li	$a0, 8
	li	$v0, 9
	syscall
	move	$s1, $v0
	subu	$a0, $s1, $s0
	li	$v0, 1
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	li	$t0, 0
fill:	sll	$t1, $t0, 2
	addu	$t1, $t1, $s0
	addi	$t2, $t0, 100
	sw	$t2, 0($t1)
	addi	$t0, $t0, 1
	blt	$t0, 4, fill
	lw	$a0, 12($s0)
	li	$v0, 1
	syscall
	sw	$a0, 4($s1)
	lw	$a0, 4($s1)
	syscall
