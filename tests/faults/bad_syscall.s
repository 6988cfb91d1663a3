# bad_syscall.s -- an unknown system call number stops the program.
# fault-kind: [Bb]ad syscall|[Uu]nknown (system call|syscall)|syscall 99
# fault-stdout: 8
	.text
main:	li	$a0, 8
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
call:	li	$v0, 99
	syscall			# FAULT
	jr	$ra
