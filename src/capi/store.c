/*
 * Configs, engines and stores; the store's records of its objects; and
 * what every reference shares: copy, same, host info with finalizers, and
 * the conversions to and from wasm_ref_t (a handle is its object's address,
 * capi.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include "capi.h"

/* ---- configs and engines ----------------------------------------------- */

/* ward's defaults (docs/c-api.md lists them). */
wasm_config_t *wasm_config_new(void)
{
    wasm_config_t *c = malloc(sizeof *c);
    if (c)
        ward_config_default(&c->config);
    return c;
}

void wasm_config_delete(wasm_config_t *c)
{
    free(c);
}

wasm_engine_t *wasm_engine_new_with_config(wasm_config_t *config)
{
    wasm_engine_t *e = malloc(sizeof *e);
    if (e && !(e->ward = ward_engine_new(config ? &config->config : NULL))) {
        free(e);
        e = NULL;
    }
    wasm_config_delete(config);
    return e;
}

wasm_engine_t *wasm_engine_new(void)
{
    return wasm_engine_new_with_config(NULL);
}

void wasm_engine_delete(wasm_engine_t *e)
{
    if (!e)
        return;
    ward_engine_free(e->ward);
    free(e);
}

/* ---- the pointer map --------------------------------------------------- */

static size_t slot_of(const capi_map *map, const void *key)
{
    uint64_t h = (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (map->cap - 1);
}

capi_object *capi_map_get(const capi_map *map, const void *key)
{
    if (!map->cap)
        return NULL;
    for (size_t i = slot_of(map, key);; i = (i + 1) & (map->cap - 1)) {
        if (map->keys[i] == key)
            return map->values[i];
        if (!map->keys[i])
            return NULL;
    }
}

static void insert(capi_map *map, void *key, capi_object *value)
{
    size_t i = slot_of(map, key);
    while (map->keys[i] && map->keys[i] != key)
        i = (i + 1) & (map->cap - 1);
    if (!map->keys[i])
        map->count++;
    map->keys[i] = key;
    map->values[i] = value;
}

/* Double the capacity (kept at most half full). */
static bool grow(capi_map *map)
{
    size_t cap = map->cap ? map->cap * 2 : 64;
    capi_map bigger = {calloc(cap, sizeof(void *)), calloc(cap, sizeof(capi_object *)), cap, 0};
    if (!bigger.keys || !bigger.values || cap < map->cap) {
        free(bigger.keys);
        free(bigger.values);
        return false;
    }
    for (size_t i = 0; i < map->cap; i++)
        if (map->keys[i])
            insert(&bigger, map->keys[i], map->values[i]);
    capi_map_free(map);
    *map = bigger;
    return true;
}

bool capi_map_put(capi_map *map, void *key, capi_object *value)
{
    if ((map->count + 1) * 2 > map->cap && !grow(map))
        return false;
    insert(map, key, value);
    return true;
}

void capi_map_free(capi_map *map)
{
    free(map->keys);
    free(map->values);
    *map = (capi_map){0};
}

/* ---- stores and their objects ------------------------------------------ */

wasm_store_t *wasm_store_new(wasm_engine_t *engine)
{
    wasm_store_t *s = engine ? calloc(1, sizeof *s) : NULL;
    if (s && !(s->ward = ward_store_new(engine->ward))) {
        free(s);
        s = NULL;
    }
    if (s)
        s->engine = engine;
    return s;
}

/*
 * Finalizers run first, while every object still exists (a finalizer may
 * look at another's host info); then ward frees the store's objects, the
 * records go, and last the counted objects the store pinned (a module
 * outlives the instances made from it).
 */
void wasm_store_delete(wasm_store_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nrecords; i++) {
        capi_object *o = s->records[i];
        if (o->finalizer)
            o->finalizer(o->host_info);
        if (o->kind == CAPI_FUNC && ((capi_host_func *)o)->env_finalizer)
            ((capi_host_func *)o)->env_finalizer(((capi_host_func *)o)->env);
    }
    ward_store_free(s->ward);
    for (size_t i = 0; i < s->nrecords; i++)
        free(s->records[i]);
    free(s->records);
    capi_map_free(&s->objects);
    if (s->pending_trap)
        wasm_trap_delete(s->pending_trap);
    for (size_t i = 0; i < s->pins.cap; i++)
        if (s->pins.keys[i])
            capi_release(s->pins.values[i]);
    capi_map_free(&s->pins);
    free(s);
}

/* Enter record o in the map (under its ward object) and the list. */
static bool remember(wasm_store_t *s, capi_object *o)
{
    if (s->nrecords == s->cap_records) {
        size_t cap = s->cap_records ? s->cap_records * 2 : 64;
        capi_object **records = cap > s->cap_records ? realloc(s->records, cap * sizeof *records) : NULL;
        if (!records)
            return false;
        s->records = records;
        s->cap_records = cap;
    }
    if (!capi_map_put(&s->objects, o->ward, o))
        return false;
    s->records[s->nrecords++] = o;
    return true;
}

capi_object *capi_wrap(wasm_store_t *s, capi_kind kind, void *ward)
{
    if (!ward)
        return NULL;
    capi_object *o = capi_map_get(&s->objects, ward);
    if (o)
        return o;
    /* a ward function's record has room for a host function's fields, so
     * every function record is read the same way */
    o = calloc(1, kind == CAPI_FUNC ? sizeof(capi_host_func) : sizeof *o);
    if (!o)
        return NULL;
    *o = (capi_object){kind, s, ward, NULL, NULL};
    if (!remember(s, o)) {
        free(o);
        return NULL;
    }
    return o;
}

bool capi_adopt(wasm_store_t *s, capi_object *obj)
{
    return remember(s, obj);
}

bool capi_is_counted(const capi_object *obj)
{
    return obj->kind == CAPI_MODULE || obj->kind == CAPI_TRAP;
}

void capi_retain(capi_object *obj)
{
    atomic_fetch_add_explicit(&((capi_counted *)obj)->refs, 1, memory_order_relaxed);
}

void capi_release(capi_object *obj)
{
    capi_counted *c = (capi_counted *)obj;
    if (atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (obj->finalizer)
        obj->finalizer(obj->host_info);
    if (obj->kind == CAPI_MODULE)
        capi_module_free((wasm_module_t *)obj);
    else
        capi_trap_free((wasm_trap_t *)obj);
}

bool capi_pin(wasm_store_t *s, capi_object *obj)
{
    if (capi_map_get(&s->pins, obj))
        return true;
    if (!capi_map_put(&s->pins, obj, obj))
        return false;
    capi_retain(obj);
    return true;
}

/* ---- references: what every kind shares -------------------------------- */

/* A handle to a store object stays valid as long as its store; deleting
 * it does nothing.  Counted objects drop a reference. */
void wasm_ref_delete(wasm_ref_t *r)
{
    capi_object *o = (capi_object *)r;
    if (o && capi_is_counted(o))
        capi_release(o);
}

wasm_ref_t *wasm_ref_copy(const wasm_ref_t *r)
{
    capi_object *o = (capi_object *)r;
    if (o && capi_is_counted(o))
        capi_retain(o);
    return (wasm_ref_t *)o;
}

bool wasm_ref_same(const wasm_ref_t *a, const wasm_ref_t *b)
{
    return a == b;
}

void *wasm_ref_get_host_info(const wasm_ref_t *r)
{
    return r ? ((const capi_object *)r)->host_info : NULL;
}

/* Replacing host info finalizes the previous one (it would leak). */
void wasm_ref_set_host_info_with_finalizer(wasm_ref_t *r, void *info, void (*finalizer)(void *))
{
    capi_object *o = (capi_object *)r;
    if (!o)
        return;
    if (o->finalizer)
        o->finalizer(o->host_info);
    o->host_info = info;
    o->finalizer = finalizer;
}

void wasm_ref_set_host_info(wasm_ref_t *r, void *info)
{
    wasm_ref_set_host_info_with_finalizer(r, info, NULL);
}

/* The REF_BASE functions of `name` forward to wasm_ref_*; its conversions
 * check the kind (pred) and return the same pointer. */
#define CAPI_REF(name, pred)                                                                   \
    void wasm_##name##_delete(wasm_##name##_t *x)                                              \
    {                                                                                          \
        wasm_ref_delete((wasm_ref_t *)x);                                                      \
    }                                                                                          \
    wasm_##name##_t *wasm_##name##_copy(const wasm_##name##_t *x)                              \
    {                                                                                          \
        return (wasm_##name##_t *)wasm_ref_copy((const wasm_ref_t *)x);                        \
    }                                                                                          \
    bool wasm_##name##_same(const wasm_##name##_t *a, const wasm_##name##_t *b)                \
    {                                                                                          \
        return (const void *)a == (const void *)b;                                             \
    }                                                                                          \
    void *wasm_##name##_get_host_info(const wasm_##name##_t *x)                                \
    {                                                                                          \
        return wasm_ref_get_host_info((const wasm_ref_t *)x);                                  \
    }                                                                                          \
    void wasm_##name##_set_host_info(wasm_##name##_t *x, void *info)                           \
    {                                                                                          \
        wasm_ref_set_host_info((wasm_ref_t *)x, info);                                         \
    }                                                                                          \
    void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t *x, void *info,            \
                                                    void (*fin)(void *))                       \
    {                                                                                          \
        wasm_ref_set_host_info_with_finalizer((wasm_ref_t *)x, info, fin);                     \
    }                                                                                          \
    wasm_ref_t *wasm_##name##_as_ref(wasm_##name##_t *x)                                       \
    {                                                                                          \
        return (wasm_ref_t *)x;                                                                \
    }                                                                                          \
    const wasm_ref_t *wasm_##name##_as_ref_const(const wasm_##name##_t *x)                     \
    {                                                                                          \
        return (const wasm_ref_t *)x;                                                          \
    }                                                                                          \
    wasm_##name##_t *wasm_ref_as_##name(wasm_ref_t *r)                                         \
    {                                                                                          \
        const capi_object *o = (const capi_object *)r;                                         \
        return o && (pred) ? (wasm_##name##_t *)r : NULL;                                      \
    }                                                                                          \
    const wasm_##name##_t *wasm_ref_as_##name##_const(const wasm_ref_t *r)                     \
    {                                                                                          \
        const capi_object *o = (const capi_object *)r;                                         \
        return o && (pred) ? (const wasm_##name##_t *)r : NULL;                                \
    }

#define CAPI_IS_EXTERN(o) ((o)->kind <= CAPI_MEMORY)

CAPI_REF(func, o->kind == CAPI_FUNC)
CAPI_REF(global, o->kind == CAPI_GLOBAL)
CAPI_REF(table, o->kind == CAPI_TABLE)
CAPI_REF(memory, o->kind == CAPI_MEMORY)
CAPI_REF(extern, CAPI_IS_EXTERN(o))
CAPI_REF(instance, o->kind == CAPI_INSTANCE)
CAPI_REF(foreign, o->kind == CAPI_FOREIGN)
CAPI_REF(module, o->kind == CAPI_MODULE)
CAPI_REF(trap, o->kind == CAPI_TRAP)

/* ---- foreign objects: host references for externref values ------------ */

wasm_foreign_t *wasm_foreign_new(wasm_store_t *s)
{
    capi_object *o = s ? calloc(1, sizeof *o) : NULL;
    if (!o)
        return NULL;
    *o = (capi_object){CAPI_FOREIGN, s, o, NULL, NULL};
    if (!capi_adopt(s, o)) {
        free(o);
        return NULL;
    }
    return (wasm_foreign_t *)o;
}
