/*
 * Tail calls (return_call, return_call_indirect; docs/interpreter.md): the
 * callee takes the caller's frame, so unbounded tail recursion runs in
 * constant frame space; arguments (v128 too) move down to the frame's base;
 * host and other-instance callees; the call_indirect traps; exact fuel.
 *
 * tail_wasm is wat2wasm --enable-tail-call of:
 *   (module
 *     (import "env" "add100" (func $add100 (param i32) (result i32)))
 *     (import "a" "peek" (func $peek (param i32) (result i32)))
 *     (type $ii (func (param i64 i64) (result i64)))
 *     (type $i (func (param i32) (result i32)))
 *     (memory 1)
 *     (data (i32.const 0) "\05")
 *     (table 4 funcref)
 *     (elem (i32.const 0) $even $odd $count)
 *     (func $even (export "even") (param i64 i64) (result i64)
 *       (if (result i64) (i64.eqz (local.get 0))
 *         (then (local.get 1))
 *         (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))
 *                                 (i64.add (local.get 1) (i64.const 1))))))
 *     (func $odd (param i64 i64) (result i64)
 *       (if (result i64) (i64.eqz (local.get 0))
 *         (then (i64.sub (i64.const 0) (local.get 1)))
 *         (else (return_call_indirect (type $ii) (i64.sub (local.get 0) (i64.const 1))
 *                                     (local.get 1) (i32.const 0)))))
 *     (func $count (export "count") (param i32) (result i32)
 *       (if (result i32) (i32.eqz (local.get 0))
 *         (then (i32.const 7))
 *         (else (return_call $count (i32.sub (local.get 0) (i32.const 1))))))
 *     (func $v (param i32 v128 i32) (result i32) (local i64)
 *       (i32.add (i32.add (i32x4.extract_lane 3 (local.get 1)) (local.get 2)) (local.get 0)))
 *     (func (export "vector") (param i32) (result i32) (local i32 i32 i32)
 *       (return_call $v (i32.const 1000) (v128.const i32x4 1 2 3 40) (local.get 0)))
 *     (func (export "host") (param i32) (result i32)
 *       (return_call $add100 (i32.add (local.get 0) (i32.const 1))))
 *     (func (export "other") (result i32)
 *       (return_call $peek (i32.const 0)))
 *     (func (export "indirect") (param i32) (result i32)
 *       (return_call_indirect (type $i) (i32.const 3) (local.get 0))))
 * peek_wasm: (module (memory 1) (data (i32.const 0) "\2a")
 *              (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))
 */
#include <stdint.h>

#include "../test.h"
#include "ward.h"

static const uint8_t tail_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x17, 0x04, 0x60, 0x02, 0x7e, 0x7e, 0x01, 0x7e,
    0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x03, 0x7f, 0x7b, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x02,
    0x17, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x61, 0x64, 0x64, 0x31, 0x30, 0x30, 0x00, 0x01, 0x01, 0x61,
    0x04, 0x70, 0x65, 0x65, 0x6b, 0x00, 0x01, 0x03, 0x09, 0x08, 0x00, 0x00, 0x01, 0x02, 0x01, 0x01, 0x03,
    0x01, 0x04, 0x04, 0x01, 0x70, 0x00, 0x04, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x33, 0x06, 0x04, 0x65,
    0x76, 0x65, 0x6e, 0x00, 0x02, 0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x04, 0x06, 0x76, 0x65, 0x63,
    0x74, 0x6f, 0x72, 0x00, 0x06, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x07, 0x05, 0x6f, 0x74, 0x68, 0x65,
    0x72, 0x00, 0x08, 0x08, 0x69, 0x6e, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74, 0x00, 0x09, 0x09, 0x09, 0x01,
    0x00, 0x41, 0x00, 0x0b, 0x03, 0x02, 0x03, 0x04, 0x0a, 0x90, 0x01, 0x08, 0x17, 0x00, 0x20, 0x00, 0x50,
    0x04, 0x7e, 0x20, 0x01, 0x05, 0x20, 0x00, 0x42, 0x01, 0x7d, 0x20, 0x01, 0x42, 0x01, 0x7c, 0x12, 0x03,
    0x0b, 0x0b, 0x1a, 0x00, 0x20, 0x00, 0x50, 0x04, 0x7e, 0x42, 0x00, 0x20, 0x01, 0x7d, 0x05, 0x20, 0x00,
    0x42, 0x01, 0x7d, 0x20, 0x01, 0x41, 0x00, 0x13, 0x00, 0x00, 0x0b, 0x0b, 0x12, 0x00, 0x20, 0x00, 0x45,
    0x04, 0x7f, 0x41, 0x07, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x12, 0x04, 0x0b, 0x0b, 0x0f, 0x01, 0x01,
    0x7e, 0x20, 0x01, 0xfd, 0x1b, 0x03, 0x20, 0x02, 0x6a, 0x20, 0x00, 0x6a, 0x0b, 0x1d, 0x01, 0x03, 0x7f,
    0x41, 0xe8, 0x07, 0xfd, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
    0x28, 0x00, 0x00, 0x00, 0x20, 0x00, 0x12, 0x05, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x12,
    0x00, 0x0b, 0x06, 0x00, 0x41, 0x00, 0x12, 0x01, 0x0b, 0x09, 0x00, 0x41, 0x03, 0x20, 0x00, 0x13, 0x01,
    0x00, 0x0b, 0x0b, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x05,
};

static const uint8_t peek_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03,
    0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x08, 0x01, 0x04, 0x70, 0x65, 0x65, 0x6b, 0x00,
    0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x0b, 0x0b, 0x07, 0x01, 0x00, 0x41,
    0x00, 0x0b, 0x01, 0x2a,
};

typedef struct fixture {
    ward_engine *engine;
    ward_store *store;
    ward_module *module, *peek_module;
    ward_instance *inst;
} fixture;

static ward_result add100(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    (void)env;
    (void)caller;
    (void)trap;
    results[0] = ward_val_i32(args[0].of.i32 + 100);
    return WARD_OK;
}

static bool setup(fixture *fx)
{
    memset(fx, 0, sizeof *fx);
    ward_error err = {{0}};
    ward_trap trap;
    ward_instance *peek = NULL;
    static const ward_valkind i32[1] = {WARD_I32};
    ward_functype type = {1, 1, i32, i32};
    fx->engine = ward_engine_new(NULL); /* tail calls are on by default */
    fx->store = ward_store_new(fx->engine);
    fx->module = ward_module_new(fx->engine, tail_wasm, sizeof tail_wasm, &err);
    CHECK_MSG(fx->module != NULL, "%s", err.message);
    fx->peek_module = ward_module_new(fx->engine, peek_wasm, sizeof peek_wasm, &err);
    ward_linker *linker = ward_linker_new();
    bool ok = fx->module && fx->peek_module && linker &&
              ward_instantiate(fx->store, fx->peek_module, NULL, &peek, &err, &trap) == WARD_OK &&
              ward_linker_define_instance(linker, "a", peek) == WARD_OK &&
              ward_linker_define_func(linker, "env", "add100", ward_func_new(fx->store, &type, add100, NULL)) ==
                  WARD_OK &&
              ward_instantiate(fx->store, fx->module, linker, &fx->inst, &err, &trap) == WARD_OK;
    CHECK_MSG(ok, "instantiation: %s", err.message);
    ward_linker_free(linker);
    return ok;
}

static void teardown(fixture *fx)
{
    ward_store_free(fx->store);
    ward_module_free(fx->module);
    ward_module_free(fx->peek_module);
    ward_engine_free(fx->engine);
}

static ward_result call1(fixture *fx, const char *name, const ward_val *args, size_t nargs, ward_val *result,
                         ward_trap *trap)
{
    memset(trap, 0, sizeof *trap);
    return ward_call(fx->store, ward_instance_func(fx->inst, name), args, nargs, result, 1, trap);
}

/* Ten million tail calls alternating between return_call and
 * return_call_indirect, far past the 10,000-frame default depth. */
static void test_unbounded_recursion(fixture *fx)
{
    ward_val args[2] = {ward_val_i64(10000000), ward_val_i64(0)}, r;
    ward_trap trap;
    CHECK_MSG(call1(fx, "even", args, 2, &r, &trap) == WARD_OK, "%s", trap.message);
    CHECK(r.of.i64 == 5000000);
    args[0] = ward_val_i64(7);
    CHECK(call1(fx, "even", args, 2, &r, &trap) == WARD_OK && (int64_t)r.of.i64 == -4);
}

static void test_arguments_and_targets(fixture *fx)
{
    ward_val a = ward_val_i32(2), r;
    ward_trap trap;
    /* a v128 argument between i32s, moved down over the caller's locals */
    CHECK(call1(fx, "vector", &a, 1, &r, &trap) == WARD_OK && r.of.i32 == 1042);
    /* a host function: its results become the caller's */
    CHECK(call1(fx, "host", &a, 1, &r, &trap) == WARD_OK && r.of.i32 == 103);
    /* another instance's function reads its own memory (42), not ours (5) */
    CHECK(call1(fx, "other", NULL, 0, &r, &trap) == WARD_OK && r.of.i32 == 42);
}

/* return_call_indirect checks like call_indirect, with the same traps. */
static void test_indirect_traps(fixture *fx)
{
    static const struct {
        int32_t index;
        ward_trap_kind kind;
    } cases[] = {
        {0, WARD_TRAP_INDIRECT_TYPE_MISMATCH}, /* $even: (i64 i64) -> i64 */
        {3, WARD_TRAP_UNINITIALIZED_ELEMENT},
        {4, WARD_TRAP_UNDEFINED_ELEMENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ward_val a = ward_val_i32(cases[i].index), r;
        ward_trap trap;
        CHECK(call1(fx, "indirect", &a, 1, &r, &trap) == WARD_TRAP);
        CHECK_MSG(trap.kind == cases[i].kind, "index %d: trap %s", (int)cases[i].index, trap.message);
    }
    ward_val a = ward_val_i32(2), r; /* $count: (i32) -> i32 */
    ward_trap trap;
    CHECK(call1(fx, "indirect", &a, 1, &r, &trap) == WARD_OK && r.of.i32 == 7);
}

/* Fuel of count(n) with a budget that cannot run out. */
static uint64_t count_fuel(fixture *fx, int32_t n)
{
    ward_val a = ward_val_i32(n), r;
    ward_trap trap;
    ward_store_set_fuel(fx->store, UINT64_MAX / 2);
    CHECK(call1(fx, "count", &a, 1, &r, &trap) == WARD_OK && r.of.i32 == 7);
    return ward_store_fuel_consumed(fx->store);
}

/* Each tail-recursive step costs its seven instructions (local.get,
 * i32.eqz, if, local.get, i32.const, i32.sub, return_call), and every
 * budget below the need stops after exactly that many. */
static void test_fuel(fixture *fx)
{
    uint64_t need = count_fuel(fx, 20);
    CHECK(count_fuel(fx, 21) - need == 7u);
    for (uint64_t f = 0; f <= need; f++) {
        ward_val a = ward_val_i32(20), r;
        ward_trap trap;
        ward_store_set_fuel(fx->store, f);
        ward_result res = call1(fx, "count", &a, 1, &r, &trap);
        if (f < need)
            CHECK_MSG(res == WARD_TRAP && trap.kind == WARD_TRAP_OUT_OF_FUEL &&
                          ward_store_fuel_consumed(fx->store) == f,
                      "fuel %llu", (unsigned long long)f);
        else
            CHECK(res == WARD_OK && r.of.i32 == 7 && ward_store_fuel_consumed(fx->store) == need);
    }
    ward_store_disable_fuel(fx->store);
}

int main(void)
{
    fixture fx;
    if (setup(&fx)) {
        test_unbounded_recursion(&fx);
        test_arguments_and_targets(&fx);
        test_indirect_traps(&fx);
        test_fuel(&fx);
    }
    teardown(&fx);
    return test_summary("tail_call");
}
