# fp_compare.s: the 16 compare conditions in single and double precision on
# three ordered pairs (less, greater, equal) and the 8 quiet ones on an
# unordered pair (a NaN; fp_signal_nan.s has the signalling ones), each
# result read with bc1t and bc1f (T or F), then movt/movf.s/.d and
# movz/movn.s/.d on the code.  Condition code 0 only: SPIM 8.0 assembles
# c.cond.fmt with any code as code 0 (README.md).
	.data
s_a:	.float 1.0, 2.0, 1.0
	.word 0x7fc00000			# NaN
s_b:	.float 2.0, 1.0, 1.0, 1.0
d_a:	.double 1.0, 2.0, 1.0
	.word 0, 0x7ff80000			# NaN
d_b:	.double 2.0, 1.0, 1.0, 1.0
nl:	.asciiz "\n"
	.text
main:
	addiu $sp, $sp, -4
	sw $ra, 0($sp)
	li $s0, 0
pairs:
	sll $t0, $s0, 2
	l.s $f0, s_a($t0)
	l.s $f2, s_b($t0)
	sll $t0, $s0, 3
	l.d $f4, d_a($t0)
	l.d $f6, d_b($t0)
	jal quiet
	li $t0, 3
	beq $s0, $t0, moves	# the NaN pair: no signalling compares
	jal signalling
moves:
	jal newline
	# conditional moves on the last compare's code
	li.s $f8, 7.0
	li.s $f10, 9.0
	mov.s $f12, $f8
	movt.s $f12, $f10, 0
	jal shows
	mov.s $f12, $f8
	movf.s $f12, $f10, 0
	jal shows
	li.d $f14, 7.0
	li.d $f16, 9.0
	mov.d $f12, $f14
	movt.d $f12, $f16, 0
	jal showd
	mov.d $f12, $f14
	movf.d $f12, $f16, 0
	jal showd
	mov.s $f12, $f8
	movz.s $f12, $f10, $s0
	jal shows
	mov.s $f12, $f8
	movn.s $f12, $f10, $s0
	jal shows
	mov.d $f12, $f14
	movz.d $f12, $f16, $s0
	jal showd
	mov.d $f12, $f14
	movn.d $f12, $f16, $s0
	jal showd
	jal newline
	addiu $s0, $s0, 1
	li $t0, 4
	bne $s0, $t0, pairs
	lw $ra, 0($sp)
	addiu $sp, $sp, 4
	jr $ra

# quiet conditions: single ($f0, $f2) then double ($f4, $f6)
quiet:
	move $s7, $ra
	c.f.s $f0, $f2
	jal tf
	c.un.s $f0, $f2
	jal tf
	c.eq.s $f0, $f2
	jal tf
	c.ueq.s $f0, $f2
	jal tf
	c.olt.s $f0, $f2
	jal tf
	c.ult.s $f0, $f2
	jal tf
	c.ole.s $f0, $f2
	jal tf
	c.ule.s $f0, $f2
	jal tf
	li $a0, ' '
	li $v0, 11
	syscall
	c.f.d $f4, $f6
	jal tf
	c.un.d $f4, $f6
	jal tf
	c.eq.d $f4, $f6
	jal tf
	c.ueq.d $f4, $f6
	jal tf
	c.olt.d $f4, $f6
	jal tf
	c.ult.d $f4, $f6
	jal tf
	c.ole.d $f4, $f6
	jal tf
	c.ule.d $f4, $f6
	jal tf
	li $a0, ' '
	li $v0, 11
	syscall
	jr $s7

# signalling conditions: single ($f0, $f2) then double ($f4, $f6)
signalling:
	move $s7, $ra
	c.sf.s $f0, $f2
	jal tf
	c.ngle.s $f0, $f2
	jal tf
	c.seq.s $f0, $f2
	jal tf
	c.ngl.s $f0, $f2
	jal tf
	c.lt.s $f0, $f2
	jal tf
	c.nge.s $f0, $f2
	jal tf
	c.le.s $f0, $f2
	jal tf
	c.ngt.s $f0, $f2
	jal tf
	li $a0, ' '
	li $v0, 11
	syscall
	c.sf.d $f4, $f6
	jal tf
	c.ngle.d $f4, $f6
	jal tf
	c.seq.d $f4, $f6
	jal tf
	c.ngl.d $f4, $f6
	jal tf
	c.lt.d $f4, $f6
	jal tf
	c.nge.d $f4, $f6
	jal tf
	c.le.d $f4, $f6
	jal tf
	c.ngt.d $f4, $f6
	jal tf
	li $a0, ' '
	li $v0, 11
	syscall
	jr $s7

# print T or F as bc1t and bc1f see code 0 (! when they disagree)
tf:
	li $a0, 'T'
	bc1t tf_f
	li $a0, 'F'
tf_f:	bc1f tf_false
	j tf_out
tf_false:
	li $t9, 'T'
	bne $a0, $t9, tf_out
	li $a0, '!'
tf_out:	li $v0, 11
	syscall
	jr $ra

newline:
	la $a0, nl
	li $v0, 4
	syscall
	jr $ra

shows:
	li $v0, 2
	syscall
	li $a0, ' '
	li $v0, 11
	syscall
	jr $ra

showd:
	li $v0, 3
	syscall
	li $a0, ' '
	li $v0, 11
	syscall
	jr $ra
