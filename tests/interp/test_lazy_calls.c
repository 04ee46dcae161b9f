/*
 * Lazy translation of the plain code (docs/interpreter.md, "Lazy
 * translation"): loading translates nothing, a function's code appears on
 * its first call, and only what runs is translated.  Every way of reaching
 * a function that has no code yet: a direct call, call_indirect, both tail
 * calls, a call to another instance's function, a function put in a table
 * by ref.func, and a call from the host.  A translation that does not fit
 * in the code limit is a clean trap at the call (for a tail call, too),
 * and threads racing for the first call of the same functions all get the
 * right answers (run this under TSan: the install is a compare-and-swap).
 * Also ward_module_new_borrowed, which the CLI loads with: the module reads
 * the caller's bytes in place and never frees them.
 *
 * calls_wasm (wat2wasm --enable-tail-call of this text; func index in []):
 *   (module
 *     (type $t (func (param i32) (result i32)))
 *     (import "other" "f" (func $other (param i32) (result i32)))   [0]
 *     (table 4 funcref)
 *     (elem (i32.const 0) $a $b $c $d)
 *     (elem declare func $g)
 *     (func $a (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))   [1]
 *     ... $b +2 [2], $c +3 [3], $d +4 [4],
 *     (func $e (export "e") ... +5)                                               [5]
 *     (func $g ... +6)                                                            [6]
 *     (func (export "direct") (param i32) (result i32) (call $a (local.get 0)))  [7]
 *     (func (export "indirect") (param i32) (result i32)                          [8]
 *       (call_indirect (type $t) (local.get 0) (i32.const 1)))
 *     (func (export "tail") (param i32) (result i32) (return_call $c (local.get 0)))  [9]
 *     (func (export "tail_indirect") (param i32) (result i32)                     [10]
 *       (return_call_indirect (type $t) (local.get 0) (i32.const 3)))
 *     (func (export "import") (param i32) (result i32) (call $other (local.get 0)))  [11]
 *     (func (export "ref_func") (param i32) (result i32)                          [12]
 *       (table.set 0 (i32.const 2) (ref.func $g))
 *       (call_indirect (type $t) (local.get 0) (i32.const 2))))
 * other_wasm:
 *   (module (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 7))))
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "interp/exec.h"
#include "ward.h"

static const uint8_t calls_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x02,
    0x0b, 0x01, 0x05, 0x6f, 0x74, 0x68, 0x65, 0x72, 0x01, 0x66, 0x00, 0x00, 0x03, 0x0d, 0x0c, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x04, 0x07,
    0x44, 0x07, 0x01, 0x65, 0x00, 0x05, 0x06, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74, 0x00, 0x07, 0x08, 0x69,
    0x6e, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74, 0x00, 0x08, 0x04, 0x74, 0x61, 0x69, 0x6c, 0x00, 0x09, 0x0d,
    0x74, 0x61, 0x69, 0x6c, 0x5f, 0x69, 0x6e, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74, 0x00, 0x0a, 0x06, 0x69,
    0x6d, 0x70, 0x6f, 0x72, 0x74, 0x00, 0x0b, 0x08, 0x72, 0x65, 0x66, 0x5f, 0x66, 0x75, 0x6e, 0x63, 0x00,
    0x0c, 0x09, 0x0e, 0x02, 0x00, 0x41, 0x00, 0x0b, 0x04, 0x01, 0x02, 0x03, 0x04, 0x03, 0x00, 0x01, 0x06,
    0x0a, 0x6a, 0x0c, 0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x41, 0x02,
    0x6a, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x41, 0x03, 0x6a, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x41, 0x04, 0x6a,
    0x0b, 0x07, 0x00, 0x20, 0x00, 0x41, 0x05, 0x6a, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x41, 0x06, 0x6a, 0x0b,
    0x06, 0x00, 0x20, 0x00, 0x10, 0x01, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x41, 0x01, 0x11, 0x00, 0x00, 0x0b,
    0x06, 0x00, 0x20, 0x00, 0x12, 0x03, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x41, 0x03, 0x13, 0x00, 0x00, 0x0b,
    0x06, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0b, 0x0f, 0x00, 0x41, 0x02, 0xd2, 0x06, 0x26, 0x00, 0x20, 0x00,
    0x41, 0x02, 0x11, 0x00, 0x00, 0x0b,
};

static const uint8_t other_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03,
    0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00,
    0x41, 0x07, 0x6a, 0x0b,
};

/* Each export, the function it reaches (index in calls_wasm, or OTHER for
 * other_wasm's f), what it adds, and the offset of its call instruction. */
#define OTHER UINT32_MAX
typedef struct path {
    const char *name;
    uint32_t caller, callee;
    int32_t adds;
    uint32_t call_offset;
} path;

static const path paths[] = {
    {"direct", 7, 1, 1, 0xbf},   {"indirect", 8, 2, 2, 0xc8},       {"tail", 9, 3, 3, 0xd0},
    {"tail_indirect", 10, 4, 4, 0xd9}, {"import", 11, OTHER, 7, 0xe1}, {"ref_func", 12, 6, 6, 0xf0},
    {"e", 5, 5, 5, 0},
};
#define NPATHS (sizeof paths / sizeof paths[0])

/* Two modules, two instances in one store: calls_wasm imports other's f. */
typedef struct fixture {
    ward_engine *engine;
    ward_module *calls, *other;
    ward_store *store;
    ward_linker *linker;
    ward_instance *calls_inst, *other_inst;
} fixture;

static bool setup(fixture *fx, const ward_config *cfg)
{
    ward_error err;
    ward_trap trap;
    memset(fx, 0, sizeof *fx);
    fx->engine = ward_engine_new(cfg);
    if (!fx->engine)
        return false;
    fx->calls = ward_module_new(fx->engine, calls_wasm, sizeof calls_wasm, &err);
    CHECK_MSG(fx->calls != NULL, "%s", err.message);
    fx->other = ward_module_new(fx->engine, other_wasm, sizeof other_wasm, &err);
    CHECK_MSG(fx->other != NULL, "%s", err.message);
    fx->store = ward_store_new(fx->engine);
    fx->linker = ward_linker_new();
    if (!fx->calls || !fx->other || !fx->store || !fx->linker)
        return false;
    if (ward_instantiate(fx->store, fx->other, NULL, &fx->other_inst, &err, &trap) != WARD_OK ||
        ward_linker_define_instance(fx->linker, "other", fx->other_inst) != WARD_OK)
        return false;
    return ward_instantiate(fx->store, fx->calls, fx->linker, &fx->calls_inst, &err, &trap) == WARD_OK;
}

static void teardown(fixture *fx)
{
    ward_linker_free(fx->linker);
    ward_store_free(fx->store);
    ward_module_free(fx->calls);
    ward_module_free(fx->other);
    ward_engine_free(fx->engine);
}

static ward_result call_path(fixture *fx, const path *p, int32_t arg, int32_t *got, ward_trap *trap)
{
    ward_val a = ward_val_i32(arg), res = {0};
    ward_result r = ward_call(fx->store, ward_instance_func(fx->calls_inst, p->name), &a, 1, &res, 1, trap);
    *got = res.of.i32;
    return r;
}

static const wcompiled_func *code_of(const fixture *fx, uint32_t index)
{
    const struct wcompiled *c = ward_instance_func(fx->calls_inst, "e")->code->owner;
    if (index == OTHER)
        return ward_instance_func(fx->other_inst, "f")->code;
    return wcompiled_get(c, index);
}

static uint32_t translated(const fixture *fx)
{
    const struct wcompiled *c = ward_instance_func(fx->calls_inst, "e")->code->owner;
    const struct wcompiled *o = ward_instance_func(fx->other_inst, "f")->code->owner;
    return wcompiled_count_translated(c, WVAR_PLAIN) + wcompiled_count_translated(o, WVAR_PLAIN);
}

/* ---- every call path reaches a callee with no code yet ------------------ */

static void test_every_path(void)
{
    fixture fx;
    if (!setup(&fx, NULL)) {
        CHECK(!"setup");
        teardown(&fx);
        return;
    }
    CHECK(translated(&fx) == 0); /* loading and instantiating translate nothing */
    uint32_t expect = 0;
    for (size_t i = 0; i < NPATHS; i++) {
        const path *p = &paths[i];
        CHECK(wcompiled_code_ready(code_of(&fx, p->callee), WVAR_PLAIN) == NULL);
        int32_t got = 0;
        ward_trap trap;
        for (int round = 0; round < 2; round++) { /* translated once, then reused */
            CHECK_MSG(call_path(&fx, p, 100, &got, &trap) == WARD_OK && got == 100 + p->adds, "%s: %d", p->name,
                      got);
            CHECK(wcompiled_code_ready(code_of(&fx, p->callee), WVAR_PLAIN) != NULL);
            CHECK(wcompiled_code_ready(code_of(&fx, p->caller), WVAR_PLAIN) != NULL);
            if (round == 0)
                expect += p->caller == p->callee ? 1 : 2;
            CHECK_MSG(translated(&fx) == expect, "%s: %u translated, %u expected", p->name, translated(&fx),
                      expect);
        }
    }
    teardown(&fx);
}

/* ---- many functions, one called: only it and its callee are translated - */

/* A module of n functions (func (result i32) i32.const k) and an export
 * "main" calling function 7. */
static uint8_t *many_functions(uint32_t n, size_t *size)
{
    uint8_t *b = malloc(64 + (size_t)n * 8), *p = b;
    if (!b)
        return NULL;
    static const uint8_t head[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                   0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f}; /* type 0: [] -> [i32] */
    memcpy(p, head, sizeof head);
    p += sizeof head;
    /* function section: n + 1 functions of type 0 (counts as 3-byte LEBs) */
    uint32_t total = n + 1, fsize = 3 + total;
    *p++ = 0x03;
    *p++ = (uint8_t)(0x80 | (fsize & 0x7f)), *p++ = (uint8_t)(0x80 | ((fsize >> 7) & 0x7f)),
    *p++ = (uint8_t)(fsize >> 14);
    *p++ = (uint8_t)(0x80 | (total & 0x7f)), *p++ = (uint8_t)(0x80 | ((total >> 7) & 0x7f)),
    *p++ = (uint8_t)(total >> 14);
    memset(p, 0, total);
    p += total;
    static const uint8_t exports[] = {0x07, 0x08, 0x01, 0x04, 'm', 'a', 'i', 'n', 0x00, 0x00};
    memcpy(p, exports, sizeof exports); /* "main" is function 0 */
    p += sizeof exports;
    /* code section: main (call 7), then n bodies (i32.const k & 0x3f) */
    uint32_t csize = 3 + 5 + n * 5;
    *p++ = 0x0a;
    *p++ = (uint8_t)(0x80 | (csize & 0x7f)), *p++ = (uint8_t)(0x80 | ((csize >> 7) & 0x7f)),
    *p++ = (uint8_t)(csize >> 14);
    *p++ = (uint8_t)(0x80 | (total & 0x7f)), *p++ = (uint8_t)(0x80 | ((total >> 7) & 0x7f)),
    *p++ = (uint8_t)(total >> 14);
    static const uint8_t main_body[] = {0x04, 0x00, 0x10, 0x07, 0x0b}; /* size, no locals, call 7, end */
    memcpy(p, main_body, sizeof main_body);
    p += sizeof main_body;
    for (uint32_t k = 0; k < n; k++) {
        static const uint8_t body[] = {0x04, 0x00, 0x41, 0x00, 0x0b};
        memcpy(p, body, sizeof body);
        p[3] = (uint8_t)(k & 0x3f);
        p += sizeof body;
    }
    *size = (size_t)(p - b);
    return b;
}

static void test_only_what_runs(void)
{
    enum { N = 3000 };
    size_t size = 0;
    uint8_t *wasm = many_functions(N, &size);
    ward_engine *e = ward_engine_new(NULL);
    ward_error err;
    ward_trap trap;
    ward_module *m = wasm && e ? ward_module_new(e, wasm, size, &err) : NULL;
    CHECK_MSG(m != NULL, "%s", m ? "" : err.message);
    ward_store *s = ward_store_new(e);
    ward_instance *inst = NULL;
    if (m && s && ward_instantiate(s, m, NULL, &inst, &err, &trap) == WARD_OK) {
        ward_func *f = ward_instance_func(inst, "main");
        const struct wcompiled *c = f->code->owner;
        CHECK(c->nfuncs == N + 1 && wcompiled_count_translated(c, WVAR_PLAIN) == 0);
        ward_val res = {0};
        CHECK(ward_call(s, f, NULL, 0, &res, 1, &trap) == WARD_OK && res.of.i32 == 6);
        CHECK(wcompiled_count_translated(c, WVAR_PLAIN) == 2);
        CHECK(wcompiled_code_ready(wcompiled_get(c, 7), WVAR_PLAIN) != NULL);
        for (int v = WVAR_METERED; v < WVAR_COUNT; v++)
            CHECK(wcompiled_count_translated(c, v) == 0);
    } else {
        CHECK(!"instantiate");
    }
    ward_store_free(s);
    ward_module_free(m);
    ward_engine_free(e);
    free(wasm);
}

/* ---- a translation past the code limit: a clean trap at the call ------- */

static bool path_runs(const path *p, uint64_t limit, ward_trap *trap)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.max_code_bytes = limit;
    fixture fx;
    bool ok = setup(&fx, &cfg);
    int32_t got = 0;
    ward_result r = ok ? call_path(&fx, p, 1, &got, trap) : WARD_ERROR;
    CHECK(r == WARD_OK || r == WARD_TRAP);
    teardown(&fx);
    return r == WARD_OK && got == 1 + p->adds;
}

/* The caller is translated first; with one byte less than both need, its
 * callee's translation fails and the trap names the caller (the tail
 * caller too: the check runs while its frame is current).  Its offset is
 * the call's when the caller's trap sites still fit in the limit, else 0
 * (docs/limits.md: sites past the limit only cost the offset). */
static void test_limit_traps_at_the_call(void)
{
    for (size_t i = 0; i < NPATHS; i++) {
        const path *p = &paths[i];
        if (p->callee == OTHER || p->caller == p->callee)
            continue; /* another module's limit; no callee */
        ward_trap trap;
        uint64_t lo = 1, hi = 1 << 20;
        while (lo < hi) {
            uint64_t mid = lo + (hi - lo) / 2;
            if (path_runs(p, mid, &trap))
                hi = mid;
            else
                lo = mid + 1;
        }
        CHECK(lo > 1 && !path_runs(p, lo - 1, &trap));
        CHECK_MSG(trap.kind == WARD_TRAP_OUT_OF_MEMORY && trap.func_index == p->caller &&
                      (trap.offset == p->call_offset || trap.offset == 0) && trap.nframes == 1,
                  "%s: kind %d func %u offset 0x%x frames %u", p->name, trap.kind, trap.func_index, trap.offset,
                  trap.nframes);
        CHECK_CONTAINS(trap.message, "translated code passes the configured limit (ward_config.max_code_bytes)");
    }
    /* nothing fits: the host's call of e traps at its entry */
    ward_trap trap;
    CHECK(!path_runs(&paths[NPATHS - 1], 1, &trap));
    CHECK(trap.kind == WARD_TRAP_OUT_OF_MEMORY && trap.func_index == 5);
}

/* ---- threads race for the first calls ---------------------------------- */

#define THREADS 4
#define ROUNDS 30

typedef struct racer {
    const ward_module *calls, *other;
    ward_engine *engine;
    atomic_int *ready, *go;
    int wrong;
} racer;

static void *race(void *arg)
{
    racer *w = arg;
    ward_error err;
    ward_trap trap;
    fixture fx = {.engine = w->engine};
    fx.store = ward_store_new(w->engine);
    fx.linker = ward_linker_new();
    bool ok = fx.store && fx.linker &&
              ward_instantiate(fx.store, w->other, NULL, &fx.other_inst, &err, &trap) == WARD_OK &&
              ward_linker_define_instance(fx.linker, "other", fx.other_inst) == WARD_OK &&
              ward_instantiate(fx.store, w->calls, fx.linker, &fx.calls_inst, &err, &trap) == WARD_OK;
    atomic_fetch_add(w->ready, 1);
    while (!atomic_load(w->go))
        ; /* start together, for the widest race window */
    w->wrong = ok ? 0 : 1;
    for (size_t i = 0; ok && i < NPATHS; i++) {
        int32_t got = 0;
        if (call_path(&fx, &paths[i], 10, &got, &trap) != WARD_OK || got != 10 + paths[i].adds)
            w->wrong++;
    }
    ward_linker_free(fx.linker);
    ward_store_free(fx.store);
    return NULL;
}

static void test_threads_race_first_calls(void)
{
    ward_engine *e = ward_engine_new(NULL);
    int wrong = 0;
    for (int round = 0; round < ROUNDS && e; round++) {
        ward_error err;
        ward_module *calls = ward_module_new(e, calls_wasm, sizeof calls_wasm, &err);
        ward_module *other = ward_module_new(e, other_wasm, sizeof other_wasm, &err);
        CHECK(calls && other);
        atomic_int ready = 0, go = 0;
        racer w[THREADS];
        pthread_t th[THREADS];
        int started = 0;
        for (int i = 0; calls && other && i < THREADS; i++) {
            w[i] = (racer){calls, other, e, &ready, &go, 0};
            if (pthread_create(&th[started], NULL, race, &w[i]) == 0)
                started++;
        }
        while (atomic_load(&ready) < started)
            ;
        atomic_store(&go, 1);
        for (int i = 0; i < started; i++) {
            pthread_join(th[i], NULL);
            wrong += w[i].wrong;
        }
        CHECK(started == THREADS || !calls || !other);
        if (calls) /* every defined function was reached, once */
            CHECK(wcompiled_count_translated(calls->compiled, WVAR_PLAIN) == 12);
        ward_module_free(calls);
        ward_module_free(other);
    }
    CHECK_MSG(wrong == 0, "%d wrong results", wrong);
    ward_engine_free(e);
}

/* ---- ward_module_new_borrowed: the caller's bytes, read in place ------- */

static void test_borrowed_bytes(void)
{
    ward_engine *e = ward_engine_new(NULL);
    ward_error err;
    ward_trap trap;
    uint8_t *bytes = malloc(sizeof other_wasm);
    if (!e || !bytes) {
        CHECK(!"allocation");
        free(bytes);
        ward_engine_free(e);
        return;
    }
    memcpy(bytes, other_wasm, sizeof other_wasm);
    ward_module *m = ward_module_new_borrowed(e, bytes, sizeof other_wasm, &err);
    CHECK_MSG(m != NULL, "%s", m ? "" : err.message);
    ward_store *s = ward_store_new(e);
    ward_instance *inst = NULL;
    if (m && s && ward_instantiate(s, m, NULL, &inst, &err, &trap) == WARD_OK) {
        /* the body is translated from the caller's bytes on this call */
        ward_val a = ward_val_i32(35), res = {0};
        CHECK(ward_call(s, ward_instance_func(inst, "f"), &a, 1, &res, 1, &trap) == WARD_OK && res.of.i32 == 42);
    } else {
        CHECK(!"instantiate");
    }
    ward_store_free(s);
    ward_module_free(m); /* leaves the bytes alone: ASan checks the free below */
    /* refused input: NULL, and the caller's bytes untouched */
    bytes[0] = 0x01;
    CHECK(ward_module_new_borrowed(e, bytes, sizeof other_wasm, &err) == NULL);
    CHECK(err.stage == WARD_STAGE_DECODE && bytes[0] == 0x01 && bytes[1] == 0x61);
    free(bytes);
    CHECK(ward_module_new_borrowed(e, NULL, 0, &err) == NULL); /* no header */
    ward_engine_free(e);
}

int main(void)
{
    test_every_path();
    test_only_what_runs();
    test_limit_traps_at_the_call();
    test_threads_race_first_calls();
    test_borrowed_bytes();
    return test_summary("lazy_calls");
}
