# delay_loads.s -- SPIM's -delayed_loads (delay_loads.flags): a load's
# register changes only after the next instruction ran.  The instruction
# right after a load sees the old value; a write to the same register in
# that slot is overwritten by the load; two loads in a row land in order;
# a syscall right after a load sees the old argument.
	.data
vals:	.word	101, 202, 303
sp_:	.asciiz	" "
nl_:	.asciiz	"\n"
	.text
main:	addu	$s7, $0, $ra
	la	$s0, vals
	li	$t0, 1
	lw	$t0, 0($s0)
	move	$a0, $t0		# 1: the old value
	jal	show
	nop
	move	$a0, $t0		# 101
	jal	show
	nop
	lw	$t1, 4($s0)
	li	$t1, 5			# then the load lands: 202
	nop
	move	$a0, $t1
	jal	show
	nop
	lw	$t2, 0($s0)
	lw	$t2, 8($s0)
	move	$a0, $t2		# 101 (the first load)
	move	$a1, $t2		# 303
	jal	show
	nop
	move	$a0, $a1
	jal	show
	nop
	li	$a0, 7
	li	$v0, 1
	lw	$a0, 4($s0)
	syscall				# prints 7: the load is not there yet
	li	$v0, 4
	la	$a0, nl_
	syscall
	jr	$s7
	nop

show:	li	$v0, 1
	syscall
	li	$v0, 4
	la	$a0, sp_
	syscall
	jr	$ra
	nop
