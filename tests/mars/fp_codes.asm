# fp_codes.asm: floating point the way MARS programs write it: no main,
# .float with value:count, condition codes 1-7 in c.cond.fmt, bc1t/bc1f,
# movt/movf (general and FP registers), an .eqv standing for an FP
# register, a macro taking one, and MARS's printing of floats and doubles
# (Java's Float.toString and Double.toString).
.eqv ACC $f20
.macro print_s(%r)
	mov.s $f12, %r
	li $v0, 2
	syscall
	li $a0, '\n'
	li $v0, 11
	syscall
.end_macro
.data
ones:	.float 1.0:4
vals:	.float 0.1, 2.5, -3.75, 1.0e10
dvals:	.double 0.1, 1.0e-7, 123456789.125
.text
	# sum of ones[0..3] and vals[0..2]
	la $t0, ones
	mtc1 $zero, ACC
	li $t1, 7
sum:	lwc1 $f0, 0($t0)
	add.s ACC, ACC, $f0
	addiu $t0, $t0, 4
	addiu $t1, $t1, -1
	bnez $t1, sum
	print_s(ACC)
	# compares into codes 1..3, read back three ways
	l.s $f2, vals		# 0.1
	l.s $f4, vals+4		# 2.5
	c.lt.s 1, $f2, $f4	# true
	c.eq.s 2, $f2, $f4	# false
	c.le.s 3, $f4, $f2	# false
	li $a0, 1		# code 1 (1 if set)
	bc1t 1, code1
	li $a0, 0
code1:	li $v0, 1
	syscall
	li $a0, 0		# code 2 (1 if set)
	bc1f 2, code2
	li $a0, 1
code2:	li $v0, 1
	syscall
	li $a0, 1		# code 3 (1 if set)
	bc1t 3, code3
	li $a0, 0
code3:	li $v0, 1
	syscall
	li $a0, ' '
	li $v0, 11
	syscall
	li $t2, 0
	li $t3, 1
	movt $t2, $t3, 1	# moves: code 1 is set
	movf $t2, $zero, 3	# moves: code 3 is clear
	move $a0, $t2
	li $v0, 1
	syscall
	mov.s $f6, $f2
	movf.s $f6, $f4, 2	# code 2 clear: $f6 = 2.5
	li $a0, '\n'
	li $v0, 11
	syscall
	print_s($f6)
	# doubles as Java prints them
	la $t0, dvals
	li $t1, 3
dbl:	ldc1 $f12, 0($t0)
	li $v0, 3
	syscall
	li $a0, '\n'
	li $v0, 11
	syscall
	addiu $t0, $t0, 8
	addiu $t1, $t1, -1
	bnez $t1, dbl
	l.s $f12, vals+12
	li $v0, 2
	syscall
	li $a0, '\n'
	li $v0, 11
	syscall
	li $v0, 10
	syscall
