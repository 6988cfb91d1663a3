# random_seed.asm -- syscalls 40 and 41: two generators with their own
# seeds (one negative) interleave; reseeding generator 2 restarts its
# stream.
.macro	next(%id)
	li	$a0, %id
	li	$v0, 41
	syscall
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
.end_macro
.macro	seed(%id, %s)
	li	$a0, %id
	li	$a1, %s
	li	$v0, 40
	syscall
.end_macro
	.text
	seed(1, 42)
	seed(2, -99)
	next(1)
	next(2)
	next(1)
	next(2)
	seed(2, -99)
	next(2)
	next(2)
