# dirty.s -- dirties memory at a steady rate, for live migration
# (docs/tour/07-live-migration.md): 2 MiB from sbrk (512 pages), one
# store to the next page, round and round, then a fixed amount of
# computation before the next store.  So the VM dirties pages at one
# rate per instruction whatever the memory size, and a migration's
# pre-copy rounds shrink when the link sends pages faster than that.
	.text
main:	li	$v0, 9
	li	$a0, 2097152
	syscall			# $v0 = 2 MiB of heap
	move	$s0, $v0
	li	$s1, 0		# stores so far
	li	$s2, 0		# offset of the next page, 0..2 MiB
	li	$s3, 10000	# stores in all: 2 G instructions, a second and more
				# with the translation tier, that a migration started
				# at 110 M does not outlast
store:	addu	$t0, $s0, $s2
	sw	$s1, 0($t0)	# dirties one page
	addiu	$s2, $s2, 4096
	andi	$s2, $s2, 0x1fffff	# wrap at 2 MiB
	addiu	$s1, $s1, 1
	li	$t1, 100000	# then computes a while
spin:	addiu	$t1, $t1, -1
	bne	$t1, $zero, spin
	bne	$s1, $s3, store
	li	$v0, 4
	la	$a0, done
	syscall
	move	$a0, $s1
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$v0, 10
	syscall
	.data
done:	.asciiz	"pages written: "
