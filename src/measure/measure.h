/* Internals shared by the registry, quotes, sealing and ward:tee
 * (docs/measurement.md).  Prefix wmeas_. */
#ifndef WARD_MEASURE_INTERNAL_H
#define WARD_MEASURE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ward_measure.h"

/* Byte formats: little-endian fields. */
static inline void wmeas_put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void wmeas_put32(uint8_t *p, uint32_t v)
{
    wmeas_put16(p, v);
    wmeas_put16(p + 2, v >> 16);
}

static inline uint32_t wmeas_get16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t wmeas_get32(const uint8_t *p)
{
    return wmeas_get16(p) | wmeas_get16(p + 2) << 16;
}

/* Registers selected by mask, in ascending order. */
static inline uint32_t wmeas_count(uint32_t mask)
{
    uint32_t n = 0;
    for (; mask; mask &= mask - 1)
        n++;
    return n;
}

static inline bool wmeas_mask_ok(uint32_t mask)
{
    return mask != 0 && mask <= WARD_MEASURE_ALL_REGISTERS;
}

/* Fill *err (may be NULL) and return status. */
ward_measure_status wmeas_fail(ward_measure_error *err, ward_measure_status status, size_t offset, const char *fmt,
                               ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The selected registers' values, packed in ascending order (32 bytes
 * each), read at one instant. */
void wmeas_snapshot(ward_measure *m, uint32_t mask, uint8_t *values);

/* Under the registry's lock, so that key and signature match: write the
 * attestation public key at body[body_len], then sign domain || body (the
 * body with the key; msg holds the domain's domain_len bytes and has room
 * for the body after them) into the 64 bytes after the key.  False
 * without a key. */
bool wmeas_sign(ward_measure *m, uint8_t *body, size_t body_len, uint8_t *msg, size_t domain_len);

/* Under the lock: the sealing key for mask from the secret and the
 * selected registers' current values.  False without a secret. */
bool wmeas_seal_key(ward_measure *m, uint32_t mask, uint8_t key[32]);

#endif
