/*
 * Fuel is exact (docs/fuel.md): for each test function and every fuel
 * amount F below what the call needs, the call stops with "out of fuel" at
 * exactly the (F+1)-th executed instruction, having consumed exactly F;
 * with exactly the fuel needed it completes.  The expected traces are the
 * executed instructions' byte offsets, read off `wasm-objdump -d` of the
 * module below and followed by hand through its control flow.
 *
 * The module (wat2wasm of this text):
 *   (module
 *     (memory 1)
 *     (func $straight (export "straight") (result i32)
 *       i32.const 1
 *       i32.const 2
 *       i32.add
 *       nop
 *       i32.const 3
 *       i32.mul)
 *     (func $sum (export "sum") (param $n i32) (result i32) (local $acc i32)
 *       (block $done
 *         (loop $top
 *           (br_if $done (i32.eqz (local.get $n)))
 *           (local.set $acc (i32.add (local.get $acc) (local.get $n)))
 *           (local.set $n (i32.sub (local.get $n) (i32.const 1)))
 *           (br $top)))
 *       (local.get $acc))
 *     (func $twice (param i32) (result i32)
 *       local.get 0
 *       local.get 0
 *       i32.add)
 *     (func (export "calls") (result i32)
 *       i32.const 5
 *       call $twice
 *       call $twice)
 *     (func (export "branches") (param i32) (result i32)
 *       (if (result i32) (local.get 0)
 *         (then i32.const 10)
 *         (else i32.const 20))
 *       (if (i32.eqz (local.get 0)) (then nop))
 *       (block $a (block $b (br_table $a $b (local.get 0))) nop)
 *       drop
 *       i32.const 7)
 *     (func (export "trap") (result i32)
 *       i32.const 1
 *       drop
 *       unreachable)
 *     (func (export "bulk") (result i32)
 *       (memory.fill (i32.const 0) (i32.const 7) (i32.const 100))
 *       (memory.copy (i32.const 200) (i32.const 0) (i32.const 100))
 *       (i32.load8_u (i32.const 250)))
 *     (func (export "bulk_oob")
 *       (memory.fill (i32.const 65500) (i32.const 7) (i32.const 100))
 *       nop)
 *   )
 */
#include <stdint.h>

#include "../test.h"
#include "interp/exec.h"
#include "ward.h"

static const uint8_t fuel_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0d, 0x03, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x01,
    0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x03, 0x09, 0x08, 0x00, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02,
    0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x3e, 0x07, 0x08, 0x73, 0x74, 0x72, 0x61, 0x69, 0x67, 0x68, 0x74,
    0x00, 0x00, 0x03, 0x73, 0x75, 0x6d, 0x00, 0x01, 0x05, 0x63, 0x61, 0x6c, 0x6c, 0x73, 0x00, 0x03, 0x08,
    0x62, 0x72, 0x61, 0x6e, 0x63, 0x68, 0x65, 0x73, 0x00, 0x04, 0x04, 0x74, 0x72, 0x61, 0x70, 0x00, 0x05,
    0x04, 0x62, 0x75, 0x6c, 0x6b, 0x00, 0x06, 0x08, 0x62, 0x75, 0x6c, 0x6b, 0x5f, 0x6f, 0x6f, 0x62, 0x00,
    0x07, 0x0a, 0x9a, 0x01, 0x08, 0x0b, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x01, 0x41, 0x03, 0x6c, 0x0b,
    0x21, 0x01, 0x01, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01, 0x20, 0x01, 0x20, 0x00,
    0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x01, 0x0b,
    0x07, 0x00, 0x20, 0x00, 0x20, 0x00, 0x6a, 0x0b, 0x08, 0x00, 0x41, 0x05, 0x10, 0x02, 0x10, 0x02, 0x0b,
    0x23, 0x00, 0x20, 0x00, 0x04, 0x7f, 0x41, 0x0a, 0x05, 0x41, 0x14, 0x0b, 0x20, 0x00, 0x45, 0x04, 0x40,
    0x01, 0x0b, 0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x0e, 0x01, 0x01, 0x00, 0x0b, 0x01, 0x0b, 0x1a, 0x41,
    0x07, 0x0b, 0x06, 0x00, 0x41, 0x01, 0x1a, 0x00, 0x0b, 0x1e, 0x00, 0x41, 0x00, 0x41, 0x07, 0x41, 0xe4,
    0x00, 0xfc, 0x0b, 0x00, 0x41, 0xc8, 0x01, 0x41, 0x00, 0x41, 0xe4, 0x00, 0xfc, 0x0a, 0x00, 0x00, 0x41,
    0xfa, 0x01, 0x2d, 0x00, 0x00, 0x0b, 0x0f, 0x00, 0x41, 0xdc, 0xff, 0x03, 0x41, 0x07, 0x41, 0xe4, 0x00,
    0xfc, 0x0b, 0x00, 0x01, 0x0b,
};

typedef struct env {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_instance *inst;
} env;

static void env_open(env *e)
{
    ward_error err;
    ward_trap trap;
    e->engine = ward_engine_new(NULL);
    e->module = ward_module_new(e->engine, fuel_wasm, sizeof fuel_wasm, &err);
    CHECK_MSG(e->module != NULL, "%s", err.message);
    e->store = ward_store_new(e->engine);
    e->inst = NULL;
    if (e->module)
        CHECK(ward_instantiate(e->store, e->module, NULL, &e->inst, &err, &trap) == WARD_OK);
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

/* Sweep F = 0..n: below n the call stops at trace[F] having used F. */
static void check_trace(env *e, const char *name, const ward_val *args, size_t nargs, size_t nresults,
                        const uint32_t *trace, uint64_t n)
{
    ward_val results[4];
    ward_trap trap;
    for (uint64_t fuel = 0; fuel <= n; fuel++) {
        ward_store_set_fuel(e->store, fuel);
        ward_result r = call(e, name, args, nargs, results, nresults, &trap);
        if (fuel < n) {
            CHECK_MSG(r == WARD_TRAP && trap.kind == WARD_TRAP_OUT_OF_FUEL,
                      "%s with fuel %llu: result %d kind %d", name, (unsigned long long)fuel, r, trap.kind);
            CHECK_MSG(trap.offset == trace[fuel], "%s with fuel %llu: stopped at 0x%x, expected 0x%x", name,
                      (unsigned long long)fuel, trap.offset, trace[fuel]);
            CHECK_MSG(ward_store_fuel_consumed(e->store) == fuel, "%s: consumed %llu of %llu", name,
                      (unsigned long long)ward_store_fuel_consumed(e->store), (unsigned long long)fuel);
            CHECK(ward_store_fuel_remaining(e->store) == 0);
            CHECK_CONTAINS(trap.message, "out of fuel");
        } else {
            CHECK_MSG(r == WARD_OK, "%s with exactly %llu fuel: result %d (%s)", name,
                      (unsigned long long)fuel, r, trap.message);
            CHECK(ward_store_fuel_consumed(e->store) == n);
            CHECK(ward_store_fuel_remaining(e->store) == 0);
        }
    }
}

static void test_straight_line(env *e)
{
    static const uint32_t trace[] = {0x6d, 0x6f, 0x71, 0x72, 0x73, 0x75, 0x76};
    check_trace(e, "straight", NULL, 0, 1, trace, 7);
}

static void test_loop(env *e)
{
    /* sum(2): block, loop, two full iterations, the exit test, the tail. */
    static const uint32_t trace[] = {
        0x7b, 0x7d, 0x7f, 0x81, 0x82, 0x84, 0x86, 0x88, 0x89, 0x8b, 0x8d, 0x8f, 0x90, 0x92, 0x7f,
        0x81, 0x82, 0x84, 0x86, 0x88, 0x89, 0x8b, 0x8d, 0x8f, 0x90, 0x92, 0x7f, 0x81, 0x82, /* br_if taken:
                                                                                               neither end of
                                                                                               the loop or
                                                                                               block runs */
        0x96, 0x98,
    };
    ward_val arg = ward_val_i32(2);
    check_trace(e, "sum", &arg, 1, 1, trace, sizeof trace / sizeof trace[0]);
}

static void test_calls(env *e)
{
    static const uint32_t trace[] = {0xa3, 0xa5, 0x9b, 0x9d, 0x9f, 0xa0, 0xa7, 0x9b, 0x9d, 0x9f, 0xa0, 0xa9};
    check_trace(e, "calls", NULL, 0, 1, trace, sizeof trace / sizeof trace[0]);
}

static void test_branches(env *e)
{
    /* then-arm falls into `else` (charged) and skips `end`; an if without
     * else runs its `end` on the false path; br_table to the inner block
     * skips its end, to the outer block skips both. */
    static const uint32_t taken[] = {0xac, 0xae, 0xb0, 0xb2, 0xb6, 0xb8, 0xb9, 0xbc, 0xbd,
                                     0xbf, 0xc1, 0xc3, 0xc8, 0xc9, 0xca, 0xcb, 0xcd};
    static const uint32_t not_taken[] = {0xac, 0xae, 0xb3, 0xb5, 0xb6, 0xb8, 0xb9, 0xbb,
                                         0xbc, 0xbd, 0xbf, 0xc1, 0xc3, 0xca, 0xcb, 0xcd};
    ward_val one = ward_val_i32(1), zero = ward_val_i32(0);
    check_trace(e, "branches", &one, 1, 1, taken, sizeof taken / sizeof taken[0]);
    check_trace(e, "branches", &zero, 1, 1, not_taken, sizeof not_taken / sizeof not_taken[0]);
}

static void test_trap_refund(env *e)
{
    static const uint32_t trace[] = {0xd0, 0xd2, 0xd3};
    ward_val result;
    ward_trap trap;
    /* Below 3 units the stop comes first; from 3 on, unreachable traps and
     * the block's unexecuted `end` is refunded. */
    for (uint64_t fuel = 0; fuel < 3; fuel++) {
        ward_store_set_fuel(e->store, fuel);
        CHECK(call(e, "trap", NULL, 0, &result, 1, &trap) == WARD_TRAP);
        CHECK(trap.kind == WARD_TRAP_OUT_OF_FUEL && trap.offset == trace[fuel]);
    }
    for (uint64_t fuel = 3; fuel < 6; fuel++) {
        ward_store_set_fuel(e->store, fuel);
        CHECK(call(e, "trap", NULL, 0, &result, 1, &trap) == WARD_TRAP);
        CHECK(trap.kind == WARD_TRAP_UNREACHABLE && trap.offset == 0xd3);
        CHECK(ward_store_fuel_consumed(e->store) == 3);
        CHECK(ward_store_fuel_remaining(e->store) == fuel - 3);
    }
}

static void test_bulk(env *e)
{
    static const uint32_t trace[] = {0xd7, 0xd9, 0xdb, 0xde, 0xe1, 0xe4, 0xe6, 0xe9, 0xed, 0xf0, 0xf3};
    check_trace(e, "bulk", NULL, 0, 1, trace, sizeof trace / sizeof trace[0]);
    ward_val result;
    ward_trap trap;
    ward_store_set_fuel(e->store, 11);
    CHECK(call(e, "bulk", NULL, 0, &result, 1, &trap) == WARD_OK && result.of.i32 == 7);
    /* The fill traps (no partial write) after 4 instructions; nop and end
     * are refunded. */
    ward_store_set_fuel(e->store, 100);
    CHECK(call(e, "bulk_oob", NULL, 0, NULL, 0, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_OOB_MEMORY && trap.offset == 0xff);
    CHECK(ward_store_fuel_consumed(e->store) == 4);
    CHECK(ward_store_fuel_remaining(e->store) == 96);
}

static void test_store_usable_after_stop(env *e)
{
    ward_val arg = ward_val_i32(100), result;
    ward_trap trap;
    ward_store_set_fuel(e->store, 50);
    CHECK(call(e, "sum", &arg, 1, &result, 1, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_OUT_OF_FUEL);
    CHECK(ward_store_fuel_consumed(e->store) == 50);
    /* sum(100) needs 2 + 12*100 + 3 + 2 units */
    ward_store_set_fuel(e->store, 1207);
    CHECK(call(e, "sum", &arg, 1, &result, 1, &trap) == WARD_OK);
    CHECK(result.of.i32 == 5050);
    CHECK(ward_store_fuel_remaining(e->store) == 0);
    ward_store_set_fuel(e->store, 1206);
    CHECK(call(e, "sum", &arg, 1, &result, 1, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_OUT_OF_FUEL && trap.offset == 0x98);
    ward_store_disable_fuel(e->store);
    CHECK(!ward_store_fuel_enabled(e->store));
    CHECK(call(e, "sum", &arg, 1, &result, 1, &trap) == WARD_OK);
    CHECK(result.of.i32 == 5050);
}

static void run_all(env *e)
{
    test_straight_line(e);
    test_loop(e);
    test_calls(e);
    test_branches(e);
    test_trap_refund(e);
    test_bulk(e);
    test_store_usable_after_stop(e);
}

int main(void)
{
    env e;
    env_open(&e);
    if (e.inst) {
        /* Nothing metered exists before the first fuel call: the sweeps
         * below run on code translated lazily, on demand (docs/fuel.md). */
        const wcompiled_func *sum = ward_instance_func(e.inst, "sum")->code;
        CHECK(wcompiled_variant_ready(sum, WVAR_METERED) == NULL);
        CHECK(wcompiled_variant_ready(sum, WVAR_STEP) == NULL);
        run_all(&e);
        CHECK(wcompiled_variant_ready(sum, WVAR_METERED) != NULL);
        CHECK(wcompiled_variant_ready(sum, WVAR_STEP) != NULL);
        /* The per-instruction step code is the reference: it must give the
         * same stops as the block-metered code. */
        CHECK(wexec_set_step_only(e.store, true));
        run_all(&e);
    }
    env_close(&e);
    return test_summary("fuel");
}
