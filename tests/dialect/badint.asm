# read_int on a line that is no integer: SPIM's atol gives 3 for "3 4";
# MARS stops the program.
.text
main:
li $v0, 5
syscall
move $a0, $v0
li $v0, 1
syscall
