# memory.s -- every load and store: lb/lbu/lh/lhu/lw/sb/sh/sw, the
# unaligned pairs lwl/lwr/swl/swr, and every addressing form:
# label, label+imm, label($r), imm($r), ($r).
	.data
bytes:	.byte	0x81, 0x7f, 0xff, 0x01, 0x80, 0x00, 0x34, 0x12
halves:	.half	0x8001, 0x7ffe, -2, 300
words:	.word	0x11223344, 0x55667788, -1, 0x7fffffff
buf:	.space	16
	.text
p:	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	jr	$ra
newline: li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra

main:	move	$s7, $ra
	la	$s0, bytes
	# byte loads, signed and unsigned, every addressing form
	lb	$a0, bytes		# label
	jal	p
	lbu	$a0, bytes		# label
	jal	p
	lb	$a0, bytes+2		# label+imm
	jal	p
	lbu	$a0, bytes+2
	jal	p
	li	$t0, 4
	lb	$a0, bytes($t0)		# label($r)
	jal	p
	lbu	$a0, 4($s0)		# imm($r)
	jal	p
	lb	$a0, ($s0)		# ($r)
	jal	p
	jal	newline
	# halves
	la	$s1, halves
	lh	$a0, 0($s1)
	jal	p
	lhu	$a0, 0($s1)
	jal	p
	lh	$a0, halves+4
	jal	p
	lhu	$a0, halves+4
	jal	p
	lh	$a0, 6($s1)
	jal	p
	lhu	$a0, bytes+6		# 0x1234
	jal	p
	jal	newline
	# words
	lw	$a0, words
	jal	p
	li	$t0, 8
	lw	$a0, words($t0)
	jal	p
	lw	$a0, words+12
	jal	p
	la	$s2, words
	lw	$a0, 4($s2)
	jal	p
	jal	newline
	# stores: build a word byte by byte, then by halves
	la	$s3, buf
	li	$t0, 0xdd
	sb	$t0, 0($s3)
	li	$t0, 0x1cc		# only the low byte is stored
	sb	$t0, 1($s3)
	li	$t0, 0xbb
	sb	$t0, buf+2
	li	$t0, 0xaa
	li	$t1, 3
	sb	$t0, buf($t1)
	lw	$a0, ($s3)
	jal	p
	li	$t0, 0x12345678
	sh	$t0, 4($s3)		# low half only
	li	$t0, -1
	sh	$t0, buf+6
	lw	$a0, 4($s3)
	jal	p
	sw	$t0, 8($s3)
	sw	$zero, buf+12
	lw	$a0, buf+8
	jal	p
	lw	$a0, buf+12
	jal	p
	jal	newline
	# unaligned word access with lwl/lwr (little-endian: lwr at addr, lwl at addr+3)
	li	$s4, 1
ul:	li	$t0, 0
	addu	$t1, $s2, $s4
	lwr	$t0, 0($t1)
	lwl	$t0, 3($t1)
	move	$a0, $t0
	jal	p
	addiu	$s4, $s4, 1
	blt	$s4, 4, ul
	# partial merges: lwl alone keeps the low bytes of the register
	li	$t0, 0x0a0b0c0d
	lwl	$t0, 1($s2)		# top two bytes from 0x3344
	move	$a0, $t0
	jal	p
	li	$t0, 0x0a0b0c0d
	lwr	$t0, 2($s2)		# low two bytes from 0x1122
	move	$a0, $t0
	jal	p
	jal	newline
	# unaligned stores with swl/swr
	sw	$zero, 0($s3)
	sw	$zero, 4($s3)
	li	$t0, 0x44332211
	swr	$t0, 1($s3)
	swl	$t0, 4($s3)
	lw	$a0, 0($s3)
	jal	p
	lw	$a0, 4($s3)
	jal	p
	li	$t0, 0x99887766
	swl	$t0, 2($s3)		# stores the top 3 bytes at 0..2
	lw	$a0, 0($s3)
	jal	p
	swr	$t0, 7($s3)		# stores the low byte at 7
	lw	$a0, 4($s3)
	jal	p
	jal	newline
	jr	$s7
