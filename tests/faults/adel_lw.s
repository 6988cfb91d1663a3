# adel_lw.s -- a word load from an address that is not a multiple of 4.
# fault-kind: address error on load \(AdEL\): address 0x[0-9a-f]+ is not aligned to 4 bytes
# fault-stdout: 20
	.data
vals:	.word	10, 20
	.text
main:	lw	$a0, vals+4
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	la	$t0, vals
load_it:
	addiu	$t0, $t0, 2
	lw	$a0, 0($t0)		# FAULT
	li	$v0, 1
	syscall
	jr	$ra
