# send6.s -- broadcasts six frames with sequence numbers 1..6 and exits
# (tests/e2e/net.sh: the frames a receiver holds across a snapshot).
	.data
	.align	2
frame:	.byte	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	.space	6
	.byte	0x88, 0xb5, 0, 0
	.word	0			# the sequence number
	.space	40			# 60 bytes
	.text
main:	jal	nic_init
	la	$a0, frame
	addiu	$a0, $a0, 6
	jal	put_mac
	li	$s0, 1
next:	la	$a0, frame
	sw	$s0, 16($a0)
	li	$a1, 60
	jal	nic_send
	addiu	$s0, $s0, 1
	ble	$s0, 6, next
	li	$v0, 10
	syscall

	.include "../../../samples/net/nic.s"
