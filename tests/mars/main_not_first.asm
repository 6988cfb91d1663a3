# main_not_first.asm -- code written before main.  MARS (without its
# "start at main" setting) starts at the first .text instruction, so the
# set-up above main runs and then falls into main.
	.text
setup:	li	$s0, 5
	li	$a0, 's'
	li	$v0, 11
	syscall
main:	move	$a0, $s0
	li	$v0, 1
	syscall
	li	$v0, 10
	syscall
