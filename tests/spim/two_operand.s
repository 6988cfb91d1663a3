# two_operand.s: SPIM's shorthand "op rd, imm" for "op rd, rd, imm", with
# and without commas, for every instruction SPIM's grammar allows it
# (CPU/parser.y: add addu sub subu and or xor slt sltu nor; addi addiu slti
# sltiu andi ori xori; sllv srlv srav).
	.text
main:
	li $s0, 1000
	add $s0 1		# 1001
	jal show
	addu $s0, 99		# 1100
	jal show
	sub $s0 4		# 1096
	jal show
	subu $s0, 96		# 1000
	jal show
	add $s0 100000		# 101000 (through $at)
	jal show
	sub $s0, 100000		# 1000
	jal show
	and $s0 0xff		# 232
	jal show
	or $s0, 0x100		# 488
	jal show
	xor $s0 3		# 491
	jal show
	sllv $s0 2		# 1964
	jal show
	srlv $s0, 1		# 982
	jal show
	addi $s0 -2000		# -1018
	jal show
	srav $s0 1		# -509
	jal show
	addiu $s0, 9		# -500
	jal show
	andi $s0 0xfff		# 3596
	jal show
	ori $s0, 1		# 3597
	jal show
	xori $s0 0xf		# 3586
	jal show
	nor $s0 0		# -3587
	jal show
	nor $s0, 0xff00		# 2 (~(-3587 | 0xff00))
	jal show
	and $s0 -1		# 2
	jal show
	slti $s0 4000		# 1
	jal show
	sltiu $s0, 0		# 0
	jal show
	slt $s0 1		# 1
	jal show
	sltu $s0, 1		# 0
	jal show
	li $v0, 10
	syscall

show:	move $a0, $s0
	li $v0, 1
	syscall
	li $a0, 10
	li $v0, 11
	syscall
	jr $ra
