# wait_exit.s: reads an int, then exits with it (QMP's SHUTDOWN event)
	.text
main:	li	$v0, 5			# read_int
	syscall
	move	$a0, $v0
	li	$v0, 17			# exit2
	syscall
