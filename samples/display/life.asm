# life.asm: Conway's game of life on MARS's Bitmap Display.
#
# Set MARS's Bitmap Display (Tools menu) to units of 8 x 8 pixels, a
# display of 512 x 256 pixels, base address 0x10010000 (static data), and
# connect it; or run it here with life.cfg, which says the same:
#
#     build/myvmm --display png:life.png -v samples/display/life.cfg
#
# The board is 64 x 32 cells, one display unit each, and wraps around at
# its edges (a torus).  It starts with a glider, a blinker, an R-pentomino
# and a lightweight spaceship, runs GENS generations, and prints how many
# cells are alive.  Each generation is computed into a byte grid and then
# drawn: one sw per cell into the framebuffer, word (y * 64 + x).

        .eqv    W     64              # cells across (a power of two)
        .eqv    H     32              # cells down
        .eqv    GENS  60
        .eqv    ALIVE 0x00ffc020      # amber
        .eqv    DEAD  0x00102040      # dark blue

        .data
fb:     .space  8192                  # W * H words: the display (at 0x10010000)
cells:  .space  2048                  # W * H bytes: 1 alive, 0 dead
next:   .space  2048
# the starting cells: x, y pairs, ending with -1
start:  .word   2,1, 3,2, 1,3, 2,3, 3,3                 # a glider
        .word   40,4, 41,4, 42,4                        # a blinker
        .word   21,14, 22,14, 20,15, 21,15, 21,16       # an R-pentomino
        .word   50,20, 53,20, 54,21, 50,22, 54,22       # a lightweight spaceship
        .word   51,23, 52,23, 53,23, 54,23
        .word   -1
msg1:   .asciiz "generation "
msg2:   .asciiz ": "
msg3:   .asciiz " cells alive\n"

        .text
main:   la      $t0, start
seed:   lw      $t1, 0($t0)           # x
        bltz    $t1, seeded
        lw      $t2, 4($t0)           # y
        sll     $t2, $t2, 6           # y * W
        addu    $t2, $t2, $t1
        la      $t3, cells
        addu    $t3, $t3, $t2
        li      $t4, 1
        sb      $t4, 0($t3)
        addiu   $t0, $t0, 8
        j       seed
seeded: jal     draw
        li      $s7, 0                # generation
gen:    jal     step
        jal     draw
        addiu   $s7, $s7, 1
        blt     $s7, GENS, gen
        li      $v0, 4
        la      $a0, msg1
        syscall
        li      $v0, 1
        move    $a0, $s7
        syscall
        li      $v0, 4
        la      $a0, msg2
        syscall
        li      $v0, 1
        move    $a0, $v1              # draw's count of live cells
        syscall
        li      $v0, 4
        la      $a0, msg3
        syscall
        li      $v0, 10
        syscall

# step: next = the generation after cells; then cells = next.
step:   li      $s1, 0                # y
srow:   li      $s0, 0                # x
scell:  li      $t9, 0                # live neighbours
        li      $t6, -1               # dy
sdy:    li      $t5, -1               # dx
sdx:    or      $t0, $t5, $t6
        beqz    $t0, sskip            # the cell itself
        addu    $t1, $s0, $t5
        andi    $t1, $t1, 63          # x wraps (W - 1)
        addu    $t2, $s1, $t6
        andi    $t2, $t2, 31          # y wraps (H - 1)
        sll     $t2, $t2, 6
        addu    $t2, $t2, $t1
        lbu     $t3, cells($t2)
        addu    $t9, $t9, $t3
sskip:  addiu   $t5, $t5, 1
        ble     $t5, 1, sdx
        addiu   $t6, $t6, 1
        ble     $t6, 1, sdy
        sll     $t2, $s1, 6
        addu    $t2, $t2, $s0
        lbu     $t3, cells($t2)
        li      $t4, 0
        beq     $t9, 3, sborn         # three neighbours: alive
        bne     $t9, 2, sset          # not two: dead
        move    $t4, $t3              # two: as it was
        j       sset
sborn:  li      $t4, 1
sset:   sb      $t4, next($t2)
        addiu   $s0, $s0, 1
        blt     $s0, W, scell
        addiu   $s1, $s1, 1
        blt     $s1, H, srow
        li      $t0, 0                # cells = next
scopy:  lw      $t1, next($t0)
        sw      $t1, cells($t0)
        addiu   $t0, $t0, 4
        blt     $t0, 2048, scopy
        jr      $ra

# draw: a word of colour per cell into the framebuffer; $v1 = cells alive.
draw:   li      $t0, 0                # cell index
        li      $v1, 0
        la      $t2, fb
dcell:  lbu     $t3, cells($t0)
        li      $t4, DEAD
        beqz    $t3, dput
        li      $t4, ALIVE
        addiu   $v1, $v1, 1
dput:   sll     $t5, $t0, 2
        addu    $t5, $t5, $t2
        sw      $t4, 0($t5)
        addiu   $t0, $t0, 1
        blt     $t0, 2048, dcell
        jr      $ra
