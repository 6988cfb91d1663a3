# circle.s -- floating point: the area and circumference of a circle in
# double precision, and the same area in single precision, printed with
# print_double (3) and print_float (2) exactly as SPIM prints them.
	.data
pi:	.double	3.141592653589793
r:	.double	2.5
s1:	.asciiz	"area: "
s2:	.asciiz	"\ncircumference: "
s3:	.asciiz	"\narea in single precision: "
nl:	.asciiz	"\n"
	.text
main:	l.d	$f2, pi
	l.d	$f4, r
	mul.d	$f6, $f4, $f4		# r^2
	mul.d	$f12, $f6, $f2		# pi r^2
	la	$a0, s1
	li	$v0, 4
	syscall
	li	$v0, 3
	syscall
	add.d	$f8, $f4, $f4		# 2r
	mul.d	$f12, $f8, $f2		# 2 pi r
	la	$a0, s2
	li	$v0, 4
	syscall
	li	$v0, 3
	syscall
	cvt.s.d	$f0, $f2		# the same in floats
	cvt.s.d	$f1, $f6
	mul.s	$f12, $f1, $f0
	la	$a0, s3
	li	$v0, 4
	syscall
	li	$v0, 2
	syscall
	la	$a0, nl
	li	$v0, 4
	syscall
	jr	$ra
