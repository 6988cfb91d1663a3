# linked_list.s -- a singly linked list on the heap: nodes come from sbrk
# (syscall 9), 8 bytes each (value, next).  Builds a sorted list by
# insertion, prints it, deletes the even values, prints it again.
# Run: build/myvmm -v samples/linked_list.s
	.data
values:	.word	42, 7, 19, 3, 88, 64, 5, 23, 16, 1
nvals:	.word	10
arrow:	.asciiz	" -> "
s_nil:	.asciiz	"nil\n"
	.text
main:	addiu	$sp, $sp, -8
	sw	$ra, 4($sp)
	sw	$s0, 0($sp)
	li	$s0, 0			# head = NULL
	li	$s1, 0			# i
	lw	$s2, nvals
build:	sll	$t0, $s1, 2
	lw	$a1, values($t0)
	move	$a0, $s0
	jal	insert_sorted
	move	$s0, $v0
	addiu	$s1, $s1, 1
	blt	$s1, $s2, build
	move	$a0, $s0
	jal	print_list
	move	$a0, $s0
	jal	drop_even
	move	$s0, $v0
	move	$a0, $s0
	jal	print_list
	lw	$s0, 0($sp)
	lw	$ra, 4($sp)
	addiu	$sp, $sp, 8
	jr	$ra

# insert_sorted(head $a0, value $a1) -> new head in $v0
insert_sorted:
	move	$t0, $a0
	li	$a0, 8			# a new node from the heap
	li	$v0, 9
	syscall
	sw	$a1, 0($v0)		# node.value
	sw	$zero, 4($v0)		# node.next
	beqz	$t0, is_new_head
	lw	$t1, 0($t0)
	ble	$a1, $t1, is_before_head
	move	$t2, $t0		# prev
is_walk: lw	$t3, 4($t2)		# prev.next
	beqz	$t3, is_link
	lw	$t4, 0($t3)
	ble	$a1, $t4, is_link
	move	$t2, $t3
	b	is_walk
is_link: sw	$t3, 4($v0)		# node.next = prev.next
	sw	$v0, 4($t2)		# prev.next = node
	move	$v0, $t0
	jr	$ra
is_before_head:
	sw	$t0, 4($v0)
is_new_head:
	jr	$ra

# print_list(head $a0): "v1 -> v2 -> ... -> nil"
print_list:
	move	$t0, $a0
pl_loop: beqz	$t0, pl_end
	lw	$a0, 0($t0)
	li	$v0, 1
	syscall
	la	$a0, arrow
	li	$v0, 4
	syscall
	lw	$t0, 4($t0)
	b	pl_loop
pl_end:	la	$a0, s_nil
	li	$v0, 4
	syscall
	jr	$ra

# drop_even(head $a0) -> new head: unlinks every node with an even value
drop_even:
	move	$v0, $a0
de_head: beqz	$v0, de_done		# drop even nodes at the front
	lw	$t1, 0($v0)
	andi	$t1, $t1, 1
	bnez	$t1, de_rest
	lw	$v0, 4($v0)
	b	de_head
de_rest: move	$t0, $v0		# prev (odd)
de_loop: lw	$t2, 4($t0)
	beqz	$t2, de_done
	lw	$t3, 0($t2)
	andi	$t3, $t3, 1
	bnez	$t3, de_keep
	lw	$t4, 4($t2)
	sw	$t4, 4($t0)		# prev.next = cur.next
	b	de_loop
de_keep: move	$t0, $t2
	b	de_loop
de_done: jr	$ra
