# echo_input.s -- reads input: a count with read_int, then that many
# lines with read_string, echoing each with its number; then reads
# characters to the end of the input with read_char and counts them.
# Run: printf '2\nfirst\nsecond\nrest\n' | build/myvmm -v samples/echo_input.s
	.data
buf:	.space	80
prompt:	.asciiz	"How many lines? "
s_line:	.asciiz	"line "
s_colon: .asciiz ": "
s_rest:	.asciiz	"characters after the lines: "
	.text
main:	la	$a0, prompt
	li	$v0, 4
	syscall
	li	$v0, 5			# read_int
	syscall
	move	$s0, $v0
	move	$a0, $s0
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	li	$s1, 1
lines:	bgt	$s1, $s0, rest
	la	$a0, buf		# read_string keeps the newline
	li	$a1, 80
	li	$v0, 8
	syscall
	la	$a0, s_line
	li	$v0, 4
	syscall
	move	$a0, $s1
	li	$v0, 1
	syscall
	la	$a0, s_colon
	li	$v0, 4
	syscall
	la	$a0, buf
	syscall
	addiu	$s1, $s1, 1
	b	lines
rest:	li	$s2, 0			# characters up to the end of input
	li	$s3, 0			# consecutive newlines: read_char gives 10 at the end
more:	li	$v0, 12
	syscall
	beq	$v0, 10, nl
	li	$s3, 0
	addiu	$s2, $s2, 1
	b	more
nl:	addiu	$s3, $s3, 1
	addiu	$s2, $s2, 1
	blt	$s3, 3, more		# three newlines in a row: treat as the end
	addiu	$s2, $s2, -3
	la	$a0, s_rest
	li	$v0, 4
	syscall
	move	$a0, $s2
	li	$v0, 1
	syscall
	li	$a0, 10
	li	$v0, 11
	syscall
	jr	$ra
