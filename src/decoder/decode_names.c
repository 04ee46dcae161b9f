/*
 * Custom sections, and the function names of the `name` section.  The spec
 * does not validate custom section contents, so a malformed name section is
 * ignored rather than reported; it must still never be read out of bounds.
 */
#include "decode_internal.h"

#include <stdlib.h>
#include <string.h>

enum { NAME_SUBSECTION_FUNCTIONS = 1 };

bool wdec_custom_section(wdecoder *d)
{
    wmodule *m = d->m;
    wcustom c;
    if (!wdec_name(d, &c.name))
        return false;
    c.data_offset = wreader_offset(&d->r);
    c.data_len = (uint32_t)wreader_left(&d->r);
    d->r.p = d->r.end;
    if (!wgrow((void **)&m->customs, &d->customs_cap, (size_t)m->ncustoms + 1, sizeof *m->customs))
        return wdec_fail(d, "out of memory");
    m->customs[m->ncustoms++] = c;
    return true;
}

static const wcustom *find_name_section(const wmodule *m)
{
    for (uint32_t i = 0; i < m->ncustoms; i++) {
        const wname *n = &m->customs[i].name;
        if (n->len == 4 && memcmp(n->ptr, "name", 4) == 0)
            return &m->customs[i];
    }
    return NULL;
}

static bool read_name(wreader *r, wname *out)
{
    uint32_t len;
    const uint8_t *p;
    if (!wread_u32(r, &len, NULL) || !wread_bytes(r, len, &p, NULL) || !wutf8_valid(p, len))
        return false;
    out->ptr = (const char *)p;
    out->len = len;
    return true;
}

/* A name map: vec(index, name).  Indices outside the function space are
 * skipped; anything unreadable makes the whole map void. */
static bool read_function_names(wreader *r, wname *names, uint32_t nfuncs)
{
    uint32_t count;
    if (!wread_u32(r, &count, NULL))
        return false;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t index;
        wname name;
        if (!wread_u32(r, &index, NULL) || !read_name(r, &name))
            return false;
        if (index < nfuncs)
            names[index] = name;
    }
    return true;
}

/* Finds the function-names subsection and returns a reader over it. */
static bool find_function_subsection(wreader *r, wreader *sub)
{
    while (wreader_left(r) > 0) {
        uint8_t id;
        uint32_t size;
        const uint8_t *p;
        if (!wread_byte(r, &id, NULL) || !wread_u32(r, &size, NULL) || !wread_bytes(r, size, &p, NULL))
            return false;
        if (id == NAME_SUBSECTION_FUNCTIONS) {
            *sub = (wreader){r->base, p, p + size};
            return true;
        }
    }
    return false;
}

void wdec_names(wdecoder *d)
{
    wmodule *m = d->m;
    const wcustom *sec = find_name_section(m);
    if (!sec || m->nfuncs == 0)
        return;
    const uint8_t *data = m->bytes + sec->data_offset;
    wreader r = {m->bytes, data, data + sec->data_len};
    wreader sub;
    if (!find_function_subsection(&r, &sub))
        return;
    wname *names = wcalloc(m->nfuncs, sizeof *names);
    if (!names)
        return;
    if (!read_function_names(&sub, names, m->nfuncs)) {
        free(names);
        return;
    }
    m->func_names = names;
}
