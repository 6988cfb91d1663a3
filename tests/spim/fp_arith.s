# fp_arith.s: add sub mul div sqrt abs neg mov in single and double
# precision, printed with print_float/print_double and as raw bits (mfc1
# and print_int), so a difference in printing and one in arithmetic show
# apart.
	.data
sa:	.float 1.5, -2.25, 0.1, 3.0, 1.0e30, -0.0
da:	.double 1.5, -2.25, 0.1, 3.0, 1.0e300, -0.0
nl:	.asciiz "\n"
sp:	.asciiz " "
	.text
main:
	addiu $sp, $sp, -4
	sw $ra, 0($sp)
	la $s0, sa
	la $s1, da
	li $s2, 0		# i
	li $s3, 5		# pairs (i, i+1)
loop:
	sll $t0, $s2, 2
	addu $t0, $t0, $s0
	l.s $f0, 0($t0)
	l.s $f2, 4($t0)
	add.s $f12, $f0, $f2
	jal shows
	sub.s $f12, $f0, $f2
	jal shows
	mul.s $f12, $f0, $f2
	jal shows
	div.s $f12, $f0, $f2
	jal shows
	abs.s $f12, $f2
	jal shows
	neg.s $f12, $f0
	jal shows
	mov.s $f12, $f2
	jal shows
	abs.s $f4, $f0
	sqrt.s $f12, $f4
	jal shows
	sll $t0, $s2, 3
	addu $t0, $t0, $s1
	l.d $f0, 0($t0)
	l.d $f2, 8($t0)
	add.d $f12, $f0, $f2
	jal showd
	sub.d $f12, $f0, $f2
	jal showd
	mul.d $f12, $f0, $f2
	jal showd
	div.d $f12, $f0, $f2
	jal showd
	abs.d $f12, $f2
	jal showd
	neg.d $f12, $f0
	jal showd
	mov.d $f12, $f2
	jal showd
	abs.d $f4, $f0
	sqrt.d $f12, $f4
	jal showd
	addiu $s2, $s2, 1
	bne $s2, $s3, loop
	lw $ra, 0($sp)
	addiu $sp, $sp, 4
	jr $ra

# print $f12 as a float, then its bits
shows:
	li $v0, 2
	syscall
	la $a0, sp
	li $v0, 4
	syscall
	mfc1 $a0, $f12
	li $v0, 1
	syscall
	la $a0, nl
	li $v0, 4
	syscall
	jr $ra

# print $f12:$f13 as a double, then its high and low words
showd:
	li $v0, 3
	syscall
	la $a0, sp
	li $v0, 4
	syscall
	mfc1 $a0, $f13
	li $v0, 1
	syscall
	la $a0, sp
	li $v0, 4
	syscall
	mfc1 $a0, $f12
	li $v0, 1
	syscall
	la $a0, nl
	li $v0, 4
	syscall
	jr $ra
