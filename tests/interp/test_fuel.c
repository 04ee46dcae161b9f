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

/*
 * Shapes the metered code merges (docs/fuel.md, "Merging"): a block that
 * always continues into the next block head pays for it too, so taken
 * branches charge or refund a difference.  Their stops are checked against
 * the per-instruction step code at every fuel amount (merge_wasm, from
 * wat2wasm of):
 * (module
 *   (memory 1)
 *   ;; if/else inside a counted loop: the arms cost differently, so the
 *   ;; merged branch charges or refunds the difference each way
 *   (func (export "diamond") (param $n i32) (result i32) (local $acc i32)
 *     (loop $top
 *       (if (i32.and (local.get $n) (i32.const 1))
 *         (then (local.set $acc (i32.add (local.get $acc) (i32.const 3))))
 *         (else (local.set $acc (i32.mul (i32.add (local.get $acc) (i32.const 1)) (i32.const 2)))
 *               (local.set $acc (i32.xor (local.get $acc) (i32.const 5)))))
 *       (br_if $top (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
 *     (local.get $acc))
 *   ;; forward br out of nested blocks, a br_if to an inner label followed by
 *   ;; more ends (chained heads), a continue-style br_if to the loop latch
 *   (func (export "nested") (param $n i32) (result i32) (local $acc i32)
 *     (block $out
 *       (loop $top
 *         (block $latch
 *           (block $inner
 *             (br_if $inner (i32.eqz (i32.rem_u (local.get $n) (i32.const 3))))
 *             (local.set $acc (i32.add (local.get $acc) (local.get $n)))
 *             (br_if $latch (i32.eqz (i32.rem_u (local.get $n) (i32.const 5))))
 *             (local.set $acc (i32.sub (local.get $acc) (i32.const 1)))
 *             (br $latch))
 *           (local.set $acc (i32.add (local.get $acc) (i32.const 100))))
 *         (local.set $n (i32.sub (local.get $n) (i32.const 1)))
 *         (br_if $out (i32.eqz (local.get $n)))
 *         (br $top)))
 *     (local.get $acc))
 *   ;; a trap in a block that paid ahead for its successor, and one in the
 *   ;; successor: each refunds exactly what did not run
 *   (func (export "trap_ahead") (param $x i32) (result i32)
 *     (if (i32.eqz (local.get $x)) (then (return (i32.const 7))))
 *     (drop (i32.div_u (i32.const 10) (i32.sub (local.get $x) (i32.const 1))))
 *     (if (result i32) (i32.gt_u (local.get $x) (i32.const 5))
 *       (then (i32.load (i32.mul (local.get $x) (i32.const 10000))))
 *       (else (i32.const 9)))
 *     (i32.add (i32.const 1)))
 *   ;; br_if carrying a value (copies: not merged), br_table, a call in a loop
 *   (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
 *   (func (export "mixed") (param $n i32) (result i32) (local $acc i32)
 *     (loop $top
 *       (local.set $acc
 *         (i32.add (local.get $acc)
 *           (block $b (result i32)
 *             (drop (br_if $b (i32.const 11) (i32.eq (local.get $n) (i32.const 2))))
 *             (block $t0 (block $t1 (block $t2
 *               (br_table $t0 $t1 $t2 (i32.rem_u (local.get $n) (i32.const 3))))
 *               (br $b (call $sq (local.get $n))))
 *               (br $b (i32.const 4)))
 *             (i32.const 5))))
 *       (br_if $top (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
 *     (local.get $acc))
 * )
 */
static const uint8_t merge_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03,
    0x06, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x29, 0x04, 0x07, 0x64,
    0x69, 0x61, 0x6d, 0x6f, 0x6e, 0x64, 0x00, 0x00, 0x06, 0x6e, 0x65, 0x73, 0x74, 0x65, 0x64, 0x00, 0x01,
    0x0a, 0x74, 0x72, 0x61, 0x70, 0x5f, 0x61, 0x68, 0x65, 0x61, 0x64, 0x00, 0x02, 0x05, 0x6d, 0x69, 0x78,
    0x65, 0x64, 0x00, 0x04, 0x0a, 0xf7, 0x01, 0x05, 0x33, 0x01, 0x01, 0x7f, 0x03, 0x40, 0x20, 0x00, 0x41,
    0x01, 0x71, 0x04, 0x40, 0x20, 0x01, 0x41, 0x03, 0x6a, 0x21, 0x01, 0x05, 0x20, 0x01, 0x41, 0x01, 0x6a,
    0x41, 0x02, 0x6c, 0x21, 0x01, 0x20, 0x01, 0x41, 0x05, 0x73, 0x21, 0x01, 0x0b, 0x20, 0x00, 0x41, 0x01,
    0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b, 0x48, 0x01, 0x01, 0x7f, 0x02, 0x40, 0x03, 0x40,
    0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x41, 0x03, 0x70, 0x45, 0x0d, 0x00, 0x20, 0x01, 0x20, 0x00, 0x6a,
    0x21, 0x01, 0x20, 0x00, 0x41, 0x05, 0x70, 0x45, 0x0d, 0x01, 0x20, 0x01, 0x41, 0x01, 0x6b, 0x21, 0x01,
    0x0c, 0x01, 0x0b, 0x20, 0x01, 0x41, 0xe4, 0x00, 0x6a, 0x21, 0x01, 0x0b, 0x20, 0x00, 0x41, 0x01, 0x6b,
    0x21, 0x00, 0x20, 0x00, 0x45, 0x0d, 0x01, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x01, 0x0b, 0x2c, 0x00, 0x20,
    0x00, 0x45, 0x04, 0x40, 0x41, 0x07, 0x0f, 0x0b, 0x41, 0x0a, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x6e, 0x1a,
    0x20, 0x00, 0x41, 0x05, 0x4b, 0x04, 0x7f, 0x20, 0x00, 0x41, 0x90, 0xce, 0x00, 0x6c, 0x28, 0x02, 0x00,
    0x05, 0x41, 0x09, 0x0b, 0x41, 0x01, 0x6a, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x00, 0x6c, 0x0b, 0x43,
    0x01, 0x01, 0x7f, 0x03, 0x40, 0x20, 0x01, 0x02, 0x7f, 0x41, 0x0b, 0x20, 0x00, 0x41, 0x02, 0x46, 0x0d,
    0x00, 0x1a, 0x02, 0x40, 0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x41, 0x03, 0x70, 0x0e, 0x02, 0x02, 0x01,
    0x00, 0x0b, 0x20, 0x00, 0x10, 0x03, 0x0c, 0x02, 0x0b, 0x41, 0x04, 0x0c, 0x01, 0x0b, 0x41, 0x05, 0x0b,
    0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b,
};

typedef struct env {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_instance *inst;
} env;

static void env_open_bytes(env *e, const uint8_t *bytes, size_t size)
{
    ward_error err;
    ward_trap trap;
    e->engine = ward_engine_new(NULL);
    e->module = ward_module_new(e->engine, bytes, size, &err);
    CHECK_MSG(e->module != NULL, "%s", err.message);
    e->store = ward_store_new(e->engine);
    e->inst = NULL;
    if (e->module)
        CHECK(ward_instantiate(e->store, e->module, NULL, &e->inst, &err, &trap) == WARD_OK);
}

static void env_open(env *e)
{
    env_open_bytes(e, fuel_wasm, sizeof fuel_wasm);
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

/* How one call ended. */
typedef struct outcome {
    ward_result r;
    ward_trap_kind kind;
    uint32_t offset, func;
    uint64_t consumed;
    int32_t value;
} outcome;

static outcome run_once(env *e, const char *name, int32_t arg, uint64_t fuel, bool step_only)
{
    ward_val a = ward_val_i32(arg), result = {0};
    ward_trap trap = {0};
    CHECK(wexec_set_step_only(e->store, step_only));
    ward_store_set_fuel(e->store, fuel);
    outcome o = {call(e, name, &a, 1, &result, 1, &trap), WARD_TRAP_NONE, 0, 0, 0, 0};
    if (o.r == WARD_TRAP) {
        o.kind = trap.kind;
        o.offset = trap.offset;
        o.func = trap.func_index;
    } else {
        o.value = result.of.i32;
    }
    o.consumed = ward_store_fuel_consumed(e->store);
    return o;
}

static bool same_outcome(outcome a, outcome b)
{
    return a.r == b.r && a.kind == b.kind && a.offset == b.offset && a.func == b.func &&
           a.consumed == b.consumed && a.value == b.value;
}

/* For every fuel amount up to well past the need (a merged block pays
 * ahead, so below need + its extra the metered code diverts to the step
 * code at its head), and with ample fuel, the metered code stops (or
 * traps, or returns) exactly as the step code does, consuming the same. */
static void check_same_as_step(env *e, const char *name, int32_t arg)
{
    outcome full = run_once(e, name, arg, UINT64_C(1) << 40, true);
    CHECK_MSG(same_outcome(full, run_once(e, name, arg, UINT64_C(1) << 40, false)), "%s(%d) with ample fuel",
              name, arg);
    for (uint64_t fuel = 0; fuel <= full.consumed + 100; fuel++) {
        outcome m = run_once(e, name, arg, fuel, false), st = run_once(e, name, arg, fuel, true);
        CHECK_MSG(same_outcome(m, st),
                  "%s(%d) with fuel %llu: metered %d kind %d at 0x%x used %llu value %d, step %d kind %d at "
                  "0x%x used %llu value %d",
                  name, arg, (unsigned long long)fuel, m.r, m.kind, m.offset, (unsigned long long)m.consumed,
                  m.value, st.r, st.kind, st.offset, (unsigned long long)st.consumed, st.value);
        if (fuel < full.consumed)
            CHECK(st.kind == WARD_TRAP_OUT_OF_FUEL && st.consumed == fuel);
        else
            CHECK(st.r == full.r && st.kind == full.kind && st.consumed == full.consumed);
    }
    CHECK(wexec_set_step_only(e->store, false));
}

static void test_merged_shapes(void)
{
    env e;
    env_open_bytes(&e, merge_wasm, sizeof merge_wasm);
    if (e.inst) {
        for (int32_t n = 1; n <= 4; n++)
            check_same_as_step(&e, "diamond", n);
        for (int32_t n = 1; n <= 16; n++)
            check_same_as_step(&e, "nested", n);
        for (int32_t x = 0; x <= 7; x++) /* 1: divides by zero; 7: loads out of bounds */
            check_same_as_step(&e, "trap_ahead", x);
        for (int32_t n = 1; n <= 7; n++)
            check_same_as_step(&e, "mixed", n);
        /* Fuel past 2^62 waits outside the dispatch loop's budget (merged
         * branches test a signed budget) and is all accounted for. */
        outcome need = run_once(&e, "nested", 16, 100000, true);
        outcome huge = run_once(&e, "nested", 16, UINT64_MAX, false);
        CHECK(same_outcome(need, huge) && huge.r == WARD_OK);
        CHECK(ward_store_fuel_remaining(e.store) == UINT64_MAX - need.consumed);
        /* the results themselves, against fuel off */
        ward_val a = ward_val_i32(9), r1, r2;
        ward_trap trap;
        ward_store_disable_fuel(e.store);
        CHECK(call(&e, "nested", &a, 1, &r1, 1, &trap) == WARD_OK);
        ward_store_set_fuel(e.store, 100000);
        CHECK(call(&e, "nested", &a, 1, &r2, 1, &trap) == WARD_OK && r1.of.i32 == r2.of.i32);
    }
    env_close(&e);
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
    test_merged_shapes();
    return test_summary("fuel");
}
