# print_string.asm -- syscall 4 on an empty string, a string in the middle
# of another (la label+offset) and consecutive .asciiz strings.
	.data
empty:	.asciiz	""
greet:	.asciiz	"hello, world\n"
a:	.asciiz	"one "
b:	.asciiz	"two\n"
	.text
	li	$v0, 4
	la	$a0, empty
	syscall
	la	$a0, greet
	syscall
	la	$a0, greet+7
	syscall
	la	$a0, a
	syscall
	la	$a0, b
	syscall
