/*
 * wasm.h with several results and with reflection: a host callback taking
 * and returning four mixed values, a guest function of ten results, and
 * every extern kind described both by the module (wasm_exporttype) and by
 * the live object (wasm_extern_type).  The examples in tests/capi use one
 * result at most and never look at export types.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "capi_test.h"
#include "ward.h"

static const char multi_wat[] =
    "(module\n"
    "  (func $swap (import \"\" \"swap\") (param i32 i64 i64 i32) (result i32 i64 i64 i32))\n"
    "  (func (export \"g\") (param i32 i64 i64 i32) (result i32 i64 i64 i32)\n"
    "    (call $swap (local.get 0) (local.get 2) (local.get 1) (local.get 3)))\n"
    "  (func (export \"reverse\") (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)\n"
    "                           (result i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)\n"
    "    local.get 9 local.get 8 local.get 7 local.get 6 local.get 5\n"
    "    local.get 4 local.get 3 local.get 2 local.get 1 local.get 0)\n"
    "  (func (export \"stop\") (param i32 f64 f32) (result i32) (unreachable))\n"
    "  (global (export \"global\") f64 (f64.const 0.5))\n"
    "  (global (export \"counter\") (mut i64) (i64.const 7))\n"
    "  (table (export \"table\") 0 50 funcref)\n"
    "  (memory (export \"memory\") 1))\n";

/* The host side of "swap": results are the arguments in reverse order. */
static wasm_trap_t *swap(const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    CHECK(args->size == 4 && results->size == 4);
    for (size_t i = 0; i < 4; i++)
        results->data[i] = args->data[3 - i];
    return NULL;
}

static wasm_module_t *assemble(wasm_store_t *store, const char *text)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (ward_wat_to_wasm(text, strlen(text), &bytes, &len, NULL) != WARD_OK)
        return NULL;
    wasm_byte_vec_t binary = {len, (wasm_byte_t *)bytes};
    wasm_module_t *module = wasm_module_new(store, &binary);
    ward_wasm_free(bytes);
    return module;
}

static wasm_functype_t *functype_of(const wasm_valkind_t *kinds, size_t nparams, size_t nresults)
{
    wasm_valtype_vec_t params, results;
    wasm_valtype_vec_new_uninitialized(&params, nparams);
    wasm_valtype_vec_new_uninitialized(&results, nresults);
    for (size_t i = 0; i < nparams; i++)
        params.data[i] = wasm_valtype_new(kinds[i]);
    for (size_t i = 0; i < nresults; i++)
        results.data[i] = wasm_valtype_new(kinds[nparams + i]);
    return wasm_functype_new(&params, &results);
}

static bool kinds_are(const wasm_valtype_vec_t *types, const wasm_valkind_t *kinds, size_t n)
{
    if (types->size != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (wasm_valtype_kind(types->data[i]) != kinds[i])
            return false;
    return true;
}

/* What one export must look like, whichever way it is described. */
static void check_externtype(const wasm_externtype_t *type, size_t index)
{
    static const wasm_valkind_t g_kinds[] = {WASM_I32, WASM_I64, WASM_I64, WASM_I32};
    static const wasm_valkind_t stop_params[] = {WASM_I32, WASM_F64, WASM_F32};
    static const wasm_valkind_t stop_results[] = {WASM_I32};
    static const wasm_externkind_t kinds[] = {WASM_EXTERN_FUNC, WASM_EXTERN_FUNC, WASM_EXTERN_FUNC,
                                              WASM_EXTERN_GLOBAL, WASM_EXTERN_GLOBAL, WASM_EXTERN_TABLE,
                                              WASM_EXTERN_MEMORY};
    CHECK_MSG(wasm_externtype_kind(type) == kinds[index], "export %zu", index);
    if (index == 0) {
        const wasm_functype_t *f = wasm_externtype_as_functype_const(type);
        CHECK(kinds_are(wasm_functype_params(f), g_kinds, 4));
        CHECK(kinds_are(wasm_functype_results(f), g_kinds, 4));
    } else if (index == 1) {
        const wasm_functype_t *f = wasm_externtype_as_functype_const(type);
        CHECK(wasm_functype_params(f)->size == 10 && wasm_functype_results(f)->size == 10);
    } else if (index == 2) {
        const wasm_functype_t *f = wasm_externtype_as_functype_const(type);
        CHECK(kinds_are(wasm_functype_params(f), stop_params, 3));
        CHECK(kinds_are(wasm_functype_results(f), stop_results, 1));
    } else if (index == 3 || index == 4) {
        const wasm_globaltype_t *g = wasm_externtype_as_globaltype_const(type);
        CHECK(wasm_globaltype_mutability(g) == (index == 3 ? WASM_CONST : WASM_VAR));
        CHECK(wasm_valtype_kind(wasm_globaltype_content(g)) == (index == 3 ? WASM_F64 : WASM_I64));
    } else if (index == 5) {
        const wasm_tabletype_t *t = wasm_externtype_as_tabletype_const(type);
        CHECK(wasm_tabletype_limits(t)->min == 0 && wasm_tabletype_limits(t)->max == 50);
        CHECK(wasm_valtype_kind(wasm_tabletype_element(t)) == WASM_FUNCREF);
    } else {
        const wasm_memorytype_t *m = wasm_externtype_as_memorytype_const(type);
        CHECK(wasm_memorytype_limits(m)->min == 1);
        CHECK(wasm_memorytype_limits(m)->max == wasm_limits_max_default);
    }
}

static void test_reflection(const wasm_module_t *module, const wasm_extern_vec_t *exports)
{
    static const char *names[] = {"g", "reverse", "stop", "global", "counter", "table", "memory"};
    wasm_exporttype_vec_t types;
    wasm_module_exports(module, &types);
    CHECK(types.size == 7 && exports->size == 7);
    for (size_t i = 0; i < types.size && i < exports->size; i++) {
        CHECK_MSG(name_is(wasm_exporttype_name(types.data[i]), names[i]), "export %zu", i);
        check_externtype(wasm_exporttype_type(types.data[i]), i);
        wasm_externtype_t *live = wasm_extern_type(exports->data[i]);
        CHECK(wasm_extern_kind(exports->data[i]) == wasm_externtype_kind(live));
        check_externtype(live, i);
        wasm_externtype_delete(live);
    }
    CHECK(wasm_func_param_arity(wasm_extern_as_func(exports->data[2])) == 3);
    CHECK(wasm_func_result_arity(wasm_extern_as_func(exports->data[2])) == 1);

    wasm_importtype_vec_t imports;
    wasm_module_imports(module, &imports);
    CHECK(imports.size == 1);
    if (imports.size == 1) {
        CHECK(name_is(wasm_importtype_module(imports.data[0]), ""));
        CHECK(name_is(wasm_importtype_name(imports.data[0]), "swap"));
        CHECK(wasm_externtype_kind(wasm_importtype_type(imports.data[0])) == WASM_EXTERN_FUNC);
    }
    wasm_importtype_vec_delete(&imports);
    wasm_exporttype_vec_delete(&types);
}

static void test_four_results_through_the_host(const wasm_func_t *g)
{
    wasm_val_t args[4] = {WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3), WASM_I32_VAL(4)};
    wasm_val_t results[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL};
    wasm_val_vec_t a = WASM_ARRAY_VEC(args), r = WASM_ARRAY_VEC(results);
    wasm_trap_t *trap = wasm_func_call(g, &a, &r);
    CHECK(trap == NULL);
    /* g swaps the middle pair, the host reverses all four. */
    CHECK(results[0].kind == WASM_I32 && results[0].of.i32 == 4);
    CHECK(results[1].kind == WASM_I64 && results[1].of.i64 == 2);
    CHECK(results[2].kind == WASM_I64 && results[2].of.i64 == 3);
    CHECK(results[3].kind == WASM_I32 && results[3].of.i32 == 1);
    if (trap)
        wasm_trap_delete(trap);
}

static void test_ten_results(const wasm_func_t *reverse)
{
    wasm_val_t args[10], results[10];
    for (int i = 0; i < 10; i++) {
        args[i] = (wasm_val_t)WASM_I64_VAL(INT64_C(1) << (40 + i));
        results[i] = (wasm_val_t)WASM_INIT_VAL;
    }
    wasm_val_vec_t a = WASM_ARRAY_VEC(args), r = WASM_ARRAY_VEC(results);
    wasm_trap_t *trap = wasm_func_call(reverse, &a, &r);
    CHECK(trap == NULL);
    for (int i = 0; i < 10; i++)
        CHECK_MSG(results[i].kind == WASM_I64 && results[i].of.i64 == args[9 - i].of.i64, "result %d", i);
    if (trap)
        wasm_trap_delete(trap);
}

static void test_trap_origin(const wasm_func_t *stop)
{
    wasm_val_t args[3] = {WASM_I32_VAL(1), WASM_F64_VAL(2), WASM_F32_VAL(3)};
    wasm_val_t results[1] = {WASM_INIT_VAL};
    wasm_val_vec_t a = WASM_ARRAY_VEC(args), r = WASM_ARRAY_VEC(results);
    wasm_trap_t *trap = wasm_func_call(stop, &a, &r);
    CHECK(trap != NULL);
    if (!trap)
        return;
    CHECK(trap_says(trap, "unreachable"));
    wasm_frame_t *origin = wasm_trap_origin(trap);
    CHECK(origin != NULL);
    if (origin) {
        /* Function indices count the import: "stop" is function 3. */
        CHECK(wasm_frame_func_index(origin) == 3);
        wasm_frame_delete(origin);
    }
    wasm_trap_delete(trap);
}

int main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_module_t *module = assemble(store, multi_wat);
    CHECK(module != NULL);
    if (module) {
        static const wasm_valkind_t swap_kinds[] = {WASM_I32, WASM_I64, WASM_I64, WASM_I32,
                                                    WASM_I32, WASM_I64, WASM_I64, WASM_I32};
        wasm_functype_t *type = functype_of(swap_kinds, 4, 4);
        wasm_func_t *host = wasm_func_new(store, type, swap);
        wasm_functype_delete(type);
        wasm_extern_t *externs[] = {wasm_func_as_extern(host)};
        wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
        wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
        CHECK(instance != NULL);
        if (instance) {
            wasm_extern_vec_t exports;
            wasm_instance_exports(instance, &exports);
            test_reflection(module, &exports);
            if (exports.size == 7) {
                test_four_results_through_the_host(wasm_extern_as_func_const(exports.data[0]));
                test_ten_results(wasm_extern_as_func_const(exports.data[1]));
                test_trap_origin(wasm_extern_as_func_const(exports.data[2]));
            }
            wasm_extern_vec_delete(&exports);
            wasm_instance_delete(instance);
        }
        wasm_func_delete(host);
        wasm_module_delete(module);
    }
    wasm_store_delete(store);
    wasm_engine_delete(engine);
    return test_summary("capi_multi");
}
