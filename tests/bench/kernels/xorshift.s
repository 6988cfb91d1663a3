# kernels/xorshift.s -- the tightest loop: Marsaglia's xorshift32 generator,
# eight register-only instructions per iteration: the pure dispatch cost.
#   x = 2463534242; repeat n times: x ^= x << 13; x ^= x >> 17; x ^= x << 5; chk += x
	.data
	.align	2
xs_n:	.word	1000000		# @size: iterations
	.text
	.globl	kernel
kernel:
	la	$t0, xs_n
	lw	$t0, 0($t0)		# iterations left
	li	$t1, 2463534242		# x
	li	$v0, 0			# chk
xs_top:
	sll	$t2, $t1, 13
	xor	$t1, $t1, $t2
	srl	$t2, $t1, 17
	xor	$t1, $t1, $t2
	sll	$t2, $t1, 5
	xor	$t1, $t1, $t2
	addu	$v0, $v0, $t1
	addiu	$t0, $t0, -1
	bne	$t0, $zero, xs_top
	jr	$ra
