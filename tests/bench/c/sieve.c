/* c/sieve.c -- kernels/sieve.s in C */
#include "kernel.h"

#define N 4096
static volatile uint8_t flags[N]; /* volatile: each repetition really runs */

int main(int argc, char **argv)
{
    uint32_t reps = size_arg(argc, argv, 80), chk = 0;
    while (reps--) {
        for (uint32_t i = 0; i < N; i++) flags[i] = i >= 2;
        for (uint32_t i = 2; i * i < N; i++)
            if (flags[i])
                for (uint32_t j = i * i; j < N; j += i) flags[j] = 0;
        for (uint32_t i = 0; i < N; i++)
            if (flags[i]) chk += i;
    }
    return print_checksum(chk);
}
