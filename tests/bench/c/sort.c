/* c/sort.c -- kernels/sort.s in C */
#include "kernel.h"

#define N 200
static uint32_t a[N];

int main(int argc, char **argv)
{
    uint32_t reps = size_arg(argc, argv, 100), chk = 0;
    for (uint32_t r = 0; r < reps; r++) {
        uint32_t x = r + 1;
        for (uint32_t i = 0; i < N; i++) {
            x = x * 1103515245u + 12345u;
            a[i] = x >> 8;
        }
        for (uint32_t i = 1; i < N; i++) {
            uint32_t key = a[i], j = i;
            for (; j > 0 && key < a[j - 1]; j--) a[j] = a[j - 1];
            a[j] = key;
        }
        for (uint32_t i = 0; i < N; i++) chk += a[i] * (i + 1);
    }
    return print_checksum(chk);
}
