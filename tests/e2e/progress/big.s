# big.s: touches 100 MiB (one non-zero word on each page), then spins
# about 0.5 s (a window for a migration) and prints 42.
        .text
main:   li    $v0, 9
        li    $a0, 104857600
        syscall
        move  $t0, $v0
        li    $t1, 25600      # pages
page:   sw    $t1, 0($t0)
        addiu $t0, $t0, 4096
        addiu $t1, $t1, -1
        bne   $t1, $zero, page
        li    $t1, 300000000
spin:   addiu $t1, $t1, -1
        bne   $t1, $zero, spin
        li    $a0, 42
        li    $v0, 1
        syscall
        li    $v0, 10
        syscall
