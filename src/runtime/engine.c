/* Engine configuration. */
#include <stdlib.h>

#include "runtime.h"

/*
 * 10,000 frames is far deeper than real programs recurse yet small enough
 * that the spec's assert_exhaustion tests (infinite recursion) stop quickly.
 * The frame stack lives on the heap, so the C stack is not the limit.
 */
#define WDEFAULT_CALL_DEPTH 10000u
#define WDEFAULT_STACK_SLOTS (1u << 20)
#define WDEFAULT_MEMORY_BYTES ((uint64_t)WMAX_PAGES32 * WPAGE_SIZE)

void ward_config_default(ward_config *cfg)
{
    cfg->simd = true; /* SIMD128 is part of Wasm 2.0 and executes (issue #4) */
    cfg->threads = false;
    cfg->max_call_depth = WDEFAULT_CALL_DEPTH;
    cfg->max_stack_slots = WDEFAULT_STACK_SLOTS;
    cfg->max_memory_bytes = WDEFAULT_MEMORY_BYTES;
    cfg->max_table_elems = WTABLE_MAX_ELEMS;
    cfg->interruptible = false;
    cfg->deterministic = false;
    cfg->tail_calls = true; /* standard since Wasm 3.0; executes in constant frame space */
    cfg->extended_const = false;
    cfg->exceptions = false;
}

/* 0 means the default; anything above the implementation's maximum is
 * clamped to it (so "unlimited", UINT32_MAX, is safe). */
static uint64_t limit_or_default(uint64_t v, uint64_t dflt, uint64_t max)
{
    if (v == 0)
        return dflt;
    return v < max ? v : max;
}

static void clamp_limits(ward_config *c)
{
    c->max_call_depth = (uint32_t)limit_or_default(c->max_call_depth, WDEFAULT_CALL_DEPTH, WMAX_CALL_DEPTH);
    c->max_stack_slots = (uint32_t)limit_or_default(c->max_stack_slots, WDEFAULT_STACK_SLOTS, WMAX_STACK_SLOTS);
    c->max_memory_bytes = limit_or_default(c->max_memory_bytes, WDEFAULT_MEMORY_BYTES, WDEFAULT_MEMORY_BYTES);
    c->max_table_elems = (uint32_t)limit_or_default(c->max_table_elems, WTABLE_MAX_ELEMS, WTABLE_MAX_ELEMS);
}

ward_engine *ward_engine_new(const ward_config *cfg)
{
    ward_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    ward_config_default(&e->config);
    if (cfg) {
        e->config = *cfg;
        clamp_limits(&e->config);
    }
    e->features.simd = e->config.simd;
    e->features.threads = e->config.threads;
    e->features.deterministic = e->config.deterministic;
    e->features.tail_call = e->config.tail_calls;
    e->features.extended_const = e->config.extended_const;
    e->features.exceptions = e->config.exceptions;
    return e;
}

void ward_engine_free(ward_engine *engine)
{
    free(engine);
}
