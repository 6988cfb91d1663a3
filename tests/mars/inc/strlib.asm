# strlib.asm -- included by include_sub.asm: a subroutine with its data,
# so the includer's .text and .data continue after it.
	.data
upper_tmp:	.space	4
	.text
# strlen($a0) -> $v0
strlen:	li	$v0, 0
sl_loop:
	lb	$t0, 0($a0)
	beqz	$t0, sl_done
	addi	$a0, $a0, 1
	addi	$v0, $v0, 1
	j	sl_loop
sl_done:
	jr	$ra
