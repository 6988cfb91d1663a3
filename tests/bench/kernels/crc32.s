# kernels/crc32.s -- shifts, masks and a tight bit loop: CRC-32 (the
# reflected polynomial 0xEDB88320, one bit at a time) of a 1024-byte buffer,
# reps times, each repetition from a different initial value.
#   buf[i] = (7i + i / 8) & 255
#   repeat r = 0 .. reps-1:
#     crc = ~r; for each byte: crc ^= byte; 8 times: crc = (crc >> 1) ^ (0xEDB88320 & -(crc & 1))
#     chk += ~crc
	.data
	.align	2
cr_reps: .word	128		# @size: repetitions over the buffer
cr_buf:	.space	1024
	.text
	.globl	kernel
kernel:
	la	$a0, cr_buf
	li	$a1, 1024
	li	$t0, 0
cr_init:
	sll	$t1, $t0, 3
	subu	$t1, $t1, $t0		# 7i
	srl	$t2, $t0, 3
	addu	$t1, $t1, $t2
	addu	$t2, $a0, $t0
	sb	$t1, 0($t2)		# the low byte
	addiu	$t0, $t0, 1
	bne	$t0, $a1, cr_init
	la	$t9, cr_reps
	lw	$t9, 0($t9)		# repetitions
	li	$t8, 0			# r
	li	$v0, 0			# chk
	li	$a2, 0xEDB88320
cr_rep:
	nor	$t3, $t8, $zero		# crc = ~r
	li	$t0, 0
cr_byte:
	addu	$t2, $a0, $t0
	lbu	$t1, 0($t2)
	xor	$t3, $t3, $t1
	li	$t4, 8
cr_bit:
	andi	$t5, $t3, 1
	subu	$t5, $zero, $t5		# all ones when the low bit is set
	and	$t5, $t5, $a2
	srl	$t3, $t3, 1
	xor	$t3, $t3, $t5
	addiu	$t4, $t4, -1
	bne	$t4, $zero, cr_bit
	addiu	$t0, $t0, 1
	bne	$t0, $a1, cr_byte
	nor	$t3, $t3, $zero
	addu	$v0, $v0, $t3
	addiu	$t8, $t8, 1
	bne	$t8, $t9, cr_rep
	jr	$ra
