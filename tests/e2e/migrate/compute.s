# compute.s: a compute loop for the migration tests: a running sum, a
# 64 KiB table it keeps rewriting, a line every 100000 iterations.
        .data
buf:    .space 65536
        .text
main:   li    $s0, 0          # i
        li    $s1, 3000000    # iterations
        li    $s2, 0          # sum
        la    $s3, buf
loop:   addu  $s2, $s2, $s0
        andi  $t0, $s0, 0xfffc
        addu  $t1, $s3, $t0
        sw    $s2, 0($t1)
        addiu $s0, $s0, 1
        li    $t2, 100000
        divu  $s0, $t2
        mfhi  $t3
        bne   $t3, $zero, next
        move  $a0, $s2
        li    $v0, 1
        syscall
        li    $a0, 10
        li    $v0, 11
        syscall
next:   bne   $s0, $s1, loop
        li    $v0, 10
        syscall
