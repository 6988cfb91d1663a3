# input.s: reads numbers from the console until 0, printing a running
# total after each; between reads it spins, so a migration lands while
# lines are still waiting in the input.
        .text
main:   li    $s0, 0
again:  li    $t0, 400000
spin:   addiu $t0, $t0, -1
        bne   $t0, $zero, spin
        li    $v0, 4
        la    $a0, prompt
        syscall
        li    $v0, 5          # read_int
        syscall
        beq   $v0, $zero, done
        addu  $s0, $s0, $v0
        li    $v0, 1
        move  $a0, $s0
        syscall
        li    $v0, 11
        li    $a0, 10
        syscall
        j     again
done:   li    $v0, 4
        la    $a0, bye
        syscall
        li    $v0, 10
        syscall
        .data
prompt: .asciiz "number? "
bye:    .asciiz "bye\n"
