# hanoi.s -- towers of Hanoi, recursive: prints every move for 4 disks
# ("disk D: A -> C") and the number of moves (2^n - 1).
	.data
s_disk:	.asciiz	"disk "
s_colon: .asciiz ": "
s_arrow: .asciiz " -> "
s_moves: .asciiz "moves: "
	.text
main:	addiu	$sp, $sp, -4
	sw	$ra, 0($sp)
	li	$s7, 0			# move counter
	li	$a0, 4			# disks
	li	$a1, 'A'		# from
	li	$a2, 'C'		# to
	li	$a3, 'B'		# via
	jal	hanoi
	la	$a0, s_moves
	li	$v0, 4
	syscall
	move	$a0, $s7
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	lw	$ra, 0($sp)
	addiu	$sp, $sp, 4
	jr	$ra

# hanoi(n, from, to, via)
hanoi:	beqz	$a0, h_ret
	addiu	$sp, $sp, -20
	sw	$ra, 16($sp)
	sw	$a0, 12($sp)
	sw	$a1, 8($sp)
	sw	$a2, 4($sp)
	sw	$a3, 0($sp)
	addiu	$a0, $a0, -1		# move n-1 disks from -> via
	move	$t0, $a2
	move	$a2, $a3
	move	$a3, $t0
	jal	hanoi
	lw	$a0, 12($sp)		# move disk n from -> to
	lw	$a1, 8($sp)
	lw	$a2, 4($sp)
	jal	print_move
	lw	$a0, 12($sp)		# move n-1 disks via -> to
	addiu	$a0, $a0, -1
	lw	$a1, 0($sp)
	lw	$a2, 4($sp)
	lw	$a3, 8($sp)
	jal	hanoi
	lw	$ra, 16($sp)
	addiu	$sp, $sp, 20
h_ret:	jr	$ra

print_move:
	addiu	$s7, $s7, 1
	move	$t0, $a0
	la	$a0, s_disk
	li	$v0, 4
	syscall
	move	$a0, $t0
	li	$v0, 1
	syscall
	la	$a0, s_colon
	li	$v0, 4
	syscall
	move	$a0, $a1
	li	$v0, 11
	syscall
	la	$a0, s_arrow
	li	$v0, 4
	syscall
	move	$a0, $a2
	li	$v0, 11
	syscall
	li	$a0, 10
	syscall
	jr	$ra
