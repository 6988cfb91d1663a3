# read_char.s -- syscall 12 returns one character at a time (newlines
# included) and 10 at end of input.  Reads more characters than the input
# holds and prints each code, then interleaves read_char with read_int.
	.text
main:	li	$s0, 9
loop:	li	$v0, 12
	syscall
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	addiu	$s0, $s0, -1
	bnez	$s0, loop
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$v0, 10
	syscall
