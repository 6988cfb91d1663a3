# syscalls.s -- the output syscalls and sbrk: print_int (1) of extreme
# values, print_string (4), print_char (11: only the low byte counts),
# sbrk (9: returns the old break, sizes rounded up to a multiple of 4,
# SPIM's first break 0x10020000), then exit2 (17) with status 3.
	.data
ints:	.word	0, 1, -1, 2147483647, -2147483648, 1000000
hello:	.asciiz	"hello, world\n"
empty:	.asciiz	""
	.text
main:	li	$s0, 0
pl:	sll	$t0, $s0, 2
	lw	$a0, ints($t0)
	li	$v0, 1
	syscall
	li	$a0, 0x120		# low byte 0x20: a space
	li	$v0, 11
	syscall
	addiu	$s0, $s0, 1
	blt	$s0, 6, pl
	li	$a0, 0x30a		# low byte: newline
	li	$v0, 11
	syscall
	la	$a0, empty
	li	$v0, 4
	syscall
	la	$a0, hello
	li	$v0, 4
	syscall
	# sbrk: the first break, then 5 bytes (rounded to 8), then 0
	li	$a0, 16
	li	$v0, 9
	syscall
	move	$s1, $v0
	move	$a0, $v0
	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	li	$a0, 5
	li	$v0, 9
	syscall
	subu	$a0, $v0, $s1		# 16
	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	li	$a0, 0
	li	$v0, 9
	syscall
	move	$s2, $v0
	subu	$a0, $v0, $s1		# 16 + 8
	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	# heap memory is usable: store and load back
	li	$t0, 0x5a5a
	sw	$t0, 0($s1)
	sw	$t0, 20($s1)
	lw	$a0, 20($s1)
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$a0, 3
	li	$v0, 17
	syscall
	li	$a0, 99			# not reached
	li	$v0, 1
	syscall
