# fp_mips.s -- where SPIM 8.0 is not MIPS, myvmm is MIPS: condition codes
# 1-7 of compares, conversions to word rounded as FCSR.RM says, round.w
# to nearest even, out of range giving 2^31 - 1, and the rounding modes.
	.data
nl:	.asciiz	"\n"
	.text
main:	li.s	$f0, 1.0
	li.s	$f1, 2.0
	c.lt.s	5, $f0, $f1		# cc 5 = 1 (SPIM sets a bit of its own)
	c.lt.s	6, $f1, $f0		# cc 6 = 0
	cfc1	$a0, $25		# FCCR: 32
	jal	pi
	li	$t0, 11
	li	$t1, 22
	movt	$t0, $t1, 5
	move	$a0, $t0		# 22
	jal	pi
	bc1t	6, wrong
	bc1t	5, right
wrong:	li	$a0, -1
	jal	pi
right:	li.s	$f2, 2.7
	cvt.w.s	$f3, $f2		# 3 (SPIM truncates: 2)
	mfc1	$a0, $f3
	jal	pi
	li.d	$f4, -2.5
	round.w.d $f6, $f4		# -2 (SPIM: (int)(x + 0.5) = -2)
	mfc1	$a0, $f6
	jal	pi
	li.d	$f4, 2.5
	round.w.d $f6, $f4		# 2, ties to even (SPIM: 3)
	mfc1	$a0, $f6
	jal	pi
	li.d	$f4, -2.3
	round.w.d $f6, $f4		# -2 (SPIM: -1)
	mfc1	$a0, $f6
	jal	pi
	li.d	$f4, 3.0e9
	cvt.w.d	$f6, $f4		# 2147483647 and Invalid (SPIM: -2147483648)
	mfc1	$a0, $f6
	jal	pi
	cfc1	$a0, $31		# flags Invalid and (cvt.w.s 2.7) Inexact: 0x44
	andi	$a0, $a0, 0xffff
	jal	pi
	li	$t0, 3			# toward minus infinity
	ctc1	$t0, $31
	li.d	$f4, -2.5
	cvt.w.d	$f6, $f4		# -3
	mfc1	$a0, $f6
	jal	pi
	li.s	$f0, 1.0
	li.s	$f1, 3.0
	div.s	$f12, $f0, $f1		# 1/3 rounded down
	li	$v0, 2
	syscall
	jal	newline
	li	$t0, 2			# toward plus infinity
	ctc1	$t0, $31
	div.s	$f12, $f0, $f1		# 1/3 rounded up
	li	$v0, 2
	syscall
	jal	newline
	li	$v0, 10
	syscall
pi:	li	$v0, 1
	syscall
newline:
	la	$a0, nl
	li	$v0, 4
	syscall
	jr	$ra
