# strings.s -- string routines a course writes: length, reverse in place,
# palindrome test and upper-casing, over a table of strings in .data.
# Run: build/myvmm -v samples/strings.s
	.data
w1:	.asciiz	"racecar"
w2:	.asciiz	"Hello, MIPS!"
w3:	.asciiz	"A man a plan"
w4:	.asciiz	"noon"
w5:	.asciiz	""
words:	.word	w1, w2, w3, w4, w5
s_len:	.asciiz	" len="
s_rev:	.asciiz	" rev="
s_pal:	.asciiz	" palindrome="
s_up:	.asciiz	" upper="
quote:	.asciiz	"\""
	.text
main:	addiu	$sp, $sp, -8
	sw	$ra, 4($sp)
	sw	$s0, 0($sp)
	li	$s0, 0
loop:	sll	$t0, $s0, 2
	lw	$s1, words($t0)		# the string
	la	$a0, quote
	li	$v0, 4
	syscall
	move	$a0, $s1
	syscall
	la	$a0, quote
	syscall
	la	$a0, s_len
	syscall
	move	$a0, $s1
	jal	strlen
	move	$a0, $v0
	li	$v0, 1
	syscall
	la	$a0, s_pal
	li	$v0, 4
	syscall
	move	$a0, $s1
	jal	is_pal
	move	$a0, $v0
	li	$v0, 1
	syscall
	move	$a0, $s1		# reverse, print, reverse back
	jal	reverse
	la	$a0, s_rev
	li	$v0, 4
	syscall
	move	$a0, $s1
	syscall
	move	$a0, $s1
	jal	reverse
	move	$a0, $s1
	jal	toupper
	la	$a0, s_up
	li	$v0, 4
	syscall
	move	$a0, $s1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	addiu	$s0, $s0, 1
	blt	$s0, 5, loop
	lw	$s0, 0($sp)
	lw	$ra, 4($sp)
	addiu	$sp, $sp, 8
	jr	$ra

# strlen($a0) -> $v0
strlen:	move	$v0, $zero
sl_next: addu	$t0, $a0, $v0
	lbu	$t1, 0($t0)
	beqz	$t1, sl_done
	addiu	$v0, $v0, 1
	b	sl_next
sl_done: jr	$ra

# reverse($a0): in place, swapping from both ends
reverse: addiu	$sp, $sp, -8
	sw	$ra, 4($sp)
	sw	$a0, 0($sp)
	jal	strlen
	lw	$a0, 0($sp)
	addu	$t1, $a0, $v0
	addiu	$t1, $t1, -1		# last character
	move	$t0, $a0
rv_loop: bgeu	$t0, $t1, rv_done
	lbu	$t2, 0($t0)
	lbu	$t3, 0($t1)
	sb	$t3, 0($t0)
	sb	$t2, 0($t1)
	addiu	$t0, $t0, 1
	addiu	$t1, $t1, -1
	b	rv_loop
rv_done: lw	$ra, 4($sp)
	addiu	$sp, $sp, 8
	jr	$ra

# is_pal($a0) -> $v0 = 1 when the string reads the same both ways
is_pal:	addiu	$sp, $sp, -8
	sw	$ra, 4($sp)
	sw	$a0, 0($sp)
	jal	strlen
	lw	$a0, 0($sp)
	addu	$t1, $a0, $v0
	addiu	$t1, $t1, -1
	move	$t0, $a0
	li	$v0, 1
ip_loop: bgeu	$t0, $t1, ip_done
	lbu	$t2, 0($t0)
	lbu	$t3, 0($t1)
	bne	$t2, $t3, ip_no
	addiu	$t0, $t0, 1
	addiu	$t1, $t1, -1
	b	ip_loop
ip_no:	li	$v0, 0
ip_done: lw	$ra, 4($sp)
	addiu	$sp, $sp, 8
	jr	$ra

# toupper($a0): a..z become A..Z, in place
toupper: lbu	$t0, 0($a0)
	beqz	$t0, tu_done
	blt	$t0, 'a', tu_skip
	bgt	$t0, 'z', tu_skip
	addiu	$t0, $t0, -32
	sb	$t0, 0($a0)
tu_skip: addiu	$a0, $a0, 1
	b	toupper
tu_done: jr	$ra
