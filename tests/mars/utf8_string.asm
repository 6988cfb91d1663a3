# utf8_string.asm -- a UTF-8 source with non-ASCII letters in a string:
# é (two bytes in UTF-8, one character in Latin-1) and € (three bytes, not
# in Latin-1); lb of the byte after "caf" and the string's length follow.
	.data
s:	.asciiz	"café €\n"
end:
	.text
	la	$a0, s
	li	$v0, 4
	syscall
	lb	$a0, s+3
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	la	$t0, end
	la	$t1, s
	subu	$a0, $t0, $t1
	li	$v0, 1
	syscall
