# ades_sw.s -- a word store to an address that is not a multiple of 4.
# fault-kind: address error on store \(AdES\): address 0x[0-9a-f]+ is not aligned to 4 bytes
# fault-stdout: 7
	.data
buf:	.space	8
	.text
main:	li	$a0, 7
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	la	$t0, buf
store_it:
	li	$t1, 99
	sw	$t1, 1($t0)		# FAULT
	jr	$ra
