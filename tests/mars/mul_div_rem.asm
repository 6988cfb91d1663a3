# mul_div_rem.asm -- mul, three-operand div and rem (registers and an
# immediate), divu/remu, and mult/div with mfhi/mflo, on negative values:
# the quotient rounds toward zero and the remainder takes the dividend's
# sign.
.macro	pr(%r)
	move	$a0, %r
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
.end_macro
	.text
	li	$t0, -17
	li	$t1, 5
	mul	$t2, $t0, $t1
	pr($t2)
	div	$t2, $t0, $t1
	pr($t2)
	rem	$t2, $t0, $t1
	pr($t2)
	div	$t2, $t0, 4
	pr($t2)
	rem	$t2, $t0, -4
	pr($t2)
	divu	$t2, $t0, $t1
	pr($t2)
	remu	$t2, $t0, $t1
	pr($t2)
	mult	$t0, $t1
	mflo	$t3
	mfhi	$t4
	pr($t3)
	pr($t4)
	li	$t5, 0x10000
	mult	$t5, $t5		# 2^32: HI 1, LO 0
	mfhi	$t3
	mflo	$t4
	pr($t3)
	pr($t4)
	div	$t0, $t1		# the machine instruction: LO quotient, HI remainder
	mflo	$t3
	mfhi	$t4
	pr($t3)
	pr($t4)
	mul	$t2, $t1, 1000
	pr($t2)
