# exit_status.asm -- syscall 17 ends the program with the status in $a0,
# after some output without a final newline.
	.text
	li	$a0, 5
	li	$v0, 1
	syscall
	li	$a0, 42
	li	$v0, 17
	syscall
	li	$a0, 6			# never reached
	li	$v0, 1
	syscall
