# sum.s: the sample of docs/debugging.md: adds 1..10 in a loop, keeps the
# sum in memory (total), prints it.  Try it under gdb:
#   myvmm --gdb tcp:127.0.0.1:1234 --gdb-wait samples/gdb/sum.s
#   gdb-multiarch -ex 'set architecture mips' -ex 'target remote :1234'
        .data
total:  .word 0
msg:    .asciiz "sum = "
        .text
main:   li $t0, 0               # i
        li $t1, 0               # the sum
loop:   addiu $t0, $t0, 1
        addu $t1, $t1, $t0
        blt $t0, 10, loop
done:   sw $t1, total
        li $v0, 4
        la $a0, msg
        syscall
        lw $a0, total
        li $v0, 1
        syscall
        li $v0, 11
        li $a0, 10
        syscall
        li $v0, 10
        syscall
