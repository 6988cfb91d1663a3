# kernels/delayed/fib.s -- kernels/fib.s written for branch delay slots
# (`myvmm -delayed_branches`, under main_delayed.s.in), each slot filled as
# a compiler fills it: a call's slot sets its argument, a return's slot
# pops the frame or sets the result, a loop's slot does its bookkeeping.
# A leaf call (n < 2) runs five instructions, one more than in
# kernels/fib.s: its test's branch and its return both have a slot.
	.data
	.align	2
fib_reps: .word	80		# @size: repetitions of fib(18)
fib_arg: .word	18
	.text
	.globl	kernel
kernel:
	addiu	$sp, $sp, -12
	sw	$ra, 8($sp)
	sw	$s0, 4($sp)
	sw	$s1, 0($sp)
	la	$t0, fib_reps
	lw	$s0, 0($t0)		# repetitions left
	li	$s1, 0			# chk
	la	$s2, fib_arg
fib_next:
	beq	$s0, $zero, fib_done
	lw	$a0, 0($s2)		# (slot) n, whether it is needed or not
	jal	fib
	addiu	$s0, $s0, -1		# (slot) one repetition fewer
	b	fib_next
	addu	$s1, $s1, $v0		# (slot) chk += fib(n)
fib_done:
	move	$v0, $s1
	lw	$s1, 0($sp)
	lw	$s0, 4($sp)
	lw	$ra, 8($sp)
	jr	$ra
	addiu	$sp, $sp, 12		# (slot)

fib:					# $v0 = fib($a0)
	sltiu	$t0, $a0, 2
	beq	$t0, $zero, fib_rec
	addiu	$a0, $a0, -1		# (slot) n - 1, taken or not
	jr	$ra
	addiu	$v0, $a0, 1		# (slot) fib(n) = n for n < 2
fib_rec:
	addiu	$sp, $sp, -12
	sw	$ra, 8($sp)
	jal	fib			# fib(n - 1)
	sw	$a0, 4($sp)		# (slot) n - 1, kept
	sw	$v0, 0($sp)
	lw	$a0, 4($sp)
	jal	fib			# fib(n - 2)
	addiu	$a0, $a0, -1		# (slot)
	lw	$t0, 0($sp)
	lw	$ra, 8($sp)
	addu	$v0, $v0, $t0
	jr	$ra
	addiu	$sp, $sp, 12		# (slot)
