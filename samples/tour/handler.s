# handler.s -- the same bad load, but the program brings its own exception
# handler at 0x80000180, as an operating system does: the CPU jumps there
# (kernel mode, EPC = the faulting instruction), the handler counts the
# fault, skips the instruction and returns with eret.  The monitor never
# sees the fault (docs/tour/02-traps-and-faults.md).
	.kdata
faults:	.word	0
	.ktext	0x80000180
	lw	$k0, faults		# count it
	addiu	$k0, $k0, 1
	sw	$k0, faults
	mfc0	$k0, $14		# EPC: the instruction that faulted
	addiu	$k0, $k0, 4		# skip it
	mtc0	$k0, $14
	eret
	.data
	.align	2
words:	.word	10, 20, 30
	.text
main:	la	$t0, words
	lw	$a0, 2($t0)		# AdEL: handled by the guest
	lw	$a0, faults		# how many faults the handler saw
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
