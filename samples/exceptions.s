# exceptions.s: an exception handler for myvmm -exception_file (-ef), written
# for learners.  Assemble it before a program as SPIM loads its own:
#
#     myvmm -ef samples/exceptions.s -file prog.s
#
# When the program faults (a misaligned load, an overflowing add, a break,
# a trap...) or an enabled interrupt arrives, the CPU stops what it was
# doing and jumps here, to the general exception vector 0x80000180, in
# kernel mode with Status.EXL set.  Coprocessor 0 (cp0) says what happened:
#
#     $8  BadVAddr  the address that was wrong (address errors only)
#     $12 Status    EXL (bit 1): we are in the handler; IE (bit 0): interrupts on
#     $13 Cause     ExcCode (bits 6:2): which exception; IP (15:8): pending interrupts
#     $14 EPC       the instruction that faulted (or, for an interrupt, the
#                   next one that was about to run)
#
# This handler prints one line per exception, the same line SPIM's own
# handler prints, so the output of a program compares with spim's:
#
#       Exception 12  [Arithmetic overflow]  occurred and ignored
#
# then returns: after a fault to EPC + 4 (the faulting instruction is
# skipped: "ignored"), after an interrupt to EPC (nothing was skipped).
# An interrupt stays pending until its source is served (the timer until
# Compare is written, the console until its data register is read), so
# "ignoring" one means masking it: its IM bit in Status is cleared.
#
# A handler must not change the program's registers.  $k0 and $k1 are the
# kernel's own (programs must not rely on them); every other register it
# uses is saved first and restored before returning.  It saves them in
# .kdata, not on the stack: the fault may have come from a bad $sp.

	.kdata
save_v0:	.word 0
save_a0:	.word 0
msg_exc:	.asciiz "  Exception "
msg_ignored:	.asciiz " occurred and ignored\n"
# The names, by ExcCode (MIPS32 numbering); an empty name prints nothing.
n_int:		.asciiz "  [Interrupt] "
n_tlb:		.asciiz "  [TLB]"
n_adel:		.asciiz "  [Address error in inst/data fetch] "
n_ades:		.asciiz "  [Address error in store] "
n_ibe:		.asciiz "  [Bad instruction address] "
n_dbe:		.asciiz "  [Bad data address] "
n_sys:		.asciiz "  [Error in syscall] "
n_bp:		.asciiz "  [Breakpoint] "
n_ri:		.asciiz "  [Reserved instruction] "
n_cpu:		.asciiz "  [Coprocessor unusable] "
n_ov:		.asciiz "  [Arithmetic overflow] "
n_tr:		.asciiz "  [Trap] "
n_fpe:		.asciiz "  [Floating point] "
n_none:		.asciiz ""
	.align 2
names:	.word n_int, n_tlb, n_tlb, n_tlb, n_adel, n_ades, n_ibe, n_dbe	# 0-7
	.word n_sys, n_bp, n_ri, n_cpu, n_ov, n_tr, n_none, n_fpe	# 8-15
	.word n_none, n_none, n_none, n_none, n_none, n_none, n_none, n_none
	.word n_none, n_none, n_none, n_none, n_none, n_none, n_none, n_none

	.ktext 0x80000180
	.set noat
	move $k1, $at		# $at first: the pseudo-instructions below use it
	.set at
	sw $v0, save_v0		# the syscalls below use $v0 and $a0
	sw $a0, save_a0

	mfc0 $k0, $13		# $k0 = Cause (mfc0 reads a cp0 register)
	andi $k0, $k0, 0x7c	# ExcCode * 4: bits 6:2, still shifted by 2

	li $v0, 4		# print "  Exception "
	la $a0, msg_exc
	syscall
	srl $a0, $k0, 2		# print the ExcCode
	li $v0, 1
	syscall
	lw $a0, names($k0)	# print its name: names[ExcCode] (a word each)
	li $v0, 4
	syscall
	la $a0, msg_ignored	# " occurred and ignored"
	syscall

	# Where to go back: EPC + 4 after a fault, EPC after an interrupt
	# (ExcCode 0), whose instruction has not run yet.  (The nop after each
	# branch keeps the handler right with delayed branches too.)
	bnez $k0, fault
	nop
	mfc0 $k0, $13		# an interrupt: mask the pending ones (Cause.IP)
	andi $k0, $k0, 0xff00
	mfc0 $a0, $12		# Status
	nor $k0, $k0, $zero
	and $a0, $a0, $k0	# Status.IM &= ~Cause.IP
	mtc0 $a0, $12
	mtc0 $zero, $13		# and clear the software interrupts (IP1, IP0)
	b back
	nop
fault:
	mfc0 $a0, $14		# $a0 = EPC
	addiu $a0, $a0, 4	# skip the faulting instruction
	mtc0 $a0, $14		# mtc0 writes a cp0 register: EPC = EPC + 4
back:
	lw $v0, save_v0		# restore what we used
	lw $a0, save_a0
	.set noat
	move $at, $k1
	.set at
	eret			# leave: clear Status.EXL and jump to EPC
