/* Shared helpers: error messages, checked allocation and size arithmetic. */
#ifndef WARD_UTIL_H
#define WARD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ward.h"

#define WERROR_MAX 256

/*
 * An error from decoding, validation, linking or instantiation: the message
 * and, as in ward_error, where it arose.  The located reporters of the
 * decoder and validator fill section/func/offset; the phase that failed
 * fills the stage unless the reporter chose one (WARD_STAGE_LIMIT).
 */
typedef struct werror {
    char msg[WERROR_MAX];
    ward_error_stage stage;    /* WARD_STAGE_NONE: the failing phase's */
    uint32_t section;          /* section id, or WARD_NONE */
    uint32_t func;             /* function index, or WARD_NONE */
    uint32_t offset;           /* byte offset in the module, or WARD_NONE */
} werror;

/* printf-style; truncates silently.  An error with no location and no
 * stage yet.  Returns false so callers can write
 * `return werror_set(err, ...)` in functions returning bool. */
bool werror_set(werror *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* werror_set, then the stage: for errors whose stage is not the phase's
 * (a configured limit hit while decoding is WARD_STAGE_LIMIT). */
bool werror_set_stage(werror *err, ward_error_stage stage, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* No message, no stage, no location. */
void werror_clear(werror *err);

/* Copy e into the public record (err may be NULL), with stage when e has
 * none of its own. */
void werror_report(const werror *e, ward_error_stage stage, ward_error *err);

/* Empty the public record, with the stage its errors will have, for
 * calls that write their messages into it directly (WASI set-up). */
void werror_public_init(ward_error *err, ward_error_stage stage);

/* Allocation that returns NULL on size overflow as well as on exhaustion. */
void *wcalloc(size_t count, size_t size);
void *wmalloc_array(size_t count, size_t size);
void *wrealloc_array(void *ptr, size_t count, size_t size);

/* The value of one hexadecimal digit, -1 when c is none (JSON, the text
 * format's strings and numbers all spell them the same way). */
int whex_digit(char c);

/* v as unsigned LEB128 into out (at most 10 bytes); returns the length. */
size_t wleb_u64(uint8_t out[10], uint64_t v);

/* Overflow-checked size arithmetic: return false on overflow. */
static inline bool wsize_add(size_t a, size_t b, size_t *out)
{
    if (a > SIZE_MAX - b)
        return false;
    *out = a + b;
    return true;
}

static inline bool wsize_mul(size_t a, size_t b, size_t *out)
{
    if (b != 0 && a > SIZE_MAX / b)
        return false;
    *out = a * b;
    return true;
}

/* Growable-array helper: ensure *cap >= need, doubling; false on failure.
 * Inline check first: it runs on every push of the hot loops. */
bool wgrow_slow(void **ptr, size_t *cap, size_t need, size_t elem_size);
static inline bool wgrow(void **ptr, size_t *cap, size_t need, size_t elem_size)
{
    return need <= *cap || wgrow_slow(ptr, cap, need, elem_size);
}

/* Binary search of a sorted array: the index of the first element not
 * less than key (by compare(element, key), memcmp-like), *found true when
 * it equals key. */
size_t wlower_bound(const void *base, size_t n, size_t elem_size, const void *key,
                    int (*compare)(const void *element, const void *key), bool *found);

/* Is [p, p+len) valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF)? */
bool wutf8_valid(const uint8_t *p, size_t len);

#endif
