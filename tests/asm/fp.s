# fp.s: every coprocessor-1 instruction, FP pseudo-instruction and FP data
# directive babyasm knows, for tests/e2e/asm_fp.sh (listing, and every FP
# mnemonic of include/isa.h present) and asm_roundtrip.sh.
	.data
one:	.float 1.0
vals:	.float 1.5, -0.5, .5, 1e10, 2:3
pi:	.double 3.141592653589793
dvals:	.double -2.5e-3, 7:2
	.text
main:
	# arithmetic
	add.s $f0, $f1, $f2
	add.d $f0, $f2, $f4
	sub.s $f3, $f4, $f5
	sub.d $f6, $f8, $f10
	mul.s $f7, $f8, $f9
	mul.d $f12, $f14, $f16
	div.s $f10, $f11, $f12
	div.d $f18, $f20, $f22
	sqrt.s $f13, $f14
	sqrt.d $f24, $f26
	abs.s $f15, $f16
	abs.d $f28, $f30
	mov.s $f17, $f18
	mov.d $f0, $f30
	neg.s $f19, $f20
	neg.d $f2, $f28
	# conversions
	cvt.s.d $f0, $f2
	cvt.s.w $f1, $f3
	cvt.d.s $f4, $f5
	cvt.d.w $f6, $f7
	cvt.w.s $f8, $f9
	cvt.w.d $f10, $f12
	round.w.s $f0, $f1
	round.w.d $f0, $f2
	trunc.w.s $f0, $f1
	trunc.w.d $f0, $f2
	ceil.w.s $f0, $f1
	ceil.w.d $f0, $f2
	floor.w.s $f0, $f1
	floor.w.d $f0, $f2
	# compares, condition code 0 and 1..7
	c.f.s $f0, $f1
	c.un.s 1, $f0, $f1
	c.eq.s 2, $f0, $f1
	c.ueq.s 3, $f0, $f1
	c.olt.s 4, $f0, $f1
	c.ult.s 5, $f0, $f1
	c.ole.s 6, $f0, $f1
	c.ule.s 7, $f0, $f1
	c.sf.s $f2, $f3
	c.ngle.s $f2, $f3
	c.seq.s $f2, $f3
	c.ngl.s $f2, $f3
	c.lt.s $f2, $f3
	c.nge.s $f2, $f3
	c.le.s $f2, $f3
	c.ngt.s $f2, $f3
	c.f.d $f0, $f2
	c.un.d 1, $f0, $f2
	c.eq.d 2, $f0, $f2
	c.ueq.d 3, $f0, $f2
	c.olt.d 4, $f0, $f2
	c.ult.d 5, $f0, $f2
	c.ole.d 6, $f0, $f2
	c.ule.d 7, $f0, $f2
	c.sf.d $f4, $f6
	c.ngle.d $f4, $f6
	c.seq.d $f4, $f6
	c.ngl.d $f4, $f6
	c.lt.d $f4, $f6
	c.nge.d $f4, $f6
	c.le.d $f4, $f6
	c.ngt.d $f4, $f6
	# branches on a condition code
back:	bc1t back
	bc1f 1, back
	bc1tl 2, fwd
	bc1fl fwd
fwd:	# moves
	mfc1 $t0, $f1
	mtc1 $t0, $f1
	mtc1 $t1 $0
	cfc1 $t2, $31
	ctc1 $t2, $31
	cfc1 $t3, $0
	movf $t0, $t1, 0
	movt $t0, $t1, 7
	movf.s $f0, $f1, 2
	movt.s $f0, $f1, 3
	movf.d $f0, $f2, 4
	movt.d $f0, $f2, 5
	movz.s $f0, $f1, $t0
	movn.s $f0, $f1, $t0
	movz.d $f0, $f2, $t1
	movn.d $f0, $f2, $t1
	# memory
	lwc1 $f0, one
	swc1 $f0, 4($sp)
	ldc1 $f2, pi
	sdc1 $f2, -8($sp)
	lwc1 $f4, 100000($t2)
	# pseudo-instructions
	l.s $f0, vals+4
	l.s $f1, ($t0)
	l.d $f2, dvals
	l.d $f4, pi($t1)
	s.s $f0, 0x10010000
	s.d $f2, 16($sp)
	li.s $f6, 1.5
	li.s $f7, 0.1
	li.d $f8, -2.5
	li.d $f10, 1e300
	mfc1.d $t0, $f2
	mtc1.d $t2, $f4
	jr $ra
