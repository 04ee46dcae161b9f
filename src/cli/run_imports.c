/* `ward run --trap-unknown-imports` and `--default-values-unknown-imports`
 * (wasmtime's options of the same names): a stand-in for each import of the
 * module, defined before the host modules define theirs.  A later
 * definition of the same names replaces an earlier one in the linker, so
 * only imports no host module provides keep their stand-in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "run.h"

/* What a stand-in function knows: the import it stands for. */
typedef struct run_stand_in {
    const char *module, *name; /* owned by the module, which outlives the store */
    uint32_t nresults;
    bool trap;
} run_stand_in;

struct run_imports {
    run_stand_in *funcs;
    ward_memory **shared; /* shared memories made here: released at the end */
    uint32_t nshared;
};

/* Traps with wasmtime's wording, or returns zeros and nulls (ward presets
 * each result's kind). */
static ward_result stand_in_call(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                                 ward_trap *trap)
{
    (void)caller;
    (void)args;
    const run_stand_in *s = env;
    if (s->trap) {
        trap->kind = WARD_TRAP_HOST;
        snprintf(trap->message, sizeof trap->message, "unknown import: `%s::%s` has not been defined", s->module,
                 s->name);
        return WARD_TRAP;
    }
    for (uint32_t i = 0; i < s->nresults; i++)
        memset(&results[i].of, 0, sizeof results[i].of);
    return WARD_OK;
}

static ward_val zero_of(ward_valkind kind)
{
    ward_val v;
    memset(&v, 0, sizeof v);
    v.kind = kind;
    return v;
}

static ward_global *default_global(ward_store *store, const ward_globaltype *t)
{
    return ward_global_new(store, zero_of(t->kind), t->mutable_);
}

static ward_memory *default_memory(run_imports *st, ward_engine *engine, ward_store *store, const ward_memorytype *t)
{
    if (!t->shared)
        return ward_memory_new_typed(store, t); /* i32 or i64, the import's own type */
    uint64_t max = t->has_max ? t->max_pages : 0;
    if (t->min_pages > 65536 || max > 65536)
        return NULL; /* shared memories are i32 ones */
    ward_memory *m = ward_memory_new_shared(engine, (uint32_t)t->min_pages, (uint32_t)max);
    if (m)
        st->shared[st->nshared++] = m;
    return m;
}

static ward_table *default_table(ward_store *store, const ward_tabletype *t)
{
    if (t->min > UINT32_MAX || (t->has_max && t->max > UINT32_MAX))
        return NULL;
    return ward_table_new(store, t->elem, (uint32_t)t->min, (uint32_t)t->max, t->has_max);
}

/* Defines the stand-in for import i; false when it has none (a tag, or a
 * type ward cannot make), which then stays unknown and fails to link. */
static bool define_stand_in(run_imports *st, uint32_t i, run_unknown_imports mode, const ward_module *m,
                            ward_engine *engine, ward_store *store, ward_linker *linker)
{
    ward_import_info info;
    ward_externtype type;
    ward_module_import(m, i, &info);
    if (!ward_module_import_type(m, i, &type))
        return false;
    bool trap = mode == RUN_UNKNOWN_IMPORTS_TRAP;
    switch (type.kind) {
    case WARD_EXTERN_FUNC: {
        st->funcs[i] = (run_stand_in){info.module, info.name, type.of.func.nresults, trap};
        ward_func *f = ward_func_new(store, &type.of.func, stand_in_call, &st->funcs[i]);
        return f && ward_linker_define_func(linker, info.module, info.name, f) == WARD_OK;
    }
    case WARD_EXTERN_GLOBAL: {
        ward_global *g = trap ? NULL : default_global(store, &type.of.global);
        return g && ward_linker_define_global(linker, info.module, info.name, g) == WARD_OK;
    }
    case WARD_EXTERN_MEMORY: {
        ward_memory *mem = trap ? NULL : default_memory(st, engine, store, &type.of.memory);
        return mem && ward_linker_define_memory(linker, info.module, info.name, mem) == WARD_OK;
    }
    case WARD_EXTERN_TABLE: {
        ward_table *t = trap ? NULL : default_table(store, &type.of.table);
        return t && ward_linker_define_table(linker, info.module, info.name, t) == WARD_OK;
    }
    default:
        return false;
    }
}

int run_imports_define(run_imports **out, run_unknown_imports mode, const ward_module *m, ward_engine *engine,
                       ward_store *store, ward_linker *linker)
{
    *out = NULL;
    uint32_t n = ward_module_import_count(m);
    if (mode == RUN_UNKNOWN_IMPORTS_REFUSE || n == 0)
        return CLI_EXIT_OK;
    run_imports *st = calloc(1, sizeof *st);
    if (!st || !(st->funcs = wcalloc(n, sizeof *st->funcs)) || !(st->shared = wcalloc(n, sizeof *st->shared))) {
        run_imports_free(st);
        fprintf(stderr, "ward: out of memory\n");
        return CLI_EXIT_RUN_ERROR;
    }
    *out = st;
    /* an import with no stand-in is left to fail at link time, naming it */
    for (uint32_t i = 0; i < n; i++)
        define_stand_in(st, i, mode, m, engine, store, linker);
    return CLI_EXIT_OK;
}

void run_imports_free(run_imports *st)
{
    if (!st)
        return;
    for (uint32_t i = 0; i < st->nshared; i++)
        ward_memory_release(st->shared[i]);
    free(st->shared);
    free(st->funcs);
    free(st);
}
