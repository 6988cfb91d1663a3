# spim_only_insns.s: instructions SPIM 8.0 accepts that course code meets:
# sync and ssnop run as no-ops; the MIPS32 Release 2 ones SPIM parses but
# does not implement (ehb, di, ei, seb, seh, wsbh, rotr, rotrv, rdhwr,
# rdpgpr, wrpgpr, sdbbp, deret) assemble to nothing, with a warning on
# stderr, in SPIM and here alike.
	.text
main:
	li $s0, 41
	sync
	sync 0
	ssnop
	ehb
	seb $s0, $t1		# ignored: $s0 stays 41
	rotr $s0, $s0, 3	# ignored
after:	addi $s0, $s0, 1	# 42
	move $a0, $s0
	li $v0, 1
	syscall
	la $a0, after		# the ignored words take no room
	la $t0, main
	sub $a0, $a0, $t0
	li $v0, 1
	syscall
	li $v0, 10
	syscall
