# spim_control.s -- SPIM's coprocessor control registers, as SPIM's
# tt.core.s uses them: ctc0/cfc0 move to and from coprocessor 0's 32
# control registers (SPIM's own: MIPS32 has no such instructions), and
# an FP control register that no FCSR view covers ($3) reads back what
# ctc1 wrote.
	.text
main:	li	$t0, 0x7f7f
	ctc0	$t0, $3
	cfc0	$a0, $3
	jal	show			# 32639
	li	$t0, 0x1234
	ctc0	$t0, $31
	cfc0	$a0, $31
	jal	show			# 4660
	cfc0	$a0, $3			# still 32639
	jal	show
	li	$t0, 0x7f7f
	ctc1	$t0, $3
	cfc1	$a0, $3
	jal	show			# 32639
	li	$t0, 0x55
	ctc1	$t0, $7
	cfc1	$a0, $7
	jal	show			# 85
	li	$v0, 10
	syscall

show:	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
