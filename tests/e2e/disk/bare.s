# bare.s: the disk on the bare machine: registers at physical 0x1fff0200
# (kseg1 0xbfff0200), DMA to a physical address.  Reads sector 1 into
# .kdata (physical 0x10000000), prints it up to its NUL on the console,
# writes it back to sector 0, powers off with the status the disk gave.
        .kdata
buf:    .space  512
        .ktext
__start:
        lui     $s0, 0xbfff             # the device window (kseg1)
        li      $t0, 1
        sw      $t0, 0x200($s0)         # SECTOR 1
        sw      $t0, 0x204($s0)         # COUNT 1
        lui     $t0, 0x1000             # ADDR: buf's physical address
        sw      $t0, 0x208($s0)
        li      $t0, 1
        sw      $t0, 0x20c($s0)         # COMMAND: read
        lw      $s1, 0x210($s0)         # STATUS
        la      $t1, buf                # kseg0 0x90000000: the same bytes
print:  lbu     $t2, 0($t1)
        beqz    $t2, back
        sw      $t2, 0xc($s0)           # console transmitter
        addiu   $t1, $t1, 1
        b       print
back:   sw      $zero, 0x200($s0)       # SECTOR 0
        li      $t0, 2
        sw      $t0, 0x20c($s0)         # COMMAND: write
        lw      $t0, 0x210($s0)
        or      $s1, $s1, $t0
        andi    $s1, $s1, 0xff          # 0 when both went well
        sw      $s1, 0x100($s0)         # the board: power off with it
