# writer.s: writes memory fast: 8 MiB from sbrk, every word rewritten on
# each pass (a new page every 1024 stores), a checksum line per pass.
        .text
main:   li    $v0, 9
        li    $a0, 8388608
        syscall               # $v0 = 8 MiB of heap
        move  $s0, $v0
        li    $s4, 0          # pass
pass:   move  $t0, $s0
        li    $t1, 2097152    # words
        li    $s2, 0          # checksum
word:   addu  $t2, $t1, $s4
        sw    $t2, 0($t0)
        addu  $s2, $s2, $t2
        addiu $t0, $t0, 4
        addiu $t1, $t1, -1
        bne   $t1, $zero, word
        move  $a0, $s2
        li    $v0, 1
        syscall
        li    $a0, 10
        li    $v0, 11
        syscall
        addiu $s4, $s4, 1
        li    $t3, 12
        bne   $s4, $t3, pass
        li    $v0, 10
        syscall
