# string_ops.asm -- byte loops over a string: upper-case it in place,
# reverse it into a .space buffer, count the vowels.
	.data
s:	.asciiz	"Hello, MIPS world"
rev:	.space	32
vow:	.asciiz	"aeiouAEIOU"
	.text
	la	$t0, s
up:	lb	$t1, 0($t0)
	beqz	$t1, upd
	blt	$t1, 'a', upn
	bgt	$t1, 'z', upn
	subi	$t1, $t1, 32
	sb	$t1, 0($t0)
upn:	addi	$t0, $t0, 1
	j	up
upd:	la	$a0, s
	li	$v0, 4
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	la	$t1, s			# $t0 is at the NUL: copy backwards
	la	$t2, rev
rv:	beq	$t0, $t1, rvd
	addi	$t0, $t0, -1
	lb	$t3, 0($t0)
	sb	$t3, 0($t2)
	addi	$t2, $t2, 1
	j	rv
rvd:	sb	$zero, 0($t2)
	la	$a0, rev
	li	$v0, 4
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	li	$s0, 0			# vowels in the reversed string
	la	$t0, rev
cv:	lb	$t1, 0($t0)
	beqz	$t1, cvd
	la	$t2, vow
cw:	lb	$t3, 0($t2)
	beqz	$t3, cn
	bne	$t3, $t1, cwn
	addi	$s0, $s0, 1
	j	cn
cwn:	addi	$t2, $t2, 1
	j	cw
cn:	addi	$t0, $t0, 1
	j	cv
cvd:	move	$a0, $s0
	li	$v0, 1
	syscall
