# logic_shift.asm -- and/or/xor/nor, immediates wider than 16 bits through
# $at, the shifts (sll, srl, sra, sllv, srav), rol/ror, not, neg and abs;
# each result in hex.
.macro	hex(%r)
	move	$a0, %r
	li	$v0, 34
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
.end_macro
	.text
	li	$t0, 0xf0f0a5a5
	li	$t1, 0x0ff00ff0
	and	$t2, $t0, $t1
	hex($t2)
	or	$t2, $t0, $t1
	hex($t2)
	xor	$t2, $t0, $t1
	hex($t2)
	nor	$t2, $t0, $t1
	hex($t2)
	xori	$t2, $t0, 0xffff
	hex($t2)
	ori	$t2, $t0, 0x12345678
	hex($t2)
	sll	$t2, $t0, 4
	hex($t2)
	srl	$t2, $t0, 4
	hex($t2)
	sra	$t2, $t0, 4
	hex($t2)
	li	$t3, 8
	sllv	$t2, $t0, $t3
	hex($t2)
	srav	$t2, $t0, $t3
	hex($t2)
	rol	$t2, $t0, 8
	hex($t2)
	ror	$t2, $t0, $t3
	hex($t2)
	not	$t2, $t0
	hex($t2)
	neg	$t2, $t1
	hex($t2)
	abs	$t2, $t0
	hex($t2)
