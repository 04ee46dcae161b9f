/* Modules: decode -> validate -> translate, and the import/export listings. */
#include <stdlib.h>
#include <string.h>

#include "../validator/validate.h"
#include "internal.h"

char *wname_dup(const char *ptr, size_t len)
{
    size_t size;
    if (!wsize_add(len, 1, &size))
        return NULL;
    char *s = malloc(size);
    if (!s)
        return NULL;
    if (len)
        memcpy(s, ptr, len);
    s[len] = '\0';
    return s;
}

static void free_strings(char **list, uint32_t n)
{
    if (!list)
        return;
    for (uint32_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

static char **dup_import_names(const wmodule *m, bool module_part)
{
    char **list = wcalloc(m->nimports, sizeof *list);
    for (uint32_t i = 0; list && i < m->nimports; i++) {
        wname n = module_part ? m->imports[i].module : m->imports[i].name;
        if (!(list[i] = wname_dup(n.ptr, n.len))) {
            free_strings(list, i);
            return NULL;
        }
    }
    return list;
}

static char **dup_export_names(const wmodule *m)
{
    char **list = wcalloc(m->nexports, sizeof *list);
    for (uint32_t i = 0; list && i < m->nexports; i++) {
        if (!(list[i] = wname_dup(m->exports[i].name.ptr, m->exports[i].name.len))) {
            free_strings(list, i);
            return NULL;
        }
    }
    return list;
}

/* The public ward_functype view of every type: ward_valkind per entry. */
static ward_valkind **make_type_kinds(const wmodule *m)
{
    ward_valkind **all = wcalloc(m->ntypes, sizeof *all);
    for (uint32_t t = 0; all && t < m->ntypes; t++) {
        const wfunctype *ft = &m->types[t];
        size_t n = (size_t)ft->nparams + ft->nresults;
        all[t] = wmalloc_array(n, sizeof **all);
        if (!all[t]) {
            for (uint32_t k = 0; k < t; k++)
                free(all[k]);
            free(all);
            return NULL;
        }
        for (size_t i = 0; i < n; i++)
            all[t][i] = (ward_valkind)ft->types[i];
    }
    return all;
}

static bool fill_listings(ward_module *mod, werror *err)
{
    const wmodule *m = mod->m;
    mod->import_module_names = dup_import_names(m, true);
    mod->import_names = dup_import_names(m, false);
    mod->export_names = dup_export_names(m);
    mod->type_kinds = make_type_kinds(m);
    if (!mod->import_module_names || !mod->import_names || !mod->export_names || !mod->type_kinds)
        return werror_set(err, "out of memory");
    return true;
}

static ward_module *module_new(ward_engine *engine, const uint8_t *bytes, size_t size, bool borrow,
                               ward_error *err)
{
    werror e = {0};
    ward_module *mod = NULL;
    wmodule *m = NULL;
    struct wcompiled *compiled = NULL;
    ward_error_stage stage = WARD_STAGE_ARGUMENT;
    if (!engine || (!bytes && size)) {
        werror_set(&e, "no engine or no bytes");
        goto fail;
    }
    if (size > engine->config.max_module_bytes) {
        /* before the decoder copies the bytes */
        werror_set_stage(&e, WARD_STAGE_LIMIT, "module is %zu bytes, over the configured limit of %llu (ward_config.max_module_bytes)",
                   size, (unsigned long long)engine->config.max_module_bytes);
        goto fail;
    }
    stage = WARD_STAGE_DECODE;
    m = borrow ? wdecode_module_borrowed(bytes, size, &engine->features, &e)
               : wdecode_module(bytes, size, &engine->features, &e);
    if (!m)
        goto fail;
    stage = WARD_STAGE_VALIDATE;
    if (!wvalidate_module(m, &e))
        goto fail;
    stage = WARD_STAGE_TRANSLATE;
    compiled = wcompile_module(m, &e);
    if (!compiled)
        goto fail;
    mod = calloc(1, sizeof *mod);
    if (!mod) {
        werror_set(&e, "out of memory");
        goto fail;
    }
    mod->engine = engine;
    mod->m = m;
    mod->compiled = compiled;
    if (!fill_listings(mod, &e))
        goto fail;
    return mod;
fail:
    werror_report(&e, stage, err);
    if (mod)
        ward_module_free(mod);
    else {
        wcompiled_free(compiled);
        wmodule_free(m);
    }
    return NULL;
}

ward_module *ward_module_new(ward_engine *engine, const uint8_t *bytes, size_t size, ward_error *err)
{
    return module_new(engine, bytes, size, false, err);
}

ward_module *ward_module_new_borrowed(ward_engine *engine, const uint8_t *bytes, size_t size,
                                      ward_error *err)
{
    return module_new(engine, bytes, size, true, err);
}

void ward_module_free(ward_module *mod)
{
    if (!mod)
        return;
    wmodule *m = mod->m;
    free_strings(mod->import_module_names, m->nimports);
    free_strings(mod->import_names, m->nimports);
    free_strings(mod->export_names, m->nexports);
    if (mod->type_kinds) {
        for (uint32_t t = 0; t < m->ntypes; t++)
            free(mod->type_kinds[t]);
        free(mod->type_kinds);
    }
    wcompiled_free(mod->compiled); /* before m: its functions point into m */
    wmodule_free(m);
    free(mod);
}

uint32_t ward_module_import_count(const ward_module *mod)
{
    return mod->m->nimports;
}

uint32_t ward_module_export_count(const ward_module *mod)
{
    return mod->m->nexports;
}

void ward_module_import(const ward_module *mod, uint32_t i, ward_import_info *out)
{
    memset(out, 0, sizeof *out);
    if (i >= mod->m->nimports)
        return;
    const wimport *imp = &mod->m->imports[i];
    out->module = mod->import_module_names[i];
    out->module_len = imp->module.len;
    out->name = mod->import_names[i];
    out->name_len = imp->name.len;
    out->kind = (ward_extern_kind)imp->kind;
}

void ward_module_export(const ward_module *mod, uint32_t i, ward_export_info *out)
{
    memset(out, 0, sizeof *out);
    if (i >= mod->m->nexports)
        return;
    const wexport *exp = &mod->m->exports[i];
    out->name = mod->export_names[i];
    out->name_len = exp->name.len;
    out->kind = (ward_extern_kind)exp->kind;
}
