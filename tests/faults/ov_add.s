# ov_add.s -- signed overflow in add traps (Ov); addu/addiu/subu would wrap.
# fault-kind: Ov|[Aa]rithmetic overflow|overflow
# fault-stdout: -2147483648
	.text
main:	li	$t0, 0x7fffffff
	li	$t1, 1
	li	$t3, 0x80000000
	addu	$a0, $t0, $t1		# wraps quietly
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
sum:	move	$t2, $zero
	add	$t2, $t0, $t1		# FAULT
	move	$a0, $t2
	li	$v0, 1
	syscall
	jr	$ra
