/*
 * Values between wasm.h and ward.h.  Numbers keep their bits (floats
 * travel as raw bits in ward, so NaN payloads survive).  References: a
 * funcref is the ward_func of a function record; an externref is the
 * address of any record (a foreign object, a function, ... ), so what
 * the host passed in comes back as the same handle.  A counted object
 * (trap, module) passed in as an externref is pinned by the store, which
 * then keeps it alive as long as wasm code might hold it.
 */
#include <string.h>

#include "capi.h"

/* wasm.h's kinds and ward's, side by side. */
static const struct {
    wasm_valkind_t capi;
    ward_valkind ward;
} kinds[] = {
    {WASM_I32, WARD_I32},
    {WASM_I64, WARD_I64},
    {WASM_F32, WARD_F32},
    {WASM_F64, WARD_F64},
    {WASM_EXTERNREF, WARD_EXTERNREF},
    {WASM_FUNCREF, WARD_FUNCREF},
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

/* ward's v128 has no wasm.h kind; its types report this one (docs/c-api.md). */
#define CAPI_KIND_V128 4

bool capi_kind_to_ward(wasm_valkind_t kind, ward_valkind *out)
{
    for (size_t i = 0; i < NKINDS; i++) {
        if (kinds[i].capi == kind) {
            *out = kinds[i].ward;
            return true;
        }
    }
    return false;
}

wasm_valkind_t capi_kind_from_ward(ward_valkind kind)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (kinds[i].ward == kind)
            return kinds[i].capi;
    return CAPI_KIND_V128;
}

/* The externref for reference r held by store s (NULL for a null one). */
static bool externref_of(wasm_store_t *s, capi_object *o, void **out)
{
    *out = o;
    if (!o)
        return true;
    if (capi_is_counted(o))
        return capi_pin(s, o);
    return o->store == s;
}

bool capi_val_to_ward(wasm_store_t *s, const wasm_val_t *v, ward_val *out)
{
    memset(out, 0, sizeof *out);
    if (!capi_kind_to_ward(v->kind, &out->kind))
        return false;
    capi_object *o = (capi_object *)v->of.ref;
    switch (v->kind) {
    case WASM_I32:
        out->of.i32 = (uint32_t)v->of.i32;
        return true;
    case WASM_I64:
        out->of.i64 = (uint64_t)v->of.i64;
        return true;
    case WASM_F32:
        memcpy(&out->of.f32_bits, &v->of.f32, 4);
        return true;
    case WASM_F64:
        memcpy(&out->of.f64_bits, &v->of.f64, 8);
        return true;
    case WASM_FUNCREF:
        if (o && (o->kind != CAPI_FUNC || o->store != s))
            return false;
        out->of.funcref = o ? o->ward : NULL;
        return true;
    case WASM_EXTERNREF:
        return externref_of(s, o, &out->of.externref);
    }
    return false;
}

bool capi_val_from_ward(wasm_store_t *s, ward_val v, wasm_val_t *out)
{
    memset(out, 0, sizeof *out);
    out->kind = capi_kind_from_ward(v.kind);
    switch (v.kind) {
    case WARD_I32:
        out->of.i32 = (int32_t)v.of.i32;
        return true;
    case WARD_I64:
        out->of.i64 = (int64_t)v.of.i64;
        return true;
    case WARD_F32:
        memcpy(&out->of.f32, &v.of.f32_bits, 4);
        return true;
    case WARD_F64:
        memcpy(&out->of.f64, &v.of.f64_bits, 8);
        return true;
    case WARD_FUNCREF:
        if (!v.of.funcref)
            return true;
        out->of.ref = (wasm_ref_t *)capi_wrap(s, CAPI_FUNC, v.of.funcref);
        return out->of.ref != NULL;
    case WARD_EXTERNREF:
        /* every externref in a wasm.h store is a record's address */
        out->of.ref = wasm_ref_copy((wasm_ref_t *)v.of.externref);
        return true;
    case WARD_V128:
        break;
    }
    return false;
}
