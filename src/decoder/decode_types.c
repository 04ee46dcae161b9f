/*
 * Sections that declare things: type, import, function, table, memory,
 * global, export and start.  Index spaces list imports first, so the import
 * section seeds m->func_types / tables / memories / globals and the
 * definition sections extend them.
 */
#include "decode_internal.h"

#include <string.h>

/* Every vector entry takes at least one byte, so a count beyond the bytes
 * left is refused before allocating.  (Tighter per-kind minimums would fail
 * earlier but mask the more precise error the entry itself would give.) */
enum { MIN_ENTRY_SIZE = 1 };

enum { FUNCTYPE_FORM = 0x60 };
enum { LIMITS_HAS_MAX = 0x01, LIMITS_SHARED = 0x02, LIMITS_64 = 0x04 };

/* Reads `count` value types, leaving them in the module bytes at *first. */
static bool decode_valtype_vec(wdecoder *d, uint32_t *count, const uint8_t **first)
{
    if (!wdec_count(d, count, 1))
        return false;
    *first = d->r.p;
    for (uint32_t i = 0; i < *count; i++) {
        uint8_t t;
        if (!wdec_valtype(d, &t))
            return false;
    }
    return true;
}

static bool decode_functype(wdecoder *d, wfunctype *ft)
{
    uint32_t at = wreader_offset(&d->r);
    uint8_t form;
    const uint8_t *params, *results;
    if (!wdec_byte(d, &form))
        return false;
    if (form & 0x80) /* the form is an s7: a continuation bit makes it too long */
        return wdec_fail_at(d, at, "integer representation too long");
    if (form != FUNCTYPE_FORM)
        return wdec_fail_at(d, at, "malformed function type (form 0x%02x)", form);
    if (!decode_valtype_vec(d, &ft->nparams, &params) || !decode_valtype_vec(d, &ft->nresults, &results))
        return false;
    /* Both counts were checked against the input size, so the sum fits. */
    size_t n = (size_t)ft->nparams + ft->nresults;
    ft->types = wdec_alloc(d, n, 1);
    if (!ft->types)
        return false;
    memcpy(ft->types, params, ft->nparams);
    memcpy(ft->types + ft->nparams, results, ft->nresults);
    return true;
}

bool wdec_type_section(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t count;
    if (!wdec_count(d, &count, MIN_ENTRY_SIZE))
        return false;
    m->types = wdec_alloc(d, count, sizeof *m->types);
    if (!m->types)
        return false;
    m->ntypes = count;
    for (uint32_t i = 0; i < count; i++) {
        d->entry = i;
        if (!decode_functype(d, &m->types[i]))
            return false;
    }
    d->entry = -1;
    return true;
}

/* Flags a disabled proposal defines are malformed to Wasm 2.0; say which
   feature would accept them, since an embedder may just have left it off. */
static const char *limits_flags_hint(uint8_t refused)
{
    if (refused == LIMITS_SHARED)
        return "; a shared memory needs the threads feature";
    if (refused == LIMITS_64)
        return "; a 64-bit memory needs the memory64 proposal, which is off (ward_config.memory64)";
    return "";
}

static bool decode_limits(wdecoder *d, wlimits *out, uint8_t allowed_flags)
{
    uint32_t at = wreader_offset(&d->r);
    uint8_t flags;
    if (!wdec_byte(d, &flags))
        return false;
    /* The flags are a one-byte LEB128, hence the spec's wording. */
    if (flags & 0x80)
        return wdec_fail_at(d, at, "integer representation too long (limits flags 0x%02x)", flags);
    if (flags & ~allowed_flags)
        return wdec_fail_at(d, at, "integer too large (malformed limits flags 0x%02x%s)", flags,
                            limits_flags_hint(flags & ~allowed_flags));
    out->has_max = flags & LIMITS_HAS_MAX;
    out->shared = flags & LIMITS_SHARED;
    out->is64 = flags & LIMITS_64;
    if (out->is64)
        return wdec_u64(d, &out->min) && (!out->has_max || wdec_u64(d, &out->max));
    uint32_t min, max = 0;
    if (!wdec_u32(d, &min) || (out->has_max && !wdec_u32(d, &max)))
        return false;
    out->min = min;
    out->max = max;
    return true;
}

bool wdec_tabletype(wdecoder *d, wtabletype *out)
{
    return wdec_reftype(d, &out->elemtype) && decode_limits(d, &out->limits, LIMITS_HAS_MAX);
}

bool wdec_memtype(wdecoder *d, wmemtype *out)
{
    uint8_t allowed = LIMITS_HAS_MAX;
    if (d->features->threads)
        allowed |= LIMITS_SHARED;
    if (d->features->memory64)
        allowed |= LIMITS_64;
    return decode_limits(d, &out->limits, allowed);
}

bool wdec_globaltype(wdecoder *d, wglobaltype *out)
{
    if (!wdec_valtype(d, &out->valtype))
        return false;
    uint32_t at = wreader_offset(&d->r);
    uint8_t mut;
    if (!wdec_byte(d, &mut))
        return false;
    if (mut > 1)
        return wdec_fail_at(d, at, "malformed mutability 0x%02x", mut);
    out->mutable_ = mut == 1;
    return true;
}

static bool decode_import(wdecoder *d, wimport *im)
{
    if (!wdec_name(d, &im->module) || !wdec_name(d, &im->name))
        return false;
    uint32_t at = wreader_offset(&d->r);
    if (!wdec_byte(d, &im->kind))
        return false;
    switch (im->kind) {
    case WEXT_FUNC:
        return wdec_u32(d, &im->desc.type_index);
    case WEXT_TABLE:
        return wdec_tabletype(d, &im->desc.table);
    case WEXT_MEMORY:
        return wdec_memtype(d, &im->desc.memory);
    case WEXT_GLOBAL:
        return wdec_globaltype(d, &im->desc.global);
    case WEXT_TAG:
        if (d->features->exceptions)
            return wdec_tagtype(d, &im->desc.type_index);
        return wdec_fail_at(d, at, "malformed import kind 0x%02x", im->kind);
    default:
        return wdec_fail_at(d, at, "malformed import kind 0x%02x", im->kind);
    }
}

/* The function-count load limit, checked before the index space (and
 * everything sized by it later) is allocated. */
static bool check_function_count(wdecoder *d, uint64_t total)
{
    uint32_t max = d->features->max_functions;
    if (max && total > max) {
        wdec_fail(d, "module has %llu functions, over the configured limit of %u (ward_config.max_functions)",
                  (unsigned long long)total, (unsigned)max);
        d->err->stage = WARD_STAGE_LIMIT; /* a configured cap, not a malformed module */
        return false;
    }
    return true;
}

/* Seed the index spaces with the imports, in import order. */
static bool seed_index_spaces(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t counts[WEXT_COUNT] = {0};
    for (uint32_t i = 0; i < m->nimports; i++)
        counts[m->imports[i].kind]++;
    if (!check_function_count(d, counts[WEXT_FUNC]))
        return false;
    m->func_types = wdec_alloc(d, counts[WEXT_FUNC], sizeof *m->func_types);
    m->tables = wdec_alloc(d, counts[WEXT_TABLE], sizeof *m->tables);
    m->memories = wdec_alloc(d, counts[WEXT_MEMORY], sizeof *m->memories);
    m->globals = wdec_alloc(d, counts[WEXT_GLOBAL], sizeof *m->globals);
    m->tag_types = wdec_alloc(d, counts[WEXT_TAG], sizeof *m->tag_types);
    if (!m->func_types || !m->tables || !m->memories || !m->globals || !m->tag_types)
        return false;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wimport *im = &m->imports[i];
        switch (im->kind) {
        case WEXT_FUNC:
            m->func_types[m->nfuncs++] = im->desc.type_index;
            break;
        case WEXT_TABLE:
            m->tables[m->ntables++] = im->desc.table;
            break;
        case WEXT_MEMORY:
            m->memories[m->nmemories++] = im->desc.memory;
            break;
        case WEXT_TAG:
            m->tag_types[m->ntags++] = im->desc.type_index;
            break;
        default:
            m->globals[m->nglobals++].type = im->desc.global;
            break;
        }
    }
    m->nimported_funcs = m->nfuncs;
    m->nimported_tables = m->ntables;
    m->nimported_memories = m->nmemories;
    m->nimported_globals = m->nglobals;
    m->nimported_tags = m->ntags;
    return true;
}

bool wdec_import_section(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t count;
    if (!wdec_count(d, &count, MIN_ENTRY_SIZE))
        return false;
    m->imports = wdec_alloc(d, count, sizeof *m->imports);
    if (!m->imports)
        return false;
    for (uint32_t i = 0; i < count; i++) {
        d->entry = i;
        if (!decode_import(d, &m->imports[i]))
            return false;
        m->nimports = i + 1;
    }
    d->entry = -1;
    return seed_index_spaces(d);
}

/* Room for `count` more entries after the `*have` imported ones. */
static bool extend_space(wdecoder *d, void **array, uint32_t have, uint32_t count, size_t elem_size)
{
    if (count > UINT32_MAX - have)
        return wdec_fail(d, "too many entries");
    return wdec_extend(d, array, have, (size_t)have + count, elem_size);
}

bool wdec_function_section(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t count;
    if (!wdec_count(d, &count, 1) || !check_function_count(d, (uint64_t)m->nfuncs + count) ||
        !extend_space(d, (void **)&m->func_types, m->nfuncs, count, sizeof(uint32_t)))
        return false;
    for (uint32_t i = 0; i < count; i++) {
        d->entry = i;
        if (!wdec_u32(d, &m->func_types[m->nfuncs]))
            return false;
        m->nfuncs++;
    }
    d->entry = -1;
    return true;
}

bool wdec_table_section(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t count;
    if (!wdec_count(d, &count, MIN_ENTRY_SIZE) ||
        !extend_space(d, (void **)&m->tables, m->ntables, count, sizeof *m->tables))
        return false;
    for (uint32_t i = 0; i < count; i++) {
        d->entry = i;
        if (!wdec_tabletype(d, &m->tables[m->ntables]))
            return false;
        m->ntables++;
    }
    d->entry = -1;
    return true;
}

bool wdec_memory_section(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t count;
    if (!wdec_count(d, &count, MIN_ENTRY_SIZE) ||
        !extend_space(d, (void **)&m->memories, m->nmemories, count, sizeof *m->memories))
        return false;
    for (uint32_t i = 0; i < count; i++) {
        d->entry = i;
        if (!wdec_memtype(d, &m->memories[m->nmemories]))
            return false;
        m->nmemories++;
    }
    d->entry = -1;
    return true;
}

bool wdec_global_section(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t count;
    if (!wdec_count(d, &count, MIN_ENTRY_SIZE) ||
        !extend_space(d, (void **)&m->globals, m->nglobals, count, sizeof *m->globals))
        return false;
    for (uint32_t i = 0; i < count; i++) {
        wglobal *g = &m->globals[m->nglobals];
        d->entry = i;
        if (!wdec_globaltype(d, &g->type) || !wdec_expr(d, &g->init))
            return false;
        m->nglobals++;
    }
    d->entry = -1;
    return true;
}

static bool decode_export(wdecoder *d, wexport *ex)
{
    if (!wdec_name(d, &ex->name))
        return false;
    uint32_t at = wreader_offset(&d->r);
    if (!wdec_byte(d, &ex->kind))
        return false;
    if (ex->kind > (d->features->exceptions ? WEXT_TAG : WEXT_GLOBAL))
        return wdec_fail_at(d, at, "malformed export kind 0x%02x", ex->kind);
    return wdec_u32(d, &ex->index);
}

bool wdec_export_section(wdecoder *d)
{
    wmodule *m = d->m;
    uint32_t count;
    if (!wdec_count(d, &count, MIN_ENTRY_SIZE))
        return false;
    m->exports = wdec_alloc(d, count, sizeof *m->exports);
    if (!m->exports)
        return false;
    m->nexports = count;
    for (uint32_t i = 0; i < count; i++) {
        d->entry = i;
        if (!decode_export(d, &m->exports[i]))
            return false;
    }
    d->entry = -1;
    return true;
}

bool wdec_start_section(wdecoder *d)
{
    d->m->has_start = true;
    return wdec_u32(d, &d->m->start);
}
