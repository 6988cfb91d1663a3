/* c/nbody.c -- native version of kernels/nbody.s: the same operations on
 * doubles in the same order (no contraction into fused multiply-adds), so
 * the checksum is the one every system prints. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    uint32_t steps = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 20000;
    const double dt = 0.001;
    double b[4][7] = {
        {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0},
        {1.0, 0.0, 0.0, 0.0, 3.0, 0.0, 0.1},
        {0.0, 2.0, 0.0, -2.2, 0.0, 0.1, 0.2},
        {-3.0, 0.0, 0.5, 0.0, -1.8, 0.0, 0.05},
    };
    for (uint32_t s = 0; s < steps; s++) {
        for (int i = 0; i < 4; i++)
            for (int j = i + 1; j < 4; j++) {
                double dx = b[i][0] - b[j][0], dy = b[i][1] - b[j][1], dz = b[i][2] - b[j][2];
                double d2 = dx * dx;
                d2 = d2 + dy * dy;
                d2 = d2 + dz * dz;
                double mag = dt / (d2 * sqrt(d2));
                double t = b[j][6] * mag, u = b[i][6] * mag;
                b[i][3] = b[i][3] - dx * t;
                b[i][4] = b[i][4] - dy * t;
                b[i][5] = b[i][5] - dz * t;
                b[j][3] = b[j][3] + dx * u;
                b[j][4] = b[j][4] + dy * u;
                b[j][5] = b[j][5] + dz * u;
            }
        for (int i = 0; i < 4; i++)
            for (int k = 0; k < 3; k++)
                b[i][k] = b[i][k] + dt * b[i][k + 3];
    }
    double sum = 0.0;
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 3; k++)
            sum = sum + b[i][k];
    printf("%d\n", (int32_t)(sum * 1000000.0));
    return 0;
}
