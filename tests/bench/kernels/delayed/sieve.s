# kernels/delayed/sieve.s -- kernels/sieve.s written for branch delay slots
# (`myvmm -delayed_branches`, under main_delayed.s.in), each slot filled as
# a compiler fills it: the fill loop's store, the crossing loop's store and
# the index increments run in slots; the sum walks a pointer to the end of
# the flags so its counter can move into a slot; a loop's back branch takes
# the first instruction of its target into its slot.
	.data
	.align	2
sv_reps: .word	80		# @size: repetitions of the sieve
sv_flags: .space 4096
	.text
	.globl	kernel
kernel:
	la	$t9, sv_reps
	lw	$t8, 0($t9)		# repetitions left
	li	$v0, 0			# chk
	la	$t7, sv_flags
	li	$t6, 4096		# N
	addu	$t5, $t7, $t6		# the end of the flags
	move	$t0, $zero
sv_fill:
	addu	$t1, $t7, $t0
	sltiu	$t2, $t0, 2
	xori	$t2, $t2, 1		# 1 from 2 on
	addiu	$t0, $t0, 1
	bne	$t0, $t6, sv_fill
	sb	$t2, 0($t1)		# (slot) flags[i] = i >= 2
	li	$t0, 2			# i
sv_outer:
	mul	$t3, $t0, $t0		# j = i * i
sv_test:
	slt	$t2, $t3, $t6
	beq	$t2, $zero, sv_sum
	addu	$t1, $t7, $t0		# (slot) &flags[i]
	lbu	$t2, 0($t1)
	move	$t4, $t0		# the step: i
	beq	$t2, $zero, sv_outer
	addiu	$t0, $t0, 1		# (slot) i++, crossed out or not
sv_cross:
	addu	$t1, $t7, $t3		# &flags[j]
	addu	$t3, $t3, $t4		# j += i
	slt	$t2, $t3, $t6
	bne	$t2, $zero, sv_cross
	sb	$zero, 0($t1)		# (slot) flags[j] = 0
	b	sv_test
	mul	$t3, $t0, $t0		# (slot) sv_outer's first instruction
sv_sum:
	move	$t1, $t7		# &flags[0]
	move	$t0, $zero
sv_add:
	lbu	$t2, 0($t1)
	beq	$t2, $zero, sv_noprime
	addiu	$t1, $t1, 1		# (slot) the next flag
	addu	$v0, $v0, $t0		# chk += i
sv_noprime:
	bne	$t1, $t5, sv_add
	addiu	$t0, $t0, 1		# (slot) i++
	addiu	$t8, $t8, -1
	bne	$t8, $zero, sv_fill
	move	$t0, $zero		# (slot) i = 0 for the next repetition's fill
	jr	$ra
	nop
