/*
 * Marshaling shared by ward's guest modules (ward:crypto, and the host
 * modules to come): fuel prices, guest spans, arguments and results,
 * overlap-safe inputs, and defining a table of imports.  Built on ward.h
 * alone, like the modules themselves.
 */
#ifndef WARD_GUEST_INTERNAL_H
#define WARD_GUEST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ward.h"

/* A call's price (docs/crypto.md, "Fuel"): base + per_byte * bytes +
 * per_unit * units, saturating at UINT64_MAX (which no metered store can
 * pay) instead of wrapping to something cheap. */
typedef struct wguest_price {
    uint64_t base;
    uint64_t per_byte;
    uint64_t per_unit;
} wguest_price;

uint64_t wguest_cost(const wguest_price *p, uint64_t bytes, uint64_t units);

/* Charge the price before any work; false with *trap "out of fuel". */
bool wguest_charge(const ward_caller *caller, const wguest_price *p, uint64_t bytes, uint64_t units,
                   ward_trap *trap);

/* Arguments: pointers and lengths are i32 read as unsigned. */
static inline uint32_t wguest_u32(const ward_val *args, int i)
{
    return args[i].of.i32;
}

static inline uint64_t wguest_u64(const ward_val *args, int i)
{
    return args[i].of.i64;
}

/* The guest bytes [ptr, ptr + len) of the caller's memory, or NULL with
 * *trap "out of bounds memory access".  len is 64-bit: sizes computed from
 * a guest length (inlen + tag) may pass 2^32 and must not wrap. */
static inline uint8_t *wguest_span(const ward_caller *caller, uint32_t ptr, uint64_t len, ward_trap *trap)
{
    return ward_caller_span(caller, ptr, len, trap);
}

/* Set the i32 result; always WARD_OK (for `return wguest_ret(...)`). */
static inline ward_result wguest_ret(ward_val *results, int32_t v)
{
    results[0] = ward_val_i32(v);
    return WARD_OK;
}

/* Do [a, a + alen) and [b, b + blen) share a byte? */
bool wguest_overlap(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/*
 * An input that an output may overwrite while a primitive still reads it:
 * *use is `in` when the ranges are disjoint, else a heap copy in *copy
 * (free it with wguest_drop, which wipes it: inputs may be secrets).
 * False when the copy cannot be made.
 */
bool wguest_input(const uint8_t *in, size_t len, const uint8_t *out, size_t outlen, const uint8_t **use,
                  uint8_t **copy);
void wguest_drop(uint8_t *copy, size_t len);

/*
 * One import of a host module: its name, its type as "PARAMS:RESULTS" with
 * i = i32, I = i64 (e.g. "iiI:i"), and its function.
 */
typedef struct wguest_import {
    const char *name;
    const char *sig;
    ward_host_fn fn;
} wguest_import;

/* Parse sig into kinds (at most max each); false when malformed. */
bool wguest_parse_sig(const char *sig, ward_valkind *params, uint32_t *nparams, ward_valkind *results,
                      uint32_t *nresults, uint32_t max);

/* Create each import's function in store with env and define it in the
 * linker under module.  WARD_ERROR on a malformed sig or out of memory. */
ward_result wguest_define(ward_linker *linker, ward_store *store, const char *module,
                          const wguest_import *imports, size_t n, void *env);

#endif
