/*
 * wasm.h type representations, vectors, module introspection, validation
 * of garbage, serialization and module sharing (docs/c-api.md).
 */
#include <stdlib.h>

#include "capi_test.h"
#include "modules.h"

static void test_valtypes_and_functypes(void)
{
    wasm_valtype_t *t = wasm_valtype_new_f64();
    CHECK(wasm_valtype_kind(t) == WASM_F64 && wasm_valtype_is_num(t));
    wasm_valtype_t *copy = wasm_valtype_copy(t);
    CHECK(copy != t && wasm_valtype_kind(copy) == WASM_F64);
    wasm_valtype_delete(t);
    wasm_valtype_delete(copy);
    CHECK(wasm_valkind_is_ref(WASM_FUNCREF) && wasm_valkind_is_ref(WASM_EXTERNREF) && !wasm_valkind_is_ref(WASM_I64));

    wasm_functype_t *ft = wasm_functype_new_3_2(wasm_valtype_new_i32(), wasm_valtype_new_i64(),
                                                wasm_valtype_new_externref(), wasm_valtype_new_f32(),
                                                wasm_valtype_new_funcref());
    const wasm_valtype_vec_t *p = wasm_functype_params(ft), *r = wasm_functype_results(ft);
    CHECK(p->size == 3 && r->size == 2);
    CHECK(wasm_valtype_kind(p->data[2]) == WASM_EXTERNREF && wasm_valtype_kind(r->data[1]) == WASM_FUNCREF);
    wasm_functype_t *ft2 = wasm_functype_copy(ft);
    CHECK(ft2 && wasm_functype_params(ft2)->size == 3 && wasm_functype_params(ft2)->data[0] != p->data[0]);
    wasm_externtype_t *xt = wasm_functype_as_externtype(ft2);
    CHECK(wasm_externtype_kind(xt) == WASM_EXTERN_FUNC);
    CHECK(wasm_externtype_as_functype(xt) == ft2 && wasm_externtype_as_globaltype(xt) == NULL);
    CHECK(wasm_externtype_as_tabletype_const(xt) == NULL && wasm_externtype_as_memorytype_const(xt) == NULL);
    wasm_externtype_t *xcopy = wasm_externtype_copy(xt);
    CHECK(wasm_functype_results(wasm_externtype_as_functype(xcopy))->size == 2);
    wasm_externtype_delete(xcopy);
    wasm_functype_delete(ft2);
    wasm_functype_delete(ft);
}

static void test_global_table_memory_types(void)
{
    wasm_globaltype_t *g = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
    CHECK(wasm_valtype_kind(wasm_globaltype_content(g)) == WASM_I64 && wasm_globaltype_mutability(g) == WASM_VAR);
    wasm_externtype_t *gx = wasm_externtype_copy(wasm_globaltype_as_externtype_const(g));
    CHECK(wasm_externtype_kind(gx) == WASM_EXTERN_GLOBAL);
    CHECK(wasm_globaltype_mutability(wasm_externtype_as_globaltype_const(gx)) == WASM_VAR);
    wasm_externtype_delete(gx);
    wasm_globaltype_delete(g);

    wasm_limits_t lim = {2, wasm_limits_max_default};
    wasm_tabletype_t *t = wasm_tabletype_new(wasm_valtype_new_funcref(), &lim);
    CHECK(wasm_tabletype_limits(t)->min == 2 && wasm_tabletype_limits(t)->max == 0xffffffffu);
    wasm_tabletype_t *tc = wasm_tabletype_copy(t);
    CHECK(wasm_valtype_kind(wasm_tabletype_element(tc)) == WASM_FUNCREF);
    wasm_tabletype_delete(tc);
    wasm_tabletype_delete(t);

    wasm_limits_t mlim = {1, 7};
    wasm_memorytype_t *m = wasm_memorytype_new(&mlim);
    CHECK(wasm_memorytype_limits(m)->max == 7);
    wasm_externtype_t *mx = wasm_memorytype_as_externtype(m);
    CHECK(wasm_externtype_kind(mx) == WASM_EXTERN_MEMORY && wasm_externtype_as_memorytype(mx) == m);
    wasm_externtype_delete(mx); /* deletes m */
}

static void test_vectors(void)
{
    wasm_name_t name;
    wasm_name_new_from_string_nt(&name, "abc");
    CHECK(name.size == 4 && name.data[3] == '\0');
    wasm_name_t copy;
    wasm_name_copy(&copy, &name);
    CHECK(copy.size == 4 && copy.data != name.data && memcmp(copy.data, "abc", 4) == 0);
    wasm_name_delete(&copy);
    wasm_name_delete(&name);
    CHECK(name.size == 0 && name.data == NULL);

    wasm_byte_vec_t empty;
    wasm_byte_vec_new_empty(&empty);
    CHECK(empty.size == 0);
    wasm_byte_vec_delete(&empty);

    /* a pointer vector made uninitialized can be deleted as it is */
    wasm_valtype_vec_t types;
    wasm_valtype_vec_new_uninitialized(&types, 3);
    CHECK(types.size == 3 && types.data[0] == NULL);
    types.data[1] = wasm_valtype_new_i32();
    wasm_valtype_vec_t types2;
    wasm_valtype_vec_copy(&types2, &types);
    CHECK(types2.size == 3 && types2.data[0] == NULL && wasm_valtype_kind(types2.data[1]) == WASM_I32);
    wasm_valtype_vec_delete(&types);
    wasm_valtype_vec_delete(&types2);

    wasm_val_t vals[2] = {WASM_I32_VAL(7), WASM_F64_VAL(2.5)};
    wasm_val_vec_t vv, vc;
    wasm_val_vec_new(&vv, 2, vals);
    wasm_val_vec_copy(&vc, &vv);
    CHECK(vc.size == 2 && vc.data[0].of.i32 == 7 && vc.data[1].of.f64 == 2.5);
    wasm_val_vec_delete(&vv);
    wasm_val_vec_delete(&vc);
}

/* listing_wasm's imports and exports, kinds and types included. */
static void test_imports_and_exports(wasm_store_t *store)
{
    wasm_module_t *module = wasm_module_new(store, &BYTES_OF(listing_wasm));
    CHECK(module != NULL);
    if (!module)
        return;
    wasm_importtype_vec_t imports;
    wasm_module_imports(module, &imports);
    CHECK(imports.size == 5);
    if (imports.size == 5) {
        CHECK(name_is(wasm_importtype_module(imports.data[0]), "env"));
        CHECK(name_is(wasm_importtype_name(imports.data[0]), "f"));
        const wasm_functype_t *f = wasm_externtype_as_functype_const(wasm_importtype_type(imports.data[0]));
        CHECK(f && wasm_functype_params(f)->size == 2 && wasm_functype_results(f)->size == 1);
        CHECK(f && wasm_valtype_kind(wasm_functype_params(f)->data[1]) == WASM_F64);
        CHECK(f && wasm_valtype_kind(wasm_functype_results(f)->data[0]) == WASM_I64);
        const wasm_globaltype_t *g = wasm_externtype_as_globaltype_const(wasm_importtype_type(imports.data[1]));
        CHECK(g && wasm_globaltype_mutability(g) == WASM_VAR && wasm_valtype_kind(wasm_globaltype_content(g)) == WASM_F32);
        const wasm_tabletype_t *t = wasm_externtype_as_tabletype_const(wasm_importtype_type(imports.data[2]));
        CHECK(t && wasm_tabletype_limits(t)->min == 1 && wasm_tabletype_limits(t)->max == 5);
        const wasm_memorytype_t *m = wasm_externtype_as_memorytype_const(wasm_importtype_type(imports.data[3]));
        CHECK(m && wasm_memorytype_limits(m)->min == 1 && wasm_memorytype_limits(m)->max == wasm_limits_max_default);
        CHECK(name_is(wasm_importtype_name(imports.data[4]), "h"));
        wasm_importtype_t *copy = wasm_importtype_copy(imports.data[4]);
        CHECK(copy && name_is(wasm_importtype_module(copy), "env"));
        CHECK(copy && wasm_externtype_kind(wasm_importtype_type(copy)) == WASM_EXTERN_FUNC);
        wasm_importtype_delete(copy);
    }
    wasm_importtype_vec_delete(&imports);

    wasm_exporttype_vec_t exports;
    wasm_module_exports(module, &exports);
    CHECK(exports.size == 4);
    if (exports.size == 4) {
        static const char *names[] = {"run", "c", "tab", "mem"};
        static const wasm_externkind_t kinds[] = {WASM_EXTERN_FUNC, WASM_EXTERN_GLOBAL, WASM_EXTERN_TABLE,
                                                  WASM_EXTERN_MEMORY};
        for (int i = 0; i < 4; i++) {
            CHECK(name_is(wasm_exporttype_name(exports.data[i]), names[i]));
            CHECK(wasm_externtype_kind(wasm_exporttype_type(exports.data[i])) == kinds[i]);
        }
        const wasm_functype_t *run = wasm_externtype_as_functype_const(wasm_exporttype_type(exports.data[0]));
        CHECK(wasm_valtype_kind(wasm_functype_params(run)->data[0]) == WASM_EXTERNREF);
        CHECK(wasm_valtype_kind(wasm_functype_results(run)->data[0]) == WASM_FUNCREF);
        const wasm_globaltype_t *c = wasm_externtype_as_globaltype_const(wasm_exporttype_type(exports.data[1]));
        CHECK(wasm_globaltype_mutability(c) == WASM_CONST);
        const wasm_tabletype_t *tab = wasm_externtype_as_tabletype_const(wasm_exporttype_type(exports.data[2]));
        CHECK(wasm_valtype_kind(wasm_tabletype_element(tab)) == WASM_EXTERNREF);
        CHECK(wasm_tabletype_limits(tab)->min == 2 && wasm_tabletype_limits(tab)->max == wasm_limits_max_default);
        wasm_exporttype_t *copy = wasm_exporttype_copy(exports.data[3]);
        CHECK(copy && name_is(wasm_exporttype_name(copy), "mem"));
        wasm_exporttype_delete(copy);
    }
    wasm_exporttype_vec_delete(&exports);
    wasm_module_delete(module);
}

/* Garbage is refused by validation and compilation alike, never a crash. */
static void test_validate_garbage(wasm_store_t *store)
{
    static const unsigned char bad_version[] = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
    static const unsigned char noise[] = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03};
    CHECK(wasm_module_validate(store, &BYTES_OF(listing_wasm)));
    CHECK(!wasm_module_validate(store, &BYTES_OF(bad_version)));
    CHECK(!wasm_module_validate(store, &BYTES_OF(noise)));
    wasm_byte_vec_t empty = WASM_EMPTY_VEC;
    CHECK(!wasm_module_validate(store, &empty));
    /* truncations: validation and compilation agree on each (a cut at a
     * section boundary may be a valid module), and a cut module is never
     * complete */
    int disagree = 0, accepted = 0;
    for (size_t n = 0; n < sizeof listing_wasm; n++) {
        wasm_byte_vec_t cut = {n, (wasm_byte_t *)listing_wasm};
        bool valid = wasm_module_validate(store, &cut);
        wasm_module_t *m = wasm_module_new(store, &cut);
        disagree += valid != (m != NULL);
        accepted += valid;
        if (m) {
            wasm_exporttype_vec_t exports;
            wasm_module_exports(m, &exports);
            CHECK(exports.size < 4);
            wasm_exporttype_vec_delete(&exports);
        }
        wasm_module_delete(m);
    }
    CHECK_MSG(disagree == 0, "validate and new disagree on %d truncations", disagree);
    CHECK_MSG(accepted < 8, "%d truncations accepted", accepted);
    wasm_byte_vec_t last_cut = {sizeof listing_wasm - 1, (wasm_byte_t *)listing_wasm};
    CHECK(!wasm_module_validate(store, &last_cut));
    CHECK(wasm_module_new(store, &BYTES_OF(noise)) == NULL);
}

static void test_serialize(wasm_store_t *store)
{
    wasm_module_t *module = wasm_module_new(store, &BYTES_OF(listing_wasm));
    wasm_byte_vec_t data;
    wasm_module_serialize(module, &data);
    CHECK(data.size == 20 + sizeof listing_wasm && memcmp(data.data, "wardmod", 8) == 0);
    CHECK(memcmp(data.data + 20, listing_wasm, sizeof listing_wasm) == 0);
    wasm_module_t *back = wasm_module_deserialize(store, &data);
    CHECK(back != NULL);
    wasm_exporttype_vec_t exports;
    wasm_module_exports(back, &exports);
    CHECK(exports.size == 4);
    wasm_exporttype_vec_delete(&exports);
    wasm_module_delete(back);

    /* damaged serializations are refused: magic, version, length, binary */
    static const size_t damage_at[] = {0, 8, 12, 20, 28};
    for (size_t i = 0; i < sizeof damage_at / sizeof damage_at[0]; i++) {
        wasm_byte_vec_t bad;
        wasm_byte_vec_copy(&bad, &data);
        bad.data[damage_at[i]] ^= 0x5a;
        CHECK_MSG(wasm_module_deserialize(store, &bad) == NULL, "damage at %zu accepted", damage_at[i]);
        wasm_byte_vec_delete(&bad);
    }
    wasm_byte_vec_t cut = {data.size - 1, data.data};
    CHECK(wasm_module_deserialize(store, &cut) == NULL);
    wasm_byte_vec_t header_only = {19, data.data};
    CHECK(wasm_module_deserialize(store, &header_only) == NULL);
    /* a plain binary is not a serialization */
    CHECK(wasm_module_deserialize(store, &BYTES_OF(listing_wasm)) == NULL);
    wasm_byte_vec_delete(&data);
    wasm_module_delete(module);
}

/* A shared module is obtained by stores of its engine only, and outlives
 * the handle it was shared from. */
static void test_share(wasm_engine_t *engine, wasm_store_t *store)
{
    wasm_module_t *module = wasm_module_new(store, &BYTES_OF(listing_wasm));
    wasm_module_set_host_info(module, (void *)7);
    wasm_shared_module_t *shared = wasm_module_share(module);
    wasm_module_delete(module);
    wasm_store_t *same = wasm_store_new(engine);
    wasm_module_t *obtained = wasm_module_obtain(same, shared);
    CHECK(obtained != NULL);
    wasm_exporttype_vec_t exports;
    wasm_module_exports(obtained, &exports);
    CHECK(exports.size == 4);
    wasm_exporttype_vec_delete(&exports);
    wasm_engine_t *other_engine = wasm_engine_new();
    wasm_store_t *other = wasm_store_new(other_engine);
    CHECK(wasm_module_obtain(other, shared) == NULL);
    wasm_store_delete(other);
    wasm_engine_delete(other_engine);
    wasm_module_delete(obtained);
    wasm_store_delete(same);
    wasm_shared_module_delete(shared);
}

int main(void)
{
    wasm_engine_t *engine = wasm_engine_new_with_config(wasm_config_new());
    wasm_store_t *store = wasm_store_new(engine);
    test_valtypes_and_functypes();
    test_global_table_memory_types();
    test_vectors();
    test_imports_and_exports(store);
    test_validate_garbage(store);
    test_serialize(store);
    test_share(engine, store);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
    return test_summary("capi_types");
}
