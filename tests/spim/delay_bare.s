# delay_bare.s -- SPIM's -bare (delay_bare.flags), which implies
# -delayed_branches and -delayed_loads: machine instructions only, a loop
# whose branch has a useful delay slot, a call whose slot passes the
# argument, and a load whose value arrives one instruction late.
	.text
main:	addu	$s7, $0, $ra
	addiu	$t0, $0, 0		# sum
	addiu	$t1, $0, 5		# counter
loop:	addiu	$t1, $t1, -1
	bne	$t1, $0, loop
	addu	$t0, $t0, $t1		# slot: runs every time, 4+3+2+1+0
	jal	show
	addu	$a0, $0, $t0		# slot: the argument, 10
	addiu	$sp, $sp, -4
	addiu	$t2, $0, 42
	sw	$t2, 0($sp)
	addiu	$t3, $0, 1
	lw	$t3, 0($sp)
	addu	$a0, $0, $t3		# 1: the load is not there yet
	jal	show
	sll	$0, $0, 0
	jal	show
	addu	$a0, $0, $t3		# 42
	addiu	$sp, $sp, 4
	jr	$s7
	sll	$0, $0, 0

show:	addiu	$v0, $0, 1
	syscall
	addiu	$v0, $0, 11
	addiu	$a0, $0, 32
	syscall
	jr	$ra
	sll	$0, $0, 0
