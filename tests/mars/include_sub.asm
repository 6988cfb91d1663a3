# include_sub.asm -- an .include in the middle of the text: the included
# subroutine lands there, so the program jumps over it.
	.data
word:	.asciiz	"hypervisor"
	.text
	j	start
.include "inc/strlib.asm"
	.text
start:	la	$a0, word
	jal	strlen
	move	$a0, $v0
	li	$v0, 1
	syscall
