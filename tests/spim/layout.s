# layout.s -- how many instructions each pseudo-instruction and each
# addressing form takes, measured as the distance between labels around it,
# plus the address of main.  Code layout matters to SPIM compatibility:
# fault PCs, jump tables computed from addresses, and `la` of text labels
# all depend on it.  Prints one count per line (in instructions).
	.data
d0:	.word	0, 0, 0, 0
d1:	.word	0, 0, 0, 0
n0:	.asciiz	"la $t2, d0: "
n1:	.asciiz	"la $t2, d1: "
n2:	.asciiz	"la $t2, main: "
n3:	.asciiz	"lw $t2, d0: "
n4:	.asciiz	"lw $t2, d1: "
n5:	.asciiz	"sw $t2, d1+4: "
n6:	.asciiz	"lb $t2, d0($t3): "
n7:	.asciiz	"li $t2, 5: "
n8:	.asciiz	"li $t2, -3: "
n9:	.asciiz	"li $t2, 0xffff: "
n10:	.asciiz	"li $t2, 0x10000: "
n11:	.asciiz	"li $t2, 0x12345678: "
n13:	.asciiz	"andi $t2, $t3, 0xffff: "
n14:	.asciiz	"ori $t2, $t3, 5: "
n15:	.asciiz	"addiu $t2, $t3, -32768: "
n16:	.asciiz	"mul $t2, $t3, 10: "
n17:	.asciiz	"mul $t2, $t3, $t4: "
n18:	.asciiz	"div $t2, $t3, $t4: "
n19:	.asciiz	"div $t2, $t3, 4: "
n20:	.asciiz	"divu $t2, $t3, $t4: "
n21:	.asciiz	"rem $t2, $t3, $t4: "
n22:	.asciiz	"remu $t2, $t3, 8: "
n23:	.asciiz	"mulo $t2, $t3, $t4: "
n24:	.asciiz	"mulou $t2, $t3, $t4: "
n25:	.asciiz	"abs $t2, $t3: "
n26:	.asciiz	"neg $t2, $t3: "
n27:	.asciiz	"not $t2, $t3: "
n28:	.asciiz	"bge $t2, $t3, bb0: "
n29:	.asciiz	"bge $t2, 5, bb0: "
n30:	.asciiz	"blt $t2, 0x12345, bb0: "
n31:	.asciiz	"bgtu $t2, $t3, bb0: "
n32:	.asciiz	"beq $t2, 7, bb0: "
n33:	.asciiz	"beqz $t2, bb0: "
n34:	.asciiz	"b bb0: "
n35:	.asciiz	"seq $t2, $t3, $t4: "
n36:	.asciiz	"sne $t2, $t3, $t4: "
n37:	.asciiz	"sge $t2, $t3, $t4: "
n38:	.asciiz	"sgt $t2, $t3, $t4: "
n39:	.asciiz	"sle $t2, $t3, 5: "
n40:	.asciiz	"sgeu $t2, $t3, $t4: "
n41:	.asciiz	"rol $t2, $t3, 3: "
n42:	.asciiz	"ror $t2, $t3, $t4: "
n43:	.asciiz	"ulw $t2, 1($t3): "
n44:	.asciiz	"ush $t2, 1($t3): "
n45:	.asciiz	"ulh $t2, 1($t3): "
n46:	.asciiz	"ld $t2, d0: "
n47:	.asciiz	"sd $t2, d0: "
n48:	.asciiz	"move $t2, $t3: "
n49:	.asciiz	"nop: "
	.text
main:	la	$a0, main
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	la	$t0, s0
	la	$t1, e0
	la	$a0, n0
	jal	show
	j	e0
s0:	la $t2, d0
e0:
	la	$t0, s1
	la	$t1, e1
	la	$a0, n1
	jal	show
	j	e1
s1:	la $t2, d1
e1:
	la	$t0, s2
	la	$t1, e2
	la	$a0, n2
	jal	show
	j	e2
s2:	la $t2, main
e2:
	la	$t0, s3
	la	$t1, e3
	la	$a0, n3
	jal	show
	j	e3
s3:	lw $t2, d0
e3:
	la	$t0, s4
	la	$t1, e4
	la	$a0, n4
	jal	show
	j	e4
s4:	lw $t2, d1
e4:
	la	$t0, s5
	la	$t1, e5
	la	$a0, n5
	jal	show
	j	e5
s5:	sw $t2, d1+4
e5:
	la	$t0, s6
	la	$t1, e6
	la	$a0, n6
	jal	show
	j	e6
s6:	lb $t2, d0($t3)
e6:
	la	$t0, s7
	la	$t1, e7
	la	$a0, n7
	jal	show
	j	e7
s7:	li $t2, 5
e7:
	la	$t0, s8
	la	$t1, e8
	la	$a0, n8
	jal	show
	j	e8
s8:	li $t2, -3
e8:
	la	$t0, s9
	la	$t1, e9
	la	$a0, n9
	jal	show
	j	e9
s9:	li $t2, 0xffff
e9:
	la	$t0, s10
	la	$t1, e10
	la	$a0, n10
	jal	show
	j	e10
s10:	li $t2, 0x10000
e10:
	la	$t0, s11
	la	$t1, e11
	la	$a0, n11
	jal	show
	j	e11
s11:	li $t2, 0x12345678
e11:
	la	$t0, s13
	la	$t1, e13
	la	$a0, n13
	jal	show
	j	e13
s13:	andi $t2, $t3, 0xffff
e13:
	la	$t0, s14
	la	$t1, e14
	la	$a0, n14
	jal	show
	j	e14
s14:	ori $t2, $t3, 5
e14:
	la	$t0, s15
	la	$t1, e15
	la	$a0, n15
	jal	show
	j	e15
s15:	addiu $t2, $t3, -32768
e15:
	la	$t0, s16
	la	$t1, e16
	la	$a0, n16
	jal	show
	j	e16
s16:	mul $t2, $t3, 10
e16:
	la	$t0, s17
	la	$t1, e17
	la	$a0, n17
	jal	show
	j	e17
s17:	mul $t2, $t3, $t4
e17:
	la	$t0, s18
	la	$t1, e18
	la	$a0, n18
	jal	show
	j	e18
s18:	div $t2, $t3, $t4
e18:
	la	$t0, s19
	la	$t1, e19
	la	$a0, n19
	jal	show
	j	e19
s19:	div $t2, $t3, 4
e19:
	la	$t0, s20
	la	$t1, e20
	la	$a0, n20
	jal	show
	j	e20
s20:	divu $t2, $t3, $t4
e20:
	la	$t0, s21
	la	$t1, e21
	la	$a0, n21
	jal	show
	j	e21
s21:	rem $t2, $t3, $t4
e21:
	la	$t0, s22
	la	$t1, e22
	la	$a0, n22
	jal	show
	j	e22
s22:	remu $t2, $t3, 8
e22:
	la	$t0, s23
	la	$t1, e23
	la	$a0, n23
	jal	show
	j	e23
s23:	mulo $t2, $t3, $t4
e23:
	la	$t0, s24
	la	$t1, e24
	la	$a0, n24
	jal	show
	j	e24
s24:	mulou $t2, $t3, $t4
e24:
	la	$t0, s25
	la	$t1, e25
	la	$a0, n25
	jal	show
	j	e25
s25:	abs $t2, $t3
e25:
	la	$t0, s26
	la	$t1, e26
	la	$a0, n26
	jal	show
	j	e26
s26:	neg $t2, $t3
e26:
	la	$t0, s27
	la	$t1, e27
	la	$a0, n27
	jal	show
	j	e27
s27:	not $t2, $t3
e27:
	la	$t0, s28
	la	$t1, e28
	la	$a0, n28
	jal	show
	j	e28
s28:	bge $t2, $t3, bb0
e28:
	la	$t0, s29
	la	$t1, e29
	la	$a0, n29
	jal	show
	j	e29
s29:	bge $t2, 5, bb0
e29:
	la	$t0, s30
	la	$t1, e30
	la	$a0, n30
	jal	show
	j	e30
s30:	blt $t2, 0x12345, bb0
e30:
	la	$t0, s31
	la	$t1, e31
	la	$a0, n31
	jal	show
	j	e31
s31:	bgtu $t2, $t3, bb0
e31:
	la	$t0, s32
	la	$t1, e32
	la	$a0, n32
	jal	show
	j	e32
s32:	beq $t2, 7, bb0
e32:
	la	$t0, s33
	la	$t1, e33
	la	$a0, n33
	jal	show
	j	e33
s33:	beqz $t2, bb0
e33:
	la	$t0, s34
	la	$t1, e34
	la	$a0, n34
	jal	show
	j	e34
s34:	b bb0
e34:
	la	$t0, s35
	la	$t1, e35
	la	$a0, n35
	jal	show
	j	e35
s35:	seq $t2, $t3, $t4
e35:
	la	$t0, s36
	la	$t1, e36
	la	$a0, n36
	jal	show
	j	e36
s36:	sne $t2, $t3, $t4
e36:
	la	$t0, s37
	la	$t1, e37
	la	$a0, n37
	jal	show
	j	e37
s37:	sge $t2, $t3, $t4
e37:
	la	$t0, s38
	la	$t1, e38
	la	$a0, n38
	jal	show
	j	e38
s38:	sgt $t2, $t3, $t4
e38:
	la	$t0, s39
	la	$t1, e39
	la	$a0, n39
	jal	show
	j	e39
s39:	sle $t2, $t3, 5
e39:
	la	$t0, s40
	la	$t1, e40
	la	$a0, n40
	jal	show
	j	e40
s40:	sgeu $t2, $t3, $t4
e40:
	la	$t0, s41
	la	$t1, e41
	la	$a0, n41
	jal	show
	j	e41
s41:	rol $t2, $t3, 3
e41:
	la	$t0, s42
	la	$t1, e42
	la	$a0, n42
	jal	show
	j	e42
s42:	ror $t2, $t3, $t4
e42:
	la	$t0, s43
	la	$t1, e43
	la	$a0, n43
	jal	show
	j	e43
s43:	ulw $t2, 1($t3)
e43:
	la	$t0, s44
	la	$t1, e44
	la	$a0, n44
	jal	show
	j	e44
s44:	ush $t2, 1($t3)
e44:
	la	$t0, s45
	la	$t1, e45
	la	$a0, n45
	jal	show
	j	e45
s45:	ulh $t2, 1($t3)
e45:
	la	$t0, s46
	la	$t1, e46
	la	$a0, n46
	jal	show
	j	e46
s46:	ld $t2, d0
e46:
	la	$t0, s47
	la	$t1, e47
	la	$a0, n47
	jal	show
	j	e47
s47:	sd $t2, d0
e47:
	la	$t0, s48
	la	$t1, e48
	la	$a0, n48
	jal	show
	j	e48
s48:	move $t2, $t3
e48:
	la	$t0, s49
	la	$t1, e49
	la	$a0, n49
	jal	show
	j	e49
s49:	nop
e49:
	li	$v0, 10
	syscall
bb0:	li	$v0, 10
	syscall
# show: print the case ($a0), then ($t1 - $t0) / 4 (the instructions between s_i and e_i), newline
show:	li	$v0, 4
	syscall
	subu	$a0, $t1, $t0
	srl	$a0, $a0, 2
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
