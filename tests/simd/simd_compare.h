/*
 * Comparing a SIMD back end (wsimd_*) with the portable scalar oracle
 * (wsimd_scalar_*), shared by tests/simd/test_simd.c and
 * fuzz/simd_backends.c: the instruction table (simd_ops.h) with each
 * instruction's shape, a call of either implementation on one set of
 * operands, and the spec's rule for when two results agree (bit for bit,
 * except NaN lanes of float arithmetic: where the oracle gives a NaN the
 * back end must give one too, canonical if every NaN input of that lane is
 * canonical or there is none, else any arithmetic NaN).
 */
#ifndef WARD_TESTS_SIMD_COMPARE_H
#define WARD_TESTS_SIMD_COMPARE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "simd/simd.h"

typedef enum wt_kind {
    WT_UN, WT_BIN, WT_TER, WT_SHIFT, WT_SHUFFLE, WT_TEST,
    WT_SPLAT_I32, WT_SPLAT_I64, WT_SPLAT_F32, WT_SPLAT_F64,
    WT_EXTRACT_I32, WT_EXTRACT_I64, WT_EXTRACT_F32, WT_EXTRACT_F64,
    WT_REPLACE_I32, WT_REPLACE_I64, WT_REPLACE_F32, WT_REPLACE_F64,
} wt_kind;

typedef void (*wt_fn)(void);

typedef struct wt_op {
    const char *name;
    wt_kind kind;
    int nan_bits; /* 0, or 32/64: float lanes whose NaNs follow the spec rule */
    wt_fn impl, ref;
} wt_op;

#define WT_OP(kind, nan, c, name) {name, kind, nan, (wt_fn)wsimd_##c, (wt_fn)wsimd_scalar_##c},
static const wt_op wt_ops[] = {
#include "simd_ops.h"
};
#undef WT_OP
#define WT_NOPS ((int)(sizeof wt_ops / sizeof wt_ops[0]))

/* Operands of one call: up to three vectors, a scalar (shift count, splat or
 * replace value in the low bits of x) and a lane / shuffle pattern. */
typedef struct wt_args {
    wv128 v[3];
    wv128 x;
    unsigned lane;
    uint8_t pattern[16];
} wt_args;

/* Calls op (impl or ref); scalar results land in the low bits, rest 0. */
static inline wv128 wt_call(const wt_op *op, int ref, const wt_args *a)
{
    wt_fn f = ref ? op->ref : op->impl;
    wv128 r;
    memset(&r, 0, sizeof r);
    switch (op->kind) {
    case WT_UN: return ((wv128(*)(wv128))f)(a->v[0]);
    case WT_BIN: return ((wv128(*)(wv128, wv128))f)(a->v[0], a->v[1]);
    case WT_TER: return ((wv128(*)(wv128, wv128, wv128))f)(a->v[0], a->v[1], a->v[2]);
    case WT_SHIFT: return ((wv128(*)(wv128, uint32_t))f)(a->v[0], a->x.u32[0]);
    case WT_SHUFFLE: return ((wv128(*)(wv128, wv128, const uint8_t *))f)(a->v[0], a->v[1], a->pattern);
    case WT_TEST: r.u32[0] = ((uint32_t(*)(wv128))f)(a->v[0]); return r;
    case WT_SPLAT_I32: return ((wv128(*)(uint32_t))f)(a->x.u32[0]);
    case WT_SPLAT_I64: return ((wv128(*)(uint64_t))f)(a->x.u64[0]);
    case WT_SPLAT_F32: return ((wv128(*)(float))f)(a->x.f32[0]);
    case WT_SPLAT_F64: return ((wv128(*)(double))f)(a->x.f64[0]);
    case WT_EXTRACT_I32: r.u32[0] = ((uint32_t(*)(wv128, unsigned))f)(a->v[0], a->lane); return r;
    case WT_EXTRACT_I64: r.u64[0] = ((uint64_t(*)(wv128, unsigned))f)(a->v[0], a->lane); return r;
    case WT_EXTRACT_F32: r.f32[0] = ((float(*)(wv128, unsigned))f)(a->v[0], a->lane); return r;
    case WT_EXTRACT_F64: r.f64[0] = ((double(*)(wv128, unsigned))f)(a->v[0], a->lane); return r;
    case WT_REPLACE_I32: return ((wv128(*)(wv128, unsigned, uint32_t))f)(a->v[0], a->lane, a->x.u32[0]);
    case WT_REPLACE_I64: return ((wv128(*)(wv128, unsigned, uint64_t))f)(a->v[0], a->lane, a->x.u64[0]);
    case WT_REPLACE_F32: return ((wv128(*)(wv128, unsigned, float))f)(a->v[0], a->lane, a->x.f32[0]);
    case WT_REPLACE_F64: return ((wv128(*)(wv128, unsigned, double))f)(a->v[0], a->lane, a->x.f64[0]);
    }
    return r;
}

/* Lane count of the lane index immediate of extract/replace ops. */
static inline unsigned wt_lanes(const char *name)
{
    return name[1] == '8' ? 16 : name[1] == '1' ? 8 : name[1] == '3' ? 4 : 2;
}

/* ---- NaN classes -------------------------------------------------------- */

static inline int wt_is_nan(uint64_t bits, int width)
{
    return width == 32 ? (bits & 0x7FFFFFFFu) > 0x7F800000u : (bits & ~(1ull << 63)) > 0x7FF0000000000000ull;
}
static inline int wt_is_canonical(uint64_t bits, int width)
{
    return width == 32 ? (bits & 0x7FFFFFFFu) == 0x7FC00000u : (bits & ~(1ull << 63)) == 0x7FF8000000000000ull;
}
static inline int wt_is_arithmetic(uint64_t bits, int width)
{
    return wt_is_nan(bits, width) && (width == 32 ? (bits & 0x00400000u) : (bits & 0x0008000000000000ull));
}
static inline uint64_t wt_lane(const wv128 *v, int width, int i)
{
    return width == 32 ? v->u32[i] : v->u64[i];
}

/* Must a NaN in lane i of op's result be canonical?  By the spec, yes
 * unless some input NaN of that lane is not canonical. */
static inline int wt_needs_canonical(const wt_op *op, const wt_args *a, int i)
{
    int w = op->nan_bits;
    if (strstr(op->name, "demote"))
        w = 64;
    else if (strstr(op->name, "promote"))
        w = 32;
    for (int k = 0; k < (op->kind == WT_BIN ? 2 : 1); k++) {
        uint64_t in = wt_lane(&a->v[k], w, i);
        if (wt_is_nan(in, w) && !wt_is_canonical(in, w))
            return 0;
    }
    return 1;
}

/* Back end result r agrees with oracle result o: bits equal, except that
 * where the oracle gives a NaN the back end may give any NaN the spec
 * allows for that lane (the NaN an x86 or Arm instruction propagates may
 * depend on operand order, which the compiler may swap). */
static inline int wt_agree(const wt_op *op, const wt_args *a, const wv128 *r, const wv128 *o)
{
    if (!op->nan_bits)
        return memcmp(r, o, 16) == 0;
    int w = op->nan_bits;
    for (int i = 0; i < 128 / w; i++) {
        uint64_t rl = wt_lane(r, w, i), ol = wt_lane(o, w, i);
        if (!wt_is_nan(ol, w)) {
            if (rl != ol)
                return 0;
        } else if (!wt_is_arithmetic(rl, w) || (wt_needs_canonical(op, a, i) && !wt_is_canonical(rl, w))) {
            return 0;
        }
    }
    return 1;
}

static inline void wt_hex(const wv128 *v, char out[33])
{
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", v->u8[i]);
}

#endif
