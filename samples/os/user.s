# samples/os/user.s: the three user processes of the demo kernel (kernel.s),
# listed in its process table (procs.s).
#
# They run in user mode, each in its own address space, and know nothing of
# each other: all three use the same virtual addresses.  Their code and
# strings (here) are shared and read-only; the page pair at 0x7fffe000 (their
# stack and their variables) is private: the kernel gives each process its own
# physical frames there.  System calls are the kernel's, numbered as SPIM's:
# 1 print int, 4 print string, 11 print char, 10 exit.

        .data
s_a:    .asciiz "A: my counter at 0x7fffe000 is "
s_b:    .asciiz "B: primes below 60:"
s_c1:   .asciiz "C: storing through a null pointer\n"
s_c2:   .asciiz "C: still alive?\n"

        .text
# A: counts to 5 in its private page, pausing between steps so the timer
# preempts it.  Each line is built in that page and printed with one
# system call, so a preemption never splits it.
proc_a:
        li    $s0, 0x7fffe000
        sw    $zero, 0($s0)
a_loop:
        lw    $t0, 0($s0)
        addiu $t0, $t0, 1
        sw    $t0, 0($s0)
        li    $s2, 0x7fffe100   # the line, built here
        la    $t0, s_a
a_copy:
        lbu   $t1, 0($t0)
        beqz  $t1, a_print
        sb    $t1, 0($s2)
        addiu $t0, $t0, 1
        addiu $s2, $s2, 1
        j     a_copy
a_print:
        lw    $t0, 0($s0)       # one digit: the counter stays below 10
        addiu $t0, $t0, '0'
        sb    $t0, 0($s2)
        li    $t0, '\n'
        sb    $t0, 1($s2)
        sb    $zero, 2($s2)
        li    $v0, 4
        li    $a0, 0x7fffe100
        syscall
        li    $t1, 400000       # a pause: the timer preempts A here
a_spin: addiu $t1, $t1, -1
        bnez  $t1, a_spin
        lw    $t0, 0($s0)
        blt   $t0, 5, a_loop
        li    $v0, 10
        syscall

# B: the sieve of Eratosthenes in its private page, at the same virtual
# address as A's counter.  It builds its whole line in that page (after the
# flags) and prints it with one system call, so the line stays whole even
# when the timer preempts B in the middle.
proc_b:
        li    $s0, 0x7fffe000   # flags[0..59]: 1 = crossed out
        li    $t0, 0
b_clear:
        addu  $t1, $s0, $t0
        sb    $zero, 0($t1)
        addiu $t0, $t0, 1
        blt   $t0, 60, b_clear
        li    $s2, 0x7fffe100   # the line, built here
        la    $t0, s_b
b_copy:
        lbu   $t1, 0($t0)
        beqz  $t1, b_sieve
        sb    $t1, 0($s2)
        addiu $t0, $t0, 1
        addiu $s2, $s2, 1
        j     b_copy
b_sieve:
        li    $s1, 2
b_next:
        addu  $t1, $s0, $s1
        lbu   $t2, 0($t1)
        bnez  $t2, b_skip
        li    $t0, ' '          # append " n" (n < 100)
        sb    $t0, 0($s2)
        addiu $s2, $s2, 1
        li    $t0, 10
        divu  $s1, $t0
        mflo  $t1               # tens
        mfhi  $t2               # ones
        beqz  $t1, b_ones
        addiu $t1, $t1, '0'
        sb    $t1, 0($s2)
        addiu $s2, $s2, 1
b_ones:
        addiu $t2, $t2, '0'
        sb    $t2, 0($s2)
        addiu $s2, $s2, 1
        addu  $t3, $s1, $s1     # cross out the multiples
b_cross:
        bge   $t3, 60, b_skip
        addu  $t1, $s0, $t3
        li    $t2, 1
        sb    $t2, 0($t1)
        addu  $t3, $t3, $s1
        j     b_cross
b_skip:
        addiu $s1, $s1, 1
        blt   $s1, 60, b_next
        li    $t0, '\n'
        sb    $t0, 0($s2)
        sb    $zero, 1($s2)
        li    $v0, 4
        li    $a0, 0x7fffe100
        syscall
        li    $v0, 10
        syscall

# C: a bug: a store through a null pointer.  Nothing is mapped at address 0:
# the TLB misses, the kernel's refill handler finds no mapping and the kernel
# kills C.  A and B run on.
proc_c:
        li    $v0, 4
        la    $a0, s_c1
        syscall
        sw    $v0, 0($zero)
        li    $v0, 4
        la    $a0, s_c2
        syscall
        li    $v0, 10
        syscall
