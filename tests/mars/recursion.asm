# recursion.asm -- recursive factorial and Fibonacci with stack frames
# ($ra and the argument saved on $sp), as course programs write them.
	.text
	li	$s0, 0
loop:	move	$a0, $s0
	jal	fact
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	addi	$s0, $s0, 1
	ble	$s0, 10, loop
	li	$a0, 15
	jal	fib
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$v0, 10
	syscall
# fact($a0) -> $v0
fact:	addi	$sp, $sp, -8
	sw	$ra, 4($sp)
	sw	$a0, 0($sp)
	li	$v0, 1
	blez	$a0, f_ret
	addi	$a0, $a0, -1
	jal	fact
	lw	$a0, 0($sp)
	mul	$v0, $v0, $a0
f_ret:	lw	$ra, 4($sp)
	addi	$sp, $sp, 8
	jr	$ra
# fib($a0) -> $v0
fib:	addi	$sp, $sp, -12
	sw	$ra, 8($sp)
	sw	$a0, 4($sp)
	move	$v0, $a0
	blt	$a0, 2, fb_ret
	addi	$a0, $a0, -1
	jal	fib
	sw	$v0, 0($sp)
	lw	$a0, 4($sp)
	addi	$a0, $a0, -2
	jal	fib
	lw	$t0, 0($sp)
	add	$v0, $v0, $t0
fb_ret:	lw	$ra, 8($sp)
	addi	$sp, $sp, 12
	jr	$ra
