# samples/os/kernel.s: a small guest kernel that owns its machine.
#
# Run it with:   myvmm -v samples/os/demo.cfg   (vm_machine = bare)
#
# It boots in kernel mode at __start (in .ktext, kseg0: unmapped), then
# runs the user processes its process table lists (procs.s: their number,
# entry points and names, and the global mappings `gmap`; the demo's three
# processes are in user.s).  They all use the same virtual addresses:
# their code at 0x00400000 and strings at 0x10010000 are one copy shared
# by all (global TLB entries), and their stack page pair at 0x7fffe000 is
# private: each process has its own physical frames, told apart in the
# TLB by the process's ASID.  The kernel is the same for any table (the
# benchmarks in tests/bench/os.sh include it with a table of their own);
# it
#   - fills the TLB on a refill exception (vector 0x80000000) from its own
#     page tables: the table's global mappings and each process's private
#     pair;
#   - preempts the processes with the Count/Compare timer (interrupt IP7);
#   - implements their system calls itself (print int, string, char,
#     exit), printing through the memory-mapped console;
#   - kills a process that faults (process C stores through a null pointer)
#     and lets the others run on;
#   - powers the machine off through the board register when every
#     process has finished: myvmm then exits with the status written (0).
#
# The machine (docs/devices.md): kseg0 0x80000000-0x9fffffff and kseg1
# 0xa0000000-0xbfffffff are physical memory 0-0x1fffffff, unmapped; the
# devices are at physical 0x1fff0000, seen at kseg1 0xbfff0000: the
# console (transmitter control +8, data +0xc) and, at +0x100, the board's
# power register.  .kdata at 0x90000000 is physical 0x10000000.
#
# Registers the kernel uses: $k0 and $k1 are the kernel's own (a user
# program never relies on them); everything else is saved in the process's
# control block (PCB) before the kernel touches it.

        .set noat               # the kernel saves $at itself: no pseudo-instruction may use it

# ---- constants ------------------------------------------------------------
        .eqv MAXPROC 8         # room for this many processes (pcbs)
        .eqv QUANTUM 2000      # instructions between timer interrupts
        .eqv PCB_SIZE 192
        # PCB fields (byte offsets): registers 1..31 at 4*n
        .eqv PCB_EPC 128
        .eqv PCB_HI 132
        .eqv PCB_LO 136
        .eqv PCB_STATE 140     # 0 finished or killed, 1 runnable
        .eqv PCB_ASID 144
        .eqv PCB_NAME 148      # address of the process's name (kseg0)
        .eqv PCB_VPN2 152      # the private pair's virtual address
        .eqv PCB_LO0 156       # ... and its two EntryLo values
        .eqv PCB_LO1 160
        # EntryLo: PFN << 6 | D (writable) 4 | V (valid) 2 | G (global) 1
        # Status: IM7 (the timer), UM (user mode after eret), EXL, IE
        .eqv USER_STATUS 0x8013

# ---- kernel data (kseg0 0x90000000 = physical 0x10000000) -----------------
        .kdata
cur:    .word 0                 # 0x90000000: the running process's PCB
scratch: .word 0, 0, 0          # 0x90000004: the refill handler's saved $t0-$t2
curidx: .word 0                 # index of the running process
nalive: .word 0                 # processes not yet finished
pcbs:   .space 1536             # MAXPROC * PCB_SIZE
# The process table is not here: procs.s (or a table like it) defines
#   nproc    .word  the number of processes (1 to MAXPROC)
#   entries  .word  each process's entry point
#   names    .word  each process's name (a kernel string)
#   gmap     the global mappings, one row per even/odd page pair: VPN2
#            address, EntryLo0, EntryLo1; the table ends with -1.

m_boot:  .asciiz "[kernel] booting: "
m_boot2: .asciiz " processes, one address space each\n"
m_many:  .asciiz "[kernel] the process table's nproc is not 1 to 8: power off\n"  # 8: MAXPROC
m_start: .asciiz "[kernel] start process "
m_exit:  .asciiz "[kernel] process "
m_exit2: .asciiz " exited\n"
m_kill:  .asciiz " killed: "
m_at:    .asciiz " at address "
m_pc:    .asciiz ", pc "
m_off:   .asciiz "[kernel] all processes finished: power off\n"
m_sys:   .asciiz "unknown system call "
nl:      .asciiz "\n"
# Names of the exception codes 0-15, 8 bytes each.
excname: .asciiz "Int    "
         .asciiz "Mod    "
         .asciiz "TLBL   "
         .asciiz "TLBS   "
         .asciiz "AdEL   "
         .asciiz "AdES   "
         .asciiz "IBE    "
         .asciiz "DBE    "
         .asciiz "Sys    "
         .asciiz "Bp     "
         .asciiz "RI     "
         .asciiz "CpU    "
         .asciiz "Ov     "
         .asciiz "Tr     "
         .asciiz "exc14  "
         .asciiz "FPE    "

# ---- the TLB refill handler: vector 0x80000000 ----------------------------
# Taken on a TLB miss in user mode (EXL clear).  The CPU has put the
# missing page pair's address and the current ASID in EntryHi: find the
# pair in the tables, write it to a random TLB entry, and retry the
# instruction.  A miss nowhere in the tables is the process's fault: go on
# to the general handler, which kills it.
        .ktext 0x80000000
refill:
        lui   $k0, 0x9000
        sw    $t0, 4($k0)       # three registers of room (scratch)
        sw    $t1, 8($k0)
        sw    $t2, 12($k0)
        mfc0  $k1, $10          # EntryHi
        srl   $k1, $k1, 13
        sll   $k1, $k1, 13      # the pair's virtual address (VPN2)
        lw    $t0, 0($k0)       # the running process's PCB: its private pair?
        lw    $t1, PCB_VPN2($t0)
        bne   $t1, $k1, refill_global
        lw    $t1, PCB_LO0($t0)
        lw    $t2, PCB_LO1($t0)
        j     refill_write
refill_global:
        la    $t0, gmap         # (lui and ori into $t0: no $at)
        addiu $t2, $zero, -1
refill_scan:
        lw    $t1, 0($t0)
        beq   $t1, $t2, refill_fault        # end of the table
        beq   $t1, $k1, refill_found
        addiu $t0, $t0, 12
        j     refill_scan
refill_found:
        lw    $t2, 8($t0)
        lw    $t1, 4($t0)
refill_write:
        mtc0  $t1, $2           # EntryLo0
        mtc0  $t2, $3           # EntryLo1
        tlbwr                   # a random entry (not a wired one)
        lw    $t0, 4($k0)
        lw    $t1, 8($k0)
        lw    $t2, 12($k0)
        eret                    # run the instruction that missed again
refill_fault:
        lw    $t0, 4($k0)
        lw    $t1, 8($k0)
        lw    $t2, 12($k0)
        j     general           # Cause still says TLBL or TLBS

# ---- the general exception vector: 0x80000180 -----------------------------
# Interrupts, system calls and faults.  Save the whole user context in the
# PCB first, then decide.
        .ktext 0x80000180
general:
        lui   $k0, 0x9000
        lw    $k0, 0($k0)       # the PCB
        sw    $1, 4($k0)
        sw    $2, 8($k0)
        sw    $3, 12($k0)
        sw    $4, 16($k0)
        sw    $5, 20($k0)
        sw    $6, 24($k0)
        sw    $7, 28($k0)
        sw    $8, 32($k0)
        sw    $9, 36($k0)
        sw    $10, 40($k0)
        sw    $11, 44($k0)
        sw    $12, 48($k0)
        sw    $13, 52($k0)
        sw    $14, 56($k0)
        sw    $15, 60($k0)
        sw    $16, 64($k0)
        sw    $17, 68($k0)
        sw    $18, 72($k0)
        sw    $19, 76($k0)
        sw    $20, 80($k0)
        sw    $21, 84($k0)
        sw    $22, 88($k0)
        sw    $23, 92($k0)
        sw    $24, 96($k0)
        sw    $25, 100($k0)
        sw    $28, 112($k0)
        sw    $29, 116($k0)
        sw    $30, 120($k0)
        sw    $31, 124($k0)
        mfhi  $k1
        sw    $k1, PCB_HI($k0)
        mflo  $k1
        sw    $k1, PCB_LO($k0)
        mfc0  $k1, $14          # EPC: where the process resumes
        sw    $k1, PCB_EPC($k0)
        lui   $sp, 0x80f0       # the kernel's own stack (physical 0x00f00000)
        .set at                 # from here on the assembler may use $at
        mfc0  $t0, $13          # Cause
        srl   $t0, $t0, 2
        andi  $t0, $t0, 0x1f    # ExcCode
        beqz  $t0, interrupt
        li    $t1, 8
        beq   $t0, $t1, syscall_
        j     kill              # anything else is the process's fault

# The timer: acknowledge it (a write to Compare lowers IP7) and preempt.
interrupt:
        mfc0  $t0, $9           # Count
        addiu $t0, $t0, QUANTUM
        mtc0  $t0, $11          # Compare: the next tick
        j     schedule

# System calls: $v0 selects, as in SPIM.  The process resumes after its
# syscall instruction.
syscall_:
        lw    $t0, PCB_EPC($k0)
        addiu $t0, $t0, 4
        sw    $t0, PCB_EPC($k0)
        lw    $t0, 8($k0)       # the process's $v0
        lw    $a0, 16($k0)      # ... and $a0
        li    $t1, 1
        beq   $t0, $t1, sys_print_int
        li    $t1, 4
        beq   $t0, $t1, sys_print_string
        li    $t1, 11
        beq   $t0, $t1, sys_print_char
        li    $t1, 10
        beq   $t0, $t1, sys_exit
        la    $a0, m_exit
        jal   puts
        lw    $a0, PCB_NAME($k0)
        jal   puts
        la    $a0, m_kill
        jal   puts
        la    $a0, m_sys
        jal   puts
        lw    $a0, 8($k0)
        jal   print_dec
        la    $a0, nl
        jal   puts
        j     finish
sys_print_int:
        jal   print_dec
        j     resume
sys_print_char:
        jal   putc
        j     resume
# The string is in the process's address space: the kernel walks the
# process's page tables itself (uvirt) and reads each byte through kseg0,
# instead of touching user addresses (which could miss in the TLB while
# EXL is set).
sys_print_string:
        move  $s0, $a0
sys_ps_loop:
        move  $a0, $s0
        jal   uvirt
        beqz  $v0, kill_bad_pointer
        lbu   $a0, 0($v0)
        beqz  $a0, resume
        jal   putc
        addiu $s0, $s0, 1
        j     sys_ps_loop
kill_bad_pointer:
        move  $s1, $s0
        li    $t0, 4            # as an AdEL
        j     kill_code
sys_exit:
        la    $a0, m_exit
        jal   puts
        lw    $a0, PCB_NAME($k0)
        jal   puts
        la    $a0, m_exit2
        jal   puts
        j     finish

# A fault: print what and where, then the process is gone.
kill:
        mfc0  $s1, $8           # BadVAddr
        mfc0  $t0, $13
        srl   $t0, $t0, 2
        andi  $t0, $t0, 0x1f
kill_code:
        move  $s2, $t0
        la    $a0, m_exit
        jal   puts
        lw    $a0, PCB_NAME($k0)
        jal   puts
        la    $a0, m_kill
        jal   puts
        la    $a0, excname
        sll   $t0, $s2, 3
        addu  $a0, $a0, $t0
        jal   puts_trim
        la    $a0, m_at
        jal   puts
        move  $a0, $s1
        jal   print_hex
        la    $a0, m_pc
        jal   puts
        lw    $a0, PCB_EPC($k0)
        jal   print_hex
        la    $a0, nl
        jal   puts
# The running process is finished (exited or killed).
finish:
        sw    $zero, PCB_STATE($k0)
        lw    $t0, nalive
        addiu $t0, $t0, -1
        sw    $t0, nalive
        bnez  $t0, schedule
        la    $a0, m_off
        jal   puts
        li    $t0, 0xbfff0100   # the board's power register
        sw    $zero, 0($t0)     # exit status 0: the machine stops here
        j     finish            # never reached

# Round robin: the next runnable process after the current one.
schedule:
        lw    $t0, curidx
        lw    $t2, nproc
sched_next:
        addiu $t0, $t0, 1
        bne   $t0, $t2, sched_try
        move  $t0, $zero
sched_try:
        li    $t1, PCB_SIZE
        mul   $t1, $t1, $t0
        la    $t3, pcbs
        addu  $t1, $t1, $t3
        lw    $t3, PCB_STATE($t1)
        beqz  $t3, sched_next   # nalive > 0: the loop ends
        sw    $t0, curidx
        sw    $t1, cur
        move  $k0, $t1
        j     resume

# Back to the process in $k0: its address space (ASID), its registers.
resume:
        .set noat
        lw    $k1, PCB_ASID($k0)
        mtc0  $k1, $10          # EntryHi: the ASID of the process to run
        lw    $k1, PCB_EPC($k0)
        mtc0  $k1, $14
        lw    $k1, PCB_HI($k0)
        mthi  $k1
        lw    $k1, PCB_LO($k0)
        mtlo  $k1
        lw    $1, 4($k0)
        lw    $2, 8($k0)
        lw    $3, 12($k0)
        lw    $4, 16($k0)
        lw    $5, 20($k0)
        lw    $6, 24($k0)
        lw    $7, 28($k0)
        lw    $8, 32($k0)
        lw    $9, 36($k0)
        lw    $10, 40($k0)
        lw    $11, 44($k0)
        lw    $12, 48($k0)
        lw    $13, 52($k0)
        lw    $14, 56($k0)
        lw    $15, 60($k0)
        lw    $16, 64($k0)
        lw    $17, 68($k0)
        lw    $18, 72($k0)
        lw    $19, 76($k0)
        lw    $20, 80($k0)
        lw    $21, 84($k0)
        lw    $22, 88($k0)
        lw    $23, 92($k0)
        lw    $24, 96($k0)
        lw    $25, 100($k0)
        lw    $28, 112($k0)
        lw    $29, 116($k0)
        lw    $30, 120($k0)
        lw    $31, 124($k0)
        eret                    # EXL off: user mode, interrupts on, at EPC
        .set at

# ---- boot ---------------------------------------------------------------
        .globl __start
__start:
        lui   $sp, 0x80f0
        lw    $s1, nproc
        blez  $s1, boot_bad_table
        li    $t0, MAXPROC
        bgt   $s1, $t0, boot_bad_table
        sw    $s1, nalive
        la    $a0, m_boot
        jal   puts
        move  $a0, $s1
        jal   print_dec
        la    $a0, m_boot2
        jal   puts
        # Every TLB entry made harmless: a distinct kseg0 address (never
        # translated through the TLB) with both pages invalid.
        mtc0  $zero, $6         # Wired = 0: tlbwr may use all 32 entries
        mtc0  $zero, $2
        mtc0  $zero, $3
        li    $t0, 0
        li    $t1, 0x80000000
boot_tlb:
        mtc0  $t0, $0           # Index
        mtc0  $t1, $10          # EntryHi
        tlbwi
        addiu $t0, $t0, 1
        addiu $t1, $t1, 0x2000
        li    $t2, 32
        bne   $t0, $t2, boot_tlb
        # The processes: entry point, stack, ASID i + 1, and a private
        # page pair at 0x7fffe000 backed by frames at 0x00800000 + i * 0x2000.
        la    $s0, pcbs
        li    $s1, 0
boot_proc:
        li    $t0, 1
        sw    $t0, PCB_STATE($s0)
        addiu $t0, $s1, 1
        sw    $t0, PCB_ASID($s0)
        sll   $t1, $s1, 2
        lw    $t0, entries($t1)
        sw    $t0, PCB_EPC($s0)
        lw    $t0, names($t1)
        sw    $t0, PCB_NAME($s0)
        li    $t0, 0x7ffffff0
        sw    $t0, 116($s0)     # $sp
        li    $t0, 0x7fffe000
        sw    $t0, PCB_VPN2($s0)
        sll   $t0, $s1, 1       # frame number 0x800 + 2i
        addiu $t0, $t0, 0x800
        sll   $t0, $t0, 6
        ori   $t0, $t0, 6       # D | V
        sw    $t0, PCB_LO0($s0)
        addiu $t0, $t0, 64      # the next frame (PFN + 1)
        sw    $t0, PCB_LO1($s0)
        addiu $s0, $s0, PCB_SIZE
        addiu $s1, $s1, 1
        lw    $t0, nproc
        bne   $s1, $t0, boot_proc
        # The timer, then process 0.
        mtc0  $zero, $9         # Count
        li    $t0, QUANTUM
        mtc0  $t0, $11          # Compare
        li    $t0, USER_STATUS
        mtc0  $t0, $12          # EXL set: no interrupt until the eret
        la    $k0, pcbs
        sw    $k0, cur
        sw    $zero, curidx
        j     resume
# A table the kernel has no room for: say so and power off (status 1).
boot_bad_table:
        la    $a0, m_many
        jal   puts
        li    $t0, 0xbfff0100   # the board's power register
        li    $t1, 1
        sw    $t1, 0($t0)       # exit status 1: the machine stops here

# ---- kernel helpers (kernel addresses only) -------------------------------

# uvirt: the kseg0 address of the running process's virtual address $a0,
# from the same tables the refill handler reads; 0 if unmapped.
uvirt:
        srl   $t0, $a0, 13
        sll   $t0, $t0, 13      # the pair
        lw    $t1, PCB_VPN2($k0)
        bne   $t0, $t1, uv_global
        addiu $t2, $k0, PCB_LO0
        j     uv_pick
uv_global:
        la    $t2, gmap
uv_scan:
        lw    $t1, 0($t2)
        li    $t3, -1
        beq   $t1, $t3, uv_none
        addiu $t2, $t2, 4
        beq   $t1, $t0, uv_pick
        addiu $t2, $t2, 8
        j     uv_scan
uv_pick:                        # $t2: the pair's EntryLo0
        andi  $t1, $a0, 0x1000  # odd page?
        beqz  $t1, uv_even
        addiu $t2, $t2, 4
uv_even:
        lw    $t1, 0($t2)
        andi  $t3, $t1, 2       # V
        beqz  $t3, uv_none
        srl   $t1, $t1, 6
        sll   $t1, $t1, 12      # the frame's physical address
        andi  $t3, $a0, 0xfff
        or    $v0, $t1, $t3
        li    $t3, 0x80000000   # seen through kseg0
        or    $v0, $v0, $t3
        jr    $ra
uv_none:
        move  $v0, $zero
        jr    $ra

# putc: write the byte $a0 to the console once its transmitter is ready.
putc:
        li    $t8, 0xbfff0000
putc_wait:
        lw    $t9, 8($t8)       # transmitter control: bit 0 ready
        andi  $t9, $t9, 1
        beqz  $t9, putc_wait
        sw    $a0, 12($t8)      # transmitter data
        jr    $ra

# puts: the kernel string at $a0.
puts:
        addiu $sp, $sp, -8
        sw    $ra, 0($sp)
        sw    $s7, 4($sp)
        move  $s7, $a0
puts_loop:
        lbu   $a0, 0($s7)
        beqz  $a0, puts_done
        jal   putc
        addiu $s7, $s7, 1
        j     puts_loop
puts_done:
        lw    $ra, 0($sp)
        lw    $s7, 4($sp)
        addiu $sp, $sp, 8
        jr    $ra

# puts_trim: as puts, stopping at the first blank (the exception names).
puts_trim:
        addiu $sp, $sp, -8
        sw    $ra, 0($sp)
        sw    $s7, 4($sp)
        move  $s7, $a0
pt_loop:
        lbu   $a0, 0($s7)
        li    $t0, ' '
        beq   $a0, $t0, puts_done
        beqz  $a0, puts_done
        jal   putc
        addiu $s7, $s7, 1
        j     pt_loop

# print_dec: $a0 as a signed decimal number.
print_dec:
        addiu $sp, $sp, -24
        sw    $ra, 20($sp)
        move  $t4, $a0
        bgez  $t4, pd_digits
        li    $a0, '-'
        jal   putc
        subu  $t4, $zero, $t4
pd_digits:
        addiu $t5, $sp, 16      # digits stored backwards from here
        sb    $zero, 0($t5)
pd_loop:
        li    $t6, 10
        divu  $t4, $t6
        mfhi  $t7
        mflo  $t4
        addiu $t7, $t7, '0'
        addiu $t5, $t5, -1
        sb    $t7, 0($t5)
        bnez  $t4, pd_loop
        move  $a0, $t5
        jal   puts
        lw    $ra, 20($sp)
        addiu $sp, $sp, 24
        jr    $ra

# print_hex: $a0 as 0x followed by 8 hex digits.
print_hex:
        addiu $sp, $sp, -8
        sw    $ra, 0($sp)
        sw    $s6, 4($sp)
        move  $s6, $a0
        li    $a0, '0'
        jal   putc
        li    $a0, 'x'
        jal   putc
        li    $t5, 28
ph_loop:
        srlv  $a0, $s6, $t5
        andi  $a0, $a0, 0xf
        slti  $t6, $a0, 10
        bnez  $t6, ph_digit
        addiu $a0, $a0, 39      # 'a' - 10 - '0'
ph_digit:
        addiu $a0, $a0, '0'
        jal   putc
        addiu $t5, $t5, -4
        bgez  $t5, ph_loop
        lw    $ra, 0($sp)
        lw    $s6, 4($sp)
        addiu $sp, $sp, 8
        jr    $ra
