# kernels/fib.s -- calls and returns: naive recursive Fibonacci, reps times.
#   chk = 0; repeat reps times: chk += fib(18)
#   fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)        (8361 calls each)
# Every bench kernel has this shape: entry label `kernel`, checksum in $v0,
# its size in the word marked @size (sizes: tests/bench/run.sh).
	.data
	.align	2
fib_reps: .word	80		# @size: repetitions of fib(18)
fib_arg: .word	18
	.text
	.globl	kernel
kernel:
	addiu	$sp, $sp, -12
	sw	$ra, 8($sp)
	sw	$s0, 4($sp)
	sw	$s1, 0($sp)
	la	$t0, fib_reps
	lw	$s0, 0($t0)		# repetitions left
	li	$s1, 0			# chk
fib_next:
	beq	$s0, $zero, fib_done
	la	$t0, fib_arg
	lw	$a0, 0($t0)
	jal	fib
	addu	$s1, $s1, $v0
	addiu	$s0, $s0, -1
	b	fib_next
fib_done:
	move	$v0, $s1
	lw	$s1, 0($sp)
	lw	$s0, 4($sp)
	lw	$ra, 8($sp)
	addiu	$sp, $sp, 12
	jr	$ra

fib:					# $v0 = fib($a0)
	sltiu	$t0, $a0, 2
	beq	$t0, $zero, fib_rec
	move	$v0, $a0
	jr	$ra
fib_rec:
	addiu	$sp, $sp, -12
	sw	$ra, 8($sp)
	sw	$a0, 4($sp)
	addiu	$a0, $a0, -1
	jal	fib			# fib(n - 1)
	sw	$v0, 0($sp)
	lw	$a0, 4($sp)
	addiu	$a0, $a0, -2
	jal	fib			# fib(n - 2)
	lw	$t0, 0($sp)
	addu	$v0, $v0, $t0
	lw	$ra, 8($sp)
	addiu	$sp, $sp, 12
	jr	$ra
