# cp0.s: coprocessor 0 as babyasm writes and shows it (tests/e2e/asm_cp0.sh):
# every named register, the select (GNU as's form; SPIM and MARS have
# none), eret and rfe.  It prints PRId, Config and Config1 in hex.
	.text
main:	mfc0 $t0, $0
	mfc0 $t0, $1
	mfc0 $t0, $2
	mfc0 $t0, $3
	mfc0 $t0, $4
	mfc0 $t0, $5
	mfc0 $t0, $6
	mfc0 $t0, $7		# no register: no name
	mfc0 $t0, $8
	mfc0 $t0, $9
	mfc0 $t0, $10
	mfc0 $t0, $11
	mfc0 $t0, $12
	mfc0 $t0, $13
	mfc0 $t0, $14
	mfc0 $a0, $15		# PRId
	li $v0, 34
	syscall
	mfc0 $a0, $16		# Config
	syscall
	mfc0 $a0, $16, 1	# Config1
	syscall
	mfc0 $t0, $16, 2	# no register: no name
	mtc0 $t0, $30
	li $v0, 10
	syscall
	eret			# not reached
	rfe
