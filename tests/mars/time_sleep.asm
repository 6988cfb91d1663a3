# time_sleep.asm -- syscalls 30 and 32.  The clocks differ (MARS's is the
# host's), so only what is deterministic is printed: the high word of a
# 2020s time, and whether sleeping 100 ms twice moved the clock at least
# 200 ms and less than 10 s.
	.text
	li	$v0, 30
	syscall
	move	$s0, $a0
	sltiu	$a0, $a1, 0x1ff		# ms since 1970 fit in 41 bits until 2039
	sgtu	$t0, $a1, 0x170		# and passed 0x170_00000000 ms in 2020
	and	$a0, $a0, $t0
	li	$v0, 1
	syscall
	li	$a0, 100
	li	$v0, 32
	syscall
	li	$a0, 100
	li	$v0, 32
	syscall
	li	$v0, 30
	syscall
	subu	$t0, $a0, $s0
	sge	$a0, $t0, 200
	li	$v0, 1
	syscall
	sltiu	$a0, $t0, 10000
	syscall
