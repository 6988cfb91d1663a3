# A program for SPIM's bare machine (spim -bare; babyasm --bare): machine
# instructions only, addresses built with lui and ori (.data starts at
# 0x10000000 there), $at used as an ordinary register, a nop
# (addu $0, $0, $0) after every branch and jump and no load's value used by
# the next instruction, so it runs the same with delay slots (SPIM's -bare)
# and without them; the three-operand div
# keeps its break out of the delay slot (babyasm) or has it swallowed by
# SPIM's default handler, which -bare's -quiet keeps silent (SPIM).
	.data
msg:	.asciiz "sum of 1..10 = "	# 0x10000000, 16 bytes
nl:	.asciiz "\n"			# 0x10000010
	.align 2
val:	.word 1234			# 0x10000014

	.text
	.globl main
main:	addu $s0, $ra, $0
	addu $t0, $0, $0	# the sum
	addiu $at, $0, 10	# $at counts down: no .set noat needed here
loop:	addu $t0, $t0, $at
	addiu $at, $at, -1
	bne $at, $0, loop
	addu $0, $0, $0
	addiu $v0, $0, 4	# print_str msg
	lui $a0, 0x1000
	syscall
	addiu $v0, $0, 1	# print_int sum
	addu $a0, $t0, $0
	syscall
	addiu $v0, $0, 4	# print_str nl
	lui $a0, 0x1000
	ori $a0, $a0, 0x10
	syscall
	lui $t1, 0x1000
	lw $a0, 0x14($t1)	# val
	addu $0, $0, $0
	addiu $v0, $0, 1	# print_int val
	syscall
	addiu $v0, $0, 4
	lui $a0, 0x1000
	ori $a0, $a0, 0x10
	syscall
	lui $t1, 0x1000
	lw $t1, 0x14($t1)
	addiu $t2, $0, 7
	div $a0, $t1, $t2	# the three-operand div the bare machine keeps
	addiu $v0, $0, 1	# print_int val / 7
	syscall
	addiu $v0, $0, 4
	lui $a0, 0x1000
	ori $a0, $a0, 0x10
	syscall
	jr $s0
	addu $0, $0, $0
