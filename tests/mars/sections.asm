# sections.asm -- .data and .text alternate: each .data continues where
# the last one stopped, each .text after the last instruction.
	.data
one:	.asciiz	"one "
	.text
	la	$a0, one
	li	$v0, 4
	syscall
	.data
two:	.asciiz	"two "
	.text
	la	$a0, two
	syscall
	.data
	.align	2
three:	.word	3
	.text
	lw	$a0, three
	li	$v0, 1
	syscall
	la	$t0, three		# the data layout: distance from one to three
	la	$t1, one
	subu	$a0, $t0, $t1
	syscall
