/*
 * Interpreter behaviour through the public API: every trap kind with its
 * message and byte offset (offsets read off `wasm-objdump -d` of the module
 * below), backtraces, call-stack exhaustion, deep recursion, host calls and
 * multi-value results.
 *
 * The module (wat2wasm of this text):
 *   (module
 *     (type $v_i (func (result i32)))
 *     (type $i_i (func (param i32) (result i32)))
 *     (import "host" "add" (func $host_add (param i32 i32) (result i32)))
 *     (import "host" "fail" (func $host_fail))
 *     (memory 1)
 *     (table 3 funcref)
 *     (elem (i32.const 0) $ret7 $id)
 *     (func $ret7 (type $v_i) i32.const 7)
 *     (func $id (type $i_i) local.get 0)
 *     (func (export "unreachable") unreachable)
 *     (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
 *     (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
 *     (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
 *     (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
 *     (func (export "table_get") (param i32) (result funcref) (table.get 0 (local.get 0)))
 *     (func (export "call_v_i") (param i32) (result i32) (call_indirect (type $v_i) (local.get 0)))
 *     (func $forever (export "forever") (param i32) (result i32)
 *       (i32.add (call $forever (local.get 0)) (i32.const 1)))
 *     (func $depth (export "depth") (param i32) (result i32)
 *       (if (result i32) (i32.eqz (local.get 0))
 *         (then i32.const 0)
 *         (else (i32.add (call $depth (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
 *     (func (export "host_add") (param i32 i32) (result i32)
 *       (i32.mul (call $host_add (local.get 0) (local.get 1)) (i32.const 2)))
 *     (func (export "host_fail") (call $host_fail))
 *     (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
 *     (func $middle (param i32) (result i32) (call $inner (local.get 0)))
 *     (func (export "nested") (param i32) (result i32) (call $middle (local.get 0)))
 *     (func $multi (export "multi") (param i32) (result i32 i64 f64)
 *       (local.get 0)
 *       (i64.extend_i32_s (local.get 0))
 *       (f64.convert_i32_s (local.get 0)))
 *     (func (export "swap_sum") (param i32 i32) (result i32)
 *       local.get 0
 *       local.get 1
 *       block (param i32 i32) (result i32 i32)
 *         local.set 0
 *         local.set 1
 *         local.get 0
 *         local.get 1
 *       end
 *       i32.sub)
 *     (func (export "multi_call") (result i32)
 *       (call $multi (i32.const -3))
 *       drop
 *       i32.wrap_i64
 *       i32.add)
 *   )
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "ward.h"

static const uint8_t traps_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x2b, 0x08, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x01,
    0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7d, 0x01, 0x7f,
    0x60, 0x01, 0x7f, 0x01, 0x70, 0x60, 0x01, 0x7f, 0x03, 0x7f, 0x7e, 0x7c, 0x60, 0x02, 0x7f, 0x7f, 0x02,
    0x7f, 0x7f, 0x02, 0x18, 0x02, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x03, 0x61, 0x64, 0x64, 0x00, 0x02, 0x04,
    0x68, 0x6f, 0x73, 0x74, 0x04, 0x66, 0x61, 0x69, 0x6c, 0x00, 0x03, 0x03, 0x14, 0x13, 0x00, 0x01, 0x03,
    0x02, 0x02, 0x04, 0x01, 0x05, 0x01, 0x01, 0x01, 0x02, 0x03, 0x01, 0x01, 0x01, 0x06, 0x02, 0x00, 0x04,
    0x04, 0x01, 0x70, 0x00, 0x03, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x97, 0x01, 0x0f, 0x0b, 0x75, 0x6e,
    0x72, 0x65, 0x61, 0x63, 0x68, 0x61, 0x62, 0x6c, 0x65, 0x00, 0x04, 0x05, 0x64, 0x69, 0x76, 0x5f, 0x73,
    0x00, 0x05, 0x05, 0x72, 0x65, 0x6d, 0x5f, 0x73, 0x00, 0x06, 0x05, 0x74, 0x72, 0x75, 0x6e, 0x63, 0x00,
    0x07, 0x04, 0x6c, 0x6f, 0x61, 0x64, 0x00, 0x08, 0x09, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x5f, 0x67, 0x65,
    0x74, 0x00, 0x09, 0x08, 0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x76, 0x5f, 0x69, 0x00, 0x0a, 0x07, 0x66, 0x6f,
    0x72, 0x65, 0x76, 0x65, 0x72, 0x00, 0x0b, 0x05, 0x64, 0x65, 0x70, 0x74, 0x68, 0x00, 0x0c, 0x08, 0x68,
    0x6f, 0x73, 0x74, 0x5f, 0x61, 0x64, 0x64, 0x00, 0x0d, 0x09, 0x68, 0x6f, 0x73, 0x74, 0x5f, 0x66, 0x61,
    0x69, 0x6c, 0x00, 0x0e, 0x06, 0x6e, 0x65, 0x73, 0x74, 0x65, 0x64, 0x00, 0x11, 0x05, 0x6d, 0x75, 0x6c,
    0x74, 0x69, 0x00, 0x12, 0x08, 0x73, 0x77, 0x61, 0x70, 0x5f, 0x73, 0x75, 0x6d, 0x00, 0x13, 0x0a, 0x6d,
    0x75, 0x6c, 0x74, 0x69, 0x5f, 0x63, 0x61, 0x6c, 0x6c, 0x00, 0x14, 0x09, 0x08, 0x01, 0x00, 0x41, 0x00,
    0x0b, 0x02, 0x02, 0x03, 0x0a, 0xab, 0x01, 0x13, 0x04, 0x00, 0x41, 0x07, 0x0b, 0x04, 0x00, 0x20, 0x00,
    0x0b, 0x03, 0x00, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6d, 0x0b, 0x07, 0x00, 0x20, 0x00,
    0x20, 0x01, 0x6f, 0x0b, 0x05, 0x00, 0x20, 0x00, 0xa8, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x28, 0x02, 0x04,
    0x0b, 0x06, 0x00, 0x20, 0x00, 0x25, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x11, 0x00, 0x00, 0x0b, 0x09,
    0x00, 0x20, 0x00, 0x10, 0x0b, 0x41, 0x01, 0x6a, 0x0b, 0x15, 0x00, 0x20, 0x00, 0x45, 0x04, 0x7f, 0x41,
    0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x0c, 0x41, 0x01, 0x6a, 0x0b, 0x0b, 0x0b, 0x00, 0x20,
    0x00, 0x20, 0x01, 0x10, 0x00, 0x41, 0x02, 0x6c, 0x0b, 0x04, 0x00, 0x10, 0x01, 0x0b, 0x07, 0x00, 0x41,
    0x01, 0x20, 0x00, 0x6e, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x10, 0x0f, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x10,
    0x10, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x20, 0x00, 0xac, 0x20, 0x00, 0xb7, 0x0b, 0x12, 0x00, 0x20, 0x00,
    0x20, 0x01, 0x02, 0x07, 0x21, 0x00, 0x21, 0x01, 0x20, 0x00, 0x20, 0x01, 0x0b, 0x6b, 0x0b, 0x09, 0x00,
    0x41, 0x7d, 0x10, 0x12, 0x1a, 0xa7, 0x6a, 0x0b,
};

/* (module (func $boom (export "_start") unreachable)), with a name section
 * (wat2wasm --debug-names). */
static const uint8_t named_wasm[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
                                     0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x0a, 0x01, 0x06, 0x5f, 0x73,
                                     0x74, 0x61, 0x72, 0x74, 0x00, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x00,
                                     0x0b, 0x00, 0x13, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x07, 0x01, 0x00,
                                     0x04, 0x62, 0x6f, 0x6f, 0x6d, 0x02, 0x03, 0x01, 0x00, 0x00};

/* Fused address forms (add + load, shl + add + load, constant addresses,
 * immediate stores):
 * (module
 *   (memory 1)
 *   (data (i32.const 4) "\2a\00\00\00")
 *   (func (export "load_rr") (param i32 i32) (result i32)
 *     (i32.load offset=0 (i32.add (local.get 0) (local.get 1))))
 *   (func (export "load_ri") (param i32) (result i32)
 *     (i32.load offset=0 (i32.add (local.get 0) (i32.const 5))))
 *   (func (export "load_k") (result i32) (i32.load offset=4 (i32.const 0)))
 *   (func (export "load_k_oob") (result i32) (i32.load offset=65533 (i32.const 0)))
 *   (func (export "store_k") (param i32) (i32.store offset=8 (i32.const 4) (local.get 0)))
 *   (func (export "store_i") (param i32) (i64.store (local.get 0) (i64.const 0x123456789)))
 *   (func (export "load_idx") (param i32 i32) (result i32)
 *     (i32.load (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2)))))
 *   (func (export "load_idx2") (param i32 i32) (result i32)
 *     (i32.load (i32.add (i32.shl (local.get 1) (i32.const 34)) (local.get 0))))
 *   (func (export "load64") (param i32) (result i64) (i64.load (local.get 0))))
 */
static const uint8_t addr_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x19, 0x05, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
    0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x01, 0x7f, 0x01,
    0x7e, 0x03, 0x0a, 0x09, 0x00, 0x01, 0x02, 0x02, 0x03, 0x03, 0x00, 0x00, 0x04, 0x05, 0x03, 0x01, 0x00,
    0x01, 0x07, 0x5f, 0x09, 0x07, 0x6c, 0x6f, 0x61, 0x64, 0x5f, 0x72, 0x72, 0x00, 0x00, 0x07, 0x6c, 0x6f,
    0x61, 0x64, 0x5f, 0x72, 0x69, 0x00, 0x01, 0x06, 0x6c, 0x6f, 0x61, 0x64, 0x5f, 0x6b, 0x00, 0x02, 0x0a,
    0x6c, 0x6f, 0x61, 0x64, 0x5f, 0x6b, 0x5f, 0x6f, 0x6f, 0x62, 0x00, 0x03, 0x07, 0x73, 0x74, 0x6f, 0x72,
    0x65, 0x5f, 0x6b, 0x00, 0x04, 0x07, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x5f, 0x69, 0x00, 0x05, 0x08, 0x6c,
    0x6f, 0x61, 0x64, 0x5f, 0x69, 0x64, 0x78, 0x00, 0x06, 0x09, 0x6c, 0x6f, 0x61, 0x64, 0x5f, 0x69, 0x64,
    0x78, 0x32, 0x00, 0x07, 0x06, 0x6c, 0x6f, 0x61, 0x64, 0x36, 0x34, 0x00, 0x08, 0x0a, 0x65, 0x09, 0x0a,
    0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x28, 0x02, 0x00, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x41, 0x05, 0x6a,
    0x28, 0x02, 0x00, 0x0b, 0x07, 0x00, 0x41, 0x00, 0x28, 0x02, 0x04, 0x0b, 0x09, 0x00, 0x41, 0x00, 0x28,
    0x02, 0xfd, 0xff, 0x03, 0x0b, 0x09, 0x00, 0x41, 0x04, 0x20, 0x00, 0x36, 0x02, 0x08, 0x0b, 0x0d, 0x00,
    0x20, 0x00, 0x42, 0x89, 0xcf, 0x95, 0x9a, 0x12, 0x37, 0x03, 0x00, 0x0b, 0x0d, 0x00, 0x20, 0x00, 0x20,
    0x01, 0x41, 0x02, 0x74, 0x6a, 0x28, 0x02, 0x00, 0x0b, 0x0d, 0x00, 0x20, 0x01, 0x41, 0x22, 0x74, 0x20,
    0x00, 0x6a, 0x28, 0x02, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x29, 0x03, 0x00, 0x0b, 0x0b, 0x0a, 0x01,
    0x00, 0x41, 0x04, 0x0b, 0x04, 0x2a, 0x00, 0x00, 0x00,
};

typedef struct env {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_instance *inst;
    int host_calls;
    const char *reenter; /* host.add calls this export back (depth / unreachable) */
} env;

static ward_result host_add(void *data, ward_caller *caller, const ward_val *args, ward_val *results,
                            ward_trap *trap)
{
    env *e = data;
    e->host_calls++;
    if (e->reenter) {
        /* Re-enter the interpreter from inside a wasm -> host call. */
        ward_val r = ward_val_i32(0);
        ward_func *f = ward_instance_func(e->inst, e->reenter);
        ward_functype ft;
        ward_func_type(f, &ft);
        if (ward_call(ward_caller_store(caller), f, args, ft.nparams, &r, ft.nresults, trap) != WARD_OK)
            return WARD_TRAP;
        results[0] = ward_val_i32((int32_t)(r.of.i32 + args[1].of.i32));
        return WARD_OK;
    }
    results[0] = ward_val_i32((int32_t)(args[0].of.i32 + args[1].of.i32));
    return WARD_OK;
}

static ward_result host_fail(void *data, ward_caller *caller, const ward_val *args, ward_val *results,
                             ward_trap *trap)
{
    (void)data;
    (void)caller;
    (void)args;
    (void)results;
    trap->kind = WARD_TRAP_HOST;
    snprintf(trap->message, sizeof trap->message, "host says no");
    return WARD_TRAP;
}

static void env_open(env *e, const ward_config *cfg)
{
    static const ward_valkind ii[] = {WARD_I32, WARD_I32}, i[] = {WARD_I32};
    const ward_functype add_type = {2, 1, ii, i}, fail_type = {0, 0, NULL, NULL};
    ward_error err;
    ward_trap trap;
    memset(e, 0, sizeof *e);
    e->engine = ward_engine_new(cfg);
    e->module = ward_module_new(e->engine, traps_wasm, sizeof traps_wasm, &err);
    CHECK_MSG(e->module != NULL, "%s", err.message);
    e->store = ward_store_new(e->engine);
    ward_linker *l = ward_linker_new();
    ward_linker_define_func(l, "host", "add", ward_func_new(e->store, &add_type, host_add, e));
    ward_linker_define_func(l, "host", "fail", ward_func_new(e->store, &fail_type, host_fail, e));
    if (e->module)
        CHECK_MSG(ward_instantiate(e->store, e->module, l, &e->inst, &err, &trap) == WARD_OK, "%s",
                  err.message);
    ward_linker_free(l);
}

static void env_close(env *e)
{
    ward_store_free(e->store);
    ward_module_free(e->module);
    ward_engine_free(e->engine);
}

static ward_result call(env *e, const char *name, const ward_val *args, size_t nargs, ward_val *results,
                        size_t nresults, ward_trap *trap)
{
    ward_func *f = ward_instance_func(e->inst, name);
    CHECK_MSG(f != NULL, "no export %s", name);
    if (!f)
        return WARD_ERROR;
    return ward_call(e->store, f, args, nargs, results, nresults, trap);
}

/* Call name(args) expecting a trap of kind with message at offset. */
static void expect_trap(env *e, const char *name, const ward_val *args, size_t nargs, size_t nresults,
                        ward_trap_kind kind, const char *message, uint32_t offset)
{
    ward_val results[4];
    ward_trap trap;
    memset(&trap, 0, sizeof trap);
    ward_result r = call(e, name, args, nargs, results, nresults, &trap);
    CHECK_MSG(r == WARD_TRAP, "%s: result %d", name, r);
    CHECK_MSG(trap.kind == kind, "%s: kind %d, expected %d", name, trap.kind, kind);
    CHECK_CONTAINS(trap.message, message);
    CHECK_MSG(trap.offset == offset, "%s: offset 0x%x, expected 0x%x", name, trap.offset, offset);
    CHECK(trap.nframes >= 1 && trap.backtrace[0].offset == offset);
}

static void test_trap_kinds(env *e)
{
    ward_val args[2];
    expect_trap(e, "unreachable", NULL, 0, 0, WARD_TRAP_UNREACHABLE, "unreachable", 0x124);
    args[0] = ward_val_i32(1);
    args[1] = ward_val_i32(0);
    expect_trap(e, "div_s", args, 2, 1, WARD_TRAP_DIV_BY_ZERO, "integer divide by zero", 0x12c);
    expect_trap(e, "rem_s", args, 2, 1, WARD_TRAP_DIV_BY_ZERO, "integer divide by zero", 0x134);
    args[0] = ward_val_i32(INT32_MIN);
    args[1] = ward_val_i32(-1);
    expect_trap(e, "div_s", args, 2, 1, WARD_TRAP_INT_OVERFLOW, "integer overflow", 0x12c);
    ward_val r;
    CHECK(call(e, "rem_s", args, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 0);
    args[0] = ward_val_f32(NAN);
    expect_trap(e, "trunc", args, 1, 1, WARD_TRAP_INVALID_CONVERSION, "invalid conversion to integer", 0x13a);
    args[0] = ward_val_f32(2147483648.0f);
    expect_trap(e, "trunc", args, 1, 1, WARD_TRAP_INT_OVERFLOW, "integer overflow", 0x13a);
    args[0] = ward_val_f32(-2147483648.0f);
    CHECK(call(e, "trunc", args, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 0x80000000u);
    args[0] = ward_val_i32(65532);
    expect_trap(e, "load", args, 1, 1, WARD_TRAP_OOB_MEMORY, "out of bounds memory access", 0x140);
    args[0] = ward_val_i32(-4); /* address + offset overflows 32 bits: still out of bounds */
    expect_trap(e, "load", args, 1, 1, WARD_TRAP_OOB_MEMORY, "out of bounds memory access", 0x140);
    args[0] = ward_val_i32(65528);
    CHECK(call(e, "load", args, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 0);
    args[0] = ward_val_i32(3);
    expect_trap(e, "table_get", args, 1, 1, WARD_TRAP_OOB_TABLE, "out of bounds table access", 0x148);
    args[0] = ward_val_i32(0);
    CHECK(call(e, "call_v_i", args, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 7);
    args[0] = ward_val_i32(1);
    expect_trap(e, "call_v_i", args, 1, 1, WARD_TRAP_INDIRECT_TYPE_MISMATCH, "indirect call type mismatch",
                0x14f);
    args[0] = ward_val_i32(2);
    expect_trap(e, "call_v_i", args, 1, 1, WARD_TRAP_UNINITIALIZED_ELEMENT, "uninitialized element", 0x14f);
    args[0] = ward_val_i32(3);
    expect_trap(e, "call_v_i", args, 1, 1, WARD_TRAP_UNDEFINED_ELEMENT, "undefined element", 0x14f);
    expect_trap(e, "host_fail", NULL, 0, 0, WARD_TRAP_HOST, "host says no", 0x181);
}

static void test_backtrace(env *e)
{
    ward_val arg = ward_val_i32(0);
    ward_trap trap;
    CHECK(call(e, "nested", &arg, 1, &arg, 1, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_DIV_BY_ZERO);
    CHECK(trap.func_index == 15 && trap.offset == 0x18a);
    CHECK(trap.nframes == 3);
    CHECK(trap.backtrace[1].func_index == 16 && trap.backtrace[1].offset == 0x190);
    CHECK(trap.backtrace[2].func_index == 17 && trap.backtrace[2].offset == 0x197);
    arg = ward_val_i32(4);
    CHECK(call(e, "nested", &arg, 1, &arg, 1, &trap) == WARD_OK && arg.of.i32 == 0);
}

static void test_recursion(env *e)
{
    ward_val arg = ward_val_i32(1), r;
    ward_trap trap;
    expect_trap(e, "forever", &arg, 1, 1, WARD_TRAP_STACK_EXHAUSTED, "call stack exhausted", 0x157);
    CHECK(call(e, "forever", &arg, 1, &r, 1, &trap) == WARD_TRAP);
    CHECK(trap.nframes == WARD_BACKTRACE_MAX && trap.backtrace[5].func_index == 11);
    /* Deep but bounded recursion is fine, and the store is usable after
     * exhaustion. */
    arg = ward_val_i32(9000);
    CHECK(call(e, "depth", &arg, 1, &r, 1, &trap) == WARD_OK && r.of.i32 == 9000);
    arg = ward_val_i32(20000);
    expect_trap(e, "depth", &arg, 1, 1, WARD_TRAP_STACK_EXHAUSTED, "call stack exhausted", 0x16c);
    arg = ward_val_i32(10);
    CHECK(call(e, "depth", &arg, 1, &r, 1, &trap) == WARD_OK && r.of.i32 == 10);
}

static void test_configured_depth(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.max_call_depth = 100;
    env e;
    env_open(&e, &cfg);
    if (e.inst) {
        ward_val arg = ward_val_i32(90), r;
        CHECK(call(&e, "depth", &arg, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 90);
        arg = ward_val_i32(150);
        expect_trap(&e, "depth", &arg, 1, 1, WARD_TRAP_STACK_EXHAUSTED, "call stack exhausted", 0x16c);
    }
    env_close(&e);
}

static void test_host_calls(env *e)
{
    ward_val args[2] = {ward_val_i32(20), ward_val_i32(1)}, r;
    CHECK(call(e, "host_add", args, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 42);
    CHECK(e->host_calls == 1);
}

/* wasm -> host -> wasm: the nested call runs on the same stacks above the
 * suspended frames, and a nested trap leaves the store usable. */
static void test_reentry(env *e)
{
    ward_val args[2] = {ward_val_i32(5), ward_val_i32(1)}, r;
    ward_trap trap;
    e->reenter = "depth";
    CHECK(call(e, "host_add", args, 2, &r, 1, &trap) == WARD_OK && r.of.i32 == 12);
    args[0] = ward_val_i32(20000);
    CHECK(call(e, "host_add", args, 2, &r, 1, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_STACK_EXHAUSTED && trap.offset == 0x179);
    e->reenter = "unreachable";
    args[0] = ward_val_i32(5);
    CHECK(call(e, "host_add", args, 2, &r, 1, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_UNREACHABLE && trap.offset == 0x179);
    CHECK_CONTAINS(trap.message, "unreachable");
    e->reenter = NULL;
    CHECK(call(e, "host_add", args, 2, &r, 1, &trap) == WARD_OK && r.of.i32 == 12);
    args[0] = ward_val_i32(9000);
    CHECK(call(e, "depth", args, 1, &r, 1, &trap) == WARD_OK && r.of.i32 == 9000);
}

static void test_multi_value(env *e)
{
    ward_val arg = ward_val_i32(-5), r[3];
    CHECK(call(e, "multi", &arg, 1, r, 3, NULL) == WARD_OK);
    CHECK(r[0].kind == WARD_I32 && r[0].of.i32 == (uint32_t)-5);
    CHECK(r[1].kind == WARD_I64 && r[1].of.i64 == (uint64_t)-5);
    CHECK(r[2].kind == WARD_F64 && ward_val_as_f64(r[2]) == -5.0);
    ward_val args[2] = {ward_val_i32(5), ward_val_i32(3)};
    CHECK(call(e, "swap_sum", args, 2, r, 1, NULL) == WARD_OK && r[0].of.i32 == (uint32_t)-2);
    CHECK(call(e, "multi_call", NULL, 0, r, 1, NULL) == WARD_OK && r[0].of.i32 == (uint32_t)-6);
}

static void test_function_names(void)
{
    ward_engine *engine = ward_engine_new(NULL);
    ward_error err;
    ward_trap trap;
    ward_module *module = ward_module_new(engine, named_wasm, sizeof named_wasm, &err);
    ward_store *store = ward_store_new(engine);
    ward_instance *inst = NULL;
    CHECK(module && ward_instantiate(store, module, NULL, &inst, &err, &trap) == WARD_OK);
    if (inst) {
        CHECK(ward_call(store, ward_instance_func(inst, "_start"), NULL, 0, NULL, 0, &trap) == WARD_TRAP);
        CHECK(trap.kind == WARD_TRAP_UNREACHABLE && trap.offset == 0x23);
        CHECK(trap.func_name && strcmp(trap.func_name, "boom") == 0);
        CHECK(trap.backtrace[0].func_name == trap.func_name);
    }
    ward_store_free(store);
    ward_module_free(module);
    ward_engine_free(engine);
}

static void test_address_forms(void)
{
    ward_engine *engine = ward_engine_new(NULL);
    ward_error err;
    ward_trap trap;
    ward_module *module = ward_module_new(engine, addr_wasm, sizeof addr_wasm, &err);
    ward_store *store = ward_store_new(engine);
    ward_instance *inst = NULL;
    CHECK(module && ward_instantiate(store, module, NULL, &inst, &err, &trap) == WARD_OK);
    if (inst) {
        env e = {engine, module, store, inst, 0, NULL};
        ward_val args[2], r;
        /* 0xFFFFFFFF + 5 wraps to address 4 */
        args[0] = ward_val_i32(-1);
        args[1] = ward_val_i32(5);
        CHECK(call(&e, "load_rr", args, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 42);
        CHECK(call(&e, "load_ri", args, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 42);
        args[0] = ward_val_i32(65533);
        args[1] = ward_val_i32(0);
        expect_trap(&e, "load_rr", args, 2, 1, WARD_TRAP_OOB_MEMORY, "out of bounds memory access", 0x9f);
        CHECK(call(&e, "load_k", NULL, 0, &r, 1, NULL) == WARD_OK && r.of.i32 == 42);
        expect_trap(&e, "load_k_oob", NULL, 0, 1, WARD_TRAP_OOB_MEMORY, "out of bounds memory access", 0xba);
        args[0] = ward_val_i32(7);
        CHECK(call(&e, "store_k", args, 1, NULL, 0, NULL) == WARD_OK);
        args[0] = ward_val_i32(12);
        args[1] = ward_val_i32(0);
        CHECK(call(&e, "load_rr", args, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 7);
        /* base + (i << 2) wraps too; the shift count is masked (34 -> 2) */
        args[0] = ward_val_i32(-4);
        args[1] = ward_val_i32(2);
        CHECK(call(&e, "load_idx", args, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 42);
        CHECK(call(&e, "load_idx2", args, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 42);
        args[1] = ward_val_i32(0x4001);
        expect_trap(&e, "load_idx", args, 2, 1, WARD_TRAP_OOB_MEMORY, "out of bounds memory access", 0xe2);
        args[0] = ward_val_i32(16);
        CHECK(call(&e, "store_i", args, 1, NULL, 0, NULL) == WARD_OK);
        CHECK(call(&e, "load64", args, 1, &r, 1, NULL) == WARD_OK && r.of.i64 == 0x123456789ull);
        args[0] = ward_val_i32(65530);
        expect_trap(&e, "store_i", args, 1, 0, WARD_TRAP_OOB_MEMORY, "out of bounds memory access", 0xd4);
    }
    ward_store_free(store);
    ward_module_free(module);
    ward_engine_free(engine);
}

/* Operand forms of issue 15: stores with fused address arithmetic (_R, _X,
 * _A, _AI), loads and stores at (i << k) + imm (_S), i32 ops with a
 * shifted register (_SL, _SR) or a shifted register and an immediate (_SRI),
 * i32.and + br_if/if, a local's `+= imm` + br_if/if on it (BR_INC_NZ),
 * float immediates, arithmetic on a loaded operand (_M, whose trap is the
 * load's: offset, and with fuel the weight consumed up to the load); wraps at 32 bits,
 * trap offsets (those of the store instructions, from wasm-objdump -d) and
 * the same results with fuel metering on (the metered code fuses too):
 * (module
 *   (memory 1)
 *   (func (export "store_rr") (param i32 i32 i32) (i32.store offset=4 (i32.add (local.get 0) (local.get 1)) (local.get 2)))
 *   (func (export "store_ri") (param i32 i32) (i32.store offset=4 (i32.add (local.get 0) (i32.const 8)) (local.get 1)))
 *   (func (export "store_ai") (param i32) (i32.store8 (i32.add (local.get 0) (i32.const 3)) (i32.const 0x1ff)))
 *   (func (export "store_idx") (param i32 i32 i32) (i32.store (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2))) (local.get 2)))
 *   (func (export "store_sk") (param i32 i32) (i32.store offset=4 (i32.add (i32.shl (local.get 0) (i32.const 3)) (i32.const 16)) (local.get 1)))
 *   (func (export "load_sk") (param i32) (result i32) (i32.load offset=4 (i32.add (i32.shl (local.get 0) (i32.const 3)) (i32.const 16))))
 *   (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
 *   (func (export "xor_shl") (param i32 i32) (result i32) (i32.xor (local.get 0) (i32.shl (local.get 1) (i32.const 35))))
 *   (func (export "shl_xor") (param i32 i32) (result i32) (i32.xor (i32.shl (local.get 1) (i32.const 3)) (local.get 0)))
 *   (func (export "sub_shr") (param i32 i32) (result i32) (i32.sub (local.get 0) (i32.shr_u (local.get 1) (i32.const 4))))
 *   (func (export "shr_sub") (param i32 i32) (result i32) (i32.sub (i32.shr_u (local.get 1) (i32.const 4)) (local.get 0)))
 *   (func (export "and_br") (param i32 i32) (result i32)
 *     (block (br_if 0 (i32.and (local.get 0) (i32.const 4))) (return (i32.const 1)))
 *     (if (result i32) (i32.and (local.get 0) (local.get 1)) (then (i32.const 3)) (else (i32.const 2))))
 *   (func (export "count") (param i32) (result i32) (local i32)
 *     (loop (local.set 1 (i32.add (local.get 1) (i32.const 3)))
 *           (br_if 0 (local.tee 0 (i32.add (local.get 0) (i32.const -1)))))
 *     (local.get 1))
 *   (func (export "dec_if") (param i32) (result i32)
 *     (if (result i32) (local.tee 0 (i32.add (local.get 0) (i32.const -1))) (then (local.get 0)) (else (i32.const 100))))
 *   (func (export "bits") (param i32) (result i32) (i32.and (i32.shr_u (local.get 0) (i32.const 36)) (i32.const 0xf0)))
 *   (func (export "madd") (param i32 f32) (result f32) (f32.add (local.get 1) (f32.load offset=4 (local.get 0))))
 *   (func (export "msub") (param i32 f64) (result f64) (f64.sub (local.get 1) (f64.load (local.get 0))))
 *   (func (export "iadd") (param i32 i32) (result i32) (i32.add (local.get 1) (i32.load (local.get 0))))
 *   (func (export "f_imm") (param f64) (result i32) (f64.gt (f64.mul (local.get 0) (f64.const 0.5)) (f64.const 4)))
 * )
 */
static const uint8_t forms_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x2c, 0x08, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00,
    0x60, 0x02, 0x7f, 0x7f, 0x00, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f,
    0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7d, 0x01, 0x7d, 0x60, 0x02, 0x7f, 0x7c, 0x01, 0x7c, 0x60, 0x01,
    0x7c, 0x01, 0x7f, 0x03, 0x14, 0x13, 0x00, 0x01, 0x02, 0x00, 0x01, 0x03, 0x03, 0x04, 0x04, 0x04, 0x04,
    0x04, 0x03, 0x03, 0x03, 0x05, 0x06, 0x04, 0x07, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0xb0, 0x01, 0x13,
    0x08, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x5f, 0x72, 0x72, 0x00, 0x00, 0x08, 0x73, 0x74, 0x6f, 0x72, 0x65,
    0x5f, 0x72, 0x69, 0x00, 0x01, 0x08, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x5f, 0x61, 0x69, 0x00, 0x02, 0x09,
    0x73, 0x74, 0x6f, 0x72, 0x65, 0x5f, 0x69, 0x64, 0x78, 0x00, 0x03, 0x08, 0x73, 0x74, 0x6f, 0x72, 0x65,
    0x5f, 0x73, 0x6b, 0x00, 0x04, 0x07, 0x6c, 0x6f, 0x61, 0x64, 0x5f, 0x73, 0x6b, 0x00, 0x05, 0x04, 0x6c,
    0x6f, 0x61, 0x64, 0x00, 0x06, 0x07, 0x78, 0x6f, 0x72, 0x5f, 0x73, 0x68, 0x6c, 0x00, 0x07, 0x07, 0x73,
    0x68, 0x6c, 0x5f, 0x78, 0x6f, 0x72, 0x00, 0x08, 0x07, 0x73, 0x75, 0x62, 0x5f, 0x73, 0x68, 0x72, 0x00,
    0x09, 0x07, 0x73, 0x68, 0x72, 0x5f, 0x73, 0x75, 0x62, 0x00, 0x0a, 0x06, 0x61, 0x6e, 0x64, 0x5f, 0x62,
    0x72, 0x00, 0x0b, 0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x0c, 0x06, 0x64, 0x65, 0x63, 0x5f, 0x69,
    0x66, 0x00, 0x0d, 0x04, 0x62, 0x69, 0x74, 0x73, 0x00, 0x0e, 0x04, 0x6d, 0x61, 0x64, 0x64, 0x00, 0x0f,
    0x04, 0x6d, 0x73, 0x75, 0x62, 0x00, 0x10, 0x04, 0x69, 0x61, 0x64, 0x64, 0x00, 0x11, 0x05, 0x66, 0x5f,
    0x69, 0x6d, 0x6d, 0x00, 0x12, 0x0a, 0x9b, 0x02, 0x13, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x20,
    0x02, 0x36, 0x02, 0x04, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x41, 0x08, 0x6a, 0x20, 0x01, 0x36, 0x02, 0x04,
    0x0b, 0x0d, 0x00, 0x20, 0x00, 0x41, 0x03, 0x6a, 0x41, 0xff, 0x03, 0x3a, 0x00, 0x00, 0x0b, 0x0f, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x41, 0x02, 0x74, 0x6a, 0x20, 0x02, 0x36, 0x02, 0x00, 0x0b, 0x0f, 0x00, 0x20,
    0x00, 0x41, 0x03, 0x74, 0x41, 0x10, 0x6a, 0x20, 0x01, 0x36, 0x02, 0x04, 0x0b, 0x0d, 0x00, 0x20, 0x00,
    0x41, 0x03, 0x74, 0x41, 0x10, 0x6a, 0x28, 0x02, 0x04, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00,
    0x0b, 0x0a, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x23, 0x74, 0x73, 0x0b, 0x0a, 0x00, 0x20, 0x01, 0x41,
    0x03, 0x74, 0x20, 0x00, 0x73, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x04, 0x76, 0x6b, 0x0b,
    0x0a, 0x00, 0x20, 0x01, 0x41, 0x04, 0x76, 0x20, 0x00, 0x6b, 0x0b, 0x1c, 0x00, 0x02, 0x40, 0x20, 0x00,
    0x41, 0x04, 0x71, 0x0d, 0x00, 0x41, 0x01, 0x0f, 0x0b, 0x20, 0x00, 0x20, 0x01, 0x71, 0x04, 0x7f, 0x41,
    0x03, 0x05, 0x41, 0x02, 0x0b, 0x0b, 0x19, 0x01, 0x01, 0x7f, 0x03, 0x40, 0x20, 0x01, 0x41, 0x03, 0x6a,
    0x21, 0x01, 0x20, 0x00, 0x41, 0x7f, 0x6a, 0x22, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b, 0x12, 0x00,
    0x20, 0x00, 0x41, 0x7f, 0x6a, 0x22, 0x00, 0x04, 0x7f, 0x20, 0x00, 0x05, 0x41, 0xe4, 0x00, 0x0b, 0x0b,
    0x0b, 0x00, 0x20, 0x00, 0x41, 0x24, 0x76, 0x41, 0xf0, 0x01, 0x71, 0x0b, 0x0a, 0x00, 0x20, 0x01, 0x20,
    0x00, 0x2a, 0x02, 0x04, 0x92, 0x0b, 0x0a, 0x00, 0x20, 0x01, 0x20, 0x00, 0x2b, 0x03, 0x00, 0xa1, 0x0b,
    0x0a, 0x00, 0x20, 0x01, 0x20, 0x00, 0x28, 0x02, 0x00, 0x6a, 0x0b, 0x18, 0x00, 0x20, 0x00, 0x44, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0x3f, 0xa2, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x40,
    0x64, 0x0b,
};

static void check_forms(env *e, bool fuel)
{
    ward_val a[3], r;
    const char *oob = "out of bounds memory access";
    a[0] = ward_val_i32(-1); /* -1 + 5 wraps to 4, + offset 4 */
    a[1] = ward_val_i32(5);
    a[2] = ward_val_i32(0x11223344);
    CHECK(call(e, "store_rr", a, 3, NULL, 0, NULL) == WARD_OK);
    a[0] = ward_val_i32(8);
    CHECK(call(e, "load", a, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 0x11223344);
    a[0] = ward_val_i32(65530);
    a[1] = ward_val_i32(0);
    expect_trap(e, "store_rr", a, 3, 0, WARD_TRAP_OOB_MEMORY, oob, 0x111);
    a[0] = ward_val_i32(-8); /* -8 + 8 = 0, + offset 4 */
    a[1] = ward_val_i32(77);
    CHECK(call(e, "store_ri", a, 2, NULL, 0, NULL) == WARD_OK);
    a[0] = ward_val_i32(4);
    CHECK(call(e, "load", a, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 77);
    a[0] = ward_val_i32(65525);
    expect_trap(e, "store_ri", a, 2, 0, WARD_TRAP_OOB_MEMORY, oob, 0x11e);
    a[0] = ward_val_i32(-3); /* address 0; the immediate 0x1ff stores its low byte */
    CHECK(call(e, "store_ai", a, 1, NULL, 0, NULL) == WARD_OK);
    a[0] = ward_val_i32(0);
    CHECK(call(e, "load", a, 1, &r, 1, NULL) == WARD_OK && (r.of.i32 & 0xff) == 0xff);
    a[0] = ward_val_i32(65533);
    expect_trap(e, "store_ai", a, 1, 0, WARD_TRAP_OOB_MEMORY, oob, 0x12c);
    a[0] = ward_val_i32(-4); /* -4 + (3 << 2) = 8 */
    a[1] = ward_val_i32(3);
    a[2] = ward_val_i32(99);
    CHECK(call(e, "store_idx", a, 3, NULL, 0, NULL) == WARD_OK);
    a[0] = ward_val_i32(8);
    CHECK(call(e, "load", a, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 99);
    a[0] = ward_val_i32(0);
    a[1] = ward_val_i32(0x4000);
    expect_trap(e, "store_idx", a, 3, 0, WARD_TRAP_OOB_MEMORY, oob, 0x13c);
    a[0] = ward_val_i32(0x20000001); /* << 3 wraps to 8, + 16 = 24, + offset 4 */
    a[1] = ward_val_i32(1234);
    CHECK(call(e, "store_sk", a, 2, NULL, 0, NULL) == WARD_OK);
    CHECK(call(e, "load_sk", a, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 1234);
    a[0] = ward_val_i32(28);
    CHECK(call(e, "load", a, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 1234);
    a[0] = ward_val_i32(0x2000);
    expect_trap(e, "store_sk", a, 2, 0, WARD_TRAP_OOB_MEMORY, oob, 0x14c);
    a[0] = ward_val_i32(1); /* the shift count is masked: 35 -> 3 */
    a[1] = ward_val_i32(1);
    CHECK(call(e, "xor_shl", a, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 9);
    CHECK(call(e, "shl_xor", a, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 9);
    a[0] = ward_val_i32(100);
    a[1] = ward_val_i32(-64); /* shr_u: 0xffffffc0 >> 4 = 0x0ffffffc */
    CHECK(call(e, "sub_shr", a, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 100u - 0x0ffffffcu);
    CHECK(call(e, "shr_sub", a, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 0x0ffffffcu - 100u);
    a[0] = ward_val_i32(3);
    a[1] = ward_val_i32(4);
    CHECK(call(e, "and_br", a, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 1);
    a[0] = ward_val_i32(4);
    CHECK(call(e, "and_br", a, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 3);
    a[1] = ward_val_i32(3);
    CHECK(call(e, "and_br", a, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 2);
    a[0] = ward_val_i32(5);
    CHECK(call(e, "count", a, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 15);
    CHECK(call(e, "dec_if", a, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 4);
    a[0] = ward_val_i32(1);
    CHECK(call(e, "dec_if", a, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 100);
    a[0] = ward_val_i32(0xabcd); /* the shift count is masked: 36 -> 4 */
    CHECK(call(e, "bits", a, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 0xb0);
    a[0] = ward_val_i32(28); /* holds 1234 (store_sk) */
    a[1] = ward_val_i32(6);
    CHECK(call(e, "iadd", a, 2, &r, 1, NULL) == WARD_OK && r.of.i32 == 1240);
    a[0] = ward_val_i32(100);
    a[1] = ward_val_f32(1.5f);
    CHECK(call(e, "madd", a, 2, &r, 1, NULL) == WARD_OK && r.of.f32_bits == 0x3fc00000u); /* 1.5f + 0 */
    a[1] = ward_val_f64(2.5);
    CHECK(call(e, "msub", a, 2, &r, 1, NULL) == WARD_OK && r.of.f64_bits == 0x4004000000000000ull); /* 2.5 - 0 */
    a[0] = ward_val_i32(65533);
    a[1] = ward_val_f32(1.5f);
    if (fuel)
        ward_store_set_fuel(e->store, 1000);
    expect_trap(e, "madd", a, 2, 1, WARD_TRAP_OOB_MEMORY, oob, 0x1ee);
    /* local.get, local.get and the load that traps; the add never ran */
    CHECK(!fuel || ward_store_fuel_consumed(e->store) == 3);
    a[1] = ward_val_f64(2.5);
    expect_trap(e, "msub", a, 2, 1, WARD_TRAP_OOB_MEMORY, oob, 0x1f9);
    a[1] = ward_val_i32(6);
    expect_trap(e, "iadd", a, 2, 1, WARD_TRAP_OOB_MEMORY, oob, 0x204);
    a[0] = ward_val_f64(10.0);
    CHECK(call(e, "f_imm", a, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 1);
    a[0] = ward_val_f64(8.0);
    CHECK(call(e, "f_imm", a, 1, &r, 1, NULL) == WARD_OK && r.of.i32 == 0);
}

static void test_operand_forms(void)
{
    for (int fuel = 0; fuel < 2; fuel++) {
        ward_engine *engine = ward_engine_new(NULL);
        ward_error err;
        ward_trap trap;
        ward_module *module = ward_module_new(engine, forms_wasm, sizeof forms_wasm, &err);
        ward_store *store = ward_store_new(engine);
        ward_instance *inst = NULL;
        if (fuel)
            ward_store_set_fuel(store, 1000000);
        CHECK(module && ward_instantiate(store, module, NULL, &inst, &err, &trap) == WARD_OK);
        if (inst) {
            env e = {engine, module, store, inst, 0, NULL};
            check_forms(&e, fuel);
        }
        ward_store_free(store);
        ward_module_free(module);
        ward_engine_free(engine);
    }
}

/* Regression: a valid SIMD module used to crash the translator (fuzz find);
 * now that SIMD executes it loads (the spec suite checks what it computes). */
static void test_simd_loads(void)
{
    /* (func (result i32) v128.const i32x4 0 0 0 0  i32x4.extract_lane 3) */
    static const uint8_t simd_wasm[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03,
        0x02, 0x01, 0x00, 0x0a, 0x19, 0x01, 0x17, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x1b, 0x03, 0x0b};
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.simd = true;
    ward_engine *engine = ward_engine_new(&cfg);
    ward_error err;
    ward_module *mod = ward_module_new(engine, simd_wasm, sizeof simd_wasm, &err);
    CHECK(mod != NULL);
    ward_module_free(mod);
    ward_engine_free(engine);
}

int main(void)
{
    env e;
    env_open(&e, NULL);
    if (e.inst) {
        test_trap_kinds(&e);
        test_backtrace(&e);
        test_recursion(&e);
        test_host_calls(&e);
        test_reentry(&e);
        test_multi_value(&e);
    }
    env_close(&e);
    test_configured_depth();
    test_function_names();
    test_address_forms();
    test_operand_forms();
    test_simd_loads();
    return test_summary("interp");
}
