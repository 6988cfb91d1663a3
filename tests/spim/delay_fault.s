# delay_fault.s -- a fault in a delay slot (delay_fault.flags:
# -delayed_branches), delivered to the program's handler at 0x80000180:
# in a taken branch's slot EPC is the branch's address and Cause.BD (bit
# 31) is set; in an untaken branch's slot the slot runs as the next
# instruction (SPIM), so EPC is its own address and BD is clear.  The
# handler prints EPC (as an offset from the label `first`), BD and the
# ExcCode; it returns past an untaken fault and ends the program after a
# taken one.
	.kdata
k_sp:	.asciiz	" "
k_nl:	.asciiz	"\n"
	.ktext	0x80000180
	mfc0	$k0, $14		# EPC
	la	$k1, first
	subu	$a0, $k0, $k1
	li	$v0, 1
	syscall
	li	$v0, 4
	la	$a0, k_sp
	syscall
	mfc0	$k1, $13		# Cause
	srl	$a0, $k1, 31		# BD
	li	$v0, 1
	syscall
	li	$v0, 4
	la	$a0, k_sp
	syscall
	srl	$a0, $k1, 2
	andi	$a0, $a0, 0x1f		# ExcCode
	li	$v0, 1
	syscall
	li	$v0, 4
	la	$a0, k_nl
	syscall
	bltz	$k1, stop		# BD: the branch would fault again
	nop
	addiu	$k0, $k0, 4		# past the faulting word
	mtc0	$k0, $14
	eret
	nop				# SPIM runs a slot after eret
stop:	li	$v0, 10
	syscall

	.text
main:	li	$t0, 1
first:	bne	$0, $0, main		# not taken: the slot faults as itself
	lw	$t1, 1($0)		# AdEL
	beq	$0, $0, main		# taken: the fault is in its slot
	lw	$t2, 3($0)		# AdEL
	li	$v0, 10
	syscall
