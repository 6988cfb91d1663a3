/* c/fib.c -- kernels/fib.s in C */
#include "kernel.h"

static volatile uint32_t fib_arg = 18; /* read at run time: no folding */

static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
    uint32_t reps = size_arg(argc, argv, 80), chk = 0;
    while (reps--) chk += fib(fib_arg);
    return print_checksum(chk);
}
