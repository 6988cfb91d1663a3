# wait_fault.s: reads an int, then loads from an odd address (QMP's FAULT event)
	.text
main:	li	$v0, 5			# read_int
	syscall
	li	$t0, 0x10010001
	lw	$t1, 0($t0)
	jr	$ra
