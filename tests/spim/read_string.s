# read_string.s -- syscall 8 behaves like fgets(buf, n): at most n-1
# characters, the newline is kept, a longer line stays queued for the next
# read, and at end of input the buffer is left empty.  Each read is shown
# between [ and ] with its length.
	.data
buf:	.space	64
lbr:	.asciiz	"["
rbr:	.asciiz	"] "
	.text
main:	move	$s7, $ra
	li	$s0, 8			# buffer sizes, one per read
	li	$s1, 8
	jal	rd
	li	$s1, 8
	jal	rd
	li	$s1, 8
	jal	rd
	li	$s1, 64
	jal	rd
	li	$s1, 2			# room for one character only
	jal	rd
	li	$s1, 64
	jal	rd
	li	$s1, 64
	jal	rd
	li	$s1, 64
	jal	rd			# end of input
	li	$s1, 64
	jal	rd
	jr	$s7

# rd: fill buf with 'x', read_string(buf, $s1), print [buf] and strlen
rd:	la	$t0, buf
	li	$t1, 0
	li	$t2, 'x'
fill:	sb	$t2, 0($t0)
	addiu	$t0, $t0, 1
	addiu	$t1, $t1, 1
	blt	$t1, 63, fill
	sb	$zero, 0($t0)
	la	$a0, buf
	move	$a1, $s1
	li	$v0, 8
	syscall
	la	$a0, lbr
	li	$v0, 4
	syscall
	# print up to the NUL, but at most $s1 characters
	la	$t0, buf
	li	$t3, 0
len:	lbu	$t1, 0($t0)
	beqz	$t1, lend
	bge	$t3, $s1, lend
	addiu	$t0, $t0, 1
	addiu	$t3, $t3, 1
	b	len
lend:	sb	$zero, 0($t0)
	la	$a0, buf
	li	$v0, 4
	syscall
	la	$a0, rbr
	li	$v0, 4
	syscall
	move	$a0, $t3
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
