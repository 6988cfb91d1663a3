# ticker.s: a line every 40,000,000 iterations of a spin loop, 20 lines
# (about 1.5 s here): output whose timing shows whether a VM was held.
        .text
main:   li    $s0, 0
line:   li    $t0, 40000000
spin:   addiu $t0, $t0, -1
        bne   $t0, $zero, spin
        addiu $s0, $s0, 1
        move  $a0, $s0
        li    $v0, 1
        syscall
        li    $a0, 10
        li    $v0, 11
        syscall
        li    $t1, 20
        bne   $s0, $t1, line
        li    $v0, 10
        syscall
