/*
 * The code section: one entry per defined function, each a size, the local
 * declarations and the body.  Bodies are only located here; the validator
 * reads their instructions.
 */
#include "decode_internal.h"

#include <string.h>

enum { MIN_LOCAL_GROUP_SIZE = 2 };/* count, value type */

/* First pass over the local groups: check their types and that the total
 * stays within the limit, summing in 64 bits so no count can wrap. */
static bool count_locals(wdecoder *d, uint32_t ngroups, uint32_t *total)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < ngroups; i++) {
        uint32_t at = wreader_offset(&d->r);
        uint32_t n;
        uint8_t type;
        if (!wdec_u32(d, &n) || !wdec_valtype(d, &type))
            return false;
        sum += n;
        if (sum > WDEC_MAX_LOCALS)
            return wdec_fail_at(d, at, "too many locals (more than %u)", WDEC_MAX_LOCALS);
    }
    *total = (uint32_t)sum;
    return true;
}

static bool decode_locals(wdecoder *d, wcode *c)
{
    uint32_t ngroups = 0, total = 0;
    if (!wdec_count(d, &ngroups, MIN_LOCAL_GROUP_SIZE))
        return false;
    const uint8_t *groups = d->r.p;
    if (!count_locals(d, ngroups, &total))
        return false;
    c->local_types = wdec_alloc(d, total, 1);
    if (!c->local_types)
        return false;
    c->nlocals = total;
    /* Second pass: the groups were checked above, so these reads succeed. */
    d->r.p = groups;
    uint32_t filled = 0;
    for (uint32_t i = 0; i < ngroups; i++) {
        uint32_t n;
        uint8_t type;
        if (!wdec_u32(d, &n) || !wdec_valtype(d, &type))
            return false;
        memset(c->local_types + filled, type, n);
        filled += n;
    }
    return true;
}

static bool decode_code_entry(wdecoder *d, wcode *c)
{
    c->entry_offset = wreader_offset(&d->r);
    uint32_t size;
    if (!wdec_u32(d, &size))
        return false;
    if (size > wreader_left(&d->r))
        return wdec_fail_at(d, c->entry_offset,
                            "unexpected end of section or function (code entry of %u bytes, %zu left)",
                            (unsigned)size, wreader_left(&d->r));
    const uint8_t *section_end = d->r.end;
    d->r.end = d->r.p + size;
    if (!decode_locals(d, c))
        return false;
    if (wreader_left(&d->r) == 0)
        return wdec_fail(d, "unexpected end of section or function (function body is empty)");
    c->body_offset = wreader_offset(&d->r);
    c->body_len = (uint32_t)wreader_left(&d->r);
    d->r.p = d->r.end;
    d->r.end = section_end;
    return true;
}

bool wdec_code_section(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t count;
    if (!wdec_count(d, &count, 1))
        return false;
    uint32_t ndefined = m->nfuncs - m->nimported_funcs;
    if (count != ndefined)
        return wdec_fail(d, "function and code section have inconsistent lengths (%u functions, %u bodies)",
                         (unsigned)ndefined, (unsigned)count);
    m->codes = wdec_alloc(d, count, sizeof *m->codes);
    if (!m->codes)
        return false;
    m->ncodes = count;
    for (uint32_t i = 0; i < count; i++) {
        d->func = (int64_t)m->nimported_funcs + i;
        if (!decode_code_entry(d, &m->codes[i]))
            return false;
    }
    d->func = -1;
    return true;
}
