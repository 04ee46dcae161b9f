/*
 * aarch64 back end.  Placeholder: the lane loops of simd_scalar.h under the
 * wsimd_ names until the NEON versions land.
 */
#ifndef WARD_SIMD_NEON_H
#define WARD_SIMD_NEON_H
#define WSIMD_PREFIX wsimd_
#include "simd_scalar.h"
#endif
