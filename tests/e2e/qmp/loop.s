# loop.s: counts in $t0 for ever (QMP stops, continues, snapshots it)
	.text
main:	li	$t0, 0
loop:	addi	$t0, $t0, 1
	j	loop
