# exc_default.s -- faults that user code raises, each reported by the
# default exception handler and skipped: SPIM's own (spim loads it), and
# samples/exceptions.s for myvmm (exc_default.handler names it).  rfe is
# MIPS I's: SPIM 8.0 and MIPS32 make it a reserved instruction.
	.data
	.align 2
w:	.word 1, 2
done:	.asciiz "done\n"
	.text
main:	la $t0, w
	lw $t1, 1($t0)		# AdEL
	sw $t1, 2($t0)		# AdES
	li $t2, 0x7fffffff
	add $t3, $t2, $t2	# Ov
	sub $t3, $zero, $t2
	addi $t3, $t3, -2	# Ov
	break 3			# Bp
	tge $zero, $zero	# Tr
	rfe			# RI
	li $v0, 4
	la $a0, done
	syscall
	li $v0, 10
	syscall
