# spin.s -- pure computation: a counted loop, no exits until the end
# (docs/tour/04-many-vms.md).
	.text
main:	li	$t0, 3000000
loop:	addiu	$t1, $t1, 3
	xor	$t2, $t2, $t1
	addiu	$t0, $t0, -1
	bne	$t0, $zero, loop
	move	$a0, $t2
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
