/*
 * What the SIMD handlers (exec_simd.inc) need around the dispatch loop:
 * the wsimd_ operations and v128 slot access.
 */
#ifndef WARD_EXEC_SIMD_H
#define WARD_EXEC_SIMD_H

#include <stdint.h>
#include <string.h>

#include "../simd/simd.h"

/* A v128 in two consecutive frame slots, which are only 8-aligned. */
static inline wv128 wexec_v128_get(const uint64_t *p)
{
    wv128 v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void wexec_v128_put(uint64_t *p, wv128 v)
{
    memcpy(p, &v, sizeof v);
}

/* Slots taken by values of these types (a v128 takes two). */
static inline size_t wexec_slots(const uint8_t *types, size_t n)
{
    size_t slots = n;
    for (size_t i = 0; i < n; i++)
        slots += types[i] == 0x7B; /* WT_V128 */
    return slots;
}

#endif
