/*
 * Every numeric ward_config field at its edges (issue 11): 0 (the default),
 * 1, the implementation's maximum, one past it and the type's maximum.  Each
 * value either works as docs/limits.md says (values past ward's maxima are
 * clamped to them) or is refused with a message naming the field; nothing
 * wraps or crashes.  Also the load limits on a generated module with 10^6
 * functions, and the code limit met by a lazy (first metered call)
 * translation, alone and raced by threads.
 *
 * The modules (wat2wasm of these texts):
 *   deep: (module (func $r (export "r") (param i32) (result i32)
 *           (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
 *             (else (i32.add (i32.const 1) (call $r (i32.sub (local.get 0) (i32.const 1))))))))
 *   grow: (module (memory 0) (table 0 funcref)
 *           (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
 *           (func (export "tgrow") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0))))
 *   imp2: (module (import "a" "f" (func)) (import "a" "g" (func)))
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "ward.h"

static const uint8_t deep_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x02,
    0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x72, 0x00, 0x00, 0x0a, 0x17, 0x01, 0x15, 0x00, 0x20, 0x00, 0x45, 0x04,
    0x7f, 0x41, 0x00, 0x05, 0x41, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x00, 0x6a, 0x0b, 0x0b,
};
static const uint8_t grow_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x03,
    0x02, 0x00, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x00, 0x07, 0x10, 0x02, 0x04,
    0x67, 0x72, 0x6f, 0x77, 0x00, 0x00, 0x05, 0x74, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x01, 0x0a, 0x12, 0x02, 0x06,
    0x00, 0x20, 0x00, 0x40, 0x00, 0x0b, 0x09, 0x00, 0xd0, 0x70, 0x20, 0x00, 0xfc, 0x0f, 0x00, 0x0b,
};
static const uint8_t imp2_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x0d,
    0x02, 0x01, 0x61, 0x01, 0x66, 0x00, 0x00, 0x01, 0x61, 0x01, 0x67, 0x00, 0x00,
};

/* Implementation maxima and defaults (docs/limits.md). */
#define MAX_DEPTH 1000000u
#define MAX_SLOTS (64u << 20)
#define DEEP_SLOTS (8u << 20) /* enough for MAX_DEPTH frames of r */
#define MAX_PAGES 65536u
#define MAX_TABLE 10000000u
#define DEFAULT_FUNCTIONS 1000000u
#define DEFAULT_MODULE_BYTES ((uint64_t)256 << 20)

typedef struct fixture {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_instance *inst;
    ward_error err;
} fixture;

/* cfg's engine and an instance of the module; false (err filled) when
 * loading or instantiating fails. */
static bool setup(fixture *fx, const ward_config *cfg, const uint8_t *bytes, size_t size)
{
    ward_trap trap;
    memset(fx, 0, sizeof *fx);
    fx->engine = ward_engine_new(cfg);
    fx->module = ward_module_new(fx->engine, bytes, size, &fx->err);
    if (!fx->module)
        return false;
    fx->store = ward_store_new(fx->engine);
    return ward_instantiate(fx->store, fx->module, NULL, &fx->inst, &fx->err, &trap) == WARD_OK;
}

static void teardown(fixture *fx)
{
    ward_store_free(fx->store);
    ward_module_free(fx->module);
    ward_engine_free(fx->engine);
}

static ward_config config(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    return cfg;
}

static ward_result call_i32(fixture *fx, const char *name, int32_t arg, int32_t *out, ward_trap *trap)
{
    ward_val a = {.kind = WARD_I32, .of.i32 = arg}, r = {.kind = WARD_I32};
    ward_result res = ward_call(fx->store, ward_instance_func(fx->inst, name), &a, 1, &r, 1, trap);
    *out = r.of.i32;
    return res;
}

/* ---- max_call_depth, max_stack_slots ------------------------------------- */

/* Does r(n), which needs n + 1 frames, return n under these limits?  Any
 * other outcome must be "call stack exhausted". */
static bool recursion_fits(uint32_t depth, uint32_t slots, int32_t n)
{
    ward_config cfg = config();
    cfg.max_call_depth = depth;
    cfg.max_stack_slots = slots;
    fixture fx;
    bool ok = setup(&fx, &cfg, deep_wasm, sizeof deep_wasm);
    CHECK_MSG(ok, "%s", fx.err.message);
    int32_t got = -1;
    ward_trap trap;
    ward_result r = ok ? call_i32(&fx, "r", n, &got, &trap) : WARD_ERROR;
    if (ok && r != WARD_OK)
        CHECK_MSG(r == WARD_TRAP && trap.kind == WARD_TRAP_STACK_EXHAUSTED &&
                      strcmp(trap.message, "call stack exhausted") == 0,
                  "depth %u slots %u n %d: result %d, trap %d \"%s\"", depth, slots, n, r, trap.kind, trap.message);
    teardown(&fx);
    return r == WARD_OK && got == n;
}

static void test_call_depth_edges(void)
{
    CHECK(recursion_fits(0, 0, 9999) && !recursion_fits(0, 0, 10000)); /* the default: 10,000 frames */
    CHECK(recursion_fits(1, 0, 0) && !recursion_fits(1, 0, 1));
    /* the maximum, one past it and UINT32_MAX ("unlimited": the frame count
     * used to wrap) all give 1,000,000 frames */
    CHECK(recursion_fits(MAX_DEPTH, DEEP_SLOTS, MAX_DEPTH - 1));
    CHECK(!recursion_fits(MAX_DEPTH, DEEP_SLOTS, MAX_DEPTH));
    CHECK(!recursion_fits(MAX_DEPTH + 1, DEEP_SLOTS, MAX_DEPTH));
    CHECK(recursion_fits(UINT32_MAX, DEEP_SLOTS, MAX_DEPTH - 1));
    CHECK(!recursion_fits(UINT32_MAX, DEEP_SLOTS, MAX_DEPTH));
}

static void test_stack_slot_edges(void)
{
    CHECK(!recursion_fits(0, 1, 0)); /* r's frame alone needs more than one slot */
    CHECK(recursion_fits(UINT32_MAX, 0, 100000)); /* the default, 1 Mi slots */
    CHECK(!recursion_fits(UINT32_MAX, 0, MAX_DEPTH - 1));
    CHECK(recursion_fits(UINT32_MAX, DEEP_SLOTS, 300000));
    /* the maximum, and past it clamped to it: the store's 512 MiB stack is
     * allocated (32 GiB are not asked for) and calls run */
    CHECK(recursion_fits(UINT32_MAX, MAX_SLOTS, 1000));
    CHECK(recursion_fits(UINT32_MAX, MAX_SLOTS + 1, 1000));
    CHECK(recursion_fits(UINT32_MAX, UINT32_MAX, 1000));
}

/* ---- max_memory_bytes, max_table_elems ------------------------------------ */

/* The pages memory.grow can reach from 0 under max_memory_bytes = bytes. */
static void check_memory_pages(uint64_t bytes, uint32_t pages)
{
    ward_config cfg = config();
    cfg.max_memory_bytes = bytes;
    fixture fx;
    bool ok = setup(&fx, &cfg, grow_wasm, sizeof grow_wasm);
    CHECK_MSG(ok, "%s", fx.err.message);
    int32_t got = 0;
    ward_trap trap;
    if (ok) {
        CHECK(call_i32(&fx, "grow", (int32_t)(pages + 1), &got, &trap) == WARD_OK && got == -1);
        CHECK(call_i32(&fx, "grow", (int32_t)pages, &got, &trap) == WARD_OK && got == 0);
        CHECK(call_i32(&fx, "grow", 1, &got, &trap) == WARD_OK && got == -1);
        CHECK_MSG(ward_memory_new(fx.store, pages, 0, false) != NULL, "%llu bytes", (unsigned long long)bytes);
        CHECK(pages == MAX_PAGES || ward_memory_new(fx.store, pages + 1, 0, false) == NULL);
    }
    teardown(&fx);
}

static void test_memory_edges(void)
{
    check_memory_pages(0, MAX_PAGES);
    check_memory_pages(1, 0); /* rounded down to whole pages */
    check_memory_pages(65536, 1);
    check_memory_pages((uint64_t)MAX_PAGES * 65536, MAX_PAGES);
    check_memory_pages((uint64_t)MAX_PAGES * 65536 + 1, MAX_PAGES);
    check_memory_pages(UINT64_MAX, MAX_PAGES);
}

/* Tables of elems elements can be made under max_table_elems = limit, one
 * more cannot; table.grow stops there too. */
static void check_table_limit(uint32_t limit, uint32_t elems)
{
    ward_config cfg = config();
    cfg.max_table_elems = limit;
    fixture fx;
    bool ok = setup(&fx, &cfg, grow_wasm, sizeof grow_wasm);
    CHECK_MSG(ok, "%s", fx.err.message);
    if (ok) {
        CHECK_MSG(ward_table_new(fx.store, WARD_FUNCREF, elems, 0, false) != NULL, "limit %u", limit);
        CHECK(ward_table_new(fx.store, WARD_FUNCREF, elems + 1, 0, false) == NULL);
        int32_t got = 0;
        ward_trap trap;
        CHECK(call_i32(&fx, "tgrow", (int32_t)(elems + 1), &got, &trap) == WARD_OK && got == -1);
        if (elems <= 1) /* (growing to millions is the same check, only slower) */
            CHECK(call_i32(&fx, "tgrow", (int32_t)elems, &got, &trap) == WARD_OK && got == 0);
    }
    teardown(&fx);
}

static void test_table_edges(void)
{
    check_table_limit(0, MAX_TABLE);
    check_table_limit(1, 1);
    check_table_limit(MAX_TABLE, MAX_TABLE);
    check_table_limit(MAX_TABLE + 1, MAX_TABLE);
    check_table_limit(UINT32_MAX, MAX_TABLE);
}

/* ---- load limits ----------------------------------------------------------- */

/* Does the module load with cfg?  On failure, err holds the message. */
static bool loads(const ward_config *cfg, const uint8_t *bytes, size_t size, ward_error *err)
{
    ward_engine *e = ward_engine_new(cfg);
    ward_module *m = ward_module_new(e, bytes, size, err);
    ward_module_free(m);
    ward_engine_free(e);
    return m != NULL;
}

static bool loads_with_module_bytes(uint64_t limit, ward_error *err)
{
    ward_config cfg = config();
    cfg.max_module_bytes = limit;
    return loads(&cfg, deep_wasm, sizeof deep_wasm, err);
}

static void test_module_bytes_edges(void)
{
    ward_error err;
    CHECK(!loads_with_module_bytes(1, &err));
    CHECK_CONTAINS(err.message, "module is 52 bytes, over the configured limit of 1 (ward_config.max_module_bytes)");
    CHECK(err.stage == WARD_STAGE_LIMIT);
    CHECK(!loads_with_module_bytes(sizeof deep_wasm - 1, &err));
    CHECK(loads_with_module_bytes(sizeof deep_wasm, &err));
    CHECK(loads_with_module_bytes(0, &err));
    CHECK(loads_with_module_bytes(UINT32_MAX, &err));
    CHECK(loads_with_module_bytes((uint64_t)UINT32_MAX + 1, &err));
    CHECK(loads_with_module_bytes(UINT64_MAX, &err));
    /* The default (256 MiB) refuses a bigger binary before reading it: the
     * buffer is mapped, never touched. */
    size_t big = (size_t)DEFAULT_MODULE_BYTES + 1;
    uint8_t *huge = malloc(big);
    if (huge) {
        ward_config cfg = config();
        cfg.max_module_bytes = 0;
        CHECK(!loads(&cfg, huge, big, &err));
        CHECK_CONTAINS(err.message, "module is 268435457 bytes, over the configured limit of 268435456");
        free(huge);
    }
}

/* A module with n functions of type [] -> [] and empty bodies: 4 bytes per
 * function (1 in the function section, 3 in the code section), so 10^6
 * functions are the 4 MB upload. */
static uint8_t *many_functions(uint32_t n, size_t *size)
{
    uint8_t *b = malloc(64 + (size_t)n * 4);
    if (!b)
        return NULL;
    size_t p = 0;
#define LEB(v)                                                  \
    do {                                                        \
        uint64_t v_ = (v);                                      \
        do {                                                    \
            b[p++] = (uint8_t)((v_ & 0x7f) | (v_ > 0x7f ? 0x80 : 0)); \
            v_ >>= 7;                                           \
        } while (v_);                                           \
    } while (0)
    static const uint8_t head[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00};
    memcpy(b, head, sizeof head);
    p = sizeof head;
    size_t count_len = 0;
    for (uint64_t v = n; count_len == 0 || v; v >>= 7)
        count_len++;
    b[p++] = 3; /* function section: count, a type index per function */
    LEB((uint64_t)count_len + n);
    LEB(n);
    memset(b + p, 0, n);
    p += n;
    b[p++] = 10; /* code section: count, (size 2, no locals, end) per function */
    LEB((uint64_t)count_len + (uint64_t)n * 3);
    LEB(n);
    for (uint32_t i = 0; i < n; i++) {
        b[p++] = 2;
        b[p++] = 0;
        b[p++] = 0x0b;
    }
#undef LEB
    *size = p;
    return b;
}

static bool loads_with_functions(uint32_t limit, const uint8_t *bytes, size_t size, ward_error *err)
{
    ward_config cfg = config();
    cfg.max_functions = limit;
    return loads(&cfg, bytes, size, err);
}

static void test_function_edges(void)
{
    ward_error err;
    size_t size;
    uint8_t *two = many_functions(2, &size);
    CHECK(two && loads_with_functions(0, two, size, &err));
    CHECK(!loads_with_functions(1, two, size, &err));
    CHECK_CONTAINS(err.message, "module has 2 functions, over the configured limit of 1 (ward_config.max_functions)");
    CHECK(err.stage == WARD_STAGE_LIMIT && err.offset != WARD_NONE);
    CHECK(loads_with_functions(2, two, size, &err));
    CHECK(loads_with_functions(UINT32_MAX, two, size, &err));
    free(two);
    /* imported functions count too */
    CHECK(!loads_with_functions(1, imp2_wasm, sizeof imp2_wasm, &err));
    CHECK_CONTAINS(err.message, "module has 2 functions, over the configured limit of 1");
    CHECK(loads_with_functions(2, imp2_wasm, sizeof imp2_wasm, &err));

    /* The upload: 10^6 functions in 4 MB took 314 MB to load.  A
     * cap refuses it when the function section's count is read, before
     * anything per function is allocated (docs/limits.md has the RSS); one
     * more than the default is refused by the default. */
    uint8_t *million = many_functions(1000000, &size);
    CHECK(million && size < 4100000);
    CHECK(million && !loads_with_functions(1000, million, size, &err));
    CHECK_CONTAINS(err.message, "module has 1000000 functions, over the configured limit of 1000 "
                                "(ward_config.max_functions)");
    free(million);
    uint8_t *over = many_functions(DEFAULT_FUNCTIONS + 1, &size);
    CHECK(over && !loads_with_functions(0, over, size, &err));
    CHECK_CONTAINS(err.message, "module has 1000001 functions, over the configured limit of 1000000");
    free(over);
}

static bool loads_with_code_bytes(uint64_t limit, ward_error *err)
{
    ward_config cfg = config();
    cfg.max_code_bytes = limit;
    return loads(&cfg, deep_wasm, sizeof deep_wasm, err);
}

/* The least code limit under which fits(limit) holds (it is monotonic). */
static uint64_t least_limit(bool (*fits)(uint64_t))
{
    uint64_t lo = 1, hi = 1 << 20;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (fits(mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Does a call of r(3) (which translates r on first use: its plain code,
 * or with fuel its metered code) run under the code limit? */
static bool call_runs(uint64_t limit, bool metered)
{
    ward_config cfg = config();
    cfg.max_code_bytes = limit;
    fixture fx;
    bool ok = setup(&fx, &cfg, deep_wasm, sizeof deep_wasm);
    int32_t got = 0;
    ward_trap trap;
    ward_result r = WARD_ERROR;
    if (ok) {
        if (metered)
            ward_store_set_fuel(fx.store, 1000);
        r = call_i32(&fx, "r", 3, &got, &trap);
        CHECK(r == WARD_OK || r == WARD_TRAP); /* a trap: the lazy translation did not fit */
        if (r == WARD_TRAP) {
            CHECK(trap.kind == WARD_TRAP_OUT_OF_MEMORY);
            CHECK_CONTAINS(trap.message, "translated code passes the configured limit "
                                         "(ward_config.max_code_bytes)");
        }
    }
    teardown(&fx);
    return r == WARD_OK && got == 3;
}

static bool plain_call_runs(uint64_t limit)
{
    return call_runs(limit, false);
}

static bool metered_call_runs(uint64_t limit)
{
    return call_runs(limit, true);
}

static void test_code_bytes_edges(void)
{
    ward_error err;
    /* load translates nothing, so any limit loads */
    CHECK(loads_with_code_bytes(1, &err));
    CHECK(loads_with_code_bytes(0, &err));
    CHECK(loads_with_code_bytes(UINT64_MAX, &err));
    /* the first call translates: past the limit it traps cleanly, and so
     * does the next; the metered code is larger than the plain code */
    uint64_t plain = least_limit(plain_call_runs);
    CHECK(plain > 1 && !plain_call_runs(plain - 1) && !plain_call_runs(1));
    uint64_t metered = least_limit(metered_call_runs);
    CHECK_MSG(metered > plain, "plain %llu, metered %llu", (unsigned long long)plain, (unsigned long long)metered);
    CHECK(!metered_call_runs(metered - 1));
    CHECK(metered_call_runs(UINT64_MAX) && plain_call_runs(UINT64_MAX));
}

/* Threads race for the first metered translation with room for exactly one
 * copy: the counting stays consistent and nothing breaks; every call either
 * runs or traps cleanly, and once published the code is used by all. */
typedef struct racer {
    ward_engine *engine;
    const ward_module *module;
    atomic_int *go;
    ward_result r;
    int32_t got;
} racer;

static void *race(void *arg)
{
    racer *w = arg;
    ward_error err;
    ward_trap trap;
    ward_store *s = ward_store_new(w->engine);
    ward_instance *inst = NULL;
    w->r = WARD_ERROR;
    if (s && ward_instantiate(s, w->module, NULL, &inst, &err, &trap) == WARD_OK) {
        ward_store_set_fuel(s, 1000);
        while (!atomic_load(w->go))
            sched_yield(); /* start together, without starving the machine */
        ward_val a = {.kind = WARD_I32, .of.i32 = 3}, res = {.kind = WARD_I32};
        w->r = ward_call(s, ward_instance_func(inst, "r"), &a, 1, &res, 1, &trap);
        w->got = res.of.i32;
    }
    ward_store_free(s);
    return NULL;
}

static void test_code_limit_race(void)
{
    enum { THREADS = 4, ROUNDS = 10 };
    uint64_t limit = least_limit(metered_call_runs);
    ward_config cfg = config();
    cfg.max_code_bytes = limit;
    ward_engine *e = ward_engine_new(&cfg);
    int bad = 0, ran = 0;
    for (int round = 0; round < ROUNDS; round++) {
        ward_error err;
        ward_module *m = ward_module_new(e, deep_wasm, sizeof deep_wasm, &err);
        CHECK_MSG(m != NULL, "%s", err.message);
        if (!m)
            break;
        atomic_int go = 0;
        racer w[THREADS];
        pthread_t th[THREADS];
        int started = 0;
        for (int i = 0; i < THREADS; i++) {
            w[i] = (racer){e, m, &go, WARD_ERROR, 0};
            if (pthread_create(&th[started], NULL, race, &w[i]) == 0)
                started++;
        }
        atomic_store(&go, 1);
        for (int i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        for (int i = 0; i < started; i++) {
            ran += w[i].r == WARD_OK;
            bad += !(w[i].r == WARD_TRAP || (w[i].r == WARD_OK && w[i].got == 3));
        }
        ward_module_free(m);
    }
    CHECK_MSG(bad == 0, "%d calls neither ran nor trapped", bad);
    CHECK(ran >= ROUNDS); /* at least the winner of each round */
    ward_engine_free(e);
}

/* The engine's effective value of a field set to `value` (via the getter). */
static ward_config effective(void (*set)(ward_config *, uint32_t), uint32_t value)
{
    ward_config cfg = config(), out;
    set(&cfg, value);
    ward_engine *e = ward_engine_new(&cfg);
    memset(&out, 0, sizeof out);
    ward_engine_config(e, &out);
    ward_engine_free(e);
    return out;
}

static void set_threads(ward_config *c, uint32_t v) { c->max_threads = v; }
static void set_reentry(ward_config *c, uint32_t v) { c->max_host_reentry = v; }

/* max_threads and max_host_reentry: 0 is the default, any other value is
 * kept (their behaviour at the edges is tested in tests/atomics and
 * tests/runtime/test_reentry.c). */
static void test_count_limit_edges(void)
{
    CHECK(effective(set_threads, 0).max_threads == 64);
    CHECK(effective(set_threads, 1).max_threads == 1);
    CHECK(effective(set_threads, UINT32_MAX).max_threads == UINT32_MAX);
    CHECK(effective(set_reentry, 0).max_host_reentry == 100);
    CHECK(effective(set_reentry, 1).max_host_reentry == 1);
    CHECK(effective(set_reentry, UINT32_MAX).max_host_reentry == UINT32_MAX);
}

int main(void)
{
    test_call_depth_edges();
    test_stack_slot_edges();
    test_memory_edges();
    test_table_edges();
    test_module_bytes_edges();
    test_function_edges();
    test_code_bytes_edges();
    test_code_limit_race();
    test_count_limit_edges();
    return test_summary("config_edges");
}
