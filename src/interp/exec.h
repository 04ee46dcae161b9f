/*
 * Execution state of a store and the helpers the dispatch loop calls for
 * work that is too large to inline (bulk memory and table operations, host
 * calls, trap records).
 */
#ifndef WARD_EXEC_H
#define WARD_EXEC_H

#include "../runtime/runtime.h"
#include "cstack.h"
#include "eh.h"
#include "ir.h"

/* A suspended caller: where to continue when the callee returns. */
typedef struct wframe {
    const wcell *ret_ip;
    uint64_t *fp;
    const wcompiled_func *fn; /* NULL for the host's entry frame */
    ward_instance *inst;
} wframe;

struct wexec {
    uint64_t *stack; /* value stack: frames of slots */
    size_t stack_slots;
    wframe *frames;
    uint32_t max_frames; /* capacity: max_depth plus host entry frames */
    uint32_t max_depth;  /* frames a guest may use (config.max_call_depth) */
    size_t sp;           /* first free slot (nested calls start here) */
    uint32_t depth;      /* frames in use */
    bool step_only;      /* metered calls run the step code (tests) */
    /* Fuel slices of an interruptible store (docs/limits.md): the fuel the
     * running code has not been handed yet (UINT64_MAX = unmetered), and why
     * it must stop, once a poll said so. */
    uint64_t reserve;
    ward_trap_kind stop;
    /* Caught exceptions (exceptions proposal; exec_eh.c). */
    wexn_stack exn;
    /* Calls from the host in progress (winterp_call: ward_call, start
     * functions): more than one means host functions called back into the
     * store, each level nesting C frames, so each is checked against
     * config.max_host_reentry and the C stack left (exec_call.c). */
    uint32_t entries;
    wcstack cstack;
    /* Op counts of a -Dprofile_ops build (profile.h), else NULL. */
    struct wprof *prof;
};

/* The fuel budget the dispatch loop keeps in a local.  For an interruptible
 * store it is a slice of the store's fuel (or of unlimited fuel), so running
 * out of it sends a fuel-block head to wexec_refill, which polls for
 * interrupts and timeouts; budget + ex->reserve is always the store's fuel.
 * load: on entry and after host calls (starts at 0: poll at the first head);
 * save: before host calls and on exit (kind: the trap being reported). */
uint64_t wexec_budget_load(ward_store *s);
void wexec_budget_save(ward_store *s, uint64_t fuel, ward_trap_kind kind);
/* Called when the budget cannot pay for a block or instruction: the new
 * budget (larger when another slice was handed over; 0 with ex->stop set
 * when the call must stop; unchanged when the store's fuel is spent). */
uint64_t wexec_refill(ward_store *s, uint64_t fuel);

/* Testing aid: with on, metered calls run entirely on the per-instruction
 * step code, the reference the block-metered code must agree with.  False
 * when the execution state cannot be allocated. */
bool wexec_set_step_only(ward_store *s, bool on);

/* The code variant calls in s run (WVAR_*): interruptible stores run
 * metered code even with fuel off, since its block heads are where
 * interrupts are polled (docs/limits.md). */
static inline int wexec_variant(const ward_store *s, const struct wexec *ex)
{
    return !(s->fuel_enabled || s->interruptible) ? WVAR_PLAIN : ex->step_only ? WVAR_STEP : WVAR_METERED;
}

/* The store's execution state, created on first use; NULL when out of memory. */
struct wexec *wexec_get(ward_store *s);

/* Run fn (already set up: fp holds arguments and zeroed locals, the entry
 * frame pushed) until it returns to the host or traps. */
ward_result wexec_run(ward_store *s, const wcompiled_func *fn, ward_instance *inst, uint64_t *fp,
                      ward_trap *trap);

/* Call a host function with arguments in slots args[0..nparams); results
 * are written back to args[0..nresults).  Fills *trap on WARD_TRAP. */
ward_result wexec_call_host(ward_store *s, ward_instance *caller_inst, ward_func *f, uint64_t *args,
                            ward_trap *trap);

/* Fill *trap: kind (unless already a host trap), position and backtrace;
 * inst is the instance fn runs in. */
void wexec_fill_trap(ward_trap *trap, ward_trap_kind kind, const wcompiled_func *fn, const wcell *ip,
                     ward_instance *inst, const wframe *frames, uint32_t depth, uint32_t base);

/* The site of ip within fn (any variant), and which variant it is in. */
const wsite *wexec_site(const wcompiled_func *fn, const wcell *ip, int *variant);

/* Bulk operations: return WARD_TRAP_NONE or the trap kind. */
/* Addresses and lengths in 64 bits for memory64 (an i32 memory's come
 * zero-extended); copy moves bytes from src to dst (the same memory, or
 * two of multi-memory); init writes into the instance's memory memidx. */
ward_trap_kind wbulk_memory_copy(ward_memory *dst, ward_memory *src, uint64_t d, uint64_t s, uint64_t n);
uint64_t wbulk_equal_prefix(const uint8_t *mem, uint64_t size, uint32_t l, uint32_t r, uint32_t n);
ward_trap_kind wbulk_memory_fill(ward_memory *mem, uint64_t d, uint8_t val, uint64_t n);
ward_trap_kind wbulk_memory_init(ward_instance *inst, uint32_t memidx, uint32_t data, uint64_t d, uint32_t s,
                                 uint32_t n);
/* A slot's raw bits as an address or length of memory m: the whole i64
 * (memory64), else the i32 zero-extended. */
static inline uint64_t wmem_operand(const ward_memory *m, uint64_t raw)
{
    return m->is64 ? raw : (uint32_t)raw;
}
ward_trap_kind wbulk_table_copy(ward_instance *inst, uint32_t dt, uint32_t st, uint32_t d, uint32_t s,
                                uint32_t n);
ward_trap_kind wbulk_table_init(ward_instance *inst, uint32_t table, uint32_t elem, uint32_t d, uint32_t s,
                                uint32_t n);
ward_trap_kind wbulk_table_fill(ward_table *t, uint32_t i, wref val, uint32_t n);
void wbulk_elem_drop(ward_instance *inst, uint32_t elem);

#endif
