# fp_mars.asm -- floating point as MARS runs it: Float.toString and
# Double.toString text, the random float and double syscalls (43, 44) on a
# seeded generator, read_float and read_double, .float/.double with
# repeats, and the FP instructions and pseudo-instructions MARS has.
.data
reps:	.float	0.5:3
ds:	.double	1.0e-5, 123456789.0, 0.1
nl:	.asciiz	"\n"
.text
	la	$t0, reps
	lwc1	$f12, 8($t0)		# the third 0.5
	jal	pfloat
	l.d	$f12, ds
	jal	pdouble
	l.d	$f12, ds+8
	jal	pdouble
	l.d	$f0, ds+16
	add.d	$f12, $f0, $f0
	add.d	$f12, $f12, $f0		# 0.30000000000000004
	jal	pdouble
	li	$t1, 3
	mtc1	$t1, $f2
	cvt.s.w	$f4, $f2
	li	$t1, 1
	mtc1	$t1, $f2
	cvt.s.w	$f6, $f2
	div.s	$f12, $f6, $f4		# 1/3 as a float
	jal	pfloat
	neg.s	$f12, $f12
	jal	pfloat
	sub.s	$f12, $f6, $f6		# 0.0
	neg.s	$f12, $f12		# -0.0
	jal	pfloat
	div.s	$f12, $f6, $f12		# -Infinity
	jal	pfloat
	sub.s	$f12, $f12, $f12	# NaN
	jal	pfloat
	sqrt.d	$f12, $f0
	jal	pdouble
	c.le.d	$f0, $f12
	bc1t	yes
	li	$a0, 0
	j	cc
yes:	li	$a0, 1
cc:	li	$v0, 1
	syscall
	jal	newline
	li	$a0, 1			# generator 1, seed 2024
	li	$a1, 2024
	li	$v0, 40
	syscall
	li	$a0, 1
	li	$v0, 43			# random float
	syscall
	mov.s	$f12, $f0
	jal	pfloat
	li	$a0, 1
	li	$v0, 44			# random double
	syscall
	mov.d	$f12, $f0
	jal	pdouble
	li	$a0, 1
	li	$v0, 43
	syscall
	mov.s	$f12, $f0
	jal	pfloat
	li	$v0, 6			# read_float
	syscall
	mov.s	$f12, $f0
	jal	pfloat
	li	$v0, 7			# read_double
	syscall
	mov.d	$f12, $f0
	jal	pdouble
	li	$v0, 10
	syscall
pfloat:	li	$v0, 2
	syscall
	j	newline
pdouble:
	li	$v0, 3
	syscall
newline:
	la	$a0, nl
	li	$v0, 4
	syscall
	jr	$ra
