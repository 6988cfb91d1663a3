# set_pseudo.asm -- slt/sltu/slti/sltiu and the set pseudo-instructions
# seq, sne, sge, sgt, sle, sgeu, sgtu, sleu, with registers and immediates.
.macro	pr(%r)
	move	$a0, %r
	li	$v0, 1
	syscall
.end_macro
	.text
	li	$t0, -2
	li	$t1, 9
	slt	$t2, $t0, $t1
	pr($t2)
	sltu	$t2, $t0, $t1
	pr($t2)
	slti	$t2, $t0, -1
	pr($t2)
	sltiu	$t2, $t1, 10
	pr($t2)
	seq	$t2, $t1, 9
	pr($t2)
	sne	$t2, $t0, $t1
	pr($t2)
	sge	$t2, $t0, $t1
	pr($t2)
	sgt	$t2, $t1, -5
	pr($t2)
	sle	$t2, $t1, $t1
	pr($t2)
	sgeu	$t2, $t0, $t1
	pr($t2)
	sgtu	$t2, $t1, $t0
	pr($t2)
	sleu	$t2, $t0, 3
	pr($t2)
