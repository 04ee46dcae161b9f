/*
 * The module decoder's outer loop: header, section ids, order and sizes, and
 * the cross-section counts.  Section contents are decoded by decode_types.c,
 * decode_segments.c, decode_code.c and decode_names.c.
 */
#include "decode_internal.h"

#include <stdlib.h>
#include <string.h>

enum { SECTION_ID_COUNT = 14 };
/* The exception-handling proposal's tag section: known only with
 * features.exceptions. */
enum { WSECTION_ID_TAG = 13 };

typedef struct section_kind {
    const char *name;
    uint8_t rank;              /* position in the required order; 0 = anywhere */
    bool (*decode)(wdecoder *d);
} section_kind;

/* Indexed by section id.  The data count section (id 12) sits between the
 * element and code sections, and the tag section (id 13) between the memory
 * and global sections, hence the ranks (spread out to leave room). */
static const section_kind section_kinds[SECTION_ID_COUNT] = {
    {"custom", 0, wdec_custom_section},
    {"type", 2, wdec_type_section},
    {"import", 4, wdec_import_section},
    {"function", 6, wdec_function_section},
    {"table", 8, wdec_table_section},
    {"memory", 10, wdec_memory_section},
    {"global", 14, wdec_global_section},
    {"export", 16, wdec_export_section},
    {"start", 18, wdec_start_section},
    {"element", 20, wdec_element_section},
    {"code", 24, wdec_code_section},
    {"data", 26, wdec_data_section},
    {"data count", 22, wdec_datacount_section},
    {"tag", 12, wdec_tag_section},
};

static const uint8_t wasm_magic[4] = {0x00, 0x61, 0x73, 0x6D};
static const uint8_t wasm_version[4] = {0x01, 0x00, 0x00, 0x00};

static bool decode_header(wdecoder *d)
{
    if (wreader_left(&d->r) < 4)
        return wdec_fail(d, "unexpected end");
    if (memcmp(d->r.p, wasm_magic, 4) != 0)
        return wdec_fail(d, "magic header not detected");
    d->r.p += 4;
    if (wreader_left(&d->r) < 4)
        return wdec_fail(d, "unexpected end");
    if (memcmp(d->r.p, wasm_version, 4) != 0)
        return wdec_fail(d, "unknown binary version");
    d->r.p += 4;
    return true;
}

/* A section that may not come next: an unknown id, or a known one out of
 * order or repeated. */
static bool is_stray_section(const wdecoder *d, uint8_t last_rank)
{
    uint8_t id = *d->r.p;
    if (id >= SECTION_ID_COUNT || (id == WSECTION_ID_TAG && !d->features->exceptions))
        return true;
    uint8_t rank = section_kinds[id].rank;
    return rank != 0 && rank <= last_rank;
}

static bool report_stray_section(wdecoder *d)
{
    uint8_t id = *d->r.p;
    /* A valid module of a proposal that is switched off deserves to be told
     * so, not called malformed. */
    if (id == WSECTION_ID_TAG && !d->features->exceptions)
        return wdec_fail(d, "tag section (id 13): exception handling (the exceptions feature) is off");
    if (id >= SECTION_ID_COUNT)
        return wdec_fail(d, "malformed section id %u", (unsigned)id);
    return wdec_fail(d, "unexpected content after last section (%s section duplicated or out of order)",
                     section_kinds[id].name);
}

/* Reads one section header and its body, which must fill the section exactly. */
static bool decode_section(wdecoder *d, uint8_t *last_rank)
{
    uint32_t start = wreader_offset(&d->r);
    uint8_t id = *d->r.p++;
    const section_kind *kind = &section_kinds[id];
    uint32_t size;
    d->section = kind->name;
    d->section_id = id;
    if (!wdec_u32(d, &size))
        return false;
    if (size > wreader_left(&d->r))
        return wdec_fail_at(d, start, "length out of bounds (section size %u, %zu bytes left)",
                            (unsigned)size, wreader_left(&d->r));
    if (kind->rank != 0)
        *last_rank = kind->rank;
    const uint8_t *module_end = d->r.end;
    d->r.end = d->r.p + size;
    if (!kind->decode(d))
        return false;
    if (d->r.p != d->r.end)
        return wdec_fail(d, "section size mismatch (%zu bytes left unread)", wreader_left(&d->r));
    d->r.end = module_end;
    d->section = NULL;
    d->section_id = WARD_NONE;
    return true;
}

/* Counts that two sections must agree on, checked once all are read. */
static bool check_section_counts(wdecoder *d)
{
    wmodule *m = d->m;
    if (m->ncodes != m->nfuncs - m->nimported_funcs)
        return wdec_fail(d, "function and code section have inconsistent lengths (%u functions, %u bodies)",
                         (unsigned)(m->nfuncs - m->nimported_funcs), (unsigned)m->ncodes);
    if (m->has_datacount && m->datacount != m->ndatas)
        return wdec_fail(d, "data count and data section have inconsistent lengths (%u declared, %u given)",
                         (unsigned)m->datacount, (unsigned)m->ndatas);
    return true;
}

static bool decode_all(wdecoder *d)
{
    uint8_t last_rank = 0;
    if (!decode_header(d))
        return false;
    while (wreader_left(&d->r) > 0) {
        if (is_stray_section(d, last_rank))
            return report_stray_section(d);
        if (!decode_section(d, &last_rank))
            return false;
    }
    if (!check_section_counts(d))
        return false;
    wdec_names(d);
    return true;
}

static wmodule *decode_module(const uint8_t *data, size_t size, const wfeatures *features, bool borrow,
                              werror *err)
{
    static const wfeatures base_features;
    werror ignored;
    if (!err)
        err = &ignored;
    if (size > UINT32_MAX) {
        werror_set(err, "module, offset 0x0: module too large (%zu bytes)", size);
        err->offset = 0;
        return NULL;
    }
    wmodule *m = wcalloc(1, sizeof *m);
    /* the module's bytes: never written, so borrowing them is only a
     * question of who frees them */
    uint8_t *copy = borrow ? (uint8_t *)(uintptr_t)data : wmalloc_array(size, 1);
    if (!m || !copy) {
        free(m);
        if (!borrow)
            free(copy);
        werror_set(err, "module, offset 0x0: out of memory");
        err->offset = 0;
        return NULL;
    }
    if (size && !borrow)
        memcpy(copy, data, size);
    m->bytes = copy;
    m->bytes_borrowed = borrow;
    m->size = (uint32_t)size;
    m->features = features ? *features : base_features;

    wdecoder d = {
        .r = {copy, copy, copy + size},
        .module_end = copy + size,
        .m = m,
        .features = &m->features,
        .err = err,
        .section_id = WARD_NONE,
        .func = -1,
        .entry = -1,
    };
    bool ok = decode_all(&d);
    winstr_scratch_free(&d.scratch);
    if (!ok) {
        wmodule_free(m);
        return NULL;
    }
    return m;
}

wmodule *wdecode_module(const uint8_t *data, size_t size, const wfeatures *features, werror *err)
{
    return decode_module(data, size, features, false, err);
}

wmodule *wdecode_module_borrowed(const uint8_t *data, size_t size, const wfeatures *features, werror *err)
{
    static const uint8_t none[1];
    return decode_module(data ? data : none, size, features, true, err);
}

static void free_elems(wmodule *m)
{
    for (uint32_t i = 0; i < m->nelems; i++) {
        free(m->elems[i].func_indices);
        free(m->elems[i].exprs);
    }
    free(m->elems);
}

void wmodule_free(wmodule *m)
{
    if (!m)
        return;
    for (uint32_t i = 0; i < m->ntypes; i++)
        free(m->types[i].types);
    free(m->types);
    free(m->imports);
    free(m->func_types);
    free(m->tables);
    free(m->memories);
    free(m->globals);
    free(m->tag_types);
    free(m->exports);
    free_elems(m);
    free(m->datas);
    for (uint32_t i = 0; i < m->ncodes; i++)
        free(m->codes[i].local_types);
    free(m->codes);
    free(m->func_names);
    free(m->customs);
    if (!m->bytes_borrowed)
        free(m->bytes);
    free(m);
}
