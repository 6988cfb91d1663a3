# hello.s: a bare machine (myvmm --machine bare) owned by its own kernel.
#
# The kernel maps the user's code and data pages in the TLB, drops to user
# mode with eret, implements the user's system calls itself (printing
# through the console at its kseg1 address), maps the user's stack page on
# a TLB refill (the refill vector, 0x80000000), and kills the user process
# when it touches a kernel address.  Then it powers the board off.
#
# Syscalls ($v0): 4 print the string at $a0, 11 print the character $a0,
# 17 power off with status $a0.  The handler saves nothing but $t0..$t2.

        .kdata
saves:  .word 0, 0, 0
refills: .word 0
k_killed: .asciiz "kernel: user process killed, exception code "
k_refill: .asciiz "kernel: TLB refills: "
k_off:  .asciiz "kernel: power off\n"

# ---- TLB refill vector: map the missing pair to physical 0x00200000/1000
        .ktext 0x80000000
refill: la    $k0, refills
        lw    $k1, 0($k0)
        addiu $k1, $k1, 1
        sw    $k1, 0($k0)
        li    $k0, 0x00008006           # PFN 0x200, D, V
        mtc0  $k0, $2
        li    $k0, 0x00008046           # PFN 0x201, D, V
        mtc0  $k0, $3
        tlbwr                           # EntryHi already holds the missing VPN2
        eret

# ---- every other exception
        .ktext 0x80000180
general:
        la    $k0, saves
        sw    $t0, 0($k0)
        sw    $t1, 4($k0)
        sw    $t2, 8($k0)
        mfc0  $k0, $13                  # Cause
        andi  $k0, $k0, 0x7c
        li    $k1, 0x20                 # ExcCode 8: Sys
        bne   $k0, $k1, kill
        li    $k1, 4
        beq   $v0, $k1, sys_string
        li    $k1, 11
        beq   $v0, $k1, sys_char
        li    $k1, 17
        beq   $v0, $k1, sys_exit
        j     kill
sys_char:
        li    $t0, 0xbfff000c           # console transmitter data (kseg1)
        sb    $a0, 0($t0)
        j     sys_done
sys_string:
        move  $t1, $a0
        li    $t0, 0xbfff000c
str_loop:
        lbu   $t2, 0($t1)               # the user's address, through its mapping
        beq   $t2, $zero, sys_done
        sb    $t2, 0($t0)
        addiu $t1, $t1, 1
        j     str_loop
sys_done:
        mfc0  $k0, $14                  # return past the syscall
        addiu $k0, $k0, 4
        mtc0  $k0, $14
        la    $k0, saves
        lw    $t0, 0($k0)
        lw    $t1, 4($k0)
        lw    $t2, 8($k0)
        eret
sys_exit:
        move  $s0, $a0
        j     power_off
kill:   la    $a0, k_killed
        jal   kputs
        mfc0  $a0, $13
        andi  $a0, $a0, 0x7c
        srl   $a0, $a0, 2
        jal   kputdec
        li    $a0, 10
        jal   kputc
        li    $s0, 0
power_off:
        la    $a0, k_refill
        jal   kputs
        la    $t0, refills
        lw    $a0, 0($t0)
        jal   kputdec
        li    $a0, 10
        jal   kputc
        la    $a0, k_off
        jal   kputs
        li    $t0, 0xbfff0100           # the board's power register (kseg1)
        sw    $s0, 0($t0)
halt:   j     halt

# kputc: print the character $a0.  kputs: the string at $a0.
# kputdec: $a0 (0..99) in decimal.  They use $t8, $t9.
kputc:  li    $t9, 0xbfff000c
        sb    $a0, 0($t9)
        jr    $ra
kputs:  li    $t9, 0xbfff000c
kputs1: lbu   $t8, 0($a0)
        beq   $t8, $zero, kputs2
        sb    $t8, 0($t9)
        addiu $a0, $a0, 1
        j     kputs1
kputs2: jr    $ra
kputdec:
        li    $t9, 0xbfff000c
        li    $t8, 10
        div   $a0, $t8
        mflo  $t8
        beq   $t8, $zero, kputd1
        addiu $t8, $t8, 48
        sb    $t8, 0($t9)
kputd1: mfhi  $t8
        addiu $t8, $t8, 48
        sb    $t8, 0($t9)
        jr    $ra

# ---- boot: two wired TLB entries, then user mode
__start:
        mtc0  $zero, $0                 # Index 0: the user's code, read-only
        li    $t0, 0x00400000           # VPN2 of 0x00400000/0x00401000, ASID 0
        mtc0  $t0, $10
        li    $t0, 0x00010002           # PFN 0x400, V
        mtc0  $t0, $2
        li    $t0, 0x00010042           # PFN 0x401, V
        mtc0  $t0, $3
        tlbwi
        li    $t0, 1                    # Index 1: the user's data, writable
        mtc0  $t0, $0
        li    $t0, 0x10010000
        mtc0  $t0, $10
        li    $t0, 0x00400406           # PFN 0x10010, D, V
        mtc0  $t0, $2
        mtc0  $zero, $3                 # the odd page: invalid
        tlbwi
        li    $t0, 2                    # tlbwr never replaces entries 0 and 1
        mtc0  $t0, $6
        la    $t0, main
        mtc0  $t0, $14                  # EPC: where eret goes
        li    $t0, 0x12                 # UM | EXL: user mode once eret clears EXL
        mtc0  $t0, $12
        eret

# ---- the user process
        .data
greeting: .asciiz "hello from user mode\n"
slot:   .word 0
        .text
main:   li    $t3, 40                   # a user-mode loop first (a snapshot lands in it)
spin:   addiu $t3, $t3, -1
        bgtz  $t3, spin
        la    $a0, greeting
        li    $v0, 4
        syscall
        la    $t0, slot                 # store and load through the TLB
        li    $t1, 65
        sw    $t1, 0($t0)
        lw    $a0, 0($t0)
        li    $v0, 11
        syscall                         # 'A'
        li    $sp, 0x7fff0000           # the stack: not mapped until a refill
        li    $t1, 66
        sw    $t1, -4($sp)
        lw    $a0, -4($sp)
        syscall                         # 'B'
        li    $a0, 10
        syscall
        lw    $t1, 0($sp)               # the next page pair: a second refill
        li    $t1, 0x80001000
        sw    $zero, 0($t1)             # a kernel address: AdES, killed
        li    $a0, 3
        li    $v0, 17
        syscall                         # never reached
