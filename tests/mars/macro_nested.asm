# macro_nested.asm -- a macro whose body uses other macros, passing its own
# parameters down, and a macro with a loop label expanded inside another.
.macro	putc(%c)
	li	$a0, %c
	li	$v0, 11
	syscall
.end_macro
.macro	puti(%r)
	move	$a0, %r
	li	$v0, 1
	syscall
.end_macro
.macro	show(%name, %r)
	putc(%name)
	putc('=')
	puti(%r)
	putc('\n')
.end_macro
# %r = %r * %r, by repeated addition (a local loop label)
.macro	square(%r)
	move	$t8, %r
	li	$t9, 0
sq:	add	$t9, $t9, %r
	addi	$t8, $t8, -1
	bgtz	$t8, sq
	move	%r, $t9
.end_macro
.macro	square_show(%name, %r)
	square(%r)
	show(%name, %r)
.end_macro
	.text
	li	$s0, 7
	show('a', $s0)
	square_show('b', $s0)
	square_show('c', $s0)
