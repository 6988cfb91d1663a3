/* c/matmul.c -- kernels/matmul.s in C */
#include "kernel.h"

static uint32_t A[256], B[256], C[256];

int main(int argc, char **argv)
{
    uint32_t reps = size_arg(argc, argv, 240), chk = 0;
    for (uint32_t k = 0; k < 256; k++) {
        A[k] = 3 * k + 1;
        B[k] = k ^ 5;
    }
    for (uint32_t r = 0; r < reps; r++) {
        for (uint32_t i = 0; i < 16; i++)
            for (uint32_t j = 0; j < 16; j++) {
                uint32_t sum = 0;
                for (uint32_t k = 0; k < 16; k++) sum += A[i * 16 + k] * B[k * 16 + j];
                C[i * 16 + j] = sum;
                chk += sum;
            }
        A[r & 255] += 1;
    }
    return print_checksum(chk);
}
