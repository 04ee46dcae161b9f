/* simd_dot: float dot products of two 64 Ki-element vectors, repeated.
 * With -msimd128 the loop uses f32x4 mul/add (wasm_simd128.h); without, the
 * same four lane-wise partial sums in plain C, so both builds (and gcc's
 * native one) add in the same order and print the same checksum. */
#include "bench.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#ifndef DOT_N
#define DOT_N (1 << 16)
#endif
#ifndef DOT_ROUNDS
#define DOT_ROUNDS 400
#endif
BENCH_PARAM(dot_rounds, DOT_ROUNDS);

static float xs[DOT_N], ys[DOT_N];

static float dot(const float *x, const float *y, uint32_t n)
{
#ifdef __wasm_simd128__
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (uint32_t i = 0; i < n; i += 4)
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(x + i), wasm_v128_load(y + i)));
    float s[4] = {wasm_f32x4_extract_lane(acc, 0), wasm_f32x4_extract_lane(acc, 1),
                  wasm_f32x4_extract_lane(acc, 2), wasm_f32x4_extract_lane(acc, 3)};
#else
    float s[4] = {0, 0, 0, 0};
    for (uint32_t i = 0; i < n; i += 4)
        for (int k = 0; k < 4; k++)
            s[k] += x[i + k] * y[i + k];
#endif
    return (s[0] + s[1]) + (s[2] + s[3]);
}

int run(void)
{
    uint32_t seed = 42;
    for (uint32_t i = 0; i < DOT_N; i++) {
        xs[i] = (float)(bench_rand(&seed) & 0xffff) / 65536.0f - 0.5f;
        ys[i] = (float)(bench_rand(&seed) & 0xffff) / 65536.0f - 0.5f;
    }
    uint32_t hash = 0;
    int rounds = dot_rounds;
    for (int r = 0; r < rounds; r++) {
        xs[r % DOT_N] += 0.25f; /* a different sum every round */
        hash = bench_mix(hash, bench_f32_bits(dot(xs, ys, DOT_N)));
    }
    return bench_result(hash);
}
