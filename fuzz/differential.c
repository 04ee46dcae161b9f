/*
 * libFuzzer target: differential execution.  The bytes as a module (every
 * feature on) run through three of ward's own execution paths, each in a
 * fresh store of its own, and the paths must agree:
 *
 *   metered  block-metered code: fuel FUEL_PER_CALL and a timeout, so the
 *            store is interruptible and takes its fuel in slices;
 *   step     per-instruction step code (wexec_set_step_only, the reference
 *            the metered code must agree with): the same fuel, no timeout;
 *   plain    fuel off, not interruptible: the code with no checks at all.
 *
 * The spectest host module and binaryen's fuzzing-support log functions
 * (whose arguments join the compared state) are there for imports.
 * Instantiation (the start function) and then every exported function
 * (zero-valued arguments, in export order) run on each path.  After each
 * step the outcome is compared: result code, results, trap kind, message,
 * function, byte offset and backtrace, and a hash of every memory, global
 * and table of the instance.  metered and step must also have consumed
 * exactly the same fuel (fuel is exact, docs/fuel.md), and when they run out
 * of fuel they stop at the same instruction with the same state.
 *
 * Which outcomes are comparable:
 *   - metered runs first, as the hang guard.  A timeout (a busy loop, or a
 *     memory.atomic.wait on a shared memory) makes the rest of the module
 *     incomparable: the paths stopped at different places.
 *   - step runs whenever metered did not time out: whatever metered
 *     finished or ran out of fuel on, step finishes or stops the same way.
 *   - plain runs only while metered completed without running out of fuel
 *     (so plain's run is bounded too; libFuzzer's -timeout is the last
 *     guard); after an out-of-fuel stop plain's state has moved on, so it
 *     drops out for the rest of the module.
 *
 * The engine is deterministic (canonical NaNs), so float results and
 * memory contents compare bit for bit: the paths share their handlers, but
 * the NaN an x86 instruction propagates may depend on operand order, which
 * the compiler may choose differently in two handlers.
 *
 * A divergence prints both outcomes and aborts, so libFuzzer keeps the input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzing_support.h"
#include "host/spectest.h"
#include "interp/exec.h"
#include "ward.h"

#define FUEL_PER_CALL 100000u
#define TIMEOUT_MS 25u
#define MAX_MEMORY_BYTES (16u << 20) /* hashed after every call: keep it small */
#define MAX_TABLE_ELEMS (1u << 16)
#define MAX_CALL_DEPTH 2000u
#define MAX_STACK_SLOTS (1u << 18)
#define MAX_CALLS 64u
#define MAX_RESULTS 64u

typedef enum path_kind { PATH_METERED, PATH_STEP, PATH_PLAIN, NPATHS } path_kind;

static const char *const path_names[NPATHS] = {"metered", "step", "plain"};

typedef struct path {
    ward_store *store;
    ward_linker *linker;
    ward_instance *inst;
    bool live;    /* still comparable */
    uint64_t log; /* what binaryen's fuzzing-support log functions were given */
} path;

/* What one path did in one step. */
typedef struct outcome {
    ward_result result;
    ward_trap trap;
    char error[256];
    uint32_t nresults;
    ward_val results[MAX_RESULTS];
    uint64_t fuel_consumed;
    uint64_t state_hash;
} outcome;

/* ---- hashing the instance's state ---------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDull;
}

/* A reference, as something the three stores agree on: null; a function of
 * this instance or of another one by index; a host function by type. */
static uint64_t ref_identity(const ward_instance *inst, const void *ref, bool funcref)
{
    if (!ref)
        return 0;
    if (!funcref)
        return 1;
    const ward_func *f = ref;
    if (!f->inst)
        return (2ull << 32) | (f->host_type.nparams << 8) | f->host_type.nresults;
    return ((f->inst == inst ? 3ull : 4ull) << 32) | f->func_index;
}

static bool is_ref_type(uint8_t type)
{
    return type == WARD_FUNCREF || type == WARD_EXTERNREF;
}

/* Memory is hashed after every call, and mostly zero: zero blocks are
 * skipped with memcmp (not instrumented for coverage), so a 16 MiB memory
 * costs little.  An instrumented word loop over all of it, 64 exports times
 * three paths, made a loaded machine pass libFuzzer's 10 s timeout. */
#define HASH_BLOCK 4096u

static uint64_t hash_memory(uint64_t h, const ward_memory *m)
{
    static const uint8_t zero_block[HASH_BLOCK];
    uint64_t size = wmemory_size(m); /* whole 64 KiB pages: whole blocks */
    h = mix(h, size);
    for (uint64_t at = 0; at < size; at += HASH_BLOCK) {
        if (memcmp(m->data + at, zero_block, HASH_BLOCK) == 0)
            continue;
        for (uint64_t i = at / 8; i < (at + HASH_BLOCK) / 8; i++) {
            uint64_t w;
            memcpy(&w, m->data + i * 8, 8);
            if (w)
                h = mix(h, w ^ i);
        }
    }
    return h;
}

static uint64_t hash_state(const ward_instance *inst)
{
    if (!inst)
        return 0;
    const wmodule *m = inst->m;
    uint64_t h = 0;
    for (uint32_t i = 0; i < m->nmemories; i++)
        h = hash_memory(h, inst->memories[i]);
    for (uint32_t i = 0; i < m->nglobals; i++) {
        const ward_global *g = inst->globals[i];
        if (is_ref_type(g->type)) {
            h = mix(h, ref_identity(inst, (const void *)(uintptr_t)g->val[0], g->type == WARD_FUNCREF));
        } else {
            h = mix(h, g->val[0]);
            h = mix(h, g->val[1]);
        }
    }
    for (uint32_t i = 0; i < m->ntables; i++) {
        const ward_table *t = inst->tables[i];
        h = mix(h, t->size);
        for (uint32_t k = 0; k < t->size; k++)
            h = mix(h, ref_identity(inst, t->elems[k], t->elemtype == WARD_FUNCREF));
    }
    return h;
}

/* ---- running one step on one path ------------------------------------- */

static void arm(path_kind kind, ward_store *store)
{
    if (kind == PATH_PLAIN)
        return; /* fuel off, no timeout: the plain code */
    ward_store_set_fuel(store, FUEL_PER_CALL);
    if (kind == PATH_METERED)
        ward_store_set_timeout(store, TIMEOUT_MS);
}

static void finish(outcome *o, const path *p)
{
    o->fuel_consumed = ward_store_fuel_enabled(p->store) ? ward_store_fuel_consumed(p->store) : 0;
    o->state_hash = mix(hash_state(p->inst), p->log);
}

static void run_instantiate(path_kind kind, path *p, const ward_module *module, outcome *o)
{
    memset(o, 0, sizeof *o);
    arm(kind, p->store);
    ward_error err;
    memset(&err, 0, sizeof err);
    o->result = ward_instantiate(p->store, module, p->linker, &p->inst, &err, &o->trap);
    if (o->result == WARD_ERROR)
        snprintf(o->error, sizeof o->error, "%s", err.message);
    if (o->result != WARD_OK)
        p->inst = NULL;
    finish(o, p);
}

static void run_call(path_kind kind, path *p, const char *name, size_t name_len, outcome *o)
{
    memset(o, 0, sizeof *o);
    ward_func *f = ward_instance_func_n(p->inst, name, name_len);
    ward_functype type;
    ward_func_type(f, &type);
    ward_val args[MAX_RESULTS];
    memset(args, 0, sizeof args);
    for (uint32_t i = 0; i < type.nparams; i++)
        args[i].kind = type.params[i];
    o->nresults = type.nresults;
    for (uint32_t i = 0; i < type.nresults; i++)
        o->results[i].kind = type.results[i];
    arm(kind, p->store);
    o->result = ward_call(p->store, f, args, type.nparams, o->results, type.nresults, &o->trap);
    if (o->result == WARD_ERROR)
        snprintf(o->error, sizeof o->error, "%s", o->trap.message);
    finish(o, p);
}

/* ---- comparing ---------------------------------------------------------- */

static bool stopped_early(const outcome *o)
{
    return o->result == WARD_TRAP &&
           (o->trap.kind == WARD_TRAP_TIMEOUT || o->trap.kind == WARD_TRAP_INTERRUPTED);
}

static bool out_of_fuel(const outcome *o)
{
    return o->result == WARD_TRAP && o->trap.kind == WARD_TRAP_OUT_OF_FUEL;
}

static uint64_t val_identity(const ward_instance *inst, const ward_val *v)
{
    switch (v->kind) {
    case WARD_I32:
    case WARD_F32: return v->of.i32;
    case WARD_FUNCREF: return ref_identity(inst, v->of.funcref, true);
    case WARD_EXTERNREF: return ref_identity(inst, v->of.externref, false);
    default: return v->of.i64; /* i64, f64; v128's other half compared separately */
    }
}

static bool same_results(const outcome *a, const ward_instance *ia, const outcome *b, const ward_instance *ib)
{
    if (a->nresults != b->nresults)
        return false;
    for (uint32_t i = 0; i < a->nresults; i++) {
        const ward_val *x = &a->results[i], *y = &b->results[i];
        if (x->kind != y->kind)
            return false;
        if (x->kind == WARD_V128 ? memcmp(x->of.v128, y->of.v128, 16) != 0
                                 : val_identity(ia, x) != val_identity(ib, y))
            return false;
    }
    return true;
}

static bool same_trap(const ward_trap *a, const ward_trap *b)
{
    if (a->kind != b->kind || a->func_index != b->func_index || a->offset != b->offset ||
        a->nframes != b->nframes || strcmp(a->message, b->message) != 0)
        return false;
    for (uint32_t i = 0; i < a->nframes && i < WARD_BACKTRACE_MAX; i++)
        if (a->backtrace[i].func_index != b->backtrace[i].func_index ||
            a->backtrace[i].offset != b->backtrace[i].offset)
            return false;
    return true;
}

static void print_outcome(const char *path_name, const outcome *o, const ward_instance *inst)
{
    fprintf(stderr, "  %-8s result %d", path_name, (int)o->result);
    if (o->result == WARD_TRAP)
        fprintf(stderr, ", trap %d \"%s\" in func %u at 0x%x (%u frames)", (int)o->trap.kind, o->trap.message,
                o->trap.func_index, o->trap.offset, o->trap.nframes);
    if (o->result == WARD_ERROR)
        fprintf(stderr, ", error \"%s\"", o->error);
    fprintf(stderr, ", fuel %llu, state %016llx\n", (unsigned long long)o->fuel_consumed,
            (unsigned long long)o->state_hash);
    for (uint32_t i = 0; i < o->nresults && o->result == WARD_OK; i++) {
        const ward_val *v = &o->results[i];
        if (v->kind == WARD_V128) {
            uint64_t lo, hi;
            memcpy(&lo, v->of.v128, 8);
            memcpy(&hi, v->of.v128 + 8, 8);
            fprintf(stderr, "    result %u: v128 %016llx%016llx\n", i, (unsigned long long)hi,
                    (unsigned long long)lo);
        } else {
            fprintf(stderr, "    result %u: kind 0x%x %016llx\n", i, (unsigned)v->kind,
                    (unsigned long long)val_identity(inst, v));
        }
    }
}

static void diverged(const char *step, const char *why, path_kind a, const outcome *oa, const ward_instance *ia,
                     path_kind b, const outcome *ob, const ward_instance *ib)
{
    fprintf(stderr, "\ndifferential: %s vs %s diverge on %s: %s\n", path_names[a], path_names[b], step, why);
    print_outcome(path_names[a], oa, ia);
    print_outcome(path_names[b], ob, ib);
    abort();
}

/* Outcome b of path kb must equal outcome a of path ka; with_fuel: and the
 * fuel they consumed. */
static void compare(const char *step, path_kind ka, const outcome *a, const ward_instance *ia, path_kind kb,
                    const outcome *b, const ward_instance *ib, bool with_fuel)
{
    if (a->result != b->result)
        diverged(step, "result code", ka, a, ia, kb, b, ib);
    if (a->result == WARD_TRAP && !same_trap(&a->trap, &b->trap))
        diverged(step, "trap", ka, a, ia, kb, b, ib);
    if (a->result == WARD_ERROR && strcmp(a->error, b->error) != 0)
        diverged(step, "error message", ka, a, ia, kb, b, ib);
    if (a->result == WARD_OK && !same_results(a, ia, b, ib))
        diverged(step, "results", ka, a, ia, kb, b, ib);
    if (a->state_hash != b->state_hash)
        diverged(step, "memory/global/table state", ka, a, ia, kb, b, ib);
    if (with_fuel && a->fuel_consumed != b->fuel_consumed)
        diverged(step, "fuel consumed", ka, a, ia, kb, b, ib);
}

/* ---- one step on every live path ------------------------------------- */

typedef struct step_ctx {
    const ward_module *module; /* instantiation when name is NULL */
    const char *name;
    size_t name_len;
} step_ctx;

static void run_step(path_kind kind, path *p, const step_ctx *st, outcome *o)
{
    if (st->name)
        run_call(kind, p, st->name, st->name_len, o);
    else
        run_instantiate(kind, p, st->module, o);
}

/* Runs one step on the live paths and compares them.  False when the
 * module cannot be compared any further. */
static bool compare_step(path paths[NPATHS], const step_ctx *st)
{
    static outcome out[NPATHS]; /* large: kept off the stack; single-threaded */
    char step[96];
    snprintf(step, sizeof step, "%s%.*s%s", st->name ? "call of \"" : "instantiation",
             st->name ? (int)(st->name_len > 60 ? 60 : st->name_len) : 0, st->name ? st->name : "",
             st->name ? "\"" : "");
    run_step(PATH_METERED, &paths[PATH_METERED], st, &out[PATH_METERED]);
    if (stopped_early(&out[PATH_METERED]))
        return false;
    run_step(PATH_STEP, &paths[PATH_STEP], st, &out[PATH_STEP]);
    compare(step, PATH_METERED, &out[PATH_METERED], paths[PATH_METERED].inst, PATH_STEP, &out[PATH_STEP],
            paths[PATH_STEP].inst, true);
    if (out_of_fuel(&out[PATH_METERED]))
        paths[PATH_PLAIN].live = false;
    if (paths[PATH_PLAIN].live) {
        run_step(PATH_PLAIN, &paths[PATH_PLAIN], st, &out[PATH_PLAIN]);
        compare(step, PATH_METERED, &out[PATH_METERED], paths[PATH_METERED].inst, PATH_PLAIN, &out[PATH_PLAIN],
                paths[PATH_PLAIN].inst, false);
    }
    return paths[PATH_METERED].inst != NULL;
}

/* ---- setting up ---------------------------------------------------------- */

static bool open_path(ward_engine *engine, path_kind kind, path *p)
{
    memset(p, 0, sizeof *p);
    p->store = ward_store_new(engine);
    p->linker = ward_linker_new();
    p->live = true;
    if (!p->store || !p->linker || wspectest_define(p->store, p->linker) != WARD_OK ||
        fuzzing_support_define(p->store, p->linker, &p->log) != WARD_OK)
        return false;
    return kind != PATH_STEP || wexec_set_step_only(p->store, true);
}

static void close_path(path *p)
{
    ward_linker_free(p->linker);
    ward_store_free(p->store);
}

static void call_exports(path paths[NPATHS], const ward_module *module)
{
    uint32_t nexports = ward_module_export_count(module);
    uint32_t calls = 0;
    for (uint32_t i = 0; i < nexports && calls < MAX_CALLS; i++) {
        ward_export_info info;
        ward_module_export(module, i, &info);
        if (info.kind != WARD_EXTERN_FUNC)
            continue;
        ward_func *f = ward_instance_func_n(paths[PATH_METERED].inst, info.name, info.name_len);
        ward_functype type;
        ward_func_type(f, &type);
        if (type.nparams > MAX_RESULTS || type.nresults > MAX_RESULTS)
            continue;
        step_ctx st = {module, info.name, info.name_len};
        calls++;
        if (!compare_step(paths, &st))
            return;
    }
}

static void run_module(ward_engine *engine, const ward_module *module)
{
    path paths[NPATHS];
    bool ok = true;
    for (int k = 0; k < NPATHS; k++)
        ok &= open_path(engine, (path_kind)k, &paths[k]);
    step_ctx st = {module, NULL, 0};
    if (ok && compare_step(paths, &st))
        call_exports(paths, module);
    for (int k = 0; k < NPATHS; k++)
        close_path(&paths[k]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ward_config config;
    fuzz_config_all_features(&config);
    config.deterministic = true;
    config.max_memory_bytes = MAX_MEMORY_BYTES;
    config.max_table_elems = MAX_TABLE_ELEMS;
    config.max_call_depth = MAX_CALL_DEPTH;
    config.max_stack_slots = MAX_STACK_SLOTS;
    ward_engine *engine = ward_engine_new(&config);
    if (!engine)
        return 0;
    ward_error err;
    ward_module *module = ward_module_new(engine, data, size, &err);
    if (module) {
        run_module(engine, module);
        ward_module_free(module);
    }
    ward_engine_free(engine);
    return 0;
}
