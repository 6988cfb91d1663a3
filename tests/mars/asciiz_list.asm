# asciiz_list.asm -- several strings in one .asciiz (each gets its NUL)
# and in one .ascii (none), walked with the string lengths.
	.data
names:	.asciiz	"ann", "bo", "cy"
raw:	.ascii	"ab", "cd"
	.byte	0
	.text
	la	$s0, names
	li	$s1, 3
next:	move	$a0, $s0
	li	$v0, 4
	syscall
	li	$a0, ','
	li	$v0, 11
	syscall
skip:	lb	$t0, 0($s0)		# to the byte after this string's NUL
	addi	$s0, $s0, 1
	bnez	$t0, skip
	addi	$s1, $s1, -1
	bnez	$s1, next
	la	$a0, raw
	li	$v0, 4
	syscall
