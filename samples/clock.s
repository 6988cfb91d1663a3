# clock.s: the real-time clock and the interval timer (docs/devices.md).
# The timer expires every 100 microseconds of virtual time; the program
# polls its status, acknowledges each expiration and prints the time the
# rtc reads, relative to the start.  Time is virtual (one nanosecond per
# instruction), so the output is the same on every run and every host:
#
#   myvmm -v samples/clock.s
#   myvmm --trace-exits -v samples/clock.s   # each register access, each expiration
        .data
tick:   .asciiz "tick "
at:     .asciiz " at +"
us:     .asciiz " us\n"
        .text
main:   li   $s0, 0xffff0300        # rtc: time_lo +0, time_hi +4
        li   $s1, 0xffff0310        # timer: period +0, ctrl +4, status +8, ticks +12
        lw   $s2, 0($s0)            # the start, in microseconds (low word)
        li   $t0, 100
        sw   $t0, 0($s1)            # period: 100 us
        li   $t0, 1
        sw   $t0, 4($s1)            # ctrl: enable (no interrupt: polled)
        li   $s3, 0                 # ticks seen
poll:   lw   $t1, 8($s1)            # status
        beqz $t1, poll
        sw   $t1, 8($s1)            # acknowledge: write 1 to expired
        addi $s3, $s3, 1
        lw   $s4, 0($s0)            # now
        la   $a0, tick
        li   $v0, 4
        syscall
        move $a0, $s3
        li   $v0, 1
        syscall
        la   $a0, at
        li   $v0, 4
        syscall
        subu $a0, $s4, $s2
        li   $v0, 1
        syscall
        la   $a0, us
        li   $v0, 4
        syscall
        blt  $s3, 5, poll
        sw   $zero, 4($s1)          # ctrl: stop the timer
        li   $v0, 10
        syscall
