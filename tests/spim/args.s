# args.s -- program arguments: SPIM's start-up code passes argc in $a0
# and argv in $a1 (argv[0] is the program file), as main(argc, argv).
# Prints argc, then each argument with its length.
	.text
main:	move	$s0, $a0		# argc
	move	$s1, $a1		# argv
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$s2, 0
next:	bge	$s2, $s0, done
	sll	$t0, $s2, 2
	addu	$t0, $s1, $t0
	lw	$s3, 0($t0)		# argv[i]
	move	$a0, $s3
	li	$v0, 4
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	move	$t1, $s3		# strlen
	li	$a0, 0
sl:	lbu	$t2, 0($t1)
	beqz	$t2, sle_
	addiu	$a0, $a0, 1
	addiu	$t1, $t1, 1
	b	sl
sle_:	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	addiu	$s2, $s2, 1
	b	next
done:	li	$v0, 10
	syscall
