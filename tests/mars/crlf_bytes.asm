# crlf_bytes.asm -- real course files: CRLF line endings, tabs, and non-ASCII
# bytes in comments (UTF-8 Ã©Ã  â‚¬ and Latin-1 éÿ), which SPIM 8.0 can hang on.
	.data
msg:	.asciiz "caf\n"	# cafÃ©
	.text
main:	la	$a0, msg		# ÿþ
	li	$v0, 4
	syscall
	li	$a0, 42
	li	$v0, 1
	syscall
	li	$v0, 10
	syscall
