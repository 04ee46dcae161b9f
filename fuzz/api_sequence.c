/*
 * libFuzzer target: the input drives a sequence of public ward.h calls, as
 * a careless embedder would make them, on a small pool of objects: one
 * engine, two stores of it (so objects of one store meet the other), the
 * modules of api_modules.h plus modules made of input bytes, two linkers,
 * instances, functions (exports, and host functions that re-enter the
 * guest, trap with garbage records or interrupt their store), memories
 * (shared ones too), tables and globals.
 *
 * Each step reads an opcode and its operands from the input (a cursor that
 * yields zeros once the input is spent) and makes one call: store new/free,
 * module load, linker define (func, memory, table, global, instance),
 * instantiate, call with arguments of any kind (funcrefs of either store,
 * and on purpose wrong counts, kinds, a NULL argument array, another store),
 * global get/set, memory size/span/read/write, host object creation,
 * interrupt, fuel and timeout.
 *
 * Rules checked besides the sanitizers: every call returns WARD_OK,
 * WARD_TRAP or WARD_ERROR; a trap record has a kind (WARD_TRAP_NONE <
 * kind < TRAP_KIND_BOUND: new kinds may be added, a garbage one is caught),
 * a terminated non-empty message and nframes <= WARD_BACKTRACE_MAX; an
 * error record a terminated non-empty message; a well-formed call (its own
 * store, arguments of the right kinds, references of the same store or
 * null) never returns WARD_ERROR.
 *
 * The harness itself never uses a freed object: when it frees a store (or
 * releases a shared memory) it drops that owner's objects from its pool and
 * replaces any linker holding them.  What the guest or ward itself kept of
 * another store is ward's business: that is what the target looks for.
 *
 * Every store always has a timeout (1..MAX_TIMEOUT_MS), so guest loops and
 * waits end; host re-entry nests at most as deep as the input says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_modules.h"
#include "host/spectest.h"
#include "ward.h"

#define MAX_STEPS 256u
#define MAX_TOP_CALLS 48u
#define MAX_TIMEOUT_MS 20u
#define MAX_MEMORY_BYTES (16u << 20)
#define MAX_TABLE_ELEMS (1u << 16)
#define TRAP_KIND_BOUND 64
#define NSTORES 2
#define OWNER_SHARED NSTORES /* engine-wide shared memories */
#define NLINKERS 2
#define POOL 16
#define NHOSTS 16
#define MAX_VALS 16

/* ---- the input ------------------------------------------------------- */

typedef struct cursor {
    const uint8_t *p;
    size_t left;
} cursor;

static uint8_t take_u8(cursor *c)
{
    if (!c->left)
        return 0;
    c->left--;
    return *c->p++;
}

static uint64_t take_bytes(cursor *c, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)take_u8(c) << (8 * i);
    return v;
}

static uint32_t take_u32(cursor *c) { return (uint32_t)take_bytes(c, 4); }
static uint64_t take_u64(cursor *c) { return take_bytes(c, 8); }

/* ---- the object pool ----------------------------------------------------- */

typedef struct slot {
    void *obj;  /* NULL: empty */
    int owner;  /* store index, or OWNER_SHARED */
} slot;

typedef enum host_mode {
    HOST_RETURN,       /* results: zeros, an i32 result is args[0] - 1 */
    HOST_REENTER_REC,  /* ward_call the calling instance's "rec" with args[0] */
    HOST_REENTER_POOL, /* ward_call a pool function (maybe of another store) */
    HOST_BAD_TRAP,     /* return WARD_TRAP with a garbage record */
    HOST_INTERRUPT,    /* interrupt its own store, then return */
    HOST_WRITE_MEMORY, /* write through the caller's memory helpers */
    HOST_NMODES
} host_mode;

struct ctx;

typedef struct host_env {
    struct ctx *ctx;
    host_mode mode;
    uint32_t target; /* pool slot (HOST_REENTER_POOL) */
    uint64_t value;  /* garbage / address operand */
    ward_functype type;
} host_env;

typedef struct ctx {
    cursor in;
    ward_engine *engine;
    ward_store *stores[NSTORES];
    ward_linker *linkers[NLINKERS];
    unsigned linker_owners[NLINKERS]; /* bit per owner whose objects it holds */
    ward_module *modules[API_NMODULES + 2]; /* built-ins, then two of input bytes */
    unsigned module_users[API_NMODULES + 2]; /* bit per store that instantiated it */
    slot instances[POOL], funcs[POOL], memories[POOL], tables[POOL], globals[POOL];
    host_env hosts[NHOSTS];
    unsigned nhosts;
    unsigned top_calls;
    uint32_t reentry_budget; /* nested ward_calls host functions may still make */
    int externref_target;    /* what a non-null externref points at */
} ctx;

#define NMODULES (API_NMODULES + 2)

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "\napi_sequence: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

static void *pick(const slot *pool, uint8_t b, int *owner)
{
    const slot *s = &pool[b % POOL];
    if (owner)
        *owner = s->owner;
    return s->obj;
}

static void put(slot *pool, uint8_t b, void *obj, int owner)
{
    if (!obj)
        return;
    for (unsigned i = 0; i < POOL; i++) {
        slot *s = &pool[(b + i) % POOL];
        if (!s->obj) {
            *s = (slot){obj, owner};
            return;
        }
    }
    /* full: replace the chosen one, unless it holds the pool's reference to
     * a shared memory (dropping that would leak it) */
    slot *s = &pool[b % POOL];
    if (s->owner != OWNER_SHARED)
        *s = (slot){obj, owner};
}

static void drop_owner(slot *pool, int owner)
{
    for (unsigned i = 0; i < POOL; i++)
        if (pool[i].obj && pool[i].owner == owner)
            pool[i].obj = NULL;
}

/* ---- checking records ---------------------------------------------------- */

static void check_message(const char *msg, size_t size, const char *what)
{
    if (!memchr(msg, '\0', size))
        fail(what, "message not terminated");
    if (msg[0] == '\0')
        fail(what, "empty message");
}

static void check_result(ward_result r, const ward_trap *trap, const char *what)
{
    if (r == WARD_OK)
        return;
    if (r == WARD_TRAP) {
        if (trap->kind == WARD_TRAP_NONE || (int)trap->kind < 0 || (int)trap->kind >= TRAP_KIND_BOUND)
            fail(what, "trap with an invalid kind");
        if (trap->nframes > WARD_BACKTRACE_MAX)
            fail(what, "trap with nframes > WARD_BACKTRACE_MAX");
        check_message(trap->message, sizeof trap->message, what);
        return;
    }
    if (r != WARD_ERROR)
        fail(what, "result is not WARD_OK, WARD_TRAP or WARD_ERROR");
}

/* ---- values ---------------------------------------------------------------- */

static ward_valkind kind_from(uint8_t b)
{
    static const ward_valkind kinds[] = {WARD_I32, WARD_I64, WARD_F32, WARD_F64,
                                         WARD_V128, WARD_FUNCREF, WARD_EXTERNREF};
    return kinds[b % (sizeof kinds / sizeof kinds[0])];
}

/* A value of `kind` from the input; *foreign is set when it is a funcref of
 * a store other than `store_index` (which a well-formed call must not pass). */
static ward_val value_of(ctx *c, ward_valkind kind, int store_index, bool *foreign)
{
    ward_val v;
    memset(&v, 0, sizeof v);
    v.kind = kind;
    switch (kind) {
    case WARD_I32:
    case WARD_F32: v.of.i32 = take_u32(&c->in); break;
    case WARD_I64:
    case WARD_F64: v.of.i64 = take_u64(&c->in); break;
    case WARD_V128:
        for (int i = 0; i < 16; i++)
            v.of.v128[i] = take_u8(&c->in);
        break;
    case WARD_FUNCREF: {
        uint8_t b = take_u8(&c->in);
        int owner = store_index;
        if (b & 1)
            v.of.funcref = pick(c->funcs, b >> 1, &owner);
        if (v.of.funcref && owner != store_index && foreign)
            *foreign = true;
        break;
    }
    case WARD_EXTERNREF:
        v.of.externref = (take_u8(&c->in) & 1) ? &c->externref_target : NULL;
        break;
    }
    return v;
}

/* ---- calls ----------------------------------------------------------------- */

typedef enum call_misuse {
    CALL_WELL_FORMED,
    CALL_NULL_ARGS,     /* args NULL with the type's nargs */
    CALL_WRONG_COUNT,   /* one argument too many or too few */
    CALL_WRONG_KIND,    /* the first argument of another kind */
    CALL_SHORT_RESULTS, /* room for one result less */
    CALL_OTHER_STORE,   /* the call goes to the other store */
    CALL_NMISUSES
} call_misuse;

static int store_of_func(ctx *c, ward_func *f)
{
    for (unsigned i = 0; i < POOL; i++)
        if (c->funcs[i].obj == f)
            return c->funcs[i].owner;
    return -1;
}

/* One ward_call on `store` (index si) of f, arguments from the input. */
static ward_result call_func(ctx *c, int si, ward_func *f, call_misuse misuse, ward_trap *trap)
{
    ward_functype type;
    ward_func_type(f, &type);
    if (type.nparams > MAX_VALS || type.nresults > MAX_VALS)
        return WARD_OK;
    ward_val args[MAX_VALS + 1], results[MAX_VALS + 1];
    bool foreign = false;
    for (uint32_t i = 0; i < type.nparams; i++)
        args[i] = value_of(c, type.params[i], si, &foreign);
    args[type.nparams] = value_of(c, WARD_I32, si, NULL);
    size_t nargs = type.nparams, nresults = type.nresults;
    int store_index = si;
    const ward_val *argp = args;
    switch (misuse) {
    case CALL_WELL_FORMED: break;
    case CALL_NULL_ARGS: argp = NULL; break;
    case CALL_WRONG_COUNT: nargs = nargs ? nargs - 1 : 1; break;
    case CALL_WRONG_KIND:
        if (nargs)
            args[0].kind = args[0].kind == WARD_I32 ? WARD_I64 : WARD_I32;
        break;
    case CALL_SHORT_RESULTS: nresults = nresults ? nresults - 1 : 0; break;
    case CALL_OTHER_STORE: store_index = 1 - si; break;
    case CALL_NMISUSES: break;
    }
    ward_store *store = c->stores[store_index];
    if (!store)
        return WARD_OK;
    memset(trap, 0x5A, sizeof *trap); /* an unwritten record would show */
    ward_result r = ward_call(store, f, argp, nargs, results, nresults, trap);
    check_result(r, trap, "ward_call");
    bool well_formed = misuse == CALL_WELL_FORMED && !foreign && store_of_func(c, f) == si;
    if (r == WARD_ERROR && well_formed)
        fail("ward_call", "WARD_ERROR for a well-formed call");
    if (r == WARD_ERROR)
        check_message(trap->message, sizeof trap->message, "ward_call error");
    if (r == WARD_OK)
        for (size_t i = 0; i < nresults && i < type.nresults; i++)
            if (results[i].kind != type.results[i])
                fail("ward_call", "result of the wrong kind");
    return r;
}

/* ---- host functions -------------------------------------------------------- */

static ward_result host_reenter(host_env *env, ward_caller *caller, const ward_val *args, ward_trap *trap)
{
    ctx *c = env->ctx;
    if (c->reentry_budget == 0)
        return WARD_OK;
    c->reentry_budget--;
    ward_store *store = ward_caller_store(caller);
    ward_func *target;
    if (env->mode == HOST_REENTER_REC) {
        ward_instance *inst = ward_caller_instance(caller);
        target = inst ? ward_instance_func(inst, "rec") : NULL;
    } else {
        target = c->funcs[env->target % POOL].obj;
    }
    if (!target)
        return WARD_OK;
    ward_functype type;
    ward_func_type(target, &type);
    ward_val inner_args[MAX_VALS], results[MAX_VALS];
    if (type.nparams > MAX_VALS || type.nresults > MAX_VALS)
        return WARD_OK;
    for (uint32_t i = 0; i < type.nparams; i++) {
        memset(&inner_args[i], 0, sizeof inner_args[i]);
        inner_args[i].kind = type.params[i];
    }
    if (type.nparams && type.params[0] == WARD_I32 && env->type.nparams && env->type.params[0] == WARD_I32)
        inner_args[0].of.i32 = args[0].of.i32;
    ward_trap inner;
    ward_result r = ward_call(store, target, inner_args, type.nparams, results, type.nresults, &inner);
    check_result(r, &inner, "ward_call from a host function");
    if (r == WARD_TRAP) {
        *trap = inner;
        return WARD_TRAP;
    }
    return WARD_OK;
}

static ward_result host_bad_trap(host_env *env, ward_trap *trap)
{
    uint64_t v = env->value;
    trap->kind = (ward_trap_kind)(v & 0xFFFF);
    trap->nframes = (uint32_t)(v >> 16);
    memset(trap->message, 'x', sizeof trap->message); /* unterminated */
    trap->func_index = (uint32_t)(v >> 32);
    trap->offset = (uint32_t)v;
    return WARD_TRAP;
}

static ward_result host_call(void *envp, ward_caller *caller, const ward_val *args, ward_val *results,
                             ward_trap *trap)
{
    host_env *env = envp;
    switch (env->mode) {
    case HOST_REENTER_REC:
    case HOST_REENTER_POOL: {
        ward_result r = host_reenter(env, caller, args, trap);
        if (r != WARD_OK)
            return r;
        break;
    }
    case HOST_BAD_TRAP: return host_bad_trap(env, trap);
    case HOST_INTERRUPT: ward_store_interrupt(ward_caller_store(caller)); break;
    case HOST_WRITE_MEMORY: {
        uint8_t *p = ward_caller_span(caller, env->value >> 8, env->value & 0xFF, trap);
        if (!p)
            return WARD_TRAP;
        memset(p, 0xA5, env->value & 0xFF);
        if (!ward_caller_write_u64(caller, env->value >> 16, env->value, trap))
            return WARD_TRAP;
        break;
    }
    case HOST_RETURN:
    case HOST_NMODES: break;
    }
    /* results arrive with their kinds set: (i32) -> (i32) counts down */
    if (env->type.nparams && env->type.nresults && env->type.params[0] == WARD_I32 &&
        env->type.results[0] == WARD_I32)
        results[0].of.i32 = args[0].of.i32 - 1;
    return WARD_OK;
}

/* The host function types a module might import. */
static const ward_valkind host_i2i[] = {WARD_I32, WARD_I32};
static const ward_valkind host_mixed[] = {WARD_I32, WARD_I64, WARD_F32, WARD_F64, WARD_I32};
static const ward_valkind host_ref[] = {WARD_FUNCREF, WARD_FUNCREF};
static const ward_valkind host_ext[] = {WARD_EXTERNREF, WARD_I32};
static const ward_valkind host_v128[] = {WARD_V128, WARD_V128};

static ward_functype host_type(uint8_t b)
{
    switch (b % 6) {
    case 0: return (ward_functype){1, 1, host_i2i, host_i2i + 1};
    case 1: return (ward_functype){0, 0, NULL, NULL};
    case 2: return (ward_functype){4, 1, host_mixed, host_mixed + 4};
    case 3: return (ward_functype){1, 1, host_ref, host_ref + 1};
    case 4: return (ward_functype){1, 1, host_ext, host_ext + 1};
    default: return (ward_functype){1, 1, host_v128, host_v128 + 1};
    }
}

/* ---- the steps -------------------------------------------------------------- */

static ward_store *store_at(ctx *c, uint8_t b, int *si)
{
    *si = b % NSTORES;
    return c->stores[*si];
}

static void op_store_new(ctx *c)
{
    int si = take_u8(&c->in) % NSTORES;
    if (c->stores[si])
        return;
    c->stores[si] = ward_store_new(c->engine);
    if (c->stores[si])
        ward_store_set_timeout(c->stores[si], 1 + take_u8(&c->in) % MAX_TIMEOUT_MS);
}

/* Forget every object of `owner` and replace the linkers that hold some. */
static void forget_owner(ctx *c, int owner)
{
    drop_owner(c->instances, owner);
    drop_owner(c->funcs, owner);
    drop_owner(c->memories, owner);
    drop_owner(c->tables, owner);
    drop_owner(c->globals, owner);
    for (int l = 0; l < NLINKERS; l++) {
        if (c->linker_owners[l] & (1u << owner)) {
            ward_linker_free(c->linkers[l]);
            c->linkers[l] = ward_linker_new();
            c->linker_owners[l] = 0;
        }
    }
}

static void op_store_free(ctx *c)
{
    int si;
    ward_store *s = store_at(c, take_u8(&c->in), &si);
    if (!s)
        return;
    forget_owner(c, si);
    ward_store_free(s);
    c->stores[si] = NULL;
    for (unsigned m = 0; m < NMODULES; m++)
        c->module_users[m] &= ~(1u << si);
}

static void op_module_load(ctx *c)
{
    uint8_t b = take_u8(&c->in);
    unsigned m;
    const uint8_t *bytes;
    size_t size;
    uint8_t own[4096];
    if (b & 1) { /* a built-in */
        m = (b >> 1) % API_NMODULES;
        bytes = api_modules[m].bytes;
        size = api_modules[m].size;
    } else {     /* bytes of the input */
        m = API_NMODULES + (b >> 1) % 2;
        size = take_u32(&c->in) % sizeof own;
        for (size_t i = 0; i < size; i++)
            own[i] = take_u8(&c->in);
        bytes = own;
    }
    if (c->module_users[m])
        return; /* instances of it live: it must outlive their stores */
    ward_module_free(c->modules[m]);
    ward_error err;
    memset(&err, 0x5A, sizeof err);
    c->modules[m] = ward_module_new(c->engine, bytes, size, &err);
    if (!c->modules[m])
        check_message(err.message, sizeof err.message, "ward_module_new");
}

static const char *const import_names[] = {"cb", "f", "mem", "t", "g", "gi", "smem", "e"};
#define NIMPORT_NAMES (sizeof import_names / sizeof import_names[0])

static void check_define(ward_result r, const char *what)
{
    if (r != WARD_OK && r != WARD_ERROR)
        fail(what, "result is not WARD_OK or WARD_ERROR");
}

static void op_linker_define(ctx *c)
{
    uint8_t b = take_u8(&c->in), which = take_u8(&c->in);
    int l = b % NLINKERS;
    const char *name = import_names[(b >> 1) % NIMPORT_NAMES];
    int owner = 0;
    void *obj;
    ward_result r = WARD_OK;
    switch ((b >> 4) % 5) {
    case 0:
        if ((obj = pick(c->funcs, which, &owner)))
            r = ward_linker_define_func(c->linkers[l], "env", name, obj);
        break;
    case 1:
        if ((obj = pick(c->memories, which, &owner)))
            r = ward_linker_define_memory(c->linkers[l], "env", name, obj);
        break;
    case 2:
        if ((obj = pick(c->tables, which, &owner)))
            r = ward_linker_define_table(c->linkers[l], "env", name, obj);
        break;
    case 3:
        if ((obj = pick(c->globals, which, &owner)))
            r = ward_linker_define_global(c->linkers[l], "env", name, obj);
        break;
    default:
        if ((obj = pick(c->instances, which, &owner)))
            r = ward_linker_define_instance(c->linkers[l], "env", obj);
        break;
    }
    check_define(r, "ward_linker_define_*");
    if (obj)
        c->linker_owners[l] |= 1u << owner;
}

/* Put an instance's exports in the pool. */
static void pool_exports(ctx *c, const ward_module *module, ward_instance *inst, int si)
{
    uint32_t n = ward_module_export_count(module);
    for (uint32_t i = 0; i < n && i < 64; i++) {
        ward_export_info info;
        ward_module_export(module, i, &info);
        uint8_t b = take_u8(&c->in);
        switch (info.kind) {
        case WARD_EXTERN_FUNC: put(c->funcs, b, ward_instance_func_n(inst, info.name, info.name_len), si); break;
        case WARD_EXTERN_MEMORY:
            put(c->memories, b, ward_instance_memory_n(inst, info.name, info.name_len), si);
            break;
        case WARD_EXTERN_TABLE: put(c->tables, b, ward_instance_table_n(inst, info.name, info.name_len), si); break;
        case WARD_EXTERN_GLOBAL:
            put(c->globals, b, ward_instance_global_n(inst, info.name, info.name_len), si);
            break;
        default: break;
        }
    }
}

static void op_instantiate(ctx *c)
{
    int si;
    ward_store *s = store_at(c, take_u8(&c->in), &si);
    uint8_t b = take_u8(&c->in);
    unsigned m = b % NMODULES;
    ward_linker *linker = (b >> 4) & 1 ? NULL : c->linkers[(b >> 5) % NLINKERS];
    if (!s || !c->modules[m])
        return;
    c->reentry_budget = take_u32(&c->in) & 0xFFFF;
    c->module_users[m] |= 1u << si; /* even a failed instantiation may keep objects */
    ward_instance *inst = NULL;
    ward_error err;
    ward_trap trap;
    memset(&err, 0x5A, sizeof err);
    memset(&trap, 0x5A, sizeof trap);
    ward_result r = ward_instantiate(s, c->modules[m], linker, &inst, &err, &trap);
    check_result(r, &trap, "ward_instantiate");
    if (r == WARD_ERROR)
        check_message(err.message, sizeof err.message, "ward_instantiate error");
    if (r == WARD_OK) {
        if (!inst)
            fail("ward_instantiate", "WARD_OK without an instance");
        put(c->instances, take_u8(&c->in), inst, si);
        pool_exports(c, c->modules[m], inst, si);
    }
}

static void op_call(ctx *c)
{
    int si;
    store_at(c, take_u8(&c->in), &si);
    uint8_t b = take_u8(&c->in);
    ward_func *f = pick(c->funcs, b, NULL);
    call_misuse misuse = (call_misuse)(take_u8(&c->in) % (CALL_NMISUSES + 4));
    if (misuse >= CALL_NMISUSES)
        misuse = CALL_WELL_FORMED; /* mostly well-formed */
    c->reentry_budget = take_u32(&c->in) & 0xFFFF;
    if (!f || !c->stores[si] || c->top_calls >= MAX_TOP_CALLS)
        return;
    c->top_calls++;
    ward_trap trap;
    call_func(c, si, f, misuse, &trap);
}

static void op_global(ctx *c)
{
    uint8_t b = take_u8(&c->in);
    int owner;
    ward_global *g = pick(c->globals, b, &owner);
    if (!g)
        return;
    ward_val v = ward_global_get(g);
    if (b & 0x80) {
        ward_valkind kind = (b & 0x40) ? kind_from(take_u8(&c->in)) : v.kind;
        ward_val nv = value_of(c, kind, owner, NULL);
        ward_result r = ward_global_set(g, nv);
        if (r != WARD_OK && r != WARD_ERROR)
            fail("ward_global_set", "result is not WARD_OK or WARD_ERROR");
    }
}

static void op_memory(ctx *c)
{
    uint8_t b = take_u8(&c->in);
    ward_memory *m = pick(c->memories, b, NULL);
    if (!m)
        return;
    uint64_t size = ward_memory_size(m);
    if (size % 65536)
        fail("ward_memory_size", "not whole pages");
    /* addresses near the end, or anywhere */
    uint64_t ptr = (b & 0x80) ? size - (take_u8(&c->in) % 16) : take_u64(&c->in);
    uint64_t len = take_u8(&c->in) % 32;
    ward_trap trap;
    switch ((b >> 4) % 4) {
    case 0: {
        uint8_t *p = ward_memory_span(m, ptr, len);
        if (p)
            memset(p, 0x3C, len);
        break;
    }
    case 1: {
        uint8_t *p = ward_memory_span_checked(m, ptr, len, &trap);
        if (p)
            memset(p, 0x3D, len);
        else
            check_result(WARD_TRAP, &trap, "ward_memory_span_checked");
        break;
    }
    case 2: {
        uint64_t v;
        if (!ward_memory_read_u64(m, ptr, &v, &trap))
            check_result(WARD_TRAP, &trap, "ward_memory_read_u64");
        uint32_t w;
        if (!ward_memory_read_u32(m, ptr, &w, NULL) && ward_memory_span(m, ptr, 4))
            fail("ward_memory_read_u32", "refused an in-bounds read");
        break;
    }
    default:
        if (!ward_memory_write_u32(m, ptr, (uint32_t)len, &trap))
            check_result(WARD_TRAP, &trap, "ward_memory_write_u32");
        if (!ward_memory_write_u64(m, ptr, len, NULL) && ward_memory_span(m, ptr, 8))
            fail("ward_memory_write_u64", "refused an in-bounds write");
        break;
    }
    (void)ward_memory_data(m);
}

static void op_host_object(ctx *c)
{
    int si;
    ward_store *s = store_at(c, take_u8(&c->in), &si);
    uint8_t b = take_u8(&c->in), slot_b = take_u8(&c->in);
    if (!s)
        return;
    switch (b % 6) {
    case 0:
    case 1: {
        if (c->nhosts >= NHOSTS)
            return;
        host_env *env = &c->hosts[c->nhosts++];
        env->ctx = c;
        env->mode = (host_mode)(take_u8(&c->in) % HOST_NMODES);
        env->target = take_u8(&c->in);
        env->value = take_u64(&c->in);
        env->type = host_type(b >> 3);
        put(c->funcs, slot_b, ward_func_new(s, &env->type, host_call, env), si);
        break;
    }
    case 2: {
        uint32_t min = take_u8(&c->in) % 4, max = take_u8(&c->in) % 8;
        put(c->memories, slot_b, ward_memory_new(s, min, max, (b >> 3) & 1), si);
        break;
    }
    case 3: {
        uint32_t min = take_u8(&c->in) % 8, max = take_u8(&c->in) % 16;
        ward_valkind kind = (b >> 3) & 1 ? WARD_FUNCREF : WARD_EXTERNREF;
        put(c->tables, slot_b, ward_table_new(s, kind, min, max, (b >> 4) & 1), si);
        break;
    }
    case 4: {
        ward_val v = value_of(c, kind_from(take_u8(&c->in)), si, NULL);
        put(c->globals, slot_b, ward_global_new(s, v, (b >> 3) & 1), si);
        break;
    }
    default: { /* the spectest module: more objects of this store */
        ward_linker *l = c->linkers[(b >> 3) % NLINKERS];
        if (wspectest_define(s, l) == WARD_OK)
            c->linker_owners[(b >> 3) % NLINKERS] |= 1u << si;
        break;
    }
    }
}

static void op_shared_memory(ctx *c)
{
    uint8_t b = take_u8(&c->in);
    if (b & 1) {
        uint32_t min = take_u8(&c->in) % 3, max = take_u8(&c->in) % 6;
        for (unsigned i = 0; i < POOL; i++) {
            if (!c->memories[i].obj) { /* a free slot: evicting one would leak its reference */
                c->memories[i].obj = ward_memory_new_shared(c->engine, min, max);
                c->memories[i].owner = OWNER_SHARED;
                return;
            }
        }
        return;
    }
    /* release every shared memory the pool holds: the pool's reference */
    for (unsigned i = 0; i < POOL; i++)
        if (c->memories[i].obj && c->memories[i].owner == OWNER_SHARED)
            ward_memory_release(c->memories[i].obj);
    forget_owner(c, OWNER_SHARED);
}

static void op_limits(ctx *c)
{
    int si;
    ward_store *s = store_at(c, take_u8(&c->in), &si);
    uint8_t b = take_u8(&c->in);
    if (!s)
        return;
    switch (b % 5) {
    case 0: ward_store_set_fuel(s, take_u32(&c->in) % 1000000u); break;
    case 1: ward_store_disable_fuel(s); break;
    case 2: ward_store_set_timeout(s, 1 + take_u8(&c->in) % MAX_TIMEOUT_MS); break;
    case 3: ward_store_interrupt(s); break;
    default:
        if (ward_store_fuel_enabled(s) &&
            ward_store_fuel_consumed(s) + ward_store_fuel_remaining(s) < ward_store_fuel_consumed(s))
            fail("fuel", "consumed + remaining overflows");
        break;
    }
}

static void op_table(ctx *c)
{
    ward_table *t = pick(c->tables, take_u8(&c->in), NULL);
    if (t && ward_table_size(t) > MAX_TABLE_ELEMS)
        fail("ward_table_size", "over the configured limit");
}

typedef void (*op_fn)(ctx *c);

static const op_fn ops[] = {
    op_store_new, op_store_free, op_module_load, op_module_load, op_linker_define, op_linker_define,
    op_instantiate, op_instantiate, op_call, op_call, op_call, op_global, op_memory, op_host_object,
    op_host_object, op_shared_memory, op_limits, op_table,
};
#define NOPS (sizeof ops / sizeof ops[0])

/* ---- one input --------------------------------------------------------------- */

static bool open_ctx(ctx *c, const uint8_t *data, size_t size)
{
    memset(c, 0, sizeof *c);
    c->in = (cursor){data, size};
    ward_config config;
    ward_config_default(&config);
    config.threads = true;
    config.extended_const = true;
    config.exceptions = true;
    config.multi_memory = true;
    config.memory64 = true;
    uint8_t b = take_u8(&c->in);
    config.deterministic = b & 1;
    config.interruptible = (b >> 1) & 1;
    config.max_memory_bytes = MAX_MEMORY_BYTES;
    config.max_table_elems = MAX_TABLE_ELEMS;
    static const uint32_t depths[] = {0, 1, 64, 1000, 100000, UINT32_MAX - 64, UINT32_MAX};
    config.max_call_depth = depths[(b >> 2) % (sizeof depths / sizeof depths[0])];
    static const uint32_t slots[] = {0, 1, 256, 1u << 16};
    config.max_stack_slots = slots[(b >> 5) % (sizeof slots / sizeof slots[0])];
    c->engine = ward_engine_new(&config);
    if (!c->engine)
        return false;
    for (int i = 0; i < NSTORES; i++) {
        c->stores[i] = ward_store_new(c->engine);
        if (c->stores[i])
            ward_store_set_timeout(c->stores[i], MAX_TIMEOUT_MS);
    }
    for (int l = 0; l < NLINKERS; l++)
        c->linkers[l] = ward_linker_new();
    return true;
}

static void close_ctx(ctx *c)
{
    for (int l = 0; l < NLINKERS; l++)
        ward_linker_free(c->linkers[l]);
    for (int i = 0; i < NSTORES; i++)
        ward_store_free(c->stores[i]);
    for (unsigned i = 0; i < POOL; i++)
        if (c->memories[i].obj && c->memories[i].owner == OWNER_SHARED)
            ward_memory_release(c->memories[i].obj);
    for (unsigned m = 0; m < NMODULES; m++)
        ward_module_free(c->modules[m]);
    ward_engine_free(c->engine);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ctx c; /* large; the target is single-threaded */
    if (open_ctx(&c, data, size)) {
        for (unsigned step = 0; step < MAX_STEPS && c.in.left; step++)
            ops[take_u8(&c.in) % NOPS](&c);
    }
    close_ctx(&c);
    return 0;
}
