# ktext_handler.asm -- an exception handler of the program's own in .ktext
# at 0x80000180: it prints the exception code from Cause, steps EPC over
# the faulting instruction and returns with eret.  teq traps (code 13),
# break is a breakpoint (code 9), an unaligned lw an address error (4).
	.kdata
msg:	.asciiz	" code="
	.ktext	0x80000180
	mfc0	$k0, $13
	la	$a0, msg
	li	$v0, 4
	syscall
	srl	$a0, $k0, 2
	andi	$a0, $a0, 31
	li	$v0, 1
	syscall
	mfc0	$k0, $14
	addiu	$k0, $k0, 4
	mtc0	$k0, $14
	eret
	.text
	li	$a0, 1
	li	$v0, 1
	syscall
	teq	$zero, $zero
	li	$a0, 2
	li	$v0, 1
	syscall
	break
	li	$a0, 3
	li	$v0, 1
	syscall
	lw	$t0, 2($zero)
	li	$a0, 4
	li	$v0, 1
	syscall
