# seqping.s -- a ping-pong that survives losing frames (a sample, and the
# ping of tests/e2e/net_migrate.sh): COUNT exchanges with
# seqpong.s (MAC 02:00:00:00:00:02), each a 60-byte frame carrying a
# sequence number; the answer with that number ends the exchange.  An
# answer that does not come within 200,000 polls is asked for again
# (1000 times at most): frames lost while pong migrates are resent.  An
# answer to an earlier number (a resend answered twice) is late and
# ignored; frames that are not pong's (its announce after migrating) are
# ignored.  Prints "ping N" per exchange, then the resends and the late
# answers, and broadcasts a frame with number 0: pong ends.
	.data
	.align	3
rxring:	.space	64			# 8 descriptors
txring:	.space	16			# 2 descriptors
	.align	2
frame:	.byte	2, 0, 0, 0, 0, 2	# to pong
	.byte	2, 0, 0, 0, 0, 1	# from us
	.byte	0x88, 0xb5, 0, 0
	.word	0			# the sequence number
	.space	40
rxbufs:	.space	12128			# 8 buffers of 1516 bytes
sping:	.asciiz	"ping "
sdone:	.asciiz	"ping: done, "
sres:	.asciiz	" resends, "
slate:	.asciiz	" late answers\n"
lost:	.asciiz	"ping: no answer to 1000 tries\n"
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
	li	$s0, 1			# the sequence number
	li	$s1, 2000		# COUNT
	li	$s2, 0			# TX_TAIL
	li	$s4, 0			# resends
	li	$s6, 0			# the next descriptor to read
	li	$s8, 0			# late answers
	b	send
again:	addiu	$s4, $s4, 1
	addiu	$s3, $s3, -1
	beqz	$s3, fail
	b	resend
send:	li	$s3, 1000		# tries of this one
resend:	la	$t0, frame
	sw	$s0, 16($t0)
	addiu	$s2, $s2, 1
	andi	$s2, $s2, 1
	sw	$s2, 0x2c($s7)		# TX_TAIL: the ping goes
	li	$t9, 200000
poll:	lw	$t0, 0x18($s7)		# RX_HEAD
	bne	$t0, $s6, got
	addiu	$t9, $t9, -1
	bnez	$t9, poll
	b	again
got:	li	$t5, 0			# the answer came
one:	sll	$t1, $s6, 3
	addu	$t1, $t1, $s5
	lw	$t4, 0($t1)
	li	$t3, 1516
	sw	$t3, 4($t1)		# the buffer's size again, DONE clear
	addiu	$s6, $s6, 1
	andi	$s6, $s6, 7
	lbu	$t6, 11($t4)		# from pong?
	li	$t7, 2
	bne	$t6, $t7, next
	lhu	$t6, 12($t4)		# EtherType 0x88b5 (bytes b5 88 as a halfword)
	li	$t7, 0xb588
	bne	$t6, $t7, next
	lw	$t6, 16($t4)
	beq	$t6, $s0, ours
	addiu	$s8, $s8, 1		# an answer to an earlier number: late
	b	next
ours:	li	$t5, 1
	addiu	$s0, $s0, 1		# later answers to it are late
next:	bne	$s6, $t0, one
	addiu	$t1, $s6, 7
	andi	$t1, $t1, 7
	sw	$t1, 0x1c($s7)		# RX_TAIL
	beqz	$t5, poll		# not ours: wait on
	la	$a0, sping
	li	$v0, 4
	syscall
	addiu	$a0, $s0, -1
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	ble	$s0, $s1, send
	la	$a0, sdone
	li	$v0, 4
	syscall
	move	$a0, $s4
	li	$v0, 1
	syscall
	la	$a0, sres
	li	$v0, 4
	syscall
	move	$a0, $s8
	li	$v0, 1
	syscall
	la	$a0, slate
	li	$v0, 4
	syscall
	la	$t0, frame		# the end: number 0, broadcast
	li	$t1, -1
	sw	$t1, 0($t0)
	sh	$t1, 4($t0)
	sw	$zero, 16($t0)
	addiu	$s2, $s2, 1
	andi	$s2, $s2, 1
	sw	$s2, 0x2c($s7)		# TX_TAIL
	li	$v0, 10
	syscall
fail:	la	$a0, lost
	li	$v0, 4
	syscall
	li	$a0, 1
	li	$v0, 17			# exit2 1
	syscall
