# recv6.s -- takes a snapshot while its card holds six frames (three in
# the receive ring, three in the card's FIFO), then prints their sequence
# numbers.  A restore of recv6.snap must print the same six.
	.data
said:	.asciiz	"got "
nl:	.asciiz	"\n"
	.text
main:	jal	nic_init
wait:	lw	$t0, 0x18($s7)		# RX_HEAD: 3 when the ring is full
	bne	$t0, 3, wait
	SNAPSHOT recv6.snap
	li	$s0, 0
next:	jal	nic_recv
	beqz	$v0, fail
	lw	$s1, 16($v0)
	jal	nic_done
	la	$a0, said
	li	$v0, 4
	syscall
	move	$a0, $s1
	li	$v0, 1
	syscall
	la	$a0, nl
	li	$v0, 4
	syscall
	addiu	$s0, $s0, 1
	blt	$s0, 6, next
	li	$v0, 10
	syscall
fail:	li	$a0, 1
	li	$v0, 17
	syscall

	.include "../../../samples/net/nic.s"
