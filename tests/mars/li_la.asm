# li_la.asm -- li with small, negative, 16-bit unsigned and full 32-bit
# values; lui/ori by hand; la of label+offset and lw of label+offset.
.macro	pr(%r)
	move	$a0, %r
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
.end_macro
	.data
arr:	.word	10, 20, 30
	.text
	li	$t0, 7
	pr($t0)
	li	$t0, -32768
	pr($t0)
	li	$t0, 0xffff
	pr($t0)
	li	$t0, 123456789
	pr($t0)
	li	$t0, -123456789
	pr($t0)
	lui	$t0, 0x1234
	ori	$t0, $t0, 0x5678
	pr($t0)
	la	$t1, arr+8
	lw	$t0, 0($t1)
	pr($t0)
	lw	$t0, arr+4
	pr($t0)
	la	$t1, arr
	lw	$t0, 4($t1)
	pr($t0)
