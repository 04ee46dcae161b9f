/*
 * The parking lot of parking.h.  Each waiter lives on its own thread's
 * stack, with its own condition variable (on CLOCK_MONOTONIC), linked into
 * the FIFO list of its stripe.  notify unlinks the waiters it wakes, under
 * the stripe lock, so a woken waiter is never touched again by anyone; a
 * waiter that times out or is stopped unlinks itself.
 */
#define _POSIX_C_SOURCE 200809L

#include "parking.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "atomic_ops.h"

/* A power of two; more stripes than the threads one process usually runs. */
#define WPARK_STRIPES 64
/* How long a parked thread sleeps between polls of its store's interrupt
 * flag and deadline: the bound on how late a cancel takes effect. */
#define WPARK_POLL_NS 5000000u

typedef struct wwaiter {
    struct wwaiter *next;
    const void *addr;
    pthread_cond_t cond;
    bool woken;
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

static struct timespec timespec_of(uint64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
    return ts;
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

static bool init_cond(pthread_cond_t *cond)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return false;
    bool ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 && pthread_cond_init(cond, &attr) == 0;
    pthread_condattr_destroy(&attr);
    return ok;
}

/* Sleep (stripe locked) until woken, the deadline, or a stop; the result
 * as wparking_wait's.  Leaves w unlinked. */
static int park(wstripe *st, wwaiter *w, const wpark_request *req, ward_trap_kind *stop)
{
    for (;;) {
        if (w->woken)
            return 0;
        uint64_t now = now_ns();
        if (now >= req->deadline_ns) {
            unlink_waiter(st, w);
            return 2;
        }
        ward_trap_kind k = req->poll ? req->poll(req->ctx) : WARD_TRAP_NONE;
        if (k != WARD_TRAP_NONE) {
            unlink_waiter(st, w);
            *stop = k;
            return -1;
        }
        uint64_t until = req->deadline_ns;
        if (req->poll && until - now > WPARK_POLL_NS)
            until = now + WPARK_POLL_NS;
        struct timespec ts = timespec_of(until);
        int rc = pthread_cond_timedwait(&w->cond, &st->lock, &ts);
        if (rc != 0 && rc != ETIMEDOUT && rc != EINTR && !w->woken) {
            unlink_waiter(st, w); /* cannot sleep: behave as a timeout */
            return 2;
        }
    }
}

int wparking_wait(wparking_lot *lot, const wpark_request *req, ward_trap_kind *stop)
{
    wstripe *st = stripe_of(lot, req->addr);
    wwaiter w = {NULL, req->addr, PTHREAD_COND_INITIALIZER, false};
    if (!init_cond(&w.cond))
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
    pthread_cond_destroy(&w.cond);
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
        w->woken = true;
        pthread_cond_signal(&w->cond);
        woken++;
    }
    pthread_mutex_unlock(&st->lock);
    return woken;
}
