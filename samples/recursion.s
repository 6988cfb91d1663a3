# recursion.s -- recursive factorial and Fibonacci with a real stack frame:
# each call saves $ra and its argument on the stack, as a course teaches.
# Prints n! for n = 0..12 and fib(n) for n = 0..20.
# Run: build/myvmm -v samples/recursion.s
	.data
s_fact:	.asciiz	"! = "
s_fib:	.asciiz	"fib("
s_eq:	.asciiz	") = "
	.text
main:	addiu	$sp, $sp, -12
	sw	$ra, 8($sp)
	sw	$s0, 4($sp)
	li	$s0, 0
floop:	move	$a0, $s0		# print "n! = fact(n)"
	li	$v0, 1
	syscall
	la	$a0, s_fact
	li	$v0, 4
	syscall
	move	$a0, $s0
	jal	fact
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	addiu	$s0, $s0, 1
	ble	$s0, 12, floop

	li	$s0, 0
gloop:	la	$a0, s_fib
	li	$v0, 4
	syscall
	move	$a0, $s0
	li	$v0, 1
	syscall
	la	$a0, s_eq
	li	$v0, 4
	syscall
	move	$a0, $s0
	jal	fib
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	addiu	$s0, $s0, 1
	ble	$s0, 20, gloop
	lw	$s0, 4($sp)
	lw	$ra, 8($sp)
	addiu	$sp, $sp, 12
	jr	$ra

# fact(n) = n <= 1 ? 1 : n * fact(n - 1)
fact:	addiu	$sp, $sp, -8
	sw	$ra, 4($sp)
	sw	$a0, 0($sp)
	li	$v0, 1
	ble	$a0, 1, fact_ret
	addiu	$a0, $a0, -1
	jal	fact
	lw	$a0, 0($sp)
	mul	$v0, $v0, $a0
fact_ret:
	lw	$ra, 4($sp)
	addiu	$sp, $sp, 8
	jr	$ra

# fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)
fib:	addiu	$sp, $sp, -12
	sw	$ra, 8($sp)
	sw	$s0, 4($sp)
	sw	$a0, 0($sp)
	move	$v0, $a0
	blt	$a0, 2, fib_ret
	addiu	$a0, $a0, -1
	jal	fib
	move	$s0, $v0
	lw	$a0, 0($sp)
	addiu	$a0, $a0, -2
	jal	fib
	addu	$v0, $v0, $s0
fib_ret:
	lw	$s0, 4($sp)
	lw	$ra, 8($sp)
	addiu	$sp, $sp, 12
	jr	$ra
