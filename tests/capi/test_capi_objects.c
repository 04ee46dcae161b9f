/*
 * wasm.h runtime objects: host functions with environments, instances and
 * their exports, memories (growth and its failure), tables (get, set, grow
 * with an initial value), globals, externref round trips, and host info
 * finalized once, when the store is deleted (docs/c-api.md).
 */
#include <stdlib.h>

#include "capi_test.h"
#include "modules.h"

typedef struct counts {
    int calls;
    int env_finalized;
    int info_finalized;
} counts;

static wasm_trap_t *inc(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    ((counts *)env)->calls++;
    results->data[0].kind = WASM_I32;
    results->data[0].of.i32 = args->data[0].of.i32 + 1;
    return NULL;
}

static void finalize_env(void *env)
{
    ((counts *)env)->env_finalized++;
}

static void finalize_info(void *info)
{
    ((counts *)info)->info_finalized++;
}

static wasm_func_t *export_func(const wasm_extern_vec_t *exports, size_t i)
{
    return i < exports->size ? wasm_extern_as_func(exports->data[i]) : NULL;
}

/* Call f on one i32 (or none when args is NULL); its i32 result, or -999 on a trap. */
static int32_t call_i32(const wasm_func_t *f, const int32_t *arg)
{
    wasm_val_t a[1] = {WASM_I32_VAL(arg ? *arg : 0)};
    wasm_val_t r[1] = {WASM_INIT_VAL};
    wasm_val_vec_t args = {arg ? 1 : 0, a}, results = WASM_ARRAY_VEC(r);
    wasm_trap_t *trap = wasm_func_call(f, &args, &results);
    if (trap) {
        wasm_trap_delete(trap);
        return -999;
    }
    return r[0].of.i32;
}

static wasm_instance_t *instantiate(wasm_store_t *store, wasm_module_t *module, wasm_func_t *import,
                                    wasm_trap_t **trap)
{
    wasm_extern_t *externs[] = {wasm_func_as_extern(import)};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
    return wasm_instance_new(store, module, &imports, trap);
}

/* Wrong import counts, kinds and types are link errors reported as traps. */
static void test_link_errors(wasm_engine_t *engine, wasm_store_t *store, wasm_module_t *module)
{
    wasm_trap_t *trap = NULL;
    wasm_extern_vec_t none = WASM_EMPTY_VEC;
    CHECK(wasm_instance_new(store, module, &none, &trap) == NULL);
    CHECK(trap && trap_says(trap, "module has 1 imports, 0 given"));
    wasm_trap_delete(trap);

    wasm_functype_t *wrong = wasm_functype_new_0_0();
    counts c = {0};
    wasm_func_t *f = wasm_func_new_with_env(store, wrong, inc, &c, NULL);
    wasm_functype_delete(wrong);
    CHECK(instantiate(store, module, f, &trap) == NULL);
    wasm_message_t m;
    wasm_trap_message(trap, &m);
    CHECK_CONTAINS(m.data, "incompatible import type for env.inc");
    wasm_byte_vec_delete(&m);
    wasm_trap_delete(trap);

    wasm_limits_t lim = {1, 1};
    wasm_memorytype_t *mt = wasm_memorytype_new(&lim);
    wasm_memory_t *mem = wasm_memory_new(store, mt);
    wasm_memorytype_delete(mt);
    wasm_extern_t *externs[] = {wasm_memory_as_extern(mem)};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
    CHECK(wasm_instance_new(store, module, &imports, NULL) == NULL); /* trap may be NULL */

    /* a function of another store is no import of this one */
    wasm_store_t *other = wasm_store_new(engine);
    wasm_functype_t *right = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
    wasm_func_t *elsewhere = wasm_func_new_with_env(other, right, inc, &c, NULL);
    wasm_functype_delete(right);
    CHECK(instantiate(store, module, elsewhere, &trap) == NULL);
    CHECK(trap && trap_says(trap, "import env.inc: function belongs to another store"));
    wasm_trap_delete(trap);
    wasm_store_delete(other);
}

static void test_memory(const wasm_extern_vec_t *exports, wasm_store_t *store)
{
    wasm_memory_t *mem = wasm_extern_as_memory(exports->data[0]);
    CHECK(mem && wasm_extern_kind(exports->data[0]) == WASM_EXTERN_MEMORY);
    CHECK(wasm_memory_size(mem) == 1 && wasm_memory_data_size(mem) == 65536);
    wasm_memorytype_t *mt = wasm_memory_type(mem);
    CHECK(wasm_memorytype_limits(mt)->min == 1 && wasm_memorytype_limits(mt)->max == 2);
    wasm_memorytype_delete(mt);
    memcpy(wasm_memory_data(mem) + 100, "\x78\x56\x34\x12", 4);
    int32_t at = 100;
    CHECK(call_i32(export_func(exports, 3), &at) == 0x12345678);
    CHECK(wasm_memory_grow(mem, 1) && wasm_memory_size(mem) == 2);
    CHECK(!wasm_memory_grow(mem, 1) && wasm_memory_size(mem) == 2);   /* past its maximum */
    int32_t one = 1;
    CHECK(call_i32(export_func(exports, 4), &one) == -1);             /* memory.grow agrees */
    at = 2 * 65536 - 4;
    CHECK(call_i32(export_func(exports, 3), &at) == 0);
    at += 1;
    CHECK(call_i32(export_func(exports, 3), &at) == -999);           /* out of bounds traps */

    wasm_limits_t lim = {0, wasm_limits_max_default};
    wasm_memorytype_t *free_type = wasm_memorytype_new(&lim);
    wasm_memory_t *m = wasm_memory_new(store, free_type);
    wasm_memorytype_delete(free_type);
    CHECK(m && wasm_memory_size(m) == 0 && wasm_memory_data_size(m) == 0);
    CHECK(wasm_memory_grow(m, 3) && wasm_memory_size(m) == 3 && wasm_memory_data(m)[3 * 65536 - 1] == 0);
    CHECK(!wasm_memory_grow(m, 70000));                               /* past 4 GiB */
    wasm_externtype_t *xt = wasm_extern_type(wasm_memory_as_extern(m));
    CHECK(wasm_memorytype_limits(wasm_externtype_as_memorytype(xt))->max == wasm_limits_max_default);
    wasm_externtype_delete(xt);
    wasm_memory_delete(m);
}

static void test_table(const wasm_extern_vec_t *exports, wasm_store_t *store)
{
    wasm_table_t *tab = wasm_extern_as_table(exports->data[1]);
    wasm_func_t *call_at = export_func(exports, 5), *seven = export_func(exports, 6);
    CHECK(tab && call_at && seven && wasm_table_size(tab) == 1);
    CHECK(wasm_table_get(tab, 0) == NULL);
    int32_t zero = 0, three = 3;
    CHECK(call_i32(call_at, &zero) == -999);                          /* uninitialized element */
    CHECK(wasm_table_set(tab, 0, wasm_func_as_ref(seven)));
    CHECK(call_i32(call_at, &zero) == 7);
    wasm_ref_t *got = wasm_table_get(tab, 0);
    CHECK(got && wasm_ref_same(got, wasm_func_as_ref(seven)) && wasm_ref_as_func(got) == seven);
    wasm_ref_delete(got);
    CHECK(wasm_table_grow(tab, 3, wasm_func_as_ref(seven)) && wasm_table_size(tab) == 4);
    CHECK(call_i32(call_at, &three) == 7);
    CHECK(wasm_table_get(tab, 4) == NULL && !wasm_table_set(tab, 4, NULL));
    CHECK(!wasm_table_grow(tab, 7, NULL) && wasm_table_size(tab) == 4);   /* maximum 10 */
    CHECK(wasm_table_grow(tab, 6, NULL) && wasm_table_size(tab) == 10);
    wasm_tabletype_t *tt = wasm_table_type(tab);
    CHECK(wasm_tabletype_limits(tt)->min == 10 && wasm_tabletype_limits(tt)->max == 10);
    wasm_tabletype_delete(tt);
    /* an externref is no funcref */
    wasm_foreign_t *foreign = wasm_foreign_new(store);
    CHECK(!wasm_table_set(tab, 1, wasm_foreign_as_ref(foreign)));

    /* a stand-alone table filled with its initial value */
    wasm_limits_t lim = {2, 4};
    wasm_tabletype_t *type = wasm_tabletype_new(wasm_valtype_new_externref(), &lim);
    wasm_table_t *own = wasm_table_new(store, type, wasm_foreign_as_ref(foreign));
    wasm_tabletype_delete(type);
    CHECK(own && wasm_table_size(own) == 2);
    wasm_ref_t *e1 = wasm_table_get(own, 1);
    CHECK(e1 && wasm_ref_as_foreign(e1) == foreign);
    wasm_ref_delete(e1);
    CHECK(wasm_table_grow(own, 2, NULL) && wasm_table_get(own, 3) == NULL);
    CHECK(!wasm_table_grow(own, 1, NULL));
    /* any reference is an externref value, a function's too */
    CHECK(wasm_table_set(own, 0, wasm_func_as_ref(seven)));
    wasm_ref_t *e0 = wasm_table_get(own, 0);
    CHECK(e0 && wasm_ref_as_func(e0) == seven);
    wasm_ref_delete(e0);
    wasm_table_delete(own);
}

static void test_global(const wasm_extern_vec_t *exports, wasm_store_t *store)
{
    wasm_global_t *g = wasm_extern_as_global(exports->data[2]);
    wasm_val_t v;
    wasm_global_get(g, &v);
    CHECK(v.kind == WASM_I32 && v.of.i32 == 5);
    wasm_val_t nine = WASM_I32_VAL(9);
    wasm_global_set(g, &nine);
    wasm_global_get(g, &v);
    CHECK(v.of.i32 == 9);
    wasm_val_t wrong = WASM_I64_VAL(1);
    wasm_global_set(g, &wrong);                                       /* ignored */
    wasm_global_get(g, &v);
    CHECK(v.kind == WASM_I32 && v.of.i32 == 9);
    wasm_globaltype_t *gt = wasm_global_type(g);
    CHECK(wasm_globaltype_mutability(gt) == WASM_VAR && wasm_valtype_kind(wasm_globaltype_content(gt)) == WASM_I32);
    wasm_globaltype_delete(gt);

    wasm_globaltype_t *ct = wasm_globaltype_new(wasm_valtype_new_f64(), WASM_CONST);
    wasm_val_t pi = WASM_F64_VAL(3.25), two = WASM_F64_VAL(2.0);
    wasm_global_t *c = wasm_global_new(store, ct, &pi);
    wasm_global_set(c, &two);                                         /* immutable: ignored */
    wasm_global_get(c, &v);
    CHECK(v.kind == WASM_F64 && v.of.f64 == 3.25);
    CHECK(wasm_global_new(store, ct, &nine) == NULL);                 /* value of another type */
    wasm_globaltype_delete(ct);
    wasm_global_delete(c);
}

/* externrefs come back as the same objects, host info and all. */
static void test_externref(const wasm_extern_vec_t *exports, wasm_store_t *store, counts *c)
{
    wasm_func_t *id = export_func(exports, 7), *seven = export_func(exports, 6);
    wasm_foreign_t *foreign = wasm_foreign_new(store);
    wasm_foreign_set_host_info_with_finalizer(foreign, c, finalize_info);
    wasm_val_t a[1] = {WASM_REF_VAL(wasm_foreign_as_ref(foreign))}, r[1] = {WASM_INIT_VAL};
    wasm_val_vec_t args = WASM_ARRAY_VEC(a), results = WASM_ARRAY_VEC(r);
    CHECK(wasm_func_call(id, &args, &results) == NULL);
    CHECK(r[0].kind == WASM_EXTERNREF && r[0].of.ref && wasm_ref_same(r[0].of.ref, wasm_foreign_as_ref(foreign)));
    CHECK(wasm_ref_get_host_info(r[0].of.ref) == c);
    wasm_val_delete(&r[0]);
    /* a function travels as an externref too */
    a[0].of.ref = wasm_func_as_ref(seven);
    CHECK(wasm_func_call(id, &args, &results) == NULL);
    CHECK(wasm_ref_as_func(r[0].of.ref) == seven && wasm_ref_as_foreign(r[0].of.ref) == NULL);
    wasm_val_delete(&r[0]);
    /* a trap (a counted object) too: the store keeps it while wasm may hold it */
    wasm_message_t msg;
    wasm_name_new_from_string_nt(&msg, "carried");
    wasm_trap_t *t = wasm_trap_new(store, &msg);
    wasm_name_delete(&msg);
    a[0].of.ref = wasm_trap_as_ref(t);
    CHECK(wasm_func_call(id, &args, &results) == NULL);
    wasm_trap_delete(t);
    CHECK(wasm_ref_as_trap(r[0].of.ref) && trap_says(wasm_ref_as_trap(r[0].of.ref), "carried"));
    wasm_val_delete(&r[0]);
    /* a funcref argument where an externref is wanted is refused with a trap */
    a[0].kind = WASM_FUNCREF;
    a[0].of.ref = wasm_func_as_ref(seven);
    wasm_trap_t *refused = wasm_func_call(id, &args, &results);
    CHECK(refused != NULL);
    wasm_trap_delete(refused);
    /* so are wrong argument counts */
    wasm_val_vec_t none = WASM_EMPTY_VEC;
    refused = wasm_func_call(id, &none, &results);
    CHECK(refused && trap_says(refused, "wrong number of arguments"));
    wasm_trap_delete(refused);
}

int main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_module_t *module = wasm_module_new(store, &BYTES_OF(objects_wasm));
    CHECK(module != NULL);
    if (!module)
        return test_summary("capi_objects");
    test_link_errors(engine, store, module);

    counts c = {0};
    wasm_functype_t *type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
    wasm_func_t *f = wasm_func_new_with_env(store, type, inc, &c, finalize_env);
    wasm_functype_delete(type);
    CHECK(wasm_func_param_arity(f) == 1 && wasm_func_result_arity(f) == 1);
    wasm_func_set_host_info_with_finalizer(f, &c, finalize_info);
    wasm_trap_t *trap = NULL;
    wasm_instance_t *inst = instantiate(store, module, f, &trap);
    CHECK(inst && trap == NULL);
    if (!inst)
        return test_summary("capi_objects");
    wasm_instance_set_host_info_with_finalizer(inst, &c, finalize_info);
    wasm_module_delete(module); /* the store keeps what its instance needs */

    wasm_extern_vec_t exports;
    wasm_instance_exports(inst, &exports);
    CHECK(exports.size == 8);
    if (exports.size == 8) {
        CHECK(call_i32(export_func(&exports, 6), NULL) == 7 && c.calls == 1);
        wasm_functype_t *ft = wasm_func_type(export_func(&exports, 3));
        CHECK(wasm_functype_params(ft)->size == 1 && wasm_functype_results(ft)->size == 1);
        wasm_functype_delete(ft);
        /* the same export twice is the same object */
        wasm_extern_vec_t again;
        wasm_instance_exports(inst, &again);
        CHECK(wasm_extern_same(again.data[6], exports.data[6]) && again.data[6] == exports.data[6]);
        wasm_extern_vec_delete(&again);
        test_memory(&exports, store);
        test_table(&exports, store);
        test_global(&exports, store);
        test_externref(&exports, store, &c);
    }
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(inst);
    wasm_func_delete(f);
    CHECK(c.env_finalized == 0 && c.info_finalized == 0);             /* not before the store goes */
    wasm_store_delete(store);
    CHECK(c.env_finalized == 1 && c.info_finalized == 3);             /* func, instance, foreign */
    wasm_engine_delete(engine);
    return test_summary("capi_objects");
}
