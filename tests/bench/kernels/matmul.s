# kernels/matmul.s -- multiplies and word loads: C = A * B on 16x16 word
# matrices, reps times; one element of A changes between repetitions.
#   A[k] = 3k + 1, B[k] = k ^ 5 (k = 16 * row + column)
#   repeat r = 0 .. reps-1:
#     C[i][j] = sum over k of A[i][k] * B[k][j];  chk += C[i][j]
#     A[r & 255] += 1
	.data
	.align	2
mm_reps: .word	240		# @size: repetitions of the product
mm_a:	.space	1024
mm_b:	.space	1024
mm_c:	.space	1024
	.text
	.globl	kernel
kernel:
	la	$a0, mm_a
	la	$a1, mm_b
	la	$a2, mm_c
	li	$t0, 0
	li	$t1, 256
mm_init:
	sll	$t2, $t0, 2
	addu	$t3, $a0, $t2
	sll	$t4, $t0, 1
	addu	$t4, $t4, $t0
	addiu	$t4, $t4, 1		# 3k + 1
	sw	$t4, 0($t3)
	addu	$t3, $a1, $t2
	xori	$t4, $t0, 5
	sw	$t4, 0($t3)
	addiu	$t0, $t0, 1
	bne	$t0, $t1, mm_init
	la	$t9, mm_reps
	lw	$t9, 0($t9)		# repetitions
	li	$t8, 0			# r
	li	$v0, 0			# chk
mm_rep:
	li	$t0, 0			# i
mm_row:
	li	$t1, 0			# j
mm_col:
	sll	$t2, $t0, 6
	addu	$t2, $a0, $t2		# &A[i][0]
	sll	$t3, $t1, 2
	addu	$t3, $a1, $t3		# &B[0][j]
	addiu	$t5, $t2, 64		# end of row i
	li	$t4, 0			# sum
mm_dot:
	lw	$t6, 0($t2)
	lw	$t7, 0($t3)
	mul	$t6, $t6, $t7
	addu	$t4, $t4, $t6
	addiu	$t2, $t2, 4
	addiu	$t3, $t3, 64
	bne	$t2, $t5, mm_dot
	sll	$t6, $t0, 4
	addu	$t6, $t6, $t1
	sll	$t6, $t6, 2
	addu	$t6, $a2, $t6
	sw	$t4, 0($t6)		# C[i][j]
	addu	$v0, $v0, $t4
	addiu	$t1, $t1, 1
	li	$t6, 16
	bne	$t1, $t6, mm_col
	addiu	$t0, $t0, 1
	bne	$t0, $t6, mm_row
	andi	$t6, $t8, 255
	sll	$t6, $t6, 2
	addu	$t6, $a0, $t6
	lw	$t7, 0($t6)
	addiu	$t7, $t7, 1
	sw	$t7, 0($t6)		# A[r & 255] += 1
	addiu	$t8, $t8, 1
	bne	$t8, $t9, mm_rep
	jr	$ra
