# read_char.asm -- syscall 12 twice on the input "ab\ncd\n": prints
# each character's code.
	.text
	li	$s0, 2
loop:	li	$v0, 12
	syscall
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	addi	$s0, $s0, -1
	bnez	$s0, loop
