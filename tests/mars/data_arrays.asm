# data_arrays.asm -- .word with a value:count repeat, .half, .byte and
# .space arrays; their sums, and the distance between labels.
	.data
wd:	.word	1, 2, 3, 4
rep:	.word	7:3
hw:	.half	-1, 300
by:	.byte	1, 2, -6
	.align	2
zs:	.space	12
end:
	.text
	li	$s0, 0
	li	$t0, 0
wsum:	sll	$t1, $t0, 2
	lw	$t2, wd($t1)
	add	$s0, $s0, $t2
	addi	$t0, $t0, 1
	blt	$t0, 7, wsum		# wd and rep are contiguous
	move	$a0, $s0
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	lh	$t0, hw
	lh	$t1, hw+2
	add	$a0, $t0, $t1
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	lb	$t0, by+2		# signed: -6
	lbu	$t1, by+2		# unsigned: 250
	add	$a0, $t0, $t1
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	lw	$a0, zs+8		# .space is zeroed
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	la	$t0, end
	la	$t1, wd
	subu	$a0, $t0, $t1
	li	$v0, 1
	syscall
