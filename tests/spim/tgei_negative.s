# tgei_negative.s -- tgei/tlti with a negative immediate compare signed.
# SPIM 8.0 crashes (segmentation fault) on `tgei $r, -5`, so the expected
# output is pinned in tgei_negative.expected.
	.kdata
traps:	.word	0
	.ktext	0x80000180
	lw	$k1, traps
	addiu	$k1, $k1, 1
	sw	$k1, traps
	mfc0	$k0, $14
	addiu	$k0, $k0, 4
	mtc0	$k0, $14
	eret
	.text
main:	li	$t1, -1
	li	$t2, 1
	tgei	$t1, -5			# -1 >= -5: trap
	tgei	$t1, -1			# trap
	tgei	$t1, 0			# no trap
	tlti	$t1, -5			# no trap
	tlti	$t1, 0			# trap
	teqi	$t1, -1			# trap
	tnei	$t1, -1			# no trap
	tgeiu	$t2, -5			# 1 >= 0xfffffffb unsigned: no trap
	tltiu	$t2, -5			# trap
	lw	$a0, traps
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
