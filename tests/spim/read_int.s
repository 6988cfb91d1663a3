# read_int.s -- syscall 5 reads a whole line and converts it like atol:
# "3 4" gives 3 (the 4 is lost with the rest of the line), leading blanks
# and a sign are accepted, junk gives 0, and end of input gives 0.
	.text
main:	li	$s0, 8			# read more numbers than the input has
	li	$s1, 0			# their sum
loop:	li	$v0, 5
	syscall
	addu	$s1, $s1, $v0
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	addiu	$s0, $s0, -1
	bgtz	$s0, loop
	move	$a0, $s1
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$v0, 10
	syscall
