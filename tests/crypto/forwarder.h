/*
 * A fixed guest for ward:crypto, assembled here rather than compiled: it
 * imports every function of the table (src/guest/crypto.c) and exports,
 * under the same name, a wasm function that passes its arguments through
 * (local.get 0..n-1, call, end), plus its memory as "memory".  The unit
 * tests and fuzz/crypto_calls.c call the imports through it, so every call
 * is a real guest call with a calling instance and memory.
 */
#ifndef WARD_TEST_CRYPTO_FORWARDER_H
#define WARD_TEST_CRYPTO_FORWARDER_H

#include <stdlib.h>
#include <string.h>

#include "guest/crypto_internal.h"

typedef struct fwd_buf {
    uint8_t *p;
    size_t n, cap;
} fwd_buf;

static inline void fwd_byte(fwd_buf *b, uint8_t v)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    b->p[b->n++] = v;
}

static inline void fwd_uleb(fwd_buf *b, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        fwd_byte(b, byte | (v ? 0x80 : 0));
    } while (v);
}

static inline void fwd_name(fwd_buf *b, const char *s)
{
    fwd_uleb(b, (uint32_t)strlen(s));
    for (; *s; s++)
        fwd_byte(b, (uint8_t)*s);
}

/* Section id, then the contents of sec with their size. */
static inline void fwd_section(fwd_buf *out, uint8_t id, fwd_buf *sec)
{
    fwd_byte(out, id);
    fwd_uleb(out, (uint32_t)sec->n);
    for (size_t i = 0; i < sec->n; i++)
        fwd_byte(out, sec->p[i]);
    sec->n = 0;
}

static inline void fwd_kinds(const char *sig, ward_valkind *params, uint32_t *np, ward_valkind *results, uint32_t *nr)
{
    if (!wguest_parse_sig(sig, params, np, results, nr, 16))
        abort();
}

/* The module bytes (malloc'd, *size set): min_pages of memory. */
static inline uint8_t *fwd_module(uint32_t min_pages, size_t *size)
{
    fwd_buf out = {0}, sec = {0};
    static const uint8_t header[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    for (size_t i = 0; i < sizeof header; i++)
        fwd_byte(&out, header[i]);
    fwd_uleb(&sec, WCG_COUNT); /* types: one per import */
    for (int i = 0; i < WCG_COUNT; i++) {
        ward_valkind p[16], r[16];
        uint32_t np, nr;
        fwd_kinds(wcg_imports[i].sig, p, &np, r, &nr);
        fwd_byte(&sec, 0x60);
        fwd_uleb(&sec, np);
        for (uint32_t k = 0; k < np; k++)
            fwd_byte(&sec, (uint8_t)p[k]);
        fwd_uleb(&sec, nr);
        for (uint32_t k = 0; k < nr; k++)
            fwd_byte(&sec, (uint8_t)r[k]);
    }
    fwd_section(&out, 1, &sec);
    fwd_uleb(&sec, WCG_COUNT); /* imports */
    for (int i = 0; i < WCG_COUNT; i++) {
        fwd_name(&sec, "ward:crypto");
        fwd_name(&sec, wcg_imports[i].name);
        fwd_byte(&sec, 0x00);
        fwd_uleb(&sec, (uint32_t)i);
    }
    fwd_section(&out, 2, &sec);
    fwd_uleb(&sec, WCG_COUNT); /* functions */
    for (int i = 0; i < WCG_COUNT; i++)
        fwd_uleb(&sec, (uint32_t)i);
    fwd_section(&out, 3, &sec);
    fwd_byte(&sec, 1); /* memory: min pages, no maximum */
    fwd_byte(&sec, 0);
    fwd_uleb(&sec, min_pages);
    fwd_section(&out, 5, &sec);
    fwd_uleb(&sec, WCG_COUNT + 1); /* exports */
    fwd_name(&sec, "memory");
    fwd_byte(&sec, 0x02);
    fwd_byte(&sec, 0);
    for (int i = 0; i < WCG_COUNT; i++) {
        fwd_name(&sec, wcg_imports[i].name);
        fwd_byte(&sec, 0x00);
        fwd_uleb(&sec, (uint32_t)(WCG_COUNT + i));
    }
    fwd_section(&out, 7, &sec);
    fwd_uleb(&sec, WCG_COUNT); /* code */
    for (int i = 0; i < WCG_COUNT; i++) {
        ward_valkind p[16], r[16];
        uint32_t np, nr;
        fwd_kinds(wcg_imports[i].sig, p, &np, r, &nr);
        fwd_buf body = {0};
        fwd_byte(&body, 0); /* no locals */
        for (uint32_t k = 0; k < np; k++) {
            fwd_byte(&body, 0x20);
            fwd_uleb(&body, k);
        }
        fwd_byte(&body, 0x10);
        fwd_uleb(&body, (uint32_t)i);
        fwd_byte(&body, 0x0b);
        fwd_uleb(&sec, (uint32_t)body.n);
        for (size_t k = 0; k < body.n; k++)
            fwd_byte(&sec, body.p[k]);
        free(body.p);
    }
    fwd_section(&out, 10, &sec);
    free(sec.p);
    *size = out.n;
    return out.p;
}

/* Wasm instructions each forwarder executes: its local.gets, call, end. */
static inline uint32_t fwd_instructions(wcg_id id)
{
    ward_valkind p[16], r[16];
    uint32_t np, nr;
    fwd_kinds(wcg_imports[id].sig, p, &np, r, &nr);
    return np + 2;
}

#endif
