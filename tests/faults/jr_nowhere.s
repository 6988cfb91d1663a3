# jr_nowhere.s -- a jump through a register that holds no code address
# is a fetch fault (AdEL), named at the jump, where its source line is.
# fault-kind: instruction fetch \(AdEL\): no code at 0x00500000
# fault-stdout: 1
# fault-spim: no (SPIM reports the fault at the target, 0x00500000)
	.text
main:	li	$a0, 1
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$t0, 0x00500000
go:	jr	$t0		# FAULT
