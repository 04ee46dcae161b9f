/*
 * wasi-threads: the `wasi` `thread-spawn` import (docs/threads.md).
 *
 * Each spawn makes a new store (the new thread's execution context: stacks,
 * fuel, trap state), instantiates the same module in it with the same
 * imports (WASI through the shared ward_wasi, every memory import bound to
 * the one shared memory, thread-spawn itself), and runs its export
 * wasi_thread_start(tid, arg) on a new host thread.  Instantiation happens
 * on the spawning thread, so a failure is the guest's negative result, not
 * a dead thread.
 *
 * The first thread to end the program (proc_exit or a trap, from any
 * thread) decides its outcome; every other running store is then
 * interrupted (ward_store_interrupt: waits stop at once, running code at
 * its next fuel-block head when the store is interruptible).  Stores of
 * finished threads are freed at once; the list of running ones is what an
 * end interrupts, under the context's lock, so no store is interrupted
 * after it was freed.
 *
 * A spawn registers its store in that list, under the lock and in one step
 * with the check that the program has not ended, before anything runs in
 * the store (start function, wasi_thread_start): an end either comes first
 * (the spawn is refused) or sees the store and interrupts it (the flag stays
 * set until a call in that store reports it, so even a thread not yet
 * started stops at its first poll or wait).  The host thread is started,
 * still under the lock, only while the program runs.  Threads alive at once
 * are capped by the engine's config.max_threads.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/ward.h"
#include "wasi.h"

/* Thread ids are positive and below 2^29 (the proposal's range). */
#define WTHREAD_MAX_TID 0x1FFFFFFF
/* What a refused spawn returns to the guest: a negative errno (the
 * proposal's ABI), EAGAIN as pthread_create's "no resources, try again". */
#define WTHREAD_REFUSED (-WASI_EAGAIN)

typedef struct wthread {
    struct wthread *next;
    struct ward_wasi_threads *wt;
    ward_store *store;
    ward_linker *linker;
    ward_func *start;
    int32_t tid;
    uint32_t arg;
} wthread;

struct ward_wasi_threads {
    ward_engine *engine;
    const ward_module *module;
    ward_wasi *wasi;
    ward_memory *memory; /* bound to every memory import; our reference */
    uint64_t thread_fuel;       /* each spawned store's fuel; 0 = metering off */
    uint64_t thread_timeout_ms; /* each spawned thread's own timeout; 0 = none */
    uint32_t max_threads;       /* spawned threads alive at once (config.max_threads) */

    pthread_mutex_t lock;
    pthread_cond_t idle;   /* signalled when the last spawned thread ends */
    ward_store *main_store;
    wthread *running;      /* registered threads, whose stores an end interrupts */
    uint32_t nlive;        /* threads not yet released: registered ones and
                            * those still freeing their store */
    int32_t next_tid;
    bool ended;            /* the program is over: spawn refuses */
    bool ended_by_thread;  /* a spawned thread ended it: */
    int exit_code;         /*   its proc_exit code, */
    bool trapped;          /*   or its trap */
    ward_trap trap;
};

/* ---- linking ------------------------------------------------------------- */

static ward_result thread_spawn(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                                ward_trap *trap);

static bool define_spawn(ward_wasi_threads *wt, ward_linker *linker, ward_store *store)
{
    static const ward_valkind i32[1] = {WARD_I32};
    ward_functype type = {1, 1, i32, i32};
    ward_func *f = ward_func_new(store, &type, thread_spawn, wt);
    return f && ward_linker_define_func(linker, "wasi", "thread-spawn", f) == WARD_OK;
}

/* Every memory import of the module gets the shared memory. */
static bool define_memories(ward_wasi_threads *wt, ward_linker *linker)
{
    for (uint32_t i = 0; i < ward_module_import_count(wt->module); i++) {
        ward_import_info info;
        ward_module_import(wt->module, i, &info);
        if (info.kind == WARD_EXTERN_MEMORY &&
            ward_linker_define_memory(linker, info.module, info.name, wt->memory) != WARD_OK)
            return false;
    }
    return true;
}

/* What a spawned thread's instance imports. */
static bool prepare_linker(ward_wasi_threads *wt, ward_linker *linker, ward_store *store)
{
    return (!wt->wasi || ward_wasi_define(wt->wasi, linker, store) == WARD_OK) && define_spawn(wt, linker, store) &&
           define_memories(wt, linker);
}

/* ---- ending the program -------------------------------------------------- */

/* Lock held.  Record who ended the program (the first one only) and stop
 * every other running store. */
static void end_program(ward_wasi_threads *wt, const wthread *by, int exit_code, const ward_trap *trap)
{
    if (!wt->ended && by) {
        wt->ended_by_thread = true;
        wt->exit_code = exit_code;
        if (trap) {
            wt->trapped = true;
            wt->trap = *trap;
        }
    }
    wt->ended = true;
    for (wthread *t = wt->running; t; t = t->next)
        if (t != by)
            ward_store_interrupt(t->store);
    if (by && wt->main_store)
        ward_store_interrupt(wt->main_store);
}

static void unlink_thread(ward_wasi_threads *wt, wthread *t)
{
    for (wthread **pp = &wt->running; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            return;
        }
}

static void free_thread(wthread *t)
{
    if (t->store)
        ward_store_free(t->store);
    if (t->linker)
        ward_linker_free(t->linker);
    free(t);
}

/* ---- threads --------------------------------------------------------------- */

/* After the thread's store is freed: its place under the cap, and the
 * wait of ward_wasi_threads_finish, end here. */
static void release_slot(ward_wasi_threads *wt)
{
    pthread_mutex_lock(&wt->lock);
    if (--wt->nlive == 0)
        pthread_cond_broadcast(&wt->idle);
    pthread_mutex_unlock(&wt->lock);
}

/* A registered thread that will not run: out of the list first, so no end
 * interrupts its store once it is freed. */
static void discard_thread(ward_wasi_threads *wt, wthread *t)
{
    pthread_mutex_lock(&wt->lock);
    unlink_thread(wt, t);
    pthread_mutex_unlock(&wt->lock);
    free_thread(t);
    release_slot(wt);
}

static void *thread_main(void *arg)
{
    wthread *t = arg;
    ward_wasi_threads *wt = t->wt;
    ward_val args[2] = {ward_val_i32(t->tid), ward_val_i32((int32_t)t->arg)};
    ward_trap trap;
    memset(&trap, 0, sizeof trap);
    ward_result r = ward_call(t->store, t->start, args, 2, NULL, 0, &trap);
    int code = 0;
    /* only this thread's own proc_exit (an exit trap) reads the wasi's exit
     * record, which that call just wrote on this thread */
    bool exited = r == WARD_TRAP && trap.kind == WARD_TRAP_EXIT && ward_wasi_exit_code(wt->wasi, &trap, &code);
    pthread_mutex_lock(&wt->lock);
    unlink_thread(wt, t);
    /* a thread stopped because the program already ended says nothing */
    if (exited || (r != WARD_OK && !(wt->ended && trap.kind == WARD_TRAP_INTERRUPTED)))
        end_program(wt, t, exited ? code : 1, &trap);
    pthread_mutex_unlock(&wt->lock);
    /* freed before the slot is released, so finish returns only once no
     * thread uses the engine, the module or the shared memory any more */
    free_thread(t);
    release_slot(wt);
    return NULL;
}

/* Fuel and timeout are per thread: each store gets its own budget and
 * its own deadline, counted from the start of its wasi_thread_start call.
 * Set here, on the spawning thread, before the new thread exists. */
static void set_thread_limits(ward_wasi_threads *wt, ward_store *store)
{
    if (!store)
        return;
    pthread_mutex_lock(&wt->lock);
    uint64_t fuel = wt->thread_fuel, timeout_ms = wt->thread_timeout_ms;
    pthread_mutex_unlock(&wt->lock);
    if (fuel)
        ward_store_set_fuel(store, fuel);
    if (timeout_ms)
        ward_store_set_timeout(store, timeout_ms);
}

/* A thread record with its (empty) store and linker, or NULL. */
static wthread *new_thread(ward_wasi_threads *wt, uint32_t start_arg)
{
    wthread *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->wt = wt;
    t->arg = start_arg;
    t->store = ward_store_new(wt->engine);
    t->linker = ward_linker_new();
    if (!t->store || !t->linker) {
        free_thread(t);
        return NULL;
    }
    set_thread_limits(wt, t->store);
    return t;
}

/* Give t a tid and put its store where an end interrupts it, unless the
 * program has ended, the cap is reached or the tids are used up: one
 * decision under the lock, so no end falls between the check and the
 * record. */
static bool register_thread(ward_wasi_threads *wt, wthread *t)
{
    pthread_mutex_lock(&wt->lock);
    bool ok = !wt->ended && wt->nlive < wt->max_threads && wt->next_tid <= WTHREAD_MAX_TID;
    if (ok) {
        t->tid = wt->next_tid++;
        t->next = wt->running;
        wt->running = t;
        wt->nlive++;
    }
    pthread_mutex_unlock(&wt->lock);
    return ok;
}

/* The module's instance in t's store (its start function runs there, where
 * an end now interrupts it) and its wasi_thread_start. */
static bool instantiate_thread(ward_wasi_threads *wt, wthread *t)
{
    ward_instance *inst = NULL;
    return prepare_linker(wt, t->linker, t->store) &&
           ward_instantiate(t->store, wt->module, t->linker, &inst, NULL, NULL) == WARD_OK &&
           (t->start = ward_instance_func(inst, "wasi_thread_start")) != NULL;
}

/* Start t's host thread while the program runs: under the lock, so an end
 * either came first (t is not started) or comes after and interrupts it. */
static bool start_thread(ward_wasi_threads *wt, wthread *t)
{
    pthread_attr_t attr;
    pthread_t thread;
    if (pthread_attr_init(&attr) != 0)
        return false;
    bool started = false;
    pthread_mutex_lock(&wt->lock);
    if (!wt->ended && pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0)
        started = pthread_create(&thread, &attr, thread_main, t) == 0;
    pthread_mutex_unlock(&wt->lock);
    pthread_attr_destroy(&attr);
    return started;
}

/* A new thread running wasi_thread_start(tid, arg): its tid, or
 * WTHREAD_REFUSED (the program ended, the cap, no memory or host thread
 * left, a failed instantiation). */
static int32_t spawn(ward_wasi_threads *wt, uint32_t start_arg)
{
    wthread *t = new_thread(wt, start_arg);
    if (!t)
        return WTHREAD_REFUSED;
    if (!register_thread(wt, t)) {
        free_thread(t);
        return WTHREAD_REFUSED;
    }
    int32_t tid = t->tid; /* once started, t belongs to its thread */
    if (!instantiate_thread(wt, t) || !start_thread(wt, t)) {
        discard_thread(wt, t);
        return WTHREAD_REFUSED;
    }
    return tid;
}

static ward_result thread_spawn(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                                ward_trap *trap)
{
    (void)caller;
    (void)trap;
    results[0] = ward_val_i32(spawn(env, args[0].of.i32));
    return WARD_OK;
}

/* ---- public API ------------------------------------------------------------ */

/* The shared memory the module's memory imports get: the first such
 * import's limits. */
static ward_memory *memory_for(ward_engine *engine, const ward_module *module, ward_error *err)
{
    for (uint32_t i = 0; i < ward_module_import_count(module); i++) {
        ward_externtype type;
        if (!ward_module_import_type(module, i, &type) || type.kind != WARD_EXTERN_MEMORY)
            continue;
        if (!type.of.memory.shared || !type.of.memory.has_max || type.of.memory.max_pages > 65536) {
            snprintf(err->message, sizeof err->message, "wasi-threads: the imported memory must be shared");
            return NULL;
        }
        ward_memory *m = ward_memory_new_shared(engine, (uint32_t)type.of.memory.min_pages,
                                                (uint32_t)type.of.memory.max_pages);
        if (!m)
            snprintf(err->message, sizeof err->message, "wasi-threads: cannot make a shared memory of %u pages",
                     (unsigned)type.of.memory.min_pages);
        return m;
    }
    snprintf(err->message, sizeof err->message, "wasi-threads: the module imports no memory");
    return NULL;
}

ward_wasi_threads *ward_wasi_threads_new(ward_engine *engine, const ward_module *module, ward_wasi *wasi,
                                         ward_error *err)
{
    ward_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    err->stage = WARD_STAGE_WASI;
    err->section = err->func_index = err->offset = err->line = err->column = WARD_NONE;
    ward_wasi_threads *wt = engine && module ? calloc(1, sizeof *wt) : NULL;
    if (!wt)
        return NULL;
    wt->engine = engine;
    wt->module = module;
    wt->wasi = wasi;
    wt->next_tid = 1;
    ward_config config;
    ward_engine_config(engine, &config);
    wt->max_threads = config.max_threads;
    if (!(wt->memory = memory_for(engine, module, err))) {
        free(wt);
        return NULL;
    }
    if (pthread_mutex_init(&wt->lock, NULL) != 0) {
        ward_memory_release(wt->memory);
        free(wt);
        return NULL;
    }
    if (pthread_cond_init(&wt->idle, NULL) != 0) {
        pthread_mutex_destroy(&wt->lock);
        ward_memory_release(wt->memory);
        free(wt);
        return NULL;
    }
    return wt;
}

void ward_wasi_threads_set_limits(ward_wasi_threads *wt, uint64_t fuel, uint64_t timeout_ms)
{
    if (!wt)
        return;
    pthread_mutex_lock(&wt->lock);
    wt->thread_fuel = fuel;
    wt->thread_timeout_ms = timeout_ms;
    pthread_mutex_unlock(&wt->lock);
}

ward_result ward_wasi_threads_define(ward_wasi_threads *wt, ward_linker *linker, ward_store *store)
{
    if (!wt || !linker || !store || !define_spawn(wt, linker, store) || !define_memories(wt, linker))
        return WARD_ERROR;
    pthread_mutex_lock(&wt->lock);
    wt->main_store = store;
    pthread_mutex_unlock(&wt->lock);
    return WARD_OK;
}

bool ward_wasi_threads_finish(ward_wasi_threads *wt, int *code, ward_trap *trap)
{
    if (!wt)
        return false;
    pthread_mutex_lock(&wt->lock);
    end_program(wt, NULL, 0, NULL);
    wt->main_store = NULL;
    while (wt->nlive > 0)
        pthread_cond_wait(&wt->idle, &wt->lock);
    bool by_thread = wt->ended_by_thread;
    if (by_thread && code)
        *code = wt->exit_code;
    if (by_thread && trap) {
        if (wt->trapped)
            *trap = wt->trap;
        else
            memset(trap, 0, sizeof *trap);
    }
    pthread_mutex_unlock(&wt->lock);
    return by_thread;
}

void ward_wasi_threads_free(ward_wasi_threads *wt)
{
    if (!wt)
        return;
    ward_wasi_threads_finish(wt, NULL, NULL);
    pthread_cond_destroy(&wt->idle);
    pthread_mutex_destroy(&wt->lock);
    ward_memory_release(wt->memory);
    free(wt);
}
