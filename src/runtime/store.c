/* Store lifetime, the lists of objects a store owns, fuel accessors,
 * interrupts and timeouts. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../atomics/futex.h"
#include "internal.h"

#if defined(__linux__)
#include <sys/eventfd.h>
#endif

ward_store *ward_store_new(ward_engine *engine)
{
    if (!engine)
        return NULL;
    ward_store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->engine = engine;
    s->interruptible = engine->config.interruptible;
    atomic_init(&s->interrupt_requested, false);
    atomic_init(&s->wake_seq, 0);
    s->wake_fd = -1;
    atomic_init(&s->wake_fd_write, -1);
    return s;
}

/* One generic appender keeps the five ownership lists identical in behaviour. */
static bool own(void ***list, size_t *count, size_t *cap, void *obj)
{
    if (!obj || !wgrow((void **)list, cap, *count + 1, sizeof **list))
        return false;
    (*list)[(*count)++] = obj;
    return true;
}

bool wstore_own_func(ward_store *s, ward_func *f)
{
    return own((void ***)&s->funcs, &s->nfuncs, &s->cap_funcs, f);
}

bool wstore_own_instance(ward_store *s, ward_instance *inst)
{
    return own((void ***)&s->instances, &s->ninstances, &s->cap_instances, inst);
}

bool wstore_own_memory(ward_store *s, ward_memory *m)
{
    return own((void ***)&s->memories, &s->nmemories, &s->cap_memories, m);
}

bool wstore_own_table(ward_store *s, ward_table *t)
{
    return own((void ***)&s->tables, &s->ntables, &s->cap_tables, t);
}

bool wstore_own_global(ward_store *s, ward_global *g)
{
    return own((void ***)&s->globals, &s->nglobals, &s->cap_globals, g);
}

static void free_funcs(ward_store *s)
{
    for (size_t i = 0; i < s->nfuncs; i++)
        wfunc_destroy(s->funcs[i]);
    free(s->funcs);
}

void ward_store_free(ward_store *s)
{
    if (!s)
        return;
    if (s->exec)
        wexec_free(s->exec);
    for (size_t i = 0; i < s->ninstances; i++)
        winstance_destroy(s->instances[i]);
    free(s->instances);
    free_funcs(s);
    for (size_t i = 0; i < s->nmemories; i++)
        wmemory_destroy(s->memories[i]);
    free(s->memories);
    for (size_t i = 0; i < s->ntables; i++)
        wtable_destroy(s->tables[i]);
    free(s->tables);
    for (size_t i = 0; i < s->nglobals; i++)
        free(s->globals[i]);
    free(s->globals);
    int wfd = atomic_load(&s->wake_fd_write);
    if (wfd >= 0 && wfd != s->wake_fd)
        close(wfd);
    if (s->wake_fd >= 0)
        close(s->wake_fd);
    free(s);
}

/*
 * Fuel bookkeeping: store->fuel is what is left and store->fuel_given what the
 * last set_fuel granted, so consumed = given - left.  The interpreter only
 * ever decrements store->fuel (and refunds the unexecuted part of a block on
 * a trap), so consumed never exceeds given.  When metering is turned off both
 * accessors keep reporting the figures of the last metered period (0 and 0 if
 * metering was never on).
 */
void ward_store_set_fuel(ward_store *s, uint64_t fuel)
{
    s->fuel_enabled = true;
    s->fuel = fuel;
    s->fuel_given = fuel;
}

void ward_store_disable_fuel(ward_store *s)
{
    s->fuel_enabled = false;
}

bool ward_store_fuel_enabled(const ward_store *s)
{
    return s->fuel_enabled;
}

uint64_t ward_store_fuel_remaining(const ward_store *s)
{
    return s->fuel;
}

uint64_t ward_store_fuel_consumed(const ward_store *s)
{
    return s->fuel <= s->fuel_given ? s->fuel_given - s->fuel : 0;
}

/* ---- interrupts and timeouts (docs/limits.md) ---------------------------- */

/* The flag, then the wake: a waiter reads the wake word (or drains the
 * descriptor) before it checks the flag, so either it sees the flag or
 * the wake comes after it went to sleep.  Only atomics, a futex wake and
 * write(2): safe in a signal handler, which must also keep errno. */
void ward_store_interrupt(ward_store *s)
{
    if (!s)
        return;
    int saved_errno = errno;
    atomic_store_explicit(&s->interrupt_requested, true, memory_order_seq_cst);
    wstore_wake(s);
    errno = saved_errno;
}

void wstore_wake(ward_store *s)
{
    atomic_fetch_add_explicit(&s->wake_seq, 1, memory_order_seq_cst);
#if WARD_HAVE_FUTEX
    wfutex_wake_all(&s->wake_seq);
#endif
    int fd = atomic_load_explicit(&s->wake_fd_write, memory_order_seq_cst);
    if (fd >= 0) {
        /* 8 bytes, as an eventfd wants; a full pipe is readable already */
        uint64_t one = 1;
        ssize_t n = write(fd, &one, sizeof one);
        (void)n;
    }
}

void wstore_clear_interrupt(ward_store *s)
{
    atomic_store_explicit(&s->interrupt_requested, false, memory_order_relaxed);
}

#if !defined(__linux__)
static bool make_nonblocking_cloexec(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}
#endif

/* An eventfd on Linux (one descriptor), a non-blocking pipe elsewhere. */
static bool open_wake_fd(ward_store *s)
{
#if defined(__linux__)
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0)
        return false;
    s->wake_fd = fd;
    atomic_store_explicit(&s->wake_fd_write, fd, memory_order_seq_cst);
#else
    int fds[2];
    if (pipe(fds) != 0)
        return false;
    if (!make_nonblocking_cloexec(fds[0]) || !make_nonblocking_cloexec(fds[1])) {
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    s->wake_fd = fds[0];
    atomic_store_explicit(&s->wake_fd_write, fds[1], memory_order_seq_cst);
#endif
    return true;
}

int wstore_wake_fd(ward_store *s)
{
    if (s->wake_fd < 0 && !open_wake_fd(s))
        return -1;
    /* drain the wakes of earlier interrupts (already reported or checked
     * next): the caller checks the flag after this */
    uint64_t buf[8];
    while (read(s->wake_fd, buf, sizeof buf) > 0)
        ;
    /* pairs with the interrupt's flag store before its write: the flag
     * check that follows sees a flag whose wake was drained here */
    atomic_thread_fence(memory_order_seq_cst);
    return s->wake_fd;
}

void ward_store_set_timeout(ward_store *s, uint64_t ms)
{
    const uint64_t max_ms = UINT64_MAX / 1000000u;
    s->timeout_ns = (ms < max_ms ? ms : max_ms) * 1000000u;
    s->interruptible = s->engine->config.interruptible || ms != 0;
}

void wstore_start_deadline(ward_store *s)
{
    if (!s->timeout_ns) {
        s->deadline_ns = 0;
        return;
    }
    /* saturate: a timeout of ~UINT64_MAX ns must mean "practically never",
     * not wrap to a deadline that has already passed */
    uint64_t now = wclock_ns();
    s->deadline_ns = s->timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + s->timeout_ns;
}

uint64_t wclock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

ward_trap_kind wstore_poll_stop(ward_store *s)
{
    if (atomic_load_explicit(&s->interrupt_requested, memory_order_relaxed))
        return WARD_TRAP_INTERRUPTED;
    if (s->deadline_ns && wclock_ns() >= s->deadline_ns)
        return WARD_TRAP_TIMEOUT;
    return WARD_TRAP_NONE;
}
