# kernels/syscall.s -- syscall-heavy kernel: every iteration exits to the
# monitor twice (print_int, then print_char '\n'), so this measures the
# cost of a guest exit and its emulation rather than of dispatch.
# Same shape as the other kernels here (kernels/fib.s ...): entry label
# `kernel`, checksum in $v0, size in the word marked @size.
#   chk = 0; for (i = 0; i < n; i++) { v = i * 7 - 3; print v; print '\n'; chk += v; }
	.data
	.align	2
sc_n:	.word	20000		# @size: lines printed
	.text
	.globl	kernel
kernel:
	la	$t0, sc_n
	lw	$t1, 0($t0)		# n
	li	$t2, 0			# i
	li	$t3, 0			# chk
sc_top:
	sll	$t4, $t2, 3
	subu	$t4, $t4, $t2		# i * 7
	addiu	$a0, $t4, -3
	addu	$t3, $t3, $a0
	li	$v0, 1			# print_int
	syscall
	li	$a0, 10
	li	$v0, 11			# print_char
	syscall
	addiu	$t2, $t2, 1
	bne	$t2, $t1, sc_top
	move	$v0, $t3
	jr	$ra
