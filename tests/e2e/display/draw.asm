# draw.asm: a MARS Bitmap Display program of our own, for display.sh.
# MARS settings: units 4 x 4, display 128 x 64, base 0x10008000 ($gp):
# 32 x 16 units, word (y * 32 + x) from $gp.  It fills the display with
# grey, draws a white border, a red box, a green diagonal, and a blue
# line whose words have their top byte set (MARS ignores it).
        .eqv    COLS 32
        .text
main:   li      $a2, 0x00202020        # grey everywhere
        li      $s1, 0
fill_y: li      $s0, 0
fill_x: move    $a0, $s0
        move    $a1, $s1
        jal     plot
        addiu   $s0, $s0, 1
        blt     $s0, COLS, fill_x
        addiu   $s1, $s1, 1
        blt     $s1, 16, fill_y
        li      $a2, 0x00ffffff        # the border: top and bottom rows
        li      $s0, 0
border: move    $a0, $s0
        li      $a1, 0
        jal     plot
        move    $a0, $s0
        li      $a1, 15
        jal     plot
        addiu   $s0, $s0, 1
        blt     $s0, COLS, border
        li      $s1, 0                 # left and right columns
sides:  li      $a0, 0
        move    $a1, $s1
        jal     plot
        li      $a0, 31
        move    $a1, $s1
        jal     plot
        addiu   $s1, $s1, 1
        blt     $s1, 16, sides
        li      $a2, 0x00ff0000        # a red box: x 4..9, y 3..7
        li      $s1, 3
box_y:  li      $s0, 4
box_x:  move    $a0, $s0
        move    $a1, $s1
        jal     plot
        addiu   $s0, $s0, 1
        ble     $s0, 9, box_x
        addiu   $s1, $s1, 1
        ble     $s1, 7, box_y
        li      $a2, 0x0000ff00        # a green diagonal: (12, 2) to (24, 14)
        li      $s0, 0
diag:   addiu   $a0, $s0, 12
        addiu   $a1, $s0, 2
        jal     plot
        addiu   $s0, $s0, 1
        ble     $s0, 12, diag
        li      $a2, 0xff0000ff        # blue, top byte set: x 3..8, y 12
        li      $s0, 3
blue:   move    $a0, $s0
        li      $a1, 12
        jal     plot
        addiu   $s0, $s0, 1
        ble     $s0, 8, blue
        li      $v0, 10
        syscall

# plot(x = $a0, y = $a1, colour = $a2): one unit
plot:   sll     $t0, $a1, 5            # y * COLS
        addu    $t0, $t0, $a0
        sll     $t0, $t0, 2
        addu    $t0, $t0, $gp
        sw      $a2, 0($t0)
        jr      $ra
