# counter.s: a running program to migrate (samples/migration/README.md).
# It counts to 60, printing a line every 50 ms or so of host time and
# keeping a table of squares in memory, so it is still running when you
# send it to the other terminal; the lines after the move come from there.
        .data
squares: .space 4096
        .text
main:   li    $s0, 0              # n
        la    $s1, squares
next:   mul   $t0, $s0, $s0       # squares[n % 1024] = n * n
        andi  $t1, $s0, 1023
        sll   $t1, $t1, 2
        addu  $t1, $s1, $t1
        sw    $t0, 0($t1)
        li    $t2, 20000000       # burn some 50 ms: a busy loop
spin:   addiu $t2, $t2, -1
        bne   $t2, $zero, spin
        li    $v0, 4              # "count N, square N*N"
        la    $a0, msg1
        syscall
        li    $v0, 1
        move  $a0, $s0
        syscall
        li    $v0, 4
        la    $a0, msg2
        syscall
        li    $v0, 1
        move  $a0, $t0
        syscall
        li    $v0, 11
        li    $a0, 10
        syscall
        addiu $s0, $s0, 1
        li    $t3, 60
        bne   $s0, $t3, next
        li    $v0, 10
        syscall
        .data
msg1:   .asciiz "count "
msg2:   .asciiz ", square "
