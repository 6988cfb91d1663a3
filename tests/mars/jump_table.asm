# jump_table.asm -- a switch through a .word table of labels and jr, and
# a call through jalr.
	.data
table:	.word	case0, case1, case2
	.text
	li	$s0, 0
loop:	sll	$t0, $s0, 2
	lw	$t1, table($t0)
	jr	$t1
case0:	li	$a0, 'z'
	j	next
case1:	li	$a0, 'o'
	j	next
case2:	li	$a0, 't'
next:	li	$v0, 11
	syscall
	addi	$s0, $s0, 1
	blt	$s0, 3, loop
	la	$t2, shout
	jalr	$t2
	li	$v0, 10
	syscall
shout:	li	$a0, '!'
	li	$v0, 11
	syscall
	jr	$ra
