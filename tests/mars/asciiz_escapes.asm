# asciiz_escapes.asm -- escapes in .ascii/.asciiz: \t \" \\ \' \n \r \0;
# a \0 inside a string ends print_string there; .ascii has no NUL, so it
# runs into the next string.
	.data
s:	.asciiz	"a\tb\"c\\d\'e\nf\rg\0hidden"
t:	.ascii	"no nul, "
u:	.asciiz	"then this\n"
	.text
	la	$a0, s
	li	$v0, 4
	syscall
	li	$a0, '|'
	li	$v0, 11
	syscall
	la	$a0, s+14		# just after the \0: "hidden"
	li	$v0, 4
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	la	$a0, t
	li	$v0, 4
	syscall
	la	$t0, u			# the string lengths, from label distances
	la	$t1, s
	subu	$a0, $t0, $t1
	li	$v0, 1
	syscall
