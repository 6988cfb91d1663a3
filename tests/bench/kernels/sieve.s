# kernels/sieve.s -- byte loads and stores, short inner loops: the sieve
# of Eratosthenes below 4096, reps times; chk adds up the primes found.
#   repeat reps times:
#     flags[i] = i >= 2 for i < 4096
#     for (i = 2; i * i < 4096; i++) if (flags[i]) for (j = i * i; j < 4096; j += i) flags[j] = 0
#     for (i = 0; i < 4096; i++) if (flags[i]) chk += i
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
sv_rep:
	li	$t0, 0
sv_fill:
	addu	$t1, $t7, $t0
	sltiu	$t2, $t0, 2
	xori	$t2, $t2, 1		# 1 from 2 on
	sb	$t2, 0($t1)
	addiu	$t0, $t0, 1
	bne	$t0, $t6, sv_fill
	li	$t0, 2			# i
sv_outer:
	mul	$t3, $t0, $t0		# j = i * i
	slt	$t2, $t3, $t6
	beq	$t2, $zero, sv_sum
	addu	$t1, $t7, $t0
	lbu	$t2, 0($t1)
	beq	$t2, $zero, sv_skip
sv_cross:
	addu	$t1, $t7, $t3
	sb	$zero, 0($t1)
	addu	$t3, $t3, $t0
	slt	$t2, $t3, $t6
	bne	$t2, $zero, sv_cross
sv_skip:
	addiu	$t0, $t0, 1
	b	sv_outer
sv_sum:
	li	$t0, 0
sv_add:
	addu	$t1, $t7, $t0
	lbu	$t2, 0($t1)
	beq	$t2, $zero, sv_noprime
	addu	$v0, $v0, $t0
sv_noprime:
	addiu	$t0, $t0, 1
	bne	$t0, $t6, sv_add
	addiu	$t8, $t8, -1
	bne	$t8, $zero, sv_rep
	jr	$ra
