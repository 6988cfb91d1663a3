# read_int_junk.asm -- syscall 5 on a line that is not only a number
# ("12abc"), then on "+5".
	.text
	li	$v0, 5
	syscall
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	li	$v0, 5
	syscall
	move	$a0, $v0
	li	$v0, 1
	syscall
