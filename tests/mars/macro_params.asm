# macro_params.asm -- macro parameters that stand for a register, an
# immediate, a label and a string operand's address.
.macro	print_str(%label)
	la	$a0, %label
	li	$v0, 4
	syscall
.end_macro
.macro	add3(%dst, %a, %b, %imm)
	add	%dst, %a, %b
	addi	%dst, %dst, %imm
.end_macro
.macro	print_reg(%r)
	move	$a0, %r
	li	$v0, 1
	syscall
.end_macro
	.data
sum:	.asciiz	"sum = "
nl:	.asciiz	"\n"
	.text
	li	$t0, 20
	li	$t1, 22
	add3($s0, $t0, $t1, -2)
	print_str(sum)
	print_reg($s0)
	print_str(nl)
	add3($s1, $s0, $s0, 100)
	print_str(sum)
	print_reg($s1)
	print_str(nl)
