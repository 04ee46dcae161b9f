/* The per-instruction-set halves of fuzz/simd_backends.c (simd_check.c). */
#ifndef WARD_FUZZ_SIMD_CHECK_H
#define WARD_FUZZ_SIMD_CHECK_H

#include <stdint.h>

/* Operands: three vectors, the scalar vector x (shift count, splat or
 * replace value), the shuffle pattern, the lane-index byte. */
#define SIMD_OPERAND_BYTES 81

/* Run every instruction on the operands; abort on a disagreement. */
void simd_check_baseline(const uint8_t operands[SIMD_OPERAND_BYTES]);
void simd_check_sse41(const uint8_t operands[SIMD_OPERAND_BYTES]);

#endif
