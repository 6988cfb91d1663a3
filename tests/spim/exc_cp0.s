# exc_cp0.s -- exception delivery as SPIM does it, seen from a guest
# handler: for each kind user code can raise, the handler prints ExcCode,
# EPC (as an offset from the faulting instruction's label), Cause's BD bit
# and, for address errors, BadVAddr; then returns to EPC + 4 with eret.
	.kdata
sv_v0:	.word 0
sv_a0:	.word 0
m_exc:	.asciiz "exc "
m_epc:	.asciiz " epc-base "
m_bd:	.asciiz " bd "
m_bad:	.asciiz " badvaddr "
m_nl:	.asciiz "\n"
	.ktext 0x80000180
	.set noat
	move $k1, $at
	.set at
	sw $v0, sv_v0
	sw $a0, sv_a0
	mfc0 $k0, $13		# Cause
	li $v0, 4
	la $a0, m_exc
	syscall
	srl $a0, $k0, 2
	andi $a0, $a0, 0x1f
	li $v0, 1
	syscall
	li $v0, 4
	la $a0, m_epc
	syscall
	mfc0 $a0, $14		# EPC
	la $v0, base
	subu $a0, $a0, $v0
	li $v0, 1
	syscall
	li $v0, 4
	la $a0, m_bd
	syscall
	srl $a0, $k0, 31	# BD
	li $v0, 1
	syscall
	andi $k0, $k0, 0x7c
	srl $k0, $k0, 2
	addiu $k0, $k0, -4	# AdEL (4) or AdES (5): BadVAddr
	sltiu $k0, $k0, 2
	beqz $k0, done
	nop
	li $v0, 4
	la $a0, m_bad
	syscall
	mfc0 $a0, $8		# BadVAddr
	li $v0, 1
	syscall
done:	li $v0, 4
	la $a0, m_nl
	syscall
	mfc0 $k0, $14
	addiu $k0, $k0, 4
	mtc0 $k0, $14
	lw $v0, sv_v0
	lw $a0, sv_a0
	.set noat
	move $at, $k1
	.set at
	eret

	.data
	.align 2
word:	.word 7, 8
	.text
main:
base:	la $t0, word
	lw $t1, 1($t0)		# AdEL, load
	sw $t1, 2($t0)		# AdES, store
	lh $t1, 1($t0)		# AdEL, halfword
	li $t2, 0x7fffffff
	add $t3, $t2, $t2	# Ov
	addi $t3, $t2, 1	# Ov
	break 7			# Bp
	teq $zero, $zero	# Tr
	tlti $zero, 1		# Tr
	li $v0, 10
	syscall
