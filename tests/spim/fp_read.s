# fp_read.s -- read_float (6) and read_double (7) as SPIM reads them
# (atof of a whole line: leading blanks, trailing junk, no number gives
# 0.0, end of input gives 0.0), printed back with print_float/print_double;
# then the special values: infinities, NaN, signed zero, a denormal.
	.data
nl:	.asciiz	"\n"
	.text
main:	li	$s0, 5
f:	li	$v0, 6
	syscall
	mov.s	$f12, $f0
	li	$v0, 2
	syscall
	jal	newline
	addiu	$s0, $s0, -1
	bnez	$s0, f
	li	$s0, 5
d:	li	$v0, 7
	syscall
	mov.d	$f12, $f0
	li	$v0, 3
	syscall
	jal	newline
	addiu	$s0, $s0, -1
	bnez	$s0, d
	li.d	$f2, 0.0
	li.d	$f4, 1.0
	div.d	$f12, $f4, $f2		# inf
	li	$v0, 3
	syscall
	jal	newline
	neg.d	$f12, $f12		# -inf
	li	$v0, 3
	syscall
	jal	newline
	neg.d	$f12, $f2		# -0
	li	$v0, 3
	syscall
	jal	newline
	li.s	$f6, 1.0e-30
	mul.s	$f12, $f6, $f6		# below the smallest float: 0
	li	$v0, 2
	syscall
	jal	newline
	li.d	$f6, 1.0e-160
	mul.d	$f12, $f6, $f6		# a denormal double
	li	$v0, 3
	syscall
	jal	newline
	li	$v0, 10
	syscall
newline:
	la	$a0, nl
	li	$v0, 4
	syscall
	jr	$ra
