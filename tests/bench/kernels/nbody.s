# kernels/nbody.s -- floating-point kernel: an n-body step in double
# precision.  Four bodies (x y z vx vy vz m, 56 bytes each) attract each
# other: for each pair, d = pi - pj, d2 = |d|^2, mag = dt / (d2 sqrt(d2)),
# vi -= d mj mag, vj += d mi mag; then every position moves by dt v.  The
# checksum is the sum of all coordinates after @size steps, times 10^6,
# truncated to a word.  c/nbody.c does the same operations in the same
# order, so every system prints the same checksum.
	.data
	.align	3
nb_c:	.double	0.001, 1000000.0		# dt, checksum scale
nb_b:	.double	0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0
	.double	1.0, 0.0, 0.0, 0.0, 3.0, 0.0, 0.1
	.double	0.0, 2.0, 0.0, -2.2, 0.0, 0.1, 0.2
	.double	-3.0, 0.0, 0.5, 0.0, -1.8, 0.0, 0.05
nb_n:	.word	20000		# @size: steps
	.text
	.globl	kernel
kernel:
	la	$t0, nb_c
	ldc1	$f28, 0($t0)		# dt
	la	$t8, nb_b		# the first body
	addiu	$t7, $t8, 224		# past the last
	lw	$t9, 224($t8)		# steps
nb_step:
	move	$t1, $t8		# body i
nb_i:
	addiu	$t2, $t1, 56		# body j > i
	beq	$t2, $t7, nb_inext
nb_j:
	ldc1	$f0, 0($t1)
	ldc1	$f2, 0($t2)
	sub.d	$f0, $f0, $f2		# dx
	ldc1	$f2, 8($t1)
	ldc1	$f4, 8($t2)
	sub.d	$f2, $f2, $f4		# dy
	ldc1	$f4, 16($t1)
	ldc1	$f6, 16($t2)
	sub.d	$f4, $f4, $f6		# dz
	mul.d	$f6, $f0, $f0
	mul.d	$f8, $f2, $f2
	add.d	$f6, $f6, $f8
	mul.d	$f8, $f4, $f4
	add.d	$f6, $f6, $f8		# d2
	sqrt.d	$f8, $f6
	mul.d	$f8, $f6, $f8
	div.d	$f8, $f28, $f8		# mag = dt / (d2 * sqrt(d2))
	ldc1	$f10, 48($t2)
	mul.d	$f10, $f10, $f8		# mj * mag
	ldc1	$f12, 48($t1)
	mul.d	$f12, $f12, $f8		# mi * mag
	ldc1	$f14, 24($t1)
	mul.d	$f16, $f0, $f10
	sub.d	$f14, $f14, $f16
	sdc1	$f14, 24($t1)
	ldc1	$f14, 32($t1)
	mul.d	$f16, $f2, $f10
	sub.d	$f14, $f14, $f16
	sdc1	$f14, 32($t1)
	ldc1	$f14, 40($t1)
	mul.d	$f16, $f4, $f10
	sub.d	$f14, $f14, $f16
	sdc1	$f14, 40($t1)
	ldc1	$f14, 24($t2)
	mul.d	$f16, $f0, $f12
	add.d	$f14, $f14, $f16
	sdc1	$f14, 24($t2)
	ldc1	$f14, 32($t2)
	mul.d	$f16, $f2, $f12
	add.d	$f14, $f14, $f16
	sdc1	$f14, 32($t2)
	ldc1	$f14, 40($t2)
	mul.d	$f16, $f4, $f12
	add.d	$f14, $f14, $f16
	sdc1	$f14, 40($t2)
	addiu	$t2, $t2, 56
	bne	$t2, $t7, nb_j
nb_inext:
	addiu	$t1, $t1, 56
	bne	$t1, $t7, nb_i
	move	$t1, $t8		# positions += dt * v
nb_p:
	ldc1	$f0, 0($t1)
	ldc1	$f2, 24($t1)
	mul.d	$f2, $f28, $f2
	add.d	$f0, $f0, $f2
	sdc1	$f0, 0($t1)
	ldc1	$f0, 8($t1)
	ldc1	$f2, 32($t1)
	mul.d	$f2, $f28, $f2
	add.d	$f0, $f0, $f2
	sdc1	$f0, 8($t1)
	ldc1	$f0, 16($t1)
	ldc1	$f2, 40($t1)
	mul.d	$f2, $f28, $f2
	add.d	$f0, $f0, $f2
	sdc1	$f0, 16($t1)
	addiu	$t1, $t1, 56
	bne	$t1, $t7, nb_p
	addiu	$t9, $t9, -1
	bne	$t9, $zero, nb_step
	mtc1	$zero, $f0		# the checksum: sum of every coordinate
	mtc1	$zero, $f1
	move	$t1, $t8
nb_s:
	ldc1	$f2, 0($t1)
	add.d	$f0, $f0, $f2
	ldc1	$f2, 8($t1)
	add.d	$f0, $f0, $f2
	ldc1	$f2, 16($t1)
	add.d	$f0, $f0, $f2
	addiu	$t1, $t1, 56
	bne	$t1, $t7, nb_s
	ldc1	$f2, 8($t0)
	mul.d	$f0, $f0, $f2
	trunc.w.d $f0, $f0
	mfc1	$v0, $f0
	jr	$ra
