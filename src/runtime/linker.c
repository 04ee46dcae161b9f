/*
 * The linker: (module name, field name) -> extern, and import resolution.
 * Names are stored as (bytes, length) so exports whose names contain NUL,
 * registered through ward_linker_define_instance, still match exactly.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct wlink_entry {
    char *module, *name;
    size_t module_len, name_len;
    ward_extern_kind kind;
    void *object; /* ward_func / ward_table / ward_memory / ward_global */
} wlink_entry;

struct ward_linker {
    wlink_entry *entries;
    size_t count, cap;
};

ward_linker *ward_linker_new(void)
{
    return calloc(1, sizeof(ward_linker));
}

void ward_linker_free(ward_linker *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++) {
        free(l->entries[i].module);
        free(l->entries[i].name);
    }
    free(l->entries);
    free(l);
}

static bool bytes_equal(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static wlink_entry *find(const ward_linker *l, const char *module, size_t module_len, const char *name,
                         size_t name_len)
{
    for (size_t i = 0; l && i < l->count; i++) {
        wlink_entry *e = &l->entries[i];
        if (bytes_equal(e->module, e->module_len, module, module_len) &&
            bytes_equal(e->name, e->name_len, name, name_len))
            return e;
    }
    return NULL;
}

/* Add or replace the entry for (module, name). */
static ward_result define(ward_linker *l, const char *module, size_t module_len, const char *name,
                          size_t name_len, ward_extern_kind kind, void *object)
{
    if (!l || !module || !name || !object)
        return WARD_ERROR;
    wlink_entry *e = find(l, module, module_len, name, name_len);
    if (!e) {
        char *mcopy = wname_dup(module, module_len);
        char *ncopy = wname_dup(name, name_len);
        if (!mcopy || !ncopy || !wgrow((void **)&l->entries, &l->cap, l->count + 1, sizeof *l->entries)) {
            free(mcopy);
            free(ncopy);
            return WARD_ERROR;
        }
        e = &l->entries[l->count++];
        *e = (wlink_entry){mcopy, ncopy, module_len, name_len, kind, NULL};
    }
    e->kind = kind;
    e->object = object;
    return WARD_OK;
}

ward_result ward_linker_define_func(ward_linker *l, const char *module, const char *name, ward_func *f)
{
    if (!module || !name)
        return WARD_ERROR;
    return define(l, module, strlen(module), name, strlen(name), WARD_EXTERN_FUNC, f);
}

ward_result ward_linker_define_memory(ward_linker *l, const char *module, const char *name, ward_memory *m)
{
    if (!module || !name)
        return WARD_ERROR;
    return define(l, module, strlen(module), name, strlen(name), WARD_EXTERN_MEMORY, m);
}

ward_result ward_linker_define_table(ward_linker *l, const char *module, const char *name, ward_table *t)
{
    if (!module || !name)
        return WARD_ERROR;
    return define(l, module, strlen(module), name, strlen(name), WARD_EXTERN_TABLE, t);
}

ward_result ward_linker_define_global(ward_linker *l, const char *module, const char *name, ward_global *g)
{
    if (!module || !name)
        return WARD_ERROR;
    return define(l, module, strlen(module), name, strlen(name), WARD_EXTERN_GLOBAL, g);
}


ward_result ward_linker_define_instance(ward_linker *l, const char *module, ward_instance *inst)
{
    if (!module || !inst)
        return WARD_ERROR;
    size_t module_len = strlen(module);
    for (uint32_t i = 0; i < inst->m->nexports; i++) {
        const wexport *exp = &inst->m->exports[i];
        ward_result r = define(l, module, module_len, exp->name.ptr, exp->name.len,
                               (ward_extern_kind)exp->kind, wexport_object(inst, exp));
        if (r != WARD_OK)
            return r;
    }
    return WARD_OK;
}

/* ---- import matching (the spec's "import subtyping") ----------------- */

/* Limits subtyping: the actual object's current size is at least the
 * import's minimum, and when the import declares a maximum the object has one
 * no larger. */
static bool limits_match(uint64_t actual_min, bool actual_has_max, uint64_t actual_max, const wlimits *want)
{
    if (actual_min < want->min)
        return false;
    return !want->has_max || (actual_has_max && actual_max <= want->max);
}

static bool table_matches(const ward_table *t, const wtabletype *want)
{
    return t->elemtype == want->elemtype && limits_match(t->size, t->has_max, t->declared_max, &want->limits);
}

static bool memory_matches(const ward_memory *m, const wmemtype *want)
{
    return m->shared == want->limits.shared &&
           limits_match(m->size / WPAGE_SIZE, m->has_max, m->declared_max_pages, &want->limits);
}

static bool global_matches(const ward_global *g, const wglobaltype *want)
{
    return g->type == want->valtype && g->mutable_ == want->mutable_;
}

static bool extern_matches(const wmodule *m, const wimport *imp, void *object)
{
    switch (imp->kind) {
    case WEXT_FUNC:
        return wfunctype_equal(((ward_func *)object)->type, &m->types[imp->desc.type_index]);
    case WEXT_TABLE:
        return table_matches(object, &imp->desc.table);
    case WEXT_MEMORY:
        return memory_matches(object, &imp->desc.memory);
    case WEXT_GLOBAL:
        return global_matches(object, &imp->desc.global);
    }
    return false;
}

/* Append the resolved object to the instance's index space of its kind. */
static void bind_import(ward_instance *inst, uint8_t kind, void *object, uint32_t counts[4])
{
    switch (kind) {
    case WEXT_FUNC:
        inst->funcs[counts[kind]++] = object;
        break;
    case WEXT_TABLE:
        inst->tables[counts[kind]++] = object;
        break;
    case WEXT_MEMORY:
        inst->memories[counts[kind]++] = object;
        break;
    case WEXT_GLOBAL:
        inst->globals[counts[kind]++] = object;
        break;
    }
}

static const char *const kind_names[] = {"function", "table", "memory", "global"};

bool wlink_imports(const ward_linker *l, ward_instance *inst, werror *err)
{
    const wmodule *m = inst->m;
    uint32_t counts[4] = {0, 0, 0, 0};
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wimport *imp = &m->imports[i];
        const wlink_entry *e = find(l, imp->module.ptr, imp->module.len, imp->name.ptr, imp->name.len);
        if (!e)
            return werror_set(err, "unknown import: \"%.*s\" \"%.*s\"", (int)imp->module.len, imp->module.ptr,
                              (int)imp->name.len, imp->name.ptr);
        if ((uint8_t)e->kind != imp->kind || !extern_matches(m, imp, e->object))
            return werror_set(err, "incompatible import type: \"%.*s\" \"%.*s\" (expected a matching %s)",
                              (int)imp->module.len, imp->module.ptr, (int)imp->name.len, imp->name.ptr,
                              imp->kind < 4 ? kind_names[imp->kind] : "extern");
        bind_import(inst, imp->kind, e->object, counts);
    }
    return true;
}
