/*
 * Numeric helpers with the exact WebAssembly semantics: no C undefined
 * behaviour on any input (UBSan runs in CI), NaN payloads kept by the bit
 * operations, spec trap conditions as return values.
 */
#ifndef WARD_NUMERIC_H
#define WARD_NUMERIC_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../../include/ward.h"

static inline uint32_t wi32_div_s(uint32_t x, uint32_t y, ward_trap_kind *trap)
{
    if (y == 0) {
        *trap = WARD_TRAP_DIV_BY_ZERO;
        return 0;
    }
    if (x == 0x80000000u && y == 0xFFFFFFFFu) {
        *trap = WARD_TRAP_INT_OVERFLOW;
        return 0;
    }
    return (uint32_t)((int32_t)x / (int32_t)y);
}

static inline uint64_t wi64_div_s(uint64_t x, uint64_t y, ward_trap_kind *trap)
{
    if (y == 0) {
        *trap = WARD_TRAP_DIV_BY_ZERO;
        return 0;
    }
    if (x == 0x8000000000000000ull && y == ~0ull) {
        *trap = WARD_TRAP_INT_OVERFLOW;
        return 0;
    }
    return (uint64_t)((int64_t)x / (int64_t)y);
}

/* INT_MIN % -1 is 0 in wasm (and undefined in C): y == -1 never divides. */
static inline uint32_t wi32_rem_s(uint32_t x, uint32_t y)
{
    return y == 0xFFFFFFFFu ? 0 : (uint32_t)((int32_t)x % (int32_t)y);
}

static inline uint64_t wi64_rem_s(uint64_t x, uint64_t y)
{
    return y == ~0ull ? 0 : (uint64_t)((int64_t)x % (int64_t)y);
}

/* Arithmetic shift right without relying on implementation-defined >>. */
static inline uint32_t wi32_shr_s(uint32_t x, uint32_t y)
{
    uint32_t n = y & 31;
    uint32_t sign = (x >> 31) ? ~0u : 0u;
    return n ? (x >> n) | (sign << (32 - n)) : x;
}

static inline uint64_t wi64_shr_s(uint64_t x, uint64_t y)
{
    uint64_t n = y & 63;
    uint64_t sign = (x >> 63) ? ~0ull : 0ull;
    return n ? (x >> n) | (sign << (64 - n)) : x;
}

static inline uint32_t wi32_rotl(uint32_t x, uint32_t y)
{
    uint32_t n = y & 31;
    return (x << n) | (x >> ((32 - n) & 31));
}

static inline uint32_t wi32_rotr(uint32_t x, uint32_t y)
{
    uint32_t n = y & 31;
    return (x >> n) | (x << ((32 - n) & 31));
}

static inline uint64_t wi64_rotl(uint64_t x, uint64_t y)
{
    uint64_t n = y & 63;
    return (x << n) | (x >> ((64 - n) & 63));
}

static inline uint64_t wi64_rotr(uint64_t x, uint64_t y)
{
    uint64_t n = y & 63;
    return (x >> n) | (x << ((64 - n) & 63));
}

/* ---- float bits ------------------------------------------------------- */

static inline uint32_t wf32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static inline float wf32_from(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static inline uint64_t wf64_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static inline double wf64_from(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static inline float wf32_abs(float x)
{
    return wf32_from(wf32_bits(x) & 0x7FFFFFFFu);
}
static inline float wf32_neg(float x)
{
    return wf32_from(wf32_bits(x) ^ 0x80000000u);
}
static inline double wf64_abs(double x)
{
    return wf64_from(wf64_bits(x) & 0x7FFFFFFFFFFFFFFFull);
}
static inline double wf64_neg(double x)
{
    return wf64_from(wf64_bits(x) ^ 0x8000000000000000ull);
}

static inline float wf32_copysign(float x, float y)
{
    return wf32_from((wf32_bits(x) & 0x7FFFFFFFu) | (wf32_bits(y) & 0x80000000u));
}

static inline double wf64_copysign(double x, double y)
{
    return wf64_from((wf64_bits(x) & 0x7FFFFFFFFFFFFFFFull) | (wf64_bits(y) & 0x8000000000000000ull));
}

/* min/max: any NaN operand gives a NaN (x + y quiets and propagates it);
 * -0 is less than +0. */
static inline float wf32_min(float x, float y)
{
    if (x != x || y != y)
        return x + y;
    if (x == y)
        return wf32_from(wf32_bits(x) | wf32_bits(y));
    return x < y ? x : y;
}

static inline float wf32_max(float x, float y)
{
    if (x != x || y != y)
        return x + y;
    if (x == y)
        return wf32_from(wf32_bits(x) & wf32_bits(y));
    return x > y ? x : y;
}

static inline double wf64_min(double x, double y)
{
    if (x != x || y != y)
        return x + y;
    if (x == y)
        return wf64_from(wf64_bits(x) | wf64_bits(y));
    return x < y ? x : y;
}

static inline double wf64_max(double x, double y)
{
    if (x != x || y != y)
        return x + y;
    if (x == y)
        return wf64_from(wf64_bits(x) & wf64_bits(y));
    return x > y ? x : y;
}

/* ---- float -> integer ------------------------------------------------- */

/* A trapping truncation is defined when lo < x < hi (exclusive bounds chosen
 * so that exactly the values whose truncation fits pass). */
static inline ward_trap_kind wtrunc_check(double x, double lo, double hi)
{
    if (x != x)
        return WARD_TRAP_INVALID_CONVERSION;
    if (!(x > lo && x < hi))
        return WARD_TRAP_INT_OVERFLOW;
    return WARD_TRAP_NONE;
}

static inline int32_t wsat_s32(double x)
{
    if (x != x)
        return 0;
    if (x <= -2147483649.0)
        return INT32_MIN;
    if (x >= 2147483648.0)
        return INT32_MAX;
    return (int32_t)x;
}

static inline uint32_t wsat_u32(double x)
{
    if (x != x || x <= -1.0)
        return 0;
    if (x >= 4294967296.0)
        return UINT32_MAX;
    return (uint32_t)x;
}

static inline int64_t wsat_s64(double x)
{
    if (x != x)
        return 0;
    if (x < -9223372036854775808.0)
        return INT64_MIN;
    if (x >= 9223372036854775808.0)
        return INT64_MAX;
    return (int64_t)x;
}

static inline uint64_t wsat_u64(double x)
{
    if (x != x || x <= -1.0)
        return 0;
    if (x >= 18446744073709551616.0)
        return UINT64_MAX;
    return (uint64_t)x;
}

#endif
