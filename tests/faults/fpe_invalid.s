# fault-kind: floating-point exception \(FPE\): invalid operation \(enabled in FCSR\)
# fault-stdout: before
# fault-spim: no
# SPIM refuses the ctc1 itself (it has no enables); MIPS traps at the
# 0/0 once Invalid is enabled.
	.data
msg:	.asciiz	"before\n"
	.text
main:	la	$a0, msg
	li	$v0, 4
	syscall
	li	$t0, 0x800		# enable Invalid
	ctc1	$t0, $31
	li.d	$f2, 0.0
zero:	div.d	$f4, $f2, $f2		# FAULT
	li	$v0, 10
	syscall
