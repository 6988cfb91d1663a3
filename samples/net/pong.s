# pong.s -- answers 5 pings (ping.s): each answer carries the ping's
# sequence number back to the ping's own MAC; exits 0 after the fifth.
	.data
	.align	2
reply:	.space	6			# destination: the ping's source
	.space	6			# source: our MAC (put_mac)
	.byte	0x88, 0xb5		# EtherType 0x88b5
	.byte	0, 0
	.word	0			# the sequence number, as the ping had it
	.asciiz	"pong"
	.space	35			# 60 bytes
got:	.asciiz	"pong "
wrong:	.asciiz	"pong: a ping out of sequence\n"
done:	.asciiz	"pong: 5 answered\n"
nl:	.asciiz	"\n"
	.text
main:	jal	nic_init
	la	$a0, reply
	addiu	$a0, $a0, 6
	jal	put_mac
	li	$s0, 1			# the sequence number we expect
next:	jal	nic_recv
	beqz	$v0, fail
	move	$s2, $v0
	lw	$t0, 16($s2)
	bne	$t0, $s0, bad
	la	$a0, reply
	addiu	$a1, $s2, 6		# the ping's source address
	jal	copy6
	la	$t0, reply
	sw	$s0, 16($t0)
	jal	nic_done		# the ping is read: its buffer goes back to the card
	la	$a0, reply
	li	$a1, 60
	jal	nic_send
	la	$a0, got
	li	$v0, 4
	syscall
	move	$a0, $s0
	li	$v0, 1
	syscall
	la	$a0, nl
	li	$v0, 4
	syscall
	addiu	$s0, $s0, 1
	ble	$s0, 5, next
	la	$a0, done
	li	$v0, 4
	syscall
	li	$v0, 10
	syscall
bad:	la	$a0, wrong
	li	$v0, 4
	syscall
fail:	li	$a0, 1
	li	$v0, 17
	syscall

	.include "nic.s"
