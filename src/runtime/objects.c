/* Host-created store objects (functions, tables, globals) and their accessors. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Copy the public type into f's host_type (binary codes) and host_kinds. */
static bool copy_functype(const ward_functype *src, ward_func *f)
{
    size_t n = (size_t)src->nparams + src->nresults;
    for (uint32_t i = 0; i < src->nparams; i++)
        if (!wval_kind_known(src->params[i]))
            return false;
    for (uint32_t i = 0; i < src->nresults; i++)
        if (!wval_kind_known(src->results[i]))
            return false;
    f->host_type.types = wmalloc_array(n, 1);
    f->host_kinds = wmalloc_array(n, sizeof *f->host_kinds);
    if (!f->host_type.types || !f->host_kinds)
        return false;
    f->host_type.nparams = src->nparams;
    f->host_type.nresults = src->nresults;
    for (uint32_t i = 0; i < src->nparams; i++)
        f->host_kinds[i] = src->params[i];
    for (uint32_t i = 0; i < src->nresults; i++)
        f->host_kinds[src->nparams + i] = src->results[i];
    for (size_t i = 0; i < n; i++)
        f->host_type.types[i] = (uint8_t)f->host_kinds[i];
    return true;
}

void wfunc_destroy(ward_func *f)
{
    if (!f)
        return;
    free(f->host_type.types);
    free(f->host_kinds);
    free(f);
}

ward_func *ward_func_new(ward_store *store, const ward_functype *type, ward_host_fn fn, void *env)
{
    if (!store || !type || !fn)
        return NULL;
    ward_func *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    if (!copy_functype(type, f) || !wstore_own_func(store, f)) {
        wfunc_destroy(f);
        return NULL;
    }
    f->type = &f->host_type;
    f->kinds = f->host_kinds;
    f->store = store;
    f->host_fn = fn;
    f->host_env = env;
    return f;
}

void ward_func_type(const ward_func *f, ward_functype *out)
{
    out->nparams = f->type->nparams;
    out->nresults = f->type->nresults;
    out->params = f->kinds;
    out->results = f->kinds + f->type->nparams;
}

/* ---- tables ---------------------------------------------------------- */

ward_table *wtable_create(ward_store *s, const wtabletype *type)
{
    const wlimits *lim = &type->limits;
    uint32_t limit = s->engine->config.max_table_elems;
    if (lim->min > limit || (lim->has_max && lim->max < lim->min) || lim->max > UINT32_MAX)
        return NULL;
    ward_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->store = s;
    /* calloc: all-zero bits are NULL, the null reference, on every target we support. */
    t->elems = wcalloc((size_t)lim->min, sizeof *t->elems);
    t->size = (uint32_t)lim->min;
    t->has_max = lim->has_max;
    t->declared_max = lim->has_max ? (uint32_t)lim->max : 0;
    t->max = lim->has_max && lim->max < limit ? (uint32_t)lim->max : limit;
    t->elemtype = type->elemtype;
    if (!t->elems || !wstore_own_table(s, t)) {
        wtable_destroy(t);
        return NULL;
    }
    return t;
}

void wtable_destroy(ward_table *t)
{
    if (!t)
        return;
    free(t->elems);
    free(t);
}

int64_t wtable_grow(ward_table *t, uint64_t delta, wref init)
{
    uint32_t old = t->size;
    if (delta > (uint64_t)(t->max - old))
        return -1;
    uint32_t new_size = old + (uint32_t)delta;
    if (delta != 0) {
        wref *elems = wrealloc_array(t->elems, new_size, sizeof *elems);
        if (!elems)
            return -1;
        t->elems = elems;
        for (uint32_t i = old; i < new_size; i++)
            elems[i] = init;
        t->size = new_size;
    }
    return old;
}

ward_table *ward_table_new(ward_store *store, ward_valkind elem, uint32_t min, uint32_t max, bool has_max)
{
    if (!store || (elem != WARD_FUNCREF && elem != WARD_EXTERNREF))
        return NULL;
    wtabletype type = {.elemtype = (uint8_t)elem, .limits = {.min = min, .max = max, .has_max = has_max}};
    return wtable_create(store, &type);
}

uint32_t ward_table_size(const ward_table *t)
{
    return t->size;
}

/* ---- globals --------------------------------------------------------- */

ward_global *wglobal_create(ward_store *s, wglobaltype type, const uint64_t bits[2])
{
    ward_global *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->store = s;
    g->type = type.valtype;
    g->mutable_ = type.mutable_;
    g->val[0] = bits[0];
    g->val[1] = bits[1];
    if (!wstore_own_global(s, g)) {
        free(g);
        return NULL;
    }
    return g;
}

/* A funcref of another store would dangle once that store is freed. */
ward_global *ward_global_new(ward_store *store, ward_val value, bool mutable_)
{
    if (!store || !wval_kind_known(value.kind) || !wval_of_store(store, value))
        return NULL;
    uint64_t bits[2];
    wval_to_bits(value, bits);
    wglobaltype type = {.valtype = (uint8_t)value.kind, .mutable_ = mutable_};
    return wglobal_create(store, type, bits);
}

ward_val ward_global_get(const ward_global *g)
{
    return wval_from_bits(g->type, g->val);
}

/* Only mutable globals change, and only to a value of their own type (a
 * funcref: of their own store). */
ward_result ward_global_set(ward_global *g, ward_val v)
{
    if (!g || !g->mutable_ || (uint8_t)v.kind != g->type || !wval_of_store(g->store, v))
        return WARD_ERROR;
    wval_to_bits(v, g->val);
    return WARD_OK;
}

/* ---- guest memory for host code ---------------------------------------- */

uint8_t *ward_memory_span(ward_memory *m, uint64_t ptr, uint64_t len)
{
    if (!m || ptr > m->size || len > m->size - ptr)
        return NULL;
    return m->data + ptr;
}
