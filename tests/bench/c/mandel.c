/* c/mandel.c -- native version of kernels/mandel.s: the same operations on
 * doubles in the same order (no contraction into fused multiply-adds), so
 * the checksum is the one every system prints. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    uint32_t reps = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 8;
    const double x0 = -2.0, y0 = 1.25, step = 0.0390625, esc = 4.0;
    uint32_t chk = 0;
    for (uint32_t r = 0; r < reps; r++)
        for (int32_t row = 0; row < 64; row++) {
            double ci = y0 - (double)row * step;
            for (int32_t col = 0; col < 64; col++) {
                double cr = x0 + (double)col * step;
                double zr = 0.0, zi = 0.0;
                uint32_t it = 0;
                while (it < 64) {
                    double zr2 = zr * zr, zi2 = zi * zi;
                    if (esc < zr2 + zi2)
                        break;
                    double t = zr * zi;
                    t = t + t;
                    zi = t + ci;
                    zr = zr2 - zi2;
                    zr = zr + cr;
                    it++;
                }
                chk += it;
            }
        }
    printf("%d\n", (int32_t)chk);
    return 0;
}
