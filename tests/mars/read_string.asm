# read_string.asm -- syscall 8 with a buffer large enough for the line:
# the line and its newline come back, then a NUL.
	.data
buf:	.space	32
	.text
	li	$s0, 2
loop:	la	$a0, buf
	li	$a1, 32
	li	$v0, 8
	syscall
	li	$a0, '['
	li	$v0, 11
	syscall
	la	$a0, buf
	li	$v0, 4
	syscall
	li	$a0, ']'
	li	$v0, 11
	syscall
	addi	$s0, $s0, -1
	bnez	$s0, loop
