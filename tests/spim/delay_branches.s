# delay_branches.s -- SPIM's -delayed_branches (delay_branches.flags): the
# word after a branch or jump runs before the branch takes effect.  A taken
# and an untaken branch with a store in the slot, j, jal's link (pc + 8),
# jr whose slot changes the register it jumped through, the likely forms
# (not taken: the slot is skipped), and a jump in a taken branch's slot
# (SPIM: its own slot runs, then the first branch's target wins).
	.data
cell:	.word	0, 0
sp_:	.asciiz	" "
nl_:	.asciiz	"\n"
	.text
main:	addu	$s7, $0, $ra		# main's return address
	la	$s0, cell
	li	$t0, 0
	beq	$0, $0, taken		# taken: the store in its slot runs
	sw	$s0, 0($s0)
	li	$t0, 99			# skipped
taken:	bne	$0, $0, main		# not taken: the slot runs as the next word
	sw	$s0, 4($s0)
	lw	$a0, 0($s0)
	subu	$a0, $a0, $s0		# 0: cell[0] = &cell
	jal	show
	nop
	lw	$a0, 4($s0)
	subu	$a0, $a0, $s0		# 0
	jal	show
	nop
	move	$a0, $t0		# 0: the word after the slot was skipped
	jal	show
	nop
	jal	here			# link = pc + 8
	li	$t1, 5			# slot: runs before here
after:	la	$t2, after
	subu	$a0, $ra, $t2		# 0: $ra is the word after the slot
	jal	show
	nop
	move	$a0, $t1		# 5
	jal	show
	nop
	la	$t3, target
	jr	$t3			# the target was taken before the slot ran
	addiu	$t3, $t3, 8
	li	$a0, 98			# skipped
target:	la	$t4, target
	subu	$a0, $t3, $t4		# 8
	jal	show
	nop
	li	$t5, 0
	bnel	$0, $0, main		# not taken: its slot is skipped
	li	$t5, 1
	beql	$0, $0, lk		# taken: its slot runs
	addiu	$t5, $t5, 10
	li	$t5, 97
lk:	move	$a0, $t5		# 10
	jal	show
	nop
	li	$t6, 0
	beq	$0, $0, outer		# a jump in its slot: its own slot runs,
	j	inner			# then the first target wins
	addiu	$t6, $t6, 1
inner:	li	$t6, 96
outer:	move	$a0, $t6		# 1
	jal	show
	nop
	li	$v0, 4
	la	$a0, nl_
	syscall
	jr	$s7
	nop

show:	li	$v0, 1			# print $a0 and a blank
	syscall
	li	$v0, 4
	la	$a0, sp_
	syscall
	jr	$ra
	nop

here:	jr	$ra
	nop
