# disk_writer.s: writes its 1 MiB disk over and over, 4 KiB at a time,
# each pass with other contents, and reads it all back after each pass:
# one checksum line per pass.  Under migration, disk writes are in flight
# in every round.
        .data
        .align 2
buf:    .space 4096
        .text
main:   li    $s0, 0xffff0200   # the disk
        li    $t0, 8
        sw    $t0, 4($s0)       # COUNT: 8 sectors
        la    $t0, buf
        sw    $t0, 8($s0)       # ADDR
        li    $s4, 0            # pass
pass:   li    $s1, 0            # block
block:  la    $t0, buf          # fill: word i = pass * 0x9e3779b1 + block * 1024 + i
        li    $t1, 0
        li    $t2, 0x9e3779b1
        mul   $t2, $t2, $s4
        sll   $t3, $s1, 10
        addu  $t2, $t2, $t3
fill:   addu  $t3, $t2, $t1
        sw    $t3, 0($t0)
        addiu $t0, $t0, 4
        addiu $t1, $t1, 1
        bne   $t1, 1024, fill
        sll   $t0, $s1, 3
        sw    $t0, 0($s0)       # SECTOR
        li    $t0, 2
        sw    $t0, 12($s0)      # COMMAND: write
        jal   check
        addiu $s1, $s1, 1
        bne   $s1, 256, block
        li    $s1, 0            # read it all back
        li    $s2, 0            # checksum
rblock: sll   $t0, $s1, 3
        sw    $t0, 0($s0)
        li    $t0, 1
        sw    $t0, 12($s0)      # COMMAND: read
        jal   check
        la    $t0, buf
        li    $t1, 0
sum:    lw    $t3, 0($t0)
        sll   $t4, $s2, 5       # checksum = checksum * 31 + word
        subu  $s2, $t4, $s2
        addu  $s2, $s2, $t3
        addiu $t0, $t0, 4
        addiu $t1, $t1, 1
        bne   $t1, 1024, sum
        addiu $s1, $s1, 1
        bne   $s1, 256, rblock
        move  $a0, $s2
        li    $v0, 1
        syscall
        li    $a0, 10
        li    $v0, 11
        syscall
        addiu $s4, $s4, 1
        bne   $s4, 40, pass
        li    $v0, 10
        syscall
check:  lw    $t0, 16($s0)      # STATUS: DONE and 0
        sw    $t0, 16($s0)
        bne   $t0, 0x100, bad
        jr    $ra
bad:    move  $a0, $t0
        li    $v0, 17           # exit2 with the status
        syscall
