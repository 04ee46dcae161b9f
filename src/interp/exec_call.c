/*
 * Entering and leaving the interpreter: the store's stacks, calls from the
 * host (winterp_call), calls to host functions, and trap records with their
 * backtrace.
 */
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "exec_eh.h"
#include "profile.h"

/* Host re-entry (host -> wasm -> host ...) needs an entry frame per level. */
#define ENTRY_FRAMES 64u

/* ward_engine_new turns 0 into the default and clamps the limits to the
 * implementation maxima (runtime.h; clamped here again, as the frame count
 * must not wrap), and wcalloc checks count * size, so a store whose stacks
 * cannot be allocated fails its calls with WARD_TRAP_OUT_OF_MEMORY instead
 * of writing past them. */
_Static_assert((uint64_t)WMAX_CALL_DEPTH + ENTRY_FRAMES <= UINT32_MAX, "frame count fits in uint32_t");

struct wexec *wexec_get(ward_store *s)
{
    if (s->exec)
        return s->exec;
    const ward_config *cfg = &s->engine->config;
    struct wexec *ex = wcalloc(1, sizeof *ex);
    if (!ex)
        return NULL;
    ex->stack_slots = cfg->max_stack_slots < WMAX_STACK_SLOTS ? cfg->max_stack_slots : WMAX_STACK_SLOTS;
    ex->max_depth = cfg->max_call_depth < WMAX_CALL_DEPTH ? cfg->max_call_depth : WMAX_CALL_DEPTH;
    ex->max_frames = ex->max_depth + ENTRY_FRAMES;
    /* calloc: large stacks come from fresh mappings whose pages are only
     * backed once a deep call touches them (docs/limits.md) */
    ex->stack = wcalloc(ex->stack_slots, sizeof *ex->stack);
    ex->frames = wcalloc(ex->max_frames, sizeof *ex->frames);
    if (!ex->stack || !ex->frames) {
        wexec_free(ex);
        return NULL;
    }
    s->exec = ex;
    return ex;
}

void wexec_free(struct wexec *ex)
{
    if (!ex)
        return;
    free(ex->stack);
    free(ex->frames);
    wexn_free(&ex->exn);
    wprof_finish(ex->prof);
    free(ex);
}

bool wexec_set_step_only(ward_store *s, bool on)
{
    struct wexec *ex = wexec_get(s);
    if (!ex)
        return false;
    ex->step_only = on;
    return true;
}

/* ---- fuel slices (docs/limits.md) ------------------------------------------ */

/* Wasm instructions between polls: ~10-20 us of guest code, so a poll (an
 * atomic load, and a clock read when a deadline is set) costs well under 1%. */
#define SLICE_FUEL 16384u

/* The most fuel the dispatch loop holds at once: merged fuel blocks test
 * a signed result (docs/fuel.md), so the budget stays below 2^63; a larger
 * store fuel waits in ex->reserve and is handed over by wexec_refill. */
#define BUDGET_MAX (UINT64_C(1) << 62)

uint64_t wexec_budget_load(ward_store *s)
{
    struct wexec *ex = s->exec;
    ex->stop = WARD_TRAP_NONE;
    if (!s->interruptible) {
        ex->reserve = s->fuel > BUDGET_MAX ? s->fuel - BUDGET_MAX : 0;
        return s->fuel - ex->reserve;
    }
    ex->reserve = s->fuel_enabled ? s->fuel : UINT64_MAX;
    return 0;
}

void wexec_budget_save(ward_store *s, uint64_t fuel, ward_trap_kind kind)
{
    if (s->fuel_enabled)
        s->fuel = fuel + s->exec->reserve;
    if (kind == WARD_TRAP_INTERRUPTED)
        atomic_store_explicit(&s->interrupt_requested, false, memory_order_relaxed);
}

uint64_t wexec_refill(ward_store *s, uint64_t fuel)
{
    struct wexec *ex = s->exec;
    if (!s->interruptible) {
        uint64_t take = ex->reserve < BUDGET_MAX ? ex->reserve : BUDGET_MAX;
        ex->reserve -= take;
        return fuel + take;
    }
    if (ex->stop != WARD_TRAP_NONE)
        return fuel;
    ward_trap_kind stop = wstore_poll_stop(s);
    if (stop != WARD_TRAP_NONE) {
        ex->stop = stop;
        if (s->fuel_enabled)
            ex->reserve += fuel;
        return 0;
    }
    uint64_t take = ex->reserve < SLICE_FUEL ? ex->reserve : SLICE_FUEL;
    if (s->fuel_enabled)
        ex->reserve -= take;
    return fuel + take;
}

/* ---- values ------------------------------------------------------------- */

/* Slots hold one 64-bit word per value, two for a v128 (consecutive, in
 * the order of the types); the runtime's bit conversions know the rest. */
static void vals_to_slots(const uint8_t *types, const ward_val *vals, size_t n, uint64_t *slots)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t bits[2];
        wval_to_bits(vals[i], bits);
        *slots++ = bits[0];
        if (types[i] == WT_V128)
            *slots++ = bits[1];
    }
}

static void slots_to_vals(const uint8_t *types, size_t n, const uint64_t *slots, ward_val *vals)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t bits[2] = {slots[0], types[i] == WT_V128 ? slots[1] : 0};
        vals[i] = wval_from_bits(types[i], bits);
        slots += types[i] == WT_V128 ? 2 : 1;
    }
}

static ward_val val_zero(uint8_t type)
{
    const uint64_t bits[2] = {0, 0};
    return wval_from_bits(type, bits);
}

/* ---- host functions ------------------------------------------------------ */

#define HOST_INLINE_VALS 16

/*
 * What a host function put in *trap reaches the embedder, so only what a
 * host may say is kept: a kind ward knows (else WARD_TRAP_HOST), its
 * message cut at the buffer's end (the kind's own when empty), an exit
 * code only for WARD_TRAP_EXIT.  Location and backtrace are ward's own,
 * filled by the caller.
 */
static void sanitize_host_trap(ward_trap *trap)
{
    trap->message[sizeof trap->message - 1] = '\0';
    if (!(trap->kind > WARD_TRAP_NONE && trap->kind <= WTRAP_KIND_LAST))
        trap->kind = WARD_TRAP_HOST;
    if (trap->message[0] == '\0')
        strcpy(trap->message, wtrap_message(trap->kind));
    if (trap->kind != WARD_TRAP_EXIT)
        trap->exit_code = 0;
    trap->func_index = 0;
    trap->func_name = NULL;
    trap->offset = 0;
    trap->nframes = 0;
    trap->nframes_omitted = 0;
    memset(trap->backtrace, 0, sizeof trap->backtrace);
}

/* A host function that stopped because the store was interrupted reports
 * it as the interpreter would: the request is consumed with the trap, so
 * the store's next call runs. */
static void report_host_trap(ward_store *s, ward_trap *trap)
{
    sanitize_host_trap(trap);
    if (trap->kind == WARD_TRAP_INTERRUPTED)
        wstore_clear_interrupt(s);
}

static ward_result out_of_memory(ward_trap *trap)
{
    wtrap_set(trap, WARD_TRAP_OUT_OF_MEMORY);
    return WARD_TRAP;
}

/* A funcref a host function returns must be of the calling store: one of
 * another store would dangle once that store is freed.  Fills *trap and
 * returns WARD_TRAP when one is not, else WARD_OK. */
static ward_result check_host_results(const ward_store *s, const wfunctype *ft, const ward_val *results,
                                      ward_trap *trap)
{
    for (uint32_t i = 0; i < ft->nresults; i++) {
        if (WFUNCTYPE_RESULT(ft, i) == WT_FUNCREF && results[i].of.funcref &&
            results[i].of.funcref->store != s) {
            wtrap_set(trap, WARD_TRAP_HOST);
            strcpy(trap->message, "host function returned a function of another store");
            return WARD_TRAP;
        }
    }
    return WARD_OK;
}

/* Run host function f, from wasm (caller_inst) or from the host (NULL), on
 * values: results preset to zero, its trap checked before anyone sees it. */
static ward_result invoke_host(ward_store *s, ward_instance *caller_inst, ward_func *f, const ward_val *params,
                               ward_val *results, ward_trap *trap)
{
    ward_caller caller = {s, caller_inst};
    const wfunctype *ft = f->type;
    for (uint32_t i = 0; i < ft->nresults; i++)
        results[i] = val_zero(WFUNCTYPE_RESULT(ft, i));
    memset(trap, 0, sizeof *trap);
    ward_result r = f->host_fn(f->host_env, &caller, params, results, trap);
    if (r == WARD_OK)
        r = check_host_results(s, ft, results, trap);
    if (r != WARD_OK) {
        report_host_trap(s, trap);
        return WARD_TRAP;
    }
    return WARD_OK;
}

ward_result wexec_call_host(ward_store *s, ward_instance *caller_inst, ward_func *f, uint64_t *args,
                            ward_trap *trap)
{
    const wfunctype *ft = f->type;
    ward_val inline_vals[HOST_INLINE_VALS];
    ward_val *vals = inline_vals;
    size_t n = (size_t)ft->nparams + ft->nresults;
    if (n > HOST_INLINE_VALS) {
        vals = wcalloc(n, sizeof *vals);
        if (!vals)
            return out_of_memory(trap);
    }
    ward_val *params = vals, *results = vals + ft->nparams;
    slots_to_vals(ft->types, ft->nparams, args, params);
    ward_result r = invoke_host(s, caller_inst, f, params, results, trap);
    if (r == WARD_OK)
        vals_to_slots(ft->types + ft->nparams, results, ft->nresults, args);
    if (vals != inline_vals)
        free(vals);
    return r;
}

/* ---- traps ---------------------------------------------------------------- */

const wsite *wexec_site(const wcompiled_func *fn, const wcell *ip, int *variant)
{
    if (!ip) /* no code: a lazy translation failed at the entry */
        return NULL;
    for (int v = 0; v < WVAR_COUNT; v++) {
        const wvariant *var = wcompiled_variant_ready(fn, v);
        if (var && var->code && ip >= var->code && ip < var->code + var->ncells) {
            *variant = v;
            /* the plain code's sites are made on its first trap */
            const wvariant *sites = v == WVAR_PLAIN ? wcompiled_plain_sites(fn) : var;
            return sites ? wvariant_site(sites, (size_t)(ip - var->code)) : NULL;
        }
    }
    return NULL;
}

/* Where defined function fn's body starts in the binary: its local
 * declarations, after the LEB128 body size at the code entry. */
static uint32_t body_start(const wcompiled_func *fn)
{
    const wmodule *m = fn->m;
    uint32_t at = m->codes[fn->func_index - m->nimported_funcs].entry_offset;
    while (at < m->size && (m->bytes[at] & 0x80))
        at++;
    return at + 1;
}

static ward_frame_info frame_info(const wcompiled_func *fn, const wcell *ip, ward_instance *inst)
{
    ward_frame_info info = {fn->func_index, fn->name, 0, inst, 0};
    int variant;
    const wsite *site = wexec_site(fn, ip, &variant);
    if (site) {
        info.offset = site->wasm;
        uint32_t start = body_start(fn);
        info.func_offset = info.offset >= start ? info.offset - start : 0;
    }
    return info;
}

void wexec_fill_trap(ward_trap *trap, ward_trap_kind kind, const wcompiled_func *fn, const wcell *ip,
                     ward_instance *inst, const wframe *frames, uint32_t depth, uint32_t base)
{
    if (kind != WARD_TRAP_HOST)
        wtrap_set(trap, kind);
    trap->nframes = 0;
    trap->backtrace[trap->nframes++] = frame_info(fn, ip, inst);
    /* frames[k] holds the caller suspended at its call op (ret_ip - 1). */
    for (uint32_t k = depth; k-- > base + 1 && trap->nframes < WARD_BACKTRACE_MAX;)
        trap->backtrace[trap->nframes++] = frame_info(frames[k].fn, frames[k].ret_ip - 1, frames[k].inst);
    uint32_t callers = depth > base + 1 ? depth - base - 1 : 0;
    trap->nframes_omitted = 1 + callers - trap->nframes;
    trap->func_index = trap->backtrace[0].func_index;
    trap->func_name = trap->backtrace[0].func_name;
    trap->offset = trap->backtrace[0].offset;
}

/* ---- calls from the host ------------------------------------------------- */

static ward_result exhausted(ward_trap *trap)
{
    wtrap_set(trap, WARD_TRAP_STACK_EXHAUSTED);
    return WARD_TRAP;
}

static ward_result call_wasm(ward_store *s, struct wexec *ex, ward_func *f, const ward_val *args,
                             ward_val *results, ward_trap *trap)
{
    const wcompiled_func *fn = f->code;
    const wfunctype *ft = f->type;
    size_t base = ex->sp;
    /* The frame size is known once fn's code exists: translate it now (on
     * failure wexec_run tries again and reports the trap). */
    const wvariant *v = wcompiled_variant(fn, wexec_variant(s, ex));
    if (ex->depth >= ex->max_frames || (v && ex->stack_slots - base < v->frame_slots))
        return exhausted(trap);
    uint64_t *fp = ex->stack + base;
    vals_to_slots(ft->types, args, ft->nparams, fp);
    memset(fp + fn->nparams, 0, (size_t)(fn->nlocal_slots - fn->nparams) * sizeof *fp);
    /* The entry frame: returning to it reaches the EXIT op. */
    const void *const *handlers = wexec_handlers();
    wcell exit_code[1];
    if (handlers)
        exit_code[0].handler = handlers[WIR_EXIT];
    else
        exit_code[0].op = WIR_EXIT;
    uint32_t saved_depth = ex->depth;
    ex->frames[ex->depth++] = (wframe){exit_code, fp, NULL, f->inst};
    ward_result r = wexec_run(s, fn, f->inst, fp, trap);
    ex->depth = saved_depth;
    ex->sp = base;
    if (r == WARD_OK)
        slots_to_vals(ft->types + ft->nparams, ft->nresults, fp, results);
    return r;
}

/* ---- host re-entry ------------------------------------------------------- */

/* C stack a call back into the store must find free: one more level (the
 * interpreter's frame, the host call, ward_call) and room for the host
 * functions the guest calls from there (WASI's path buffers), with ASan's
 * redzones making every frame several times larger. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WARD_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(WARD_ASAN)
#define REENTRY_STACK_MARGIN ((size_t)256 << 10)
#else
#define REENTRY_STACK_MARGIN ((size_t)64 << 10)
#endif

/* A call made while another runs, from a host function: within the
 * configured nesting and with enough C stack for one more level. */
static bool reentry_allowed(const ward_store *s, struct wexec *ex)
{
    return ex->entries <= s->engine->config.max_host_reentry &&
           wcstack_left(&ex->cstack) >= REENTRY_STACK_MARGIN;
}


ward_result winterp_call(ward_store *s, ward_func *f, const ward_val *args, ward_val *results,
                         ward_trap *trap)
{
    ward_trap local_trap;
    if (!trap)
        trap = &local_trap;
    struct wexec *ex = wexec_get(s);
    if (!ex)
        return out_of_memory(trap);
    if (ex->entries == 0) {
        /* the outermost call from the host starts the timeout's clock */
        wstore_start_deadline(s);
        wcstack_enter(&ex->cstack);
    } else if (!reentry_allowed(s, ex)) {
        return exhausted(trap);
    }
    ex->entries++;
    ward_result r = f->host_fn ? invoke_host(s, NULL, f, args, results, trap)
                               : call_wasm(s, ex, f, args, results, trap);
    ex->entries--;
    return r;
}
