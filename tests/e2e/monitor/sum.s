# sum.s: adds 1..5 in a loop, prints the sum (the monitor's test program)
	.data
msg:	.asciiz "sum: "
	.text
main:	li	$t0, 0			# the sum
	li	$t1, 1			# i
loop:	add	$t0, $t0, $t1
	addi	$t1, $t1, 1
	ble	$t1, 5, loop
	la	$a0, msg
	li	$v0, 4			# print_string
	syscall
	move	$a0, $t0
	li	$v0, 1			# print_int
	syscall
	li	$a0, 10
	li	$v0, 11			# print_char
	syscall
	jr	$ra
