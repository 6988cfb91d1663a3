# request.s: a program that asks to be migrated itself (syscall 60, a
# myvmm extension; SPIM and MARS do not have it).  It computes sums of
# squares, and after the third block asks to move; $v0 says whether a
# migration was requested (0: myvmm was started with --migrate) or not
# (-1: no destination configured, it simply runs on here).
#   build/myvmm --incoming tcp:127.0.0.1:4444            (terminal 2)
#   build/myvmm --migrate tcp:127.0.0.1:4444 samples/migration/request.s
        .text
main:   li    $s0, 0          # block number
block:  li    $t0, 0          # i
        li    $t1, 0          # sum of (i+block)^2 for i < 2000000 (mod 2^32)
        li    $t2, 2000000
sq:     addu  $t3, $t0, $s0
        mul   $t3, $t3, $t3
        addu  $t1, $t1, $t3
        addiu $t0, $t0, 1
        bne   $t0, $t2, sq
        li    $v0, 4
        la    $a0, msg_block
        syscall
        move  $a0, $s0
        li    $v0, 1
        syscall
        li    $v0, 4
        la    $a0, msg_sum
        syscall
        move  $a0, $t1
        li    $v0, 36         # print the sum unsigned
        syscall
        li    $v0, 11
        li    $a0, 10
        syscall
        li    $t4, 2
        bne   $s0, $t4, next
        li    $v0, 60         # request migration
        syscall
        la    $a0, msg_asked
        beq   $v0, $zero, said
        la    $a0, msg_none
said:   li    $v0, 4
        syscall
next:   addiu $s0, $s0, 1
        li    $t4, 8
        bne   $s0, $t4, block
        li    $v0, 10
        syscall
        .data
msg_block: .asciiz "block "
msg_sum:   .asciiz ": sum of squares "
msg_asked: .asciiz "asked to be migrated\n"
msg_none:  .asciiz "no migration destination: staying here\n"
