/*
 * Host access to store objects with the guest's semantics: table.get/set/
 * grow, memory.grow, the current type of a table, memory or global, and
 * an instance's exports by position.  The standard wasm.h layer
 * (src/capi) stands on these; any embedder may.
 */
#include <string.h>

#include "internal.h"

static ward_val ref_val(uint8_t elemtype, wref r)
{
    ward_val v;
    memset(&v, 0, sizeof v);
    v.kind = (ward_valkind)elemtype;
    if (elemtype == WT_FUNCREF)
        v.of.funcref = r;
    else
        v.of.externref = r;
    return v;
}

/* The reference v holds, when a table of t's kind in t's store may hold it. */
static bool ref_for_table(const ward_table *t, ward_val v, wref *out)
{
    if ((uint8_t)v.kind != t->elemtype || !wval_of_store(t->store, v))
        return false;
    *out = v.kind == WARD_FUNCREF ? (wref)v.of.funcref : v.of.externref;
    return true;
}

ward_result ward_table_get(const ward_table *t, uint32_t index, ward_val *out)
{
    if (!t || !out || index >= t->size)
        return WARD_ERROR;
    *out = ref_val(t->elemtype, t->elems[index]);
    return WARD_OK;
}

ward_result ward_table_set(ward_table *t, uint32_t index, ward_val v)
{
    wref r;
    if (!t || index >= t->size || !ref_for_table(t, v, &r))
        return WARD_ERROR;
    t->elems[index] = r;
    return WARD_OK;
}

int64_t ward_table_grow(ward_table *t, uint32_t delta, ward_val init)
{
    wref r;
    if (!t || !ref_for_table(t, init, &r))
        return -1;
    return wtable_grow(t, delta, r);
}

void ward_table_type(const ward_table *t, ward_tabletype *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!t)
        return;
    *out = (ward_tabletype){(ward_valkind)t->elemtype, t->size, t->has_max ? t->declared_max : 0, t->has_max};
}

int64_t ward_memory_grow(ward_memory *m, uint64_t delta_pages)
{
    return m ? wmemory_grow(m, delta_pages) : -1;
}

void ward_memory_type(const ward_memory *m, ward_memorytype *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!m)
        return;
    out->min_pages = wmemory_size(m) / WPAGE_SIZE;
    out->has_max = m->has_max;
    out->max_pages = m->has_max ? m->declared_max_pages : 0;
    out->shared = m->shared;
    out->is64 = m->is64;
}

void ward_global_type(const ward_global *g, ward_globaltype *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (g)
        *out = (ward_globaltype){(ward_valkind)g->type, g->mutable_};
}

bool ward_instance_export(ward_instance *inst, uint32_t i, ward_extern *out)
{
    if (!out)
        return false;
    memset(out, 0, sizeof *out);
    if (!inst || i >= inst->m->nexports)
        return false;
    const wexport *exp = &inst->m->exports[i];
    void *object = wexport_object(inst, exp);
    out->kind = (ward_extern_kind)exp->kind;
    switch (exp->kind) {
    case WEXT_FUNC:
        out->of.func = object;
        break;
    case WEXT_TABLE:
        out->of.table = object;
        break;
    case WEXT_MEMORY:
        out->of.memory = object;
        break;
    case WEXT_GLOBAL:
        out->of.global = object;
        break;
    case WEXT_TAG:
        out->of.tag = object;
        break;
    }
    return true;
}

const ward_module *ward_instance_module(const ward_instance *inst)
{
    return inst ? inst->module : NULL;
}
