# fp_ops.s -- coprocessor 1 against spim: every FP instruction and
# pseudo-instruction, printed with print_float (2), print_double (3) and
# print_int.  (Conversions to word here are exact or positive: SPIM
# truncates cvt.w and rounds round.w as (int)(x + 0.5); fp_round.s shows
# what MIPS does instead.)
	.data
one:	.float	1.0
vals:	.float	1.5, -2.25, 0.1, 3.0
dvals:	.double	0.1, -7.5, 2.0, 1.0e300
words:	.word	7, -12
buf:	.space	32
nl:	.asciiz	"\n"
sp:	.asciiz	" "
	.text
main:	addiu	$sp, $sp, -4
	sw	$ra, 0($sp)
	# ---- loads: l.s, lwc1, l.d, ldc1, every addressing form
	l.s	$f2, vals
	la	$t0, vals
	lwc1	$f4, 4($t0)
	l.s	$f6, 8($t0)
	l.s	$f8, vals+12
	l.d	$f10, dvals
	la	$t1, dvals
	ldc1	$f12, 8($t1)
	l.d	$f14, dvals+16
	l.d	$f16, 24($t1)
	# ---- single arithmetic
	add.s	$f12, $f2, $f4
	jal	ps
	sub.s	$f12, $f2, $f4
	jal	ps
	mul.s	$f12, $f2, $f6
	jal	ps
	div.s	$f12, $f2, $f8
	jal	ps
	sqrt.s	$f12, $f8
	jal	ps
	abs.s	$f12, $f4
	jal	ps
	neg.s	$f12, $f2
	jal	ps
	mov.s	$f12, $f6
	jal	ps
	# ---- double arithmetic
	l.d	$f12, dvals+8
	add.d	$f12, $f10, $f12
	jal	pd
	l.d	$f18, dvals+8
	sub.d	$f12, $f10, $f18
	jal	pd
	mul.d	$f12, $f10, $f18
	jal	pd
	div.d	$f12, $f10, $f14
	jal	pd
	sqrt.d	$f12, $f14
	jal	pd
	abs.d	$f12, $f18
	jal	pd
	neg.d	$f12, $f10
	jal	pd
	mov.d	$f12, $f16
	jal	pd
	mul.d	$f12, $f16, $f16	# overflow: inf
	jal	pd
	# ---- conversions
	cvt.d.s	$f12, $f6		# 0.1f as a double
	jal	pd
	cvt.s.d	$f12, $f10		# 0.1 as a float
	jal	ps
	lw	$t2, words+4
	mtc1	$t2, $f20
	cvt.s.w	$f12, $f20
	jal	ps
	cvt.d.w	$f12, $f20
	jal	pd
	li.d	$f22, 42.0
	cvt.w.d	$f24, $f22
	mfc1	$a0, $f24
	jal	pi
	li.s	$f22, -17.0
	cvt.w.s	$f24, $f22
	mfc1	$a0, $f24
	jal	pi
	li.d	$f22, 2.75
	trunc.w.d $f24, $f22
	mfc1	$a0, $f24
	jal	pi
	ceil.w.d $f24, $f22
	mfc1	$a0, $f24
	jal	pi
	floor.w.d $f24, $f22
	mfc1	$a0, $f24
	jal	pi
	round.w.d $f24, $f22
	mfc1	$a0, $f24
	jal	pi
	li.s	$f22, 9.25
	trunc.w.s $f24, $f22
	mfc1	$a0, $f24
	jal	pi
	ceil.w.s $f24, $f22
	mfc1	$a0, $f24
	jal	pi
	floor.w.s $f24, $f22
	mfc1	$a0, $f24
	jal	pi
	round.w.s $f24, $f22
	mfc1	$a0, $f24
	jal	pi
	# ---- compares: all 16 conditions on (less, equal, greater).  Only cc 0:
	# SPIM 8.0 puts a compare's cc in the wrong bits (fp_cc.s)
	li.s	$f0, 1.0
	li.s	$f1, 2.0
	jal	cmps
	mov.s	$f1, $f0
	jal	cmps
	li.s	$f0, 3.0
	jal	cmps
	li.d	$f0, -1.0
	li.d	$f2, 0.5
	jal	cmpd
	mov.d	$f2, $f0
	jal	cmpd
	li.d	$f0, 4.0
	jal	cmpd
	# non-signaling compares with a NaN
	li.s	$f0, 0.0
	div.s	$f0, $f0, $f0
	li.s	$f1, 1.0
	c.un.s	$f0, $f1
	jal	pcc
	c.eq.s	$f0, $f1
	jal	pcc
	c.ueq.s	$f0, $f1
	jal	pcc
	c.olt.s	$f0, $f1
	jal	pcc
	c.ult.s	$f0, $f1
	jal	pcc
	c.ole.s	$f0, $f1
	jal	pcc
	c.ule.s	$f0, $f1
	jal	pcc
	c.f.s	$f0, $f1
	jal	pcc
	# ---- conditional moves
	li.s	$f0, 1.0
	li.s	$f1, 2.0
	c.lt.s	$f0, $f1		# cc 0 = 1
	li	$t0, 11
	li	$t1, 22
	movt	$t0, $t1, 0
	move	$a0, $t0
	jal	pi
	li	$t0, 11
	movf	$t0, $t1, 0
	move	$a0, $t0
	jal	pi
	mov.s	$f12, $f0
	movt.s	$f12, $f1, 0
	jal	ps
	mov.s	$f12, $f0
	movf.s	$f12, $f1, 0
	jal	ps
	li.d	$f12, 5.5
	li.d	$f14, 6.5
	movt.d	$f12, $f14, 0
	jal	pd
	li.d	$f12, 5.5
	movf.d	$f12, $f14, 0
	jal	pd
	mov.s	$f12, $f0
	movz.s	$f12, $f1, $zero
	jal	ps
	mov.s	$f12, $f0
	movn.s	$f12, $f1, $zero
	jal	ps
	li.d	$f12, 5.5
	movn.d	$f12, $f14, $t1
	jal	pd
	li.d	$f12, 5.5
	movz.d	$f12, $f14, $t1
	jal	pd
	# ---- moves and stores: mfc1.d/mtc1.d, s.s/swc1/s.d/sdc1, the FCSR
	li.d	$f4, 0.75
	mfc1.d	$t2, $f4
	mtc1.d	$t2, $f12
	jal	pd
	la	$t0, buf
	s.s	$f1, 0($t0)
	swc1	$f0, 4($t0)
	s.d	$f4, buf+8
	sdc1	$f4, 16($t0)
	lw	$a0, 0($t0)
	jal	pi
	lw	$a0, 4($t0)
	jal	pi
	l.d	$f12, 16($t0)
	jal	pd
	c.eq.s	$f0, $f0		# cc 0 = 1
	cfc1	$a0, $31
	srl	$a0, $a0, 23
	andi	$a0, $a0, 1
	jal	pi
	li	$t0, 0
	ctc1	$t0, $31		# all condition codes clear
	bc1f	Lf
	li	$a0, 99
	jal	pi
Lf:	cfc1	$a0, $31
	jal	pi
	lw	$ra, 0($sp)
	addiu	$sp, $sp, 4
	jr	$ra

# print $f12 (single), $f12 (double), $a0, each on its line
ps:	li	$v0, 2
	syscall
	j	newline
pd:	li	$v0, 3
	syscall
	j	newline
pi:	li	$v0, 1
	syscall
newline:
	la	$a0, nl
	li	$v0, 4
	syscall
	jr	$ra

# pcc: print condition code 0 (bc1t / bc1f), without a newline, then one
pcc:	li	$a0, 0
	bc1f	pcc0
	li	$a0, 1
pcc0:	li	$v0, 1
	syscall
	j	newline

# cmps / cmpd: the 16 conditions on $f0, $f1 (single) / $f0, $f2 (double)
# into cc 0, printed as a row of 16 digits
cmps:	addiu	$sp, $sp, -4
	sw	$ra, 0($sp)
	c.f.s	$f0, $f1
	jal	bit
	c.un.s	$f0, $f1
	jal	bit
	c.eq.s	$f0, $f1
	jal	bit
	c.ueq.s	$f0, $f1
	jal	bit
	c.olt.s	$f0, $f1
	jal	bit
	c.ult.s	$f0, $f1
	jal	bit
	c.ole.s	$f0, $f1
	jal	bit
	c.ule.s	$f0, $f1
	jal	bit
	c.sf.s	$f0, $f1
	jal	bit
	c.ngle.s $f0, $f1
	jal	bit
	c.seq.s	$f0, $f1
	jal	bit
	c.ngl.s	$f0, $f1
	jal	bit
	c.lt.s	$f0, $f1
	jal	bit
	c.nge.s	$f0, $f1
	jal	bit
	c.le.s	$f0, $f1
	jal	bit
	c.ngt.s	$f0, $f1
	jal	bit
	lw	$ra, 0($sp)
	addiu	$sp, $sp, 4
	j	newline
cmpd:	addiu	$sp, $sp, -4
	sw	$ra, 0($sp)
	c.f.d	$f0, $f2
	jal	bit
	c.un.d	$f0, $f2
	jal	bit
	c.eq.d	$f0, $f2
	jal	bit
	c.ueq.d	$f0, $f2
	jal	bit
	c.olt.d	$f0, $f2
	jal	bit
	c.ult.d	$f0, $f2
	jal	bit
	c.ole.d	$f0, $f2
	jal	bit
	c.ule.d	$f0, $f2
	jal	bit
	c.sf.d	$f0, $f2
	jal	bit
	c.ngle.d $f0, $f2
	jal	bit
	c.seq.d	$f0, $f2
	jal	bit
	c.ngl.d	$f0, $f2
	jal	bit
	c.lt.d	$f0, $f2
	jal	bit
	c.nge.d	$f0, $f2
	jal	bit
	c.le.d	$f0, $f2
	jal	bit
	c.ngt.d	$f0, $f2
	jal	bit
	lw	$ra, 0($sp)
	addiu	$sp, $sp, 4
	j	newline
bit:	li	$a0, 0
	bc1f	bit0
	li	$a0, 1
bit0:	li	$v0, 1
	syscall
	jr	$ra
