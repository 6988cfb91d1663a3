# read_int.asm -- syscall 5 on lines with a sign, leading blanks and a
# trailing blank; the numbers are summed and echoed.
	.text
	li	$s0, 4			# lines to read
	li	$s1, 0
loop:	li	$v0, 5
	syscall
	add	$s1, $s1, $v0
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	addi	$s0, $s0, -1
	bnez	$s0, loop
	move	$a0, $s1
	li	$v0, 1
	syscall
