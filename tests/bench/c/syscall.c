/* c/syscall.c -- native version of kernels/syscall.s: the same lines through
 * stdio (buffered, as a C program would write them), then the checksum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 20000;
    uint32_t chk = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v = i * 7u - 3u;
        printf("%d\n", (int32_t)v);
        chk += v;
    }
    printf("%d\n", (int32_t)chk);
    return 0;
}
