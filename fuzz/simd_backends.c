/*
 * libFuzzer target: the native SIMD back end (SSE on x86-64, NEON on
 * aarch64) against the portable scalar oracle (src/simd/simd_scalar.h) on
 * fuzzer-chosen operands.  The first SIMD_OPERAND_BYTES bytes of the input
 * are the operands (missing bytes are 0); every instruction of the table in
 * tests/simd/simd_ops.h runs on them, once per instruction-set level the
 * back end has separate code for (baseline, and SSE4.1 on x86-64), and must
 * agree with the oracle by the rule tests/simd/test_simd.c uses.  A
 * disagreement prints the instruction, the operands and both results, and
 * aborts.
 */
#include <string.h>

#include "simd_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t operands[SIMD_OPERAND_BYTES] = {0};
    memcpy(operands, data, size < sizeof operands ? size : sizeof operands);
    simd_check_baseline(operands);
#ifdef SIMD_CHECK_SSE41
    simd_check_sse41(operands);
#endif
    return 0;
}
