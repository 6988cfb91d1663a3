# fp_memory.s: lwc1 swc1 ldc1 sdc1 and l.s l.d s.s s.d with every address
# form (label, label+n, label(reg), n(reg), (reg), a 32-bit address), li.s
# li.d, mfc1 mtc1 mfc1.d mtc1.d, and .float/.double data; every value is
# printed as its bits (print_int), so only the moves are tested here.
	.data
f1:	.float 1.25, -3.5, 6.0e-5, 123456.789
d1:	.double 2.5, -1.0e-300
buf:	.space 32
nl:	.asciiz "\n"
	.text
main:
	addiu $sp, $sp, -16
	sw $ra, 12($sp)
	# loads, every address form
	lwc1 $f0, f1
	jal show0
	l.s $f0, f1+4
	jal show0
	li $t0, 8
	l.s $f0, f1($t0)
	jal show0
	la $t1, f1
	lwc1 $f0, 12($t1)
	jal show0
	l.s $f0, ($t1)
	jal show0
	l.s $f0, 0x10010004
	jal show0
	ldc1 $f0, d1
	jal show01
	l.d $f0, d1+8
	jal show01
	li $t0, 8
	l.d $f0, d1($t0)
	jal show01
	la $t1, d1
	ldc1 $f0, 0($t1)
	jal show01
	# stores, every address form, read back with lw
	li.s $f2, 0.75
	swc1 $f2, buf
	s.s $f2, buf+4
	li $t0, 8
	s.s $f2, buf($t0)
	la $t1, buf
	swc1 $f2, 12($t1)
	li.d $f4, -6.25
	sdc1 $f4, buf+16
	s.d $f4, 24($t1)
	li $t2, 0
dump:	lw $a0, buf($t2)
	jal int
	addiu $t2, $t2, 4
	li $t3, 32
	bne $t2, $t3, dump
	jal newline
	# li.s / li.d values
	li.s $f0, 0.0
	jal show0
	li.s $f0, -0.1
	jal show0
	li.s $f0, 3.0e38
	jal show0
	li.d $f0, 0.1
	jal show01
	li.d $f0, -2.0e-308
	jal show01
	# moves between the register files
	li $t0, 0x40490fdb
	mtc1 $t0, $f6
	mfc1 $a0, $f6
	jal int
	li $t0, 0x54442d18
	li $t1, 0x400921fb
	mtc1.d $t0, $f8
	mfc1 $a0, $f8
	jal int
	mfc1 $a0, $f9
	jal int
	mfc1.d $t2, $f8
	move $a0, $t2
	jal int
	move $a0, $t3
	jal int
	li $v0, 3
	mov.d $f12, $f8
	syscall
	jal newline
	lw $ra, 12($sp)
	addiu $sp, $sp, 16
	jr $ra

show0:
	mfc1 $a0, $f0
	li $v0, 1
	syscall
	j newline
show01:
	mfc1 $a0, $f1
	li $v0, 1
	syscall
	li $a0, ' '
	li $v0, 11
	syscall
	mfc1 $a0, $f0
	li $v0, 1
	syscall
	j newline
int:
	li $v0, 1
	syscall
	li $a0, ' '
	li $v0, 11
	syscall
	jr $ra
newline:
	la $a0, nl
	li $v0, 4
	syscall
	jr $ra
