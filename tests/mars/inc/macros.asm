# inc/macros.asm -- macros for include_macros.asm, written MARS's ways
.macro print_str (%label)
	la	$a0, %label
	li	$v0, 4
	syscall
.end_macro
.macro print_int %r
	move	$a0, %r
	li	$v0, 1
	syscall
.end_macro
.macro exit
	li	$v0, 10
	syscall
.end_macro
