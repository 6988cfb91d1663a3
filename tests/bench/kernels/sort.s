# kernels/sort.s -- compares and data-dependent branches: insertion sort of
# 200 pseudo-random words, reps times, then a weighted sum of the result.
#   repeat r = 0 .. reps-1:
#     x = r + 1; a[i] = (x = x * 1103515245 + 12345) >> 8 for i < 200
#     insertion sort a (unsigned);  chk += a[i] * (i + 1) for i < 200
	.data
	.align	2
so_reps: .word	100		# @size: repetitions of fill, sort, sum
so_arr:	.space	800
	.text
	.globl	kernel
kernel:
	la	$a0, so_arr
	la	$t9, so_reps
	lw	$t9, 0($t9)		# repetitions
	li	$t8, 0			# r
	li	$v0, 0			# chk
	li	$a1, 1103515245
	li	$a2, 200		# n
so_rep:
	addiu	$t0, $t8, 1		# x
	li	$t1, 0
so_fill:
	mul	$t0, $t0, $a1
	addiu	$t0, $t0, 12345
	srl	$t2, $t0, 8
	sll	$t3, $t1, 2
	addu	$t3, $a0, $t3
	sw	$t2, 0($t3)
	addiu	$t1, $t1, 1
	bne	$t1, $a2, so_fill
	li	$t1, 1			# i
so_outer:
	sll	$t3, $t1, 2
	addu	$t3, $a0, $t3		# &a[j], j = i
	lw	$t2, 0($t3)		# key
so_inner:
	beq	$t3, $a0, so_place
	lw	$t4, -4($t3)		# a[j - 1]
	sltu	$t5, $t2, $t4
	beq	$t5, $zero, so_place
	sw	$t4, 0($t3)
	addiu	$t3, $t3, -4
	b	so_inner
so_place:
	sw	$t2, 0($t3)
	addiu	$t1, $t1, 1
	bne	$t1, $a2, so_outer
	li	$t1, 0
so_sum:
	sll	$t3, $t1, 2
	addu	$t3, $a0, $t3
	lw	$t4, 0($t3)
	addiu	$t1, $t1, 1
	mul	$t4, $t4, $t1		# a[i] * (i + 1)
	addu	$v0, $v0, $t4
	bne	$t1, $a2, so_sum
	addiu	$t8, $t8, 1
	bne	$t8, $t9, so_rep
	jr	$ra
