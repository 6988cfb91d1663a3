# upper_case.asm -- MARS takes mnemonics and directives in any case
# (labels and registers keep theirs; SPIM takes lower case only).
	.DATA
Msg:	.ASCIIZ "upper case\n"
	.TEXT
.MACRO	PRINT_INT (%r)
	MOVE	$a0, %r
	LI	$v0, 1
	SYSCALL
.END_MACRO
	LA	$a0, Msg
	Li	$v0, 4
	syscall
	LI	$t0, 3
Loop:	AddI	$t0, $t0, -1
	BGTZ	$t0, Loop
	ADDIU	$t1, $t0, 42
	PRINT_INT ($t1)
