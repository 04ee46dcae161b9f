/*
 * Shared by every benchmark program.  The programs are freestanding (no
 * libc) so the same source builds natively with gcc and for wasm32 with
 * clang, and every engine runs exactly the same code.
 *
 * Each program exports `int run(void)` returning a checksum; the checksum
 * never depends on pointer values or pointer width, so native (64-bit) and
 * wasm32 runs must agree bit for bit.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/*
 * The size parameter goes through a volatile read so that neither compiler
 * can fold the whole computation into a constant at build time.
 */
#define BENCH_PARAM(name, value) static volatile int32_t name = (value)

/* xorshift32: deterministic pseudo-random input data, same on every target. */
static inline uint32_t bench_rand(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* Fold one 32-bit value into a running checksum (FNV-1a style mixing). */
static inline uint32_t bench_mix(uint32_t hash, uint32_t value)
{
    hash ^= value;
    hash *= 16777619u;
    return hash ^ (hash >> 15);
}

/* The bits of a double folded to 32, so float results are compared exactly. */
static inline uint32_t bench_f64_fold(double d)
{
    uint64_t bits;
    __builtin_memcpy(&bits, &d, sizeof bits);
    return (uint32_t)(bits >> 32) ^ (uint32_t)bits;
}

static inline uint32_t bench_f32_bits(float f)
{
    uint32_t bits;
    __builtin_memcpy(&bits, &f, sizeof bits);
    return bits;
}

/* Checksums are returned as non-negative ints so that every engine prints
 * the same decimal number whether it shows i32 results signed or not. */
static inline int bench_result(uint32_t hash)
{
    return (int)(hash & 0x7fffffffu);
}

#endif
