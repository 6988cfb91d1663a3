# fp_signal_nan.s: the signalling compares (c.sf c.ngle c.seq c.ngl c.lt
# c.nge c.le c.ngt) with a quiet NaN.  MIPS sets the Invalid flag and, with
# the Invalid enable clear (the default), goes on; SPIM 8.0 raises the
# floating-point exception every time, and its exception handler prints
# "Exception 15 [Floating point] occurred and ignored" (README.md).
	.data
nan:	.word 0x7fc00000
one:	.float 1.0
	.text
main:
	l.s $f0, nan
	l.s $f2, one
	c.sf.s $f0, $f2
	jal tf
	c.ngle.s $f0, $f2
	jal tf
	c.seq.s $f2, $f0
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
	cvt.d.s $f4, $f0
	cvt.d.s $f6, $f2
	c.lt.d $f4, $f6
	jal tf
	c.ngt.d $f6, $f4
	jal tf
	li $a0, 10
	li $v0, 11
	syscall
	li $v0, 10
	syscall

tf:	li $a0, 'T'
	bc1t tf_out
	li $a0, 'F'
tf_out:	li $v0, 11
	syscall
	jr $ra
