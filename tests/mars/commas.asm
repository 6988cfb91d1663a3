# commas.asm -- MARS, like SPIM, takes a comma as a blank: right after the
# mnemonic, doubled, at the end, after a label or a directive.
	.data,
msg:	.asciiz, "commas\n"
nums:	.word, 1,,2, 3,
	.text
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
