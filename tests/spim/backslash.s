# backslash.s -- the "\\" escape in a string is one backslash byte.
# SPIM 8.0 stores both characters (a bug), so this program's output is
# pinned in backslash.expected instead of compared with spim's.
	.data
s:	.asciiz	"a\\b"
after:	.asciiz	"\n"
	.text
main:	la	$a0, s
	li	$v0, 4
	syscall
	la	$t0, after		# the string's length shows how it was stored
	la	$t1, s
	subu	$a0, $t0, $t1
	li	$v0, 1
	syscall
	la	$a0, after
	li	$v0, 4
	syscall
	jr	$ra
