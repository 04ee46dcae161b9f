/*
 * x86-64 back end.  Placeholder: the lane loops of simd_scalar.h under the
 * wsimd_ names until the SSE2/SSE4.1 versions land.
 */
#ifndef WARD_SIMD_SSE_H
#define WARD_SIMD_SSE_H
#define WSIMD_PREFIX wsimd_
#include "simd_scalar.h"
#endif
