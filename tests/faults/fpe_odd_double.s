# fault-kind: floating-point exception \(FPE\): unimplemented operation \(a double in an odd register
# fault-stdout: 7
# fault-spim: no
# add.d with $f3 as its destination, as a word (babyasm refuses an odd
# double register): FR=0 has no double there.  SPIM stops with "Odd FP
# double register number".
	.text
main:	li	$a0, 7
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
odd:	.word	0x462210c0		# FAULT add.d $f3, $f2, $f2
	li	$v0, 10
	syscall
