# print.asm -- included by include.asm: a macro and a constant.
.eqv	NEWLINE	10
.macro	println_int(%r)
	move	$a0, %r
	li	$v0, 1
	syscall
	li	$a0, NEWLINE
	li	$v0, 11
	syscall
.end_macro
