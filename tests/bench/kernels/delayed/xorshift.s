# kernels/delayed/xorshift.s -- kernels/xorshift.s written for branch delay
# slots (`myvmm -delayed_branches`, under main_delayed.s.in), each slot
# filled as a compiler fills it: the checksum's add runs in the loop
# branch's slot (eight instructions per iteration instead of nine).
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
	addiu	$t0, $t0, -1
	bne	$t0, $zero, xs_top
	addu	$v0, $v0, $t1		# (slot) chk += x, taken or not
	jr	$ra
	nop
