# kernels/mandel.s -- floating-point kernel: the Mandelbrot set in double
# precision.  For each point c of a 64 x 64 grid over [-2, 0.5) x
# (-1.25, 1.25], z = z^2 + c from 0, at most 64 times, until |z|^2 > 4;
# the checksum is the iterations of all points, over the repetitions.
# Same shape as the anchor kernels: entry `kernel`, checksum in $v0, size
# in the word marked @size.  c/mandel.c does the same operations in the
# same order, so every system prints the same checksum.
	.data
	.align	3
md_c:	.double	-2.0, 1.25, 0.0390625, 4.0	# x0, y0, step (2.5/64), escape
md_n:	.word	8		# @size: repetitions of the grid
	.text
	.globl	kernel
kernel:
	la	$t0, md_c
	ldc1	$f20, 0($t0)		# x0
	ldc1	$f22, 8($t0)		# y0
	ldc1	$f24, 16($t0)		# step
	ldc1	$f26, 24($t0)		# 4.0
	lw	$t9, 32($t0)		# repetitions
	li	$v0, 0			# checksum
	li	$t5, 64			# grid size and iteration limit
md_rep:
	li	$t1, 0			# row
md_row:
	mtc1	$t1, $f0
	cvt.d.w	$f0, $f0
	mul.d	$f0, $f0, $f24
	sub.d	$f2, $f22, $f0		# ci = y0 - row * step
	li	$t2, 0			# col
md_col:
	mtc1	$t2, $f0
	cvt.d.w	$f0, $f0
	mul.d	$f0, $f0, $f24
	add.d	$f4, $f20, $f0		# cr = x0 + col * step
	mtc1	$zero, $f6		# zr = 0
	mtc1	$zero, $f7
	mtc1	$zero, $f14		# zi = 0
	mtc1	$zero, $f15
	li	$t3, 0			# iterations
md_it:
	mul.d	$f8, $f6, $f6		# zr^2
	mul.d	$f10, $f14, $f14	# zi^2
	add.d	$f16, $f8, $f10
	c.lt.d	$f26, $f16		# 4 < |z|^2: out
	bc1t	md_out
	mul.d	$f18, $f6, $f14
	add.d	$f18, $f18, $f18	# 2 zr zi
	add.d	$f14, $f18, $f2		# zi = 2 zr zi + ci
	sub.d	$f6, $f8, $f10
	add.d	$f6, $f6, $f4		# zr = zr^2 - zi^2 + cr
	addiu	$t3, $t3, 1
	bne	$t3, $t5, md_it
md_out:
	addu	$v0, $v0, $t3
	addiu	$t2, $t2, 1
	bne	$t2, $t5, md_col
	addiu	$t1, $t1, 1
	bne	$t1, $t5, md_row
	addiu	$t9, $t9, -1
	bne	$t9, $zero, md_rep
	jr	$ra
