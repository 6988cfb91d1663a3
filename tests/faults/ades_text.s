# ades_text.s -- a store into the program's own text: text is read-only.
# fault-kind: AdES|[Aa]ddress error.*store|text|read-only
# fault-stdout: 5
# fault-spim: no (SPIM lets a program overwrite its text)
	.text
main:	li	$a0, 5
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
patch:	la	$t0, main
	sw	$zero, 0($t0)		# FAULT
	jr	$ra
