/* mandelbrot: escape-time iteration over a grid of points in f64.
 * Exercises double-precision arithmetic in a data-dependent inner loop. */
#include "bench.h"

#ifndef MANDEL_SIZE
#define MANDEL_SIZE 1300
#endif
#ifndef MANDEL_MAX_ITER
#define MANDEL_MAX_ITER 256
#endif
BENCH_PARAM(mandel_size, MANDEL_SIZE);

static uint32_t escape_time(double cr, double ci)
{
    double zr = 0.0, zi = 0.0;
    uint32_t n = 0;
    while (n < MANDEL_MAX_ITER) {
        double zr2 = zr * zr, zi2 = zi * zi;
        if (zr2 + zi2 > 4.0)
            break;
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        n++;
    }
    return n;
}

int run(void)
{
    int32_t size = mandel_size;
    uint32_t hash = 2166136261u;
    for (int32_t y = 0; y < size; y++) {
        double ci = (double)y * 2.5 / size - 1.25;
        uint32_t row = 0;
        for (int32_t x = 0; x < size; x++) {
            double cr = (double)x * 3.0 / size - 2.0;
            row = row * 31u + escape_time(cr, ci);
        }
        hash = bench_mix(hash, row);
    }
    return bench_result(hash);
}
