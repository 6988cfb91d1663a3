# read_string_long.asm -- syscall 8 with a line longer than the buffer:
# at most $a1-1 bytes come back; then what happens to the rest of the line
# shows in the next read.
	.data
buf:	.space	8
	.text
	li	$s0, 2
loop:	la	$a0, buf
	li	$a1, 6
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
