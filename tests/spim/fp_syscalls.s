# fp_syscalls.s: read_float (6) into $f0, read_double (7) into $f0:$f1,
# print_float (2) and print_double (3) of $f12, on the lines of
# fp_syscalls.in (plain, signed, exponent, integer, junk after the number).
	.data
nl:	.asciiz "\n"
	.text
main:
	li $s0, 4
floats:	li $v0, 6
	syscall
	mov.s $f12, $f0
	li $v0, 2
	syscall
	la $a0, nl
	li $v0, 4
	syscall
	addiu $s0, $s0, -1
	bnez $s0, floats
	li $s0, 4
doubles:
	li $v0, 7
	syscall
	mov.d $f12, $f0
	li $v0, 3
	syscall
	la $a0, nl
	li $v0, 4
	syscall
	addiu $s0, $s0, -1
	bnez $s0, doubles
	li $v0, 10
	syscall
