# bubble_sort.s -- bubble sort of a .data array in place (with the early
# exit when a pass swaps nothing), printing the array before and after and
# the number of swaps.
	.data
arr:	.word	34, -7, 120, 0, 55, 3, -300, 89, 12, 12, 2147483647, -2147483648, 1
len:	.word	13
s_swaps: .asciiz "swaps: "
	.text
main:	addiu	$sp, $sp, -4
	sw	$ra, 0($sp)
	jal	print_arr
	lw	$s0, len		# n
	li	$s2, 0			# swaps
outer:	li	$s1, 0			# swapped this pass
	li	$t0, 0			# i
	addiu	$t9, $s0, -1
inner:	bge	$t0, $t9, pass_end
	sll	$t1, $t0, 2
	lw	$t2, arr($t1)
	lw	$t3, arr+4($t1)
	ble	$t2, $t3, no_swap
	sw	$t3, arr($t1)
	sw	$t2, arr+4($t1)
	li	$s1, 1
	addiu	$s2, $s2, 1
no_swap: addiu	$t0, $t0, 1
	b	inner
pass_end: addiu	$s0, $s0, -1		# the largest is in place
	bnez	$s1, outer
	jal	print_arr
	la	$a0, s_swaps
	li	$v0, 4
	syscall
	move	$a0, $s2
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	lw	$ra, 0($sp)
	addiu	$sp, $sp, 4
	jr	$ra

print_arr:
	li	$t0, 0
	lw	$t1, len
pa_loop: sll	$t2, $t0, 2
	lw	$a0, arr($t2)
	li	$v0, 1
	syscall
	li	$a0, 32
	li	$v0, 11
	syscall
	addiu	$t0, $t0, 1
	blt	$t0, $t1, pa_loop
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
