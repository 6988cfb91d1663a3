# ktext_handler.s -- a guest exception handler in .ktext at 0x80000180, as
# SPIM runs it: the handler counts exceptions by ExcCode (Cause bits 2-6),
# remembers BadVAddr, skips the faulting instruction (EPC + 4) and returns
# with eret.  Overflow traps from add/addi/sub must leave rd unchanged;
# break (Bp), teq/tge... (Tr) and an unaligned load (AdEL) are counted too.
	.kdata
counts:	.word	0:16			# one counter per ExcCode
lastbad: .word	0
save_at: .word	0
	.ktext	0x80000180
	.set	noat
	sw	$at, save_at
	.set	at
	mfc0	$k0, $13		# Cause
	srl	$k0, $k0, 2
	andi	$k0, $k0, 0x1f		# ExcCode
	sll	$k0, $k0, 2
	lw	$k1, counts($k0)
	addiu	$k1, $k1, 1
	sw	$k1, counts($k0)
	mfc0	$k1, $8			# BadVAddr
	sw	$k1, lastbad
	mfc0	$k0, $14		# EPC: skip the faulting instruction
	addiu	$k0, $k0, 4
	mtc0	$k0, $14
	.set	noat
	lw	$at, save_at
	.set	at
	eret

	.data
dat:	.word	1, 2
msg_ov:	.asciiz	"Ov="
msg_bp:	.asciiz	" Bp="
msg_tr:	.asciiz	" Tr="
msg_ad:	.asciiz	" AdEL="
msg_bv:	.asciiz	" BadVAddr-dat="
msg_rd:	.asciiz	" rd kept="
	.text
main:	li	$t0, 0x7fffffff
	li	$t1, 0x80000000
	li	$t2, 1
	li	$t5, 12345
	add	$t5, $t0, $t2		# Ov: $t5 stays 12345
	addi	$t5, $t0, 1		# Ov
	sub	$t5, $t1, $t2		# Ov
	addu	$t6, $t0, $t2		# no trap
	addiu	$t6, $t0, 1		# no trap
	subu	$t6, $t1, $t2		# no trap
	add	$t6, $t2, $t2		# fits: no trap
	break	0			# Bp
	teq	$t2, $t2		# Tr
	teq	$t2, $zero		# no trap
	tne	$t2, $zero		# Tr
	tge	$t2, $t2		# Tr
	tgeu	$t0, $t1		# no trap: 0x7fffffff < 0x80000000 unsigned
	tlt	$t1, $t0		# Tr: negative < positive
	tltu	$t1, $t0		# no trap
	teqi	$t2, 1			# Tr
	tnei	$t2, 1			# no trap
	tgei	$t2, 1			# Tr
	tgeiu	$t2, 1			# Tr
	tgeiu	$t2, 5			# no trap
	tlti	$t2, 5			# Tr
	tltiu	$t2, 0			# no trap
	la	$t3, dat
	lw	$t4, 2($t3)		# AdEL: unaligned

	la	$a0, msg_ov
	li	$v0, 4
	syscall
	lw	$a0, counts+48		# ExcCode 12
	li	$v0, 1
	syscall
	la	$a0, msg_bp
	li	$v0, 4
	syscall
	lw	$a0, counts+36		# ExcCode 9
	li	$v0, 1
	syscall
	la	$a0, msg_tr
	li	$v0, 4
	syscall
	lw	$a0, counts+52		# ExcCode 13
	li	$v0, 1
	syscall
	la	$a0, msg_ad
	li	$v0, 4
	syscall
	lw	$a0, counts+16		# ExcCode 4
	li	$v0, 1
	syscall
	la	$a0, msg_bv
	li	$v0, 4
	syscall
	lw	$a0, lastbad
	la	$t3, dat
	subu	$a0, $a0, $t3
	li	$v0, 1
	syscall
	la	$a0, msg_rd
	li	$v0, 4
	syscall
	move	$a0, $t5
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
