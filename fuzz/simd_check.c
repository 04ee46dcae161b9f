/*
 * One half of fuzz/simd_backends.c: every SIMD instruction of the table on
 * one set of operands, through the native back end and the scalar oracle,
 * compared by the spec's rule (tests/simd/simd_compare.h).  Compiled once
 * per instruction-set level (fuzz/meson.build): the SSE back end takes
 * other paths when the compiler may use SSSE3/SSE4.1, so each level is a
 * back end of its own.  SIMD_CHECK_FN and SIMD_CHECK_LEVEL name this copy.
 */
#include <stdlib.h>

#include "simd_check.h"
#include "simd_compare.h"

static void report(const wt_op *op, const wt_args *a, const wv128 *r, const wv128 *o)
{
    char h[6][33];
    wt_hex(&a->v[0], h[0]);
    wt_hex(&a->v[1], h[1]);
    wt_hex(&a->v[2], h[2]);
    wt_hex(&a->x, h[3]);
    wt_hex(r, h[4]);
    wt_hex(o, h[5]);
    char pattern[16 * 3 + 1];
    for (int i = 0; i < 16; i++)
        snprintf(pattern + 3 * i, 4, "%02u ", a->pattern[i]);
    fprintf(stderr,
            "\nsimd_backends: %s: back end %s (%s) disagrees with the scalar oracle\n"
            "  a=%s b=%s c=%s\n  x=%s lane=%u shuffle=%s\n  back end %s\n  oracle   %s\n",
            op->name, WSIMD_BACKEND, SIMD_CHECK_LEVEL, h[0], h[1], h[2], h[3], a->lane, pattern, h[4], h[5]);
    abort();
}

void SIMD_CHECK_FN(const uint8_t operands[SIMD_OPERAND_BYTES])
{
    wt_args a;
    memcpy(a.v, operands, sizeof a.v);
    memcpy(&a.x, operands + 48, sizeof a.x);
    memcpy(a.pattern, operands + 64, sizeof a.pattern);
    for (int i = 0; i < 16; i++)
        a.pattern[i] %= 32;
    for (int n = 0; n < WT_NOPS; n++) {
        const wt_op *op = &wt_ops[n];
        a.lane = operands[80] % wt_lanes(op->name);
        wv128 r = wt_call(op, 0, &a), o = wt_call(op, 1, &a);
        if (!wt_agree(op, &a, &r, &o))
            report(op, &a, &r, &o);
    }
}
