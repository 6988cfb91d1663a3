# reads.asm -- the read syscalls and the heap base, where SPIM and MARS
# differ: read_char reads one byte (SPIM) or the first character of a whole
# line (MARS); sbrk's first break is 0x10020000 (SPIM 8.0) or 0x10040000
# (MARS).
.data
buf: .space 20
.text
main:
li $v0,8
la $a0,buf
li $a1,20
syscall
li $v0,4
la $a0,buf
syscall
li $v0,11
li $a0,'|'
syscall
li $v0,12
syscall
move $a0,$v0
li $v0,1
syscall
li $v0,11
li $a0,'|'
syscall
li $v0,12
syscall
move $a0,$v0
li $v0,1
syscall
li $v0,9
li $a0,16
syscall
move $a0,$v0
li $v0,1
syscall
