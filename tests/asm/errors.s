# errors.s: several errors in one file; babyasm reports all of them, in
# source order, exits 1 and writes no image (tests/e2e/asm_errors.sh).
main:	addd $t0, $t1, $t2
	addi $t0, $t1
	lw $t0, nowhere
main:	li $v0, 10
	la $a0, "unterminated
	.ascii "bad \q escape"
	add $t0, ) $t1
	sll $t0, $t0, 40
	.byte 300
loop	add $t0, $t0, 1
	add $t0, $at, 1
	syscall
