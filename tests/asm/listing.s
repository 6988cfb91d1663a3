# listing.s: a small program whose listing (babyasm -l) is checked by
# tests/e2e/asm_listing.sh: start-up code, pseudo-instructions, data.
	.data
msg:	.asciiz "sum = "
vals:	.word 3, 4, 5:2
	.text
main:	la $t0, vals		# address of the array
	li $t1, 4		# count
	move $t2, $zero
loop:	lw $t3, 0($t0)
	addu $t2, $t2, $t3
	addi $t0, $t0, 4
	subi $t1, $t1, 1
	bgtz $t1, loop
	li $v0, 4
	la $a0, msg
	syscall
	move $a0, $t2
	li $v0, 1
	syscall
	jr $ra
