/* matmul: single-precision dense matrix multiply (i-k-j order), repeated.
 * Exercises f32 arithmetic and strided memory access. */
#include "bench.h"

#ifndef MATMUL_N
#define MATMUL_N 256
#endif
#ifndef MATMUL_ROUNDS
#define MATMUL_ROUNDS 8
#endif
BENCH_PARAM(matmul_rounds, MATMUL_ROUNDS);

static float mat_a[MATMUL_N][MATMUL_N];
static float mat_b[MATMUL_N][MATMUL_N];
static float mat_c[MATMUL_N][MATMUL_N];

static void fill_inputs(uint32_t seed)
{
    for (int i = 0; i < MATMUL_N; i++) {
        for (int j = 0; j < MATMUL_N; j++) {
            mat_a[i][j] = (float)(bench_rand(&seed) % 2001u) / 1000.0f - 1.0f;
            mat_b[i][j] = (float)(bench_rand(&seed) % 2001u) / 1000.0f - 1.0f;
        }
    }
}

static void multiply(void)
{
    for (int i = 0; i < MATMUL_N; i++) {
        for (int j = 0; j < MATMUL_N; j++)
            mat_c[i][j] = 0.0f;
        for (int k = 0; k < MATMUL_N; k++) {
            float a = mat_a[i][k];
            for (int j = 0; j < MATMUL_N; j++)
                mat_c[i][j] += a * mat_b[k][j];
        }
    }
}

int run(void)
{
    uint32_t hash = 2166136261u;
    int32_t rounds = matmul_rounds;
    for (int32_t r = 0; r < rounds; r++) {
        fill_inputs(0x9e3779b9u + (uint32_t)r);
        multiply();
        for (int i = 0; i < MATMUL_N; i += 7)
            for (int j = 0; j < MATMUL_N; j += 5)
                hash = bench_mix(hash, bench_f32_bits(mat_c[i][j]));
    }
    return bench_result(hash);
}
