# kernels/main.s -- the SPIM-syntax main every bench kernel runs under on
# myvmm and spim: call `kernel`, print its $v0 as a signed integer and a
# newline, exit.  run.sh puts it in front of the kernel (spim -file takes
# one file).
	.text
	.globl	main
main:
	addiu	$sp, $sp, -8
	sw	$ra, 4($sp)
	jal	kernel
	move	$a0, $v0
	li	$v0, 1			# print_int
	syscall
	li	$a0, 10
	li	$v0, 11			# print_char '\n'
	syscall
	lw	$ra, 4($sp)
	addiu	$sp, $sp, 8
	li	$v0, 10			# exit
	syscall
