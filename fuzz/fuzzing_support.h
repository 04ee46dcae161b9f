/*
 * What the module targets share: their configuration, and the
 * "fuzzing-support" imports of binaryen's `wasm-opt -ttf` modules
 * (log-i32, log-i64, log-f32, log-f64, log-v128: one parameter, no
 * result), so those seeds instantiate and run instead of failing to link.
 * Each call folds its argument's bits into *log, a value the differential
 * target compares between execution paths.
 */
#ifndef WARD_FUZZ_FUZZING_SUPPORT_H
#define WARD_FUZZ_FUZZING_SUPPORT_H

#include <string.h>

#include "ward.h"

/* The defaults plus every proposal ward runs (SIMD and tail calls are on by
 * default), as the module targets fuzz them; each target adds its limits. */
static inline void fuzz_config_all_features(ward_config *config)
{
    ward_config_default(config);
    config->threads = true;
    config->extended_const = true;
    config->exceptions = true;
    config->multi_memory = true; /* the interpreter's _N memory forms */
    config->memory64 = true;
}

static ward_result fuzzing_support_log(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                                       ward_trap *trap)
{
    (void)caller;
    (void)results;
    (void)trap;
    uint64_t *log = env, bits[2] = {0, 0};
    memcpy(bits, &args[0].of, args[0].kind == WARD_V128 ? 16 : 8);
    if (args[0].kind == WARD_I32 || args[0].kind == WARD_F32)
        bits[0] &= 0xFFFFFFFFu;
    *log = (*log ^ bits[0] ^ (bits[1] * 0x9E3779B97F4A7C15ull)) * 0xFF51AFD7ED558CCDull + 1;
    return WARD_OK;
}

/* Define the five log functions in `linker` for `store`; log (owned by the
 * caller, outliving the store) receives their arguments. */
static ward_result fuzzing_support_define(ward_store *store, ward_linker *linker, uint64_t *log)
{
    static const char *const names[] = {"log-i32", "log-i64", "log-f32", "log-f64", "log-v128"};
    static const ward_valkind kinds[] = {WARD_I32, WARD_I64, WARD_F32, WARD_F64, WARD_V128};
    for (int i = 0; i < 5; i++) {
        ward_functype type = {1, 0, &kinds[i], NULL};
        ward_func *f = ward_func_new(store, &type, fuzzing_support_log, log);
        if (!f || ward_linker_define_func(linker, "fuzzing-support", names[i], f) != WARD_OK)
            return WARD_ERROR;
    }
    return WARD_OK;
}

#endif
