# char_literals.asm -- character literals as immediates: in li, addi,
# comparisons, .byte and .word, including the escapes '\n' '\t' '\\' '\''
# '\0' and '"'.
	.data
chars:	.byte	'x', 'y', '\n'
	.align	2
codes:	.word	'\\', '\'', '\0', '"', '\t'
	.text
	li	$t0, 'a'
	addi	$t0, $t0, 1		# 'a' + 1 = 'b'
	move	$a0, $t0
	li	$v0, 11
	syscall
	lb	$a0, chars
	syscall
	lb	$a0, chars+1
	syscall
	lb	$a0, chars+2
	syscall
	li	$s0, 0
loop:	sll	$t1, $s0, 2
	lw	$a0, codes($t1)
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	addi	$s0, $s0, 1
	blt	$s0, 5, loop
	li	$t2, 'q'
	beq	$t2, 'q', yes
	li	$a0, 'N'
	j	out
yes:	li	$a0, 'Y'
out:	li	$v0, 11
	syscall
