# tr_teq.s -- a trap instruction whose condition holds (Tr).
# fault-kind: Tr|[Tt]rap
# fault-stdout: 4
	.text
main:	li	$t0, 4
	move	$a0, $t0
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
check:	li	$t1, 4
	teq	$t0, $t1		# FAULT
	jr	$ra
