/*
 * aarch64 back end (Advanced SIMD, always present on aarch64).  Most wasm
 * SIMD instructions are one NEON instruction with the same semantics:
 *  - FMIN/FMAX propagate NaNs (quieted; FPCR.DN is 0 on Linux) and order
 *    -0 < +0, exactly wasm's min/max; pmin/pmax are compare + select;
 *  - FCVTZS/FCVTZU saturate and give 0 for NaN, exactly trunc_sat;
 *  - TBL gives 0 for indices >= 16 (swizzle) and, over two registers,
 *    indexes 32 lanes (shuffle);
 *  - SQRDMULH is q15mulr_sat_s, including 0x8000 * 0x8000 -> 0x7FFF;
 *  - SQXTN/SQXTUN are the saturating narrows; FRINTP/M/Z/N the roundings.
 * What NEON lacks: 64-bit lane multiply (built from 32-bit products) and
 * bitmask (sign bits shifted into place and summed across).  Lane-index
 * ops use the scalar code (run-time index).
 */
#ifndef WARD_SIMD_NEON_H
#define WARD_SIMD_NEON_H

#include <arm_neon.h>

#include "simd_types.h"

/* Loads and stores of the union, one pair per lane type. */
#define WNEON_IO(sfx, T, field)                                                \
    static inline T wneon_##sfx(wv128 v)                                       \
    {                                                                          \
        return vld1q_##sfx(v.field);                                           \
    }                                                                          \
    static inline wv128 wneon_v##sfx(T x)                                      \
    {                                                                          \
        wv128 r;                                                               \
        vst1q_##sfx(r.field, x);                                               \
        return r;                                                              \
    }
WNEON_IO(u8, uint8x16_t, u8)
WNEON_IO(s8, int8x16_t, i8)
WNEON_IO(u16, uint16x8_t, u16)
WNEON_IO(s16, int16x8_t, i16)
WNEON_IO(u32, uint32x4_t, u32)
WNEON_IO(s32, int32x4_t, i32)
WNEON_IO(u64, uint64x2_t, u64)
WNEON_IO(s64, int64x2_t, i64)
WNEON_IO(f32, float32x4_t, f32)
WNEON_IO(f64, float64x2_t, f64)
#undef WNEON_IO

/* Function makers: T is the operand type, in/out the lane suffixes. */
#define WNEON_UN(name, T, in, out, expr)                                       \
    static inline wv128 wsimd_##name(wv128 a_)                                 \
    {                                                                          \
        T a = wneon_##in(a_);                                                  \
        return wneon_v##out(expr);                                             \
    }
#define WNEON_BIN(name, T, in, out, expr)                                      \
    static inline wv128 wsimd_##name(wv128 a_, wv128 b_)                       \
    {                                                                          \
        T a = wneon_##in(a_), b = wneon_##in(b_);                              \
        return wneon_v##out(expr);                                             \
    }

/* ---- splat, lanes, shuffle, swizzle ------------------------------------- */

static inline wv128 wsimd_i8x16_splat(uint32_t x)
{
    return wneon_vu8(vdupq_n_u8((uint8_t)x));
}
static inline wv128 wsimd_i16x8_splat(uint32_t x)
{
    return wneon_vu16(vdupq_n_u16((uint16_t)x));
}
static inline wv128 wsimd_i32x4_splat(uint32_t x)
{
    return wneon_vu32(vdupq_n_u32(x));
}
static inline wv128 wsimd_i64x2_splat(uint64_t x)
{
    return wneon_vu64(vdupq_n_u64(x));
}
static inline wv128 wsimd_f32x4_splat(float x)
{
    return wneon_vf32(vdupq_n_f32(x));
}
static inline wv128 wsimd_f64x2_splat(double x)
{
    return wneon_vf64(vdupq_n_f64(x));
}

#define wsimd_i8x16_extract_lane_s wsimd_scalar_i8x16_extract_lane_s
#define wsimd_i8x16_extract_lane_u wsimd_scalar_i8x16_extract_lane_u
#define wsimd_i16x8_extract_lane_s wsimd_scalar_i16x8_extract_lane_s
#define wsimd_i16x8_extract_lane_u wsimd_scalar_i16x8_extract_lane_u
#define wsimd_i32x4_extract_lane wsimd_scalar_i32x4_extract_lane
#define wsimd_i64x2_extract_lane wsimd_scalar_i64x2_extract_lane
#define wsimd_f32x4_extract_lane wsimd_scalar_f32x4_extract_lane
#define wsimd_f64x2_extract_lane wsimd_scalar_f64x2_extract_lane
#define wsimd_i8x16_replace_lane wsimd_scalar_i8x16_replace_lane
#define wsimd_i16x8_replace_lane wsimd_scalar_i16x8_replace_lane
#define wsimd_i32x4_replace_lane wsimd_scalar_i32x4_replace_lane
#define wsimd_i64x2_replace_lane wsimd_scalar_i64x2_replace_lane
#define wsimd_f32x4_replace_lane wsimd_scalar_f32x4_replace_lane
#define wsimd_f64x2_replace_lane wsimd_scalar_f64x2_replace_lane

WNEON_BIN(i8x16_swizzle, uint8x16_t, u8, u8, vqtbl1q_u8(a, b))

static inline wv128 wsimd_i8x16_shuffle(wv128 a, wv128 b, const uint8_t lanes[16])
{
    uint8x16x2_t t = {{wneon_u8(a), wneon_u8(b)}};
    return wneon_vu8(vqtbl2q_u8(t, vandq_u8(vld1q_u8(lanes), vdupq_n_u8(31))));
}

/* ---- compares ---------------------------------------------------------- */

#define WNEON_CMP(name, T, in, out, expr) WNEON_BIN(name, T, in, out, expr)
WNEON_CMP(i8x16_eq, uint8x16_t, u8, u8, vceqq_u8(a, b))
WNEON_CMP(i8x16_ne, uint8x16_t, u8, u8, vmvnq_u8(vceqq_u8(a, b)))
WNEON_CMP(i8x16_lt_s, int8x16_t, s8, u8, vcltq_s8(a, b))
WNEON_CMP(i8x16_lt_u, uint8x16_t, u8, u8, vcltq_u8(a, b))
WNEON_CMP(i8x16_gt_s, int8x16_t, s8, u8, vcgtq_s8(a, b))
WNEON_CMP(i8x16_gt_u, uint8x16_t, u8, u8, vcgtq_u8(a, b))
WNEON_CMP(i8x16_le_s, int8x16_t, s8, u8, vcleq_s8(a, b))
WNEON_CMP(i8x16_le_u, uint8x16_t, u8, u8, vcleq_u8(a, b))
WNEON_CMP(i8x16_ge_s, int8x16_t, s8, u8, vcgeq_s8(a, b))
WNEON_CMP(i8x16_ge_u, uint8x16_t, u8, u8, vcgeq_u8(a, b))
WNEON_CMP(i16x8_eq, uint16x8_t, u16, u16, vceqq_u16(a, b))
WNEON_CMP(i16x8_ne, uint16x8_t, u16, u16, vmvnq_u16(vceqq_u16(a, b)))
WNEON_CMP(i16x8_lt_s, int16x8_t, s16, u16, vcltq_s16(a, b))
WNEON_CMP(i16x8_lt_u, uint16x8_t, u16, u16, vcltq_u16(a, b))
WNEON_CMP(i16x8_gt_s, int16x8_t, s16, u16, vcgtq_s16(a, b))
WNEON_CMP(i16x8_gt_u, uint16x8_t, u16, u16, vcgtq_u16(a, b))
WNEON_CMP(i16x8_le_s, int16x8_t, s16, u16, vcleq_s16(a, b))
WNEON_CMP(i16x8_le_u, uint16x8_t, u16, u16, vcleq_u16(a, b))
WNEON_CMP(i16x8_ge_s, int16x8_t, s16, u16, vcgeq_s16(a, b))
WNEON_CMP(i16x8_ge_u, uint16x8_t, u16, u16, vcgeq_u16(a, b))
WNEON_CMP(i32x4_eq, uint32x4_t, u32, u32, vceqq_u32(a, b))
WNEON_CMP(i32x4_ne, uint32x4_t, u32, u32, vmvnq_u32(vceqq_u32(a, b)))
WNEON_CMP(i32x4_lt_s, int32x4_t, s32, u32, vcltq_s32(a, b))
WNEON_CMP(i32x4_lt_u, uint32x4_t, u32, u32, vcltq_u32(a, b))
WNEON_CMP(i32x4_gt_s, int32x4_t, s32, u32, vcgtq_s32(a, b))
WNEON_CMP(i32x4_gt_u, uint32x4_t, u32, u32, vcgtq_u32(a, b))
WNEON_CMP(i32x4_le_s, int32x4_t, s32, u32, vcleq_s32(a, b))
WNEON_CMP(i32x4_le_u, uint32x4_t, u32, u32, vcleq_u32(a, b))
WNEON_CMP(i32x4_ge_s, int32x4_t, s32, u32, vcgeq_s32(a, b))
WNEON_CMP(i32x4_ge_u, uint32x4_t, u32, u32, vcgeq_u32(a, b))
WNEON_CMP(i64x2_eq, uint64x2_t, u64, u64, vceqq_u64(a, b))
WNEON_CMP(i64x2_ne, uint64x2_t, u64, u32, vmvnq_u32(vreinterpretq_u32_u64(vceqq_u64(a, b))))
WNEON_CMP(i64x2_lt_s, int64x2_t, s64, u64, vcltq_s64(a, b))
WNEON_CMP(i64x2_gt_s, int64x2_t, s64, u64, vcgtq_s64(a, b))
WNEON_CMP(i64x2_le_s, int64x2_t, s64, u64, vcleq_s64(a, b))
WNEON_CMP(i64x2_ge_s, int64x2_t, s64, u64, vcgeq_s64(a, b))
/* FCM* are the IEEE predicates: false on NaN; ne is not(eq), true on NaN. */
WNEON_CMP(f32x4_eq, float32x4_t, f32, u32, vceqq_f32(a, b))
WNEON_CMP(f32x4_ne, float32x4_t, f32, u32, vmvnq_u32(vceqq_f32(a, b)))
WNEON_CMP(f32x4_lt, float32x4_t, f32, u32, vcltq_f32(a, b))
WNEON_CMP(f32x4_gt, float32x4_t, f32, u32, vcgtq_f32(a, b))
WNEON_CMP(f32x4_le, float32x4_t, f32, u32, vcleq_f32(a, b))
WNEON_CMP(f32x4_ge, float32x4_t, f32, u32, vcgeq_f32(a, b))
WNEON_CMP(f64x2_eq, float64x2_t, f64, u64, vceqq_f64(a, b))
WNEON_CMP(f64x2_ne, float64x2_t, f64, u32, vmvnq_u32(vreinterpretq_u32_u64(vceqq_f64(a, b))))
WNEON_CMP(f64x2_lt, float64x2_t, f64, u64, vcltq_f64(a, b))
WNEON_CMP(f64x2_gt, float64x2_t, f64, u64, vcgtq_f64(a, b))
WNEON_CMP(f64x2_le, float64x2_t, f64, u64, vcleq_f64(a, b))
WNEON_CMP(f64x2_ge, float64x2_t, f64, u64, vcgeq_f64(a, b))

/* ---- bitwise and tests ------------------------------------------------- */

WNEON_UN(v128_not, uint8x16_t, u8, u8, vmvnq_u8(a))
WNEON_BIN(v128_and, uint8x16_t, u8, u8, vandq_u8(a, b))
WNEON_BIN(v128_andnot, uint8x16_t, u8, u8, vbicq_u8(a, b))
WNEON_BIN(v128_or, uint8x16_t, u8, u8, vorrq_u8(a, b))
WNEON_BIN(v128_xor, uint8x16_t, u8, u8, veorq_u8(a, b))

static inline wv128 wsimd_v128_bitselect(wv128 a, wv128 b, wv128 c)
{
    return wneon_vu8(vbslq_u8(wneon_u8(c), wneon_u8(a), wneon_u8(b)));
}

static inline uint32_t wsimd_v128_any_true(wv128 a)
{
    return vmaxvq_u32(wneon_u32(a)) != 0;
}
static inline uint32_t wsimd_i8x16_all_true(wv128 a)
{
    return vminvq_u8(wneon_u8(a)) != 0;
}
static inline uint32_t wsimd_i16x8_all_true(wv128 a)
{
    return vminvq_u16(wneon_u16(a)) != 0;
}
static inline uint32_t wsimd_i32x4_all_true(wv128 a)
{
    return vminvq_u32(wneon_u32(a)) != 0;
}
static inline uint32_t wsimd_i64x2_all_true(wv128 a)
{
    return vmaxvq_u32(vreinterpretq_u32_u64(vceqzq_u64(wneon_u64(a)))) == 0;
}

/* bitmask: each lane's sign bit shifted to bit (lane index), summed. */
static inline uint32_t wsimd_i8x16_bitmask(wv128 a)
{
    static const int8_t shifts[16] = {0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7};
    uint8x16_t bits = vshlq_u8(vshrq_n_u8(wneon_u8(a), 7), vld1q_s8(shifts));
    return (uint32_t)vaddv_u8(vget_low_u8(bits)) | ((uint32_t)vaddv_u8(vget_high_u8(bits)) << 8);
}
static inline uint32_t wsimd_i16x8_bitmask(wv128 a)
{
    static const int16_t shifts[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    return vaddvq_u16(vshlq_u16(vshrq_n_u16(wneon_u16(a), 15), vld1q_s16(shifts)));
}
static inline uint32_t wsimd_i32x4_bitmask(wv128 a)
{
    static const int32_t shifts[4] = {0, 1, 2, 3};
    return vaddvq_u32(vshlq_u32(vshrq_n_u32(wneon_u32(a), 31), vld1q_s32(shifts)));
}
static inline uint32_t wsimd_i64x2_bitmask(wv128 a)
{
    uint64x2_t s = vshrq_n_u64(wneon_u64(a), 63);
    return (uint32_t)(vgetq_lane_u64(s, 0) | (vgetq_lane_u64(s, 1) << 1));
}

/* ---- integer arithmetic ------------------------------------------------ */

/* ABS and NEG wrap (abs(-128) = -128), as wasm wants. */
WNEON_UN(i8x16_abs, int8x16_t, s8, s8, vabsq_s8(a))
WNEON_UN(i16x8_abs, int16x8_t, s16, s16, vabsq_s16(a))
WNEON_UN(i32x4_abs, int32x4_t, s32, s32, vabsq_s32(a))
WNEON_UN(i64x2_abs, int64x2_t, s64, s64, vabsq_s64(a))
WNEON_UN(i8x16_neg, int8x16_t, s8, s8, vnegq_s8(a))
WNEON_UN(i16x8_neg, int16x8_t, s16, s16, vnegq_s16(a))
WNEON_UN(i32x4_neg, int32x4_t, s32, s32, vnegq_s32(a))
WNEON_UN(i64x2_neg, int64x2_t, s64, s64, vnegq_s64(a))
WNEON_UN(i8x16_popcnt, uint8x16_t, u8, u8, vcntq_u8(a))

WNEON_BIN(i8x16_add, uint8x16_t, u8, u8, vaddq_u8(a, b))
WNEON_BIN(i16x8_add, uint16x8_t, u16, u16, vaddq_u16(a, b))
WNEON_BIN(i32x4_add, uint32x4_t, u32, u32, vaddq_u32(a, b))
WNEON_BIN(i64x2_add, uint64x2_t, u64, u64, vaddq_u64(a, b))
WNEON_BIN(i8x16_sub, uint8x16_t, u8, u8, vsubq_u8(a, b))
WNEON_BIN(i16x8_sub, uint16x8_t, u16, u16, vsubq_u16(a, b))
WNEON_BIN(i32x4_sub, uint32x4_t, u32, u32, vsubq_u32(a, b))
WNEON_BIN(i64x2_sub, uint64x2_t, u64, u64, vsubq_u64(a, b))
WNEON_BIN(i8x16_add_sat_s, int8x16_t, s8, s8, vqaddq_s8(a, b))
WNEON_BIN(i8x16_add_sat_u, uint8x16_t, u8, u8, vqaddq_u8(a, b))
WNEON_BIN(i8x16_sub_sat_s, int8x16_t, s8, s8, vqsubq_s8(a, b))
WNEON_BIN(i8x16_sub_sat_u, uint8x16_t, u8, u8, vqsubq_u8(a, b))
WNEON_BIN(i16x8_add_sat_s, int16x8_t, s16, s16, vqaddq_s16(a, b))
WNEON_BIN(i16x8_add_sat_u, uint16x8_t, u16, u16, vqaddq_u16(a, b))
WNEON_BIN(i16x8_sub_sat_s, int16x8_t, s16, s16, vqsubq_s16(a, b))
WNEON_BIN(i16x8_sub_sat_u, uint16x8_t, u16, u16, vqsubq_u16(a, b))
WNEON_BIN(i16x8_mul, uint16x8_t, u16, u16, vmulq_u16(a, b))
WNEON_BIN(i32x4_mul, uint32x4_t, u32, u32, vmulq_u32(a, b))

/* No 64-bit lane multiply: lo*lo (widening) + ((lo*hi + hi*lo) << 32);
 * the cross products come from one 32-bit multiply against b with its
 * halves swapped, summed pairwise. */
static inline wv128 wsimd_i64x2_mul(wv128 a_, wv128 b_)
{
    uint64x2_t a = wneon_u64(a_), b = wneon_u64(b_);
    uint32x4_t cross = vmulq_u32(vreinterpretq_u32_u64(a), vrev64q_u32(vreinterpretq_u32_u64(b)));
    uint64x2_t high = vshlq_n_u64(vpaddlq_u32(cross), 32);
    return wneon_vu64(vmlal_u32(high, vmovn_u64(a), vmovn_u64(b)));
}

WNEON_BIN(i8x16_min_s, int8x16_t, s8, s8, vminq_s8(a, b))
WNEON_BIN(i8x16_min_u, uint8x16_t, u8, u8, vminq_u8(a, b))
WNEON_BIN(i8x16_max_s, int8x16_t, s8, s8, vmaxq_s8(a, b))
WNEON_BIN(i8x16_max_u, uint8x16_t, u8, u8, vmaxq_u8(a, b))
WNEON_BIN(i16x8_min_s, int16x8_t, s16, s16, vminq_s16(a, b))
WNEON_BIN(i16x8_min_u, uint16x8_t, u16, u16, vminq_u16(a, b))
WNEON_BIN(i16x8_max_s, int16x8_t, s16, s16, vmaxq_s16(a, b))
WNEON_BIN(i16x8_max_u, uint16x8_t, u16, u16, vmaxq_u16(a, b))
WNEON_BIN(i32x4_min_s, int32x4_t, s32, s32, vminq_s32(a, b))
WNEON_BIN(i32x4_min_u, uint32x4_t, u32, u32, vminq_u32(a, b))
WNEON_BIN(i32x4_max_s, int32x4_t, s32, s32, vmaxq_s32(a, b))
WNEON_BIN(i32x4_max_u, uint32x4_t, u32, u32, vmaxq_u32(a, b))
/* URHADD is (a + b + 1) >> 1 without overflow. */
WNEON_BIN(i8x16_avgr_u, uint8x16_t, u8, u8, vrhaddq_u8(a, b))
WNEON_BIN(i16x8_avgr_u, uint16x8_t, u16, u16, vrhaddq_u16(a, b))
/* SQRDMULH: (2ab + 2^15) >> 16 = (ab + 2^14) >> 15, saturating. */
WNEON_BIN(i16x8_q15mulr_sat_s, int16x8_t, s16, s16, vqrdmulhq_s16(a, b))
/* Widening products, then pairwise sums (wrapping in 32 bits). */
WNEON_BIN(i32x4_dot_i16x8_s, int16x8_t, s16, s32,
          vpaddq_s32(vmull_s16(vget_low_s16(a), vget_low_s16(b)), vmull_high_s16(a, b)))

/* ---- shifts: by a vector of counts; negative counts shift right -------- */

#define WNEON_SHIFT(name, T, sfx, bits, expr)                                  \
    static inline wv128 wsimd_##name(wv128 a_, uint32_t count)                 \
    {                                                                          \
        T a = wneon_##sfx(a_);                                                 \
        int s = (int)(count & ((bits) - 1));                                   \
        return wneon_v##sfx(expr);                                             \
    }
WNEON_SHIFT(i8x16_shl, uint8x16_t, u8, 8, vshlq_u8(a, vdupq_n_s8((int8_t)s)))
WNEON_SHIFT(i8x16_shr_u, uint8x16_t, u8, 8, vshlq_u8(a, vdupq_n_s8((int8_t)-s)))
WNEON_SHIFT(i8x16_shr_s, int8x16_t, s8, 8, vshlq_s8(a, vdupq_n_s8((int8_t)-s)))
WNEON_SHIFT(i16x8_shl, uint16x8_t, u16, 16, vshlq_u16(a, vdupq_n_s16((int16_t)s)))
WNEON_SHIFT(i16x8_shr_u, uint16x8_t, u16, 16, vshlq_u16(a, vdupq_n_s16((int16_t)-s)))
WNEON_SHIFT(i16x8_shr_s, int16x8_t, s16, 16, vshlq_s16(a, vdupq_n_s16((int16_t)-s)))
WNEON_SHIFT(i32x4_shl, uint32x4_t, u32, 32, vshlq_u32(a, vdupq_n_s32(s)))
WNEON_SHIFT(i32x4_shr_u, uint32x4_t, u32, 32, vshlq_u32(a, vdupq_n_s32(-s)))
WNEON_SHIFT(i32x4_shr_s, int32x4_t, s32, 32, vshlq_s32(a, vdupq_n_s32(-s)))
WNEON_SHIFT(i64x2_shl, uint64x2_t, u64, 64, vshlq_u64(a, vdupq_n_s64(s)))
WNEON_SHIFT(i64x2_shr_u, uint64x2_t, u64, 64, vshlq_u64(a, vdupq_n_s64(-s)))
WNEON_SHIFT(i64x2_shr_s, int64x2_t, s64, 64, vshlq_s64(a, vdupq_n_s64(-s)))

/* ---- narrowing, widening ---------------------------------------------- */

WNEON_BIN(i8x16_narrow_i16x8_s, int16x8_t, s16, s8, vcombine_s8(vqmovn_s16(a), vqmovn_s16(b)))
WNEON_BIN(i8x16_narrow_i16x8_u, int16x8_t, s16, u8, vcombine_u8(vqmovun_s16(a), vqmovun_s16(b)))
WNEON_BIN(i16x8_narrow_i32x4_s, int32x4_t, s32, s16, vcombine_s16(vqmovn_s32(a), vqmovn_s32(b)))
WNEON_BIN(i16x8_narrow_i32x4_u, int32x4_t, s32, u16, vcombine_u16(vqmovun_s32(a), vqmovun_s32(b)))

WNEON_UN(i16x8_extend_low_i8x16_s, int8x16_t, s8, s16, vmovl_s8(vget_low_s8(a)))
WNEON_UN(i16x8_extend_high_i8x16_s, int8x16_t, s8, s16, vmovl_high_s8(a))
WNEON_UN(i16x8_extend_low_i8x16_u, uint8x16_t, u8, u16, vmovl_u8(vget_low_u8(a)))
WNEON_UN(i16x8_extend_high_i8x16_u, uint8x16_t, u8, u16, vmovl_high_u8(a))
WNEON_UN(i32x4_extend_low_i16x8_s, int16x8_t, s16, s32, vmovl_s16(vget_low_s16(a)))
WNEON_UN(i32x4_extend_high_i16x8_s, int16x8_t, s16, s32, vmovl_high_s16(a))
WNEON_UN(i32x4_extend_low_i16x8_u, uint16x8_t, u16, u32, vmovl_u16(vget_low_u16(a)))
WNEON_UN(i32x4_extend_high_i16x8_u, uint16x8_t, u16, u32, vmovl_high_u16(a))
WNEON_UN(i64x2_extend_low_i32x4_s, int32x4_t, s32, s64, vmovl_s32(vget_low_s32(a)))
WNEON_UN(i64x2_extend_high_i32x4_s, int32x4_t, s32, s64, vmovl_high_s32(a))
WNEON_UN(i64x2_extend_low_i32x4_u, uint32x4_t, u32, u64, vmovl_u32(vget_low_u32(a)))
WNEON_UN(i64x2_extend_high_i32x4_u, uint32x4_t, u32, u64, vmovl_high_u32(a))

WNEON_UN(i16x8_extadd_pairwise_i8x16_s, int8x16_t, s8, s16, vpaddlq_s8(a))
WNEON_UN(i16x8_extadd_pairwise_i8x16_u, uint8x16_t, u8, u16, vpaddlq_u8(a))
WNEON_UN(i32x4_extadd_pairwise_i16x8_s, int16x8_t, s16, s32, vpaddlq_s16(a))
WNEON_UN(i32x4_extadd_pairwise_i16x8_u, uint16x8_t, u16, u32, vpaddlq_u16(a))

WNEON_BIN(i16x8_extmul_low_i8x16_s, int8x16_t, s8, s16, vmull_s8(vget_low_s8(a), vget_low_s8(b)))
WNEON_BIN(i16x8_extmul_high_i8x16_s, int8x16_t, s8, s16, vmull_high_s8(a, b))
WNEON_BIN(i16x8_extmul_low_i8x16_u, uint8x16_t, u8, u16, vmull_u8(vget_low_u8(a), vget_low_u8(b)))
WNEON_BIN(i16x8_extmul_high_i8x16_u, uint8x16_t, u8, u16, vmull_high_u8(a, b))
WNEON_BIN(i32x4_extmul_low_i16x8_s, int16x8_t, s16, s32, vmull_s16(vget_low_s16(a), vget_low_s16(b)))
WNEON_BIN(i32x4_extmul_high_i16x8_s, int16x8_t, s16, s32, vmull_high_s16(a, b))
WNEON_BIN(i32x4_extmul_low_i16x8_u, uint16x8_t, u16, u32, vmull_u16(vget_low_u16(a), vget_low_u16(b)))
WNEON_BIN(i32x4_extmul_high_i16x8_u, uint16x8_t, u16, u32, vmull_high_u16(a, b))
WNEON_BIN(i64x2_extmul_low_i32x4_s, int32x4_t, s32, s64, vmull_s32(vget_low_s32(a), vget_low_s32(b)))
WNEON_BIN(i64x2_extmul_high_i32x4_s, int32x4_t, s32, s64, vmull_high_s32(a, b))
WNEON_BIN(i64x2_extmul_low_i32x4_u, uint32x4_t, u32, u64, vmull_u32(vget_low_u32(a), vget_low_u32(b)))
WNEON_BIN(i64x2_extmul_high_i32x4_u, uint32x4_t, u32, u64, vmull_high_u32(a, b))

/* ---- float ------------------------------------------------------------- */

/* abs/neg on the integer side: only the sign bit changes, NaNs included. */
WNEON_UN(f32x4_abs, uint32x4_t, u32, u32, vandq_u32(a, vdupq_n_u32(0x7FFFFFFFu)))
WNEON_UN(f32x4_neg, uint32x4_t, u32, u32, veorq_u32(a, vdupq_n_u32(0x80000000u)))
WNEON_UN(f64x2_abs, uint64x2_t, u64, u64, vandq_u64(a, vdupq_n_u64(0x7FFFFFFFFFFFFFFFull)))
WNEON_UN(f64x2_neg, uint64x2_t, u64, u64, veorq_u64(a, vdupq_n_u64(0x8000000000000000ull)))
WNEON_UN(f32x4_sqrt, float32x4_t, f32, f32, vsqrtq_f32(a))
WNEON_UN(f64x2_sqrt, float64x2_t, f64, f64, vsqrtq_f64(a))
WNEON_BIN(f32x4_add, float32x4_t, f32, f32, vaddq_f32(a, b))
WNEON_BIN(f32x4_sub, float32x4_t, f32, f32, vsubq_f32(a, b))
WNEON_BIN(f32x4_mul, float32x4_t, f32, f32, vmulq_f32(a, b))
WNEON_BIN(f32x4_div, float32x4_t, f32, f32, vdivq_f32(a, b))
WNEON_BIN(f64x2_add, float64x2_t, f64, f64, vaddq_f64(a, b))
WNEON_BIN(f64x2_sub, float64x2_t, f64, f64, vsubq_f64(a, b))
WNEON_BIN(f64x2_mul, float64x2_t, f64, f64, vmulq_f64(a, b))
WNEON_BIN(f64x2_div, float64x2_t, f64, f64, vdivq_f64(a, b))
WNEON_BIN(f32x4_min, float32x4_t, f32, f32, vminq_f32(a, b))
WNEON_BIN(f32x4_max, float32x4_t, f32, f32, vmaxq_f32(a, b))
WNEON_BIN(f64x2_min, float64x2_t, f64, f64, vminq_f64(a, b))
WNEON_BIN(f64x2_max, float64x2_t, f64, f64, vmaxq_f64(a, b))
/* pmin: b < a ? b : a; pmax: a < b ? b : a (operand bits kept). */
WNEON_BIN(f32x4_pmin, float32x4_t, f32, f32, vbslq_f32(vcltq_f32(b, a), b, a))
WNEON_BIN(f32x4_pmax, float32x4_t, f32, f32, vbslq_f32(vcltq_f32(a, b), b, a))
WNEON_BIN(f64x2_pmin, float64x2_t, f64, f64, vbslq_f64(vcltq_f64(b, a), b, a))
WNEON_BIN(f64x2_pmax, float64x2_t, f64, f64, vbslq_f64(vcltq_f64(a, b), b, a))
WNEON_UN(f32x4_ceil, float32x4_t, f32, f32, vrndpq_f32(a))
WNEON_UN(f32x4_floor, float32x4_t, f32, f32, vrndmq_f32(a))
WNEON_UN(f32x4_trunc, float32x4_t, f32, f32, vrndq_f32(a))
WNEON_UN(f32x4_nearest, float32x4_t, f32, f32, vrndnq_f32(a))
WNEON_UN(f64x2_ceil, float64x2_t, f64, f64, vrndpq_f64(a))
WNEON_UN(f64x2_floor, float64x2_t, f64, f64, vrndmq_f64(a))
WNEON_UN(f64x2_trunc, float64x2_t, f64, f64, vrndq_f64(a))
WNEON_UN(f64x2_nearest, float64x2_t, f64, f64, vrndnq_f64(a))

/* ---- conversions ------------------------------------------------------- */

WNEON_UN(f32x4_demote_f64x2_zero, float64x2_t, f64, f32, vcombine_f32(vcvt_f32_f64(a), vdup_n_f32(0.0f)))
WNEON_UN(f64x2_promote_low_f32x4, float32x4_t, f32, f64, vcvt_f64_f32(vget_low_f32(a)))
/* FCVTZS/FCVTZU saturate and turn NaN into 0: trunc_sat exactly; the f64
 * forms convert to 64 bits, then narrow with saturation. */
WNEON_UN(i32x4_trunc_sat_f32x4_s, float32x4_t, f32, s32, vcvtq_s32_f32(a))
WNEON_UN(i32x4_trunc_sat_f32x4_u, float32x4_t, f32, u32, vcvtq_u32_f32(a))
WNEON_UN(i32x4_trunc_sat_f64x2_s_zero, float64x2_t, f64, s32, vcombine_s32(vqmovn_s64(vcvtq_s64_f64(a)), vdup_n_s32(0)))
WNEON_UN(i32x4_trunc_sat_f64x2_u_zero, float64x2_t, f64, u32, vcombine_u32(vqmovn_u64(vcvtq_u64_f64(a)), vdup_n_u32(0)))
WNEON_UN(f32x4_convert_i32x4_s, int32x4_t, s32, f32, vcvtq_f32_s32(a))
WNEON_UN(f32x4_convert_i32x4_u, uint32x4_t, u32, f32, vcvtq_f32_u32(a))
WNEON_UN(f64x2_convert_low_i32x4_s, int32x4_t, s32, f64, vcvtq_f64_s64(vmovl_s32(vget_low_s32(a))))
WNEON_UN(f64x2_convert_low_i32x4_u, uint32x4_t, u32, f64, vcvtq_f64_u64(vmovl_u32(vget_low_u32(a))))

#undef WNEON_UN
#undef WNEON_BIN
#undef WNEON_CMP
#undef WNEON_SHIFT

#endif
