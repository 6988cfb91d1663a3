# irq.s: the disk's completion interrupt (Cause IP4) on the spim machine.
# A read completes while interrupts are off: the interrupt is pending when
# SNAPSHOT saves the machine; turning them on takes it (the handler counts
# it and acknowledges), then three more requests each interrupt once.
        .kdata
count:  .word 0
        .ktext 0x80000180
        lui   $k0, 0xffff
        lw    $k1, 0x210($k0)   # STATUS
        sw    $k1, 0x210($k0)   # acknowledge: DONE clears, IP4 drops
        lui   $k0, 0x9000
        lw    $k1, 0($k0)       # count (.kdata starts at 0x90000000)
        addiu $k1, $k1, 1
        sw    $k1, 0($k0)
        eret
        .data
        .align 2
buf:    .space 512
        .text
main:   li    $s0, 0xffff0200
        li    $t0, 1
        sw    $t0, 4($s0)       # COUNT
        sw    $t0, 20($s0)      # CONTROL: IE
        la    $t0, buf
        sw    $t0, 8($s0)       # ADDR
        li    $t0, 1
        sw    $t0, 12($s0)      # COMMAND: read; DONE, IP4 pending (Status.IE is 0)
        SNAPSHOT irq.snap
        mfc0  $t0, $12
        ori   $t0, $t0, 1       # Status.IE: the pending interrupt is taken now
        mtc0  $t0, $12
        jal   show
        li    $s1, 3
again:  li    $t0, 1
        sw    $t0, 12($s0)      # another read: one more interrupt
        addiu $s1, $s1, -1
        bnez  $s1, again
        jal   show
        li    $v0, 10
        syscall
show:   lui   $t0, 0x9000
        lw    $a0, 0($t0)
        li    $v0, 1
        syscall
        li    $a0, 10
        li    $v0, 11
        syscall
        jr    $ra
