# cc_directives.s: directives that old MIPS compilers wrote and SPIM 8.0
# accepts and ignores (.repeat and .struct with a warning on stderr).
	.verstamp 3 18
	.data
msg:	.asciiz "ignored directives\n"
	.text
	.globl main
	.ent main
main:
	.frame $sp, 0, $ra
	.mask 0x00000000, 0
	.bgnb 1
	.alias $t0 $t1
	.noalias $t0 $t1
	.livereg 0x80000000 0
	.vreg $t0 1 2
	.lab here
	.asm0
	la $a0, msg
	li $v0, 4
	syscall
	.repeat 2
	.endr
	.struct 0
	.endb 1
	jr $ra
	.end main
