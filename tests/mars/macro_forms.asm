# macro_forms.asm -- the ways MARS lets a macro be written and called:
# blanks between the name and "(", parameters without parentheses, "()"
# for none; calls with or without parentheses, blanks included.
.macro	print_sum (%x, %y)
	add	$a0, %x, %y
	li	$v0, 1
	syscall
.end_macro
.macro	nl()
	li	$a0, '\n'
	li	$v0, 11
	syscall
.end_macro
.macro	twice(%r)
	add	%r, %r, %r
.end_macro
.macro	sum3 %d, %a, %b
	add	%d, %a, %b
.end_macro
.macro	done
	li	$v0, 10
	syscall
.end_macro
	.text
	li	$t0, 20
	li	$t1, 22
	print_sum ($t0, $t1)
	nl()
	twice($t0)
	print_sum($t0, $zero)
	nl ()
	sum3	$t2, $t0, $t1
	print_sum $t2, $zero
	nl
	done
