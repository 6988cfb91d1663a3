# include_macros.asm -- macros defined in an included file serve after the
# .include, called with and without parentheses.
	.include "inc/macros.asm"
	.data
hello:	.asciiz "hello from an included macro\n"
	.text
	print_str (hello)
	li	$s0, 42
	print_int	$s0
	print_str(hello)
	exit
