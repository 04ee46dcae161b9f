/*
 * Portable C11 SIMD128 back end: every non-memory SIMD instruction as a
 * lane loop with the exact wasm semantics.  It is the oracle the SSE and
 * NEON back ends are tested against, and the back end on other hosts.
 *
 * Naming: functions are WSIMD_PREFIX + the wasm name with '.' -> '_'.
 * The prefix defaults to wsimd_; simd.h always includes this file once
 * with the prefix wsimd_scalar_ (so vector back ends can fall back to a
 * lane loop and tests can compare against it), and once more with the
 * default prefix when the scalar back end is selected.  Hence no include
 * guard: each inclusion must use a different prefix.
 *
 * Float results come from C float arithmetic (FLT_EVAL_METHOD 0 assumed,
 * i.e. SSE2 or NEON, not x87): NaN results are then quiet NaNs derived from
 * an input NaN or the default NaN, which is what the spec allows.
 * Integer lanes are computed in unsigned arithmetic (no C UB); signed right
 * shifts use numeric.h's helpers (no implementation-defined >>).
 */
#include <math.h>
#include <stdint.h>

#include "../common/numeric.h"
#include "simd_types.h"

#ifndef WSIMD_PREFIX
#define WSIMD_PREFIX wsimd_
#endif
#define WS_(name) WSIMD_CAT_(WSIMD_PREFIX, name)

/* One function per op from a per-lane expression over a/b at lane i. */
#define WS_UN(name, out, n, expr)                                              \
    static inline wv128 WS_(name)(wv128 a)                                     \
    {                                                                          \
        wv128 r;                                                               \
        for (int i = 0; i < (n); i++)                                          \
            r.out[i] = (expr);                                                 \
        return r;                                                              \
    }
#define WS_BIN(name, out, n, expr)                                             \
    static inline wv128 WS_(name)(wv128 a, wv128 b)                            \
    {                                                                          \
        wv128 r;                                                               \
        for (int i = 0; i < (n); i++)                                          \
            r.out[i] = (expr);                                                 \
        return r;                                                              \
    }
/* Shifts: the count is taken modulo the lane width, as in wasm. */
#define WS_SHIFT(name, out, n, bits, expr)                                     \
    static inline wv128 WS_(name)(wv128 a, uint32_t count)                     \
    {                                                                          \
        uint32_t s = count & ((bits) - 1);                                     \
        wv128 r;                                                               \
        for (int i = 0; i < (n); i++)                                          \
            r.out[i] = (expr);                                                 \
        return r;                                                              \
    }
/* Lane-wise compares give all-ones or all-zeros lanes. */
#define WS_CMP(name, out, in, n, op) WS_BIN(name, out, n, 0ull - (uint64_t)(a.in[i] op b.in[i]))

/* ---- splat, extract, replace, shuffle, swizzle ------------------------ */

#define WS_SPLAT(name, T, out, n)                                              \
    static inline wv128 WS_(name)(T x)                                         \
    {                                                                          \
        wv128 r;                                                               \
        for (int i = 0; i < (n); i++)                                          \
            r.out[i] = x;                                                      \
        return r;                                                              \
    }
#define WS_REPLACE(name, T, out, n)                                            \
    static inline wv128 WS_(name)(wv128 a, unsigned lane, T x)                 \
    {                                                                          \
        a.out[lane & ((n) - 1)] = x;                                           \
        return a;                                                              \
    }
/* The lane index is a validated immediate; masking it keeps a bad one
 * in bounds instead of reading past the vector. */
#define WS_EXTRACT(name, T, expr, n)                                           \
    static inline T WS_(name)(wv128 a, unsigned lane)                          \
    {                                                                          \
        lane &= (n) - 1;                                                       \
        return (expr);                                                         \
    }

WS_SPLAT(i8x16_splat, uint32_t, u8, 16)
WS_SPLAT(i16x8_splat, uint32_t, u16, 8)
WS_SPLAT(i32x4_splat, uint32_t, u32, 4)
WS_SPLAT(i64x2_splat, uint64_t, u64, 2)
WS_SPLAT(f32x4_splat, float, f32, 4)
WS_SPLAT(f64x2_splat, double, f64, 2)

WS_EXTRACT(i8x16_extract_lane_s, uint32_t, (uint32_t)(int32_t)a.i8[lane], 16)
WS_EXTRACT(i8x16_extract_lane_u, uint32_t, a.u8[lane], 16)
WS_EXTRACT(i16x8_extract_lane_s, uint32_t, (uint32_t)(int32_t)a.i16[lane], 8)
WS_EXTRACT(i16x8_extract_lane_u, uint32_t, a.u16[lane], 8)
WS_EXTRACT(i32x4_extract_lane, uint32_t, a.u32[lane], 4)
WS_EXTRACT(i64x2_extract_lane, uint64_t, a.u64[lane], 2)
WS_EXTRACT(f32x4_extract_lane, float, a.f32[lane], 4)
WS_EXTRACT(f64x2_extract_lane, double, a.f64[lane], 2)

WS_REPLACE(i8x16_replace_lane, uint32_t, u8, 16)
WS_REPLACE(i16x8_replace_lane, uint32_t, u16, 8)
WS_REPLACE(i32x4_replace_lane, uint32_t, u32, 4)
WS_REPLACE(i64x2_replace_lane, uint64_t, u64, 2)
WS_REPLACE(f32x4_replace_lane, float, f32, 4)
WS_REPLACE(f64x2_replace_lane, double, f64, 2)

/* Lane indices 0..31 pick from a then b (validated; masked for safety). */
static inline wv128 WS_(i8x16_shuffle)(wv128 a, wv128 b, const uint8_t lanes[16])
{
    wv128 r;
    for (int i = 0; i < 16; i++) {
        unsigned k = lanes[i] & 31u;
        r.u8[i] = k < 16 ? a.u8[k] : b.u8[k - 16];
    }
    return r;
}

/* Out-of-range indices (>= 16, any value up to 255) select 0. */
WS_BIN(i8x16_swizzle, u8, 16, b.u8[i] < 16 ? a.u8[b.u8[i] & 15] : 0)

/* ---- compares ---------------------------------------------------------- */

WS_CMP(i8x16_eq, u8, u8, 16, ==)
WS_CMP(i8x16_ne, u8, u8, 16, !=)
WS_CMP(i8x16_lt_s, u8, i8, 16, <)
WS_CMP(i8x16_lt_u, u8, u8, 16, <)
WS_CMP(i8x16_gt_s, u8, i8, 16, >)
WS_CMP(i8x16_gt_u, u8, u8, 16, >)
WS_CMP(i8x16_le_s, u8, i8, 16, <=)
WS_CMP(i8x16_le_u, u8, u8, 16, <=)
WS_CMP(i8x16_ge_s, u8, i8, 16, >=)
WS_CMP(i8x16_ge_u, u8, u8, 16, >=)
WS_CMP(i16x8_eq, u16, u16, 8, ==)
WS_CMP(i16x8_ne, u16, u16, 8, !=)
WS_CMP(i16x8_lt_s, u16, i16, 8, <)
WS_CMP(i16x8_lt_u, u16, u16, 8, <)
WS_CMP(i16x8_gt_s, u16, i16, 8, >)
WS_CMP(i16x8_gt_u, u16, u16, 8, >)
WS_CMP(i16x8_le_s, u16, i16, 8, <=)
WS_CMP(i16x8_le_u, u16, u16, 8, <=)
WS_CMP(i16x8_ge_s, u16, i16, 8, >=)
WS_CMP(i16x8_ge_u, u16, u16, 8, >=)
WS_CMP(i32x4_eq, u32, u32, 4, ==)
WS_CMP(i32x4_ne, u32, u32, 4, !=)
WS_CMP(i32x4_lt_s, u32, i32, 4, <)
WS_CMP(i32x4_lt_u, u32, u32, 4, <)
WS_CMP(i32x4_gt_s, u32, i32, 4, >)
WS_CMP(i32x4_gt_u, u32, u32, 4, >)
WS_CMP(i32x4_le_s, u32, i32, 4, <=)
WS_CMP(i32x4_le_u, u32, u32, 4, <=)
WS_CMP(i32x4_ge_s, u32, i32, 4, >=)
WS_CMP(i32x4_ge_u, u32, u32, 4, >=)
WS_CMP(i64x2_eq, u64, u64, 2, ==)
WS_CMP(i64x2_ne, u64, u64, 2, !=)
WS_CMP(i64x2_lt_s, u64, i64, 2, <)
WS_CMP(i64x2_gt_s, u64, i64, 2, >)
WS_CMP(i64x2_le_s, u64, i64, 2, <=)
WS_CMP(i64x2_ge_s, u64, i64, 2, >=)
/* C float compares are the IEEE ones wasm wants: false with NaN, except ne. */
WS_CMP(f32x4_eq, u32, f32, 4, ==)
WS_CMP(f32x4_ne, u32, f32, 4, !=)
WS_CMP(f32x4_lt, u32, f32, 4, <)
WS_CMP(f32x4_gt, u32, f32, 4, >)
WS_CMP(f32x4_le, u32, f32, 4, <=)
WS_CMP(f32x4_ge, u32, f32, 4, >=)
WS_CMP(f64x2_eq, u64, f64, 2, ==)
WS_CMP(f64x2_ne, u64, f64, 2, !=)
WS_CMP(f64x2_lt, u64, f64, 2, <)
WS_CMP(f64x2_gt, u64, f64, 2, >)
WS_CMP(f64x2_le, u64, f64, 2, <=)
WS_CMP(f64x2_ge, u64, f64, 2, >=)

/* ---- bitwise and tests ------------------------------------------------- */

WS_UN(v128_not, u64, 2, ~a.u64[i])
WS_BIN(v128_and, u64, 2, a.u64[i] & b.u64[i])
WS_BIN(v128_andnot, u64, 2, a.u64[i] & ~b.u64[i])
WS_BIN(v128_or, u64, 2, a.u64[i] | b.u64[i])
WS_BIN(v128_xor, u64, 2, a.u64[i] ^ b.u64[i])

static inline wv128 WS_(v128_bitselect)(wv128 a, wv128 b, wv128 c)
{
    wv128 r;
    for (int i = 0; i < 2; i++)
        r.u64[i] = (a.u64[i] & c.u64[i]) | (b.u64[i] & ~c.u64[i]);
    return r;
}

static inline uint32_t WS_(v128_any_true)(wv128 a)
{
    return (a.u64[0] | a.u64[1]) != 0;
}

#define WS_ALL_TRUE(name, in, n)                                               \
    static inline uint32_t WS_(name)(wv128 a)                                  \
    {                                                                          \
        for (int i = 0; i < (n); i++)                                          \
            if (a.in[i] == 0)                                                  \
                return 0;                                                      \
        return 1;                                                              \
    }
WS_ALL_TRUE(i8x16_all_true, u8, 16)
WS_ALL_TRUE(i16x8_all_true, u16, 8)
WS_ALL_TRUE(i32x4_all_true, u32, 4)
WS_ALL_TRUE(i64x2_all_true, u64, 2)

#define WS_BITMASK(name, in, n, bits)                                          \
    static inline uint32_t WS_(name)(wv128 a)                                  \
    {                                                                          \
        uint32_t m = 0;                                                        \
        for (int i = 0; i < (n); i++)                                          \
            m |= (uint32_t)(a.in[i] >> ((bits) - 1)) << i;                     \
        return m;                                                              \
    }
WS_BITMASK(i8x16_bitmask, u8, 16, 8)
WS_BITMASK(i16x8_bitmask, u16, 8, 16)
WS_BITMASK(i32x4_bitmask, u32, 4, 32)
WS_BITMASK(i64x2_bitmask, u64, 2, 64)

/* ---- integer arithmetic ------------------------------------------------ */

/* Lane helpers: saturate an int to a lane range. */
static inline int32_t WS_(sat_)(int32_t x, int32_t lo, int32_t hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

WS_UN(i8x16_abs, u8, 16, a.i8[i] < 0 ? (uint8_t)(0u - a.u8[i]) : a.u8[i])
WS_UN(i16x8_abs, u16, 8, a.i16[i] < 0 ? (uint16_t)(0u - a.u16[i]) : a.u16[i])
WS_UN(i32x4_abs, u32, 4, a.i32[i] < 0 ? 0u - a.u32[i] : a.u32[i])
WS_UN(i64x2_abs, u64, 2, a.i64[i] < 0 ? 0ull - a.u64[i] : a.u64[i])
WS_UN(i8x16_neg, u8, 16, (uint8_t)(0u - a.u8[i]))
WS_UN(i16x8_neg, u16, 8, (uint16_t)(0u - a.u16[i]))
WS_UN(i32x4_neg, u32, 4, 0u - a.u32[i])
WS_UN(i64x2_neg, u64, 2, 0ull - a.u64[i])

static inline uint8_t WS_(popcnt8_)(uint8_t x)
{
    x = (uint8_t)(x - ((x >> 1) & 0x55));
    x = (uint8_t)((x & 0x33) + ((x >> 2) & 0x33));
    return (uint8_t)((x + (x >> 4)) & 0x0F);
}
WS_UN(i8x16_popcnt, u8, 16, WS_(popcnt8_)(a.u8[i]))

WS_BIN(i8x16_add, u8, 16, (uint8_t)(a.u8[i] + b.u8[i]))
WS_BIN(i16x8_add, u16, 8, (uint16_t)(a.u16[i] + b.u16[i]))
WS_BIN(i32x4_add, u32, 4, a.u32[i] + b.u32[i])
WS_BIN(i64x2_add, u64, 2, a.u64[i] + b.u64[i])
WS_BIN(i8x16_sub, u8, 16, (uint8_t)(a.u8[i] - b.u8[i]))
WS_BIN(i16x8_sub, u16, 8, (uint16_t)(a.u16[i] - b.u16[i]))
WS_BIN(i32x4_sub, u32, 4, a.u32[i] - b.u32[i])
WS_BIN(i64x2_sub, u64, 2, a.u64[i] - b.u64[i])
WS_BIN(i16x8_mul, u16, 8, (uint16_t)((uint32_t)a.u16[i] * b.u16[i]))
WS_BIN(i32x4_mul, u32, 4, (uint32_t)((uint64_t)a.u32[i] * b.u32[i]))
WS_BIN(i64x2_mul, u64, 2, a.u64[i] * b.u64[i])

WS_BIN(i8x16_add_sat_s, u8, 16, (uint8_t)WS_(sat_)(a.i8[i] + b.i8[i], INT8_MIN, INT8_MAX))
WS_BIN(i8x16_add_sat_u, u8, 16, (uint8_t)WS_(sat_)(a.u8[i] + b.u8[i], 0, UINT8_MAX))
WS_BIN(i8x16_sub_sat_s, u8, 16, (uint8_t)WS_(sat_)(a.i8[i] - b.i8[i], INT8_MIN, INT8_MAX))
WS_BIN(i8x16_sub_sat_u, u8, 16, (uint8_t)WS_(sat_)(a.u8[i] - b.u8[i], 0, UINT8_MAX))
WS_BIN(i16x8_add_sat_s, u16, 8, (uint16_t)WS_(sat_)(a.i16[i] + b.i16[i], INT16_MIN, INT16_MAX))
WS_BIN(i16x8_add_sat_u, u16, 8, (uint16_t)WS_(sat_)(a.u16[i] + b.u16[i], 0, UINT16_MAX))
WS_BIN(i16x8_sub_sat_s, u16, 8, (uint16_t)WS_(sat_)(a.i16[i] - b.i16[i], INT16_MIN, INT16_MAX))
WS_BIN(i16x8_sub_sat_u, u16, 8, (uint16_t)WS_(sat_)(a.u16[i] - b.u16[i], 0, UINT16_MAX))

WS_BIN(i8x16_min_s, u8, 16, a.i8[i] < b.i8[i] ? a.u8[i] : b.u8[i])
WS_BIN(i8x16_min_u, u8, 16, a.u8[i] < b.u8[i] ? a.u8[i] : b.u8[i])
WS_BIN(i8x16_max_s, u8, 16, a.i8[i] > b.i8[i] ? a.u8[i] : b.u8[i])
WS_BIN(i8x16_max_u, u8, 16, a.u8[i] > b.u8[i] ? a.u8[i] : b.u8[i])
WS_BIN(i16x8_min_s, u16, 8, a.i16[i] < b.i16[i] ? a.u16[i] : b.u16[i])
WS_BIN(i16x8_min_u, u16, 8, a.u16[i] < b.u16[i] ? a.u16[i] : b.u16[i])
WS_BIN(i16x8_max_s, u16, 8, a.i16[i] > b.i16[i] ? a.u16[i] : b.u16[i])
WS_BIN(i16x8_max_u, u16, 8, a.u16[i] > b.u16[i] ? a.u16[i] : b.u16[i])
WS_BIN(i32x4_min_s, u32, 4, a.i32[i] < b.i32[i] ? a.u32[i] : b.u32[i])
WS_BIN(i32x4_min_u, u32, 4, a.u32[i] < b.u32[i] ? a.u32[i] : b.u32[i])
WS_BIN(i32x4_max_s, u32, 4, a.i32[i] > b.i32[i] ? a.u32[i] : b.u32[i])
WS_BIN(i32x4_max_u, u32, 4, a.u32[i] > b.u32[i] ? a.u32[i] : b.u32[i])

WS_BIN(i8x16_avgr_u, u8, 16, (uint8_t)((a.u8[i] + b.u8[i] + 1u) >> 1))
WS_BIN(i16x8_avgr_u, u16, 8, (uint16_t)(((uint32_t)a.u16[i] + b.u16[i] + 1u) >> 1))

/* (a * b + 0x4000) >> 15, saturated: only 0x8000 * 0x8000 overflows. */
WS_BIN(i16x8_q15mulr_sat_s, u16, 8,
       (uint16_t)WS_(sat_)((int32_t)wi32_shr_s((uint32_t)(a.i16[i] * b.i16[i] + 0x4000), 15), INT16_MIN,
                           INT16_MAX))

/* Products of i16 pairs fit in i32; their sum wraps (only -32768^2 * 2). */
WS_BIN(i32x4_dot_i16x8_s, u32, 4,
       (uint32_t)(a.i16[2 * i] * b.i16[2 * i]) + (uint32_t)(a.i16[2 * i + 1] * b.i16[2 * i + 1]))

/* ---- shifts ------------------------------------------------------------ */

WS_SHIFT(i8x16_shl, u8, 16, 8, (uint8_t)((uint32_t)a.u8[i] << s))
WS_SHIFT(i8x16_shr_s, u8, 16, 8, (uint8_t)wi32_shr_s((uint32_t)(int32_t)a.i8[i], s))
WS_SHIFT(i8x16_shr_u, u8, 16, 8, (uint8_t)(a.u8[i] >> s))
WS_SHIFT(i16x8_shl, u16, 8, 16, (uint16_t)((uint32_t)a.u16[i] << s))
WS_SHIFT(i16x8_shr_s, u16, 8, 16, (uint16_t)wi32_shr_s((uint32_t)(int32_t)a.i16[i], s))
WS_SHIFT(i16x8_shr_u, u16, 8, 16, (uint16_t)(a.u16[i] >> s))
WS_SHIFT(i32x4_shl, u32, 4, 32, a.u32[i] << s)
WS_SHIFT(i32x4_shr_s, u32, 4, 32, wi32_shr_s(a.u32[i], s))
WS_SHIFT(i32x4_shr_u, u32, 4, 32, a.u32[i] >> s)
WS_SHIFT(i64x2_shl, u64, 2, 64, a.u64[i] << s)
WS_SHIFT(i64x2_shr_s, u64, 2, 64, wi64_shr_s(a.u64[i], s))
WS_SHIFT(i64x2_shr_u, u64, 2, 64, a.u64[i] >> s)

/* ---- narrowing, widening ---------------------------------------------- */

/* Lanes 0..n/2-1 come from a, the rest from b, each saturated. */
#define WS_NARROW(name, out, in, n, lo, hi)                                    \
    static inline wv128 WS_(name)(wv128 a, wv128 b)                            \
    {                                                                          \
        wv128 r;                                                               \
        for (int i = 0; i < (n) / 2; i++) {                                    \
            r.out[i] = WS_(sat_)(a.in[i], lo, hi);                             \
            r.out[i + (n) / 2] = WS_(sat_)(b.in[i], lo, hi);                   \
        }                                                                      \
        return r;                                                              \
    }
WS_NARROW(i8x16_narrow_i16x8_s, u8, i16, 16, INT8_MIN, INT8_MAX)
WS_NARROW(i8x16_narrow_i16x8_u, u8, i16, 16, 0, UINT8_MAX)
WS_NARROW(i16x8_narrow_i32x4_s, u16, i32, 8, INT16_MIN, INT16_MAX)
WS_NARROW(i16x8_narrow_i32x4_u, u16, i32, 8, 0, UINT16_MAX)

/* extend_low/high: lane i of the result is lane i (+ n for high) of a. */
WS_UN(i16x8_extend_low_i8x16_s, u16, 8, (uint16_t)a.i8[i])
WS_UN(i16x8_extend_high_i8x16_s, u16, 8, (uint16_t)a.i8[i + 8])
WS_UN(i16x8_extend_low_i8x16_u, u16, 8, a.u8[i])
WS_UN(i16x8_extend_high_i8x16_u, u16, 8, a.u8[i + 8])
WS_UN(i32x4_extend_low_i16x8_s, u32, 4, (uint32_t)a.i16[i])
WS_UN(i32x4_extend_high_i16x8_s, u32, 4, (uint32_t)a.i16[i + 4])
WS_UN(i32x4_extend_low_i16x8_u, u32, 4, a.u16[i])
WS_UN(i32x4_extend_high_i16x8_u, u32, 4, a.u16[i + 4])
WS_UN(i64x2_extend_low_i32x4_s, u64, 2, (uint64_t)a.i32[i])
WS_UN(i64x2_extend_high_i32x4_s, u64, 2, (uint64_t)a.i32[i + 2])
WS_UN(i64x2_extend_low_i32x4_u, u64, 2, a.u32[i])
WS_UN(i64x2_extend_high_i32x4_u, u64, 2, a.u32[i + 2])

WS_UN(i16x8_extadd_pairwise_i8x16_s, u16, 8, (uint16_t)(a.i8[2 * i] + a.i8[2 * i + 1]))
WS_UN(i16x8_extadd_pairwise_i8x16_u, u16, 8, (uint16_t)(a.u8[2 * i] + a.u8[2 * i + 1]))
WS_UN(i32x4_extadd_pairwise_i16x8_s, u32, 4, (uint32_t)(a.i16[2 * i] + a.i16[2 * i + 1]))
WS_UN(i32x4_extadd_pairwise_i16x8_u, u32, 4, (uint32_t)a.u16[2 * i] + a.u16[2 * i + 1])

/* extmul: products of the widened lanes always fit the wide lane. */
WS_BIN(i16x8_extmul_low_i8x16_s, u16, 8, (uint16_t)(a.i8[i] * b.i8[i]))
WS_BIN(i16x8_extmul_high_i8x16_s, u16, 8, (uint16_t)(a.i8[i + 8] * b.i8[i + 8]))
WS_BIN(i16x8_extmul_low_i8x16_u, u16, 8, (uint16_t)(a.u8[i] * b.u8[i]))
WS_BIN(i16x8_extmul_high_i8x16_u, u16, 8, (uint16_t)(a.u8[i + 8] * b.u8[i + 8]))
WS_BIN(i32x4_extmul_low_i16x8_s, u32, 4, (uint32_t)(a.i16[i] * b.i16[i]))
WS_BIN(i32x4_extmul_high_i16x8_s, u32, 4, (uint32_t)(a.i16[i + 4] * b.i16[i + 4]))
WS_BIN(i32x4_extmul_low_i16x8_u, u32, 4, (uint32_t)a.u16[i] * b.u16[i])
WS_BIN(i32x4_extmul_high_i16x8_u, u32, 4, (uint32_t)a.u16[i + 4] * b.u16[i + 4])
WS_BIN(i64x2_extmul_low_i32x4_s, u64, 2, (uint64_t)((int64_t)a.i32[i] * b.i32[i]))
WS_BIN(i64x2_extmul_high_i32x4_s, u64, 2, (uint64_t)((int64_t)a.i32[i + 2] * b.i32[i + 2]))
WS_BIN(i64x2_extmul_low_i32x4_u, u64, 2, (uint64_t)a.u32[i] * b.u32[i])
WS_BIN(i64x2_extmul_high_i32x4_u, u64, 2, (uint64_t)a.u32[i + 2] * b.u32[i + 2])

/* ---- float ------------------------------------------------------------- */

/* Rounding of a NaN: x + x quiets it (as the scalar interpreter does). */
WS_UN(f32x4_ceil, f32, 4, a.f32[i] != a.f32[i] ? a.f32[i] + a.f32[i] : ceilf(a.f32[i]))
WS_UN(f32x4_floor, f32, 4, a.f32[i] != a.f32[i] ? a.f32[i] + a.f32[i] : floorf(a.f32[i]))
WS_UN(f32x4_trunc, f32, 4, a.f32[i] != a.f32[i] ? a.f32[i] + a.f32[i] : truncf(a.f32[i]))
WS_UN(f32x4_nearest, f32, 4, a.f32[i] != a.f32[i] ? a.f32[i] + a.f32[i] : nearbyintf(a.f32[i]))
WS_UN(f64x2_ceil, f64, 2, a.f64[i] != a.f64[i] ? a.f64[i] + a.f64[i] : ceil(a.f64[i]))
WS_UN(f64x2_floor, f64, 2, a.f64[i] != a.f64[i] ? a.f64[i] + a.f64[i] : floor(a.f64[i]))
WS_UN(f64x2_trunc, f64, 2, a.f64[i] != a.f64[i] ? a.f64[i] + a.f64[i] : trunc(a.f64[i]))
WS_UN(f64x2_nearest, f64, 2, a.f64[i] != a.f64[i] ? a.f64[i] + a.f64[i] : nearbyint(a.f64[i]))

/* abs/neg touch only the sign bit, NaN payloads included. */
WS_UN(f32x4_abs, u32, 4, a.u32[i] & 0x7FFFFFFFu)
WS_UN(f32x4_neg, u32, 4, a.u32[i] ^ 0x80000000u)
WS_UN(f64x2_abs, u64, 2, a.u64[i] & 0x7FFFFFFFFFFFFFFFull)
WS_UN(f64x2_neg, u64, 2, a.u64[i] ^ 0x8000000000000000ull)
WS_UN(f32x4_sqrt, f32, 4, sqrtf(a.f32[i]))
WS_UN(f64x2_sqrt, f64, 2, sqrt(a.f64[i]))

WS_BIN(f32x4_add, f32, 4, a.f32[i] + b.f32[i])
WS_BIN(f32x4_sub, f32, 4, a.f32[i] - b.f32[i])
WS_BIN(f32x4_mul, f32, 4, a.f32[i] * b.f32[i])
WS_BIN(f32x4_div, f32, 4, a.f32[i] / b.f32[i])
WS_BIN(f64x2_add, f64, 2, a.f64[i] + b.f64[i])
WS_BIN(f64x2_sub, f64, 2, a.f64[i] - b.f64[i])
WS_BIN(f64x2_mul, f64, 2, a.f64[i] * b.f64[i])
WS_BIN(f64x2_div, f64, 2, a.f64[i] / b.f64[i])
WS_BIN(f32x4_min, f32, 4, wf32_min(a.f32[i], b.f32[i]))
WS_BIN(f32x4_max, f32, 4, wf32_max(a.f32[i], b.f32[i]))
WS_BIN(f64x2_min, f64, 2, wf64_min(a.f64[i], b.f64[i]))
WS_BIN(f64x2_max, f64, 2, wf64_max(a.f64[i], b.f64[i]))
/* pmin/pmax are defined as selects (b < a ? b : a), operand bits kept. */
WS_BIN(f32x4_pmin, u32, 4, b.f32[i] < a.f32[i] ? b.u32[i] : a.u32[i])
WS_BIN(f32x4_pmax, u32, 4, a.f32[i] < b.f32[i] ? b.u32[i] : a.u32[i])
WS_BIN(f64x2_pmin, u64, 2, b.f64[i] < a.f64[i] ? b.u64[i] : a.u64[i])
WS_BIN(f64x2_pmax, u64, 2, a.f64[i] < b.f64[i] ? b.u64[i] : a.u64[i])

/* ---- conversions ------------------------------------------------------- */

static inline wv128 WS_(f32x4_demote_f64x2_zero)(wv128 a)
{
    wv128 r;
    r.f32[0] = (float)a.f64[0];
    r.f32[1] = (float)a.f64[1];
    r.u32[2] = r.u32[3] = 0;
    return r;
}

WS_UN(f64x2_promote_low_f32x4, f64, 2, (double)a.f32[i])
WS_UN(i32x4_trunc_sat_f32x4_s, u32, 4, (uint32_t)wsat_s32(a.f32[i]))
WS_UN(i32x4_trunc_sat_f32x4_u, u32, 4, wsat_u32(a.f32[i]))
WS_UN(f32x4_convert_i32x4_s, f32, 4, (float)a.i32[i])
WS_UN(f32x4_convert_i32x4_u, f32, 4, (float)a.u32[i])
WS_UN(f64x2_convert_low_i32x4_s, f64, 2, (double)a.i32[i])
WS_UN(f64x2_convert_low_i32x4_u, f64, 2, (double)a.u32[i])

static inline wv128 WS_(i32x4_trunc_sat_f64x2_s_zero)(wv128 a)
{
    wv128 r;
    r.u32[0] = (uint32_t)wsat_s32(a.f64[0]);
    r.u32[1] = (uint32_t)wsat_s32(a.f64[1]);
    r.u32[2] = r.u32[3] = 0;
    return r;
}

static inline wv128 WS_(i32x4_trunc_sat_f64x2_u_zero)(wv128 a)
{
    wv128 r;
    r.u32[0] = wsat_u32(a.f64[0]);
    r.u32[1] = wsat_u32(a.f64[1]);
    r.u32[2] = r.u32[3] = 0;
    return r;
}

#undef WS_UN
#undef WS_BIN
#undef WS_SHIFT
#undef WS_CMP
#undef WS_SPLAT
#undef WS_REPLACE
#undef WS_EXTRACT
#undef WS_ALL_TRUE
#undef WS_BITMASK
#undef WS_NARROW
#undef WS_
#undef WSIMD_PREFIX
