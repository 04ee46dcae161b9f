/*
 * What idle parked threads cost: N host threads (default 1000), one store
 * each, all in memory.atomic.wait32 on one shared memory with no timeout;
 * the process's CPU time (getrusage, user + system) is measured over an
 * idle window (default 5 s), then one notify wakes them all.
 *
 *   cc -O2 -Iinclude -Isrc bench/parked_waiters.c BUILD/libward.a -lm -lpthread -o parked_waiters
 *   ./parked_waiters [THREADS [SECONDS]]
 *
 * The guest is tests/atomics/stress.wat (wait_forever / notify_all).
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "../tests/atomics/stress_wasm.h"
#include "ward.h"

typedef struct shared_env {
    ward_engine *engine;
    ward_module *module;
    ward_memory *mem;
    atomic_int ready;         /* threads about to call wait_forever */
    atomic_int failed;
} shared_env;

static double seconds_of(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return seconds_of(ru.ru_utime) + seconds_of(ru.ru_stime);
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_seconds(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Instantiate in a store of its own and park until notified. */
static void *waiter(void *arg)
{
    shared_env *e = arg;
    ward_store *store = ward_store_new(e->engine);
    ward_linker *linker = ward_linker_new();
    ward_instance *inst = NULL;
    ward_val result;
    ward_func *f = NULL;
    if (store && linker && ward_linker_define_memory(linker, "env", "mem", e->mem) == WARD_OK &&
        ward_instantiate(store, e->module, linker, &inst, NULL, NULL) == WARD_OK)
        f = ward_instance_func(inst, "wait_forever");
    atomic_fetch_add(&e->ready, 1);
    if (!f || ward_call(store, f, NULL, 0, &result, 1, NULL) != WARD_OK || result.of.i32 != 0)
        atomic_fetch_add(&e->failed, 1);
    ward_linker_free(linker);
    ward_store_free(store);
    return NULL;
}

/* notify_all from a store of the main thread until n waiters woke. */
static int wake_all(shared_env *e, int n)
{
    ward_store *store = ward_store_new(e->engine);
    ward_linker *linker = ward_linker_new();
    ward_instance *inst = NULL;
    ward_linker_define_memory(linker, "env", "mem", e->mem);
    if (ward_instantiate(store, e->module, linker, &inst, NULL, NULL) != WARD_OK)
        return 0;
    ward_func *notify = ward_instance_func(inst, "notify_all");
    int woken = 0;
    double t0 = wall_seconds();
    while (woken < n && wall_seconds() - t0 < 60) {
        ward_val arg = ward_val_i32(32), res;
        if (ward_call(store, notify, &arg, 1, &res, 1, NULL) == WARD_OK)
            woken += res.of.i32;
        sleep_seconds(0.001);
    }
    ward_linker_free(linker);
    ward_store_free(store);
    return woken;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    double window = argc > 2 ? atof(argv[2]) : 5.0;
    shared_env e = {0};
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.threads = true;
    e.engine = ward_engine_new(&cfg);
    e.module = ward_module_new(e.engine, stress_wasm, sizeof stress_wasm, NULL);
    e.mem = ward_memory_new_shared(e.engine, 1, 1);
    pthread_t *threads = calloc((size_t)n, sizeof *threads);
    if (!e.module || !e.mem || !threads || n <= 0) {
        fprintf(stderr, "parked_waiters: set-up failed\n");
        return 1;
    }
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (int i = 0; i < n; i++)
        if (pthread_create(&threads[i], &attr, waiter, &e) != 0) {
            fprintf(stderr, "parked_waiters: pthread_create %d failed\n", i);
            return 1;
        }
    while (atomic_load(&e.ready) < n)
        sleep_seconds(0.01);
    sleep_seconds(1.0); /* let the last ones park */
    double cpu0 = cpu_seconds(), wall0 = wall_seconds();
    sleep_seconds(window);
    double cpu = cpu_seconds() - cpu0, wall = wall_seconds() - wall0;
    int woken = wake_all(&e, n);
    for (int i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    printf("%d parked waiters: %.3f s CPU in %.3f s wall (%.1f%% of one core); woke %d, %d failed\n", n, cpu,
           wall, 100.0 * cpu / wall, woken, atomic_load(&e.failed));
    free(threads);
    ward_memory_release(e.mem);
    ward_module_free(e.module);
    ward_engine_free(e.engine);
    return woken == n && atomic_load(&e.failed) == 0 ? 0 : 1;
}
