# eqv_names.asm -- .eqv for constants, a register name and a syscall
# number, also inside directives (.space) and macro arguments.
.eqv	N		6
.eqv	BYTES		24
.eqv	idx		$s1
.eqv	SYS_PRINT_INT	1
.eqv	SYS_PRINT_CHAR	11
	.data
arr:	.space	BYTES
	.text
	li	idx, 0
fill:	sll	$t0, idx, 2
	mul	$t1, idx, idx
	sw	$t1, arr($t0)
	addi	idx, idx, 1
	blt	idx, N, fill
	li	idx, 0
show:	sll	$t0, idx, 2
	lw	$a0, arr($t0)
	li	$v0, SYS_PRINT_INT
	syscall
	li	$a0, ' '
	li	$v0, SYS_PRINT_CHAR
	syscall
	addi	idx, idx, 1
	blt	idx, N, show
