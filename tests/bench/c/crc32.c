/* c/crc32.c -- kernels/crc32.s in C */
#include "kernel.h"

static uint8_t buf[1024];

int main(int argc, char **argv)
{
    uint32_t reps = size_arg(argc, argv, 128), chk = 0;
    for (uint32_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(7 * i + i / 8);
    for (uint32_t r = 0; r < reps; r++) {
        uint32_t crc = ~r;
        for (uint32_t i = 0; i < sizeof buf; i++) {
            crc ^= buf[i];
            for (int b = 0; b < 8; b++) crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
        }
        chk += ~crc;
    }
    return print_checksum(chk);
}
