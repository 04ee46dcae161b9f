/* simd_search: count the occurrences of each of 16 byte values in a 1 MiB
 * buffer, repeated.  With -msimd128 16 bytes are compared at once
 * (i8x16.eq, then bitmask + popcount); without, byte by byte. */
#include "bench.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#ifndef SEARCH_N
#define SEARCH_N (1 << 20)
#endif
#ifndef SEARCH_ROUNDS
#define SEARCH_ROUNDS 6
#endif
BENCH_PARAM(search_rounds, SEARCH_ROUNDS);

static uint8_t buf[SEARCH_N];

static uint32_t count_byte(const uint8_t *p, uint32_t n, uint8_t want)
{
    uint32_t count = 0, i = 0;
#ifdef __wasm_simd128__
    v128_t w = wasm_i8x16_splat((int8_t)want);
    for (; i + 16 <= n; i += 16)
        count += (uint32_t)__builtin_popcount(wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + i), w)));
#endif
    for (; i < n; i++)
        count += p[i] == want;
    return count;
}

int run(void)
{
    uint32_t seed = 99;
    for (uint32_t i = 0; i < SEARCH_N; i++)
        buf[i] = (uint8_t)(bench_rand(&seed) % 61); /* not uniform over 256 values */
    uint32_t hash = 0;
    int rounds = search_rounds;
    for (int r = 0; r < rounds; r++)
        for (uint32_t v = 0; v < 16; v++) {
            hash = bench_mix(hash, count_byte(buf, SEARCH_N, (uint8_t)(v * 3 + r)));
            buf[(v * 7919u + (uint32_t)r) % SEARCH_N] = (uint8_t)v;
        }
    return bench_result(hash);
}
