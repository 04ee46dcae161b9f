/*
 * The tag section of the exception-handling proposal (id 13, between the
 * memory and global sections; decoded only with features.exceptions) and
 * the tag type shared with tag imports: an attribute byte (0, "exception",
 * the only one defined) and the index of a function type whose params are
 * the exception's payload.  That the type exists and has no results is the
 * validator's business (docs/exceptions.md).
 */
#include "decode_internal.h"

enum { TAG_ATTRIBUTE_EXCEPTION = 0 };

bool wdec_tagtype(wdecoder *d, uint32_t *type_index)
{
    uint32_t at = wreader_offset(&d->r);
    uint8_t attribute;
    if (!wdec_byte(d, &attribute))
        return false;
    if (attribute != TAG_ATTRIBUTE_EXCEPTION)
        return wdec_fail_at(d, at, "malformed tag attribute 0x%02x", attribute);
    return wdec_u32(d, type_index);
}

bool wdec_tag_section(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t count;
    /* an entry is at least two bytes: the attribute and the type index */
    if (!wdec_count(d, &count, 2))
        return false;
    if (count > UINT32_MAX - m->ntags)
        return wdec_fail(d, "too many tags");
    if (!wdec_extend(d, (void **)&m->tag_types, m->ntags, (size_t)m->ntags + count, sizeof *m->tag_types))
        return false;
    for (uint32_t i = 0; i < count; i++) {
        d->entry = i;
        if (!wdec_tagtype(d, &m->tag_types[m->ntags]))
            return false;
        m->ntags++;
    }
    d->entry = -1;
    return true;
}
