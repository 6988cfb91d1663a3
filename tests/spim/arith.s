# arith.s -- integer ALU instructions without traps: add/addu/sub/subu (no
# overflow), addi/addiu, logic, lui, the slt family and every shift form.
# Each result is printed as "name=value" so a wrong one shows by name.
	.data
sep:	.asciiz "="
nl:	.asciiz "\n"
n_add:	.asciiz "add"
n_addu:	.asciiz "addu"
n_sub:	.asciiz "sub"
n_subu:	.asciiz "subu"
n_addi:	.asciiz "addi"
n_addiu: .asciiz "addiu"
n_and:	.asciiz "and"
n_or:	.asciiz "or"
n_xor:	.asciiz "xor"
n_nor:	.asciiz "nor"
n_andi:	.asciiz "andi"
n_ori:	.asciiz "ori"
n_xori:	.asciiz "xori"
n_lui:	.asciiz "lui"
n_slt:	.asciiz "slt"
n_sltu:	.asciiz "sltu"
n_slti:	.asciiz "slti"
n_sltiu: .asciiz "sltiu"
n_sll:	.asciiz "sll"
n_srl:	.asciiz "srl"
n_sra:	.asciiz "sra"
n_sllv:	.asciiz "sllv"
n_srlv:	.asciiz "srlv"
n_srav:	.asciiz "srav"

	.text
# show: print the string at $a1, "=", the integer in $a0, newline.
show:	move	$t9, $a0
	move	$a0, $a1
	li	$v0, 4
	syscall
	la	$a0, sep
	syscall
	move	$a0, $t9
	li	$v0, 1
	syscall
	la	$a0, nl
	li	$v0, 4
	syscall
	jr	$ra

main:	addiu	$sp, $sp, -4
	sw	$ra, 0($sp)
	li	$s0, 1234567
	li	$s1, -98765
	li	$s2, 0x7fffffff
	li	$s3, 0x80000000

	add	$a0, $s0, $s1
	la	$a1, n_add
	jal	show
	addu	$a0, $s2, $s2		# wraps, no trap
	la	$a1, n_addu
	jal	show
	sub	$a0, $s1, $s0
	la	$a1, n_sub
	jal	show
	subu	$a0, $s3, $s0		# wraps, no trap
	la	$a1, n_subu
	jal	show
	addi	$a0, $s0, -32768
	la	$a1, n_addi
	jal	show
	addiu	$a0, $s2, 32767		# wraps
	la	$a1, n_addiu
	jal	show
	and	$a0, $s0, $s1
	la	$a1, n_and
	jal	show
	or	$a0, $s0, $s1
	la	$a1, n_or
	jal	show
	xor	$a0, $s0, $s1
	la	$a1, n_xor
	jal	show
	nor	$a0, $s0, $s1
	la	$a1, n_nor
	jal	show
	andi	$a0, $s1, 0xff0f	# zero-extended immediate
	la	$a1, n_andi
	jal	show
	ori	$a0, $s1, 0xf000
	la	$a1, n_ori
	jal	show
	xori	$a0, $s1, 0xffff
	la	$a1, n_xori
	jal	show
	lui	$a0, 0xbeef
	la	$a1, n_lui
	jal	show
	slt	$a0, $s1, $s0
	la	$a1, n_slt
	jal	show
	sltu	$a0, $s1, $s0		# -98765 is huge unsigned
	la	$a1, n_sltu
	jal	show
	slti	$a0, $s1, -30000
	la	$a1, n_slti
	jal	show
	sltiu	$a0, $s0, -1		# -1 sign-extends to 0xffffffff
	la	$a1, n_sltiu
	jal	show
	sll	$a0, $s1, 7
	la	$a1, n_sll
	jal	show
	srl	$a0, $s1, 7
	la	$a1, n_srl
	jal	show
	sra	$a0, $s1, 7
	la	$a1, n_sra
	jal	show
	li	$t0, 35			# only the low 5 bits count: 3
	sllv	$a0, $s1, $t0
	la	$a1, n_sllv
	jal	show
	srlv	$a0, $s1, $t0
	la	$a1, n_srlv
	jal	show
	srav	$a0, $s1, $t0
	la	$a1, n_srav
	jal	show
	sll	$a0, $s3, 0		# shift by 0 keeps the value
	la	$a1, n_sll
	jal	show
	sra	$a0, $s3, 31
	la	$a1, n_sra
	jal	show
	srl	$a0, $s3, 31
	la	$a1, n_srl
	jal	show

	lw	$ra, 0($sp)
	addiu	$sp, $sp, 4
	jr	$ra
