/*
 * Helpers shared by the files of src/runtime only (the interpreter sees
 * runtime.h).  Object constructors register what they create with the store,
 * so a failure half-way through instantiation never leaks: the store frees
 * everything it owns.
 */
#ifndef WARD_RUNTIME_INTERNAL_H
#define WARD_RUNTIME_INTERNAL_H

#include "runtime.h"

/* Store ownership lists (see wstore_own_func in runtime.h). */
bool wstore_own_instance(ward_store *s, ward_instance *inst);
bool wstore_own_memory(ward_store *s, ward_memory *m);
bool wstore_own_table(ward_store *s, ward_table *t);
bool wstore_own_global(ward_store *s, ward_global *g);

/* Constructors: the object is owned by the store, or NULL on failure
 * (limits beyond the implementation's, or out of memory). */
ward_memory *wmemory_create(ward_store *s, const wmemtype *type);
ward_table *wtable_create(ward_store *s, const wtabletype *type);
ward_global *wglobal_create(ward_store *s, wglobaltype type, const uint64_t bits[2]);

/* config.max_memory_bytes in whole pages. */
uint64_t wmemory_limit_pages(const ward_store *s);

/* Drop a reference (shared memories: freed with the last one). */
void wmemory_destroy(ward_memory *m);
/* Store s now also holds imported memory m: a shared memory gains a
 * reference (it may come from another store or ward_memory_new_shared).
 * False when out of memory. */
bool wmemory_adopt(ward_store *s, ward_memory *m);
void wtable_destroy(ward_table *t);
void wfunc_destroy(ward_func *f);
void winstance_destroy(ward_instance *inst);
/* Run and free ward_instance_set_host_data's entries (host_data.c). */
void winstance_free_host_data(ward_instance *inst);

/* Where imports come from: a linker by names, or (list not NULL) count
 * externs by position. */
typedef struct wimport_source {
    const ward_linker *linker;
    const ward_extern *list;
    size_t count;
} wimport_source;

/* Resolve every import of inst->m from src into inst's index spaces.
 * False with "unknown import ...", "incompatible import type ..." or (by
 * position) "module has N imports, M given" in *err. */
bool wlink_imports(const wimport_source *src, ward_instance *inst, werror *err);

/* The store object (ward_func/table/memory/global) an export refers to. */
void *wexport_object(const ward_instance *inst, const wexport *exp);

/* weval_const, but reporting exhaustion of host memory (deeply nested
 * extended-const expressions) instead of producing zero. */
bool weval_const_checked(const ward_instance *inst, wexpr expr, uint64_t out[2], werror *err);

/* Copy a name into a new NUL-terminated string; NULL when out of memory. */
char *wname_dup(const char *ptr, size_t len);

#endif
