# rounding.s -- the FPU is guest state: 2/3 in single precision under each
# of FCSR's four rounding modes, printed as SPIM prints floats.  The host
# computes every division; the guest's FCSR says how it rounds.
	.data
names:	.asciiz	"nearest:   ", "zero:      ", "up:        ", "down:      "
nl:	.asciiz	"\n"
	.text
main:	li.s	$f2, 2.0
	li.s	$f4, 3.0
	li	$s0, 0			# the rounding mode, 0-3
	la	$s1, names
loop:	ctc1	$s0, $31		# FCSR.RM = $s0
	div.s	$f12, $f2, $f4
	move	$a0, $s1
	li	$v0, 4
	syscall
	li	$v0, 2
	syscall
	la	$a0, nl
	li	$v0, 4
	syscall
	addiu	$s1, $s1, 12
	addiu	$s0, $s0, 1
	bne	$s0, 4, loop
	SNAPSHOT rounding.snap
	jr	$ra
