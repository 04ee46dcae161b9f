/*
 * The v128 value shared by every SIMD back end: a union of the wasm lane
 * views, 16-byte aligned, lanes in wasm (little-endian) order.  Back ends
 * move it into a vector register inside each function; passing and
 * returning it by value compiles to register moves once inlined.
 */
#ifndef WARD_SIMD_TYPES_H
#define WARD_SIMD_TYPES_H

#include <stdint.h>

typedef union wv128 {
    _Alignas(16) uint8_t u8[16];
    int8_t i8[16];
    uint16_t u16[8];
    int16_t i16[8];
    uint32_t u32[4];
    int32_t i32[4];
    uint64_t u64[2];
    int64_t i64[2];
    float f32[4];
    double f64[2];
} wv128;

_Static_assert(sizeof(wv128) == 16, "v128 is 16 bytes");

#define WSIMD_CAT2_(a, b) a##b
#define WSIMD_CAT_(a, b) WSIMD_CAT2_(a, b)

#endif
