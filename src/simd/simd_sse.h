/*
 * x86-64 back end: SSE2 (the x86-64 baseline) everywhere, with SSSE3 and
 * SSE4.1 instructions where the compiler targets them (__SSSE3__,
 * __SSE4_1__, __SSE4_2__ from -march=...; meson -Dsimd_isa=native).  No
 * run-time dispatch: a function pointer per op would defeat inlining into
 * the interpreter's handlers (docs/simd.md).
 *
 * Exactness traps of x86 handled here (each against the wasm rule):
 *  - minps/maxps return the second operand for NaN or ±0 pairs: both
 *    operand orders are combined and NaN lanes recomputed as a + b;
 *  - pmin/pmax are exactly minps(b, a) / maxps(b, a);
 *  - cvttps2dq/cvttpd2dq give 0x80000000 on NaN and overflow: fixed up;
 *  - pshufb reads only bit 7 and the low 4 bits: indices saturated first;
 *  - there are no 8-bit shifts, no 64-bit arithmetic shift, no pmullq,
 *    no unsigned compares: built from wider or signed operations;
 *  - pmulhrsw gives 0x8000 for 0x8000 * 0x8000 (q15mulr must saturate).
 * Lane-index ops (extract/replace_lane) use the scalar code: the index is a
 * run-time operand and a memory access is what the compiler emits anyway.
 */
#ifndef WARD_SIMD_SSE_H
#define WARD_SIMD_SSE_H

#include <emmintrin.h>
#if defined(__SSSE3__)
#include <tmmintrin.h>
#endif
#if defined(__SSE4_1__)
#include <smmintrin.h>
#endif
#if defined(__SSE4_2__)
#include <nmmintrin.h>
#endif

#include "simd_types.h"

static inline __m128i wsse_i(wv128 v)
{
    return _mm_load_si128((const __m128i *)(const void *)&v);
}
static inline __m128 wsse_ps(wv128 v)
{
    return _mm_load_ps(v.f32);
}
static inline __m128d wsse_pd(wv128 v)
{
    return _mm_load_pd(v.f64);
}
static inline wv128 wsse_vi(__m128i x)
{
    wv128 r;
    _mm_store_si128((__m128i *)(void *)&r, x);
    return r;
}
static inline wv128 wsse_vps(__m128 x)
{
    wv128 r;
    _mm_store_ps(r.f32, x);
    return r;
}
static inline wv128 wsse_vpd(__m128d x)
{
    wv128 r;
    _mm_store_pd(r.f64, x);
    return r;
}

/* Function makers: the body is an expression over a and b (vectors of
 * type __m128i, __m128 or __m128d). */
#define WSSE_UN(name, T, in, out, expr)                                        \
    static inline wv128 wsimd_##name(wv128 a_)                                 \
    {                                                                          \
        T a = in(a_);                                                          \
        return out(expr);                                                      \
    }
#define WSSE_BIN(name, T, in, out, expr)                                       \
    static inline wv128 wsimd_##name(wv128 a_, wv128 b_)                       \
    {                                                                          \
        T a = in(a_), b = in(b_);                                              \
        return out(expr);                                                      \
    }
#define WSSE_UNI(name, expr) WSSE_UN(name, __m128i, wsse_i, wsse_vi, expr)
#define WSSE_BINI(name, expr) WSSE_BIN(name, __m128i, wsse_i, wsse_vi, expr)
#define WSSE_UNPS(name, expr) WSSE_UN(name, __m128, wsse_ps, wsse_vps, expr)
#define WSSE_BINPS(name, expr) WSSE_BIN(name, __m128, wsse_ps, wsse_vps, expr)
#define WSSE_UNPD(name, expr) WSSE_UN(name, __m128d, wsse_pd, wsse_vpd, expr)
#define WSSE_BINPD(name, expr) WSSE_BIN(name, __m128d, wsse_pd, wsse_vpd, expr)
/* Float compares give masks in float registers. */
#define WSSE_CMPPS(name, expr) WSSE_BIN(name, __m128, wsse_ps, wsse_vps, expr)
#define WSSE_CMPPD(name, expr) WSSE_BIN(name, __m128d, wsse_pd, wsse_vpd, expr)

/* ---- small helpers ----------------------------------------------------- */

static inline __m128i wsse_not(__m128i a)
{
    return _mm_xor_si128(a, _mm_set1_epi32(-1));
}
/* m ? x : y, per bit. */
static inline __m128i wsse_sel(__m128i m, __m128i x, __m128i y)
{
#if defined(__SSE4_1__)
    return _mm_blendv_epi8(y, x, m);
#else
    return _mm_or_si128(_mm_and_si128(m, x), _mm_andnot_si128(m, y));
#endif
}
static inline __m128 wsse_selps(__m128 m, __m128 x, __m128 y)
{
#if defined(__SSE4_1__)
    return _mm_blendv_ps(y, x, m);
#else
    return _mm_or_ps(_mm_and_ps(m, x), _mm_andnot_ps(m, y));
#endif
}
static inline __m128d wsse_selpd(__m128d m, __m128d x, __m128d y)
{
#if defined(__SSE4_1__)
    return _mm_blendv_pd(y, x, m);
#else
    return _mm_or_pd(_mm_and_pd(m, x), _mm_andnot_pd(m, y));
#endif
}
/* Unsigned compares: flip the sign bits, compare signed. */
static inline __m128i wsse_gt_u8(__m128i a, __m128i b)
{
    __m128i s = _mm_set1_epi8((char)0x80);
    return _mm_cmpgt_epi8(_mm_xor_si128(a, s), _mm_xor_si128(b, s));
}
static inline __m128i wsse_gt_u16(__m128i a, __m128i b)
{
    __m128i s = _mm_set1_epi16((short)0x8000);
    return _mm_cmpgt_epi16(_mm_xor_si128(a, s), _mm_xor_si128(b, s));
}
static inline __m128i wsse_gt_u32(__m128i a, __m128i b)
{
    __m128i s = _mm_set1_epi32((int)0x80000000u);
    return _mm_cmpgt_epi32(_mm_xor_si128(a, s), _mm_xor_si128(b, s));
}
static inline __m128i wsse_eq_i64(__m128i a, __m128i b)
{
#if defined(__SSE4_1__)
    return _mm_cmpeq_epi64(a, b);
#else
    __m128i e = _mm_cmpeq_epi32(a, b);
    return _mm_and_si128(e, _mm_shuffle_epi32(e, _MM_SHUFFLE(2, 3, 0, 1)));
#endif
}
/* Signed 64-bit a > b: high halves decide unless equal, then the low
 * halves compared unsigned. */
static inline __m128i wsse_gt_i64(__m128i a, __m128i b)
{
#if defined(__SSE4_2__)
    return _mm_cmpgt_epi64(a, b);
#else
    __m128i hi_gt = _mm_cmpgt_epi32(a, b);
    __m128i hi_eq = _mm_cmpeq_epi32(a, b);
    __m128i lo_gt = wsse_gt_u32(a, b);
    __m128i t = _mm_or_si128(hi_gt, _mm_and_si128(hi_eq, _mm_shuffle_epi32(lo_gt, _MM_SHUFFLE(2, 2, 0, 0))));
    return _mm_shuffle_epi32(t, _MM_SHUFFLE(3, 3, 1, 1));
#endif
}
/* All-ones in 64-bit lanes that are negative. */
static inline __m128i wsse_sign64(__m128i a)
{
    return _mm_shuffle_epi32(_mm_srai_epi32(a, 31), _MM_SHUFFLE(3, 3, 1, 1));
}

/* ---- splat, lanes, shuffle, swizzle ------------------------------------- */

static inline wv128 wsimd_i8x16_splat(uint32_t x)
{
    return wsse_vi(_mm_set1_epi8((char)(uint8_t)x));
}
static inline wv128 wsimd_i16x8_splat(uint32_t x)
{
    return wsse_vi(_mm_set1_epi16((short)(uint16_t)x));
}
static inline wv128 wsimd_i32x4_splat(uint32_t x)
{
    return wsse_vi(_mm_set1_epi32((int)x));
}
static inline wv128 wsimd_i64x2_splat(uint64_t x)
{
    return wsse_vi(_mm_set1_epi64x((long long)x));
}
static inline wv128 wsimd_f32x4_splat(float x)
{
    return wsse_vps(_mm_set1_ps(x));
}
static inline wv128 wsimd_f64x2_splat(double x)
{
    return wsse_vpd(_mm_set1_pd(x));
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

#if defined(__SSSE3__)
/* pshufb zeroes a byte when bit 7 of its index is set and otherwise uses
 * the low 4 bits: adding 0x70 with unsigned saturation maps 0..15 to
 * 0x70..0x7F and everything >= 16 to >= 0x80. */
static inline wv128 wsimd_i8x16_swizzle(wv128 a, wv128 s)
{
    __m128i idx = _mm_adds_epu8(wsse_i(s), _mm_set1_epi8(0x70));
    return wsse_vi(_mm_shuffle_epi8(wsse_i(a), idx));
}
static inline wv128 wsimd_i8x16_shuffle(wv128 a, wv128 b, const uint8_t lanes[16])
{
    __m128i idx = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)lanes), _mm_set1_epi8(31));
    __m128i from_a = _mm_shuffle_epi8(wsse_i(a), _mm_adds_epu8(idx, _mm_set1_epi8(0x70)));
    __m128i from_b = _mm_shuffle_epi8(wsse_i(b), _mm_sub_epi8(idx, _mm_set1_epi8(16)));
    return wsse_vi(_mm_or_si128(from_a, from_b));
}
#else
#define wsimd_i8x16_swizzle wsimd_scalar_i8x16_swizzle
#define wsimd_i8x16_shuffle wsimd_scalar_i8x16_shuffle
#endif

/* ---- compares ---------------------------------------------------------- */

WSSE_BINI(i8x16_eq, _mm_cmpeq_epi8(a, b))
WSSE_BINI(i8x16_ne, wsse_not(_mm_cmpeq_epi8(a, b)))
WSSE_BINI(i8x16_lt_s, _mm_cmplt_epi8(a, b))
WSSE_BINI(i8x16_gt_s, _mm_cmpgt_epi8(a, b))
WSSE_BINI(i8x16_le_s, wsse_not(_mm_cmpgt_epi8(a, b)))
WSSE_BINI(i8x16_ge_s, wsse_not(_mm_cmplt_epi8(a, b)))
/* Unsigned bytes: a <= b iff min_u(a, b) == a (pminub is SSE2). */
WSSE_BINI(i8x16_le_u, _mm_cmpeq_epi8(_mm_min_epu8(a, b), a))
WSSE_BINI(i8x16_ge_u, _mm_cmpeq_epi8(_mm_max_epu8(a, b), a))
WSSE_BINI(i8x16_lt_u, wsse_not(_mm_cmpeq_epi8(_mm_max_epu8(a, b), a)))
WSSE_BINI(i8x16_gt_u, wsse_not(_mm_cmpeq_epi8(_mm_min_epu8(a, b), a)))
WSSE_BINI(i16x8_eq, _mm_cmpeq_epi16(a, b))
WSSE_BINI(i16x8_ne, wsse_not(_mm_cmpeq_epi16(a, b)))
WSSE_BINI(i16x8_lt_s, _mm_cmplt_epi16(a, b))
WSSE_BINI(i16x8_gt_s, _mm_cmpgt_epi16(a, b))
WSSE_BINI(i16x8_le_s, wsse_not(_mm_cmpgt_epi16(a, b)))
WSSE_BINI(i16x8_ge_s, wsse_not(_mm_cmplt_epi16(a, b)))
WSSE_BINI(i16x8_lt_u, wsse_gt_u16(b, a))
WSSE_BINI(i16x8_gt_u, wsse_gt_u16(a, b))
WSSE_BINI(i16x8_le_u, wsse_not(wsse_gt_u16(a, b)))
WSSE_BINI(i16x8_ge_u, wsse_not(wsse_gt_u16(b, a)))
WSSE_BINI(i32x4_eq, _mm_cmpeq_epi32(a, b))
WSSE_BINI(i32x4_ne, wsse_not(_mm_cmpeq_epi32(a, b)))
WSSE_BINI(i32x4_lt_s, _mm_cmplt_epi32(a, b))
WSSE_BINI(i32x4_gt_s, _mm_cmpgt_epi32(a, b))
WSSE_BINI(i32x4_le_s, wsse_not(_mm_cmpgt_epi32(a, b)))
WSSE_BINI(i32x4_ge_s, wsse_not(_mm_cmplt_epi32(a, b)))
WSSE_BINI(i32x4_lt_u, wsse_gt_u32(b, a))
WSSE_BINI(i32x4_gt_u, wsse_gt_u32(a, b))
WSSE_BINI(i32x4_le_u, wsse_not(wsse_gt_u32(a, b)))
WSSE_BINI(i32x4_ge_u, wsse_not(wsse_gt_u32(b, a)))
WSSE_BINI(i64x2_eq, wsse_eq_i64(a, b))
WSSE_BINI(i64x2_ne, wsse_not(wsse_eq_i64(a, b)))
WSSE_BINI(i64x2_lt_s, wsse_gt_i64(b, a))
WSSE_BINI(i64x2_gt_s, wsse_gt_i64(a, b))
WSSE_BINI(i64x2_le_s, wsse_not(wsse_gt_i64(a, b)))
WSSE_BINI(i64x2_ge_s, wsse_not(wsse_gt_i64(b, a)))
/* cmpps predicates are the IEEE ones: false on NaN except neq. */
WSSE_CMPPS(f32x4_eq, _mm_cmpeq_ps(a, b))
WSSE_CMPPS(f32x4_ne, _mm_cmpneq_ps(a, b))
WSSE_CMPPS(f32x4_lt, _mm_cmplt_ps(a, b))
WSSE_CMPPS(f32x4_gt, _mm_cmpgt_ps(a, b))
WSSE_CMPPS(f32x4_le, _mm_cmple_ps(a, b))
WSSE_CMPPS(f32x4_ge, _mm_cmpge_ps(a, b))
WSSE_CMPPD(f64x2_eq, _mm_cmpeq_pd(a, b))
WSSE_CMPPD(f64x2_ne, _mm_cmpneq_pd(a, b))
WSSE_CMPPD(f64x2_lt, _mm_cmplt_pd(a, b))
WSSE_CMPPD(f64x2_gt, _mm_cmpgt_pd(a, b))
WSSE_CMPPD(f64x2_le, _mm_cmple_pd(a, b))
WSSE_CMPPD(f64x2_ge, _mm_cmpge_pd(a, b))

/* ---- bitwise and tests ------------------------------------------------- */

WSSE_UNI(v128_not, wsse_not(a))
WSSE_BINI(v128_and, _mm_and_si128(a, b))
WSSE_BINI(v128_andnot, _mm_andnot_si128(b, a))
WSSE_BINI(v128_or, _mm_or_si128(a, b))
WSSE_BINI(v128_xor, _mm_xor_si128(a, b))

static inline wv128 wsimd_v128_bitselect(wv128 a, wv128 b, wv128 c)
{
    __m128i m = wsse_i(c);
    return wsse_vi(_mm_or_si128(_mm_and_si128(wsse_i(a), m), _mm_andnot_si128(m, wsse_i(b))));
}

static inline uint32_t wsimd_v128_any_true(wv128 a)
{
#if defined(__SSE4_1__)
    return !_mm_testz_si128(wsse_i(a), wsse_i(a));
#else
    return _mm_movemask_epi8(_mm_cmpeq_epi8(wsse_i(a), _mm_setzero_si128())) != 0xFFFF;
#endif
}

/* all_true: no lane compares equal to zero. */
static inline uint32_t wsimd_i8x16_all_true(wv128 a)
{
    return _mm_movemask_epi8(_mm_cmpeq_epi8(wsse_i(a), _mm_setzero_si128())) == 0;
}
static inline uint32_t wsimd_i16x8_all_true(wv128 a)
{
    return _mm_movemask_epi8(_mm_cmpeq_epi16(wsse_i(a), _mm_setzero_si128())) == 0;
}
static inline uint32_t wsimd_i32x4_all_true(wv128 a)
{
    return _mm_movemask_epi8(_mm_cmpeq_epi32(wsse_i(a), _mm_setzero_si128())) == 0;
}
static inline uint32_t wsimd_i64x2_all_true(wv128 a)
{
    return _mm_movemask_epi8(wsse_eq_i64(wsse_i(a), _mm_setzero_si128())) == 0;
}

static inline uint32_t wsimd_i8x16_bitmask(wv128 a)
{
    return (uint32_t)_mm_movemask_epi8(wsse_i(a));
}
/* Signed saturation keeps each 16-bit lane's sign in its byte. */
static inline uint32_t wsimd_i16x8_bitmask(wv128 a)
{
    return (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(wsse_i(a), _mm_setzero_si128()));
}
static inline uint32_t wsimd_i32x4_bitmask(wv128 a)
{
    return (uint32_t)_mm_movemask_ps(wsse_ps(a));
}
static inline uint32_t wsimd_i64x2_bitmask(wv128 a)
{
    return (uint32_t)_mm_movemask_pd(wsse_pd(a));
}

/* ---- integer arithmetic ------------------------------------------------ */

#if defined(__SSSE3__)
WSSE_UNI(i8x16_abs, _mm_abs_epi8(a))
WSSE_UNI(i16x8_abs, _mm_abs_epi16(a))
WSSE_UNI(i32x4_abs, _mm_abs_epi32(a))
#else
/* min_u(x, -x) is |x| for bytes (and 0x80 for 0x80, as wasm wants). */
WSSE_UNI(i8x16_abs, _mm_min_epu8(a, _mm_sub_epi8(_mm_setzero_si128(), a)))
WSSE_UNI(i16x8_abs, _mm_max_epi16(a, _mm_sub_epi16(_mm_setzero_si128(), a)))
WSSE_UNI(i32x4_abs, _mm_sub_epi32(_mm_xor_si128(a, _mm_srai_epi32(a, 31)), _mm_srai_epi32(a, 31)))
#endif
WSSE_UNI(i64x2_abs, _mm_sub_epi64(_mm_xor_si128(a, wsse_sign64(a)), wsse_sign64(a)))
WSSE_UNI(i8x16_neg, _mm_sub_epi8(_mm_setzero_si128(), a))
WSSE_UNI(i16x8_neg, _mm_sub_epi16(_mm_setzero_si128(), a))
WSSE_UNI(i32x4_neg, _mm_sub_epi32(_mm_setzero_si128(), a))
WSSE_UNI(i64x2_neg, _mm_sub_epi64(_mm_setzero_si128(), a))

static inline wv128 wsimd_i8x16_popcnt(wv128 a_)
{
    __m128i a = wsse_i(a_), low4 = _mm_set1_epi8(0x0F);
#if defined(__SSSE3__)
    /* Per-nibble counts from a 16-entry table. */
    __m128i table = _mm_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    __m128i lo = _mm_shuffle_epi8(table, _mm_and_si128(a, low4));
    __m128i hi = _mm_shuffle_epi8(table, _mm_and_si128(_mm_srli_epi16(a, 4), low4));
    return wsse_vi(_mm_add_epi8(lo, hi));
#else
    /* The usual bit-parallel count; 16-bit shifts are masked per byte. */
    a = _mm_sub_epi8(a, _mm_and_si128(_mm_srli_epi16(a, 1), _mm_set1_epi8(0x55)));
    a = _mm_add_epi8(_mm_and_si128(a, _mm_set1_epi8(0x33)), _mm_and_si128(_mm_srli_epi16(a, 2), _mm_set1_epi8(0x33)));
    return wsse_vi(_mm_and_si128(_mm_add_epi8(a, _mm_srli_epi16(a, 4)), low4));
#endif
}

WSSE_BINI(i8x16_add, _mm_add_epi8(a, b))
WSSE_BINI(i16x8_add, _mm_add_epi16(a, b))
WSSE_BINI(i32x4_add, _mm_add_epi32(a, b))
WSSE_BINI(i64x2_add, _mm_add_epi64(a, b))
WSSE_BINI(i8x16_sub, _mm_sub_epi8(a, b))
WSSE_BINI(i16x8_sub, _mm_sub_epi16(a, b))
WSSE_BINI(i32x4_sub, _mm_sub_epi32(a, b))
WSSE_BINI(i64x2_sub, _mm_sub_epi64(a, b))
WSSE_BINI(i8x16_add_sat_s, _mm_adds_epi8(a, b))
WSSE_BINI(i8x16_add_sat_u, _mm_adds_epu8(a, b))
WSSE_BINI(i8x16_sub_sat_s, _mm_subs_epi8(a, b))
WSSE_BINI(i8x16_sub_sat_u, _mm_subs_epu8(a, b))
WSSE_BINI(i16x8_add_sat_s, _mm_adds_epi16(a, b))
WSSE_BINI(i16x8_add_sat_u, _mm_adds_epu16(a, b))
WSSE_BINI(i16x8_sub_sat_s, _mm_subs_epi16(a, b))
WSSE_BINI(i16x8_sub_sat_u, _mm_subs_epu16(a, b))
WSSE_BINI(i16x8_mul, _mm_mullo_epi16(a, b))

static inline __m128i wsse_mul_i32(__m128i a, __m128i b)
{
#if defined(__SSE4_1__)
    return _mm_mullo_epi32(a, b);
#else
    /* pmuludq on lanes 0/2 and 1/3, low halves of the products zipped. */
    __m128i even = _mm_mul_epu32(a, b);
    __m128i odd = _mm_mul_epu32(_mm_srli_epi64(a, 32), _mm_srli_epi64(b, 32));
    return _mm_unpacklo_epi32(_mm_shuffle_epi32(even, _MM_SHUFFLE(0, 0, 2, 0)),
                              _mm_shuffle_epi32(odd, _MM_SHUFFLE(0, 0, 2, 0)));
#endif
}
WSSE_BINI(i32x4_mul, wsse_mul_i32(a, b))

/* No 64-bit lane multiply before AVX-512.  Built from three pmuludq it
 * measured slower (5.2 ns vs 3.0 ns per op, docs/simd.md) than two scalar
 * 64-bit imuls, so the lane loop it is. */
#define wsimd_i64x2_mul wsimd_scalar_i64x2_mul

WSSE_BINI(i8x16_min_u, _mm_min_epu8(a, b))
WSSE_BINI(i8x16_max_u, _mm_max_epu8(a, b))
WSSE_BINI(i16x8_min_s, _mm_min_epi16(a, b))
WSSE_BINI(i16x8_max_s, _mm_max_epi16(a, b))
#if defined(__SSE4_1__)
WSSE_BINI(i8x16_min_s, _mm_min_epi8(a, b))
WSSE_BINI(i8x16_max_s, _mm_max_epi8(a, b))
WSSE_BINI(i16x8_min_u, _mm_min_epu16(a, b))
WSSE_BINI(i16x8_max_u, _mm_max_epu16(a, b))
WSSE_BINI(i32x4_min_s, _mm_min_epi32(a, b))
WSSE_BINI(i32x4_max_s, _mm_max_epi32(a, b))
WSSE_BINI(i32x4_min_u, _mm_min_epu32(a, b))
WSSE_BINI(i32x4_max_u, _mm_max_epu32(a, b))
#else
WSSE_BINI(i8x16_min_s, wsse_sel(_mm_cmpgt_epi8(a, b), b, a))
WSSE_BINI(i8x16_max_s, wsse_sel(_mm_cmpgt_epi8(a, b), a, b))
WSSE_BINI(i16x8_min_u, wsse_sel(wsse_gt_u16(a, b), b, a))
WSSE_BINI(i16x8_max_u, wsse_sel(wsse_gt_u16(a, b), a, b))
WSSE_BINI(i32x4_min_s, wsse_sel(_mm_cmpgt_epi32(a, b), b, a))
WSSE_BINI(i32x4_max_s, wsse_sel(_mm_cmpgt_epi32(a, b), a, b))
WSSE_BINI(i32x4_min_u, wsse_sel(wsse_gt_u32(a, b), b, a))
WSSE_BINI(i32x4_max_u, wsse_sel(wsse_gt_u32(a, b), a, b))
#endif
/* pavgb/pavgw compute (a + b + 1) >> 1 without overflow, as wasm does. */
WSSE_BINI(i8x16_avgr_u, _mm_avg_epu8(a, b))
WSSE_BINI(i16x8_avgr_u, _mm_avg_epu16(a, b))

static inline wv128 wsimd_i16x8_q15mulr_sat_s(wv128 a_, wv128 b_)
{
    __m128i a = wsse_i(a_), b = wsse_i(b_);
#if defined(__SSSE3__)
    /* pmulhrsw is exact except 0x8000 * 0x8000 -> 0x8000 (must be 0x7FFF);
     * no other product rounds to 0x8000, so flip exactly those lanes. */
    __m128i r = _mm_mulhrs_epi16(a, b);
    return wsse_vi(_mm_xor_si128(r, _mm_cmpeq_epi16(r, _mm_set1_epi16((short)0x8000))));
#else
    /* Full 32-bit products, rounded and shifted, packed with saturation. */
    __m128i lo = _mm_mullo_epi16(a, b), hi = _mm_mulhi_epi16(a, b), round = _mm_set1_epi32(0x4000);
    __m128i p0 = _mm_srai_epi32(_mm_add_epi32(_mm_unpacklo_epi16(lo, hi), round), 15);
    __m128i p1 = _mm_srai_epi32(_mm_add_epi32(_mm_unpackhi_epi16(lo, hi), round), 15);
    return wsse_vi(_mm_packs_epi32(p0, p1));
#endif
}

/* pmaddwd: pairs of i16 products summed into i32, wrapping like wasm. */
WSSE_BINI(i32x4_dot_i16x8_s, _mm_madd_epi16(a, b))

/* ---- shifts ------------------------------------------------------------ */

#define WSSE_SHIFT(name, bits, expr)                                           \
    static inline wv128 wsimd_##name(wv128 a_, uint32_t count)                 \
    {                                                                          \
        __m128i a = wsse_i(a_);                                                \
        int s = (int)(count & ((bits) - 1));                                   \
        __m128i n = _mm_cvtsi32_si128(s);                                      \
        (void)n;                                                               \
        return wsse_vi(expr);                                                  \
    }
/* Bytes: shift 16-bit lanes, then clear the bits that crossed a byte. */
WSSE_SHIFT(i8x16_shl, 8, _mm_and_si128(_mm_sll_epi16(a, n), _mm_set1_epi8((char)(uint8_t)(0xFFu << s))))
WSSE_SHIFT(i8x16_shr_u, 8, _mm_and_si128(_mm_srl_epi16(a, n), _mm_set1_epi8((char)(uint8_t)(0xFFu >> s))))
/* Signed bytes: put each byte in the top of a 16-bit lane, shift by s + 8
 * arithmetically, pack back (values fit, no saturation). */
WSSE_SHIFT(i8x16_shr_s, 8,
           _mm_packs_epi16(_mm_sra_epi16(_mm_unpacklo_epi8(a, a), _mm_cvtsi32_si128(s + 8)),
                           _mm_sra_epi16(_mm_unpackhi_epi8(a, a), _mm_cvtsi32_si128(s + 8))))
WSSE_SHIFT(i16x8_shl, 16, _mm_sll_epi16(a, n))
WSSE_SHIFT(i16x8_shr_s, 16, _mm_sra_epi16(a, n))
WSSE_SHIFT(i16x8_shr_u, 16, _mm_srl_epi16(a, n))
WSSE_SHIFT(i32x4_shl, 32, _mm_sll_epi32(a, n))
WSSE_SHIFT(i32x4_shr_s, 32, _mm_sra_epi32(a, n))
WSSE_SHIFT(i32x4_shr_u, 32, _mm_srl_epi32(a, n))
WSSE_SHIFT(i64x2_shl, 64, _mm_sll_epi64(a, n))
WSSE_SHIFT(i64x2_shr_u, 64, _mm_srl_epi64(a, n))
/* No psraq: flip negative lanes, shift logically, flip back. */
WSSE_SHIFT(i64x2_shr_s, 64, _mm_xor_si128(_mm_srl_epi64(_mm_xor_si128(a, wsse_sign64(a)), n), wsse_sign64(a)))

/* ---- narrowing, widening ---------------------------------------------- */

WSSE_BINI(i8x16_narrow_i16x8_s, _mm_packs_epi16(a, b))
WSSE_BINI(i8x16_narrow_i16x8_u, _mm_packus_epi16(a, b))
WSSE_BINI(i16x8_narrow_i32x4_s, _mm_packs_epi32(a, b))

static inline __m128i wsse_packus_i32(__m128i a, __m128i b)
{
#if defined(__SSE4_1__)
    return _mm_packus_epi32(a, b);
#else
    /* Clamp to 0..65535, bias into signed range, pack, unbias. */
    __m128i max = _mm_set1_epi32(0xFFFF), bias32 = _mm_set1_epi32(0x8000);
    a = _mm_andnot_si128(_mm_srai_epi32(a, 31), a);
    b = _mm_andnot_si128(_mm_srai_epi32(b, 31), b);
    a = wsse_sel(_mm_cmpgt_epi32(a, max), max, a);
    b = wsse_sel(_mm_cmpgt_epi32(b, max), max, b);
    __m128i p = _mm_packs_epi32(_mm_sub_epi32(a, bias32), _mm_sub_epi32(b, bias32));
    return _mm_xor_si128(p, _mm_set1_epi16((short)0x8000));
#endif
}
WSSE_BINI(i16x8_narrow_i32x4_u, wsse_packus_i32(a, b))

/* Sign extension without SSE4.1: duplicate into the top half, shift down. */
#if defined(__SSE4_1__)
#define WSSE_EXT8S_LO(a) _mm_cvtepi8_epi16(a)
#define WSSE_EXT16S_LO(a) _mm_cvtepi16_epi32(a)
#define WSSE_EXT32S_LO(a) _mm_cvtepi32_epi64(a)
#else
#define WSSE_EXT8S_LO(a) _mm_srai_epi16(_mm_unpacklo_epi8(a, a), 8)
#define WSSE_EXT16S_LO(a) _mm_srai_epi32(_mm_unpacklo_epi16(a, a), 16)
#define WSSE_EXT32S_LO(a) _mm_unpacklo_epi32(a, _mm_srai_epi32(a, 31))
#endif
#define WSSE_HI64(a) _mm_unpackhi_epi64(a, a)
WSSE_UNI(i16x8_extend_low_i8x16_s, WSSE_EXT8S_LO(a))
WSSE_UNI(i16x8_extend_high_i8x16_s, WSSE_EXT8S_LO(WSSE_HI64(a)))
WSSE_UNI(i16x8_extend_low_i8x16_u, _mm_unpacklo_epi8(a, _mm_setzero_si128()))
WSSE_UNI(i16x8_extend_high_i8x16_u, _mm_unpackhi_epi8(a, _mm_setzero_si128()))
WSSE_UNI(i32x4_extend_low_i16x8_s, WSSE_EXT16S_LO(a))
WSSE_UNI(i32x4_extend_high_i16x8_s, WSSE_EXT16S_LO(WSSE_HI64(a)))
WSSE_UNI(i32x4_extend_low_i16x8_u, _mm_unpacklo_epi16(a, _mm_setzero_si128()))
WSSE_UNI(i32x4_extend_high_i16x8_u, _mm_unpackhi_epi16(a, _mm_setzero_si128()))
WSSE_UNI(i64x2_extend_low_i32x4_s, WSSE_EXT32S_LO(a))
WSSE_UNI(i64x2_extend_high_i32x4_s, WSSE_EXT32S_LO(WSSE_HI64(a)))
WSSE_UNI(i64x2_extend_low_i32x4_u, _mm_unpacklo_epi32(a, _mm_setzero_si128()))
WSSE_UNI(i64x2_extend_high_i32x4_u, _mm_unpackhi_epi32(a, _mm_setzero_si128()))

#if defined(__SSSE3__)
/* pmaddubsw multiplies unsigned bytes of its first operand by signed bytes
 * of its second: ones on the unsigned side sum signed pairs, and the other
 * way round unsigned pairs (no saturation: |sum| <= 510). */
WSSE_UNI(i16x8_extadd_pairwise_i8x16_s, _mm_maddubs_epi16(_mm_set1_epi8(1), a))
WSSE_UNI(i16x8_extadd_pairwise_i8x16_u, _mm_maddubs_epi16(a, _mm_set1_epi8(1)))
#else
WSSE_UNI(i16x8_extadd_pairwise_i8x16_s, _mm_add_epi16(_mm_srai_epi16(_mm_slli_epi16(a, 8), 8), _mm_srai_epi16(a, 8)))
WSSE_UNI(i16x8_extadd_pairwise_i8x16_u, _mm_add_epi16(_mm_and_si128(a, _mm_set1_epi16(0xFF)), _mm_srli_epi16(a, 8)))
#endif
WSSE_UNI(i32x4_extadd_pairwise_i16x8_s, _mm_madd_epi16(a, _mm_set1_epi16(1)))
/* Unsigned pairs through the signed pmaddwd: bias each lane by -32768
 * (flip the sign bit), add the 2 * 32768 back. */
WSSE_UNI(i32x4_extadd_pairwise_i16x8_u,
         _mm_add_epi32(_mm_madd_epi16(_mm_xor_si128(a, _mm_set1_epi16((short)0x8000)), _mm_set1_epi16(1)),
                       _mm_set1_epi32(0x10000)))

/* extmul i8 -> i16: widen both, 16-bit products are exact. */
WSSE_BINI(i16x8_extmul_low_i8x16_s, _mm_mullo_epi16(WSSE_EXT8S_LO(a), WSSE_EXT8S_LO(b)))
WSSE_BINI(i16x8_extmul_high_i8x16_s, _mm_mullo_epi16(WSSE_EXT8S_LO(WSSE_HI64(a)), WSSE_EXT8S_LO(WSSE_HI64(b))))
WSSE_BINI(i16x8_extmul_low_i8x16_u,
          _mm_mullo_epi16(_mm_unpacklo_epi8(a, _mm_setzero_si128()), _mm_unpacklo_epi8(b, _mm_setzero_si128())))
WSSE_BINI(i16x8_extmul_high_i8x16_u,
          _mm_mullo_epi16(_mm_unpackhi_epi8(a, _mm_setzero_si128()), _mm_unpackhi_epi8(b, _mm_setzero_si128())))
/* extmul i16 -> i32: low and high product halves interleaved. */
WSSE_BINI(i32x4_extmul_low_i16x8_s, _mm_unpacklo_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epi16(a, b)))
WSSE_BINI(i32x4_extmul_high_i16x8_s, _mm_unpackhi_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epi16(a, b)))
WSSE_BINI(i32x4_extmul_low_i16x8_u, _mm_unpacklo_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epu16(a, b)))
WSSE_BINI(i32x4_extmul_high_i16x8_u, _mm_unpackhi_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epu16(a, b)))

/* extmul i32 -> i64: pmuludq reads lanes 0 and 2, so spread the inputs. */
static inline __m128i wsse_mul_i32_i64(__m128i a, __m128i b)
{
#if defined(__SSE4_1__)
    return _mm_mul_epi32(a, b);
#else
    /* Signed from unsigned: subtract (a < 0 ? b : 0) + (b < 0 ? a : 0)
     * from the high half of the unsigned product. */
    __m128i corr = _mm_add_epi32(_mm_and_si128(_mm_srai_epi32(a, 31), b), _mm_and_si128(_mm_srai_epi32(b, 31), a));
    return _mm_sub_epi64(_mm_mul_epu32(a, b), _mm_slli_epi64(corr, 32));
#endif
}
#define WSSE_LO32X2(a) _mm_shuffle_epi32(a, _MM_SHUFFLE(1, 1, 0, 0))
#define WSSE_HI32X2(a) _mm_shuffle_epi32(a, _MM_SHUFFLE(3, 3, 2, 2))
WSSE_BINI(i64x2_extmul_low_i32x4_s, wsse_mul_i32_i64(WSSE_LO32X2(a), WSSE_LO32X2(b)))
WSSE_BINI(i64x2_extmul_high_i32x4_s, wsse_mul_i32_i64(WSSE_HI32X2(a), WSSE_HI32X2(b)))
WSSE_BINI(i64x2_extmul_low_i32x4_u, _mm_mul_epu32(WSSE_LO32X2(a), WSSE_LO32X2(b)))
WSSE_BINI(i64x2_extmul_high_i32x4_u, _mm_mul_epu32(WSSE_HI32X2(a), WSSE_HI32X2(b)))

/* ---- float ------------------------------------------------------------- */

WSSE_UNI(f32x4_abs, _mm_and_si128(a, _mm_set1_epi32(0x7FFFFFFF)))
WSSE_UNI(f32x4_neg, _mm_xor_si128(a, _mm_set1_epi32((int)0x80000000u)))
WSSE_UNI(f64x2_abs, _mm_and_si128(a, _mm_set1_epi64x(0x7FFFFFFFFFFFFFFFll)))
WSSE_UNI(f64x2_neg, _mm_xor_si128(a, _mm_set1_epi64x((long long)0x8000000000000000ull)))
WSSE_UNPS(f32x4_sqrt, _mm_sqrt_ps(a))
WSSE_UNPD(f64x2_sqrt, _mm_sqrt_pd(a))
WSSE_BINPS(f32x4_add, _mm_add_ps(a, b))
WSSE_BINPS(f32x4_sub, _mm_sub_ps(a, b))
WSSE_BINPS(f32x4_mul, _mm_mul_ps(a, b))
WSSE_BINPS(f32x4_div, _mm_div_ps(a, b))
WSSE_BINPD(f64x2_add, _mm_add_pd(a, b))
WSSE_BINPD(f64x2_sub, _mm_sub_pd(a, b))
WSSE_BINPD(f64x2_mul, _mm_mul_pd(a, b))
WSSE_BINPD(f64x2_div, _mm_div_pd(a, b))

/* minps(x, y) is x < y ? x : y: it returns y for NaNs and for ±0 pairs.
 * Both orders OR-ed give -0 for {-0, +0} (AND-ed for max: +0); NaN lanes
 * take a + b, which is a quiet NaN from the operands as the spec asks
 * (and the same one the scalar back end gives). */
WSSE_BINPS(f32x4_min, wsse_selps(_mm_cmpunord_ps(a, b), _mm_add_ps(a, b),
                                 _mm_or_ps(_mm_min_ps(a, b), _mm_min_ps(b, a))))
WSSE_BINPS(f32x4_max, wsse_selps(_mm_cmpunord_ps(a, b), _mm_add_ps(a, b),
                                 _mm_and_ps(_mm_max_ps(a, b), _mm_max_ps(b, a))))
WSSE_BINPD(f64x2_min, wsse_selpd(_mm_cmpunord_pd(a, b), _mm_add_pd(a, b),
                                 _mm_or_pd(_mm_min_pd(a, b), _mm_min_pd(b, a))))
WSSE_BINPD(f64x2_max, wsse_selpd(_mm_cmpunord_pd(a, b), _mm_add_pd(a, b),
                                 _mm_and_pd(_mm_max_pd(a, b), _mm_max_pd(b, a))))
/* pmin is b < a ? b : a and pmax a < b ? b : a: exactly minps(b, a) and
 * maxps(b, a), operand bits included. */
WSSE_BINPS(f32x4_pmin, _mm_min_ps(b, a))
WSSE_BINPS(f32x4_pmax, _mm_max_ps(b, a))
WSSE_BINPD(f64x2_pmin, _mm_min_pd(b, a))
WSSE_BINPD(f64x2_pmax, _mm_max_pd(b, a))

#if defined(__SSE4_1__)
/* roundps/roundpd quiet NaNs like x + x, keep -0, no exceptions. */
WSSE_UNPS(f32x4_ceil, _mm_round_ps(a, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC))
WSSE_UNPS(f32x4_floor, _mm_round_ps(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC))
WSSE_UNPS(f32x4_trunc, _mm_round_ps(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC))
WSSE_UNPS(f32x4_nearest, _mm_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC))
WSSE_UNPD(f64x2_ceil, _mm_round_pd(a, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC))
WSSE_UNPD(f64x2_floor, _mm_round_pd(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC))
WSSE_UNPD(f64x2_trunc, _mm_round_pd(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC))
WSSE_UNPD(f64x2_nearest, _mm_round_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC))
#else
/* SSE2 rounding.  For |x| < 2^23 (2^52), (|x| + 2^23) - 2^23 is |x| rounded
 * to nearest even; trunc, floor and ceil correct it by one, and the sign is
 * copied back (so -0.5 gives -0).  Larger values, infinities and NaNs are
 * already integral: they are returned as is, NaNs as x + x (quieted; x * 1
 * would be folded to x by the compiler, which assumes no signaling NaNs). */
#define WSSE_ROUND(name, T, sfx, magic_bits, sign_bits, MODE)                                                          \
    static inline wv128 wsimd_##name(wv128 a_)                                                                         \
    {                                                                                                                  \
        T x = wsse_##sfx(a_);                                                                                          \
        T sign = _mm_castsi128_##sfx(sign_bits), one = _mm_set1_##sfx(1.0);                                            \
        T magic = _mm_castsi128_##sfx(magic_bits);                                                                     \
        T ax = _mm_andnot_##sfx(sign, x);                                                                              \
        T n = _mm_sub_##sfx(_mm_add_##sfx(ax, magic), magic);                                                          \
        T r;                                                                                                           \
        if (MODE == 0) {                                                                                               \
            r = n;                                                                                                     \
        } else {                                                                                                       \
            T t = _mm_sub_##sfx(n, _mm_and_##sfx(_mm_cmpgt_##sfx(n, ax), one)); /* trunc(|x|) */                       \
            if (MODE == 1)                                                                                             \
                r = t;                                                                                                 \
            else if (MODE == 2) /* floor: |x| rounded up when x < 0 */                                                 \
                r = _mm_add_##sfx(t, _mm_and_##sfx(_mm_and_##sfx(_mm_cmplt_##sfx(t, ax), _mm_cmplt_##sfx(x, ax)), one)); \
            else /* ceil: |x| rounded up when x >= 0 */                                                                  \
                r = _mm_add_##sfx(t, _mm_and_##sfx(_mm_and_##sfx(_mm_cmplt_##sfx(t, ax), _mm_cmpeq_##sfx(x, ax)), one)); \
        }                                                                                                              \
        r = _mm_or_##sfx(r, _mm_and_##sfx(sign, x));                                                                   \
        T small = _mm_cmplt_##sfx(ax, magic);                                                                          \
        T big = wsse_sel##sfx(_mm_cmpunord_##sfx(x, x), _mm_add_##sfx(x, x), x);                                       \
        return wsse_v##sfx(wsse_sel##sfx(small, r, big));                                                              \
    }
#define WSSE_SIGN32 _mm_set1_epi32((int)0x80000000u)
#define WSSE_SIGN64 _mm_set1_epi64x((long long)0x8000000000000000ull)
#define WSSE_MAGIC32 _mm_set1_epi32(0x4B000000)                /* 2^23 */
#define WSSE_MAGIC64 _mm_set1_epi64x(0x4330000000000000ll)     /* 2^52 */
WSSE_ROUND(f32x4_nearest, __m128, ps, WSSE_MAGIC32, WSSE_SIGN32, 0)
WSSE_ROUND(f32x4_trunc, __m128, ps, WSSE_MAGIC32, WSSE_SIGN32, 1)
WSSE_ROUND(f32x4_floor, __m128, ps, WSSE_MAGIC32, WSSE_SIGN32, 2)
WSSE_ROUND(f32x4_ceil, __m128, ps, WSSE_MAGIC32, WSSE_SIGN32, 3)
WSSE_ROUND(f64x2_nearest, __m128d, pd, WSSE_MAGIC64, WSSE_SIGN64, 0)
WSSE_ROUND(f64x2_trunc, __m128d, pd, WSSE_MAGIC64, WSSE_SIGN64, 1)
WSSE_ROUND(f64x2_floor, __m128d, pd, WSSE_MAGIC64, WSSE_SIGN64, 2)
WSSE_ROUND(f64x2_ceil, __m128d, pd, WSSE_MAGIC64, WSSE_SIGN64, 3)
#endif

/* ---- conversions ------------------------------------------------------- */

/* cvtpd2ps/cvtps2pd round by MXCSR (nearest even by default) and quiet
 * NaNs; cvtpd2ps zeroes the upper lanes. */
WSSE_UN(f32x4_demote_f64x2_zero, __m128d, wsse_pd, wsse_vps, _mm_cvtpd_ps(a))
WSSE_UN(f64x2_promote_low_f32x4, __m128, wsse_ps, wsse_vpd, _mm_cvtps_pd(a))

/* cvttps2dq gives 0x80000000 for NaN and out-of-range lanes: positive
 * overflow becomes 0x7FFFFFFF (xor with the >= 2^31 mask), NaN becomes 0. */
static inline wv128 wsimd_i32x4_trunc_sat_f32x4_s(wv128 a_)
{
    __m128 a = wsse_ps(a_);
    __m128i r = _mm_cvttps_epi32(a);
    r = _mm_xor_si128(r, _mm_castps_si128(_mm_cmpge_ps(a, _mm_set1_ps(2147483648.0f))));
    return wsse_vi(_mm_and_si128(r, _mm_castps_si128(_mm_cmpord_ps(a, a))));
}

/* Unsigned: clamp NaN and negatives to 0 (maxps returns 0 for NaN), convert
 * x or x - 2^31 (adding 2^31 back), saturate lanes >= 2^32. */
static inline wv128 wsimd_i32x4_trunc_sat_f32x4_u(wv128 a_)
{
    __m128 two31 = _mm_set1_ps(2147483648.0f);
    __m128 x = _mm_max_ps(wsse_ps(a_), _mm_setzero_ps());
    __m128i low = _mm_cvttps_epi32(x);
    __m128i high = _mm_add_epi32(_mm_cvttps_epi32(_mm_sub_ps(x, two31)), _mm_set1_epi32((int)0x80000000u));
    __m128i r = wsse_sel(_mm_castps_si128(_mm_cmpge_ps(x, two31)), high, low);
    return wsse_vi(_mm_or_si128(r, _mm_castps_si128(_mm_cmpge_ps(x, _mm_set1_ps(4294967296.0f)))));
}

WSSE_UN(f32x4_convert_i32x4_s, __m128i, wsse_i, wsse_vps, _mm_cvtepi32_ps(a))

/* Unsigned: hi16 * 65536 and lo16 are exact floats; their sum rounds once. */
static inline wv128 wsimd_f32x4_convert_i32x4_u(wv128 a_)
{
    __m128i a = wsse_i(a_);
    __m128 hi = _mm_cvtepi32_ps(_mm_srli_epi32(a, 16));
    __m128 lo = _mm_cvtepi32_ps(_mm_and_si128(a, _mm_set1_epi32(0xFFFF)));
    return wsse_vps(_mm_add_ps(_mm_mul_ps(hi, _mm_set1_ps(65536.0f)), lo));
}

/* f64 -> i32 with zeroed upper lanes: clamp in the double domain first (NaN
 * masked to +0), then cvttpd2dq is exact and zeroes lanes 2 and 3. */
static inline wv128 wsimd_i32x4_trunc_sat_f64x2_s_zero(wv128 a_)
{
    __m128d a = wsse_pd(a_);
    __m128d x = _mm_and_pd(a, _mm_cmpord_pd(a, a));
    x = _mm_min_pd(_mm_max_pd(x, _mm_set1_pd(-2147483648.0)), _mm_set1_pd(2147483647.0));
    return wsse_vi(_mm_cvttpd_epi32(x));
}

/* Unsigned: clamp to [0, 2^32 - 1] (maxpd gives 0 for NaN), truncate (x is
 * >= 0: round to nearest via + 2^52, minus 1 where that rounded up), then
 * the low 32 bits of each double's mantissa are the result. */
static inline wv128 wsimd_i32x4_trunc_sat_f64x2_u_zero(wv128 a_)
{
    __m128d magic = _mm_set1_pd(4503599627370496.0); /* 2^52 */
    __m128d x = _mm_min_pd(_mm_max_pd(wsse_pd(a_), _mm_setzero_pd()), _mm_set1_pd(4294967295.0));
    __m128d n = _mm_add_pd(x, magic);
    __m128i up = _mm_castpd_si128(_mm_cmpgt_pd(_mm_sub_pd(n, magic), x));
    __m128i bits = _mm_add_epi64(_mm_castpd_si128(n), up);
    return wsse_vi(_mm_move_epi64(_mm_shuffle_epi32(bits, _MM_SHUFFLE(3, 3, 2, 0))));
}

WSSE_UN(f64x2_convert_low_i32x4_s, __m128i, wsse_i, wsse_vpd, _mm_cvtepi32_pd(a))

/* Unsigned: 2^52 + x is exact as the bits 0x43300000:x; subtract 2^52. */
static inline wv128 wsimd_f64x2_convert_low_i32x4_u(wv128 a_)
{
    __m128i bits = _mm_unpacklo_epi32(wsse_i(a_), _mm_set1_epi32(0x43300000));
    __m128d magic = _mm_set1_pd(4503599627370496.0);
    return wsse_vpd(_mm_sub_pd(_mm_castsi128_pd(bits), magic));
}

#undef WSSE_UN
#undef WSSE_BIN
#undef WSSE_UNI
#undef WSSE_BINI
#undef WSSE_UNPS
#undef WSSE_BINPS
#undef WSSE_UNPD
#undef WSSE_BINPD
#undef WSSE_CMPPS
#undef WSSE_CMPPD
#undef WSSE_SHIFT
#undef WSSE_EXT8S_LO
#undef WSSE_EXT16S_LO
#undef WSSE_EXT32S_LO
#undef WSSE_HI64
#undef WSSE_LO32X2
#undef WSSE_HI32X2
#ifdef WSSE_ROUND
#undef WSSE_ROUND
#undef WSSE_SIGN32
#undef WSSE_SIGN64
#undef WSSE_MAGIC32
#undef WSSE_MAGIC64
#endif

#endif
