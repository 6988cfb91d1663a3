# state.s -- touches every piece of VM state a snapshot carries, then
# SNAPSHOTs mid-line: registers, HI/LO, coprocessor 0 (Status, Compare,
# EPC), the heap break, memory pages, console input read but not
# consumed, an unfinished output line, the MMIO console registers, a MARS
# random generator, virtual sleep, and an open guest file.  Used by
# tests/e2e/snapshot_fixtures.sh with snapshots written by older myvmm.
	.data
fname:	.asciiz	"data.txt"
buf:	.space	32
msg:	.asciiz	"before "
after:	.asciiz	"after\n"
	.text
main:	li	$t0, 0x12345678
	li	$t1, 77
	mult	$t0, $t1		# HI/LO
	li	$a0, 64
	li	$v0, 9			# sbrk: the break moves
	syscall
	move	$s5, $v0
	sw	$t0, 0($s5)		# a heap page
	li	$a0, 1			# generator 1, seed 42
	li	$a1, 42
	li	$v0, 40
	syscall
	li	$a0, 1
	li	$a1, 1000
	li	$v0, 42			# one draw: the state moves
	syscall
	move	$s0, $a0
	li	$a0, 25
	li	$v0, 32			# virtual sleep
	syscall
	li	$t2, 1000000
	mtc0	$t2, $11		# Compare: the timer is armed
	li	$t2, 2			# receiver interrupt enable (MMIO)
	sw	$t2, 0xffff0000
	la	$a0, fname		# open data.txt, read 4 bytes
	li	$a1, 0
	li	$v0, 13
	syscall
	move	$s1, $v0
	move	$a0, $s1
	la	$a1, buf
	li	$a2, 4
	li	$v0, 14
	syscall
	li	$v0, 12			# read_char: the rest of the line stays queued
	syscall
	move	$s2, $v0
	la	$a0, msg		# an unfinished line
	li	$v0, 4
	syscall
	SNAPSHOT state.snap
	move	$a0, $s0		# after the restore: everything again
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	move	$a0, $s2
	li	$v0, 11
	syscall
	li	$v0, 12
	syscall
	move	$a0, $v0
	li	$v0, 11
	syscall
	li	$a0, 1
	li	$a1, 1000
	li	$v0, 42
	syscall
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	move	$a0, $s1		# 4 more bytes of the file
	la	$a1, buf
	li	$a2, 4
	li	$v0, 14
	syscall
	sb	$zero, buf+4
	la	$a0, buf
	li	$v0, 4
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	li	$v0, 30			# virtual time (low word)
	syscall
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	lw	$a0, 0($s5)
	li	$v0, 34
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	mfhi	$a0
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	mfc0	$a0, $11
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	lw	$a0, 0xffff0000
	li	$v0, 1
	syscall
	la	$a0, after
	li	$v0, 4
	syscall
	li	$v0, 10
	syscall
