/* c/xorshift.c -- kernels/xorshift.s in C */
#include "kernel.h"

int main(int argc, char **argv)
{
    uint32_t n = size_arg(argc, argv, 1000000), x = 2463534242u, chk = 0;
    while (n--) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        chk += x;
    }
    return print_checksum(chk);
}
