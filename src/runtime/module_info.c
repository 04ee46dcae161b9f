/*
 * Module introspection beyond names (module.c lists those): the types of
 * imports and exports, custom sections, and loading a module from a file.
 * Everything here only reads the immutable module, so it is safe from any
 * number of threads at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../host/file.h"
#include "internal.h"

/* The public view of type index t; arrays owned by the module. */
static ward_functype functype_of(const ward_module *mod, uint32_t t)
{
    const wfunctype *ft = &mod->m->types[t];
    const ward_valkind *kinds = mod->type_kinds[t];
    return (ward_functype){ft->nparams, ft->nresults, kinds, kinds + ft->nparams};
}

static ward_tabletype tabletype_of(const wtabletype *t)
{
    return (ward_tabletype){(ward_valkind)t->elemtype, t->limits.min, t->limits.has_max ? t->limits.max : 0,
                            t->limits.has_max};
}

static ward_memorytype memorytype_of(const wmemtype *t)
{
    return (ward_memorytype){t->limits.min, t->limits.has_max ? t->limits.max : 0, t->limits.has_max,
                             t->limits.shared, t->limits.is64};
}

static ward_globaltype globaltype_of(wglobaltype t)
{
    return (ward_globaltype){(ward_valkind)t.valtype, t.mutable_};
}

bool ward_module_import_type(const ward_module *mod, uint32_t i, ward_externtype *out)
{
    memset(out, 0, sizeof *out);
    if (!mod || i >= mod->m->nimports)
        return false;
    const wimport *imp = &mod->m->imports[i];
    out->kind = (ward_extern_kind)imp->kind;
    switch (imp->kind) {
    case WEXT_FUNC:
        out->of.func = functype_of(mod, imp->desc.type_index);
        break;
    case WEXT_TABLE:
        out->of.table = tabletype_of(&imp->desc.table);
        break;
    case WEXT_MEMORY:
        out->of.memory = memorytype_of(&imp->desc.memory);
        break;
    case WEXT_GLOBAL:
        out->of.global = globaltype_of(imp->desc.global);
        break;
    case WEXT_TAG:
        out->of.tag = functype_of(mod, imp->desc.type_index);
        break;
    }
    return true;
}

/* Export index spaces include the imports, so an export of an imported
 * object reports the import's declared type. */
bool ward_module_export_type(const ward_module *mod, uint32_t i, ward_externtype *out)
{
    memset(out, 0, sizeof *out);
    if (!mod || i >= mod->m->nexports)
        return false;
    const wmodule *m = mod->m;
    const wexport *exp = &m->exports[i];
    out->kind = (ward_extern_kind)exp->kind;
    switch (exp->kind) {
    case WEXT_FUNC:
        out->of.func = functype_of(mod, m->func_types[exp->index]);
        break;
    case WEXT_TABLE:
        out->of.table = tabletype_of(&m->tables[exp->index]);
        break;
    case WEXT_MEMORY:
        out->of.memory = memorytype_of(&m->memories[exp->index]);
        break;
    case WEXT_GLOBAL:
        out->of.global = globaltype_of(m->globals[exp->index].type);
        break;
    case WEXT_TAG:
        out->of.tag = functype_of(mod, m->tag_types[exp->index]);
        break;
    }
    return true;
}

/* ---- custom sections ------------------------------------------------------ */

uint32_t ward_module_custom_count(const ward_module *mod)
{
    return mod ? mod->m->ncustoms : 0;
}

bool ward_module_custom_at(const ward_module *mod, uint32_t i, const char **name, size_t *name_len,
                           const uint8_t **data, size_t *len)
{
    if (!mod || i >= mod->m->ncustoms)
        return false;
    const wcustom *c = &mod->m->customs[i];
    if (name)
        *name = c->name.ptr;
    if (name_len)
        *name_len = c->name.len;
    if (data)
        *data = mod->m->bytes + c->data_offset;
    if (len)
        *len = c->data_len;
    return true;
}

bool ward_module_custom_section(const ward_module *mod, const char *name, uint32_t index, const uint8_t **data,
                                size_t *len)
{
    if (!mod || !name)
        return false;
    size_t name_len = strlen(name);
    for (uint32_t i = 0; i < mod->m->ncustoms; i++) {
        const wcustom *c = &mod->m->customs[i];
        if (c->name.len != name_len || memcmp(c->name.ptr, name, name_len) != 0)
            continue;
        if (index-- == 0)
            return ward_module_custom_at(mod, i, NULL, NULL, data, len);
    }
    return false;
}

/* ---- loading from a file ---------------------------------------------------- */

ward_module *ward_module_from_file(ward_engine *engine, const char *path, ward_error *err)
{
    werror e = {0};
    if (!path) {
        werror_set(&e, "no file name");
        werror_report(&e, WARD_STAGE_ARGUMENT, err);
        return NULL;
    }
    size_t size = 0;
    uint8_t *bytes = wfile_read(path, &size, &e);
    if (!bytes) {
        werror_report(&e, WARD_STAGE_READ, err);
        return NULL;
    }
    ward_error load_err = {0};
    ward_module *mod = ward_module_new(engine, bytes, size, &load_err);
    free(bytes);
    if (!mod && err) {
        *err = load_err;
        /* Two steps so a long path truncates the message instead of
         * tripping gcc's -Wformat-truncation on one bounded snprintf. */
        int n = snprintf(err->message, sizeof err->message, "%s: ", path);
        if (n >= 0 && (size_t)n < sizeof err->message)
            snprintf(err->message + n, sizeof err->message - (size_t)n, "%s", load_err.message);
    }
    return mod;
}
