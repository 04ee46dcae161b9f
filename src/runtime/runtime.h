/*
 * Runtime objects behind the public handles of include/ward.h: engine,
 * module, store, instance and the store objects (functions, memories, tables,
 * globals).  Shared by src/runtime (creation, linking, instantiation, the
 * public API) and src/interp (execution).
 */
#ifndef WARD_RUNTIME_H
#define WARD_RUNTIME_H

#include <pthread.h>
#include <stdatomic.h>

#include "../../include/ward.h"
#include "../decoder/module.h"

#define WPAGE_SIZE 65536u
#define WMAX_PAGES32 65536u          /* 4 GiB for a 32-bit memory */
#define WMAX_PAGES64 (1ull << 48)    /* memory64's limit on declared pages */
#define WTABLE_MAX_ELEMS 10000000u   /* implementation limit on table size */
/* Implementation maxima of the other ward_config limits (docs/limits.md): a
 * larger value, UINT32_MAX meaning "unlimited" included, is clamped to them
 * by ward_engine_new, so every size derived from them fits comfortably. */
#define WMAX_CALL_DEPTH 1000000u           /* frames: 32 MB of frame records */
#define WMAX_STACK_SLOTS (64u << 20)       /* value-stack slots: 512 MiB */
#define WMAX_MODULE_BYTES UINT32_MAX       /* the decoder's offsets are 32-bit */

struct ward_engine {
    ward_config config;
    wfeatures features;
    /* one freed linear memory's mapping, kept for the next memory of the
     * same shape (memory.c, "spare") */
    pthread_mutex_t spare_lock;
    uint8_t *spare_data;
    uint64_t spare_reserved, spare_size;
};

/* Unmap the engine's spare memory mapping (memory.c; ward_engine_free). */
void wmemory_spare_free(ward_engine *e);

struct ward_module {
    ward_engine *engine;
    wmodule *m;          /* decoded and validated (the decoder's; immutable) */
    struct wcompiled *compiled; /* the translator's output for m (src/interp), owned */
    char **import_module_names, **import_names, **export_names;  /* NUL-terminated copies */
    ward_valkind **type_kinds;   /* per type: params then results, for ward_func_type */
};

/* Reference values: a funcref is a ward_func *, an externref the embedder's
 * pointer; NULL is the null reference of both. */
typedef void *wref;

struct ward_func {
    const wfunctype *type;       /* points into the module, or into host_type */
    ward_store *store;
    ward_instance *inst;         /* NULL for host functions */
    uint32_t func_index;         /* index in inst's module */
    const struct wcompiled_func *code;  /* translated body (wasm functions) */
    ward_host_fn host_fn;        /* host functions */
    void *host_env;
    wfunctype host_type;         /* storage for a host function's type */
    const ward_valkind *kinds;   /* params then results (module's or host_kinds) */
    ward_valkind *host_kinds;    /* storage for a host function's kinds */
};

/* Every store object records its owner: a store must never hold an object
 * of another, which would dangle once that one is freed (the entry points
 * that take objects check it).  A shared memory belongs to its engine:
 * instances in any store of that engine may import it (docs/threads.md). */

struct ward_memory {
    ward_store *store;           /* owner; NULL for a shared memory (engine-wide:
                                  * a store frees it with its last reference) */
    ward_engine *engine;         /* the engine whose limits made it */
    uint8_t *data;
    uint64_t size;               /* bytes, a multiple of WPAGE_SIZE */
    uint64_t max_pages;          /* effective maximum (declared, implementation or
                                  * config.max_memory_bytes, the least) */
    bool has_max;                /* declared maximum present (import matching) */
    uint64_t declared_max_pages; /* the declared maximum when has_max (import
                                  * matching; it may exceed the effective one) */
    bool shared;
    bool is64;                   /* memory64: i64 addresses (the interpreter's
                                  * bulk and grow ops read operands by it) */
    uint64_t reserved;           /* bytes of address space reserved at data; the
                                  * base never moves, growth only commits pages */
    struct wshared *sh;          /* shared memories: references, growth lock and
                                  * waiters (src/atomics/atomics.h), else NULL */
};

/* The current size in bytes.  Another thread may grow a shared memory at
 * any time: read the size atomically (acquire: the pages it covers are
 * accessible).  Sizes only grow, so a stale size is only ever too small. */
static inline uint64_t wmemory_size(const ward_memory *m)
{
    return __atomic_load_n(&m->size, __ATOMIC_ACQUIRE);
}

struct ward_table {
    ward_store *store;           /* owner */
    wref *elems;
    uint32_t size;
    uint32_t max;                /* effective maximum */
    bool has_max;                /* declared maximum present (import matching) */
    uint8_t elemtype;            /* WT_FUNCREF or WT_EXTERNREF */
    uint32_t declared_max;       /* the declared maximum when has_max (it may
                                  * exceed the effective one) */
};

/* Raw bits of a value: i32/f32 zero-extended and i64/f64 in val[0]; v128 is
 * its 16 little-endian bytes memcpy'd over both words; a reference is
 * (uintptr_t)pointer in val[0].  See wval_to_bits / wval_from_bits. */
struct ward_global {
    ward_store *store;           /* owner */
    uint64_t val[2];             /* raw bits; v128 uses both words, refs store the pointer */
    uint8_t type;                /* value type */
    bool mutable_;
};

/* A tag (exception handling, docs/exceptions.md): an identity.  Each
 * instance makes one per tag it defines; an imported tag is the exporter's
 * object, so catch clauses compare tags by address. */
struct ward_tag {
    ward_store *store;           /* the defining instance's store */
    const wfunctype *type;       /* params: the payload; points into the defining module */
    uint32_t nslots;             /* payload size in value slots (a v128 takes two) */
};

/* An element segment's items after evaluation; dropped segments have count 0. */
typedef struct welem_inst {
    wref *refs;
    uint32_t count;
} welem_inst;

struct ward_instance {
    ward_store *store;
    const ward_module *module;
    const wmodule *m;
    ward_func **funcs;           /* m->nfuncs */
    ward_table **tables;         /* m->ntables */
    ward_memory **memories;      /* m->nmemories */
    ward_global **globals;       /* m->nglobals */
    ward_tag **tags;             /* m->ntags */
    ward_tag *own_tags;          /* the tags this instance defines (m->ntags - m->nimported_tags) */
    welem_inst *elems;           /* m->nelems */
    bool *data_dropped;          /* m->ndatas */
    uint32_t nelems;             /* entries of elems, so freeing never reads the module */
    /* ward_caller_memory's answer (export "memory", else memory 0), found on
     * first use: WASI asks on every call.  The store's thread writes it. */
    ward_memory *default_memory;
    bool default_memory_known;
    struct winstance_host_data *host_data; /* ward_instance_set_host_data's list */
};

struct ward_store {
    ward_engine *engine;
    /* Objects owned by the store, freed with it. */
    ward_instance **instances; size_t ninstances, cap_instances;
    ward_func **funcs; size_t nfuncs, cap_funcs;
    ward_memory **memories; size_t nmemories, cap_memories;
    ward_table **tables; size_t ntables, cap_tables;
    ward_global **globals; size_t nglobals, cap_globals;

    /* Fuel: remaining units and what was given at the last set_fuel. */
    bool fuel_enabled;
    uint64_t fuel;
    uint64_t fuel_given;

    /* Interrupts and timeouts (docs/limits.md).  interrupt_requested is the
     * only field other threads touch.  interruptible: calls run the metered
     * code, which polls at fuel-block heads once per slice.  deadline_ns:
     * CLOCK_MONOTONIC time the current outermost call must end by, 0 = none. */
    atomic_bool interrupt_requested;
    bool interruptible;
    uint64_t timeout_ns;
    uint64_t deadline_ns;
    /* Waking a wait (wstore_wake): wake_seq is the futex word an atomic
     * wait of this store sleeps on (a store runs on one thread, so it has
     * at most one); wake_fd is -1 or the descriptor host waits poll
     * (ward_caller_poll), made on first use: wake_fd_write is what an
     * interrupt writes to (the same eventfd on Linux, a pipe's ends
     * elsewhere).  Other threads touch only wake_seq and wake_fd_write. */
    atomic_uint wake_seq;
    int wake_fd;
    atomic_int wake_fd_write;

    /* Execution state (stacks), created and owned by src/interp. */
    struct wexec *exec;
};

/* The calling context a host function receives (ward.h): built on the C
 * stack of each host call, never stored. */
struct ward_caller {
    ward_store *store;
    ward_instance *instance;     /* the calling wasm code's instance, or NULL */
};

/* ---- provided by src/runtime ------------------------------------------ */

/* Why running code must stop now (WARD_TRAP_INTERRUPTED or
 * WARD_TRAP_TIMEOUT), or WARD_TRAP_NONE.  Reads the clock only when a
 * deadline is set. */
ward_trap_kind wstore_poll_stop(ward_store *s);
/* Monotonic time in nanoseconds. */
uint64_t wclock_ns(void);
/* Wake whatever s is waiting in (an atomic wait, a host wait): they then
 * check wstore_poll_stop.  Async-signal-safe. */
void wstore_wake(ward_store *s);
/* The descriptor that becomes readable on wstore_wake, drained (call it
 * before checking wstore_poll_stop, then wait on it); -1 when none can be
 * made (out of descriptors).  The store's thread only. */
int wstore_wake_fd(ward_store *s);
/* Consume an interrupt being reported by a host wait (as the interpreter
 * does when it reports one). */
void wstore_clear_interrupt(ward_store *s);
/* The outermost call from the host starts the timeout's clock: deadline =
 * now + timeout, saturated (0 = no timeout). */
void wstore_start_deadline(ward_store *s);

/* Fill a trap record of `kind` with the spec's message. */
void wtrap_set(ward_trap *trap, ward_trap_kind kind);
/* The last ward_trap_kind: kinds past it are no trap ward reports. */
#define WTRAP_KIND_LAST WARD_TRAP_EXIT
const char *wtrap_message(ward_trap_kind kind);

/* Grow by delta pages/elements; return the old size, or -1 on failure
 * (limit exceeded or out of host memory). */
int64_t wmemory_grow(ward_memory *mem, uint64_t delta_pages);
int64_t wtable_grow(ward_table *table, uint64_t delta, wref init);

/* Evaluate a validated constant expression of instance inst into out[2]. */
void weval_const(const ward_instance *inst, wexpr expr, uint64_t out[2]);

/* Store ownership lists: add an object, false when out of memory. */
bool wstore_own_func(ward_store *s, ward_func *f);

/* May store s hold value v?  A funcref must be null or of s; other kinds
 * carry no store object. */
static inline bool wval_of_store(const ward_store *s, ward_val v)
{
    return v.kind != WARD_FUNCREF || !v.of.funcref || v.of.funcref->store == s;
}

/* Convert between ward_val and the raw-bits form of struct ward_global. */
void wval_to_bits(ward_val v, uint64_t bits[2]);
ward_val wval_from_bits(uint8_t type, const uint64_t bits[2]);
bool wval_kind_known(ward_valkind kind);

/* ---- provided by src/interp -------------------------------------------- */

/* The translated code of a validated module, to be owned by its
 * ward_module (its functions translate lazily, on first call).  NULL with
 * *err only on resource exhaustion.  m must outlive it. */
struct wcompiled *wcompile_module(const wmodule *m, werror *err);
void wcompiled_free(struct wcompiled *c);
/* The translated body of function `func_index` of c's module (NULL for an
 * imported one). */
const struct wcompiled_func *wcompiled_get(const struct wcompiled *c, uint32_t func_index);

/* Run f (wasm or host) with arguments already checked against its type. */
ward_result winterp_call(ward_store *s, ward_func *f, const ward_val *args, ward_val *results,
                         ward_trap *trap);

/* Free the store's execution state. */
void wexec_free(struct wexec *exec);

#endif
