# overflow_stops.s -- an overflow trap with no handler of the program's own.
# SPIM runs its default handler, prints "Exception 12 [Arithmetic
# overflow] occurred and ignored" on stdout and goes on; myvmm stops the VM
# with a message on stderr naming the fault and a non-zero status, so the
# output ends at the fault (overflow_stops.expected).
	.text
main:	li	$a0, 1
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$t0, 0x7fffffff
	addi	$t1, $t0, 1		# Ov
	li	$a0, 2			# SPIM gets here, myvmm does not
	li	$v0, 1
	syscall
	jr	$ra
