# commas.s: SPIM (and MARS) skip commas like blanks: right after the
# mnemonic, with or without a blank, doubled, at the end of the operands,
# after a label and after a directive.
	.data,
msg:	.asciiz, "commas\n"
nums:	.word, 1,,2, 3,
	.text
main:
	la, $a0, msg
	li, $v0, 4
	syscall
	li ,$s0 5
	addi,$s0,,$s0,1,
	lw, $t0, nums+8
	add $s0 $s0, $t0
loop:,	addi, $s0, $s0, -1
	bgtz, $s0, done
	b, loop
done:	move, $a0, $s0
	li,$v0,1
	syscall
	li $a0 10
	li $v0 11
	syscall
	jr, $ra
