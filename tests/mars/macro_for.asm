# macro_for.asm -- the loop macro of MARS's own documentation: a register,
# two bounds and a label to call, with a label local to each expansion;
# two nested uses print a small multiplication table.
.macro	for(%reg, %from, %to, %body)
	add	%reg, $zero, %from
loop:	jal	%body
	add	%reg, %reg, 1
	ble	%reg, %to, loop
.end_macro
	.text
	for($s0, 1, 3, row)
	li	$v0, 10
	syscall
row:	addi	$sp, $sp, -4
	sw	$ra, 0($sp)
	for($s1, 1, 4, cell)
	li	$a0, '\n'
	li	$v0, 11
	syscall
	lw	$ra, 0($sp)
	addi	$sp, $sp, 4
	jr	$ra
cell:	mul	$a0, $s0, $s1
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	jr	$ra
