# seqpong.s -- the pong of seqping.s (a sample, and tests/e2e/net_migrate.sh):
# answers every frame
# from seqping.s (MAC 02:00:00:00:00:01, EtherType 0x88b5) with one that
# carries the same number (a resend is answered again), after 100,000
# instructions of work (so its instruction count, which --migrate-after
# counts, grows with the exchanges however fast the host is), prints
# "pong N" the first time it answers N, and ends on number 0 (ping's
# last frame) or when nothing came for 400 million polls.
	.data
	.align	3
rxring:	.space	64
txring:	.space	16
	.align	2
frame:	.byte	2, 0, 0, 0, 0, 1	# to ping
	.byte	2, 0, 0, 0, 0, 2	# from us
	.byte	0x88, 0xb5, 0, 0
	.word	0
	.space	40
rxbufs:	.space	12128
spong:	.asciiz	"pong "
sbye:	.asciiz	"pong: bye\n"
sidle:	.asciiz	"pong: nothing came for 400 million polls\n"
	.text
main:	li	$s7, 0xffff0400
	la	$t0, rxring
	la	$t1, rxbufs
	li	$t3, 8
rx_desc: sw	$t1, 0($t0)
	li	$t2, 1516
	sw	$t2, 4($t0)
	addiu	$t0, $t0, 8
	addiu	$t1, $t1, 1516
	addiu	$t3, $t3, -1
	bnez	$t3, rx_desc
	la	$t0, rxring
	sw	$t0, 0x10($s7)		# RX_BASE
	li	$t0, 8
	sw	$t0, 0x14($s7)		# RX_SIZE
	li	$t0, 7
	sw	$t0, 0x1c($s7)		# RX_TAIL
	la	$t0, txring
	la	$t1, frame
	li	$t2, 60
	sw	$t1, 0($t0)
	sw	$t2, 4($t0)
	sw	$t1, 8($t0)
	sw	$t2, 12($t0)
	sw	$t0, 0x20($s7)		# TX_BASE
	li	$t0, 2
	sw	$t0, 0x24($s7)		# TX_SIZE
	li	$t0, 3
	sw	$t0, 0x08($s7)		# CONTROL: RXEN | TXEN
	la	$s5, rxring
	li	$s1, 0			# the highest number answered
	li	$s2, 0			# TX_TAIL
	li	$s6, 0
wait:	li	$t9, 400000000
poll:	lw	$t0, 0x18($s7)		# RX_HEAD
	bne	$t0, $s6, got
	addiu	$t9, $t9, -1
	bnez	$t9, poll
	la	$a0, sidle
	li	$v0, 4
	syscall
	li	$a0, 1
	li	$v0, 17
	syscall
got:	la	$t8, frame
one:	sll	$t1, $s6, 3
	addu	$t1, $t1, $s5
	lw	$t4, 0($t1)
	li	$t3, 1516
	sw	$t3, 4($t1)		# the buffer's size again, DONE clear
	addiu	$s6, $s6, 1
	andi	$s6, $s6, 7
	lbu	$t6, 11($t4)		# from ping?
	li	$t7, 1
	bne	$t6, $t7, next
	lhu	$t6, 12($t4)
	li	$t7, 0xb588
	bne	$t6, $t7, next
	lw	$t6, 16($t4)
	beqz	$t6, bye
	li	$t2, 50000		# the work: 100,000 instructions
work:	addiu	$t2, $t2, -1
	bnez	$t2, work
	sw	$t6, 16($t8)		# the same number back
	addiu	$s2, $s2, 1
	andi	$s2, $s2, 1
	sw	$s2, 0x2c($s7)		# TX_TAIL: the answer goes
	ble	$t6, $s1, next		# answered before: no line
	move	$s1, $t6
	la	$a0, spong
	li	$v0, 4
	syscall
	move	$a0, $t6
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
next:	bne	$s6, $t0, one
	addiu	$t1, $s6, 7
	andi	$t1, $t1, 7
	sw	$t1, 0x1c($s7)		# RX_TAIL
	b	wait
bye:	la	$a0, sbye
	li	$v0, 4
	syscall
	li	$v0, 10
	syscall
