# unmapped_load.s -- a load through a null pointer: nothing is mapped there.
# fault-kind: address error on load \(AdEL\): address 0x00000000 is not mapped
# fault-stdout: 3
	.data
node:	.word	3, 0			# value, next = NULL
	.text
main:	la	$t0, node
	lw	$a0, 0($t0)
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
follow:	lw	$t0, 4($t0)		# next: NULL
	lw	$a0, 0($t0)		# FAULT
	jr	$ra
