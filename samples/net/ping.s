# ping.s -- sends 5 pings with sequence numbers 1..5 and waits for each
# pong (pong.s) before the next; exits 0 when all came back in order.
# The first ping goes to the broadcast address (we do not know pong's
# MAC yet); pong's answer teaches us its address, and the switch has
# learnt both: the next pings are unicast.
# Run: build/myvmm -j 2 -v samples/net/ping.cfg -v samples/net/pong.cfg
	.data
	.align	2
frame:	.byte	0xff, 0xff, 0xff, 0xff, 0xff, 0xff	# destination: broadcast
	.space	6			# source: our MAC (put_mac)
	.byte	0x88, 0xb5		# EtherType 0x88b5 (for local experiments)
	.byte	0, 0			# padding: the sequence number is the word at 16
	.word	0			# the sequence number
	.asciiz	"ping"
	.space	35			# 60 bytes, Ethernet's shortest frame
sent:	.asciiz	"ping "
back:	.asciiz	": pong "
came:	.asciiz	" came back\n"
wrong:	.asciiz	"ping: the answer is out of sequence\n"
done:	.asciiz	"ping: 5 exchanges\n"
	.text
main:	jal	nic_init
	la	$a0, frame
	addiu	$a0, $a0, 6
	jal	put_mac
	li	$s0, 1			# the sequence number
next:	la	$a0, frame
	sw	$s0, 16($a0)
	li	$a1, 60
	jal	nic_send
	jal	nic_recv
	beqz	$v0, fail
	lw	$s1, 16($v0)		# the pong's sequence number
	bne	$s1, $s0, bad
	la	$a0, frame		# pong's MAC (the answer's source) is our destination now
	addiu	$a1, $v0, 6
	jal	copy6
	jal	nic_done
	la	$a0, sent
	li	$v0, 4
	syscall
	move	$a0, $s0
	li	$v0, 1
	syscall
	la	$a0, back
	li	$v0, 4
	syscall
	move	$a0, $s1
	li	$v0, 1
	syscall
	la	$a0, came
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
	li	$v0, 17			# exit2 1
	syscall

	.include "nic.s"
