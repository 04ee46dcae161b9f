/*
 * Throughput of the selected SIMD back end against the scalar lane loops
 * (wsimd_* vs wsimd_scalar_*), in the shape the interpreter uses them:
 * operands loaded from memory, result stored back.  Not a test:
 *
 *   meson compile -C BUILD bench_simd && BUILD/tests/simd/bench_simd
 *
 * Prints ns per instruction for each (best of three) and the ratio
 * (noisy on a shared machine; compare runs, not single numbers).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <time.h>

#include "simd/simd.h"

#define BN_VECS 1024
#define BN_ROUNDS 4000

static double bn_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* After each instruction: keeps the compiler from merging rounds or
 * vectorizing across consecutive instructions, which the interpreter
 * (one instruction per handler) cannot do either. */
#if defined(__GNUC__)
#define BN_BARRIER() __asm__ volatile("" ::: "memory")
#else
#define BN_BARRIER() ((void)0)
#endif

typedef struct bn_data {
    wv128 a[BN_VECS], b[BN_VECS], out[BN_VECS];
} bn_data;

#define BN_LOOP(d, expr)                                                       \
    do {                                                                       \
        for (int r = 0; r < BN_ROUNDS; r++) {                                  \
            for (int i = 0; i < BN_VECS; i++) {                                \
                wv128 a = (d)->a[i], b = (d)->b[i];                            \
                (void)b;                                                       \
                (d)->out[i] = (expr);                                          \
                BN_BARRIER();                                                  \
            }                                                                  \
        }                                                                      \
    } while (0)

static void bn_report(const char *name, double vec, double scalar)
{
    double n = (double)BN_VECS * BN_ROUNDS;
    printf("%-28s %6.2f ns   scalar %6.2f ns   %5.1fx\n", name, vec / n * 1e9, scalar / n * 1e9, scalar / vec);
}

/* Each side timed three times, interleaved, best kept: the first loop
 * of a pair measured ~2 ns slower even when both ran the same code. */
#define BN_TIME(d, best, expr)                                                 \
    do {                                                                       \
        double t0_ = bn_now();                                                 \
        BN_LOOP(d, expr);                                                      \
        double t_ = bn_now() - t0_;                                            \
        if (best == 0 || t_ < best)                                            \
            best = t_;                                                         \
    } while (0)
#define BN_BIN(d, op)                                                          \
    do {                                                                       \
        double v_ = 0, s_ = 0;                                                 \
        for (int k_ = 0; k_ < 3; k_++) {                                       \
            BN_TIME(d, v_, wsimd_##op(a, b));                                  \
            BN_TIME(d, s_, wsimd_scalar_##op(a, b));                           \
        }                                                                      \
        bn_report(#op, v_, s_);                                                \
    } while (0)
#define BN_UN(d, op)                                                           \
    do {                                                                       \
        double v_ = 0, s_ = 0;                                                 \
        for (int k_ = 0; k_ < 3; k_++) {                                       \
            BN_TIME(d, v_, wsimd_##op(a));                                     \
            BN_TIME(d, s_, wsimd_scalar_##op(a));                              \
        }                                                                      \
        bn_report(#op, v_, s_);                                                \
    } while (0)

static bn_data bn;

int main(void)
{
    uint64_t s = 88172645463325252ull;
    for (int i = 0; i < BN_VECS; i++) {
        for (int k = 0; k < 2; k++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            bn.a[i].u64[k] = s;
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            bn.b[i].u64[k] = s;
        }
        for (int k = 0; k < 4; k++) /* finite floats for the float ops */
            bn.a[i].f32[k] = (float)(bn.a[i].i32[k] % 100000) / 7.0f;
    }
    printf("back end %s, %d x %d ops each\n", WSIMD_BACKEND, BN_VECS, BN_ROUNDS);
    BN_BIN(&bn, i32x4_add);
    BN_BIN(&bn, i8x16_add_sat_s);
    BN_BIN(&bn, i16x8_q15mulr_sat_s);
    BN_BIN(&bn, i64x2_mul);
    BN_BIN(&bn, i64x2_lt_s);
    BN_BIN(&bn, i8x16_swizzle);
    BN_BIN(&bn, i8x16_narrow_i16x8_s);
    BN_BIN(&bn, i16x8_extmul_low_i8x16_s);
    BN_BIN(&bn, i32x4_dot_i16x8_s);
    BN_BIN(&bn, f32x4_add);
    BN_BIN(&bn, f32x4_min);
    BN_BIN(&bn, f64x2_max);
    BN_UN(&bn, f32x4_nearest);
    BN_UN(&bn, f64x2_floor);
    BN_UN(&bn, i32x4_trunc_sat_f32x4_u);
    BN_UN(&bn, f32x4_convert_i32x4_u);
    BN_UN(&bn, i8x16_popcnt);
    BN_UN(&bn, f32x4_sqrt);
    return 0;
}
