/* simd_blur: a 3x3 box filter (sum of 9 pixels / 9, rounded down via a
 * 16-bit multiply) over an 8-bit grey image, repeated.  With -msimd128 it
 * processes 8 pixels at a time in u16 lanes (extend, add, mulhi-style
 * q15 multiply, narrow); without, the same arithmetic per pixel. */
#include "bench.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#ifndef BLUR_W
#define BLUR_W 1024
#endif
#ifndef BLUR_H
#define BLUR_H 512
#endif
#ifndef BLUR_ROUNDS
#define BLUR_ROUNDS 40
#endif
BENCH_PARAM(blur_rounds, BLUR_ROUNDS);

static uint8_t img[BLUR_H][BLUR_W], out[BLUR_H][BLUR_W];

/* About sum / 9 (sum <= 9 * 255) in 16.16 fixed point; both builds compute exactly this. */
static inline uint8_t div9(uint32_t sum)
{
    return (uint8_t)((sum * 7282u + 7281u) >> 16);
}

static void blur_row(int y)
{
    const uint8_t *a = img[y - 1], *b = img[y], *c = img[y + 1];
    uint8_t *o = out[y];
    int x = 1;
#ifdef __wasm_simd128__
    const v128_t k = wasm_i16x8_splat(7282), bias = wasm_i32x4_splat(7281);
    for (; x + 8 <= BLUR_W - 1; x += 8) {
        v128_t sum = wasm_i16x8_splat(0);
        for (int dx = -1; dx <= 1; dx++) {
            sum = wasm_i16x8_add(sum, wasm_u16x8_load8x8(a + x + dx));
            sum = wasm_i16x8_add(sum, wasm_u16x8_load8x8(b + x + dx));
            sum = wasm_i16x8_add(sum, wasm_u16x8_load8x8(c + x + dx));
        }
        v128_t lo = wasm_i32x4_add(wasm_u32x4_extmul_low_u16x8(sum, k), bias);
        v128_t hi = wasm_i32x4_add(wasm_u32x4_extmul_high_u16x8(sum, k), bias);
        v128_t q = wasm_u16x8_narrow_i32x4(wasm_u32x4_shr(lo, 16), wasm_u32x4_shr(hi, 16));
        wasm_v128_store64_lane(o + x, wasm_u8x16_narrow_i16x8(q, q), 0);
    }
#endif
    for (; x < BLUR_W - 1; x++) {
        uint32_t sum = 0;
        for (int dx = -1; dx <= 1; dx++)
            sum += (uint32_t)a[x + dx] + b[x + dx] + c[x + dx];
        o[x] = div9(sum);
    }
}

int run(void)
{
    uint32_t seed = 7;
    for (int y = 0; y < BLUR_H; y++)
        for (int x = 0; x < BLUR_W; x++)
            img[y][x] = (uint8_t)bench_rand(&seed);
    uint32_t hash = 0;
    int rounds = blur_rounds;
    for (int r = 0; r < rounds; r++) {
        for (int y = 1; y < BLUR_H - 1; y++)
            blur_row(y);
        for (int y = 1; y < BLUR_H - 1; y += 97)
            for (int x = 0; x < BLUR_W; x += 61)
                hash = bench_mix(hash, out[y][x]);
        img[r % BLUR_H][r % BLUR_W] ^= 0x5a;
    }
    return bench_result(hash);
}
