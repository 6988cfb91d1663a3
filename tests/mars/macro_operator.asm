# macro_operator.asm -- a macro parameter in the operator's place: MARS
# substitutes parameters anywhere in the line, the mnemonic included.
.macro	apply(%op, %x)
	%op	$a0, %x
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	move	$a0, $s0
.end_macro
	.text
	li	$s0, 6
	move	$a0, $s0
	apply(neg, $a0)
	apply(li, 4)
	apply(not, $s0)
