/*
 * The standard wasm.h C API over ward.h: the objects behind its handles.
 * This layer uses only include/ward.h (docs/c-api.md).
 *
 * Every runtime object a wasm.h handle names (wasm_ref_t and the types
 * that convert to it) is a capi_object; a handle IS the object's address,
 * so conversions (wasm_func_as_extern, wasm_ref_as_func, ...) return the
 * same pointer and wasm_xxx_same compares addresses.
 *   - Store objects (functions, globals, tables, memories, instances,
 *     foreign objects) belong to their store: one record per ward object,
 *     found through the store's map, freed with the store.  Their handles
 *     are never freed one by one (wasm_func_delete does nothing), as ward
 *     has no collector to tell when wasm code still holds them.
 *   - Modules and traps are counted: copy adds a reference, delete drops
 *     one, the last frees the object and runs its finalizer.  A store that
 *     needs one alive (a module it instantiated, a trap passed into wasm as
 *     an externref) "pins" it: holds a reference until the store dies.
 */
#ifndef WARD_CAPI_H
#define WARD_CAPI_H

#include <stdatomic.h>

#include "../../include/wasm.h"
#include "../../include/ward.h"

typedef enum capi_kind {
    CAPI_FUNC,
    CAPI_GLOBAL,
    CAPI_TABLE,
    CAPI_MEMORY,
    CAPI_INSTANCE,
    CAPI_FOREIGN,
    CAPI_MODULE,   /* counted */
    CAPI_TRAP,     /* counted */
} capi_kind;

/* The header of every object a wasm_ref_t may point to. */
typedef struct capi_object {
    capi_kind kind;
    wasm_store_t *store;          /* the owning store; a module's: NULL */
    void *ward;                   /* ward_func / _global / _table / _memory /
                                   * _instance; a foreign object: itself */
    void *host_info;
    void (*finalizer)(void *);
} capi_object;

/* A counted object (module or trap): references held by handles and pins. */
typedef struct capi_counted {
    capi_object base;
    atomic_size_t refs;
} capi_counted;

/* A function made by wasm_func_new[_with_env]: the ward host function's env. */
typedef struct capi_host_func {
    capi_object base;
    wasm_func_callback_t callback;
    wasm_func_callback_with_env_t callback_env;
    void *env;
    void (*env_finalizer)(void *);
} capi_host_func;

/* A pointer-keyed open-addressing map (no removals: records die with the store). */
typedef struct capi_map {
    void **keys;
    capi_object **values;
    size_t cap, count;            /* cap is 0 or a power of two */
} capi_map;

capi_object *capi_map_get(const capi_map *map, const void *key);
bool capi_map_put(capi_map *map, void *key, capi_object *value);
void capi_map_free(capi_map *map);

struct wasm_config_t {
    ward_config config;
};

struct wasm_engine_t {
    ward_engine *ward;
};

struct wasm_store_t {
    wasm_engine_t *engine;
    ward_store *ward;
    capi_map objects;             /* ward object (or foreign) -> its record */
    capi_object **records;        /* the same records in creation order: */
    size_t nrecords, cap_records; /* finalizers run in it */
    capi_map pins;                /* counted object -> itself, one reference each */
    /* The trap the innermost host callback returned, kept so that the
     * call that reports it returns the same object with its full message
     * (ward's trap record carries 255 bytes); consumed by that call. */
    wasm_trap_t *pending_trap;
};

struct wasm_module_t {
    capi_counted counted;
    wasm_engine_t *engine;
    ward_module *ward;            /* reads bytes (ward_module_new_borrowed) */
    uint8_t *bytes;               /* the validated binary: serialization */
    size_t size;
};

struct wasm_frame_t {
    wasm_instance_t *instance;
    uint32_t func_index;
    size_t func_offset;
    size_t module_offset;
};

struct wasm_trap_t {
    capi_counted counted;
    wasm_message_t message;       /* NUL-terminated, the NUL counted */
    wasm_frame_vec_t trace;       /* innermost first */
};

/* ---- store.c ---------------------------------------------------------- */

/* The record of ward object `ward` (kind) in store s, made on first use;
 * NULL when out of memory (or ward is NULL). */
capi_object *capi_wrap(wasm_store_t *s, capi_kind kind, void *ward);
/* Register a record made by the caller (host functions, foreign objects):
 * false when out of memory (the caller frees it). */
bool capi_adopt(wasm_store_t *s, capi_object *obj);
/* Counted objects: add / drop a reference (the last frees it). */
void capi_retain(capi_object *obj);
void capi_release(capi_object *obj);
/* s holds a reference to counted obj until it is deleted (once per object). */
bool capi_pin(wasm_store_t *s, capi_object *obj);
bool capi_is_counted(const capi_object *obj);

/* ---- values.c --------------------------------------------------------- */

/* wasm.h kinds <-> ward kinds; false for a kind the other side lacks. */
bool capi_kind_to_ward(wasm_valkind_t kind, ward_valkind *out);
wasm_valkind_t capi_kind_from_ward(ward_valkind kind);
/* A wasm.h value as a ward value for store s: false for an unknown kind
 * or a reference s may not hold (an object of another store). */
bool capi_val_to_ward(wasm_store_t *s, const wasm_val_t *v, ward_val *out);
/* A ward value of store s as a wasm.h value; a reference is an own one.
 * False when out of memory (*out is then a null reference). */
bool capi_val_from_ward(wasm_store_t *s, ward_val v, wasm_val_t *out);

/* ---- traps.c ---------------------------------------------------------- */

/* A new trap with message bytes (NUL added when missing); NULL when out of memory. */
wasm_trap_t *capi_trap_new(wasm_store_t *s, const char *message, size_t len);
/* The trap a ward call reported: the pending host trap if ward's record
 * says a host function trapped, else a new one; frames from *t. */
wasm_trap_t *capi_trap_from_ward(wasm_store_t *s, const ward_trap *t);
void capi_trap_free(wasm_trap_t *trap);

/* ---- types.c ---------------------------------------------------------- */

wasm_functype_t *capi_functype_from_ward(const ward_functype *ft);
wasm_globaltype_t *capi_globaltype_from_ward(const ward_globaltype *g);
wasm_tabletype_t *capi_tabletype_from_ward(const ward_tabletype *t);
wasm_memorytype_t *capi_memorytype_from_ward(const ward_memorytype *m);
/* NULL for a tag (exceptions), which wasm.h cannot describe. */
wasm_externtype_t *capi_externtype_from_ward(const ward_externtype *xt);

/* ---- module.c --------------------------------------------------------- */

void capi_module_free(wasm_module_t *m);

#endif
