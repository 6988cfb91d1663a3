# keys.s: a tiny game on the memory-mapped keyboard and display (MARS's
# Keyboard and Display MMIO Simulator, SPIM's -mapped_io): guess the
# hidden letter, one key at a time.  It polls the receiver for each key
# and the transmitter before each character, as both simulators require.
#
#   myvmm --console raw -v samples/keys.s     # on a terminal: no Enter needed
#   printf 'tgm' | myvmm -v samples/keys.s    # or keys from a pipe
        .data
hello:  .asciiz "guess the letter (a-z)\n"
later:  .asciiz ": later in the alphabet\n"
early:  .asciiz ": earlier in the alphabet\n"
found:  .asciiz ": found in "
tries:  .asciiz " tries\n"
        .text
main:   li   $s0, 0xffff0000        # receiver ctrl +0, data +4; transmitter ctrl +8, data +12
        li   $s1, 'm'               # the hidden letter
        li   $s2, 0                 # tries
        la   $a0, hello
        jal  puts
next:   lw   $t0, 0($s0)            # a key yet?
        andi $t0, $t0, 1
        beqz $t0, next
        lw   $s3, 4($s0)            # the key (reading it clears ready)
        blt  $s3, 'a', next         # not a letter (a newline from a pipe): ignore it
        bgt  $s3, 'z', next
        addi $s2, $s2, 1
        move $a0, $s3
        jal  putc
        la   $a0, later
        bgt  $s1, $s3, say
        la   $a0, early
        blt  $s1, $s3, say
        la   $a0, found
        jal  puts
        addi $a0, $s2, '0'          # fewer than 10 tries: one digit
        jal  putc
        la   $a0, tries
        jal  puts
        li   $v0, 10
        syscall
say:    jal  puts
        j    next

putc:   lw   $t0, 8($s0)            # wait until the transmitter is ready
        andi $t0, $t0, 1
        beqz $t0, putc
        sw   $a0, 12($s0)
        jr   $ra

puts:   move $t1, $a0               # the string at $a0
        move $t2, $ra
puts1:  lbu  $a0, 0($t1)
        beqz $a0, puts2
        jal  putc
        addi $t1, $t1, 1
        j    puts1
puts2:  jr   $t2
