# ri.s -- executing a word that is not an instruction (opcode 0x3f).
# fault-kind: RI|[Rr]eserved instruction|[Ii]llegal instruction
# fault-stdout: 1
# fault-spim: no (SPIM 8.0 does not execute a .word in .text)
	.text
main:	li	$a0, 1
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
bad:	.word	0xfc000000		# FAULT
	jr	$ra
