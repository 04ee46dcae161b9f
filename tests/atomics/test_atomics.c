/*
 * Threads and atomics under real concurrency: several host threads, one
 * store each (one execution context per thread), all instantiating one
 * module (stress.wat) that imports one shared memory made with
 * ward_memory_new_shared.  Checks are made on the main thread only (the
 * harness's counters are not atomic).  Run on the release build and under
 * ThreadSanitizer (docs/threads.md).
 *
 * Iteration counts can be scaled down with WARD_STRESS_DIV (a divisor) for
 * slow sanitizer builds; by default they are the full ones of issue 5.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../test.h"
#include "../test_time.h"
#include "stress_wasm.h"
#include "ward.h"

typedef struct env {
    ward_engine *engine;
    ward_module *module;
    ward_memory *mem;
} env;

typedef struct worker {
    const env *e;
    const char *func;
    ward_val args[2];
    size_t nargs, nresults;
    uint64_t timeout_ms;        /* ward_store_set_timeout, 0 = none */
    /* out */
    _Atomic(ward_store *) store; /* published once instantiated (interrupts) */
    ward_result r;
    ward_val result;
    ward_trap trap;
    char error[400];
    uint64_t elapsed_ns;
    pthread_t thread;
} worker;

static uint32_t scale(uint32_t n)
{
    const char *div = getenv("WARD_STRESS_DIV");
    uint32_t d = div ? (uint32_t)strtoul(div, NULL, 10) : 1;
    return d > 1 ? n / d : n;
}

/* One thread: its own store and linker, the shared memory imported. */
static void *run_worker(void *arg)
{
    worker *w = arg;
    ward_store *store = ward_store_new(w->e->engine);
    ward_linker *linker = ward_linker_new();
    ward_instance *inst = NULL;
    ward_error err = {0};
    w->r = WARD_ERROR;
    if (!store || !linker || ward_linker_define_memory(linker, "env", "mem", w->e->mem) != WARD_OK ||
        ward_instantiate(store, w->e->module, linker, &inst, &err, &w->trap) != WARD_OK) {
        snprintf(w->error, sizeof w->error, "instantiate: %s", err.message);
    } else {
        if (w->timeout_ms)
            ward_store_set_timeout(store, w->timeout_ms);
        atomic_store(&w->store, store);
        ward_func *f = ward_instance_func(inst, w->func);
        uint64_t start = now_ns();
        w->r = f ? ward_call(store, f, w->args, w->nargs, &w->result, w->nresults, &w->trap) : WARD_ERROR;
        w->elapsed_ns = now_ns() - start;
        if (w->r != WARD_OK)
            snprintf(w->error, sizeof w->error, "%s: %s", w->func, w->trap.message);
    }
    /* the interrupter may still hold the pointer: wait for join to free */
    ward_linker_free(linker);
    return store;
}

static void start(worker *w, const env *e, const char *func, int nargs, ward_val a0, ward_val a1, size_t nresults)
{
    memset(w, 0, sizeof *w);
    w->e = e;
    w->func = func;
    w->nargs = (size_t)nargs;
    w->args[0] = a0;
    w->args[1] = a1;
    w->nresults = nresults;
    atomic_init(&w->store, NULL);
    if (pthread_create(&w->thread, NULL, run_worker, w) != 0) {
        fprintf(stderr, "pthread_create failed\n");
        exit(1);
    }
}

/* Join, free the thread's store; true when the call returned normally. */
static bool finish(worker *w)
{
    void *store = NULL;
    pthread_join(w->thread, &store);
    ward_store_free(store);
    CHECK_MSG(w->r == WARD_OK, "%s", w->error);
    return w->r == WARD_OK;
}

static uint32_t mem_u32(const env *e, uint32_t addr)
{
    uint32_t v;
    memcpy(&v, ward_memory_data(e->mem) + addr, sizeof v);
    return v;
}

static bool env_open(env *e, uint32_t max_pages)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.threads = true;
    ward_error err = {0};
    e->engine = ward_engine_new(&cfg);
    e->module = e->engine ? ward_module_new(e->engine, stress_wasm, sizeof stress_wasm, &err) : NULL;
    e->mem = e->engine ? ward_memory_new_shared(e->engine, 1, max_pages) : NULL;
    CHECK_MSG(e->engine && e->module && e->mem, "set-up: %s", err.message);
    return e->engine && e->module && e->mem;
}

static void env_close(env *e)
{
    ward_memory_release(e->mem);
    ward_module_free(e->module);
    ward_engine_free(e->engine);
}

#define NTHREADS 8

/* 8 threads x 1,000,000 i32.atomic.rmw.add 1 on one counter. */
static void test_rmw_add(void)
{
    env e;
    if (!env_open(&e, 256))
        return;
    uint32_t n = scale(1000000);
    worker w[NTHREADS];
    uint64_t t0 = now_ns();
    for (int i = 0; i < NTHREADS; i++)
        start(&w[i], &e, "add_loop", 1, ward_val_i32((int32_t)n), ward_val_i32(0), 0);
    for (int i = 0; i < NTHREADS; i++)
        finish(&w[i]);
    CHECK_MSG(mem_u32(&e, 0) == NTHREADS * n, "counter %u, want %u", mem_u32(&e, 0), NTHREADS * n);
    printf("rmw.add: %d threads x %u: counter %u in %.3f s\n", NTHREADS, n, mem_u32(&e, 0),
           (double)(now_ns() - t0) / 1e9);
    env_close(&e);
}

/* A cmpxchg + wait/notify mutex around a plain load/add/store. */
static void test_mutex(void)
{
    env e;
    if (!env_open(&e, 256))
        return;
    uint32_t n = scale(100000);
    worker w[NTHREADS];
    uint64_t t0 = now_ns();
    for (int i = 0; i < NTHREADS; i++)
        start(&w[i], &e, "locked_inc_loop", 1, ward_val_i32((int32_t)n), ward_val_i32(0), 0);
    for (int i = 0; i < NTHREADS; i++)
        finish(&w[i]);
    CHECK_MSG(mem_u32(&e, 8) == NTHREADS * n, "counter %u, want %u", mem_u32(&e, 8), NTHREADS * n);
    CHECK(mem_u32(&e, 4) == 0); /* unlocked at the end */
    printf("mutex: %d threads x %u: counter %u in %.3f s\n", NTHREADS, n, mem_u32(&e, 8),
           (double)(now_ns() - t0) / 1e9);
    env_close(&e);
}

/* One producer, one consumer, a 256-slot ring, 1,000,000 messages. */
static void test_ring(void)
{
    env e;
    if (!env_open(&e, 256))
        return;
    uint32_t n = scale(1000000);
    worker p, c;
    uint64_t t0 = now_ns();
    start(&c, &e, "consume", 1, ward_val_i32((int32_t)n), ward_val_i32(0), 1);
    start(&p, &e, "produce", 1, ward_val_i32((int32_t)n), ward_val_i32(0), 0);
    finish(&p);
    if (finish(&c))
        CHECK_MSG(c.result.of.i32 == 0, "%d messages out of order, lost or repeated", (int)c.result.of.i32);
    CHECK(mem_u32(&e, 16) == n && mem_u32(&e, 20) == n);
    printf("ring: %u messages in %.3f s\n", n, (double)(now_ns() - t0) / 1e9);
    env_close(&e);
}

/* wait32 with a timeout returns 2, not before the timeout and not long after. */
static void test_wait_timeout(void)
{
    env e;
    if (!env_open(&e, 1))
        return;
    worker w;
    start(&w, &e, "wait_timeout", 1, ward_val_i64(20 * 1000000), ward_val_i32(0), 1);
    if (finish(&w)) {
        CHECK(w.result.of.i32 == 2);
        CHECK_MSG(w.elapsed_ns >= 20000000u && w.elapsed_ns < 2000000000u, "waited %llu ns",
                  (unsigned long long)w.elapsed_ns);
        printf("wait 20 ms: returned %d after %.1f ms\n", (int)w.result.of.i32, (double)w.elapsed_ns / 1e6);
    }
    start(&w, &e, "wait_timeout", 1, ward_val_i64(0), ward_val_i32(0), 1);
    if (finish(&w))
        CHECK(w.result.of.i32 == 2);
    env_close(&e);
}

/* notify wakes a waiter (0), and counts whom it woke. */
static void test_notify(void)
{
    env e;
    if (!env_open(&e, 1))
        return;
    worker w[3];
    for (int i = 0; i < 3; i++)
        start(&w[i], &e, "wait_forever", 0, ward_val_i32(0), ward_val_i32(0), 1);
    /* notify from a fourth store until all three were woken */
    ward_store *store = ward_store_new(e.engine);
    ward_linker *linker = ward_linker_new();
    ward_instance *inst = NULL;
    ward_linker_define_memory(linker, "env", "mem", e.mem);
    CHECK(ward_instantiate(store, e.module, linker, &inst, NULL, NULL) == WARD_OK);
    ward_func *notify = inst ? ward_instance_func(inst, "notify_all") : NULL;
    int32_t woken = 0;
    uint64_t t0 = now_ns();
    while (notify && woken < 3 && now_ns() - t0 < 10000000000ull) {
        ward_val arg = ward_val_i32(32), res;
        if (ward_call(store, notify, &arg, 1, &res, 1, NULL) == WARD_OK)
            woken += res.of.i32;
        sleep_ms(1);
    }
    CHECK_MSG(woken == 3, "woke %d", woken);
    for (int i = 0; i < 3; i++)
        if (finish(&w[i]))
            CHECK(w[i].result.of.i32 == 0);
    ward_linker_free(linker);
    ward_store_free(store);
    env_close(&e);
}

/* A thread parked forever stops on ward_store_interrupt (another thread)
 * and on its store's timeout. */
static void test_wait_cancel(void)
{
    env e;
    if (!env_open(&e, 1))
        return;
    worker w;
    start(&w, &e, "wait_forever", 0, ward_val_i32(0), ward_val_i32(0), 1);
    ward_store *store;
    while (!(store = atomic_load(&w.store)))
        sleep_ms(1);
    sleep_ms(30);
    ward_store_interrupt(store);
    void *st = NULL;
    pthread_join(w.thread, &st);
    CHECK_MSG(w.r == WARD_TRAP && w.trap.kind == WARD_TRAP_INTERRUPTED, "%d %s", (int)w.r, w.trap.message);
    ward_store_free(st);

    memset(&w, 0, sizeof w);
    w.e = &e;
    w.func = "wait_forever";
    w.nresults = 1;
    w.timeout_ms = 30;
    atomic_init(&w.store, NULL);
    pthread_create(&w.thread, NULL, run_worker, &w);
    pthread_join(w.thread, &st);
    CHECK_MSG(w.r == WARD_TRAP && w.trap.kind == WARD_TRAP_TIMEOUT, "%d %s", (int)w.r, w.trap.message);
    CHECK_MSG(w.elapsed_ns >= 30000000u && w.elapsed_ns < 2000000000u, "stopped after %llu ns",
              (unsigned long long)w.elapsed_ns);
    ward_store_free(st);
    env_close(&e);
}

/* One thread grows the memory page by page while three others write and
 * read back words in whatever page is last at the moment: never a trap. */
static void test_grow(void)
{
    env e;
    if (!env_open(&e, 256))
        return;
    uint32_t n = scale(300000);
    worker g, rw[3];
    for (int i = 0; i < 3; i++)
        start(&rw[i], &e, "rw_loop", 2, ward_val_i32((int32_t)n), ward_val_i32(i), 1);
    start(&g, &e, "grow_loop", 1, ward_val_i32(255), ward_val_i32(0), 1);
    if (finish(&g))
        CHECK_MSG(g.result.of.i32 == 256, "%d pages", (int)g.result.of.i32);
    for (int i = 0; i < 3; i++)
        if (finish(&rw[i]))
            CHECK_MSG(rw[i].result.of.i32 == 0, "thread %d: %d mismatches", i, (int)rw[i].result.of.i32);
    CHECK(ward_memory_size(e.mem) == 256u * 65536u);
    env_close(&e);
}

/* The memory outlives the caller's reference while a store uses it, and
 * the stores that imported it (ASan: no leak, no use after free). */
static void test_lifetime(void)
{
    env e;
    if (!env_open(&e, 2))
        return;
    ward_store *store = ward_store_new(e.engine);
    ward_linker *linker = ward_linker_new();
    ward_instance *inst = NULL;
    ward_linker_define_memory(linker, "env", "mem", e.mem);
    CHECK(ward_instantiate(store, e.module, linker, &inst, NULL, NULL) == WARD_OK);
    ward_linker_free(linker);
    ward_memory_release(e.mem); /* the store still holds it */
    ward_func *f = inst ? ward_instance_func(inst, "add_loop") : NULL;
    ward_val arg = ward_val_i32(5);
    CHECK(f && ward_call(store, f, &arg, 1, NULL, 0, NULL) == WARD_OK);
    ward_memory *m = ward_instance_memory(inst, "mem");
    (void)m;
    ward_store_free(store);
    e.mem = NULL;
    env_close(&e);
}

/* Each thread has its own fuel: the metered ones stop exactly where their
 * own budget ends, whatever the others do, and an unmetered one finishes.
 * All run the metered code of one module at once (it is translated on
 * first use: concurrently here). */
static void *fuel_worker(void *arg)
{
    worker *w = arg;
    ward_store *store = ward_store_new(w->e->engine);
    ward_linker *linker = ward_linker_new();
    ward_instance *inst = NULL;
    w->r = WARD_ERROR;
    if (store && linker && ward_linker_define_memory(linker, "env", "mem", w->e->mem) == WARD_OK &&
        ward_instantiate(store, w->e->module, linker, &inst, NULL, NULL) == WARD_OK) {
        if (w->timeout_ms) /* here: the fuel */
            ward_store_set_fuel(store, w->timeout_ms);
        ward_func *f = ward_instance_func(inst, "add_loop");
        w->r = ward_call(store, f, w->args, 1, NULL, 0, &w->trap);
        w->result.of.i64 = ward_store_fuel_consumed(store);
    }
    ward_linker_free(linker);
    ward_store_free(store);
    return NULL;
}

static void test_fuel_per_thread(void)
{
    env e;
    if (!env_open(&e, 1))
        return;
    worker w[4];
    for (int i = 0; i < 4; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].e = &e;
        w[i].args[0] = ward_val_i32(200000);
        w[i].timeout_ms = i == 3 ? 0 : 10000u * (uint64_t)(i + 1);
        atomic_init(&w[i].store, NULL);
        pthread_create(&w[i].thread, NULL, fuel_worker, &w[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(w[i].thread, NULL);
    for (int i = 0; i < 3; i++) {
        CHECK_MSG(w[i].r == WARD_TRAP && w[i].trap.kind == WARD_TRAP_OUT_OF_FUEL, "thread %d: %d %s", i,
                  (int)w[i].r, w[i].trap.message);
        CHECK_MSG(w[i].result.of.i64 == w[i].timeout_ms, "thread %d used %llu of %llu", i,
                  (unsigned long long)w[i].result.of.i64, (unsigned long long)w[i].timeout_ms);
    }
    CHECK(w[3].r == WARD_OK);
    env_close(&e);
}

static const struct {
    const char *name;
    void (*run)(void);
} tests[] = {
    {"wait_timeout", test_wait_timeout}, {"notify", test_notify},   {"wait_cancel", test_wait_cancel},
    {"lifetime", test_lifetime},         {"fuel", test_fuel_per_thread}, {"rmw_add", test_rmw_add},
    {"mutex", test_mutex},               {"ring", test_ring},       {"grow", test_grow},
};

/* No argument: every test; else only the named ones (meson runs each
 * separately, so each stays well inside its time limit under TSan). */
int main(int argc, char **argv)
{
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        bool wanted = argc < 2;
        for (int a = 1; a < argc; a++)
            wanted = wanted || strcmp(argv[a], tests[i].name) == 0;
        if (wanted)
            tests[i].run();
    }
    return test_summary("atomics");
}
