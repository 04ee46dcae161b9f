/*
 * The parking lot of parking.h.  Each waiter lives on its own thread's
 * stack, linked into the FIFO list of its stripe.  notify unlinks the
 * waiters it wakes, under the stripe lock, so a woken waiter is never
 * touched again by anyone; a waiter that times out or is stopped unlinks
 * itself.
 *
 * Sleeping: with futexes (Linux) a waiter reads its wake word under the
 * stripe lock, checks poll, unlocks and sleeps while the word still holds
 * what it read; notify bumps the word under the lock and an interrupt
 * bumps it after setting its flag, so neither can slip between the check
 * and the sleep.  Elsewhere each waiter has a condition variable and,
 * when it has a poll, wakes every WPARK_POLL_NS to call it.
 */
#define _POSIX_C_SOURCE 200809L

#include "parking.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "atomic_ops.h"
#include "futex.h"

/* A power of two; more stripes than the threads one process usually runs. */
#define WPARK_STRIPES 64
#if !WARD_HAVE_FUTEX
/* Without futexes, how long a parked thread sleeps between polls of its
 * store's interrupt flag: the bound on how late an interrupt takes effect. */
#define WPARK_POLL_NS 5000000u
#endif

typedef struct wwaiter {
    struct wwaiter *next;
    const void *addr;
    bool woken;
#if WARD_HAVE_FUTEX
    atomic_uint *word;        /* the request's wake word, or own_word */
    atomic_uint own_word;
#else
    pthread_cond_t cond;
#endif
} wwaiter;

typedef struct wstripe {
    pthread_mutex_t lock;
    wwaiter *head, *tail;
} wstripe;

struct wparking_lot {
    wstripe stripes[WPARK_STRIPES];
};

wparking_lot *wparking_new(void)
{
    wparking_lot *lot = calloc(1, sizeof *lot);
    if (!lot)
        return NULL;
    for (int i = 0; i < WPARK_STRIPES; i++) {
        if (pthread_mutex_init(&lot->stripes[i].lock, NULL) != 0) {
            while (i-- > 0)
                pthread_mutex_destroy(&lot->stripes[i].lock);
            free(lot);
            return NULL;
        }
    }
    return lot;
}

void wparking_free(wparking_lot *lot)
{
    if (!lot)
        return;
    for (int i = 0; i < WPARK_STRIPES; i++)
        pthread_mutex_destroy(&lot->stripes[i].lock);
    free(lot);
}

static wstripe *stripe_of(wparking_lot *lot, const void *addr)
{
    /* aligned addresses: drop the low bits, then mix (Fibonacci hashing) */
    uint64_t h = ((uint64_t)(uintptr_t)addr >> 2) * 0x9E3779B97F4A7C15ull;
    return &lot->stripes[h >> (64 - 6)];
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t load_value(const wpark_request *req)
{
    if (req->size == 8)
        return WATOMIC_LOAD((const uint64_t *)req->addr);
    return WATOMIC_LOAD((const uint32_t *)req->addr);
}

static void unlink_waiter(wstripe *st, wwaiter *w)
{
    wwaiter **pp = &st->head, *prev = NULL;
    while (*pp && *pp != w) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return;
    *pp = w->next;
    if (st->tail == w)
        st->tail = prev;
}

#if WARD_HAVE_FUTEX
static bool init_sleep(wwaiter *w, const wpark_request *req)
{
    atomic_init(&w->own_word, 0);
    w->word = req->wake_word ? req->wake_word : &w->own_word;
    return true;
}

static void destroy_sleep(wwaiter *w)
{
    (void)w;
}

/* What the wake word holds now: read before poll is asked (acquire pairs
 * with the bump that follows an interrupt's flag). */
static unsigned sleep_token(const wwaiter *w)
{
    return atomic_load_explicit(w->word, memory_order_acquire);
}

/* Sleep (stripe unlocked) while the wake word still holds token.  Every
 * way out (a wake, the deadline, a signal, a changed word) rechecks. */
static bool sleep_until(wstripe *st, wwaiter *w, const wpark_request *req, unsigned token)
{
    pthread_mutex_unlock(&st->lock);
    wfutex_wait(w->word, token, req->deadline_ns);
    pthread_mutex_lock(&st->lock);
    return true;
}

/* notify, stripe locked: w may return the moment the lock is released. */
static void wake_waiter(wwaiter *w)
{
    w->woken = true;
    atomic_fetch_add_explicit(w->word, 1, memory_order_release);
    wfutex_wake_all(w->word);
}
#else
static bool init_sleep(wwaiter *w, const wpark_request *req)
{
    (void)req;
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return false;
    bool ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&w->cond, &attr) == 0;
    pthread_condattr_destroy(&attr);
    return ok;
}

static void destroy_sleep(wwaiter *w)
{
    pthread_cond_destroy(&w->cond);
}

static unsigned sleep_token(const wwaiter *w)
{
    (void)w;
    return 0;
}

/* Sleep on the condition variable, waking every WPARK_POLL_NS to poll. */
static bool sleep_until(wstripe *st, wwaiter *w, const wpark_request *req, unsigned token)
{
    (void)token;
    uint64_t until = req->deadline_ns, now = now_ns();
    if (req->poll && until - now > WPARK_POLL_NS)
        until = now + WPARK_POLL_NS;
    struct timespec ts = {(time_t)(until / 1000000000u), (long)(until % 1000000000u)};
    int rc = pthread_cond_timedwait(&w->cond, &st->lock, &ts);
    return rc == 0 || rc == ETIMEDOUT || rc == EINTR || w->woken;
}

static void wake_waiter(wwaiter *w)
{
    w->woken = true;
    pthread_cond_signal(&w->cond);
}
#endif

/* Sleep (stripe locked) until woken, the deadline, or a stop; the result
 * as wparking_wait's.  Leaves w unlinked. */
static int park(wstripe *st, wwaiter *w, const wpark_request *req, ward_trap_kind *stop)
{
    for (;;) {
        unsigned token = sleep_token(w);
        if (w->woken)
            return 0;
        ward_trap_kind k = req->poll ? req->poll(req->ctx) : WARD_TRAP_NONE;
        if (k != WARD_TRAP_NONE) {
            unlink_waiter(st, w);
            *stop = k;
            return -1;
        }
        if (now_ns() >= req->deadline_ns) {
            unlink_waiter(st, w);
            return 2;
        }
        if (!sleep_until(st, w, req, token) && !w->woken) {
            unlink_waiter(st, w); /* cannot sleep: behave as a timeout */
            return 2;
        }
    }
}

int wparking_wait(wparking_lot *lot, const wpark_request *req, ward_trap_kind *stop)
{
    wstripe *st = stripe_of(lot, req->addr);
    wwaiter w = {.next = NULL, .addr = req->addr, .woken = false};
    if (!init_sleep(&w, req))
        return 2;
    pthread_mutex_lock(&st->lock);
    int r;
    if (load_value(req) != req->expected) {
        r = 1;
    } else {
        if (st->tail)
            st->tail->next = &w;
        else
            st->head = &w;
        st->tail = &w;
        r = park(st, &w, req, stop);
    }
    pthread_mutex_unlock(&st->lock);
    destroy_sleep(&w);
    return r;
}

uint32_t wparking_notify(wparking_lot *lot, const void *addr, uint32_t count)
{
    wstripe *st = stripe_of(lot, addr);
    uint32_t woken = 0;
    pthread_mutex_lock(&st->lock);
    wwaiter **pp = &st->head, *prev = NULL;
    while (*pp && woken < count) {
        wwaiter *w = *pp;
        if (w->addr != addr) {
            prev = w;
            pp = &w->next;
            continue;
        }
        *pp = w->next;
        if (st->tail == w)
            st->tail = prev;
        wake_waiter(w);
        woken++;
    }
    pthread_mutex_unlock(&st->lock);
    return woken;
}
