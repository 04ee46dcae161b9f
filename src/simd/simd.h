/*
 * SIMD128 operations for the interpreter: one static inline function per
 * non-memory SIMD instruction, named wsimd_ + the wasm name with '.' -> '_'
 * (i32x4.add -> wsimd_i32x4_add).  Signatures by shape:
 *   unary           wv128 f(wv128 a)
 *   binary          wv128 f(wv128 a, wv128 b)
 *   v128.bitselect  wv128 f(wv128 a, wv128 b, wv128 c)
 *   shifts          wv128 f(wv128 a, uint32_t count)       (masked inside)
 *   splat           wv128 f(uint32_t | uint64_t | float | double x)
 *   extract_lane    uint32_t | uint64_t | float | double f(wv128 a, unsigned lane)
 *                   (i8/i16 _s sign-extend to 32 bits, _u zero-extend)
 *   replace_lane    wv128 f(wv128 a, unsigned lane, X x)   (X as for splat)
 *   i8x16.shuffle   wv128 f(wv128 a, wv128 b, const uint8_t lanes[16])
 *   any_true, all_true, bitmask   uint32_t f(wv128 a)
 * Memory instructions and v128.const are the interpreter's (docs/simd.md).
 *
 * Back end, chosen at build time (docs/simd.md says why):
 *   WARD_SIMD_SCALAR defined (meson -Dsimd_backend=scalar) -> simd_scalar.h
 *   x86-64 (SSE2 always; SSSE3/SSE4.1 paths when the compiler targets them)
 *                                                          -> simd_sse.h
 *   aarch64 (NEON)                                         -> simd_neon.h
 *   anything else                                          -> simd_scalar.h
 * The portable versions are always available as wsimd_scalar_*; the vector
 * back ends use them for the few ops with no vector gain, and the tests use
 * them as the reference.
 */
#ifndef WARD_SIMD_H
#define WARD_SIMD_H

#include "simd_types.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wv128 lanes assume a little-endian host"
#endif

#define WSIMD_PREFIX wsimd_scalar_
#include "simd_scalar.h"

#if !defined(WARD_SIMD_SCALAR) && (defined(__x86_64__) || defined(_M_X64))
#define WSIMD_BACKEND "sse"
#include "simd_sse.h"
#elif !defined(WARD_SIMD_SCALAR) && (defined(__aarch64__) || defined(_M_ARM64))
#define WSIMD_BACKEND "neon"
#include "simd_neon.h"
#else
#define WSIMD_BACKEND "scalar"
#define WSIMD_PREFIX wsimd_
#include "simd_scalar.h"
#endif

#endif
