/*
 * The parking lot's sleeping (src/atomics/parking.c): a parked thread
 * sleeps until a notify, an interrupt of its store or its deadline, so an
 * idle waiter costs nothing.  Measured without timing: every test counts
 * how often the waiter asked its poll callback whether to stop, which it
 * does once before it sleeps and once after every wake.  (Before the
 * waiters slept on a futex they woke every 5 ms to poll: some 60 polls in
 * the 300 ms a waiter here is left alone.)  Run under ThreadSanitizer too.
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../test.h"
#include "../test_time.h"
#include "atomics/atomics.h"
#include "atomics/futex.h"
#include "atomics/parking.h"
#include "runtime/runtime.h"
#include "ward.h"

/* A waiter sleeps once per wake: the first poll, one after the wake that
 * ends the wait, and slack for a stray wake (a signal, a stale futex).
 * Without futexes the fallback polls every 5 ms (only results checked). */
#if WARD_HAVE_FUTEX
#define MAX_POLLS 4
#else
#define MAX_POLLS INT_MAX
#endif

typedef struct parked {
    wparking_lot *lot;
    ward_memory *mem;         /* watomic_wait tests: the shared memory */
    ward_store *store;        /* polled for a stop, its wake word slept on; or NULL */
    uint32_t value;           /* the word waited on (wparking tests) */
    atomic_int polls;
    int result;
    ward_trap_kind stop;
    pthread_t thread;
} parked;

static ward_trap_kind counting_poll(void *ctx)
{
    parked *p = ctx;
    atomic_fetch_add(&p->polls, 1);
    return p->store ? wstore_poll_stop(p->store) : WARD_TRAP_NONE;
}

/* wait32 on p->value == 0, no timeout. */
static void *park_thread(void *arg)
{
    parked *p = arg;
    wpark_request req = {
        .addr = &p->value,
        .size = 4,
        .expected = 0,
        .deadline_ns = p->store && p->store->deadline_ns ? p->store->deadline_ns : UINT64_MAX,
        .poll = counting_poll,
        .ctx = p,
        .wake_word = p->store ? &p->store->wake_seq : NULL,
    };
    p->result = wparking_wait(p->lot, &req, &p->stop);
    return NULL;
}

static void start_parked(parked *p, wparking_lot *lot, ward_store *store)
{
    memset(p, 0, sizeof *p);
    p->lot = lot;
    p->store = store;
    atomic_init(&p->polls, 0);
    CHECK(pthread_create(&p->thread, NULL, park_thread, p) == 0);
    /* the first poll comes from under the stripe lock, just before sleeping */
    while (atomic_load(&p->polls) == 0)
        sleep_ms(1);
}

static void finish_parked(parked *p, const char *what, int want_result, ward_trap_kind want_stop)
{
    pthread_join(p->thread, NULL);
    int polls = atomic_load(&p->polls);
    CHECK_MSG(p->result == want_result && (want_result != -1 || p->stop == want_stop), "%s: result %d, stop %d",
              what, p->result, (int)p->stop);
    CHECK_MSG(polls <= MAX_POLLS, "%s: the waiter polled %d times", what, polls);
    printf("%s: result %d after %d polls\n", what, p->result, polls);
}

/* Left alone 300 ms, then notified: it slept through. */
static void test_idle_then_notify(void)
{
    wparking_lot *lot = wparking_new();
    parked p;
    start_parked(&p, lot, NULL);
    sleep_ms(300);
    uint32_t woken = 0;
    for (int i = 0; i < 10000 && woken == 0; i++) {
        woken = wparking_notify(lot, &p.value, 1);
        if (!woken)
            sleep_ms(1);
    }
    CHECK(woken == 1);
    finish_parked(&p, "idle 300 ms, then notify", 0, WARD_TRAP_NONE);
    wparking_free(lot);
}

/* notify wakes a waiter that sleeps on its store's wake word. */
static void test_notify_store_word(ward_engine *engine)
{
    wparking_lot *lot = wparking_new();
    ward_store *store = ward_store_new(engine);
    parked p;
    start_parked(&p, lot, store);
    sleep_ms(50);
    uint32_t woken = 0;
    for (int i = 0; i < 10000 && woken == 0; i++)
        if (!(woken = wparking_notify(lot, &p.value, 1)))
            sleep_ms(1);
    finish_parked(&p, "notify (store's wake word)", 0, WARD_TRAP_NONE);
    ward_store_free(store);
    wparking_free(lot);
}

/* ward_store_interrupt from another thread ends the wait at once. */
static void test_interrupt(ward_engine *engine)
{
    wparking_lot *lot = wparking_new();
    ward_store *store = ward_store_new(engine);
    parked p;
    start_parked(&p, lot, store);
    sleep_ms(100);
    ward_store_interrupt(store);
    finish_parked(&p, "interrupt from another thread", -1, WARD_TRAP_INTERRUPTED);
    wstore_clear_interrupt(store);
    /* an interrupt already pending stops a wait before it sleeps */
    ward_store_interrupt(store);
    start_parked(&p, lot, store);
    finish_parked(&p, "interrupt before the wait", -1, WARD_TRAP_INTERRUPTED);
    CHECK(atomic_load(&p.polls) == 1);
    ward_store_free(store);
    wparking_free(lot);
}

static ward_store *_Atomic signal_store;

static void interrupt_handler(int sig)
{
    (void)sig;
    ward_store_interrupt(atomic_load(&signal_store));
}

/* ... and from a signal handler (it is documented to be callable there). */
static void test_interrupt_from_signal(ward_engine *engine)
{
    wparking_lot *lot = wparking_new();
    ward_store *store = ward_store_new(engine);
    atomic_store(&signal_store, store);
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = interrupt_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, &old);
    parked p;
    start_parked(&p, lot, store);
    sleep_ms(100);
    raise(SIGUSR1);
    finish_parked(&p, "interrupt from a signal handler", -1, WARD_TRAP_INTERRUPTED);
    sigaction(SIGUSR1, &old, NULL);
    ward_store_free(store);
    wparking_free(lot);
}

/* The store's deadline ends a wait that has no timeout of its own, with a
 * timeout trap: the sleep lasts until then, with no polling meanwhile. */
static void test_store_deadline(ward_engine *engine)
{
    wparking_lot *lot = wparking_new();
    ward_store *store = ward_store_new(engine);
    store->deadline_ns = wclock_ns() + 200000000u; /* as an outermost call sets it */
    parked p;
    start_parked(&p, lot, store);
    finish_parked(&p, "store deadline in 200 ms", -1, WARD_TRAP_TIMEOUT);
    ward_store_free(store);
    wparking_free(lot);
}

static void *wait_on_memory(void *arg)
{
    parked *p = arg;
    p->result = watomic_wait(p->mem, 0, 0, 4, -1, p->store, &p->stop);
    return NULL;
}

/* The same through memory.atomic.wait's own entry (watomic_wait, which
 * takes the store's deadline when it comes before the wait's). */
static void test_watomic_deadline(ward_engine *engine)
{
    parked p;
    memset(&p, 0, sizeof p);
    p.mem = ward_memory_new_shared(engine, 1, 1);
    p.store = ward_store_new(engine);
    p.store->deadline_ns = wclock_ns() + 100000000u;
    CHECK(pthread_create(&p.thread, NULL, wait_on_memory, &p) == 0);
    pthread_join(p.thread, NULL);
    CHECK_MSG(p.result == -1 && p.stop == WARD_TRAP_TIMEOUT, "watomic_wait: %d, stop %d", p.result, (int)p.stop);
    ward_store_free(p.store);
    ward_memory_release(p.mem);
}

int main(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.threads = true;
    ward_engine *engine = ward_engine_new(&cfg);
    test_idle_then_notify();
    test_notify_store_word(engine);
    test_interrupt(engine);
    test_interrupt_from_signal(engine);
    test_store_deadline(engine);
    test_watomic_deadline(engine);
    ward_engine_free(engine);
    return test_summary("parking");
}
