# directives.s -- data directives and assembler syntax: .word/.half/.byte
# with value:count repeats, .ascii/.asciiz escapes, .space, .align, .globl,
# .extern, labels used as .word values, registers by number and by name,
# optional commas, character literals, hex/negative immediates.
	.globl	main
	.extern	ext_buf 16
	.data
w3:	.word	7:3			# three words of 7
h4:	.half	-2:4
b5:	.byte	0x41:5
	.byte	0
str:	.ascii	"ab\tc\"de"		# no terminator: runs into the next string
str2:	.asciiz	"\n"
gap:	.space	3
	.align	2
aligned: .word	gap, str		# label values
b1:	.byte	1
	.align	3
al8:	.word	0x01020304
	.half	1, 2, 3
	.byte	'z', 'Z'
	.align	2
ext_buf: .space	16		# the object .extern declared
	.text
pi:	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	jr	$ra

main:	move	$s7, $ra
	# .word value:count and friends
	la	$s0, w3
	lw	$a0, 0($s0)
	jal	pi
	lw	$a0, 8($s0)
	jal	pi
	lh	$a0, h4+6
	jal	pi
	la	$a0, b5			# AAAAA then the NUL
	li	$v0, 4
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	# the layout: offsets of the labels from w3
	la	$t0, h4
	subu	$a0, $t0, $s0
	jal	pi
	la	$t0, b5
	subu	$a0, $t0, $s0
	jal	pi
	la	$t0, str
	subu	$a0, $t0, $s0
	jal	pi
	la	$t0, gap
	subu	$a0, $t0, $s0
	jal	pi
	la	$t0, aligned
	subu	$a0, $t0, $s0
	jal	pi
	la	$t0, al8
	subu	$a0, $t0, $s0
	jal	pi
	andi	$a0, $t0, 7		# .align 3 gives a multiple of 8
	jal	pi
	# a label stored as a word is that label's address
	lw	$t1, aligned
	la	$t2, gap
	subu	$a0, $t1, $t2
	jal	pi
	lw	$t1, aligned+4
	la	$t2, str
	subu	$a0, $t1, $t2
	jal	pi
	lbu	$a0, al8+10
	jal	pi
	lbu	$a0, al8+11
	jal	pi
	lh	$a0, al8+8
	jal	pi
	# the strings with their escapes
	la	$a0, str
	li	$v0, 4
	syscall
	# the .extern object is writable memory
	la	$t0, ext_buf
	li	$t1, 99
	sw	$t1, 0($t0)
	lw	$a0, ext_buf
	jal	pi
	# registers by number and by name, optional commas, hex and negative immediates
	li	$8 0x10
	addiu	$t1 $8 -0x3
	addu	$4, $9, $zero
	jal	pi
	ori	$a0 $0 0xABC
	jal	pi
	addi	$a0, $zero, 'a'
	jal	pi
	li	$2, 11
	li	$4, 10
	syscall
	jr	$s7
