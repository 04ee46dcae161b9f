/* Shared helpers: error messages, checked allocation and size arithmetic. */
#ifndef WARD_UTIL_H
#define WARD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WERROR_MAX 256

/* An error message from decoding, validation, linking or instantiation. */
typedef struct werror {
    char msg[WERROR_MAX];
} werror;

/* printf-style; truncates silently.  Returns false so callers can write
 * `return werror_set(err, ...)` in functions returning bool. */
bool werror_set(werror *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Allocation that returns NULL on size overflow as well as on exhaustion. */
void *wcalloc(size_t count, size_t size);
void *wmalloc_array(size_t count, size_t size);
void *wrealloc_array(void *ptr, size_t count, size_t size);

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

/* Is [p, p+len) valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF)? */
bool wutf8_valid(const uint8_t *p, size_t len);

#endif
