# print_char.asm -- syscall 11 prints the low byte of $a0 only: the upper
# bits of 0x141 are dropped; a tab, a digit and a newline.
	.text
	li	$a0, 0x141
	li	$v0, 11
	syscall
	li	$a0, '\t'
	syscall
	li	$a0, '7'
	syscall
	li	$a0, 0x7a
	syscall
	li	$a0, '\n'
	syscall
