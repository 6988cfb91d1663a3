# eqv_macro.asm -- MARS conveniences SPIM rejects: .eqv constants, .macro
# with parameters and local labels, subi, character literals with escapes
# ('\n', '\t'), and no main: MARS starts at the first .text instruction and
# the program ends when it runs past its last instruction.
.eqv	PRINT_INT	1
.eqv	PRINT_CHAR	11
.eqv	COUNT		5

.macro	print_int(%r)
	move	$a0, %r
	li	$v0, PRINT_INT
	syscall
.end_macro

.macro	putc(%c)
	li	$a0, %c
	li	$v0, PRINT_CHAR
	syscall
.end_macro

# sum of 1..%n into %dst, with a label local to each expansion
.macro	sum_to(%dst, %n)
	li	%dst, 0
	li	$t9, %n
loop:	add	%dst, %dst, $t9
	subi	$t9, $t9, 1
	bgtz	$t9, loop
.end_macro

	.text
	li	$s0, COUNT
	print_int($s0)
	putc('\t')
	sum_to($s1, COUNT)
	print_int($s1)
	putc('\n')
	sum_to($s2, 100)		# a second expansion: its own loop label
	print_int($s2)
	putc('\n')
	subi	$s3, $s2, 5050
	print_int($s3)
	putc('\n')
	li	$t0, 'A'
	addi	$t0, $t0, 2
	print_int($t0)
	putc(' ')
	putc('Z')
	putc('\n')
