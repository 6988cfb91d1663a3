# read_string with a buffer shorter than the line: MARS keeps $a1 - 1
# characters, adds no newline when full, and drops the rest of the line;
# SPIM (fgets) leaves the rest queued for the next read.
.data
buf: .space 8
.text
main:
li $v0, 8
la $a0, buf
li $a1, 4
syscall
li $v0, 4
la $a0, buf
syscall
li $a0, '|'
li $v0, 11
syscall
li $v0, 8
la $a0, buf
li $a1, 8
syscall
li $v0, 4
la $a0, buf
syscall
li $v0, 5
syscall
move $a0, $v0
li $v0, 1
syscall
