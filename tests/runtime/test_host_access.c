/*
 * The ward.h calls the standard wasm.h layer stands on, tested on their
 * own: imports by position (two imports of the same names bound to
 * different functions), exports by position, host table and memory
 * access with the guest's semantics, and backtrace frames that name their
 * instance and function offset.
 */
#include <string.h>

#include "../test.h"
#include "ward.h"

/*
 * (module
 *   (import "env" "f" (func $a (result i32)))
 *   (import "env" "f" (func $b (result i64)))
 *   (table (export "t") 1 3 funcref)
 *   (func (export "a") (result i32) (call $a))
 *   (func (export "b") (result i64) (call $b))
 *   (func (export "boom") (result i32) (unreachable)))
 */
static const uint8_t dup_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60, 0x00, 0x01, 0x7f, 0x60,
    0x00, 0x01, 0x7e, 0x02, 0x11, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00, 0x03, 0x65,
    0x6e, 0x76, 0x01, 0x66, 0x00, 0x01, 0x03, 0x04, 0x03, 0x00, 0x01, 0x00, 0x04, 0x05, 0x01, 0x70,
    0x01, 0x01, 0x03, 0x07, 0x14, 0x04, 0x01, 0x74, 0x01, 0x00, 0x01, 0x61, 0x00, 0x02, 0x01, 0x62,
    0x00, 0x03, 0x04, 0x62, 0x6f, 0x6f, 0x6d, 0x00, 0x04, 0x0a, 0x0f, 0x03, 0x04, 0x00, 0x10, 0x00,
    0x0b, 0x04, 0x00, 0x10, 0x01, 0x0b, 0x03, 0x00, 0x00, 0x0b,
};

static ward_result give_1(void *env, ward_caller *c, const ward_val *a, ward_val *r, ward_trap *t)
{
    (void)env, (void)c, (void)a, (void)t;
    r[0] = ward_val_i32(1);
    return WARD_OK;
}

static ward_result give_2(void *env, ward_caller *c, const ward_val *a, ward_val *r, ward_trap *t)
{
    (void)env, (void)c, (void)a, (void)t;
    r[0] = ward_val_i64(2);
    return WARD_OK;
}

static ward_func *host(ward_store *s, ward_valkind result, ward_host_fn fn)
{
    ward_functype type = {0, 1, NULL, &result};
    return ward_func_new(s, &type, fn, NULL);
}

static void test_positional(ward_store *s, const ward_module *m, ward_extern imports[2])
{
    ward_instance *inst = NULL;
    ward_error err;
    ward_trap trap;
    CHECK(ward_instantiate_with(s, m, imports, 1, &inst, &err, &trap) == WARD_ERROR);
    CHECK_CONTAINS(err.message, "module has 2 imports, 1 given");
    CHECK(err.stage == WARD_STAGE_LINK);
    ward_extern swapped[2] = {imports[1], imports[0]};
    CHECK(ward_instantiate_with(s, m, swapped, 2, &inst, &err, &trap) == WARD_ERROR);
    CHECK_CONTAINS(err.message, "incompatible import type for env.f");
    ward_extern missing[2] = {imports[0], {WARD_EXTERN_FUNC, {.func = NULL}}};
    CHECK(ward_instantiate_with(s, m, missing, 2, &inst, &err, &trap) == WARD_ERROR);
    CHECK_CONTAINS(err.message, "unknown import env.f");
    CHECK(ward_instantiate_with(s, m, imports, 2, &inst, &err, &trap) == WARD_OK);
    ward_val r;
    CHECK(ward_call(s, ward_instance_func(inst, "a"), NULL, 0, &r, 1, &trap) == WARD_OK && r.of.i32 == 1);
    CHECK(ward_call(s, ward_instance_func(inst, "b"), NULL, 0, &r, 1, &trap) == WARD_OK && r.of.i64 == 2);
    /* (a linker, by names, could bind only one function to both) */
    CHECK(ward_instance_module(inst) == m);
}

static void test_exports_and_table(ward_store *s, const ward_module *m, ward_extern imports[2])
{
    ward_instance *inst = NULL;
    ward_error err;
    ward_trap trap;
    CHECK(ward_instantiate_with(s, m, imports, 2, &inst, &err, &trap) == WARD_OK);
    ward_extern x;
    CHECK(ward_instance_export(inst, 0, &x) && x.kind == WARD_EXTERN_TABLE && x.of.table == ward_instance_table(inst, "t"));
    CHECK(ward_instance_export(inst, 2, &x) && x.kind == WARD_EXTERN_FUNC && x.of.func == ward_instance_func(inst, "b"));
    CHECK(!ward_instance_export(inst, 4, &x) && x.of.func == NULL);
    ward_table *t = ward_instance_table(inst, "t");
    ward_func *a = ward_instance_func(inst, "a");
    ward_val v;
    CHECK(ward_table_get(t, 0, &v) == WARD_OK && v.kind == WARD_FUNCREF && v.of.funcref == NULL);
    CHECK(ward_table_get(t, 1, &v) == WARD_ERROR);
    ward_val fa = {.kind = WARD_FUNCREF, .of.funcref = a};
    CHECK(ward_table_set(t, 0, fa) == WARD_OK && ward_table_get(t, 0, &v) == WARD_OK && v.of.funcref == a);
    CHECK(ward_table_set(t, 0, ward_val_i32(0)) == WARD_ERROR);       /* not a reference of its kind */
    ward_val ext = {.kind = WARD_EXTERNREF, .of.externref = &v};
    CHECK(ward_table_set(t, 0, ext) == WARD_ERROR);
    CHECK(ward_table_grow(t, 2, fa) == 1 && ward_table_size(t) == 3);
    CHECK(ward_table_get(t, 2, &v) == WARD_OK && v.of.funcref == a);
    CHECK(ward_table_grow(t, 1, fa) == -1 && ward_table_size(t) == 3); /* maximum 3 */
    ward_tabletype tt;
    ward_table_type(t, &tt);
    CHECK(tt.elem == WARD_FUNCREF && tt.min == 3 && tt.has_max && tt.max == 3);

    ward_memory *mem = ward_memory_new(s, 1, 2, true);
    CHECK(ward_memory_grow(mem, 1) == 1 && ward_memory_grow(mem, 1) == -1 && ward_memory_size(mem) == 2 * 65536);
    ward_memorytype mt;
    ward_memory_type(mem, &mt);
    CHECK(mt.min_pages == 2 && mt.has_max && mt.max_pages == 2 && !mt.shared);
    ward_global *g = ward_global_new(s, ward_val_i64(5), true);
    ward_globaltype gt;
    ward_global_type(g, &gt);
    CHECK(gt.kind == WARD_I64 && gt.mutable_);
}

/* Two instances of one module: each frame names the one it ran in. */
static void test_frames(ward_store *s, const ward_module *m, ward_extern imports[2])
{
    ward_instance *one = NULL, *two = NULL;
    ward_error err;
    ward_trap trap;
    CHECK(ward_instantiate_with(s, m, imports, 2, &one, &err, &trap) == WARD_OK);
    CHECK(ward_instantiate_with(s, m, imports, 2, &two, &err, &trap) == WARD_OK);
    ward_val r;
    CHECK(ward_call(s, ward_instance_func(two, "boom"), NULL, 0, &r, 1, &trap) == WARD_TRAP);
    CHECK(trap.nframes == 1 && trap.backtrace[0].instance == two && trap.backtrace[0].func_index == 4);
    /* boom is the last body: size 3, 0x00 (no locals), unreachable, end */
    CHECK(trap.backtrace[0].func_offset == 1);
    CHECK(trap.backtrace[0].offset == (uint32_t)(sizeof dup_wasm - 2));
    CHECK(ward_call(s, ward_instance_func(one, "boom"), NULL, 0, &r, 1, &trap) == WARD_TRAP);
    CHECK(trap.backtrace[0].instance == one);
}

int main(void)
{
    ward_engine *e = ward_engine_new(NULL);
    ward_store *s = ward_store_new(e);
    ward_error err;
    ward_module *m = ward_module_new(e, dup_wasm, sizeof dup_wasm, &err);
    CHECK(m != NULL);
    ward_extern imports[2] = {{WARD_EXTERN_FUNC, {.func = host(s, WARD_I32, give_1)}},
                              {WARD_EXTERN_FUNC, {.func = host(s, WARD_I64, give_2)}}};
    test_positional(s, m, imports);
    test_exports_and_table(s, m, imports);
    test_frames(s, m, imports);
    ward_store_free(s);
    ward_module_free(m);
    ward_engine_free(e);
    return test_summary("host_access");
}
