# big.s: touches 100 MiB (one non-zero word on each page), then spins
# 1.8 G instructions (a window for a migration of those 100 MiB: about
# 2 s with the translation tier, several with the interpreter) and prints 42.
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
        li    $t1, 900000000
spin:   addiu $t1, $t1, -1
        bne   $t1, $zero, spin
        li    $a0, 42
        li    $v0, 1
        syscall
        li    $v0, 10
        syscall
