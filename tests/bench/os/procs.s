# tests/bench/os/procs.s: the demo kernel's process table (samples/os/procs.s
# describes it) for one benchmark process: os.sh assembles
# samples/os/kernel.s, this table, tests/bench/main.s.in and a kernel into
# one image for `myvmm --machine bare`.  The process starts at `main`; its
# text (two page pairs from 0x00400000) is read-only, its data (two pairs
# from 0x10010000) writable (D), both mapped onto themselves; its stack is
# the private pair at 0x7fffe000 the kernel gives every process.
        .kdata
nproc:   .word 1
entries: .word main
names:   .word name_main
gmap:    .word 0x00400000, 0x00010003, 0x00010043   # frames 0x00400, 0x00401: V G
         .word 0x00402000, 0x00010083, 0x000100c3   # frames 0x00402, 0x00403: V G
         .word 0x10010000, 0x00400407, 0x00400447   # frames 0x10010, 0x10011: D V G
         .word 0x10012000, 0x00400487, 0x004004c7   # frames 0x10012, 0x10013: D V G
         .word -1
name_main: .asciiz "main"
