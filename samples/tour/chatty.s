# chatty.s -- an adversarial neighbour: a syscall every 4 instructions, so
# nearly every instruction costs an exit to the monitor
# (docs/tour/04-many-vms.md).
	.text
main:	li	$t0, 300000
loop:	li	$a0, 0
	li	$v0, 36			# print unsigned 0, without a newline
	syscall
	addiu	$t0, $t0, -1
	bne	$t0, $zero, loop
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
