# branches.s -- every branch and jump: beq bne blez bgtz bltz bgez bltzal
# bgezal j jal jr jalr (both forms).  For each branch, each of the values
# -1, 0, 1 is tested and "T" (taken) or "n" printed, so a wrong condition
# shows as a wrong letter in a known position.
	.data
vals:	.word	-1, 0, 1
	.text
taken:	li	$a0, 'T'
	li	$v0, 11
	syscall
	jr	$ra
nott:	li	$a0, 'n'
	li	$v0, 11
	syscall
	jr	$ra
space:	li	$a0, ' '
	li	$v0, 11
	syscall
	jr	$ra

main:	move	$s7, $ra
	li	$s0, 0			# index into vals
	li	$s6, 1			# the compare value for beq/bne
loop:	sll	$t0, $s0, 2
	lw	$s1, vals($t0)

	beq	$s1, $s6, b1
	jal	nott
	j	e1
b1:	jal	taken
e1:	bne	$s1, $s6, b2
	jal	nott
	j	e2
b2:	jal	taken
e2:	blez	$s1, b3
	jal	nott
	j	e3
b3:	jal	taken
e3:	bgtz	$s1, b4
	jal	nott
	j	e4
b4:	jal	taken
e4:	bltz	$s1, b5
	jal	nott
	j	e5
b5:	jal	taken
e5:	bgez	$s1, b6
	jal	nott
	j	e6
b6:	jal	taken
e6:	# bltzal/bgezal link $ra whether or not they branch
	li	$ra, 0
	bltzal	$s1, b7
	move	$t5, $ra
	jal	nott
	j	e7
b7:	move	$t5, $ra
	jal	taken
e7:	sltu	$a0, $zero, $t5		# 1 when $ra was written
	li	$v0, 1
	syscall
	li	$ra, 0
	bgezal	$s1, b8
	move	$t5, $ra
	jal	nott
	j	e8
b8:	move	$t5, $ra
	jal	taken
e8:	sltu	$a0, $zero, $t5
	li	$v0, 1
	syscall
	jal	space
	addiu	$s0, $s0, 1
	slti	$t0, $s0, 3
	bne	$t0, $zero, loop

	# jal/jr: the return address points just past the jal
	jal	sub1
	move	$a0, $v0
	li	$v0, 1
	syscall
	jal	space
	# jalr with the default link register and with an explicit one
	la	$t0, sub1
	jalr	$t0
	move	$a0, $v0
	li	$v0, 1
	syscall
	jal	space
	la	$t0, sub2
	jalr	$s5, $t0
	move	$a0, $v0
	li	$v0, 1
	syscall
	# backward branch and a counted loop with j
	li	$t0, 0
	li	$t1, 0
cnt:	addiu	$t1, $t1, 3
	addiu	$t0, $t0, 1
	bne	$t0, 10, cnt
	jal	space
	move	$a0, $t1
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$s7

sub1:	li	$v0, 41
	jr	$ra
sub2:	li	$v0, 42
	jr	$s5
