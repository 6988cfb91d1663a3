# include_eqv.asm -- two includes: one of constants (used in a directive
# and as an immediate), one of macros.
.include "inc/consts.asm"
.include "inc/print.asm"
	.data
buf:	.space	BUF_WORDS
	.text
	li	$t0, BUF_WORDS
	println_int($t0)
	li	$t0, GREETING_CHAR
	println_int($t0)
