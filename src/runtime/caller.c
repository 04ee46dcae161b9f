/*
 * The calling context of host functions (ward_caller), the checked
 * helpers host code uses to reach guest memory (every access is bounds
 * checked against the memory's current size and a failure is the same
 * "out of bounds memory access" trap a guest load would raise), and the
 * waits of blocking host functions, which interrupts and timeouts end.
 */
#define _POSIX_C_SOURCE 200809L /* poll */

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

ward_store *ward_caller_store(const ward_caller *caller)
{
    return caller ? caller->store : NULL;
}

bool ward_caller_consume_fuel(const ward_caller *caller, uint64_t units, ward_trap *trap)
{
    ward_store *s = caller ? caller->store : NULL;
    if (!s || !s->fuel_enabled)
        return true;
    if (s->fuel < units) {
        if (trap)
            wtrap_set(trap, WARD_TRAP_OUT_OF_FUEL);
        return false;
    }
    s->fuel -= units;
    return true;
}

ward_instance *ward_caller_instance(const ward_caller *caller)
{
    return caller ? caller->instance : NULL;
}

ward_memory *ward_caller_memory_at(const ward_caller *caller, uint32_t index)
{
    if (!caller || !caller->instance || index >= caller->instance->m->nmemories)
        return NULL;
    return caller->instance->memories[index];
}

ward_memory *ward_caller_memory_export(const ward_caller *caller, const char *name)
{
    if (!caller || !caller->instance || !name)
        return NULL;
    return ward_instance_memory(caller->instance, name);
}

ward_memory *ward_caller_memory(const ward_caller *caller)
{
    if (!caller || !caller->instance)
        return NULL;
    ward_instance *inst = caller->instance;
    if (!inst->default_memory_known) {
        ward_memory *m = ward_instance_memory(inst, "memory");
        inst->default_memory = m ? m : ward_caller_memory_at(caller, 0);
        inst->default_memory_known = true;
    }
    return inst->default_memory;
}

/* ---- checked access ------------------------------------------------------ */

/* Little-endian whatever the host's byte order (linear memory is LE). */
static uint64_t load_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static void store_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static void *out_of_bounds(ward_trap *trap)
{
    if (trap)
        wtrap_set(trap, WARD_TRAP_OOB_MEMORY);
    return NULL;
}

uint8_t *ward_memory_span_checked(ward_memory *m, uint64_t ptr, uint64_t len, ward_trap *trap)
{
    uint8_t *p = ward_memory_span(m, ptr, len);
    if (!p)
        return out_of_bounds(trap);
    return p;
}

bool ward_memory_read_u32(ward_memory *m, uint64_t ptr, uint32_t *out, ward_trap *trap)
{
    const uint8_t *p = ward_memory_span_checked(m, ptr, 4, trap);
    if (p)
        *out = (uint32_t)load_le(p, 4);
    return p != NULL;
}

bool ward_memory_read_u64(ward_memory *m, uint64_t ptr, uint64_t *out, ward_trap *trap)
{
    const uint8_t *p = ward_memory_span_checked(m, ptr, 8, trap);
    if (p)
        *out = load_le(p, 8);
    return p != NULL;
}

bool ward_memory_write_u32(ward_memory *m, uint64_t ptr, uint32_t v, ward_trap *trap)
{
    uint8_t *p = ward_memory_span_checked(m, ptr, 4, trap);
    if (p)
        store_le(p, v, 4);
    return p != NULL;
}

bool ward_memory_write_u64(ward_memory *m, uint64_t ptr, uint64_t v, ward_trap *trap)
{
    uint8_t *p = ward_memory_span_checked(m, ptr, 8, trap);
    if (p)
        store_le(p, v, 8);
    return p != NULL;
}

uint8_t *ward_caller_span(const ward_caller *caller, uint64_t ptr, uint64_t len, ward_trap *trap)
{
    return ward_memory_span_checked(ward_caller_memory(caller), ptr, len, trap);
}

bool ward_caller_read_u32(const ward_caller *caller, uint64_t ptr, uint32_t *out, ward_trap *trap)
{
    return ward_memory_read_u32(ward_caller_memory(caller), ptr, out, trap);
}

bool ward_caller_read_u64(const ward_caller *caller, uint64_t ptr, uint64_t *out, ward_trap *trap)
{
    return ward_memory_read_u64(ward_caller_memory(caller), ptr, out, trap);
}

bool ward_caller_write_u32(const ward_caller *caller, uint64_t ptr, uint32_t v, ward_trap *trap)
{
    return ward_memory_write_u32(ward_caller_memory(caller), ptr, v, trap);
}

bool ward_caller_write_u64(const ward_caller *caller, uint64_t ptr, uint64_t v, ward_trap *trap)
{
    return ward_memory_write_u64(ward_caller_memory(caller), ptr, v, trap);
}

/* ---- blocking host functions ------------------------------------------- */

/* Without a wake descriptor (none could be made): how often a host wait
 * wakes to look for an interrupt. */
#define WAIT_SLICE_NS 10000000u
/* pollfd entries kept on the stack (the caller's plus the wake one). */
#define WAIT_LOCAL_FDS 8

static ward_trap_kind stop_of(ward_store *s, ward_trap *trap)
{
    ward_trap_kind k = wstore_poll_stop(s);
    if (k != WARD_TRAP_NONE && trap) {
        wtrap_set(trap, k);
        /* the trap reports it, as the interpreter's own would */
        if (k == WARD_TRAP_INTERRUPTED)
            wstore_clear_interrupt(s);
    }
    return k;
}

ward_trap_kind ward_caller_poll_stop(const ward_caller *caller, ward_trap *trap)
{
    if (!caller || !caller->store)
        return WARD_TRAP_NONE;
    return stop_of(caller->store, trap);
}

/* poll(2) for ns nanoseconds at most (rounded up to milliseconds). */
static int poll_for(struct pollfd *fds, size_t nfds, uint64_t ns)
{
    uint64_t ms = ns / 1000000u + (ns % 1000000u != 0);
    int r;
    do
        r = poll(fds, (nfds_t)nfds, ms > INT_MAX ? INT_MAX : (int)ms);
    while (r < 0 && errno == EINTR && ns == 0);
    return r;
}

/* The ready count of the caller's descriptors, all[0..nfds), once
 * something woke the poll over them and the wake descriptor all[nfds]. */
static int caller_ready(const struct pollfd *all, size_t nfds, int polled)
{
    return polled - (all[nfds].revents != 0);
}

/* Sleep in poll over all[0..nfds) and the store's wake descriptor until a
 * descriptor is ready, `end` (CLOCK_MONOTONIC) or a stop. */
static int wait_loop(ward_store *s, struct pollfd *all, size_t nfds, uint64_t end, ward_trap *trap)
{
    for (;;) {
        /* drain first, then look: an interrupt after the look wakes the poll */
        int wake = wstore_wake_fd(s);
        if (stop_of(s, trap) != WARD_TRAP_NONE) {
            errno = ECANCELED;
            return -1;
        }
        uint64_t now = wclock_ns();
        if (now >= end)
            return 0;
        uint64_t until = end;
        if (s->deadline_ns && s->deadline_ns < until)
            until = s->deadline_ns;
        if (wake < 0 && until - now > WAIT_SLICE_NS)
            until = now + WAIT_SLICE_NS;
        all[nfds] = (struct pollfd){.fd = wake, .events = POLLIN, .revents = 0}; /* -1: ignored */
        int r = poll_for(all, nfds + 1, until - now);
        if (r < 0 && errno != EINTR)
            return -1;
        if (r > 0 && caller_ready(all, nfds, r) > 0)
            return caller_ready(all, nfds, r);
    }
}

int ward_caller_poll(const ward_caller *caller, struct pollfd *fds, size_t nfds, int64_t timeout_ns, ward_trap *trap)
{
    if (!caller || !caller->store || (nfds && !fds) || !trap || nfds >= (size_t)INT_MAX) {
        errno = EINVAL;
        return -1;
    }
    /* ready descriptors win over a stop, and a look costs no wake fd */
    int ready = poll_for(fds, nfds, 0);
    if (ready != 0 || timeout_ns == 0)
        return ready;
    uint64_t now = wclock_ns();
    uint64_t end = timeout_ns < 0 || (uint64_t)timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + (uint64_t)timeout_ns;
    struct pollfd local[WAIT_LOCAL_FDS];
    struct pollfd *all = nfds < WAIT_LOCAL_FDS ? local : malloc((nfds + 1) * sizeof *all);
    if (!all) {
        errno = ENOMEM;
        return -1;
    }
    if (nfds)
        memcpy(all, fds, nfds * sizeof *all);
    int r = wait_loop(caller->store, all, nfds, end, trap);
    for (size_t i = 0; i < nfds; i++)
        fds[i].revents = all[i].revents;
    if (all != local)
        free(all);
    return r;
}
