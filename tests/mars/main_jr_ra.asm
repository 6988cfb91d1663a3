# main_jr_ra.asm -- a SPIM-style main that returns with jr $ra instead of
# exiting.  Under MARS nothing called main: $ra is 0 at start.
	.globl	main
	.text
main:	li	$a0, 'm'
	li	$v0, 11
	syscall
	jr	$ra
