/*
 * Host re-entry (issue 11, defect 2): a host function that calls ward_call
 * back into the guest nests C frames (the interpreter's, the host
 * function's, ward_call's) once per level.  Unbounded, that overflowed the
 * C stack (release: SIGSEGV at N = 5000; ASan: at N = 300).  Every depth
 * must end in a clean "call stack exhausted" trap that unwinds through each
 * level, on the main thread and on threads with small stacks, whatever the
 * limits are set to.
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "ward.h"

/*
 * The review's reproducer; the host's env.cb(x) is ward_call(rec, x - 1):
 * (module
 *   (import "env" "cb" (func $cb (param i32) (result i32)))
 *   (func (export "rec") (param i32) (result i32)
 *     (if (result i32) (i32.eqz (local.get 0))
 *       (then (i32.const 0))
 *       (else (call $cb (i32.sub (local.get 0) (i32.const 1)))))))
 * so rec(N), N even, re-enters the store N / 2 times.
 */
static const uint8_t rec_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
    0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x02, 0x63, 0x62, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
    0x07, 0x07, 0x01, 0x03, 0x72, 0x65, 0x63, 0x00, 0x01, 0x0a, 0x14, 0x01, 0x12, 0x00, 0x20, 0x00,
    0x45, 0x04, 0x7f, 0x41, 0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x00, 0x0b, 0x0b,
};

typedef struct fixture {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_linker *linker;
    ward_func *rec;
    /* what the host function saw during the last run */
    uint32_t host_calls;     /* env.cb invocations */
    uint32_t host_traps;     /* of those, how many got WARD_TRAP from ward_call */
    uint32_t bad_traps;      /* traps that were not "call stack exhausted" */
    uintptr_t first_frame;   /* stack address of the outermost env.cb */
    uintptr_t deepest_frame; /* and of the innermost */
} fixture;

static ward_result cb(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    fixture *f = env;
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    if (f->host_calls++ == 0)
        f->first_frame = here;
    f->deepest_frame = here;
    ward_val arg = ward_val_i32((int32_t)(args[0].of.i32 - 1));
    ward_result r = ward_call(ward_caller_store(caller), f->rec, &arg, 1, results, 1, trap);
    if (r != WARD_OK) {
        f->host_traps++;
        if (r != WARD_TRAP || trap->kind != WARD_TRAP_STACK_EXHAUSTED)
            f->bad_traps++;
    }
    return r;
}

static bool fixture_open(fixture *f, const ward_config *cfg)
{
    static const ward_valkind i32[] = {WARD_I32};
    static const ward_functype cb_type = {1, 1, i32, i32};
    memset(f, 0, sizeof *f);
    f->engine = ward_engine_new(cfg);
    f->store = ward_store_new(f->engine);
    f->linker = ward_linker_new();
    ward_error err = {0};
    f->module = ward_module_new(f->engine, rec_wasm, sizeof rec_wasm, &err);
    CHECK_MSG(f->module != NULL, "load: %s", err.message);
    if (!f->module)
        return false;
    ward_linker_define_func(f->linker, "env", "cb", ward_func_new(f->store, &cb_type, cb, f));
    ward_instance *inst = NULL;
    ward_trap trap;
    ward_result r = ward_instantiate(f->store, f->module, f->linker, &inst, &err, &trap);
    CHECK_MSG(r == WARD_OK, "instantiate: %s", err.message);
    f->rec = inst ? ward_instance_func(inst, "rec") : NULL;
    return f->rec != NULL;
}

static void fixture_close(fixture *f)
{
    ward_linker_free(f->linker);
    ward_store_free(f->store);
    ward_module_free(f->module);
    ward_engine_free(f->engine);
}

typedef enum outcome { MUST_FINISH, MUST_TRAP, FINISH_OR_TRAP } outcome;

/* rec(n) from the host: either it returns 0, or it traps "call stack
 * exhausted" and every host function on the way saw that trap and passed
 * it on.  Returns the result code. */
static ward_result run(fixture *f, uint32_t n, outcome want, const char *where)
{
    f->host_calls = f->host_traps = f->bad_traps = 0;
    ward_val arg = ward_val_i32((int32_t)n), result = {0};
    ward_trap trap;
    memset(&trap, 0, sizeof trap);
    ward_result r = ward_call(f->store, f->rec, &arg, 1, &result, 1, &trap);
    if (r == WARD_OK) {
        CHECK_MSG(want != MUST_TRAP, "%s: rec(%u) finished, a trap was expected", where, (unsigned)n);
        CHECK_MSG(result.of.i32 == 0, "%s: rec(%u) = %u", where, (unsigned)n, (unsigned)result.of.i32);
        CHECK_MSG(f->host_traps == 0, "%s: rec(%u): %u host calls saw a trap", where, (unsigned)n,
                  (unsigned)f->host_traps);
        return r;
    }
    CHECK_MSG(want != MUST_FINISH, "%s: rec(%u) trapped: %s", where, (unsigned)n, trap.message);
    CHECK_MSG(r == WARD_TRAP && trap.kind == WARD_TRAP_STACK_EXHAUSTED, "%s: rec(%u): result %d, kind %d (%s)",
              where, (unsigned)n, (int)r, (int)trap.kind, trap.message);
    CHECK_MSG(strcmp(trap.message, "call stack exhausted") == 0, "%s: message \"%s\"", where, trap.message);
    /* the trap unwound through every level: each host call got it back */
    CHECK_MSG(f->host_traps == f->host_calls && f->bad_traps == 0, "%s: rec(%u): %u of %u host calls saw the trap",
              where, (unsigned)n, (unsigned)f->host_traps, (unsigned)f->host_calls);
    return r;
}

/* The review's depths.  After a trap the store is as good as new. */
static void run_review_depths(fixture *f, outcome small, const char *where)
{
    run(f, 10, small, where);
    run(f, 300, FINISH_OR_TRAP, where);
    run(f, 5000, MUST_TRAP, where);
    run(f, 1000000, MUST_TRAP, where);
    run(f, 10, small, where);
}

static void test_main_thread(void)
{
    fixture f;
    if (fixture_open(&f, NULL)) {
        run_review_depths(&f, MUST_FINISH, "main thread");
        /* measured, not asserted: C stack per re-entry level */
        run(&f, 40, MUST_FINISH, "main thread");
        if (f.host_calls > 1)
            printf("C stack per host re-entry: %lu bytes\n",
                   (unsigned long)((f.first_frame - f.deepest_frame) / (f.host_calls - 1)));
    }
    fixture_close(&f);
}

/* ---- small thread stacks ------------------------------------------------- */

typedef struct thread_job {
    fixture *f;
    const char *where;
} thread_job;

static void *thread_main(void *arg)
{
    thread_job *job = arg;
    run_review_depths(job->f, FINISH_OR_TRAP, job->where);
    return NULL;
}

/* The same calls on a thread whose stack is only stack_bytes. */
static void on_small_stack(fixture *f, size_t stack_bytes, const char *where)
{
    if (stack_bytes < PTHREAD_STACK_MIN)
        stack_bytes = PTHREAD_STACK_MIN;
    pthread_attr_t attr;
    pthread_t t;
    thread_job job = {f, where};
    bool ok = pthread_attr_init(&attr) == 0 && pthread_attr_setstacksize(&attr, stack_bytes) == 0 &&
              pthread_create(&t, &attr, thread_main, &job) == 0;
    if (ok)
        pthread_join(t, NULL);
    /* counted after the join: the thread counts its own checks meanwhile */
    CHECK_MSG(ok, "%s: cannot start the thread", where);
    pthread_attr_destroy(&attr);
}

static void test_small_stacks(void)
{
    fixture f;
    if (fixture_open(&f, NULL)) {
        on_small_stack(&f, 128 * 1024, "128 KiB thread");
        on_small_stack(&f, 256 * 1024, "256 KiB thread");
    }
    fixture_close(&f);
}

/* ---- the configured nesting ---------------------------------------------- */

static void test_configured_limit(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    CHECK(cfg.max_host_reentry == 100);
    cfg.max_host_reentry = 4;
    fixture f;
    if (fixture_open(&f, &cfg)) {
        run(&f, 8, MUST_FINISH, "limit 4");  /* 4 re-entries */
        CHECK(f.host_calls == 4);
        run(&f, 10, MUST_TRAP, "limit 4");   /* a 5th */
        CHECK(f.host_calls == 5);
        run(&f, 8, MUST_FINISH, "limit 4");
    }
    fixture_close(&f);
    cfg.max_host_reentry = 1;
    if (fixture_open(&f, &cfg)) {
        run(&f, 2, MUST_FINISH, "limit 1");
        run(&f, 4, MUST_TRAP, "limit 1");
    }
    fixture_close(&f);
    cfg.max_host_reentry = 0; /* the default */
    if (fixture_open(&f, &cfg)) {
        run(&f, 200, MUST_FINISH, "limit 0");
        run(&f, 202, MUST_TRAP, "limit 0");
    }
    fixture_close(&f);
}

/* No nesting limit and a frame stack deeper than any C stack: only the C
 * stack check stands between the guest and an overflow. */
static void test_stack_check_alone(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.max_host_reentry = UINT32_MAX;
    cfg.max_call_depth = 1000000;
    fixture f;
    if (fixture_open(&f, &cfg)) {
        run(&f, 1000000, MUST_TRAP, "no nesting limit");
        run(&f, 10, MUST_FINISH, "no nesting limit");
        on_small_stack(&f, 128 * 1024, "no nesting limit, 128 KiB thread");
        on_small_stack(&f, 256 * 1024, "no nesting limit, 256 KiB thread");
    }
    fixture_close(&f);
}

/* A host function the host calls directly, calling itself through
 * ward_call: no wasm in between, yet one more C level each time. */
typedef struct self_call {
    ward_func *self;
    uint32_t calls, traps;
} self_call;

static ward_result call_self(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                             ward_trap *trap)
{
    (void)args;
    (void)results;
    self_call *sc = env;
    sc->calls++;
    ward_result r = ward_call(ward_caller_store(caller), sc->self, NULL, 0, NULL, 0, trap);
    sc->traps += r == WARD_TRAP && trap->kind == WARD_TRAP_STACK_EXHAUSTED;
    return r;
}

static void test_host_calling_itself(void)
{
    static const ward_functype none = {0, 0, NULL, NULL};
    ward_engine *e = ward_engine_new(NULL);
    ward_store *s = ward_store_new(e);
    self_call sc = {NULL, 0, 0};
    sc.self = ward_func_new(s, &none, call_self, &sc);
    ward_trap trap;
    ward_result r = ward_call(s, sc.self, NULL, 0, NULL, 0, &trap);
    CHECK(r == WARD_TRAP && trap.kind == WARD_TRAP_STACK_EXHAUSTED);
    CHECK_MSG(sc.calls == 101 && sc.traps == 101, "%u calls, %u saw the trap", (unsigned)sc.calls,
              (unsigned)sc.traps);
    ward_store_free(s);
    ward_engine_free(e);
}

int main(void)
{
    test_main_thread();
    test_small_stacks();
    test_configured_limit();
    test_stack_check_alone();
    test_host_calling_itself();
    return test_summary("reentry");
}
