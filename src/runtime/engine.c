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
/*
 * wasi-threads' cap on spawned threads alive at once.  Each one is a host
 * thread (8 MiB of stack reserved by default) and a whole instance with its
 * own stacks, so a guest spawning without bound takes the host's threads
 * and memory.  64 is more than the cores of most hosts (the size thread
 * pools pick) and keeps a hostile guest small: 64 parked threads of a small
 * module measured 6 MB resident (docs/threads.md).  Embedders raise it.
 */
#define WDEFAULT_MAX_THREADS 64u
/* Host re-entry nests C frames (3 KiB a level in a release build, more
 * under sanitizers or -O0): 100 levels is far more than callbacks need and
 * fits an 8 MiB stack in any build; the C stack check covers smaller ones. */
#define WDEFAULT_HOST_REENTRY 100u

void ward_config_default(ward_config *cfg)
{
    cfg->simd = true; /* SIMD128 is part of Wasm 2.0 and executes (issue #4) */
    cfg->threads = false;
    cfg->max_call_depth = WDEFAULT_CALL_DEPTH;
    cfg->max_stack_slots = WDEFAULT_STACK_SLOTS;
    cfg->max_memory_bytes = WDEFAULT_MEMORY_BYTES;
    cfg->max_table_elems = WTABLE_MAX_ELEMS;
    cfg->max_threads = WDEFAULT_MAX_THREADS;
    cfg->interruptible = false;
    cfg->deterministic = false;
    cfg->tail_calls = true; /* standard since Wasm 3.0; executes in constant frame space */
    cfg->extended_const = false;
    cfg->exceptions = false;
    cfg->max_host_reentry = WDEFAULT_HOST_REENTRY;
}

ward_engine *ward_engine_new(const ward_config *cfg)
{
    ward_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    ward_config_default(&e->config);
    if (cfg) {
        e->config = *cfg;
        if (e->config.max_call_depth == 0)
            e->config.max_call_depth = WDEFAULT_CALL_DEPTH;
        if (e->config.max_stack_slots == 0)
            e->config.max_stack_slots = WDEFAULT_STACK_SLOTS;
        if (e->config.max_memory_bytes == 0 || e->config.max_memory_bytes > WDEFAULT_MEMORY_BYTES)
            e->config.max_memory_bytes = WDEFAULT_MEMORY_BYTES;
        if (e->config.max_table_elems == 0 || e->config.max_table_elems > WTABLE_MAX_ELEMS)
            e->config.max_table_elems = WTABLE_MAX_ELEMS;
        if (e->config.max_threads == 0)
            e->config.max_threads = WDEFAULT_MAX_THREADS;
        if (e->config.max_host_reentry == 0)
            e->config.max_host_reentry = WDEFAULT_HOST_REENTRY;
    }
    e->features.simd = e->config.simd;
    e->features.threads = e->config.threads;
    e->features.deterministic = e->config.deterministic;
    e->features.tail_call = e->config.tail_calls;
    e->features.extended_const = e->config.extended_const;
    e->features.exceptions = e->config.exceptions;
    return e;
}

void ward_engine_config(const ward_engine *engine, ward_config *out)
{
    if (engine && out)
        *out = engine->config;
}

void ward_engine_free(ward_engine *engine)
{
    free(engine);
}
