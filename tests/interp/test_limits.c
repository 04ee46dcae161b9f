/*
 * Resource limits through the public API (docs/limits.md): timeouts and
 * interrupts stop guest loops with their own traps and leave the store
 * usable; fuel stays exact when it is handed out in slices; memory and
 * table limits make grow return -1 and refuse oversized minimums; call
 * depth and value-stack limits end infinite recursion cleanly.
 *
 * The modules (wat2wasm of these texts):
 *   limits:
 *   (module
 *     (memory $own 1)
 *     (table $tab 1 funcref)
 *     (global $calls (export "calls") (mut i32) (i32.const 0))
 *     (func (export "spin") (loop br 0))
 *     (func $nop)
 *     (func (export "spin_calls") (loop (call $nop) (br 0)))
 *     (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
 *     (func (export "count") (param i32) (result i32)
 *       (block (loop
 *         (br_if 1 (i32.eqz (local.get 0)))
 *         (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
 *         (br 0)))
 *       (local.get 0))
 *     (func (export "memory_bomb") (result i32)
 *       (block (loop
 *         (br_if 1 (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
 *         (br 0)))
 *       (memory.size))
 *     (func (export "table_bomb") (result i32)
 *       (block (loop
 *         (br_if 1 (i32.eq (table.grow $tab (ref.null func) (i32.const 1)) (i32.const -1)))
 *         (br 0)))
 *       (table.size $tab))
 *     (func $recurse (export "recurse") (param i32) (result i32)
 *       (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
 *       (i32.add (call $recurse (local.get 0)) (i32.const 1))))
 *   deep (issue 11's reproducer):
 *   (module (func $r (export "r") (param i32) (result i32)
 *     (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
 *       (else (i32.add (i32.const 1) (call $r (i32.sub (local.get 0) (i32.const 1))))))))
 *   imp:    (module (import "env" "mem" (memory 1 50)))
 *   bigmem: (module (memory 20))
 *   bigtab: (module (table 100 funcref))
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../test.h"
#include "ward.h"

static const uint8_t limits_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x13, 0x04, 0x60, 0x00, 0x00, 0x60, 0x02,
    0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x09, 0x08,
    0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x03, 0x02, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01, 0x05, 0x03,
    0x01, 0x00, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x07, 0x50, 0x08, 0x05, 0x63,
    0x61, 0x6c, 0x6c, 0x73, 0x03, 0x00, 0x04, 0x73, 0x70, 0x69, 0x6e, 0x00, 0x00, 0x0a, 0x73, 0x70,
    0x69, 0x6e, 0x5f, 0x63, 0x61, 0x6c, 0x6c, 0x73, 0x00, 0x02, 0x03, 0x61, 0x64, 0x64, 0x00, 0x03,
    0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x04, 0x0b, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x5f,
    0x62, 0x6f, 0x6d, 0x62, 0x00, 0x05, 0x0a, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x5f, 0x62, 0x6f, 0x6d,
    0x62, 0x00, 0x06, 0x07, 0x72, 0x65, 0x63, 0x75, 0x72, 0x73, 0x65, 0x00, 0x07, 0x0a, 0x78, 0x08,
    0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b, 0x02, 0x00, 0x0b, 0x09, 0x00, 0x03, 0x40, 0x10,
    0x01, 0x0c, 0x00, 0x0b, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, 0x18, 0x00, 0x02,
    0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, 0x0c,
    0x00, 0x0b, 0x0b, 0x20, 0x00, 0x0b, 0x15, 0x00, 0x02, 0x40, 0x03, 0x40, 0x41, 0x01, 0x40, 0x00,
    0x41, 0x7f, 0x46, 0x0d, 0x01, 0x0c, 0x00, 0x0b, 0x0b, 0x3f, 0x00, 0x0b, 0x19, 0x00, 0x02, 0x40,
    0x03, 0x40, 0xd0, 0x70, 0x41, 0x01, 0xfc, 0x0f, 0x00, 0x41, 0x7f, 0x46, 0x0d, 0x01, 0x0c, 0x00,
    0x0b, 0x0b, 0xfc, 0x10, 0x00, 0x0b, 0x10, 0x00, 0x23, 0x00, 0x41, 0x01, 0x6a, 0x24, 0x00, 0x20,
    0x00, 0x10, 0x07, 0x41, 0x01, 0x6a, 0x0b,
};
static const uint8_t deep_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
    0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x72, 0x00, 0x00, 0x0a, 0x17, 0x01, 0x15, 0x00,
    0x20, 0x00, 0x45, 0x04, 0x7f, 0x41, 0x00, 0x05, 0x41, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10,
    0x00, 0x6a, 0x0b, 0x0b,
};
static const uint8_t imp_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0d, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03,
    0x6d, 0x65, 0x6d, 0x02, 0x01, 0x01, 0x32,
};
static const uint8_t bigmem_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x14,
};
static const uint8_t bigtab_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x64,
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

typedef struct fixture {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_instance *inst;
} fixture;

/* An engine with cfg (NULL: defaults) and one instance of `limits`. */
static bool setup(fixture *fx, const ward_config *cfg)
{
    ward_error err;
    ward_trap trap;
    memset(fx, 0, sizeof *fx);
    fx->engine = ward_engine_new(cfg);
    fx->module = ward_module_new(fx->engine, limits_wasm, sizeof limits_wasm, &err);
    CHECK_MSG(fx->module != NULL, "%s", err.message);
    if (!fx->module)
        return false;
    fx->store = ward_store_new(fx->engine);
    ward_result r = ward_instantiate(fx->store, fx->module, NULL, &fx->inst, &err, &trap);
    CHECK_MSG(r == WARD_OK, "%s", err.message);
    return r == WARD_OK;
}

static void teardown(fixture *fx)
{
    ward_store_free(fx->store);
    ward_module_free(fx->module);
    ward_engine_free(fx->engine);
}

static ward_result call0(fixture *fx, const char *name, ward_val *result, ward_trap *trap)
{
    ward_func *f = ward_instance_func(fx->inst, name);
    CHECK_MSG(f != NULL, "no export %s", name);
    return ward_call(fx->store, f, NULL, 0, result, result ? 1 : 0, trap);
}

static ward_result call1(fixture *fx, const char *name, int32_t arg, ward_val *result, ward_trap *trap)
{
    ward_val a = ward_val_i32(arg);
    return ward_call(fx->store, ward_instance_func(fx->inst, name), &a, 1, result, 1, trap);
}

/* add(2, 3) == 5: the store still works. */
static void check_usable(fixture *fx)
{
    ward_val args[2] = {ward_val_i32(2), ward_val_i32(3)}, res;
    ward_trap trap;
    ward_result r = ward_call(fx->store, ward_instance_func(fx->inst, "add"), args, 2, &res, 1, &trap);
    CHECK_MSG(r == WARD_OK && res.of.i32 == 5, "add: %d %s", (int)r, trap.message);
}

/* ---- timeouts --------------------------------------------------------- */

static void test_timeout(const char *loop)
{
    fixture fx;
    if (!setup(&fx, NULL))
        return;
    ward_store_set_timeout(fx.store, 100);
    ward_trap trap;
    uint64_t start = now_ms();
    ward_result r = call0(&fx, loop, NULL, &trap);
    uint64_t took = now_ms() - start;
    CHECK_MSG(r == WARD_TRAP && trap.kind == WARD_TRAP_TIMEOUT, "%s: %d %s", loop, (int)r, trap.message);
    CHECK(strcmp(trap.message, "timeout") == 0);
    CHECK_MSG(took >= 100 && took < 2000, "%s stopped after %llu ms", loop, (unsigned long long)took);
    CHECK(trap.nframes >= 1);
    /* each call gets its own 100 ms: a short one completes */
    check_usable(&fx);
    ward_val res;
    r = call1(&fx, "count", 100000, &res, &trap);
    CHECK(r == WARD_OK && res.of.i32 == 0);
    /* a second runaway call is stopped again */
    start = now_ms();
    r = call0(&fx, loop, NULL, &trap);
    CHECK(r == WARD_TRAP && trap.kind == WARD_TRAP_TIMEOUT && now_ms() - start >= 100);
    /* no timeout: plain code again, and long loops finish */
    ward_store_set_timeout(fx.store, 0);
    r = call1(&fx, "count", 3000000, &res, &trap);
    CHECK(r == WARD_OK && res.of.i32 == 0);
    teardown(&fx);
}

/* Issue 11, defect 6: a timeout of ~UINT64_MAX ms overflowed the deadline
 * (now + timeout) into the past, so every call trapped at once; it
 * saturates now and means "practically never". */
static void test_huge_timeouts(void)
{
    static const uint64_t huge_ms[] = {UINT64_MAX, UINT64_MAX - 1, UINT64_MAX / 1000000u,
                                       UINT64_MAX / 1000000u + 1, 18446744073709u};
    fixture fx;
    if (!setup(&fx, NULL))
        return;
    for (size_t i = 0; i < sizeof huge_ms / sizeof huge_ms[0]; i++) {
        ward_store_set_timeout(fx.store, huge_ms[i]);
        ward_val res;
        ward_trap trap;
        ward_result r = call1(&fx, "count", 100000, &res, &trap);
        CHECK_MSG(r == WARD_OK && res.of.i32 == 0, "timeout %llu ms: %d %s", (unsigned long long)huge_ms[i], (int)r,
                  r == WARD_TRAP ? trap.message : "");
    }
    /* 1 ms still stops a runaway loop */
    ward_store_set_timeout(fx.store, 1);
    ward_trap trap;
    CHECK(call0(&fx, "spin", NULL, &trap) == WARD_TRAP && trap.kind == WARD_TRAP_TIMEOUT);
    teardown(&fx);
}

/* ---- interrupts --------------------------------------------------------- */

typedef struct interrupter {
    ward_store *store;
    unsigned delay_ms;
} interrupter;

static void *interrupt_later(void *arg)
{
    interrupter *it = arg;
    struct timespec ts = {0, (long)it->delay_ms * 1000000L};
    nanosleep(&ts, NULL);
    ward_store_interrupt(it->store);
    return NULL;
}

static void test_interrupt_from_thread(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.interruptible = true;
    fixture fx;
    if (!setup(&fx, &cfg))
        return;
    static const char *const loops[] = {"spin", "spin_calls"};
    for (size_t i = 0; i < 2; i++) {
        interrupter it = {fx.store, 50};
        pthread_t th;
        CHECK(pthread_create(&th, NULL, interrupt_later, &it) == 0);
        ward_trap trap;
        uint64_t start = now_ms();
        ward_result r = call0(&fx, loops[i], NULL, &trap);
        uint64_t took = now_ms() - start;
        pthread_join(th, NULL);
        CHECK_MSG(r == WARD_TRAP && trap.kind == WARD_TRAP_INTERRUPTED, "%s: %d %s", loops[i], (int)r,
                  trap.message);
        CHECK(strcmp(trap.message, "interrupted") == 0);
        CHECK_MSG(took >= 40 && took < 2000, "stopped after %llu ms", (unsigned long long)took);
        /* the flag was consumed by the trap */
        check_usable(&fx);
    }
    /* an interrupt while nothing runs stops the next call at its first check */
    ward_store_interrupt(fx.store);
    ward_trap trap;
    ward_val res;
    CHECK(call1(&fx, "count", 10, &res, &trap) == WARD_TRAP && trap.kind == WARD_TRAP_INTERRUPTED);
    CHECK(call1(&fx, "count", 10, &res, &trap) == WARD_OK && res.of.i32 == 0);
    teardown(&fx);
}

/* ---- fuel handed out in slices stays exact --------------------------- */

/* Fuel count(n) needs, and where a stop with less lands, on a store with or
 * without interrupt polling. */
static void fuel_run(bool interruptible, uint64_t fuel, int32_t n, ward_result *r, uint64_t *consumed,
                     ward_trap *trap)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.interruptible = interruptible;
    fixture fx;
    *r = WARD_ERROR;
    *consumed = 0;
    if (!setup(&fx, &cfg))
        return;
    ward_store_set_fuel(fx.store, fuel);
    ward_val res;
    *r = call1(&fx, "count", n, &res, trap);
    *consumed = ward_store_fuel_consumed(fx.store);
    teardown(&fx);
}

static void test_fuel_with_slices(void)
{
    ward_trap t1, t2;
    ward_result r1, r2;
    uint64_t c1, c2;
    /* enough fuel: the same total whether or not it came in slices */
    fuel_run(false, 10000000, 100000, &r1, &c1, &t1);
    fuel_run(true, 10000000, 100000, &r2, &c2, &t2);
    CHECK(r1 == WARD_OK && r2 == WARD_OK && c1 == c2 && c1 > 100000);
    /* short of fuel, across several slices and inside the first one */
    static const uint64_t amounts[] = {7, 16383, 16384, 16385, 50001, 100003};
    for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
        fuel_run(false, amounts[i], 100000, &r1, &c1, &t1);
        fuel_run(true, amounts[i], 100000, &r2, &c2, &t2);
        CHECK_MSG(r1 == WARD_TRAP && r2 == WARD_TRAP && t1.kind == WARD_TRAP_OUT_OF_FUEL &&
                      t2.kind == WARD_TRAP_OUT_OF_FUEL && c1 == amounts[i] && c2 == amounts[i] &&
                      t1.offset == t2.offset,
                  "fuel %llu: consumed %llu / %llu, offsets %u / %u", (unsigned long long)amounts[i],
                  (unsigned long long)c1, (unsigned long long)c2, t1.offset, t2.offset);
    }
}

/* A timeout and fuel together: the loop stops on whichever comes first, and
 * the fuel figures stay consistent. */
static void test_timeout_with_fuel(void)
{
    fixture fx;
    if (!setup(&fx, NULL))
        return;
    ward_store_set_timeout(fx.store, 100);
    ward_store_set_fuel(fx.store, UINT64_MAX / 2);
    ward_trap trap;
    ward_result r = call0(&fx, "spin", NULL, &trap);
    CHECK(r == WARD_TRAP && trap.kind == WARD_TRAP_TIMEOUT);
    uint64_t used = ward_store_fuel_consumed(fx.store);
    CHECK(used > 0 && ward_store_fuel_remaining(fx.store) == UINT64_MAX / 2 - used);
    ward_store_set_fuel(fx.store, 1000);
    r = call0(&fx, "spin", NULL, &trap);
    CHECK(r == WARD_TRAP && trap.kind == WARD_TRAP_OUT_OF_FUEL && ward_store_fuel_consumed(fx.store) == 1000);
    teardown(&fx);
}

/* ---- memory and table limits --------------------------------------------- */

static void test_memory_limit(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.max_memory_bytes = 10 * 65536 + 100; /* whole pages: 10 */
    fixture fx;
    if (!setup(&fx, &cfg))
        return;
    ward_val res;
    ward_trap trap;
    ward_result r = call0(&fx, "memory_bomb", &res, &trap);
    CHECK_MSG(r == WARD_OK && res.of.i32 == 10, "memory_bomb: %d, %u pages", (int)r, res.of.i32);

    /* a module whose minimum exceeds the limit is refused with a clear error */
    ward_error err;
    ward_instance *inst = NULL;
    ward_module *big = ward_module_new(fx.engine, bigmem_wasm, sizeof bigmem_wasm, &err);
    CHECK(big != NULL);
    r = ward_instantiate(fx.store, big, NULL, &inst, &err, &trap);
    CHECK(r == WARD_ERROR && inst == NULL);
    CHECK_CONTAINS(err.message, "memory minimum exceeds the configured limit");
    /* and so is an embedder's memory */
    CHECK(ward_memory_new(fx.store, 11, 0, false) == NULL);
    ward_memory *mem = ward_memory_new(fx.store, 1, 100, true);
    CHECK(mem != NULL && ward_memory_size(mem) == 65536);

    /* import matching sees the declared maximum (100), not the limit (10) */
    ward_module *imp = ward_module_new(fx.engine, imp_wasm, sizeof imp_wasm, &err);
    ward_linker *linker = ward_linker_new();
    ward_linker_define_memory(linker, "env", "mem", mem);
    r = ward_instantiate(fx.store, imp, linker, &inst, &err, &trap);
    CHECK(r == WARD_ERROR);
    CHECK_CONTAINS(err.message, "incompatible import type");
    ward_linker_free(linker);
    ward_module_free(imp);
    ward_module_free(big);
    teardown(&fx);

    /* the default limit is the wasm32 maximum */
    ward_config_default(&cfg);
    CHECK(cfg.max_memory_bytes == 65536ull * 65536ull);
}

static void test_table_limit(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.max_table_elems = 50;
    fixture fx;
    if (!setup(&fx, &cfg))
        return;
    ward_val res;
    ward_trap trap;
    ward_result r = call0(&fx, "table_bomb", &res, &trap);
    CHECK_MSG(r == WARD_OK && res.of.i32 == 50, "table_bomb: %d, %u elements", (int)r, res.of.i32);
    ward_error err;
    ward_instance *inst = NULL;
    ward_module *big = ward_module_new(fx.engine, bigtab_wasm, sizeof bigtab_wasm, &err);
    CHECK(big != NULL);
    r = ward_instantiate(fx.store, big, NULL, &inst, &err, &trap);
    CHECK(r == WARD_ERROR && inst == NULL);
    CHECK_CONTAINS(err.message, "table minimum exceeds the configured limit");
    CHECK(ward_table_new(fx.store, WARD_FUNCREF, 51, 0, false) == NULL);
    ward_table *t = ward_table_new(fx.store, WARD_FUNCREF, 50, 0, false);
    CHECK(t != NULL && ward_table_size(t) == 50);
    ward_module_free(big);
    teardown(&fx);
}

/* ---- call depth and value-stack slots -------------------------------------- */

/* recurse() until exhaustion; returns how many calls ran. */
static uint32_t recursion_depth(uint32_t max_depth, uint32_t max_slots)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.max_call_depth = max_depth;
    cfg.max_stack_slots = max_slots;
    fixture fx;
    if (!setup(&fx, &cfg))
        return 0;
    ward_val res;
    ward_trap trap;
    ward_result r = call1(&fx, "recurse", 0, &res, &trap);
    CHECK(r == WARD_TRAP && trap.kind == WARD_TRAP_STACK_EXHAUSTED);
    CHECK(strcmp(trap.message, "call stack exhausted") == 0);
    uint32_t calls = ward_global_get(ward_instance_global(fx.inst, "calls")).of.i32;
    check_usable(&fx);
    teardown(&fx);
    return calls;
}

static void test_call_limits(void)
{
    /* the depth limit: exactly max_depth wasm frames ran */
    CHECK(recursion_depth(50, 0) == 50);
    CHECK(recursion_depth(0, 0) == 10000);
    /* the value-stack limit stops it first when it is the smaller one:
     * recurse's frame has a few slots, so 1000 slots hold fewer than 1000
     * frames but some hundreds */
    uint32_t by_slots = recursion_depth(0, 1000);
    CHECK_MSG(by_slots > 100 && by_slots < 1000, "stopped after %u calls", by_slots);
}

/* Issue 11, defect 1: max_call_depth = UINT32_MAX (an embedder's
 * "unlimited") wrapped the frame array's size (depth + entry frames) to 63
 * frames while the guest's check used the full depth: the guest wrote past
 * the array (heap corruption at depth 70, SIGSEGV at 100000).  It is clamped
 * to the implementation maximum now (docs/limits.md). */
static ward_result deep_call(uint32_t max_depth, int32_t n, int32_t *got, ward_trap *trap)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.max_call_depth = max_depth;
    ward_engine *e = ward_engine_new(&cfg);
    ward_error err;
    ward_module *m = ward_module_new(e, deep_wasm, sizeof deep_wasm, &err);
    ward_store *s = ward_store_new(e);
    ward_instance *inst = NULL;
    ward_result r = m ? ward_instantiate(s, m, NULL, &inst, &err, trap) : WARD_ERROR;
    CHECK_MSG(r == WARD_OK, "%s", err.message);
    if (r == WARD_OK) {
        ward_val a = ward_val_i32(n), res = {.kind = WARD_I32};
        r = ward_call(s, ward_instance_func(inst, "r"), &a, 1, &res, 1, trap);
        *got = res.of.i32;
    }
    ward_store_free(s);
    ward_module_free(m);
    ward_engine_free(e);
    return r;
}

static void test_unlimited_call_depth(void)
{
    int32_t got = 0;
    ward_trap trap;
    CHECK(deep_call(UINT32_MAX, 70, &got, &trap) == WARD_OK && got == 70);
    CHECK(deep_call(UINT32_MAX, 100000, &got, &trap) == WARD_OK && got == 100000);
    CHECK(deep_call(UINT32_MAX - 63, 100000, &got, &trap) == WARD_OK && got == 100000);
    /* infinite recursion still ends in a clean trap (here the value stack,
     * 1 Mi slots by default, runs out before the frames) */
    uint32_t calls = recursion_depth(UINT32_MAX, 0);
    CHECK_MSG(calls > 10000, "stopped after %u calls", calls);
}

int main(void)
{
    test_timeout("spin");
    test_timeout("spin_calls");
    test_interrupt_from_thread();
    test_fuel_with_slices();
    test_timeout_with_fuel();
    test_memory_limit();
    test_table_limit();
    test_call_limits();
    test_unlimited_call_depth();
    test_huge_timeouts();
    return test_summary("limits");
}
