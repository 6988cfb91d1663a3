# mars_syscalls.asm -- the MARS-only syscalls: 34 print hex (0x%08x),
# 35 print binary (32 digits), 36 print unsigned, 40 set seed, 41 random
# int, 42 random int in [0, $a1), 30 time and 32 sleep.  Random numbers
# follow java.util.Random (as MARS), so a seeded stream is reproducible;
# time comes from the VM's virtual clock, so only differences are printed.
	.text
main:	li	$s0, -2
	move	$a0, $s0
	li	$v0, 34
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	li	$a0, 0x1f
	li	$v0, 34
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	li	$a0, 0x80000005
	li	$v0, 35
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	move	$a0, $s0
	li	$v0, 36
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	# seeded random numbers: generator 1 seeded with 12345
	li	$a0, 1
	li	$a1, 12345
	li	$v0, 40
	syscall
	li	$s1, 3
r41:	li	$a0, 1
	li	$v0, 41
	syscall
	li	$v0, 1			# the number is returned in $a0
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	subi	$s1, $s1, 1
	bgtz	$s1, r41
	li	$s1, 5
r42:	li	$a0, 1
	li	$a1, 100
	li	$v0, 42
	syscall
	li	$v0, 1
	syscall
	li	$a0, ' '
	li	$v0, 11
	syscall
	subi	$s1, $s1, 1
	bgtz	$s1, r42
	li	$a0, 1			# a power-of-two bound takes Java's other path
	li	$a1, 64
	li	$v0, 42
	syscall
	li	$v0, 1
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	# time: sleeping 250 ms moves the clock by at least 250 ms
	li	$v0, 30
	syscall
	move	$s2, $a0
	li	$a0, 250
	li	$v0, 32
	syscall
	li	$v0, 30
	syscall
	subu	$t0, $a0, $s2
	sge	$a0, $t0, 250
	li	$v0, 1
	syscall
	sltiu	$a0, $t0, 10000		# and not by a lot more
	li	$v0, 1
	syscall
	li	$a0, '\n'
	li	$v0, 11
	syscall
	li	$v0, 10
	syscall
