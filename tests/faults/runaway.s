# runaway.s -- an endless loop stopped by --max-instructions.
# fault-kind: [Ii]nstruction limit|max-instructions|instructions? (limit|cap)
# fault-stdout: 6
# fault-opts: --max-instructions 100000
# fault-where: any
# fault-spim: no
	.text
main:	li	$a0, 6
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
spin:	addiu	$t0, $t0, 1
	b	spin
