# macro_overload.asm -- MARS tells macros of the same name apart by their
# number of parameters.
.macro	out(%a)
	li	$a0, %a
	li	$v0, 1
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
.end_macro
.macro	out(%a, %b)
	li	$a0, %a
	li	$v0, 1
	syscall
	li	$a0, ','
	li	$v0, 11
	syscall
	out(%b)
.end_macro
	.text
	out(5)
	out(6, 7)
	out(-1)
