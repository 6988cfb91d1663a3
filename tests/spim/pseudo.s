# pseudo.s -- every SPIM pseudo-instruction: li la move b bal beqz bnez,
# blt bgt ble bge and the unsigned forms with register and immediate
# operands, abs neg negu not, mul with an immediate, mulo mulou, three-
# operand div divu rem remu, rol ror, seq sne sge sgeu sgt sgtu sle sleu,
# ulw usw ulh ulhu ush, nop, ld sd.  Branches print T (taken) or n.
	.data
pairs:	.word	-1, 1, 1, 1, 2, 1, 1, -1
unal:	.byte	0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0xa9
	.align	2
dbl:	.word	1111, 2222
dst:	.space	16
	.text
p:	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	jr	$ra
t:	li	$a0, 84
	li	$v0, 11
	syscall
	jr	$ra
n:	li	$a0, 110
	li	$v0, 11
	syscall
	jr	$ra
nl:	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra

main:	move	$s7, $ra
	# branch pseudo-instructions on four (a, b) pairs, register and immediate
	li	$s0, 0
bloop:	sll	$t0, $s0, 3
	lw	$s1, pairs($t0)
	lw	$s2, pairs+4($t0)
	blt	$s1, $s2, T1
	jal	n
	j	E1
T1:	jal	t
E1:
	blt	$s1, 1, T2
	jal	n
	j	E2
T2:	jal	t
E2:
	bgt	$s1, $s2, T3
	jal	n
	j	E3
T3:	jal	t
E3:
	bgt	$s1, 1, T4
	jal	n
	j	E4
T4:	jal	t
E4:
	ble	$s1, $s2, T5
	jal	n
	j	E5
T5:	jal	t
E5:
	ble	$s1, 1, T6
	jal	n
	j	E6
T6:	jal	t
E6:
	bge	$s1, $s2, T7
	jal	n
	j	E7
T7:	jal	t
E7:
	bge	$s1, 1, T8
	jal	n
	j	E8
T8:	jal	t
E8:
	bltu	$s1, $s2, T9
	jal	n
	j	E9
T9:	jal	t
E9:
	bltu	$s1, 1, T10
	jal	n
	j	E10
T10:	jal	t
E10:
	bgtu	$s1, $s2, T11
	jal	n
	j	E11
T11:	jal	t
E11:
	bgtu	$s1, 1, T12
	jal	n
	j	E12
T12:	jal	t
E12:
	bleu	$s1, $s2, T13
	jal	n
	j	E13
T13:	jal	t
E13:
	bleu	$s1, 1, T14
	jal	n
	j	E14
T14:	jal	t
E14:
	bgeu	$s1, $s2, T15
	jal	n
	j	E15
T15:	jal	t
E15:
	bgeu	$s1, 1, T16
	jal	n
	j	E16
T16:	jal	t
E16:
	beq	$s1, $s2, T17
	jal	n
	j	E17
T17:	jal	t
E17:
	beq	$s1, 1, T18
	jal	n
	j	E18
T18:	jal	t
E18:
	bne	$s1, $s2, T19
	jal	n
	j	E19
T19:	jal	t
E19:
	bne	$s1, 1, T20
	jal	n
	j	E20
T20:	jal	t
E20:
	beqz	$s1, T100
	jal	n
	j	E100
T100:	jal	t
E100:	bnez	$s1, T101
	jal	n
	j	E101
T101:	jal	t
E101:	li	$a0, 32
	li	$v0, 11
	syscall
	addiu	$s0, $s0, 1
	bne	$s0, 4, bloop
	move	$s1, $zero
	beqz	$s1, T102
	jal	n
	j	E102
T102:	jal	t
E102:	b	E103
	jal	n			# skipped by b
E103:	bal	subr
	jal	nl

	# li with small, negative, 16-bit unsigned and 32-bit values
	li	$a0, 5
	jal	p
	li	$a0, -5
	jal	p
	li	$a0, 0xffff
	jal	p
	li	$a0, 0x12345678
	jal	p
	li	$a0, -2147483648
	jal	p
	la	$t0, dbl
	lw	$a0, 4($t0)
	jal	p
	li	$t1, 606
	move	$s3, $t1
	move	$a0, $s3
	jal	p
	jal	nl

	li	$s4, -77
	abs	$a0, $s4
	jal	p
	li	$t1, 606
	abs	$a0, $t1
	jal	p
	neg	$a0, $s4
	jal	p
	negu	$a0, $s4
	jal	p
	not	$a0, $s4
	jal	p
	mul	$a0, $s4, 1000
	jal	p
	mul	$a0, $s4, 100000	# immediate wider than 16 bits
	jal	p
	mul	$a0, $s4, $s4
	jal	p
	mulo	$a0, $s4, 1000
	jal	p
	mulou	$a0, $s4, 1		# -77 as unsigned times 1: fits
	jal	p
	jal	nl

	li	$s5, 100
	div	$a0, $s5, $s4
	jal	p
	div	$a0, $s4, 7
	jal	p
	divu	$a0, $s4, $s5
	jal	p
	divu	$a0, $s5, 7
	jal	p
	rem	$a0, $s5, $s4
	jal	p
	rem	$a0, $s4, 7
	jal	p
	remu	$a0, $s4, $s5
	jal	p
	remu	$a0, $s5, 7
	jal	p
	jal	nl

	li	$s6, 0x80000001
	rol	$a0, $s6, 1
	jal	p
	rol	$a0, $s6, 4
	jal	p
	ror	$a0, $s6, 1
	jal	p
	ror	$a0, $s6, 4
	jal	p
	li	$t0, 8
	rol	$a0, $s6, $t0
	jal	p
	ror	$a0, $s6, $t0
	jal	p
	jal	nl

	# set pseudo-instructions over (a, b) = (-77, 100), (100, 100), (100, -77)
	li	$t6, -77
	li	$t7, 100
	jal	sets
	li	$t6, 100
	jal	sets
	li	$t7, -77
	jal	sets
	seq	$a0, $t6, 100		# immediate forms
	jal	p
	sne	$a0, $t6, 100
	jal	p
	sgt	$a0, $t6, 99
	jal	p
	sle	$a0, $t6, 99
	jal	p
	jal	nl

	# unaligned loads and stores
	ulw	$a0, unal+1
	jal	p
	la	$t0, unal
	ulw	$a0, 3($t0)
	jal	p
	ulh	$a0, 7($t0)
	jal	p
	ulhu	$a0, 7($t0)
	jal	p
	ulh	$a0, unal+1
	jal	p
	la	$t1, dst
	li	$t2, 0x0badf00d
	usw	$t2, 1($t1)
	lw	$a0, 0($t1)
	jal	p
	lw	$a0, 4($t1)
	jal	p
	ush	$t2, 11($t1)
	lw	$a0, 8($t1)
	jal	p
	lw	$a0, 12($t1)
	jal	p
	jal	nl

	# ld/sd move a doubleword through a register pair; nop does nothing
	ld	$t2, dbl
	nop
	move	$a0, $t2
	jal	p
	move	$a0, $t3
	jal	p
	sd	$t2, dst+8
	lw	$a0, dst+8
	jal	p
	lw	$a0, dst+12
	jal	p
	jal	nl
	jr	$s7

subr:	move	$s5, $ra
	jal	t
	jr	$s5

# sets: print seq sne sge sgeu sgt sgtu sle sleu of $t6, $t7, then newline
sets:	move	$s5, $ra
	seq	$a0, $t6, $t7
	jal	p
	sne	$a0, $t6, $t7
	jal	p
	sge	$a0, $t6, $t7
	jal	p
	sgeu	$a0, $t6, $t7
	jal	p
	sgt	$a0, $t6, $t7
	jal	p
	sgtu	$a0, $t6, $t7
	jal	p
	sle	$a0, $t6, $t7
	jal	p
	sleu	$a0, $t6, $t7
	jal	p
	jal	nl
	jr	$s5
