# state.s -- a little of every kind of machine state, then a snapshot:
# registers, HI/LO, a heap page, console input read but not yet consumed,
# an unfinished output line, and the virtual clock
# (docs/tour/03-machine-state.md).
	.data
msg:	.asciiz	"answer so far: "
	.text
main:	li	$s0, 0x1234
	li	$t0, 6
	li	$t1, 7
	mult	$t0, $t1		# HI:LO = 42
	li	$a0, 4096
	li	$v0, 9			# sbrk: one page of heap
	syscall
	sw	$s0, 0($v0)		# touch it
	li	$v0, 12			# read one character; the rest of the line stays queued
	syscall
	move	$s1, $v0
	la	$a0, msg		# an unfinished line
	li	$v0, 4
	syscall
	SNAPSHOT state.snap
	mflo	$a0
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
