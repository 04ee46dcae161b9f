/*
 * Type representations: value, function, global, table, memory, extern,
 * import and export types.  Plain owned data, independent of any store.
 * The four extern types begin with a wasm_externtype_t, so the conversions
 * to and from it return the same pointer (borrowed, as wasm.h says).
 */
#include <stdlib.h>
#include <string.h>

#include "capi.h"

struct wasm_valtype_t {
    wasm_valkind_t kind;
};

struct wasm_externtype_t {
    wasm_externkind_t kind;
};

struct wasm_functype_t {
    wasm_externtype_t ext;
    wasm_valtype_vec_t params, results;
};

struct wasm_globaltype_t {
    wasm_externtype_t ext;
    wasm_valtype_t *content;
    wasm_mutability_t mutability;
};

struct wasm_tabletype_t {
    wasm_externtype_t ext;
    wasm_valtype_t *element;
    wasm_limits_t limits;
};

struct wasm_memorytype_t {
    wasm_externtype_t ext;
    wasm_limits_t limits;
};

struct wasm_importtype_t {
    wasm_name_t module, name;
    wasm_externtype_t *type;
};

struct wasm_exporttype_t {
    wasm_name_t name;
    wasm_externtype_t *type;
};

/* ---- value types ------------------------------------------------------- */

wasm_valtype_t *wasm_valtype_new(wasm_valkind_t kind)
{
    wasm_valtype_t *t = malloc(sizeof *t);
    if (t)
        t->kind = kind;
    return t;
}

wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t *t)
{
    return t->kind;
}

void wasm_valtype_delete(wasm_valtype_t *t)
{
    free(t);
}

wasm_valtype_t *wasm_valtype_copy(const wasm_valtype_t *t)
{
    return wasm_valtype_new(t->kind);
}

/* ---- function types ---------------------------------------------------- */

/* Takes the vectors' contents (the caller's vectors are left empty). */
wasm_functype_t *wasm_functype_new(wasm_valtype_vec_t *params, wasm_valtype_vec_t *results)
{
    wasm_functype_t *t = malloc(sizeof *t);
    if (!t) {
        wasm_valtype_vec_delete(params);
        wasm_valtype_vec_delete(results);
        return NULL;
    }
    t->ext.kind = WASM_EXTERN_FUNC;
    t->params = *params;
    t->results = *results;
    wasm_valtype_vec_new_empty(params);
    wasm_valtype_vec_new_empty(results);
    return t;
}

const wasm_valtype_vec_t *wasm_functype_params(const wasm_functype_t *t)
{
    return &t->params;
}

const wasm_valtype_vec_t *wasm_functype_results(const wasm_functype_t *t)
{
    return &t->results;
}

void wasm_functype_delete(wasm_functype_t *t)
{
    if (!t)
        return;
    wasm_valtype_vec_delete(&t->params);
    wasm_valtype_vec_delete(&t->results);
    free(t);
}

wasm_functype_t *wasm_functype_copy(const wasm_functype_t *t)
{
    wasm_valtype_vec_t params, results;
    wasm_valtype_vec_copy(&params, &t->params);
    wasm_valtype_vec_copy(&results, &t->results);
    if (params.size != t->params.size || results.size != t->results.size) {
        wasm_valtype_vec_delete(&params);
        wasm_valtype_vec_delete(&results);
        return NULL;
    }
    return wasm_functype_new(&params, &results);
}

static bool valtypes_from_ward(wasm_valtype_vec_t *out, const ward_valkind *kinds, uint32_t n)
{
    wasm_valtype_vec_new_uninitialized(out, n);
    if (out->size != n)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (!(out->data[i] = wasm_valtype_new(capi_kind_from_ward(kinds[i]))))
            return false;
    return true;
}

wasm_functype_t *capi_functype_from_ward(const ward_functype *ft)
{
    wasm_valtype_vec_t params, results;
    bool ok = valtypes_from_ward(&params, ft->params, ft->nparams);
    ok = valtypes_from_ward(&results, ft->results, ft->nresults) && ok;
    if (!ok) {
        wasm_valtype_vec_delete(&params);
        wasm_valtype_vec_delete(&results);
        return NULL;
    }
    return wasm_functype_new(&params, &results);
}

/* ---- global, table and memory types ------------------------------------ */

wasm_globaltype_t *wasm_globaltype_new(wasm_valtype_t *content, wasm_mutability_t mutability)
{
    wasm_globaltype_t *t = content ? malloc(sizeof *t) : NULL;
    if (!t) {
        wasm_valtype_delete(content);
        return NULL;
    }
    *t = (wasm_globaltype_t){{WASM_EXTERN_GLOBAL}, content, mutability};
    return t;
}

const wasm_valtype_t *wasm_globaltype_content(const wasm_globaltype_t *t)
{
    return t->content;
}

wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t *t)
{
    return t->mutability;
}

void wasm_globaltype_delete(wasm_globaltype_t *t)
{
    if (!t)
        return;
    wasm_valtype_delete(t->content);
    free(t);
}

wasm_globaltype_t *wasm_globaltype_copy(const wasm_globaltype_t *t)
{
    return wasm_globaltype_new(wasm_valtype_copy(t->content), t->mutability);
}

wasm_tabletype_t *wasm_tabletype_new(wasm_valtype_t *element, const wasm_limits_t *limits)
{
    wasm_tabletype_t *t = element ? malloc(sizeof *t) : NULL;
    if (!t) {
        wasm_valtype_delete(element);
        return NULL;
    }
    *t = (wasm_tabletype_t){{WASM_EXTERN_TABLE}, element, *limits};
    return t;
}

const wasm_valtype_t *wasm_tabletype_element(const wasm_tabletype_t *t)
{
    return t->element;
}

const wasm_limits_t *wasm_tabletype_limits(const wasm_tabletype_t *t)
{
    return &t->limits;
}

void wasm_tabletype_delete(wasm_tabletype_t *t)
{
    if (!t)
        return;
    wasm_valtype_delete(t->element);
    free(t);
}

wasm_tabletype_t *wasm_tabletype_copy(const wasm_tabletype_t *t)
{
    return wasm_tabletype_new(wasm_valtype_copy(t->element), &t->limits);
}

wasm_memorytype_t *wasm_memorytype_new(const wasm_limits_t *limits)
{
    wasm_memorytype_t *t = malloc(sizeof *t);
    if (t)
        *t = (wasm_memorytype_t){{WASM_EXTERN_MEMORY}, *limits};
    return t;
}

const wasm_limits_t *wasm_memorytype_limits(const wasm_memorytype_t *t)
{
    return &t->limits;
}

void wasm_memorytype_delete(wasm_memorytype_t *t)
{
    free(t);
}

wasm_memorytype_t *wasm_memorytype_copy(const wasm_memorytype_t *t)
{
    return wasm_memorytype_new(&t->limits);
}

/* ward's 64-bit limits in wasm.h's 32-bit ones (memory64 sizes saturate). */
static wasm_limits_t limits_from_ward(uint64_t min, bool has_max, uint64_t max)
{
    wasm_limits_t l = {min > UINT32_MAX ? UINT32_MAX : (uint32_t)min, wasm_limits_max_default};
    if (has_max)
        l.max = max > UINT32_MAX ? UINT32_MAX : (uint32_t)max;
    return l;
}

wasm_globaltype_t *capi_globaltype_from_ward(const ward_globaltype *g)
{
    return wasm_globaltype_new(wasm_valtype_new(capi_kind_from_ward(g->kind)), g->mutable_ ? WASM_VAR : WASM_CONST);
}

wasm_tabletype_t *capi_tabletype_from_ward(const ward_tabletype *t)
{
    wasm_limits_t l = limits_from_ward(t->min, t->has_max, t->max);
    return wasm_tabletype_new(wasm_valtype_new(capi_kind_from_ward(t->elem)), &l);
}

wasm_memorytype_t *capi_memorytype_from_ward(const ward_memorytype *m)
{
    wasm_limits_t l = limits_from_ward(m->min_pages, m->has_max, m->max_pages);
    return wasm_memorytype_new(&l);
}

/* ---- extern types ------------------------------------------------------ */

wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t *t)
{
    return t->kind;
}

void wasm_externtype_delete(wasm_externtype_t *t)
{
    if (!t)
        return;
    switch (t->kind) {
    case WASM_EXTERN_FUNC:
        wasm_functype_delete(wasm_externtype_as_functype(t));
        break;
    case WASM_EXTERN_GLOBAL:
        wasm_globaltype_delete(wasm_externtype_as_globaltype(t));
        break;
    case WASM_EXTERN_TABLE:
        wasm_tabletype_delete(wasm_externtype_as_tabletype(t));
        break;
    case WASM_EXTERN_MEMORY:
        wasm_memorytype_delete(wasm_externtype_as_memorytype(t));
        break;
    }
}

wasm_externtype_t *wasm_externtype_copy(const wasm_externtype_t *t)
{
    switch (t->kind) {
    case WASM_EXTERN_FUNC:
        return (wasm_externtype_t *)wasm_functype_copy(wasm_externtype_as_functype_const(t));
    case WASM_EXTERN_GLOBAL:
        return (wasm_externtype_t *)wasm_globaltype_copy(wasm_externtype_as_globaltype_const(t));
    case WASM_EXTERN_TABLE:
        return (wasm_externtype_t *)wasm_tabletype_copy(wasm_externtype_as_tabletype_const(t));
    case WASM_EXTERN_MEMORY:
        return (wasm_externtype_t *)wasm_memorytype_copy(wasm_externtype_as_memorytype_const(t));
    }
    return NULL;
}

/* name_as_externtype[_const] and externtype_as_name[_const] for one kind. */
#define CAPI_EXTERNTYPE_CASTS(name, KIND)                                                        \
    wasm_externtype_t *wasm_##name##_as_externtype(wasm_##name##_t *t)                           \
    {                                                                                            \
        return t ? &t->ext : NULL;                                                               \
    }                                                                                            \
    const wasm_externtype_t *wasm_##name##_as_externtype_const(const wasm_##name##_t *t)         \
    {                                                                                            \
        return t ? &t->ext : NULL;                                                               \
    }                                                                                            \
    wasm_##name##_t *wasm_externtype_as_##name(wasm_externtype_t *t)                             \
    {                                                                                            \
        return t && t->kind == KIND ? (wasm_##name##_t *)t : NULL;                               \
    }                                                                                            \
    const wasm_##name##_t *wasm_externtype_as_##name##_const(const wasm_externtype_t *t)         \
    {                                                                                            \
        return t && t->kind == KIND ? (const wasm_##name##_t *)t : NULL;                         \
    }

CAPI_EXTERNTYPE_CASTS(functype, WASM_EXTERN_FUNC)
CAPI_EXTERNTYPE_CASTS(globaltype, WASM_EXTERN_GLOBAL)
CAPI_EXTERNTYPE_CASTS(tabletype, WASM_EXTERN_TABLE)
CAPI_EXTERNTYPE_CASTS(memorytype, WASM_EXTERN_MEMORY)

/* NULL for a tag (exceptions), which wasm.h cannot describe. */
wasm_externtype_t *capi_externtype_from_ward(const ward_externtype *xt)
{
    switch (xt->kind) {
    case WARD_EXTERN_FUNC:
        return wasm_functype_as_externtype(capi_functype_from_ward(&xt->of.func));
    case WARD_EXTERN_GLOBAL:
        return wasm_globaltype_as_externtype(capi_globaltype_from_ward(&xt->of.global));
    case WARD_EXTERN_TABLE:
        return wasm_tabletype_as_externtype(capi_tabletype_from_ward(&xt->of.table));
    case WARD_EXTERN_MEMORY:
        return wasm_memorytype_as_externtype(capi_memorytype_from_ward(&xt->of.memory));
    case WARD_EXTERN_TAG:
        break;
    }
    return NULL;
}

/* ---- import and export types ------------------------------------------ */

wasm_importtype_t *wasm_importtype_new(wasm_name_t *module, wasm_name_t *name, wasm_externtype_t *type)
{
    wasm_importtype_t *t = type ? malloc(sizeof *t) : NULL;
    if (!t) {
        wasm_name_delete(module);
        wasm_name_delete(name);
        wasm_externtype_delete(type);
        return NULL;
    }
    *t = (wasm_importtype_t){*module, *name, type};
    wasm_name_new_empty(module);
    wasm_name_new_empty(name);
    return t;
}

const wasm_name_t *wasm_importtype_module(const wasm_importtype_t *t)
{
    return &t->module;
}

const wasm_name_t *wasm_importtype_name(const wasm_importtype_t *t)
{
    return &t->name;
}

const wasm_externtype_t *wasm_importtype_type(const wasm_importtype_t *t)
{
    return t->type;
}

void wasm_importtype_delete(wasm_importtype_t *t)
{
    if (!t)
        return;
    wasm_name_delete(&t->module);
    wasm_name_delete(&t->name);
    wasm_externtype_delete(t->type);
    free(t);
}

wasm_importtype_t *wasm_importtype_copy(const wasm_importtype_t *t)
{
    wasm_name_t module, name;
    wasm_name_copy(&module, &t->module);
    wasm_name_copy(&name, &t->name);
    return wasm_importtype_new(&module, &name, wasm_externtype_copy(t->type));
}

wasm_exporttype_t *wasm_exporttype_new(wasm_name_t *name, wasm_externtype_t *type)
{
    wasm_exporttype_t *t = type ? malloc(sizeof *t) : NULL;
    if (!t) {
        wasm_name_delete(name);
        wasm_externtype_delete(type);
        return NULL;
    }
    *t = (wasm_exporttype_t){*name, type};
    wasm_name_new_empty(name);
    return t;
}

const wasm_name_t *wasm_exporttype_name(const wasm_exporttype_t *t)
{
    return &t->name;
}

const wasm_externtype_t *wasm_exporttype_type(const wasm_exporttype_t *t)
{
    return t->type;
}

void wasm_exporttype_delete(wasm_exporttype_t *t)
{
    if (!t)
        return;
    wasm_name_delete(&t->name);
    wasm_externtype_delete(t->type);
    free(t);
}

wasm_exporttype_t *wasm_exporttype_copy(const wasm_exporttype_t *t)
{
    wasm_name_t name;
    wasm_name_copy(&name, &t->name);
    return wasm_exporttype_new(&name, wasm_externtype_copy(t->type));
}
