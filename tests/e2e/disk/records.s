# records.s: for pass 0..7, writes record (pass, i) to sector i of its
# 1 MiB disk (2048 sectors), one write each, and after each write is DONE
# prints "pass i": what the guest was told.  A record is 128 words: pass,
# i, then pass * 4096 + i + k for k = 2..127.
        .data
        .align 2
rec:    .space 512
        .text
main:   li    $s0, 0xffff0200
        li    $t0, 1
        sw    $t0, 4($s0)       # COUNT: one sector
        la    $t0, rec
        sw    $t0, 8($s0)       # ADDR
        li    $s4, 0            # pass
pass:   li    $s1, 0            # record
record: la    $t0, rec
        sw    $s4, 0($t0)
        sw    $s1, 4($t0)
        sll   $t2, $s4, 12
        addu  $t2, $t2, $s1
        li    $t1, 2
fill:   sll   $t3, $t1, 2
        addu  $t3, $t3, $t0
        addu  $t4, $t2, $t1
        sw    $t4, 0($t3)
        addiu $t1, $t1, 1
        bne   $t1, 128, fill
        sw    $s1, 0($s0)       # SECTOR
        li    $t0, 2
        sw    $t0, 12($s0)      # COMMAND: write (it is in the file when this returns)
        lw    $t0, 16($s0)      # STATUS
        bne   $t0, 0x100, bad
        move  $a0, $s4          # told: print "pass i"
        li    $v0, 1
        syscall
        li    $a0, 32
        li    $v0, 11
        syscall
        move  $a0, $s1
        li    $v0, 1
        syscall
        li    $a0, 10
        li    $v0, 11
        syscall
        addiu $s1, $s1, 1
        bne   $s1, 2048, record
        addiu $s4, $s4, 1
        bne   $s4, 8, pass
        li    $v0, 10
        syscall
bad:    move  $a0, $t0
        li    $v0, 17
        syscall
