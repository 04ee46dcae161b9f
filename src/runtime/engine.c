/* Engine configuration. */
#include <stdlib.h>

#include "runtime.h"
#include "ward_features.h"
#if WARD_HAVE_CRYPTO
#include "crypto/crypto.h"
#endif

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
    cfg->max_threads = WDEFAULT_MAX_THREADS;
    cfg->interruptible = false;
    cfg->deterministic = false;
    cfg->tail_calls = true; /* standard since Wasm 3.0; executes in constant frame space */
    cfg->extended_const = false;
    cfg->exceptions = false;
    cfg->max_host_reentry = WDEFAULT_HOST_REENTRY;
    cfg->max_module_bytes = WDEFAULT_MODULE_BYTES;
    cfg->max_functions = WDEFAULT_FUNCTIONS;
    cfg->max_code_bytes = WDEFAULT_CODE_BYTES;
    cfg->huge_pages = true;
    cfg->multi_memory = false;
    cfg->memory64 = false;
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
    c->max_threads = (uint32_t)limit_or_default(c->max_threads, WDEFAULT_MAX_THREADS, UINT32_MAX);
    c->max_host_reentry = (uint32_t)limit_or_default(c->max_host_reentry, WDEFAULT_HOST_REENTRY, UINT32_MAX);
}

ward_engine *ward_engine_new(const ward_config *cfg)
{
#if WARD_HAVE_CRYPTO
    /* the host services' crypto is ready before any of them runs */
    if (wcrypto_init() != 0)
        return NULL;
#endif
    ward_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    pthread_mutex_init(&e->spare_lock, NULL);
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
    e->features.multi_memory = e->config.multi_memory;
    e->features.memory64 = e->config.memory64;
    e->features.max_functions = e->config.max_functions;
    e->features.max_code_bytes = e->config.max_code_bytes;
    return e;
}

void ward_engine_config(const ward_engine *engine, ward_config *out)
{
    if (engine && out)
        *out = engine->config;
}

void ward_engine_free(ward_engine *engine)
{
    if (!engine)
        return;
    wmemory_spare_free(engine);
    pthread_mutex_destroy(&engine->spare_lock);
    free(engine);
}
