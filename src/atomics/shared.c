/* The state of a shared memory (atomics.h): references, growth lock,
 * parking lot; and wait/notify on it. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "atomics.h"
#include "parking.h"

struct wshared {
    atomic_uint refs;
    pthread_mutex_t grow_lock;
    wparking_lot *lot;
};

wshared *wshared_new(void)
{
    wshared *sh = calloc(1, sizeof *sh);
    if (!sh)
        return NULL;
    sh->lot = wparking_new();
    if (!sh->lot || pthread_mutex_init(&sh->grow_lock, NULL) != 0) {
        wparking_free(sh->lot);
        free(sh);
        return NULL;
    }
    atomic_init(&sh->refs, 1);
    return sh;
}

void wshared_retain(wshared *sh)
{
    atomic_fetch_add_explicit(&sh->refs, 1, memory_order_relaxed);
}

bool wshared_release(wshared *sh)
{
    /* acq_rel: the last owner sees every other owner's writes before freeing */
    return atomic_fetch_sub_explicit(&sh->refs, 1, memory_order_acq_rel) == 1;
}

void wshared_free(wshared *sh)
{
    if (!sh)
        return;
    wparking_free(sh->lot);
    pthread_mutex_destroy(&sh->grow_lock);
    free(sh);
}

void wshared_lock_growth(wshared *sh)
{
    pthread_mutex_lock(&sh->grow_lock);
}

void wshared_unlock_growth(wshared *sh)
{
    pthread_mutex_unlock(&sh->grow_lock);
}

static ward_trap_kind poll_store(void *ctx)
{
    return wstore_poll_stop(ctx);
}

/* An absolute CLOCK_MONOTONIC deadline, saturating; UINT64_MAX = none. */
static uint64_t deadline_after(int64_t timeout_ns)
{
    if (timeout_ns < 0)
        return UINT64_MAX;
    uint64_t now = wclock_ns();
    return (uint64_t)timeout_ns > UINT64_MAX - now ? UINT64_MAX - 1 : now + (uint64_t)timeout_ns;
}

/* The wait's own deadline, or the store's when that comes first: the
 * sleep then ends in time for poll_store to report the timeout. */
static uint64_t wait_deadline(int64_t timeout_ns, const ward_store *s)
{
    uint64_t deadline = deadline_after(timeout_ns);
    if (s && s->deadline_ns && s->deadline_ns < deadline)
        deadline = s->deadline_ns;
    return deadline;
}

int watomic_wait(ward_memory *m, uint64_t ea, uint64_t expected, unsigned size, int64_t timeout_ns,
                 ward_store *s, ward_trap_kind *stop)
{
    wpark_request req = {
        .addr = m->data + ea,
        .size = size,
        .expected = size == 4 ? (uint32_t)expected : expected,
        .deadline_ns = wait_deadline(timeout_ns, s),
        .poll = s ? poll_store : NULL,
        .ctx = s,
        .wake_word = s ? &s->wake_seq : NULL,  /* ward_store_interrupt bumps it */
    };
    return wparking_wait(m->sh->lot, &req, stop);
}

uint32_t watomic_notify(ward_memory *m, uint64_t ea, uint32_t count)
{
    if (!m->sh || count == 0)
        return 0;
    return wparking_notify(m->sh->lot, m->data + ea, count);
}
