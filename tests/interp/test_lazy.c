/*
 * Lazy translation (docs/interpreter.md, docs/fuel.md): a module is loaded
 * with no code; a function's plain code appears on its first call, its
 * metered code on its first metered call and its step code only when a fuel block cannot be paid;
 * the plain code's trap sites appear on its first trap.
 * Several threads making the first metered call of one module's functions
 * at the same moment all get the same, exact answers (run this under ASan
 * and TSan: the install is a compare-and-swap, no lock).
 *
 * The module (wat2wasm of this text):
 *   (module
 *     (func $sq (param i32) (result i32)
 *       local.get 0
 *       local.get 0
 *       i32.mul)
 *     (func (export "run") (param $n i32) (result i32) (local $acc i32)
 *       (block $done
 *         (loop $top
 *           (br_if $done (i32.eqz (local.get $n)))
 *           (local.set $acc (i32.add (local.get $acc) (call $sq (local.get $n))))
 *           (local.set $n (i32.sub (local.get $n) (i32.const 1)))
 *           (br $top)))
 *       (local.get $acc)))
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "../test.h"
#include "interp/exec.h"
#include "ward.h"

static const uint8_t lazy_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03,
    0x03, 0x02, 0x00, 0x00, 0x07, 0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x01, 0x0a, 0x2d, 0x02, 0x07,
    0x00, 0x20, 0x00, 0x20, 0x00, 0x6c, 0x0b, 0x23, 0x01, 0x01, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00,
    0x45, 0x0d, 0x01, 0x20, 0x01, 0x20, 0x00, 0x10, 0x00, 0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b,
    0x21, 0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x01, 0x0b,
};

#define N 100
#define SUM_SQ 338350u /* 1^2 + ... + 100^2 */

/* Fuel `run(N)` needs: the entry's 4 instructions (block, loop, local.get,
 * i32.eqz), then per round br_if, local.get, local.get, call, the callee's
 * 4 (local.get, local.get, i32.mul, end), i32.add, local.set, local.get,
 * i32.const, i32.sub, local.set, br, and the loop head again (local.get,
 * i32.eqz): 17; the last br_if is taken, then local.get and end. */
#define NEED (4u + 17u * N + 3u)

static ward_result run(ward_store *s, ward_instance *inst, uint64_t fuel, uint32_t *result, ward_trap *trap)
{
    ward_func *f = ward_instance_func(inst, "run");
    if (!f)
        return WARD_ERROR;
    if (fuel == UINT64_MAX)
        ward_store_disable_fuel(s);
    else
        ward_store_set_fuel(s, fuel);
    ward_val arg = ward_val_i32(N), res = {0};
    ward_result r = ward_call(s, f, &arg, 1, &res, 1, trap);
    *result = res.of.i32;
    return r;
}

/* ---- one thread: the variants appear when first needed ---------------- */

static void test_variants_appear_on_demand(ward_engine *engine)
{
    ward_error err;
    ward_trap trap;
    ward_module *m = ward_module_new(engine, lazy_wasm, sizeof lazy_wasm, &err);
    CHECK_MSG(m != NULL, "%s", err.message);
    ward_store *s = ward_store_new(engine);
    ward_instance *inst = NULL;
    if (!m || ward_instantiate(s, m, NULL, &inst, &err, &trap) != WARD_OK) {
        CHECK(!"instantiate");
        ward_store_free(s);
        ward_module_free(m);
        return;
    }
    const wcompiled_func *fn = ward_instance_func(inst, "run")->code;
    const wcompiled_func *sq = wcompiled_get(fn->owner, 0);
    for (int v = 0; v < WVAR_COUNT; v++) /* nothing is translated at load */
        CHECK(wcompiled_variant_ready(fn, v) == NULL && wcompiled_variant_ready(sq, v) == NULL);

    uint32_t result = 0;
    CHECK(run(s, inst, UINT64_MAX, &result, &trap) == WARD_OK && result == SUM_SQ);
    CHECK(wcompiled_variant_ready(fn, WVAR_PLAIN) != NULL && wcompiled_variant_ready(sq, WVAR_PLAIN) != NULL);
    CHECK(wcompiled_variant_ready(fn, WVAR_METERED) == NULL); /* fuel off: plain code only */

    /* Fuel to spare: every block is paid (a merged block pays ahead for
     * the block it falls into, so exactly NEED may not pay for it) */
    CHECK(run(s, inst, 2 * NEED, &result, &trap) == WARD_OK && result == SUM_SQ);
    CHECK(ward_store_fuel_consumed(s) == NEED);
    CHECK(wcompiled_variant_ready(fn, WVAR_METERED) != NULL);
    CHECK(wcompiled_variant_ready(sq, WVAR_METERED) != NULL);
    CHECK(wcompiled_variant_ready(fn, WVAR_STEP) == NULL); /* every block was paid */
    CHECK(wcompiled_variant_ready(sq, WVAR_STEP) == NULL);
    CHECK(run(s, inst, NEED, &result, &trap) == WARD_OK && result == SUM_SQ);
    CHECK(ward_store_fuel_consumed(s) == NEED);

    /* short by one: the last instruction (the function's end) cannot run */
    CHECK(run(s, inst, NEED - 1, &result, &trap) == WARD_TRAP && trap.kind == WARD_TRAP_OUT_OF_FUEL);
    CHECK(ward_store_fuel_consumed(s) == NEED - 1);
    CHECK(wcompiled_variant_ready(fn, WVAR_STEP) != NULL);
    CHECK(wcompiled_variant_ready(sq, WVAR_STEP) == NULL); /* sq's blocks were all paid */

    /* 8 pays up to the first call: the stop is in the callee, whose step
     * code appears */
    CHECK(run(s, inst, 8, &result, &trap) == WARD_TRAP && trap.kind == WARD_TRAP_OUT_OF_FUEL);
    CHECK(ward_store_fuel_consumed(s) == 8);
    CHECK(wcompiled_variant_ready(sq, WVAR_STEP) != NULL);
    CHECK(trap.nframes == 2 && trap.func_index == 0);
    ward_store_free(s);
    ward_module_free(m);
}

/* ---- trap sites of the plain code: made on the first trap ------------- */

/* (func (export "div") (param i32) (result i32) i32.const 7 local.get 0
 * i32.div_u): the div is at offset 0x26. */
static const uint8_t div_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03,
    0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x64, 0x69, 0x76, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00,
    0x41, 0x07, 0x20, 0x00, 0x6e, 0x0b,
};

static void test_plain_sites_on_first_trap(ward_engine *engine)
{
    ward_error err;
    ward_trap trap;
    ward_module *m = ward_module_new(engine, div_wasm, sizeof div_wasm, &err);
    CHECK_MSG(m != NULL, "%s", err.message);
    ward_store *s = ward_store_new(engine);
    ward_instance *inst = NULL;
    if (!m || ward_instantiate(s, m, NULL, &inst, &err, &trap) != WARD_OK) {
        CHECK(!"instantiate");
        ward_store_free(s);
        ward_module_free(m);
        return;
    }
    ward_func *f = ward_instance_func(inst, "div");
    const wcompiled_func *fn = f->code;
    ward_val arg = ward_val_i32(1), res = {0};
    CHECK(ward_call(s, f, &arg, 1, &res, 1, &trap) == WARD_OK && res.of.i32 == 7);
    CHECK(atomic_load(&fn->plain_sites) == NULL); /* no trap yet: no sites */
    for (int i = 0; i < 2; i++) { /* made once, then reused */
        arg = ward_val_i32(0);
        CHECK(ward_call(s, f, &arg, 1, &res, 1, &trap) == WARD_TRAP && trap.kind == WARD_TRAP_DIV_BY_ZERO);
        CHECK_MSG(trap.offset == 0x26, "offset 0x%x", trap.offset);
        CHECK(atomic_load(&fn->plain_sites) != NULL);
    }
    ward_store_free(s);
    ward_module_free(m);
}

/* ---- several threads: the first metered calls race -------------------- */

#define THREADS 4
#define ROUNDS 40

typedef struct worker {
    ward_engine *engine;
    const ward_module *module;
    uint64_t fuel; /* NEED or less (the step code is raced for too) */
    atomic_int *ready, *go;
    bool setup_ok;
    ward_result r;
    uint32_t result;
    uint64_t consumed;
    ward_trap_kind kind;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    ward_error err;
    ward_trap trap;
    ward_store *s = ward_store_new(w->engine);
    ward_instance *inst = NULL;
    w->setup_ok = s && ward_instantiate(s, w->module, NULL, &inst, &err, &trap) == WARD_OK;
    atomic_fetch_add(w->ready, 1);
    while (!atomic_load(w->go))
        ; /* start together, for the widest race window */
    if (w->setup_ok) {
        w->r = run(s, inst, w->fuel, &w->result, &trap);
        w->consumed = ward_store_fuel_consumed(s);
        w->kind = w->r == WARD_TRAP ? trap.kind : WARD_TRAP_NONE;
    }
    ward_store_free(s);
    return NULL;
}

static void test_threads_race_first_metered_call(ward_engine *engine)
{
    int bad = 0;
    for (int round = 0; round < ROUNDS; round++) {
        ward_error err;
        ward_module *m = ward_module_new(engine, lazy_wasm, sizeof lazy_wasm, &err);
        if (!m) {
            CHECK_MSG(m != NULL, "%s", err.message);
            return;
        }
        atomic_int ready = 0, go = 0;
        worker w[THREADS];
        pthread_t th[THREADS];
        int started = 0;
        for (int i = 0; i < THREADS; i++) {
            /* half pay in full (metered code), half stop midway (step code) */
            w[i] = (worker){engine, m, i % 2 ? NEED : NEED / 2 + (uint64_t)round, &ready, &go, false, 0, 0, 0,
                            WARD_TRAP_NONE};
            if (pthread_create(&th[i], NULL, work, &w[i]) == 0)
                started++;
        }
        CHECK(started == THREADS);
        while (atomic_load(&ready) < started)
            ;
        atomic_store(&go, 1);
        for (int i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        for (int i = 0; i < started; i++) {
            bool ok = w[i].setup_ok && w[i].consumed == w[i].fuel &&
                      (w[i].fuel == NEED ? w[i].r == WARD_OK && w[i].result == SUM_SQ
                                         : w[i].r == WARD_TRAP && w[i].kind == WARD_TRAP_OUT_OF_FUEL);
            if (!ok && bad++ < 5)
                fprintf(stderr, "round %d thread %d: fuel %llu result %d kind %d consumed %llu\n", round, i,
                        (unsigned long long)w[i].fuel, w[i].r, w[i].kind, (unsigned long long)w[i].consumed);
        }
        ward_module_free(m);
    }
    CHECK_MSG(bad == 0, "%d wrong results", bad);
}

int main(void)
{
    ward_engine *engine = ward_engine_new(NULL);
    test_variants_appear_on_demand(engine);
    test_plain_sites_on_first_trap(engine);
    test_threads_race_first_metered_call(engine);
    ward_engine_free(engine);
    return test_summary("lazy");
}
