# journal.s -- prints three lines, saves the machine (SNAPSHOT), then waits
# for a number on its input and prints its square.  Killed while it
# waits, it loses nothing: the lines are out, the snapshot is whole, and a
# restore goes on from the SNAPSHOT (docs/tour/05-snapshots.md).
	.data
line:	.asciiz	"line "
ask:	.asciiz	"a number? "
sq:	.asciiz	"its square: "
	.text
main:	li	$s0, 1
print:	la	$a0, line
	li	$v0, 4
	syscall
	move	$a0, $s0
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	addiu	$s0, $s0, 1
	ble	$s0, 3, print
	SNAPSHOT journal.snap
	la	$a0, ask
	li	$v0, 4
	syscall
	li	$v0, 5			# read_int: waits for input
	syscall
	move	$t0, $v0
	la	$a0, sq
	li	$v0, 4
	syscall
	mul	$a0, $t0, $t0
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
