# fall_off_end.asm -- no exit syscall: MARS ends the program normally when
# it runs past its last instruction, after a loop.
	.text
	li	$t0, 3
loop:	move	$a0, $t0
	li	$v0, 1
	syscall
	addi	$t0, $t0, -1
	bnez	$t0, loop
