# no_main.asm -- no main label at all: MARS starts at the first .text
# instruction; subroutines follow the code that exits.
	.data
hi:	.asciiz	"start\n"
	.text
	la	$a0, hi
	li	$v0, 4
	syscall
	li	$a0, 9
	jal	twice
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$v0, 10
	syscall
twice:	add	$v0, $a0, $a0
	jr	$ra
