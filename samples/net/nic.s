# nic.s -- a small polled driver for the network card (docs/network.md),
# included by ping.s, pong.s and chat.s.  The card's registers are at
# 0xffff0400 on the spim machine; every routine keeps them in $s7 and the
# next receive descriptor to read in $s6.
#
# A descriptor is two words: the buffer's address, then its length in
# bits 0-15 and DONE in bit 31.  A ring of SIZE descriptors belongs to the
# card from HEAD (the card's index) up to TAIL (ours), one always empty.
	.data
	.align	3
rxring:	.space	32			# 4 receive descriptors
txring:	.space	16			# 2 transmit descriptors
	.align	2
rxbufs:	.space	6064			# 4 buffers of 1516 bytes (a frame is at most 1514)
nic_err: .asciiz "nic error "
nic_late: .asciiz "no frame came: the other VM is gone\n"
	.text

# nic_init: the rings set up, receive and transmit on.
nic_init: li	$s7, 0xffff0400
	la	$t0, rxring
	sw	$t0, 0x10($s7)		# RX_BASE
	li	$t1, 4
	sw	$t1, 0x14($s7)		# RX_SIZE (HEAD = TAIL = 0)
	la	$t2, rxbufs
	li	$t3, 0
ni_desc: sw	$t2, 0($t0)		# the buffer
	li	$t4, 1516
	sw	$t4, 4($t0)		# its size, DONE clear
	addiu	$t0, $t0, 8
	addiu	$t2, $t2, 1516
	addiu	$t3, $t3, 1
	bne	$t3, $t1, ni_desc
	li	$t0, 3
	sw	$t0, 0x1c($s7)		# RX_TAIL: the card may fill descriptors 0-2
	la	$t0, txring
	sw	$t0, 0x20($s7)		# TX_BASE
	li	$t0, 2
	sw	$t0, 0x24($s7)		# TX_SIZE
	li	$s6, 0			# we read descriptor 0 first
	li	$t0, 3
	sw	$t0, 0x08($s7)		# CONTROL: RXEN | TXEN
	jr	$ra

# nic_send($a0 frame, $a1 length): the card sends it inside the store to
# TX_TAIL, so the descriptor is free again when the store is done.
nic_send: lw	$t0, 0x2c($s7)		# TX_TAIL: the next free descriptor
	sll	$t1, $t0, 3
	la	$t2, txring
	addu	$t1, $t1, $t2
	sw	$a0, 0($t1)
	sw	$a1, 4($t1)		# the frame's length, DONE clear
	addiu	$t0, $t0, 1
	andi	$t0, $t0, 1		# modulo TX_SIZE (2)
	sw	$t0, 0x2c($s7)		# TX_TAIL: send
	lw	$t0, 0x38($s7)		# ERROR
	bnez	$t0, nic_fail
	jr	$ra

# nic_recv: wait for a frame: $v0 its address, $v1 its length; $v0 = 0
# when none came after 20 million polls (the other VM ended).
nic_recv: li	$t9, 20000000
nr_wait: lw	$t0, 0x18($s7)		# RX_HEAD: reading it polls the card
	bne	$t0, $s6, nr_got	# the card filled descriptor $s6
	lw	$t0, 0x38($s7)		# ERROR: a bad descriptor stops the card
	bnez	$t0, nic_fail
	addiu	$t9, $t9, -1
	bnez	$t9, nr_wait
	la	$a0, nic_late
	li	$v0, 4
	syscall
	li	$v0, 0
	jr	$ra
nr_got:	sll	$t1, $s6, 3
	la	$t2, rxring
	addu	$t1, $t1, $t2
	lw	$v0, 0($t1)		# the buffer
	lw	$v1, 4($t1)
	andi	$v1, $v1, 0xffff	# the frame's length
	jr	$ra

# nic_done: the frame nic_recv returned is read: its descriptor is armed
# again and one more goes back to the card.
nic_done: sll	$t1, $s6, 3
	la	$t2, rxring
	addu	$t1, $t1, $t2
	li	$t0, 1516
	sw	$t0, 4($t1)		# its size again, DONE clear
	addiu	$s6, $s6, 1
	andi	$s6, $s6, 3		# modulo RX_SIZE (4)
	lw	$t0, 0x1c($s7)		# RX_TAIL
	addiu	$t0, $t0, 1
	andi	$t0, $t0, 3
	sw	$t0, 0x1c($s7)
	jr	$ra

# put_mac($a0): our MAC address, 6 bytes there (MAC_LO holds bytes 0-3).
put_mac: lw	$t0, 0x00($s7)		# MAC_LO
	sb	$t0, 0($a0)
	srl	$t0, $t0, 8
	sb	$t0, 1($a0)
	srl	$t0, $t0, 8
	sb	$t0, 2($a0)
	srl	$t0, $t0, 8
	sb	$t0, 3($a0)
	lw	$t0, 0x04($s7)		# MAC_HI: bytes 4-5
	sb	$t0, 4($a0)
	srl	$t0, $t0, 8
	sb	$t0, 5($a0)
	jr	$ra

# copy6($a0 to, $a1 from): a MAC address.
copy6:	li	$t0, 6
c6_byte: lbu	$t1, 0($a1)
	sb	$t1, 0($a0)
	addiu	$a0, $a0, 1
	addiu	$a1, $a1, 1
	addiu	$t0, $t0, -1
	bnez	$t0, c6_byte
	jr	$ra

nic_fail: move	$t0, $t0
	la	$a0, nic_err
	li	$v0, 4
	syscall
	lw	$a0, 0x38($s7)		# ERROR (docs/network.md says what each means)
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$a0, 1
	li	$v0, 17			# exit2 1
	syscall
