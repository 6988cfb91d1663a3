# mem_limit.s -- sbrk in a loop, touching every block, until the VM's
# memory limit (--memory 1M) is exceeded.
# fault-stdout: 1
# fault-kind: [Mm]emory limit|out of memory
# fault-opts: --memory 1M
# fault-where: any
# fault-spim: no
	.text
main:	li	$a0, 1
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
grow:	li	$a0, 65536
	li	$v0, 9
	syscall
	sw	$v0, 0($v0)
	sw	$v0, 65532($v0)
	b	grow
