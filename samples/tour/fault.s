# fault.s -- a load from an address that is not a multiple of 4: the CPU
# raises an address error (AdEL).  With no handler of its own, the guest
# stops and the monitor names the line (docs/tour/02-traps-and-faults.md).
	.data
	.align	2
words:	.word	10, 20, 30
	.text
main:	la	$t0, words
	lw	$a0, 4($t0)		# fine: 20
	li	$v0, 1
	syscall
	lw	$a0, 2($t0)		# not aligned to 4: AdEL
	li	$v0, 1
	syscall
	jr	$ra
