/*
 * Shared memories (threads proposal): the state a shared memory carries
 * besides its bytes, and memory.atomic.wait / notify on it.  The state
 * hangs off the ward_memory (no global state):
 *   - a reference count, so a memory imported by instances of several
 *     stores (one per host thread) lives until the last of them lets go;
 *   - the growth lock, serialising memory.grow (readers never take it: they
 *     read the size atomically, and the base never moves);
 *   - the parking lot of its waiters.
 */
#ifndef WARD_ATOMICS_H
#define WARD_ATOMICS_H

#include <stdbool.h>
#include <stdint.h>

#include "../runtime/runtime.h"

typedef struct wshared wshared;

/* The state of a new shared memory (one reference); NULL when out of memory. */
wshared *wshared_new(void);
/* Take or drop a reference; wshared_release returns true when that was the
 * last one (the caller then frees the memory, and with it the state). */
void wshared_retain(wshared *sh);
bool wshared_release(wshared *sh);
void wshared_free(wshared *sh);
void wshared_lock_growth(wshared *sh);
void wshared_unlock_growth(wshared *sh);

/*
 * memory.atomic.wait32/64 at effective address ea (aligned and in bounds,
 * checked by the caller) of shared memory m: 0 woken, 1 the value was not
 * `expected`, 2 timed out (timeout_ns < 0: never).  A wait stops early,
 * returning -1 with *stop set, when store s is interrupted or passes its
 * deadline (ward_store_interrupt, ward_store_set_timeout).
 */
int watomic_wait(ward_memory *m, uint64_t ea, uint64_t expected, unsigned size, int64_t timeout_ns,
                 ward_store *s, ward_trap_kind *stop);

/* memory.atomic.notify: wake up to count waiters at ea; how many woke (0
 * for an unshared memory, which can have none). */
uint32_t watomic_notify(ward_memory *m, uint64_t ea, uint32_t count);

#endif
