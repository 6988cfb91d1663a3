# include.asm -- .include pulls in another file's text at that point
# (the path is relative to this file's folder); its macros and .eqv
# names are then usable here.
.include "inc/print.asm"
	.data
nums:	.word	3, 1, 4, 1, 5, 9, 2, 6
	.text
main:	la	$t0, nums
	li	$t1, 0
	li	$s0, 0
sum:	lw	$t2, 0($t0)
	add	$s0, $s0, $t2
	addi	$t0, $t0, 4
	addi	$t1, $t1, 1
	blt	$t1, 8, sum
	println_int($s0)
	andi	$s1, $s0, 0x12340001	# MARS: a 32-bit immediate goes through $at
	println_int($s1)
	ori	$s1, $zero, 0x12340000
	println_int($s1)
	li	$v0, 10
	syscall
