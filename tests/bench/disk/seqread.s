# seqread.s: sequential 4 KiB DMA reads of the whole disk (64 MiB), 8
# passes: 131,072 requests, 512 MiB of guest data, into one buffer.
        .data
        .align 2
buf:    .space 4096
        .text
main:   li    $s0, 0xffff0200
        li    $t0, 8
        sw    $t0, 4($s0)       # COUNT: 8 sectors
        la    $t0, buf
        sw    $t0, 8($s0)       # ADDR
        li    $s4, 8            # passes
        li    $t2, 1            # COMMAND: read
        li    $t3, 0x100        # STATUS: DONE, ok
pass:   li    $s1, 0            # sector
        li    $s2, 131072       # the disk's sectors
read:   sw    $s1, 0($s0)       # SECTOR
        sw    $t2, 12($s0)      # COMMAND: the read runs here
        lw    $t0, 16($s0)      # STATUS
        bne   $t0, $t3, bad
        addiu $s1, $s1, 8
        bne   $s1, $s2, read
        addiu $s4, $s4, -1
        bnez  $s4, pass
        li    $v0, 10
        syscall
bad:    move  $a0, $t0
        li    $v0, 17
        syscall
