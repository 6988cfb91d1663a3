# bad.s -- three bad transmit descriptors, each refused with its ERROR
# (docs/network.md): a buffer in the device window (not memory: 6), a
# misaligned buffer (3), a frame longer than 1514 bytes (5).  Prints
# "ERROR at ERRADDR, head HEAD" for each (ERRADDR as an offset in the
# ring; HEAD did not move), then fixes the descriptor, clears ERROR and
# prints the HEAD the card moved to, sending it.
	.data
	.align	2
frame:	.space	60
at:	.asciiz	" at "
head:	.asciiz	", head "
fixed:	.asciiz	"; fixed, head "
nl:	.asciiz	"\n"
	.text
main:	jal	nic_init
	li	$a0, 0xffff0000		# the console's registers, not memory
	li	$a1, 60
	jal	try
	la	$a0, frame
	addiu	$a0, $a0, 2		# not a multiple of 4
	li	$a1, 60
	jal	try
	la	$a0, frame
	li	$a1, 2000		# too long
	jal	try
	li	$v0, 10
	syscall

# try($a0 buffer, $a1 length): one descriptor, what the card said, ERROR cleared.
try:	move	$s5, $ra
	lw	$t0, 0x2c($s7)		# TX_TAIL
	sll	$t1, $t0, 3
	la	$t2, txring
	addu	$s4, $t1, $t2		# the descriptor
	sw	$a0, 0($s4)
	sw	$a1, 4($s4)
	addiu	$t0, $t0, 1
	andi	$t0, $t0, 1
	sw	$t0, 0x2c($s7)		# TX_TAIL: refused
	lw	$a0, 0x38($s7)		# ERROR
	li	$v0, 1
	syscall
	la	$a0, at
	li	$v0, 4
	syscall
	lw	$t0, 0x3c($s7)		# ERRADDR: the descriptor
	la	$t1, txring
	subu	$a0, $t0, $t1		# as an offset in the ring
	li	$v0, 1
	syscall
	la	$a0, head
	li	$v0, 4
	syscall
	lw	$a0, 0x28($s7)		# TX_HEAD: not moved
	li	$v0, 1
	syscall
	la	$t0, frame		# fix the descriptor: a good frame
	sw	$t0, 0($s4)
	li	$t0, 60
	sw	$t0, 4($s4)
	sw	$zero, 0x38($s7)	# clear ERROR: the card goes on from there
	la	$a0, fixed
	li	$v0, 4
	syscall
	lw	$a0, 0x28($s7)		# TX_HEAD: moved past it
	li	$v0, 1
	syscall
	la	$a0, nl
	li	$v0, 4
	syscall
	move	$ra, $s5
	jr	$ra

	.include "../../../samples/net/nic.s"
