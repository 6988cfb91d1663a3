# loads_stores.asm -- sb/sh/sw into one word and lb/lbu/lh/lhu/lw out of
# it: MARS is little-endian, so byte 0 is the low byte.
	.data
w:	.word	0
	.text
	la	$s0, w
	li	$t0, 0x81
	sb	$t0, 0($s0)
	li	$t0, 0x7f
	sb	$t0, 1($s0)
	li	$t0, 0xbeef
	sh	$t0, 2($s0)
	lw	$a0, 0($s0)
	li	$v0, 34
	syscall
	li	$v0, 11
	li	$a0, ' '
	syscall
	lb	$a0, 0($s0)
	li	$v0, 1
	syscall
	li	$v0, 11
	li	$a0, ' '
	syscall
	lbu	$a0, 0($s0)
	li	$v0, 1
	syscall
	li	$v0, 11
	li	$a0, ' '
	syscall
	lh	$a0, 2($s0)
	li	$v0, 1
	syscall
	li	$v0, 11
	li	$a0, ' '
	syscall
	lhu	$a0, 2($s0)
	li	$v0, 1
	syscall
	li	$v0, 11
	li	$a0, ' '
	syscall
	lb	$a0, 1($s0)
	li	$v0, 1
	syscall
