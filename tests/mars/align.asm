# align.asm -- .align n pads to 2^n bytes after odd-sized data; .word
# aligns itself; the offsets of each label from the first are printed.
	.data
base:	.byte	1
w1:	.word	2			# aligned to 4 on its own
c:	.byte	3
	.align	3
d8:	.byte	4
	.align	1
h:	.half	5
s:	.asciiz	"abc"
w2:	.word	6
.macro	off(%l)
	la	$a0, %l
	subu	$a0, $a0, $s0
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
.end_macro
	.text
	la	$s0, base
	off(w1)
	off(c)
	off(d8)
	off(h)
	off(s)
	off(w2)
	lw	$a0, w2
	li	$v0, 1
	syscall
