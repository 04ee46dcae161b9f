/*
 * Byte reader over a module's bytes: bounds-checked reads of bytes and
 * LEB128 integers with the binary format's exact length and range rules.
 * Every read returns false and writes an error ("unexpected end",
 * "integer representation too long", "integer too large") on failure.
 */
#ifndef WARD_READER_H
#define WARD_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/util.h"

typedef struct wreader {
    const uint8_t *base;  /* start of the module's bytes: offsets are relative to it */
    const uint8_t *p;     /* next byte */
    const uint8_t *end;   /* one past the last readable byte */
} wreader;

static inline size_t wreader_left(const wreader *r) { return (size_t)(r->end - r->p); }
static inline uint32_t wreader_offset(const wreader *r) { return (uint32_t)(r->p - r->base); }

/* The slow halves of the inline reads below: the end of the input, and
 * LEB128s longer than one byte. */
bool wread_byte_slow(wreader *r, uint8_t *out, werror *err);
bool wread_u32_slow(wreader *r, uint32_t *out, werror *err);
bool wread_s32_slow(wreader *r, int32_t *out, werror *err);

/* Inline: every instruction of every body is read by them at load. */
static inline bool wread_byte(wreader *r, uint8_t *out, werror *err)
{
    if (r->p >= r->end)
        return wread_byte_slow(r, out, err);
    *out = *r->p++;
    return true;
}

static inline bool wread_u32(wreader *r, uint32_t *out, werror *err)
{
    if (r->p < r->end && *r->p < 0x80) { /* one byte: most indices */
        *out = *r->p++;
        return true;
    }
    return wread_u32_slow(r, out, err);
}

static inline bool wread_s32(wreader *r, int32_t *out, werror *err)
{
    if (r->p < r->end && *r->p < 0x80) { /* one byte: -64..63, bit 6 is the sign */
        uint8_t b = *r->p++;
        *out = (b & 0x40) ? (int32_t)b - 128 : (int32_t)b;
        return true;
    }
    return wread_s32_slow(r, out, err);
}

bool wread_bytes(wreader *r, size_t n, const uint8_t **out, werror *err);
bool wread_u64(wreader *r, uint64_t *out, werror *err);
bool wread_s33(wreader *r, int64_t *out, werror *err);
bool wread_s64(wreader *r, int64_t *out, werror *err);
bool wread_f32(wreader *r, uint32_t *bits, werror *err);
bool wread_f64(wreader *r, uint64_t *bits, werror *err);

#endif
