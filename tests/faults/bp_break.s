# bp_break.s -- a break instruction stops the program (Bp).
# fault-kind: Bp|[Bb]reakpoint|break
# fault-stdout: 2
	.text
main:	li	$a0, 2
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
stop:	nop
	break	3		# FAULT
	jr	$ra
