# branch_pseudo.asm -- the branch pseudo-instructions, with a register or
# an immediate as second operand, signed and unsigned: each prints 1 when
# taken, 0 when not; then the compare-with-zero branches and b.
.macro	pr
	li	$v0, 1
	syscall
.end_macro
	.text
	li	$t0, -3
	li	$t1, 4
	li	$a0, 1
	blt	$t0, $t1, tk0
	li	$a0, 0
tk0:	pr
	li	$a0, 1
	bgt	$t0, $t1, tk1
	li	$a0, 0
tk1:	pr
	li	$a0, 1
	ble	$t1, 4, tk2
	li	$a0, 0
tk2:	pr
	li	$a0, 1
	bge	$t1, 5, tk3
	li	$a0, 0
tk3:	pr
	li	$a0, 1
	bltu	$t0, $t1, tk4		# -3 is a large unsigned number
	li	$a0, 0
tk4:	pr
	li	$a0, 1
	bgtu	$t0, $t1, tk5
	li	$a0, 0
tk5:	pr
	li	$a0, 1
	bleu	$t1, $t1, tk6
	li	$a0, 0
tk6:	pr
	li	$a0, 1
	bgeu	$t1, 100, tk7
	li	$a0, 0
tk7:	pr
	li	$a0, 1
	beq	$t1, 4, tk8
	li	$a0, 0
tk8:	pr
	li	$a0, 1
	bne	$t0, -3, tk9
	li	$a0, 0
tk9:	pr
	li	$a0, ' '
	li	$v0, 11
	syscall
	beqz	$zero, z1
	li	$a0, 0
z1:	bnez	$t0, z2
	li	$a0, 8
z2:	bltz	$t0, z3
	li	$a0, 8
z3:	bgez	$t1, z4
	li	$a0, 8
z4:	blez	$zero, z5
	li	$a0, 8
z5:	bgtz	$t1, z6
	li	$a0, 8
z6:	b	z7
	li	$a0, 8
z7:	li	$a0, 7
	li	$v0, 1
	syscall
