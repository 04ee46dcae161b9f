/* Located reads for the module decoder: the reader's primitives plus the
 * section, function, entry and offset every decoder error must carry. */
#include "decode_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types.h"

static int format_location(const wdecoder *d, uint32_t offset, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s%s", d->section ? d->section : "module",
                     d->section ? " section" : "");
    if (d->func >= 0 && n >= 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, ", function %lld", (long long)d->func);
    if (d->entry >= 0 && n >= 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, ", entry %lld", (long long)d->entry);
    if (n >= 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, ", offset 0x%x: ", (unsigned)offset);
    return n;
}

static bool fail_v(wdecoder *d, uint32_t offset, const char *fmt, va_list ap)
{
    werror_clear(d->err);
    char *buf = d->err->msg;
    int n = format_location(d, offset, buf, WERROR_MAX);
    if (n >= 0 && n < WERROR_MAX)
        vsnprintf(buf + n, WERROR_MAX - (size_t)n, fmt, ap);
    d->err->section = d->section_id;
    d->err->func = d->func >= 0 ? (uint32_t)d->func : WARD_NONE;
    d->err->offset = offset;
    return false;
}

bool wdec_fail_at(wdecoder *d, uint32_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(d, offset, fmt, ap);
    va_end(ap);
    return false;
}

bool wdec_fail(wdecoder *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(d, wreader_offset(&d->r), fmt, ap);
    va_end(ap);
    return false;
}

/* A reader error, located.  Running out of bytes inside a section is worded
 * as the spec's reference interpreter words it. */
static bool reader_failed(wdecoder *d, const werror *inner)
{
    if (d->section && strcmp(inner->msg, "unexpected end") == 0)
        return wdec_fail(d, "unexpected end of section or function");
    return wdec_fail(d, "%s", inner->msg);
}

bool wdec_byte(wdecoder *d, uint8_t *out)
{
    werror e;
    return wread_byte(&d->r, out, &e) || reader_failed(d, &e);
}

/*
 * An integer cut off by the end of its section.  The reference interpreter
 * reads past section ends and so reports what the whole integer would have
 * been ("integer representation too long" / "too large"); read it again up
 * to the module's end to give the same, more useful, diagnosis.
 */
static bool leb_failed(wdecoder *d, const werror *inner, bool (*read)(wreader *, void *, werror *))
{
    if (d->section && d->r.end != d->module_end && strcmp(inner->msg, "unexpected end") == 0) {
        wreader whole = {d->r.base, d->r.p, d->module_end};
        uint64_t scratch;
        werror again;
        if (!read(&whole, &scratch, &again) && strcmp(again.msg, "unexpected end") != 0)
            return wdec_fail(d, "%s", again.msg);
    }
    return reader_failed(d, inner);
}

static bool read_u32_any(wreader *r, void *out, werror *err) { return wread_u32(r, out, err); }
static bool read_u64_any(wreader *r, void *out, werror *err) { return wread_u64(r, out, err); }

bool wdec_u32(wdecoder *d, uint32_t *out)
{
    werror e;
    return wread_u32(&d->r, out, &e) || leb_failed(d, &e, read_u32_any);
}

bool wdec_u64(wdecoder *d, uint64_t *out)
{
    werror e;
    return wread_u64(&d->r, out, &e) || leb_failed(d, &e, read_u64_any);
}

bool wdec_count(wdecoder *d, uint32_t *out, size_t min_item_size)
{
    uint32_t at = wreader_offset(&d->r);
    if (!wdec_u32(d, out))
        return false;
    size_t need;
    if (!wsize_mul(*out, min_item_size, &need) || need > wreader_left(&d->r))
        return wdec_fail_at(d, at, "unexpected end of section or function (%u entries declared, %zu bytes left)",
                            (unsigned)*out, wreader_left(&d->r));
    return true;
}

/* A length followed by that many bytes; `overrun` words a length that runs
 * past the section (the reference interpreter says "length out of bounds"
 * for names but "unexpected end" for data bytes). */
static bool read_sized_bytes(wdecoder *d, uint32_t *offset, uint32_t *len, const char *overrun)
{
    uint32_t at = wreader_offset(&d->r);
    if (!wdec_u32(d, len))
        return false;
    if (*len > wreader_left(&d->r))
        return wdec_fail_at(d, at, "%s (%u bytes declared, %zu left)", overrun, (unsigned)*len,
                            wreader_left(&d->r));
    *offset = wreader_offset(&d->r);
    d->r.p += *len;
    return true;
}

bool wdec_byte_vec(wdecoder *d, uint32_t *offset, uint32_t *len)
{
    return read_sized_bytes(d, offset, len, "unexpected end of section or function");
}

bool wdec_name(wdecoder *d, wname *out)
{
    uint32_t offset = 0, len = 0;
    if (!read_sized_bytes(d, &offset, &len, "length out of bounds"))
        return false;
    if (!wutf8_valid(d->r.base + offset, len))
        return wdec_fail_at(d, offset, "malformed UTF-8 encoding");
    out->ptr = (const char *)d->r.base + offset;
    out->len = len;
    return true;
}

bool wdec_valtype(wdecoder *d, uint8_t *out)
{
    uint32_t at = wreader_offset(&d->r);
    if (!wdec_byte(d, out))
        return false;
    if (!wvaltype_known(*out, d->features))
        return wdec_fail_at(d, at, "malformed value type 0x%02x", *out);
    return true;
}

bool wdec_reftype(wdecoder *d, uint8_t *out)
{
    uint32_t at = wreader_offset(&d->r);
    if (!wdec_byte(d, out))
        return false;
    if (!wreftype_known(*out))
        return wdec_fail_at(d, at, "malformed reference type 0x%02x", *out);
    return true;
}

bool wdec_expr(wdecoder *d, wexpr *out)
{
    uint32_t start = wreader_offset(&d->r);
    winstr in;
    werror e;
    do {
        if (!wread_instr(&d->r, &d->scratch, d->features, &in, &e))
            return reader_failed(d, &e);
    } while (in.op != WOP_END);
    out->offset = start;
    out->len = wreader_offset(&d->r) - start;
    return true;
}

void *wdec_alloc(wdecoder *d, size_t count, size_t size)
{
    void *p = wcalloc(count, size);
    if (!p)
        wdec_fail(d, "out of memory");
    return p;
}

bool wdec_extend(wdecoder *d, void **ptr, size_t old_count, size_t new_count, size_t size)
{
    void *p = wrealloc_array(*ptr, new_count, size);
    if (!p)
        return wdec_fail(d, "out of memory");
    if (new_count > old_count)
        memset((char *)p + old_count * size, 0, (new_count - old_count) * size);
    *ptr = p;
    return true;
}
