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
/* Load limits (docs/limits.md): generous enough for the largest real
 * programs ward runs (clang/LLVM, pandoc: tens of MB, ~10^5 functions),
 * small enough that a hostile upload cannot take the host's memory. */
#define WDEFAULT_MODULE_BYTES ((uint64_t)256 << 20)
#define WDEFAULT_FUNCTIONS 1000000u
#define WDEFAULT_CODE_BYTES ((uint64_t)4 << 30)

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
    cfg->max_module_bytes = WDEFAULT_MODULE_BYTES;
    cfg->max_functions = WDEFAULT_FUNCTIONS;
    cfg->max_code_bytes = WDEFAULT_CODE_BYTES;
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
    c->max_module_bytes = limit_or_default(c->max_module_bytes, WDEFAULT_MODULE_BYTES, WMAX_MODULE_BYTES);
    c->max_functions = (uint32_t)limit_or_default(c->max_functions, WDEFAULT_FUNCTIONS, UINT32_MAX);
    c->max_code_bytes = limit_or_default(c->max_code_bytes, WDEFAULT_CODE_BYTES, UINT64_MAX);
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
    e->features.max_functions = e->config.max_functions;
    e->features.max_code_bytes = e->config.max_code_bytes;
    return e;
}

void ward_engine_free(ward_engine *engine)
{
    free(engine);
}
