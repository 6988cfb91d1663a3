# fp_convert.s: cvt.s.d cvt.s.w cvt.d.s cvt.d.w cvt.w.s cvt.w.d and
# round/trunc/ceil/floor.w.s/.d, at ties, negatives, and out of range
# (1.0e10, infinity, NaN: the words are printed as integers).
	.data
svals:	.float 2.5, -2.5, 1.5, -1.5, 0.5, 2.7, -2.7, 1.0e10
	.word 0x7f800000, 0xff800000, 0x7fc00000	# +inf, -inf, NaN
dvals:	.double 2.5, -2.5, 1.5, -1.5, 0.5, 2.7, -2.7, 1.0e10
	.word 0, 0x7ff00000, 0, 0xfff00000, 0, 0x7ff80000	# +inf, -inf, NaN
ints:	.word 0, 1, -1, 16777217, -2147483648, 2147483647
nl:	.asciiz "\n"
sp:	.asciiz " "
	.text
main:
	addiu $sp, $sp, -4
	sw $ra, 0($sp)
	# single -> word, each way of rounding; and single -> double
	la $s0, svals
	li $s1, 11
s_loop:
	l.s $f0, 0($s0)
	cvt.w.s $f2, $f0
	jal word2
	round.w.s $f2, $f0
	jal word2
	trunc.w.s $f2, $f0
	jal word2
	ceil.w.s $f2, $f0
	jal word2
	floor.w.s $f2, $f0
	jal word2
	cvt.d.s $f12, $f0
	jal showd
	addiu $s0, $s0, 4
	addiu $s1, $s1, -1
	bnez $s1, s_loop
	# double -> word, each way; and double -> single
	la $s0, dvals
	li $s1, 11
d_loop:
	l.d $f0, 0($s0)
	cvt.w.d $f2, $f0
	jal word2
	round.w.d $f2, $f0
	jal word2
	trunc.w.d $f2, $f0
	jal word2
	ceil.w.d $f2, $f0
	jal word2
	floor.w.d $f2, $f0
	jal word2
	cvt.s.d $f12, $f0
	jal shows
	addiu $s0, $s0, 8
	addiu $s1, $s1, -1
	bnez $s1, d_loop
	# word -> single and double
	la $s0, ints
	li $s1, 6
w_loop:
	lwc1 $f0, 0($s0)
	cvt.s.w $f12, $f0
	jal shows
	cvt.d.w $f12, $f0
	jal showd
	addiu $s0, $s0, 4
	addiu $s1, $s1, -1
	bnez $s1, w_loop
	lw $ra, 0($sp)
	addiu $sp, $sp, 4
	jr $ra

# print the word in $f2, then a blank
word2:
	mfc1 $a0, $f2
	li $v0, 1
	syscall
	la $a0, sp
	li $v0, 4
	syscall
	jr $ra

# print $f12 as a float and its bits
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

# print $f12:$f13 as a double and its high and low words
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
