# samples/os/procs.s: the demo's process table, read by the kernel (kernel.s).
#
# The kernel runs whatever this table lists, so another set of programs
# needs only another table (tests/bench/os.sh builds one for a benchmark):
#   nproc    the number of processes (1 to the kernel's MAXPROC, 8)
#   entries  each process's entry point, in the order they first run
#   names    each process's name, for the kernel's messages
#   gmap     the mappings every process shares (global TLB entries), one
#            row per even/odd page pair: the pair's virtual address
#            (VPN2), EntryLo0, EntryLo1; the table ends with -1.
# EntryLo: PFN << 6 | D (writable) 4 | V (valid) 2 | G (global) 1.  The
# machine loads .text at physical 0x00400000 and .data at 0x10010000, so
# these mappings are the identity.  Text and strings are read-only here (no
# D bit): a store there is a Mod exception.  Each process's stack pair at
# 0x7fffe000 is not in the table: the kernel gives every process its own.

        .kdata
nproc:   .word 3
entries: .word proc_a, proc_b, proc_c
names:   .word name_a, name_b, name_c
gmap:    .word 0x00400000, 0x00010003, 0x00010043   # frames 0x00400, 0x00401: V G
         .word 0x00402000, 0x00010083, 0x000100c3   # frames 0x00402, 0x00403: V G
         .word 0x10010000, 0x00400403, 0x00400443   # frames 0x10010, 0x10011: V G
         .word -1
name_a:  .asciiz "A"
name_b:  .asciiz "B"
name_c:  .asciiz "C"
