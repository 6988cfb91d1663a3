/* kernel.h -- what every C bench kernel shares: its size from argv[1]
 * (the kernel file's @size word when absent) and the checksum, printed as
 * SPIM's print_int prints $v0 (signed decimal).  The same source is built
 * with gcc for the native column and with mipsel-linux-gnu-gcc -static for
 * qemu-mipsel (tests/bench/run.sh); everything is uint32_t, so both print
 * the same checksum as the MIPS assembly kernel. */
#ifndef BENCH_KERNEL_H
#define BENCH_KERNEL_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t size_arg(int argc, char **argv, uint32_t dflt)
{
    return argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : dflt;
}

static int print_checksum(uint32_t chk)
{
    printf("%d\n", (int)(int32_t)chk);
    return 0;
}
#endif
