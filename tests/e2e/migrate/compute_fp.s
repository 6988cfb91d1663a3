# compute_fp.s -- a floating-point loop for migration and snapshot tests:
# the FP registers, FCSR's rounding mode (toward zero) and its condition
# codes and flags must all arrive for the sums to come out the same.
	.data
nl:	.asciiz	"\n"
	.text
main:	li	$t0, 1			# FCSR.RM = 1: toward zero
	ctc1	$t0, $31
	li.d	$f2, 0.0		# the sum of 1/k
	li.d	$f4, 1.0		# k
	li.d	$f6, 1.0
	li.s	$f8, 0.0		# a single-precision sum of k/3
	li.s	$f9, 3.0
	li	$s0, 0
	li	$s1, 30			# 120 M instructions: a migration at 12 M has slack on a loaded machine
outer:	li	$s2, 400000
inner:	div.d	$f10, $f6, $f4
	add.d	$f2, $f2, $f10
	add.d	$f4, $f4, $f6
	cvt.s.d	$f11, $f4
	div.s	$f11, $f11, $f9
	add.s	$f8, $f8, $f11
	c.lt.d	$f2, $f4		# cc 0, always true here
	bc1f	stop
	addiu	$s2, $s2, -1
	bnez	$s2, inner
	mov.d	$f12, $f2
	li	$v0, 3
	syscall
	la	$a0, nl
	li	$v0, 4
	syscall
	mov.s	$f12, $f8
	li	$v0, 2
	syscall
	la	$a0, nl
	li	$v0, 4
	syscall
	addiu	$s0, $s0, 1
	bne	$s0, $s1, outer
stop:	cfc1	$a0, $31		# RM, flags, cc 0
	li	$v0, 34
	syscall
	la	$a0, nl
	li	$v0, 4
	syscall
	li	$v0, 10
	syscall
