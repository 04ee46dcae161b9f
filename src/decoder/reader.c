/*
 * Bounds-checked byte and LEB128 reads.  A failed read leaves r->p where the
 * item started, so callers reporting wreader_offset() point at the bad item.
 */
#include "reader.h"

#include <string.h>

bool wread_byte_slow(wreader *r, uint8_t *out, werror *err)
{
    if (r->p >= r->end)
        return werror_set(err, "unexpected end");
    *out = *r->p++;
    return true;
}

bool wread_bytes(wreader *r, size_t n, const uint8_t **out, werror *err)
{
    if (n > wreader_left(r))
        return werror_set(err, "unexpected end");
    *out = r->p;
    r->p += n;
    return true;
}

/*
 * The last byte a `bits`-wide LEB128 may use holds only the top few value
 * bits; the rest must be zero (unsigned) or copies of the sign bit (signed),
 * or the value would not fit.  Returns the mask of bits that must agree.
 */
static uint8_t last_byte_check_mask(unsigned bits, bool is_signed)
{
    unsigned used = bits - 7 * ((bits - 1) / 7); /* value bits in the last byte, 1..7 */
    unsigned free_from = is_signed ? used - 1 : used;
    return (uint8_t)(0x7F & ~((1u << free_from) - 1));
}

static bool last_byte_fits(uint8_t byte, unsigned bits, bool is_signed)
{
    uint8_t mask = last_byte_check_mask(bits, is_signed);
    uint8_t rest = byte & mask;
    return rest == 0 || (is_signed && rest == mask);
}

/* Reads a LEB128 of at most ceil(bits/7) bytes; signed values come back
 * sign-extended to 64 bits. */
static bool read_leb(wreader *r, unsigned bits, bool is_signed, uint64_t *out, werror *err)
{
    const uint8_t *start = r->p;
    unsigned max_bytes = (bits + 6) / 7;
    uint64_t result = 0;
    unsigned shift = 0;
    for (unsigned i = 0; i < max_bytes; i++) {
        if (r->p >= r->end) {
            r->p = start;
            return werror_set(err, "unexpected end");
        }
        uint8_t byte = *r->p++;
        result |= (uint64_t)(byte & 0x7F) << shift;
        shift += 7;
        if (byte & 0x80)
            continue;
        if (i == max_bytes - 1 && !last_byte_fits(byte, bits, is_signed)) {
            r->p = start;
            return werror_set(err, "integer too large");
        }
        if (is_signed && shift < 64 && (byte & 0x40))
            result |= ~(uint64_t)0 << shift;
        *out = result;
        return true;
    }
    r->p = start;
    return werror_set(err, "integer representation too long");
}

/* Two's-complement reinterpretation without implementation-defined casts. */
static int64_t u64_as_s64(uint64_t v)
{
    int64_t s;
    memcpy(&s, &v, sizeof s);
    return s;
}

bool wread_u32_slow(wreader *r, uint32_t *out, werror *err)
{
    uint64_t v = 0;
    if (!read_leb(r, 32, false, &v, err))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool wread_u64(wreader *r, uint64_t *out, werror *err)
{
    return read_leb(r, 64, false, out, err);
}

bool wread_s32_slow(wreader *r, int32_t *out, werror *err)
{
    uint64_t v = 0;
    if (!read_leb(r, 32, true, &v, err))
        return false;
    *out = (int32_t)u64_as_s64(v); /* in range by the last-byte check */
    return true;
}

bool wread_s33(wreader *r, int64_t *out, werror *err)
{
    uint64_t v = 0;
    if (!read_leb(r, 33, true, &v, err))
        return false;
    *out = u64_as_s64(v);
    return true;
}

bool wread_s64(wreader *r, int64_t *out, werror *err)
{
    uint64_t v = 0;
    if (!read_leb(r, 64, true, &v, err))
        return false;
    *out = u64_as_s64(v);
    return true;
}

bool wread_f32(wreader *r, uint32_t *bits, werror *err)
{
    const uint8_t *p;
    if (!wread_bytes(r, 4, &p, err))
        return false;
    *bits = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return true;
}

bool wread_f64(wreader *r, uint64_t *bits, werror *err)
{
    const uint8_t *p;
    if (!wread_bytes(r, 8, &p, err))
        return false;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    *bits = v;
    return true;
}
