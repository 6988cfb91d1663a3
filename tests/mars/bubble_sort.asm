# bubble_sort.asm -- reads a count and that many integers (syscall 5) into
# a .space array, sorts them, prints them.
	.data
arr:	.space	80
prompt:	.asciiz	"sorted:"
	.text
	li	$v0, 5
	syscall
	move	$s0, $v0		# n
	li	$t0, 0
rd:	bge	$t0, $s0, rdd
	li	$v0, 5
	syscall
	sll	$t1, $t0, 2
	sw	$v0, arr($t1)
	addi	$t0, $t0, 1
	j	rd
rdd:	addi	$s1, $s0, -1		# passes
outer:	blez	$s1, sorted
	li	$t0, 0
inner:	bge	$t0, $s1, idone
	sll	$t1, $t0, 2
	lw	$t2, arr($t1)
	lw	$t3, arr+4($t1)
	ble	$t2, $t3, noswap
	sw	$t3, arr($t1)
	sw	$t2, arr+4($t1)
noswap:	addi	$t0, $t0, 1
	j	inner
idone:	addi	$s1, $s1, -1
	j	outer
sorted:	la	$a0, prompt
	li	$v0, 4
	syscall
	li	$t0, 0
pr:	bge	$t0, $s0, done
	li	$a0, ' '
	li	$v0, 11
	syscall
	sll	$t1, $t0, 2
	lw	$a0, arr($t1)
	li	$v0, 1
	syscall
	addi	$t0, $t0, 1
	j	pr
done:	li	$a0, '\n'
	li	$v0, 11
	syscall
