/* Store lifetime, the lists of objects a store owns, fuel accessors,
 * interrupts and timeouts. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <stdlib.h>
#include <time.h>

#include "internal.h"

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

void ward_store_interrupt(ward_store *s)
{
    if (s)
        atomic_store_explicit(&s->interrupt_requested, true, memory_order_relaxed);
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
