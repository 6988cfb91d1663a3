# ws.s: the migration benchmark guest: touches TOUCH bytes of heap (one
# non-zero word per page), then rewrites a working set of WS bytes (one
# word every 64 bytes) PASSES times.  migrate.sh sets the three numbers.
        .text
main:   li    $v0, 9
        li    $a0, TOUCH
        syscall
        move  $s0, $v0          # heap base
        move  $t0, $v0
        li    $t1, TOUCH
touch:  sw    $t1, 0($t0)
        addiu $t0, $t0, 4096
        addiu $t1, $t1, -4096
        bgtz  $t1, touch
        li    $s1, PASSES
pass:   move  $t0, $s0
        li    $t1, WS
sweep:  sw    $s1, 0($t0)
        addiu $t0, $t0, 64
        addiu $t1, $t1, -64
        bgtz  $t1, sweep
        addiu $s1, $s1, -1
        bgtz  $s1, pass
        li    $v0, 1
        move  $a0, $s1
        syscall
        li    $v0, 10
        syscall
