/*
 * The linker: (module name, field name) -> extern, and import resolution.
 * Names are stored as (bytes, length) so exports whose names contain NUL,
 * registered through ward_linker_define_instance, still match exactly.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct wlink_entry {
    char *module, *name;
    size_t module_len, name_len;
    ward_extern_kind kind;
    void *object; /* ward_func / ward_table / ward_memory / ward_global / ward_tag */
} wlink_entry;

/* entries in definition order, plus an open-addressed index over them
 * (slot = entry number + 1, 0 empty) so defining and resolving are not a
 * scan of every earlier definition: WASI alone defines 91 names. */
struct ward_linker {
    wlink_entry *entries;
    size_t count, cap;
    uint32_t *slots;
    size_t nslots; /* a power of two, at least twice count; 0 before the first define */
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
    free(l->slots);
    free(l);
}

static bool bytes_equal(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* FNV-1a over the module name, a separator no length can fake, the field name. */
static uint64_t name_hash(const char *module, size_t module_len, const char *name, size_t name_len)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < module_len; i++)
        h = (h ^ (uint8_t)module[i]) * 1099511628211u;
    h = (h ^ (uint64_t)module_len) * 1099511628211u;
    for (size_t i = 0; i < name_len; i++)
        h = (h ^ (uint8_t)name[i]) * 1099511628211u;
    return h;
}

/* The index slot holding (module, name), or the empty slot where it would go. */
static uint32_t *slot_of(const ward_linker *l, const char *module, size_t module_len, const char *name,
                         size_t name_len)
{
    size_t mask = l->nslots - 1;
    for (size_t i = name_hash(module, module_len, name, name_len) & mask;; i = (i + 1) & mask) {
        uint32_t *slot = &l->slots[i];
        if (*slot == 0)
            return slot;
        const wlink_entry *e = &l->entries[*slot - 1];
        if (bytes_equal(e->module, e->module_len, module, module_len) &&
            bytes_equal(e->name, e->name_len, name, name_len))
            return slot;
    }
}

static wlink_entry *find(const ward_linker *l, const char *module, size_t module_len, const char *name,
                         size_t name_len)
{
    if (!l || l->nslots == 0)
        return NULL;
    uint32_t slot = *slot_of(l, module, module_len, name, name_len);
    return slot ? &l->entries[slot - 1] : NULL;
}

/* Room in the index for one more entry: rebuilt at twice the size when half full. */
static bool reserve_slot(ward_linker *l)
{
    if (l->count >= UINT32_MAX - 1)
        return false;
    if (2 * (l->count + 1) <= l->nslots)
        return true;
    size_t n = l->nslots ? 2 * l->nslots : 64;
    uint32_t *slots = wcalloc(n, sizeof *slots);
    if (!slots)
        return false;
    free(l->slots);
    l->slots = slots;
    l->nslots = n;
    for (size_t i = 0; i < l->count; i++) {
        const wlink_entry *e = &l->entries[i];
        *slot_of(l, e->module, e->module_len, e->name, e->name_len) = (uint32_t)(i + 1);
    }
    return true;
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
        if (!mcopy || !ncopy || !reserve_slot(l) ||
            !wgrow((void **)&l->entries, &l->cap, l->count + 1, sizeof *l->entries)) {
            free(mcopy);
            free(ncopy);
            return WARD_ERROR;
        }
        *slot_of(l, module, module_len, name, name_len) = (uint32_t)(l->count + 1);
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

ward_result ward_linker_define_tag(ward_linker *l, const char *module, const char *name, ward_tag *t)
{
    if (!module || !name)
        return WARD_ERROR;
    return define(l, module, strlen(module), name, strlen(name), WARD_EXTERN_TAG, t);
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

/* Link errors say what was expected and what was found, e.g.
 *   incompatible import type for env.bar: expected (i32)->i32, got (i64)->i32
 * The text is built in a bounded buffer (truncation is harmless). */
typedef struct wtext {
    char buf[160];
    size_t len;
} wtext;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void text_add(wtext *t, const char *fmt, ...)
{
    if (t->len >= sizeof t->buf - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n < sizeof t->buf - t->len ? (size_t)n : sizeof t->buf - 1 - t->len;
}

/* "(i32, i64)->i32": parameters in parentheses, one result bare, none or
 * several in parentheses. */
static void text_functype(wtext *t, const wfunctype *ft)
{
    text_add(t, "(");
    for (uint32_t i = 0; i < ft->nparams; i++)
        text_add(t, "%s%s", i ? ", " : "", wvaltype_name(WFUNCTYPE_PARAM(ft, i)));
    text_add(t, ")->");
    if (ft->nresults == 1) {
        text_add(t, "%s", wvaltype_name(WFUNCTYPE_RESULT(ft, 0)));
        return;
    }
    text_add(t, "(");
    for (uint32_t i = 0; i < ft->nresults; i++)
        text_add(t, "%s%s", i ? ", " : "", wvaltype_name(WFUNCTYPE_RESULT(ft, i)));
    text_add(t, ")");
}

static void text_global(wtext *t, uint8_t valtype, bool mutable_)
{
    text_add(t, "%s global %s", mutable_ ? "mutable" : "immutable", wvaltype_name(valtype));
}

/* The same for the linker's object. */
static void text_object(wtext *t, ward_extern_kind kind, const void *object)
{
    switch (kind) {
    case WARD_EXTERN_FUNC:
        text_add(t, "function ");
        text_functype(t, ((const ward_func *)object)->type);
        break;
    case WARD_EXTERN_TABLE:
        text_add(t, "%s table", wvaltype_name(((const ward_table *)object)->elemtype));
        break;
    case WARD_EXTERN_MEMORY:
        text_add(t, "%s%smemory", ((const ward_memory *)object)->shared ? "shared " : "",
                 ((const ward_memory *)object)->is64 ? "i64 " : "");
        break;
    case WARD_EXTERN_GLOBAL:
        text_global(t, ((const ward_global *)object)->type, ((const ward_global *)object)->mutable_);
        break;
    case WARD_EXTERN_TAG:
        text_add(t, "tag ");
        text_functype(t, ((const ward_tag *)object)->type);
        break;
    }
}

/* What an import wants, with its kind ("function (i32)->i32", "funcref
 * table", "memory", "mutable global i64"), for kind mismatches. */
static void text_import(wtext *t, const wmodule *m, const wimport *imp)
{
    switch (imp->kind) {
    case WEXT_FUNC:
        text_add(t, "function ");
        text_functype(t, &m->types[imp->desc.type_index]);
        break;
    case WEXT_TABLE:
        text_add(t, "%s table", wvaltype_name(imp->desc.table.elemtype));
        break;
    case WEXT_MEMORY:
        text_add(t, "%s%smemory", imp->desc.memory.limits.shared ? "shared " : "",
                 imp->desc.memory.limits.is64 ? "i64 " : "");
        break;
    case WEXT_GLOBAL:
        text_global(t, imp->desc.global.valtype, imp->desc.global.mutable_);
        break;
    case WEXT_TAG:
        text_add(t, "tag ");
        text_functype(t, &m->types[imp->desc.type_index]);
        break;
    }
}

/* "3 pages", "1 page" */
static void text_count(wtext *t, uint64_t n, const char *unit)
{
    text_add(t, "%llu %s%s", (unsigned long long)n, unit, n == 1 ? "" : "s");
}

/* Limits subtyping: the actual object's current size is at least the
 * import's minimum, and when the import declares a maximum the object has one
 * no larger.  On a mismatch, describe it with `what` ("memory") and `unit`
 * ("page"). */
static bool limits_match(uint64_t actual_min, bool actual_has_max, uint64_t actual_max, const wlimits *want,
                         const char *what, const char *unit, wtext *t)
{
    if (actual_min < want->min) {
        text_add(t, "expected %s with at least ", what);
        text_count(t, want->min, unit);
        text_add(t, ", got %llu", (unsigned long long)actual_min);
        return false;
    }
    if (!want->has_max || (actual_has_max && actual_max <= want->max))
        return true;
    text_add(t, "expected %s with at most ", what);
    text_count(t, want->max, unit);
    if (actual_has_max)
        text_add(t, ", got at most %llu", (unsigned long long)actual_max);
    else
        text_add(t, ", got no maximum");
    return false;
}

static bool table_matches(const ward_table *t, const wtabletype *want, wtext *why)
{
    if (t->elemtype != want->elemtype) {
        text_add(why, "expected %s table, got %s table", wvaltype_name(want->elemtype),
                 wvaltype_name(t->elemtype));
        return false;
    }
    return limits_match(t->size, t->has_max, t->declared_max, &want->limits, "table", "element", why);
}

static bool memory_matches(const ward_memory *m, const wmemtype *want, wtext *why)
{
    if (m->shared != want->limits.shared) {
        text_add(why, "expected %s memory, got %s memory", want->limits.shared ? "shared" : "unshared",
                 m->shared ? "shared" : "unshared");
        return false;
    }
    if (m->is64 != want->limits.is64) { /* memory64: the index type is part of the type */
        text_add(why, "expected %s memory, got %s memory", want->limits.is64 ? "i64" : "i32", m->is64 ? "i64" : "i32");
        return false;
    }
    return limits_match(wmemory_size(m) / WPAGE_SIZE, m->has_max, m->declared_max_pages, &want->limits, "memory",
                        "page", why);
}

static bool global_matches(const ward_global *g, const wglobaltype *want, wtext *why)
{
    if (g->type == want->valtype && g->mutable_ == want->mutable_)
        return true;
    text_add(why, "expected ");
    text_global(why, want->valtype, want->mutable_);
    text_add(why, ", got ");
    text_global(why, g->type, g->mutable_);
    return false;
}

static bool func_matches(const ward_func *f, const wfunctype *want, wtext *why)
{
    if (wfunctype_equal(f->type, want))
        return true;
    text_add(why, "expected ");
    text_functype(why, want);
    text_add(why, ", got ");
    text_functype(why, f->type);
    return false;
}

/* Does the linker's object match the import?  If not, *why says how. */
static bool extern_matches(const wmodule *m, const wimport *imp, const wlink_entry *e, wtext *why)
{
    if ((uint8_t)e->kind != imp->kind) {
        text_add(why, "expected ");
        text_import(why, m, imp);
        text_add(why, ", got ");
        text_object(why, e->kind, e->object);
        return false;
    }
    switch (imp->kind) {
    case WEXT_FUNC:
        return func_matches(e->object, &m->types[imp->desc.type_index], why);
    case WEXT_TABLE:
        return table_matches(e->object, &imp->desc.table, why);
    case WEXT_MEMORY:
        return memory_matches(e->object, &imp->desc.memory, why);
    case WEXT_GLOBAL:
        return global_matches(e->object, &imp->desc.global, why);
    case WEXT_TAG:
        /* tag types match exactly, like function types */
        return func_matches(&(ward_func){.type = ((const ward_tag *)e->object)->type},
                            &m->types[imp->desc.type_index], why);
    }
    return false;
}

/* Why store s may not hold the linker's object, or NULL when it may: an
 * object of another store would dangle once that store is freed.  A shared
 * memory belongs to its engine (any of the engine's stores may import it). */
static const char *foreign(const ward_store *s, ward_extern_kind kind, const void *object)
{
    switch (kind) {
    case WARD_EXTERN_FUNC:
        return ((const ward_func *)object)->store == s ? NULL : "function belongs to another store";
    case WARD_EXTERN_TABLE:
        return ((const ward_table *)object)->store == s ? NULL : "table belongs to another store";
    case WARD_EXTERN_MEMORY: {
        const ward_memory *m = object;
        if (m->shared)
            return m->engine == s->engine ? NULL : "shared memory belongs to another engine";
        return m->store == s ? NULL : "memory belongs to another store";
    }
    case WARD_EXTERN_GLOBAL:
        return ((const ward_global *)object)->store == s ? NULL : "global belongs to another store";
    case WARD_EXTERN_TAG:
        return ((const ward_tag *)object)->store == s ? NULL : "tag belongs to another store";
    }
    return "unknown kind of extern";
}

/* Append the resolved object to the instance's index space of its kind. */
static void bind_import(ward_instance *inst, uint8_t kind, void *object, uint32_t counts[WEXT_COUNT])
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
    case WEXT_TAG:
        inst->tags[counts[kind]++] = object;
        break;
    }
}

/* The object of a positional import (ward_instantiate_with), as an entry. */
static const wlink_entry *positional(const ward_extern *x, wlink_entry *scratch)
{
    scratch->kind = x->kind;
    switch (x->kind) {
    case WARD_EXTERN_FUNC:
        scratch->object = x->of.func;
        break;
    case WARD_EXTERN_TABLE:
        scratch->object = x->of.table;
        break;
    case WARD_EXTERN_MEMORY:
        scratch->object = x->of.memory;
        break;
    case WARD_EXTERN_GLOBAL:
        scratch->object = x->of.global;
        break;
    case WARD_EXTERN_TAG:
        scratch->object = x->of.tag;
        break;
    default:
        scratch->object = NULL;
    }
    return scratch->object ? scratch : NULL;
}

bool wlink_imports(const wimport_source *src, ward_instance *inst, werror *err)
{
    const wmodule *m = inst->m;
    uint32_t counts[WEXT_COUNT] = {0};
    if (src->list && src->count != m->nimports)
        return werror_set(err, "module has %u imports, %zu given", (unsigned)m->nimports, src->count);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wimport *imp = &m->imports[i];
        wlink_entry scratch;
        const wlink_entry *e = src->list ? positional(&src->list[i], &scratch)
                                         : find(src->linker, imp->module.ptr, imp->module.len, imp->name.ptr,
                                                imp->name.len);
        if (!e)
            return werror_set(err, "unknown import %.*s.%.*s", (int)imp->module.len, imp->module.ptr,
                              (int)imp->name.len, imp->name.ptr);
        const char *refused = foreign(inst->store, e->kind, e->object);
        if (refused)
            return werror_set(err, "import %.*s.%.*s: %s", (int)imp->module.len, imp->module.ptr,
                              (int)imp->name.len, imp->name.ptr, refused);
        wtext why = {{0}, 0};
        if (!extern_matches(m, imp, e, &why))
            return werror_set(err, "incompatible import type for %.*s.%.*s: %s", (int)imp->module.len,
                              imp->module.ptr, (int)imp->name.len, imp->name.ptr, why.buf);
        bind_import(inst, imp->kind, e->object, counts);
    }
    return true;
}
