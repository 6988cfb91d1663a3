# jump_table.s -- a switch statement compiled as a jump table: the case
# addresses are .word labels in .data, indexed by the operator and entered
# with jr.  Evaluates a small list of (op, a, b) triples; ops outside the
# table go to the default case.
	.data
table:	.word	case_add, case_sub, case_mul, case_div, case_rem
ops:	.word	0, 40, 2,   1, 40, 2,   2, 40, 2,   3, 40, 3,   4, 40, 3,   7, 1, 1,   2, -6, 7
nops:	.word	7
s_def:	.asciiz	"default"
	.text
main:	li	$s0, 0
loop:	mul	$t0, $s0, 12
	lw	$t1, ops($t0)		# op
	lw	$a1, ops+4($t0)
	lw	$a2, ops+8($t0)
	bltz	$t1, default
	bge	$t1, 5, default
	sll	$t1, $t1, 2
	lw	$t2, table($t1)
	jr	$t2
case_add: addu	$a0, $a1, $a2
	b	show
case_sub: subu	$a0, $a1, $a2
	b	show
case_mul: mul	$a0, $a1, $a2
	b	show
case_div: div	$a0, $a1, $a2
	b	show
case_rem: rem	$a0, $a1, $a2
	b	show
default: la	$a0, s_def
	li	$v0, 4
	syscall
	b	next
show:	li	$v0, 1
	syscall
next:	li	$a0, 10
	li	$v0, 11
	syscall
	addiu	$s0, $s0, 1
	lw	$t0, nops
	blt	$s0, $t0, loop
	li	$v0, 10
	syscall
