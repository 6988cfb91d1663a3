# hello.s -- the smallest SPIM program: print a string and return from
# main (SPIM's start-up code then exits).
# Run: build/myvmm -v samples/hello.s
	.data
greeting: .asciiz "Hello, world!\n"
	.text
main:	la	$a0, greeting
	li	$v0, 4			# print_string
	syscall
	jr	$ra
