/*
 * Globals, tables, memories, the extern view of all four, and instances.
 * Each is a record of its store (capi.h) around the ward object, and each
 * operation is one ward.h call.
 */
#include <stdlib.h>
#include <string.h>

#include "capi.h"

static void *ward_of(const void *handle)
{
    return ((const capi_object *)handle)->ward;
}

static wasm_store_t *store_of(const void *handle)
{
    return ((const capi_object *)handle)->store;
}

/* ---- globals ----------------------------------------------------------- */

wasm_global_t *wasm_global_new(wasm_store_t *s, const wasm_globaltype_t *type, const wasm_val_t *val)
{
    ward_val v;
    if (!s || !type || !val || val->kind != wasm_valtype_kind(wasm_globaltype_content(type)) ||
        !capi_val_to_ward(s, val, &v))
        return NULL;
    ward_global *g = ward_global_new(s->ward, v, wasm_globaltype_mutability(type) == WASM_VAR);
    return (wasm_global_t *)capi_wrap(s, CAPI_GLOBAL, g);
}

wasm_globaltype_t *wasm_global_type(const wasm_global_t *g)
{
    ward_globaltype t;
    ward_global_type(ward_of(g), &t);
    return capi_globaltype_from_ward(&t);
}

void wasm_global_get(const wasm_global_t *g, wasm_val_t *out)
{
    capi_val_from_ward(store_of(g), ward_global_get(ward_of(g)), out);
}

/* Ignored for an immutable global or a value of another type (wasm.h has
 * no way to say so). */
void wasm_global_set(wasm_global_t *g, const wasm_val_t *val)
{
    ward_val v;
    if (val && capi_val_to_ward(store_of(g), val, &v))
        ward_global_set(ward_of(g), v);
}

/* ---- tables ------------------------------------------------------------ */

/* A reference for a table of element kind elem (NULL: the null one). */
static bool table_ref(wasm_store_t *s, ward_valkind elem, wasm_ref_t *ref, ward_val *out)
{
    wasm_val_t v = {.kind = elem == WARD_FUNCREF ? WASM_FUNCREF : WASM_EXTERNREF, .of.ref = ref};
    return capi_val_to_ward(s, &v, out);
}

static ward_valkind table_elem(const wasm_table_t *t)
{
    ward_tabletype tt;
    ward_table_type(ward_of(t), &tt);
    return tt.elem;
}

wasm_table_t *wasm_table_new(wasm_store_t *s, const wasm_tabletype_t *type, wasm_ref_t *init)
{
    ward_valkind elem;
    if (!s || !type || !capi_kind_to_ward(wasm_valtype_kind(wasm_tabletype_element(type)), &elem))
        return NULL;
    const wasm_limits_t *l = wasm_tabletype_limits(type);
    bool has_max = l->max != wasm_limits_max_default;
    ward_val v;
    if (!table_ref(s, elem, init, &v))
        return NULL;
    ward_table *t = ward_table_new(s->ward, elem, l->min, has_max ? l->max : 0, has_max);
    for (uint32_t i = 0; t && init && i < l->min; i++)
        ward_table_set(t, i, v);
    return (wasm_table_t *)capi_wrap(s, CAPI_TABLE, t);
}

wasm_tabletype_t *wasm_table_type(const wasm_table_t *t)
{
    ward_tabletype tt;
    ward_table_type(ward_of(t), &tt);
    return capi_tabletype_from_ward(&tt);
}

/* NULL for a null element or an index past the end. */
wasm_ref_t *wasm_table_get(const wasm_table_t *t, wasm_table_size_t index)
{
    ward_val v;
    wasm_val_t out;
    if (ward_table_get(ward_of(t), index, &v) != WARD_OK || !capi_val_from_ward(store_of(t), v, &out))
        return NULL;
    return out.of.ref;
}

bool wasm_table_set(wasm_table_t *t, wasm_table_size_t index, wasm_ref_t *ref)
{
    ward_val v;
    return table_ref(store_of(t), table_elem(t), ref, &v) && ward_table_set(ward_of(t), index, v) == WARD_OK;
}

wasm_table_size_t wasm_table_size(const wasm_table_t *t)
{
    return ward_table_size(ward_of(t));
}

bool wasm_table_grow(wasm_table_t *t, wasm_table_size_t delta, wasm_ref_t *init)
{
    ward_val v;
    return table_ref(store_of(t), table_elem(t), init, &v) && ward_table_grow(ward_of(t), delta, v) >= 0;
}

/* ---- memories ---------------------------------------------------------- */

wasm_memory_t *wasm_memory_new(wasm_store_t *s, const wasm_memorytype_t *type)
{
    if (!s || !type)
        return NULL;
    const wasm_limits_t *l = wasm_memorytype_limits(type);
    bool has_max = l->max != wasm_limits_max_default;
    ward_memory *m = ward_memory_new(s->ward, l->min, has_max ? l->max : 0, has_max);
    return (wasm_memory_t *)capi_wrap(s, CAPI_MEMORY, m);
}

wasm_memorytype_t *wasm_memory_type(const wasm_memory_t *m)
{
    ward_memorytype mt;
    ward_memory_type(ward_of(m), &mt);
    return capi_memorytype_from_ward(&mt);
}

byte_t *wasm_memory_data(wasm_memory_t *m)
{
    return (byte_t *)ward_memory_data(ward_of(m));
}

size_t wasm_memory_data_size(const wasm_memory_t *m)
{
    return (size_t)ward_memory_size(ward_of(m));
}

wasm_memory_pages_t wasm_memory_size(const wasm_memory_t *m)
{
    return (wasm_memory_pages_t)(ward_memory_size(ward_of(m)) / MEMORY_PAGE_SIZE);
}

bool wasm_memory_grow(wasm_memory_t *m, wasm_memory_pages_t delta)
{
    return ward_memory_grow(ward_of(m), delta) >= 0;
}

/* ---- externs ----------------------------------------------------------- */

/* capi_kind (CAPI_FUNC .. CAPI_MEMORY) -> wasm_externkind_t, ward's kind. */
static const struct {
    wasm_externkind_t capi;
    ward_extern_kind ward;
} extern_kinds[] = {
    [CAPI_FUNC] = {WASM_EXTERN_FUNC, WARD_EXTERN_FUNC},
    [CAPI_GLOBAL] = {WASM_EXTERN_GLOBAL, WARD_EXTERN_GLOBAL},
    [CAPI_TABLE] = {WASM_EXTERN_TABLE, WARD_EXTERN_TABLE},
    [CAPI_MEMORY] = {WASM_EXTERN_MEMORY, WARD_EXTERN_MEMORY},
};

wasm_externkind_t wasm_extern_kind(const wasm_extern_t *e)
{
    capi_kind kind = ((const capi_object *)e)->kind;
    return kind <= CAPI_MEMORY ? extern_kinds[kind].capi : WASM_EXTERN_FUNC; /* not an extern */
}

wasm_externtype_t *wasm_extern_type(const wasm_extern_t *e)
{
    switch (((const capi_object *)e)->kind) {
    case CAPI_FUNC:
        return wasm_functype_as_externtype(wasm_func_type((const wasm_func_t *)e));
    case CAPI_GLOBAL:
        return wasm_globaltype_as_externtype(wasm_global_type((const wasm_global_t *)e));
    case CAPI_TABLE:
        return wasm_tabletype_as_externtype(wasm_table_type((const wasm_table_t *)e));
    case CAPI_MEMORY:
        return wasm_memorytype_as_externtype(wasm_memory_type((const wasm_memory_t *)e));
    default:
        return NULL;
    }
}

/* name_as_extern[_const] and extern_as_name[_const]: the same pointer. */
#define CAPI_EXTERN_CASTS(name, KIND)                                                    \
    wasm_extern_t *wasm_##name##_as_extern(wasm_##name##_t *x)                           \
    {                                                                                    \
        return (wasm_extern_t *)x;                                                       \
    }                                                                                    \
    const wasm_extern_t *wasm_##name##_as_extern_const(const wasm_##name##_t *x)         \
    {                                                                                    \
        return (const wasm_extern_t *)x;                                                 \
    }                                                                                    \
    wasm_##name##_t *wasm_extern_as_##name(wasm_extern_t *e)                             \
    {                                                                                    \
        return e && ((capi_object *)e)->kind == KIND ? (wasm_##name##_t *)e : NULL;      \
    }                                                                                    \
    const wasm_##name##_t *wasm_extern_as_##name##_const(const wasm_extern_t *e)         \
    {                                                                                    \
        return e && ((const capi_object *)e)->kind == KIND ? (const wasm_##name##_t *)e  \
                                                           : NULL;                       \
    }

CAPI_EXTERN_CASTS(func, CAPI_FUNC)
CAPI_EXTERN_CASTS(global, CAPI_GLOBAL)
CAPI_EXTERN_CASTS(table, CAPI_TABLE)
CAPI_EXTERN_CASTS(memory, CAPI_MEMORY)

/* ---- instances --------------------------------------------------------- */

/* An object of another store passes: ward refuses it with a message that
 * says so ("import env.f: function belongs to another store"). */
static bool extern_to_ward(const wasm_extern_t *e, ward_extern *out)
{
    const capi_object *o = (const capi_object *)e;
    if (!o || o->kind > CAPI_MEMORY)
        return false;   /* positional binding reports it as an unknown import */
    out->kind = extern_kinds[o->kind].ward;
    switch (o->kind) {
    case CAPI_FUNC:
        out->of.func = o->ward;
        break;
    case CAPI_GLOBAL:
        out->of.global = o->ward;
        break;
    case CAPI_TABLE:
        out->of.table = o->ward;
        break;
    default:
        out->of.memory = o->ward;
        break;
    }
    return true;
}

static wasm_trap_t *link_error(wasm_store_t *s, const char *message)
{
    return capi_trap_new(s, message, strlen(message));
}

/* ward's instantiation with the imports by position; NULL with *trap. */
static ward_instance *instantiate(wasm_store_t *s, const wasm_module_t *m, const wasm_extern_vec_t *imports,
                                  wasm_trap_t **trap)
{
    size_t n = imports ? imports->size : 0;
    ward_extern *list = calloc(n ? n : 1, sizeof *list);
    if (!list || !capi_pin(s, (capi_object *)m)) {
        free(list);
        *trap = link_error(s, "out of host memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        extern_to_ward(imports->data[i], &list[i]);   /* a refused one stays empty */
    ward_instance *inst = NULL;
    ward_error err;
    ward_trap wt;
    ward_result r = ward_instantiate_with(s->ward, m->ward, list, n, &inst, &err, &wt);
    free(list);
    if (r == WARD_ERROR)
        *trap = link_error(s, err.message);
    else if (r == WARD_TRAP)
        *trap = capi_trap_from_ward(s, &wt);
    return inst;
}

wasm_instance_t *wasm_instance_new(wasm_store_t *s, const wasm_module_t *m, const wasm_extern_vec_t *imports,
                                   wasm_trap_t **trap)
{
    wasm_trap_t *t = NULL;
    wasm_instance_t *inst = NULL;
    if (s && m)
        inst = (wasm_instance_t *)capi_wrap(s, CAPI_INSTANCE, instantiate(s, m, imports, &t));
    if (!inst && !t && s)
        t = link_error(s, "out of host memory");
    if (trap)
        *trap = t;
    else if (t)
        wasm_trap_delete(t);
    return inst;
}

/* capi_kind of a ward extern kind (tags have none: -1). */
static int capi_kind_of(ward_extern_kind kind)
{
    for (int k = CAPI_FUNC; k <= CAPI_MEMORY; k++)
        if (extern_kinds[k].ward == kind)
            return k;
    return -1;
}

static void *extern_object(const ward_extern *x)
{
    switch (x->kind) {
    case WARD_EXTERN_FUNC:
        return x->of.func;
    case WARD_EXTERN_GLOBAL:
        return x->of.global;
    case WARD_EXTERN_TABLE:
        return x->of.table;
    case WARD_EXTERN_MEMORY:
        return x->of.memory;
    default:
        return NULL;
    }
}

/* In export order; tags (exceptions) are left out, as wasm_module_exports does. */
void wasm_instance_exports(const wasm_instance_t *instance, wasm_extern_vec_t *out)
{
    wasm_store_t *s = store_of(instance);
    ward_instance *inst = ward_of(instance);
    uint32_t n = ward_module_export_count(ward_instance_module(inst)), kept = 0;
    wasm_extern_vec_new_uninitialized(out, n);
    for (uint32_t i = 0; i < out->size; i++) {
        ward_extern x;
        ward_instance_export(inst, i, &x);
        int kind = capi_kind_of(x.kind);
        if (kind < 0)
            continue;
        capi_object *o = capi_wrap(s, (capi_kind)kind, extern_object(&x));
        if (o)
            out->data[kept++] = (wasm_extern_t *)o;
    }
    out->size = kept;
}
