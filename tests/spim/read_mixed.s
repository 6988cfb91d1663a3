# read_mixed.s -- read_char, read_int and read_string share one input
# queue: a character taken by read_char is gone for the next read_int,
# and read_int takes the rest of the line with it.
	.data
buf:	.space	32
	.text
main:	li	$v0, 12			# '1'
	syscall
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	li	$v0, 5			# "23 rest" -> 23
	syscall
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	la	$a0, buf		# the next line, whole
	li	$a1, 32
	li	$v0, 8
	syscall
	la	$a0, buf
	li	$v0, 4
	syscall
	li	$v0, 12			# 'q'
	syscall
	move	$a0, $v0
	li	$v0, 11
	syscall
	li	$v0, 5			# rest of the line: "99"
	syscall
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$v0, 10
	syscall
