/*
 * Module-level validation: index spaces, limits, constant expressions,
 * exports, the start function, segments, and then every function body.
 * Bodies come last because ref.func inside code may only name functions
 * "declared" elsewhere in the module (elements, exports, initializers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

#define MAX_PAGES_32 65536ull
#define MAX_PAGES_64 (1ull << 48)

static bool validate_function_types(wvalidator *v)
{
    const wmodule *m = v->m;
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        if (m->func_types[i] >= m->ntypes) {
            werror_set(v->err, "function %u: unknown type %u", i, m->func_types[i]);
            v->err->func = i;   /* the record says what the message's prefix says */
            return false;
        }
    }
    return true;
}

static bool validate_limits_order(const wlimits *l, werror *err, const char *what, uint32_t i)
{
    if (l->has_max && l->min > l->max)
        return werror_set(err, "%s %u: size minimum must not be greater than maximum", what, i);
    return true;
}

static bool validate_tables(wvalidator *v)
{
    const wmodule *m = v->m;
    for (uint32_t i = 0; i < m->ntables; i++) {
        const wlimits *l = &m->tables[i].limits;
        if (l->min > UINT32_MAX || (l->has_max && l->max > UINT32_MAX))
            return werror_set(v->err, "table %u: table size must be at most 2^32-1", i);
        if (!validate_limits_order(l, v->err, "table", i))
            return false;
    }
    return true;
}

static bool validate_memory(wvalidator *v, uint32_t i)
{
    const wlimits *l = &v->m->memories[i].limits;
    if (l->is64 && !v->m->features.memory64)
        return werror_set(v->err, "memory %u: 64-bit memories not enabled", i);
    uint64_t max_pages = l->is64 ? MAX_PAGES_64 : MAX_PAGES_32;
    if (l->min > max_pages || (l->has_max && l->max > max_pages))
        return werror_set(v->err,
                          l->is64 ? "memory %u: memory size must be at most 2^48 pages"
                                  : "memory %u: memory size must be at most 65536 pages (4GiB)",
                          i);
    if (!validate_limits_order(l, v->err, "memory", i))
        return false;
    if (l->shared && !l->has_max)
        return werror_set(v->err, "memory %u: shared memory must have maximum", i);
    return true;
}

static bool validate_memories(wvalidator *v)
{
    if (v->m->nmemories > 1 && !v->m->features.multi_memory)
        return werror_set(v->err, "memory 1: multiple memories");
    for (uint32_t i = 0; i < v->m->nmemories; i++)
        if (!validate_memory(v, i))
            return false;
    return true;
}

static bool validate_globals(wvalidator *v)
{
    const wmodule *m = v->m;
    char what[32];
    for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) {
        snprintf(what, sizeof what, "global %u", i);
        if (!wvalidate_const_expr(v, &m->globals[i].init, m->globals[i].type.valtype, what))
            return false;
    }
    return true;
}

static bool validate_elem_items(wvalidator *v, const welem *e, const char *what)
{
    for (uint32_t j = 0; j < e->count; j++) {
        if (e->uses_exprs) {
            if (!wvalidate_const_expr(v, &e->exprs[j], e->elemtype, what))
                return false;
            continue;
        }
        if (e->func_indices[j] >= v->m->nfuncs)
            return werror_set(v->err, "%s: unknown function %u", what, e->func_indices[j]);
        wvalidator_declare(v, e->func_indices[j]);
    }
    return true;
}

static bool validate_elem(wvalidator *v, const welem *e, const char *what)
{
    const wmodule *m = v->m;
    if (!wvaltype_is_ref(e->elemtype))
        return werror_set(v->err, "%s: malformed element type", what);
    if (!validate_elem_items(v, e, what))
        return false;
    if (e->mode != WSEG_ACTIVE)
        return true;
    if (e->table_index >= m->ntables)
        return werror_set(v->err, "%s: unknown table %u", what, e->table_index);
    if (m->tables[e->table_index].elemtype != e->elemtype)
        return werror_set(v->err, "%s: type mismatch: %s segment for a %s table", what,
                          wval_type_name(e->elemtype), wval_type_name(m->tables[e->table_index].elemtype));
    return wvalidate_const_expr(v, &e->offset, WT_I32, what);
}

static bool validate_elems(wvalidator *v)
{
    char what[32];
    for (uint32_t i = 0; i < v->m->nelems; i++) {
        snprintf(what, sizeof what, "elem %u", i);
        if (!validate_elem(v, &v->m->elems[i], what))
            return false;
    }
    return true;
}

static bool validate_datas(wvalidator *v)
{
    const wmodule *m = v->m;
    char what[32];
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wdata *d = &m->datas[i];
        if (d->mode != WSEG_ACTIVE)
            continue;
        snprintf(what, sizeof what, "data %u", i);
        if (d->memory_index >= m->nmemories)
            return werror_set(v->err, "%s: unknown memory %u", what, d->memory_index);
        uint8_t at = m->memories[d->memory_index].limits.is64 ? WT_I64 : WT_I32;
        if (!wvalidate_const_expr(v, &d->offset, at, what))
            return false;
    }
    return true;
}

static uint32_t index_space_size(const wmodule *m, uint8_t kind)
{
    switch (kind) {
    case WEXT_FUNC:
        return m->nfuncs;
    case WEXT_TABLE:
        return m->ntables;
    case WEXT_MEMORY:
        return m->nmemories;
    case WEXT_GLOBAL:
        return m->nglobals;
    case WEXT_TAG:
        return m->ntags;
    default:
        return 0;
    }
}

static const char *const extern_kind_names[] = {"function", "table", "memory", "global", "tag"};

static bool validate_export_index(wvalidator *v, const wexport *e)
{
    if (e->kind > (v->m->features.exceptions ? WEXT_TAG : WEXT_GLOBAL))
        return werror_set(v->err, "export \"%.*s\": malformed export kind", (int)e->name.len, e->name.ptr);
    if (e->index >= index_space_size(v->m, e->kind))
        return werror_set(v->err, "export \"%.*s\": unknown %s %u", (int)e->name.len, e->name.ptr,
                          extern_kind_names[e->kind], e->index);
    if (e->kind == WEXT_FUNC)
        wvalidator_declare(v, e->index);
    return true;
}

static int compare_names(const void *pa, const void *pb)
{
    const wname *a = *(const wname *const *)pa, *b = *(const wname *const *)pb;
    uint32_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->ptr, b->ptr, n) : 0;
    if (c != 0)
        return c;
    return a->len < b->len ? -1 : a->len > b->len;
}

static uint32_t name_hash(const wname *n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (uint32_t i = 0; i < n->len; i++)
        h = (h ^ (unsigned char)n->ptr[i]) * 16777619u;
    return h;
}

/* Whether two exports share a name, in O(n) with an open-addressing hash
 * set (the common answer is no; the sort below then names the duplicate
 * exactly as it always has).  True when out of memory: the sort decides. */
static bool may_have_duplicate_names(const wmodule *m)
{
    size_t cap = 16;
    while (cap < (size_t)m->nexports * 2)
        cap *= 2;
    const wname **set = wcalloc(cap, sizeof *set);
    if (!set)
        return true;
    bool dup = false;
    for (uint32_t i = 0; i < m->nexports && !dup; i++) {
        const wname *n = &m->exports[i].name;
        size_t at = name_hash(n) & (cap - 1);
        for (; set[at]; at = (at + 1) & (cap - 1))
            if (set[at]->len == n->len && (n->len == 0 || memcmp(set[at]->ptr, n->ptr, n->len) == 0)) {
                dup = true;
                break;
            }
        set[at] = n;
    }
    free(set);
    return dup;
}

/* Sorting keeps the duplicate check O(n log n) for modules with many
 * exports; a hash set first makes it O(n) when there is none. */
static bool validate_export_names(wvalidator *v)
{
    const wmodule *m = v->m;
    if (m->nexports < 2 || !may_have_duplicate_names(m))
        return true;
    const wname **names = wmalloc_array(m->nexports, sizeof *names);
    if (!names)
        return werror_set(v->err, "out of memory");
    for (uint32_t i = 0; i < m->nexports; i++)
        names[i] = &m->exports[i].name;
    qsort(names, m->nexports, sizeof *names, compare_names);
    bool ok = true;
    for (uint32_t i = 1; i < m->nexports && ok; i++)
        if (compare_names(&names[i - 1], &names[i]) == 0)
            ok = werror_set(v->err, "export \"%.*s\": duplicate export name", (int)names[i]->len,
                            names[i]->ptr);
    free(names);
    return ok;
}

static bool validate_exports(wvalidator *v)
{
    for (uint32_t i = 0; i < v->m->nexports; i++)
        if (!validate_export_index(v, &v->m->exports[i]))
            return false;
    return validate_export_names(v);
}

static bool validate_start(wvalidator *v)
{
    const wmodule *m = v->m;
    if (!m->has_start)
        return true;
    if (m->start >= m->nfuncs)
        return werror_set(v->err, "start: unknown function %u", m->start);
    const wfunctype *ft = wmodule_func_type(m, m->start);
    if (ft->nparams != 0 || ft->nresults != 0)
        return werror_set(v->err, "start: start function must have type [] -> []");
    return true;
}

static bool validate_codes(wvalidator *v)
{
    const wmodule *m = v->m;
    if (m->ncodes != m->nfuncs - m->nimported_funcs)
        return werror_set(v->err, "function and code section have inconsistent lengths");
    for (uint32_t i = 0; i < m->ncodes; i++)
        if (!wvalidate_function(v, i))
            return false;
    return true;
}

/* Each check reads only what the earlier ones made safe to index. */
static bool validate_parts(wvalidator *v)
{
    return validate_function_types(v) && wvalidate_tags(v) && validate_tables(v) && validate_memories(v) && validate_globals(v) &&
           validate_elems(v) && validate_datas(v) && validate_exports(v) && validate_start(v) &&
           validate_codes(v);
}

bool wvalidate_module(const wmodule *m, werror *err)
{
    wvalidator v = {.m = m, .err = err};
    size_t bitmap_bytes = (size_t)m->nfuncs / 8 + 1;
    err->msg[0] = '\0';
    wfast_classes_build(&v);
    v.declared = wcalloc(bitmap_bytes, 1);
    bool ok = v.declared ? validate_parts(&v) : werror_set(err, "out of memory");
    free(v.declared);
    free(v.vals);
    free(v.ctrls);
    winstr_scratch_free(&v.scratch);
    return ok;
}
