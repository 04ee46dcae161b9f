/*
 * Instantiation in the order of the Wasm 2.0 spec: resolve imports, allocate
 * functions, tables, memories and globals, evaluate element segments, apply
 * active element then data segments (dropping them), run the start function.
 * The instance is registered with the store once its imports resolve and
 * before anything is allocated, so every later failure path just returns:
 * the store frees what was made (objects of a failed instantiation may still
 * be referenced from imported tables, so they must live as long as the store).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void winstance_destroy(ward_instance *inst)
{
    if (!inst)
        return;
    if (inst->elems)
        for (uint32_t i = 0; i < inst->nelems; i++)
            free(inst->elems[i].refs);
    free(inst->elems);
    free(inst->funcs);
    free(inst->tables);
    free(inst->memories);
    free(inst->globals);
    free(inst->tags);
    free(inst->own_tags);
    free(inst->data_dropped);
    winstance_free_host_data(inst);
    free(inst);
}

/* A new instance with empty index spaces, not yet owned by the store. */
static ward_instance *new_instance(ward_store *s, const ward_module *mod)
{
    const wmodule *m = mod->m;
    ward_instance *inst = calloc(1, sizeof *inst);
    if (!inst)
        return NULL;
    inst->store = s;
    inst->module = mod;
    inst->m = m;
    inst->funcs = wcalloc(m->nfuncs, sizeof *inst->funcs);
    inst->tables = wcalloc(m->ntables, sizeof *inst->tables);
    inst->memories = wcalloc(m->nmemories, sizeof *inst->memories);
    inst->globals = wcalloc(m->nglobals, sizeof *inst->globals);
    inst->elems = wcalloc(m->nelems, sizeof *inst->elems);
    inst->nelems = m->nelems;
    inst->data_dropped = wcalloc(m->ndatas, sizeof *inst->data_dropped);
    inst->tags = wcalloc(m->ntags, sizeof *inst->tags);
    inst->own_tags = wcalloc(m->ntags - m->nimported_tags, sizeof *inst->own_tags);
    if (!inst->funcs || !inst->tables || !inst->memories || !inst->globals || !inst->elems ||
        !inst->data_dropped || !inst->tags || !inst->own_tags) {
        winstance_destroy(inst);
        return NULL;
    }
    /* defined tags: new identities (imported ones are bound by the linker) */
    for (uint32_t i = m->nimported_tags; i < m->ntags; i++) {
        ward_tag *tag = &inst->own_tags[i - m->nimported_tags];
        tag->store = s;
        tag->type = &m->types[m->tag_types[i]];
        tag->nslots = 0;
        for (uint32_t p = 0; p < tag->type->nparams; p++)
            tag->nslots += WFUNCTYPE_PARAM(tag->type, p) == WT_V128 ? 2 : 1;
        inst->tags[i] = tag;
    }
    return inst;
}

static bool alloc_funcs(ward_instance *inst)
{
    const wmodule *m = inst->m;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        ward_func *f = calloc(1, sizeof *f);
        if (!f || !wstore_own_func(inst->store, f)) {
            free(f);
            return false;
        }
        f->type = wmodule_func_type(m, i);
        f->kinds = inst->module->type_kinds[m->func_types[i]];
        f->store = inst->store;
        f->inst = inst;
        f->func_index = i;
        f->code = wcompiled_get(inst->module->compiled, i);
        inst->funcs[i] = f;
    }
    return true;
}

static bool alloc_tables_and_memories(ward_instance *inst, werror *err)
{
    const wmodule *m = inst->m;
    uint32_t table_limit = inst->store->engine->config.max_table_elems;
    uint64_t memory_limit = wmemory_limit_pages(inst->store);
    for (uint32_t i = m->nimported_tables; i < m->ntables; i++) {
        if (m->tables[i].limits.min > table_limit)
            return werror_set_stage(err, WARD_STAGE_LIMIT,
                                    "table %u: table minimum exceeds the configured limit (%llu > %u elements)", i,
                                    (unsigned long long)m->tables[i].limits.min, (unsigned)table_limit);
        if (!(inst->tables[i] = wtable_create(inst->store, &m->tables[i])))
            return werror_set(err, "table %u: cannot allocate %llu elements", i,
                              (unsigned long long)m->tables[i].limits.min);
    }
    for (uint32_t i = m->nimported_memories; i < m->nmemories; i++) {
        if (m->memories[i].limits.min > memory_limit)
            return werror_set_stage(err, WARD_STAGE_LIMIT,
                                    "memory %u: memory minimum exceeds the configured limit (%llu > %llu pages)", i,
                                    (unsigned long long)m->memories[i].limits.min, (unsigned long long)memory_limit);
        if (!(inst->memories[i] = wmemory_create(inst->store, &m->memories[i])))
            return werror_set(err, "memory %u: cannot allocate %llu pages", i,
                              (unsigned long long)m->memories[i].limits.min);
    }
    return true;
}

/* In order, so an initialiser may read the globals before it. */
static bool alloc_globals(ward_instance *inst, werror *err)
{
    const wmodule *m = inst->m;
    for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) {
        uint64_t bits[2];
        if (!weval_const_checked(inst, m->globals[i].init, bits, err))
            return false;
        if (!(inst->globals[i] = wglobal_create(inst->store, m->globals[i].type, bits)))
            return werror_set(err, "out of memory");
    }
    return true;
}

static bool eval_elem_items(ward_instance *inst, const welem *seg, welem_inst *out, werror *err)
{
    out->refs = wcalloc(seg->count, sizeof *out->refs);
    if (!out->refs)
        return werror_set(err, "out of memory");
    out->count = seg->count;
    for (uint32_t k = 0; k < seg->count; k++) {
        if (!seg->uses_exprs) {
            out->refs[k] = inst->funcs[seg->func_indices[k]];
            continue;
        }
        uint64_t bits[2];
        if (!weval_const_checked(inst, seg->exprs[k], bits, err))
            return false;
        out->refs[k] = (wref)(uintptr_t)bits[0];
    }
    return true;
}

static bool eval_elems(ward_instance *inst, werror *err)
{
    for (uint32_t i = 0; i < inst->m->nelems; i++)
        if (!eval_elem_items(inst, &inst->m->elems[i], &inst->elems[i], err))
            return false;
    return true;
}

static void drop_elem(welem_inst *e)
{
    free(e->refs);
    e->refs = NULL;
    e->count = 0;
}

static uint32_t eval_offset(const ward_instance *inst, wexpr expr, werror *err, bool *ok)
{
    uint64_t bits[2];
    *ok = weval_const_checked(inst, expr, bits, err);
    return (uint32_t)bits[0];
}

/* table.init + elem.drop of every active segment; declarative ones are only
 * dropped.  Stops at the first out-of-bounds segment, leaving earlier writes. */
static ward_result init_tables(ward_instance *inst, werror *err, ward_trap *trap)
{
    for (uint32_t i = 0; i < inst->m->nelems; i++) {
        const welem *seg = &inst->m->elems[i];
        welem_inst *items = &inst->elems[i];
        if (seg->mode == WSEG_ACTIVE) {
            bool ok;
            uint32_t offset = eval_offset(inst, seg->offset, err, &ok);
            if (!ok)
                return WARD_ERROR;
            ward_table *t = inst->tables[seg->table_index];
            if ((uint64_t)offset + items->count > t->size) {
                wtrap_set(trap, WARD_TRAP_OOB_TABLE);
                return WARD_TRAP;
            }
            if (items->count)
                memcpy(t->elems + offset, items->refs, (size_t)items->count * sizeof *items->refs);
        }
        if (seg->mode != WSEG_PASSIVE)
            drop_elem(items);
    }
    return WARD_OK;
}

/* memory.init + data.drop of every active data segment. */
static ward_result init_memories(ward_instance *inst, werror *err, ward_trap *trap)
{
    const wmodule *m = inst->m;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wdata *seg = &m->datas[i];
        if (seg->mode != WSEG_ACTIVE)
            continue;
        uint64_t bits[2];
        if (!weval_const_checked(inst, seg->offset, bits, err))
            return WARD_ERROR;
        ward_memory *mem = inst->memories[seg->memory_index];
        /* an i64 offset (memory64) is taken whole; an i32 one zero-extended */
        uint64_t offset = mem->is64 ? bits[0] : (uint32_t)bits[0], size = wmemory_size(mem);
        if (offset > size || seg->data_len > size - offset) {
            wtrap_set(trap, WARD_TRAP_OOB_MEMORY);
            return WARD_TRAP;
        }
        if (seg->data_len)
            memcpy(mem->data + offset, m->bytes + seg->data_offset, seg->data_len);
        inst->data_dropped[i] = true;
    }
    return WARD_OK;
}

static ward_result run_start(ward_instance *inst, ward_trap *trap)
{
    if (!inst->m->has_start)
        return WARD_OK;
    return winterp_call(inst->store, inst->funcs[inst->m->start], NULL, NULL, trap);
}

static ward_result build(ward_instance *inst, werror *err, ward_trap *trap)
{
    if (!alloc_funcs(inst))
        return werror_set(err, "out of memory"), WARD_ERROR;
    /* imported shared memories live as long as any store using them */
    for (uint32_t i = 0; i < inst->m->nimported_memories; i++)
        if (!wmemory_adopt(inst->store, inst->memories[i]))
            return werror_set(err, "out of memory"), WARD_ERROR;
    if (!alloc_tables_and_memories(inst, err) || !alloc_globals(inst, err) || !eval_elems(inst, err))
        return WARD_ERROR;
    ward_result r = init_tables(inst, err, trap);
    if (r == WARD_OK)
        r = init_memories(inst, err, trap);
    if (r == WARD_OK)
        r = run_start(inst, trap);
    return r;
}


static ward_result instantiate(ward_store *s, const ward_module *mod, const wimport_source *src,
                               ward_instance **out, ward_error *err, ward_trap *trap)
{
    werror e = {0};
    ward_trap local_trap;
    if (!trap)
        trap = &local_trap;
    wtrap_set(trap, WARD_TRAP_NONE);
    if (out)
        *out = NULL;
    if (!s || !mod) {
        werror_set(&e, "no store or no module");
        werror_report(&e, WARD_STAGE_ARGUMENT, err);
        return WARD_ERROR;
    }
    /* translated for its engine's features and limits */
    if (mod->engine != s->engine) {
        werror_set(&e, "module belongs to another engine");
        werror_report(&e, WARD_STAGE_LINK, err);
        return WARD_ERROR;
    }
    /* Link errors are common (assert_unlinkable), so resolve imports into a
     * scratch instance first and register it only once linking succeeded. */
    ward_instance *inst = new_instance(s, mod);
    if (!inst) {
        werror_set(&e, "out of memory");
        werror_report(&e, WARD_STAGE_INSTANTIATE, err);
        return WARD_ERROR;
    }
    bool linked = wlink_imports(src, inst, &e);
    if (!linked || !wstore_own_instance(s, inst)) {
        if (linked)
            werror_set(&e, "out of memory");
        winstance_destroy(inst);
        werror_report(&e, linked ? WARD_STAGE_INSTANTIATE : WARD_STAGE_LINK, err);
        return WARD_ERROR;
    }
    ward_result r = build(inst, &e, trap);
    if (r == WARD_ERROR)
        werror_report(&e, WARD_STAGE_INSTANTIATE, err);
    else if (r == WARD_OK && out)
        *out = inst;
    return r;
}

ward_result ward_instantiate(ward_store *s, const ward_module *mod, ward_linker *linker, ward_instance **out,
                             ward_error *err, ward_trap *trap)
{
    wimport_source src = {linker, NULL, 0};
    return instantiate(s, mod, &src, out, err, trap);
}

ward_result ward_instantiate_with(ward_store *s, const ward_module *mod, const ward_extern *imports,
                                  size_t nimports, ward_instance **out, ward_error *err, ward_trap *trap)
{
    static const ward_extern none[1];
    /* a non-NULL list selects positional binding, also for zero imports */
    wimport_source src = {NULL, imports ? imports : none, imports ? nimports : 0};
    return instantiate(s, mod, &src, out, err, trap);
}

/* ---- exports ---------------------------------------------------------- */

void *wexport_object(const ward_instance *inst, const wexport *exp)
{
    switch (exp->kind) {
    case WEXT_FUNC:
        return inst->funcs[exp->index];
    case WEXT_TABLE:
        return inst->tables[exp->index];
    case WEXT_MEMORY:
        return inst->memories[exp->index];
    case WEXT_GLOBAL:
        return inst->globals[exp->index];
    case WEXT_TAG:
        return inst->tags[exp->index];
    }
    return NULL;
}

static void *find_export(ward_instance *inst, const char *name, size_t name_len, uint8_t kind)
{
    if (!inst || !name)
        return NULL;
    for (uint32_t i = 0; i < inst->m->nexports; i++) {
        const wexport *exp = &inst->m->exports[i];
        if (exp->kind != kind || exp->name.len != name_len ||
            (name_len && memcmp(exp->name.ptr, name, name_len) != 0))
            continue;
        return wexport_object(inst, exp);
    }
    return NULL;
}

static size_t cstr_len(const char *s)
{
    return s ? strlen(s) : 0;
}

ward_func *ward_instance_func_n(ward_instance *inst, const char *name, size_t name_len)
{
    return find_export(inst, name, name_len, WEXT_FUNC);
}

ward_memory *ward_instance_memory_n(ward_instance *inst, const char *name, size_t name_len)
{
    return find_export(inst, name, name_len, WEXT_MEMORY);
}

ward_table *ward_instance_table_n(ward_instance *inst, const char *name, size_t name_len)
{
    return find_export(inst, name, name_len, WEXT_TABLE);
}

ward_global *ward_instance_global_n(ward_instance *inst, const char *name, size_t name_len)
{
    return find_export(inst, name, name_len, WEXT_GLOBAL);
}

ward_func *ward_instance_func(ward_instance *inst, const char *name)
{
    return find_export(inst, name, cstr_len(name), WEXT_FUNC);
}

ward_memory *ward_instance_memory(ward_instance *inst, const char *name)
{
    return find_export(inst, name, cstr_len(name), WEXT_MEMORY);
}

ward_table *ward_instance_table(ward_instance *inst, const char *name)
{
    return find_export(inst, name, cstr_len(name), WEXT_TABLE);
}

ward_global *ward_instance_global(ward_instance *inst, const char *name)
{
    return find_export(inst, name, cstr_len(name), WEXT_GLOBAL);
}

ward_tag *ward_instance_tag(ward_instance *inst, const char *name)
{
    return find_export(inst, name, cstr_len(name), WEXT_TAG);
}
