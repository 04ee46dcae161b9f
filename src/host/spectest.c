/* The "spectest" host module of the official spec tests. */
#include "spectest.h"

#include <stddef.h>

/* Every print function has the same quiet body; only the types differ. */
static ward_result spectest_print(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                                  ward_trap *trap)
{
    (void)env;
    (void)caller;
    (void)args;
    (void)results;
    (void)trap;
    return WARD_OK;
}

typedef struct spectest_func {
    const char *name;
    uint32_t nparams;
    ward_valkind params[2];
} spectest_func;

static const spectest_func spectest_funcs[] = {
    {"print", 0, {WARD_I32, WARD_I32}},
    {"print_i32", 1, {WARD_I32, WARD_I32}},
    {"print_i64", 1, {WARD_I64, WARD_I32}},
    {"print_f32", 1, {WARD_F32, WARD_I32}},
    {"print_f64", 1, {WARD_F64, WARD_I32}},
    {"print_i32_f32", 2, {WARD_I32, WARD_F32}},
    {"print_f64_f64", 2, {WARD_F64, WARD_F64}},
};

static ward_result define_funcs(ward_store *store, ward_linker *linker)
{
    for (size_t i = 0; i < sizeof spectest_funcs / sizeof spectest_funcs[0]; i++) {
        const spectest_func *sf = &spectest_funcs[i];
        ward_functype type = {sf->nparams, 0, sf->params, NULL};
        ward_func *f = ward_func_new(store, &type, spectest_print, NULL);
        if (!f || ward_linker_define_func(linker, "spectest", sf->name, f) != WARD_OK)
            return WARD_ERROR;
    }
    return WARD_OK;
}

static ward_result define_global(ward_store *store, ward_linker *linker, const char *name, ward_val value)
{
    ward_global *g = ward_global_new(store, value, false);
    if (!g)
        return WARD_ERROR;
    return ward_linker_define_global(linker, "spectest", name, g);
}

static ward_result define_globals(ward_store *store, ward_linker *linker)
{
    if (define_global(store, linker, "global_i32", ward_val_i32(666)) != WARD_OK ||
        define_global(store, linker, "global_i64", ward_val_i64(666)) != WARD_OK ||
        define_global(store, linker, "global_f32", ward_val_f32(666.6f)) != WARD_OK ||
        define_global(store, linker, "global_f64", ward_val_f64(666.6)) != WARD_OK)
        return WARD_ERROR;
    return WARD_OK;
}

ward_result wspectest_define(ward_store *store, ward_linker *linker)
{
    if (define_funcs(store, linker) != WARD_OK || define_globals(store, linker) != WARD_OK)
        return WARD_ERROR;
    ward_table *table = ward_table_new(store, WARD_FUNCREF, 10, 20, true);
    ward_memory *memory = ward_memory_new(store, 1, 2, true);
    if (!table || !memory)
        return WARD_ERROR;
    if (ward_linker_define_table(linker, "spectest", "table", table) != WARD_OK ||
        ward_linker_define_memory(linker, "spectest", "memory", memory) != WARD_OK)
        return WARD_ERROR;
    return WARD_OK;
}
