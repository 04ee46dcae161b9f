/*
 * Unit tests of the embedding API of issue 3: the host-function calling
 * context (ward_caller) and its checked guest-memory helpers, WASI using the
 * caller's memory, link errors with types, typed import/export listings,
 * custom sections and ward_module_from_file.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../test.h"
#include "embed_modules.h"
#include "ward.h"

#define CHECK_STR(got, want) CHECK_MSG(strcmp((got), (want)) == 0, "got \"%s\", want \"%s\"", (got), (want))
#define LOAD(engine, name) load_module((engine), name##_wasm, sizeof name##_wasm)

static ward_module *load_module(ward_engine *engine, const uint8_t *bytes, size_t size)
{
    ward_error err = {0};
    ward_module *m = ward_module_new(engine, bytes, size, &err);
    CHECK_MSG(m != NULL, "module failed to load: %s", err.message);
    return m;
}

static const ward_valkind k_i32[] = {WARD_I32};
static const ward_valkind k_i64[] = {WARD_I64};
static const ward_valkind k_i32_i32[] = {WARD_I32, WARD_I32};
static const ward_valkind k_i32_i64[] = {WARD_I32, WARD_I64};
static const ward_functype type_sum = {2, 1, k_i32_i32, k_i32};
static const ward_functype type_poke = {2, 0, k_i32_i64, NULL};

/* ---- host functions using the caller ------------------------------------- */

/* What the last call saw of its caller. */
typedef struct seen {
    int calls;
    ward_store *store;
    ward_instance *instance;
    ward_memory *memory;
} seen;

/* env.sum(ptr, len): the sum of guest bytes [ptr, ptr+len), through the
 * checked span helper; an out-of-bounds span is the helper's trap. */
static ward_result host_sum(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                            ward_trap *trap)
{
    seen *s = env;
    s->calls++;
    s->store = ward_caller_store(caller);
    s->instance = ward_caller_instance(caller);
    s->memory = ward_caller_memory(caller);
    const uint8_t *p = ward_caller_span(caller, args[0].of.i32, args[1].of.i32, trap);
    if (!p)
        return WARD_TRAP;
    uint32_t sum = 0;
    for (uint32_t i = 0; i < args[1].of.i32; i++)
        sum += p[i];
    results[0] = ward_val_i32((int32_t)sum);
    return WARD_OK;
}

/* env.poke(ptr, v): store v as u64, then read it back as two u32 and as a
 * u64 through the caller's memory 0 and the plain memory helpers. */
static ward_result host_poke(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                             ward_trap *trap)
{
    (void)env;
    (void)results;
    uint64_t ptr = args[0].of.i32;
    if (!ward_caller_write_u64(caller, ptr, args[1].of.i64, trap))
        return WARD_TRAP;
    ward_memory *m = ward_caller_memory_at(caller, 0);
    uint32_t lo = 0, hi = 0;
    uint64_t whole = 0;
    if (!ward_memory_read_u32(m, ptr, &lo, trap) || !ward_caller_read_u32(caller, ptr + 4, &hi, trap) ||
        !ward_memory_read_u64(m, ptr, &whole, trap))
        return WARD_TRAP;
    CHECK(((uint64_t)hi << 32 | lo) == args[1].of.i64);
    CHECK(whole == args[1].of.i64);
    return WARD_OK;
}

typedef struct fixture {
    ward_engine *engine;
    ward_store *store;
    ward_linker *linker;
    ward_module *module;
    ward_instance *inst;
    seen seen;
} fixture;

static bool fixture_open(fixture *f, const uint8_t *bytes, size_t size)
{
    memset(f, 0, sizeof *f);
    f->engine = ward_engine_new(NULL);
    f->store = ward_store_new(f->engine);
    f->linker = ward_linker_new();
    f->module = load_module(f->engine, bytes, size);
    if (!f->module)
        return false;
    ward_linker_define_func(f->linker, "env", "sum", ward_func_new(f->store, &type_sum, host_sum, &f->seen));
    ward_linker_define_func(f->linker, "env", "poke", ward_func_new(f->store, &type_poke, host_poke, NULL));
    ward_error err;
    ward_trap trap;
    ward_result r = ward_instantiate(f->store, f->module, f->linker, &f->inst, &err, &trap);
    CHECK_MSG(r == WARD_OK, "instantiate: %s", err.message);
    return r == WARD_OK;
}

static void fixture_close(fixture *f)
{
    ward_linker_free(f->linker);
    ward_store_free(f->store);
    ward_module_free(f->module);
    ward_engine_free(f->engine);
}

static ward_result call_sum(fixture *f, uint32_t ptr, uint32_t len, uint32_t *out, ward_trap *trap)
{
    ward_val args[2] = {ward_val_i32((int32_t)ptr), ward_val_i32((int32_t)len)}, result;
    ward_result r = ward_call(f->store, ward_instance_func(f->inst, "sum"), args, 2, &result, 1, trap);
    if (r == WARD_OK)
        *out = result.of.i32;
    return r;
}

static void test_caller_context(void)
{
    fixture f;
    if (fixture_open(&f, caller_wasm, sizeof caller_wasm)) {
        uint32_t sum = 0;
        ward_trap trap;
        CHECK(call_sum(&f, 16, 5, &sum, &trap) == WARD_OK && sum == 15);
        CHECK(f.seen.calls == 1);
        CHECK(f.seen.store == f.store);
        CHECK(f.seen.instance == f.inst);
        CHECK(f.seen.memory == ward_instance_memory(f.inst, "memory"));
        /* the last byte of the memory, and an empty span at its very end */
        CHECK(call_sum(&f, 65535, 1, &sum, &trap) == WARD_OK && sum == 0);
        CHECK(call_sum(&f, 65536, 0, &sum, &trap) == WARD_OK && sum == 0);
    }
    fixture_close(&f);
}

/* A span past the end is a clean out-of-bounds trap whose backtrace names
 * the wasm function that called the host; the store stays usable. */
static void test_caller_span_out_of_bounds(void)
{
    fixture f;
    if (fixture_open(&f, caller_wasm, sizeof caller_wasm)) {
        static const uint32_t bad[][2] = {{65535, 2}, {65537, 0}, {0xffffffffu, 1}, {1, 0xffffffffu}};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            uint32_t sum = 0;
            ward_trap trap;
            memset(&trap, 0, sizeof trap);
            CHECK(call_sum(&f, bad[i][0], bad[i][1], &sum, &trap) == WARD_TRAP);
            CHECK(trap.kind == WARD_TRAP_OOB_MEMORY);
            CHECK_STR(trap.message, "out of bounds memory access");
            CHECK(trap.nframes >= 1 && trap.func_index == 2); /* the export "sum", after 2 imports */
        }
        uint32_t sum = 0;
        ward_trap trap;
        CHECK(call_sum(&f, 16, 2, &sum, &trap) == WARD_OK && sum == 3);
    }
    fixture_close(&f);
}

static void test_caller_u32_u64(void)
{
    fixture f;
    if (fixture_open(&f, caller_wasm, sizeof caller_wasm)) {
        ward_trap trap;
        ward_val args[2] = {ward_val_i32(100), ward_val_i64((int64_t)0x1122334455667788)}, result;
        CHECK(ward_call(f.store, ward_instance_func(f.inst, "poke"), args, 2, NULL, 0, &trap) == WARD_OK);
        /* the guest sees the host's little-endian store */
        CHECK(ward_call(f.store, ward_instance_func(f.inst, "load64"), args, 1, &result, 1, &trap) == WARD_OK);
        CHECK(result.of.i64 == 0x1122334455667788u);
        const uint8_t *p = ward_memory_data(ward_instance_memory(f.inst, "memory")) + 100;
        CHECK(p[0] == 0x88 && p[7] == 0x11);
        /* 8 bytes at 65529 end one byte past the memory */
        args[0] = ward_val_i32(65529);
        CHECK(ward_call(f.store, ward_instance_func(f.inst, "poke"), args, 2, NULL, 0, &trap) == WARD_TRAP);
        CHECK(trap.kind == WARD_TRAP_OOB_MEMORY);
        args[0] = ward_val_i32(65528);
        CHECK(ward_call(f.store, ward_instance_func(f.inst, "poke"), args, 2, NULL, 0, &trap) == WARD_OK);
    }
    fixture_close(&f);
}

/* The helpers on their own: NULL memory, NULL trap, edges. */
static void test_memory_helpers(void)
{
    ward_engine *e = ward_engine_new(NULL);
    ward_store *s = ward_store_new(e);
    ward_memory *m = ward_memory_new(s, 1, 1, true);
    ward_trap trap;
    uint32_t v32 = 7;
    uint64_t v64 = 7;
    CHECK(ward_memory_span_checked(m, 0, 65536, &trap) == ward_memory_data(m));
    CHECK(ward_memory_span_checked(m, 1, 65536, &trap) == NULL && trap.kind == WARD_TRAP_OOB_MEMORY);
    CHECK(ward_memory_span_checked(m, UINT64_MAX, 2, NULL) == NULL);
    CHECK(ward_memory_write_u32(m, 65532, 0xa1b2c3d4u, &trap));
    CHECK(ward_memory_read_u32(m, 65532, &v32, &trap) && v32 == 0xa1b2c3d4u);
    CHECK(!ward_memory_read_u32(m, 65533, &v32, NULL) && v32 == 0xa1b2c3d4u); /* untouched on failure */
    CHECK(!ward_memory_write_u64(m, 65529, 1, NULL));
    CHECK(!ward_memory_read_u64(NULL, 0, &v64, &trap) && trap.kind == WARD_TRAP_OOB_MEMORY && v64 == 7);
    CHECK(ward_memory_write_u64(m, 3, 0x0102030405060708u, NULL)); /* unaligned is fine */
    CHECK(ward_memory_read_u64(m, 3, &v64, NULL) && v64 == 0x0102030405060708u);
    ward_store_free(s);
    ward_engine_free(e);
}

/* A module without memory: the span helpers trap; one whose memory is
 * exported under another name: memory 0 is the default. */
static void test_caller_memory_choice(void)
{
    fixture f;
    if (fixture_open(&f, nomem_wasm, sizeof nomem_wasm)) {
        uint32_t sum = 0;
        ward_trap trap;
        CHECK(call_sum(&f, 0, 0, &sum, &trap) == WARD_TRAP && trap.kind == WARD_TRAP_OOB_MEMORY);
        CHECK(f.seen.instance == f.inst && f.seen.memory == NULL);
    }
    fixture_close(&f);
    if (fixture_open(&f, heap_wasm, sizeof heap_wasm)) {
        uint32_t sum = 0;
        ward_trap trap;
        CHECK(call_sum(&f, 0, 2, &sum, &trap) == WARD_OK && sum == 15);
        CHECK(f.seen.memory == ward_instance_memory(f.inst, "heap"));
    }
    fixture_close(&f);
}

/* Two instances share one host function: each call sees its own caller. */
static void test_shared_host_function(void)
{
    ward_engine *e = ward_engine_new(NULL);
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    ward_module *m = LOAD(e, caller);
    seen seen = {0};
    ward_linker_define_func(l, "env", "sum", ward_func_new(s, &type_sum, host_sum, &seen));
    ward_linker_define_func(l, "env", "poke", ward_func_new(s, &type_poke, host_poke, NULL));
    ward_instance *a = NULL, *b = NULL;
    ward_error err;
    ward_trap trap;
    if (m && ward_instantiate(s, m, l, &a, &err, &trap) == WARD_OK &&
        ward_instantiate(s, m, l, &b, &err, &trap) == WARD_OK) {
        ward_memory_data(ward_instance_memory(b, "memory"))[16] = 100;
        ward_val args[2] = {ward_val_i32(16), ward_val_i32(1)}, r;
        CHECK(ward_call(s, ward_instance_func(a, "sum"), args, 2, &r, 1, &trap) == WARD_OK && r.of.i32 == 1);
        CHECK(seen.instance == a);
        CHECK(ward_call(s, ward_instance_func(b, "sum"), args, 2, &r, 1, &trap) == WARD_OK && r.of.i32 == 100);
        CHECK(seen.instance == b && seen.memory == ward_instance_memory(b, "memory"));
    } else {
        CHECK_MSG(false, "instantiate: %s", err.message);
    }
    ward_linker_free(l);
    ward_store_free(s);
    ward_module_free(m);
    ward_engine_free(e);
}

/* The host calling a host function itself: no instance, no memory. */
static void test_caller_from_host(void)
{
    ward_engine *e = ward_engine_new(NULL);
    ward_store *s = ward_store_new(e);
    seen seen = {0};
    ward_func *f = ward_func_new(s, &type_sum, host_sum, &seen);
    ward_val args[2] = {ward_val_i32(0), ward_val_i32(0)}, r;
    ward_trap trap;
    CHECK(ward_call(s, f, args, 2, &r, 1, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_OOB_MEMORY);
    CHECK(seen.calls == 1 && seen.store == s && seen.instance == NULL && seen.memory == NULL);
    CHECK(ward_caller_store(NULL) == NULL && ward_caller_memory(NULL) == NULL);
    ward_store_free(s);
    ward_engine_free(e);
}

/* Two instances share one ward_wasi: args_sizes_get writes into the memory
 * of whichever instance calls, with no ward_wasi_bind_instance at all. */
static void test_wasi_uses_caller_memory(void)
{
    ward_engine *e = ward_engine_new(NULL);
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    ward_module *m = LOAD(e, wasi_args);
    ward_wasi_config cfg;
    ward_wasi_config_default(&cfg);
    const char *argv[] = {"prog", "one", "three"};
    cfg.argc = 3;
    cfg.argv = argv;
    ward_error err;
    ward_wasi *w = ward_wasi_new(&cfg, &err);
    CHECK(w && ward_wasi_define(w, l, s) == WARD_OK);
    ward_instance *inst[2] = {NULL, NULL};
    ward_trap trap;
    for (int i = 0; m && i < 2; i++)
        CHECK_MSG(ward_instantiate(s, m, l, &inst[i], &err, &trap) == WARD_OK, "%s", err.message);
    for (int i = 0; inst[0] && inst[1] && i < 2; i++) {
        ward_val r;
        CHECK(ward_call(s, ward_instance_func(inst[i], "go"), NULL, 0, &r, 1, &trap) == WARD_OK);
        CHECK(r.of.i32 == 0); /* ESUCCESS, not EFAULT */
        const uint8_t *mem = ward_memory_data(ward_instance_memory(inst[i], "memory"));
        CHECK(mem[0] == 3 && mem[4] == 15); /* argc, "prog\0one\0three\0" */
    }
    ward_linker_free(l);
    ward_store_free(s);
    ward_wasi_free(w);
    ward_module_free(m);
    ward_engine_free(e);
}

/* ---- link errors ------------------------------------------------------------ */

static const ward_valkind k_i32_f64[] = {WARD_I32, WARD_F64};
static const ward_valkind k_f64[] = {WARD_F64};

static void link_expect(ward_store *s, ward_module *m, ward_linker *l, const char *want)
{
    ward_instance *inst = NULL;
    ward_error err = {0};
    ward_trap trap;
    CHECK(ward_instantiate(s, m, l, &inst, &err, &trap) == WARD_ERROR);
    CHECK(inst == NULL);
    CHECK_STR(err.message, want);
}

/* linkerr imports foo ()->(), bar (i32)->i32, mem (memory 2), multi
 * (i32, f64)->(i32, i64), tab (table 3 externref), glob (mut f32): each
 * step fixes one import and the next error shows. */
static void test_link_errors(void)
{
    ward_engine *e = ward_engine_new(NULL);
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    ward_module *m = LOAD(e, linkerr);
    if (m) {
        const ward_functype none = {0, 0, NULL, NULL}, i64_i32 = {1, 1, k_i64, k_i32},
                            i32_i32 = {1, 1, k_i32, k_i32}, f64_none = {1, 0, k_f64, NULL},
                            multi = {2, 2, k_i32_f64, k_i32_i64};
        ward_func *nop = ward_func_new(s, &none, host_sum, NULL); /* never called */
        link_expect(s, m, NULL, "unknown import env.foo");
        link_expect(s, m, l, "unknown import env.foo");
        ward_linker_define_func(l, "env", "foo", nop);
        ward_linker_define_func(l, "env", "bar", ward_func_new(s, &i64_i32, host_sum, NULL));
        link_expect(s, m, l, "incompatible import type for env.bar: expected (i32)->i32, got (i64)->i32");
        ward_linker_define_func(l, "env", "bar", ward_func_new(s, &i32_i32, host_sum, NULL));
        link_expect(s, m, l, "unknown import env.mem");
        ward_linker_define_memory(l, "env", "mem", ward_memory_new(s, 1, 0, false));
        link_expect(s, m, l, "incompatible import type for env.mem: expected memory with at least 2 pages, got 1");
        ward_linker_define_func(l, "env", "mem", nop);
        link_expect(s, m, l, "incompatible import type for env.mem: expected memory, got function ()->()");
        ward_linker_define_memory(l, "env", "mem", ward_memory_new(s, 2, 0, false));
        ward_linker_define_func(l, "env", "multi", ward_func_new(s, &f64_none, host_sum, NULL));
        link_expect(s, m, l,
                    "incompatible import type for env.multi: expected (i32, f64)->(i32, i64), got (f64)->()");
        ward_linker_define_func(l, "env", "multi", ward_func_new(s, &multi, host_sum, NULL));
        ward_linker_define_table(l, "env", "tab", ward_table_new(s, WARD_FUNCREF, 3, 0, false));
        link_expect(s, m, l, "incompatible import type for env.tab: expected externref table, got funcref table");
        ward_linker_define_table(l, "env", "tab", ward_table_new(s, WARD_EXTERNREF, 2, 0, false));
        link_expect(s, m, l, "incompatible import type for env.tab: expected table with at least 3 elements, got 2");
        ward_linker_define_table(l, "env", "tab", ward_table_new(s, WARD_EXTERNREF, 3, 0, false));
        ward_linker_define_global(l, "env", "glob", ward_global_new(s, ward_val_f32(1), false));
        link_expect(s, m, l,
                    "incompatible import type for env.glob: expected mutable global f32, got immutable global f32");
        ward_linker_define_global(l, "env", "glob", ward_global_new(s, ward_val_f64(1), true));
        link_expect(s, m, l,
                    "incompatible import type for env.glob: expected mutable global f32, got mutable global f64");
        ward_linker_define_global(l, "env", "glob", ward_global_new(s, ward_val_f32(1), true));
        ward_instance *inst = NULL;
        ward_error err;
        ward_trap trap;
        CHECK_MSG(ward_instantiate(s, m, l, &inst, &err, &trap) == WARD_OK, "%s", err.message);
    }
    ward_linker_free(l);
    ward_store_free(s);
    ward_module_free(m);
    ward_engine_free(e);
}

/* A shared memory (threads) offered for an unshared import, and the other
 * way round; the export's type says shared. */
static void test_link_shared_memory(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.threads = true;
    ward_engine *e = ward_engine_new(&cfg);
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    ward_module *shared = LOAD(e, shared), *unshared = LOAD(e, unshared_import);
    ward_instance *inst = NULL;
    ward_error err;
    ward_trap trap;
    if (shared && unshared && ward_instantiate(s, shared, l, &inst, &err, &trap) == WARD_OK) {
        ward_externtype t;
        CHECK(ward_module_export_type(shared, 0, &t) && t.kind == WARD_EXTERN_MEMORY && t.of.memory.shared);
        CHECK(t.of.memory.min_pages == 1 && t.of.memory.has_max && t.of.memory.max_pages == 2);
        ward_linker_define_instance(l, "env", inst);
        link_expect(s, unshared, l,
                    "incompatible import type for env.memory: expected unshared memory, got shared memory");
        ward_module *wants_shared = LOAD(e, shared_import);
        ward_linker_define_memory(l, "env", "memory", ward_memory_new(s, 1, 2, true));
        if (wants_shared)
            link_expect(s, wants_shared, l,
                        "incompatible import type for env.memory: expected shared memory, got unshared memory");
        ward_module_free(wants_shared);
    } else {
        CHECK_MSG(false, "shared memory module: %s", err.message);
    }
    ward_linker_free(l);
    ward_store_free(s);
    ward_module_free(shared);
    ward_module_free(unshared);
    ward_engine_free(e);
}

/* ---- introspection ---------------------------------------------------------- */

static void test_import_types(void)
{
    ward_engine *e = ward_engine_new(NULL);
    ward_module *m = LOAD(e, linkerr);
    if (m) {
        ward_externtype t;
        CHECK(ward_module_import_count(m) == 6);
        CHECK(ward_module_import_type(m, 0, &t) && t.kind == WARD_EXTERN_FUNC);
        CHECK(t.of.func.nparams == 0 && t.of.func.nresults == 0);
        CHECK(ward_module_import_type(m, 2, &t) && t.kind == WARD_EXTERN_MEMORY);
        CHECK(t.of.memory.min_pages == 2 && !t.of.memory.has_max && !t.of.memory.shared);
        CHECK(ward_module_import_type(m, 3, &t) && t.kind == WARD_EXTERN_FUNC);
        CHECK(t.of.func.nparams == 2 && t.of.func.params[0] == WARD_I32 && t.of.func.params[1] == WARD_F64);
        CHECK(t.of.func.nresults == 2 && t.of.func.results[0] == WARD_I32 && t.of.func.results[1] == WARD_I64);
        CHECK(ward_module_import_type(m, 4, &t) && t.kind == WARD_EXTERN_TABLE);
        CHECK(t.of.table.elem == WARD_EXTERNREF && t.of.table.min == 3 && !t.of.table.has_max);
        CHECK(ward_module_import_type(m, 5, &t) && t.kind == WARD_EXTERN_GLOBAL);
        CHECK(t.of.global.kind == WARD_F32 && t.of.global.mutable_);
        CHECK(!ward_module_import_type(m, 6, &t) && t.kind == 0);
        ward_import_info info;
        ward_module_import(m, 3, &info);
        CHECK_STR(info.module, "env");
        CHECK_STR(info.name, "multi");
    }
    ward_module_free(m);
    ward_engine_free(e);
}

static void test_export_types(void)
{
    ward_engine *e = ward_engine_new(NULL);
    ward_module *m = LOAD(e, typed);
    if (m) {
        static const struct {
            const char *name;
            ward_extern_kind kind;
        } want[] = {{"f", WARD_EXTERN_FUNC},    {"t", WARD_EXTERN_TABLE},  {"m", WARD_EXTERN_MEMORY},
                    {"gm", WARD_EXTERN_GLOBAL}, {"g_again", WARD_EXTERN_GLOBAL}};
        CHECK(ward_module_export_count(m) == 5);
        for (uint32_t i = 0; i < 5 && i < ward_module_export_count(m); i++) {
            ward_export_info info;
            ward_externtype t;
            ward_module_export(m, i, &info);
            CHECK_STR(info.name, want[i].name);
            CHECK(ward_module_export_type(m, i, &t) && t.kind == want[i].kind && info.kind == want[i].kind);
        }
        ward_externtype t;
        ward_module_export_type(m, 0, &t);
        CHECK(t.of.func.nparams == 2 && t.of.func.params[1] == WARD_F64 && t.of.func.nresults == 2 &&
              t.of.func.results[1] == WARD_I64);
        ward_module_export_type(m, 1, &t);
        CHECK(t.of.table.elem == WARD_FUNCREF && t.of.table.min == 2 && t.of.table.has_max && t.of.table.max == 7);
        ward_module_export_type(m, 2, &t);
        CHECK(t.of.memory.min_pages == 1 && t.of.memory.has_max && t.of.memory.max_pages == 3);
        ward_module_export_type(m, 3, &t);
        CHECK(t.of.global.kind == WARD_I32 && t.of.global.mutable_);
        ward_module_export_type(m, 4, &t); /* the imported global, re-exported */
        CHECK(t.of.global.kind == WARD_I64 && !t.of.global.mutable_);
        CHECK(!ward_module_export_type(m, 5, &t));
    }
    ward_module_free(m);
    ward_engine_free(e);
}

static void test_custom_sections(void)
{
    ward_engine *e = ward_engine_new(NULL);
    ward_module *m = LOAD(e, typed);
    if (m) {
        const uint8_t *data = NULL;
        size_t len = 99;
        CHECK(ward_module_custom_count(m) == 3);
        CHECK(ward_module_custom_section(m, "producer", 0, &data, &len) && len == 3 && memcmp(data, "abc", 3) == 0);
        CHECK(ward_module_custom_section(m, "producer", 1, &data, &len) && len == 4 && memcmp(data, "xyz!", 4) == 0);
        CHECK(!ward_module_custom_section(m, "producer", 2, &data, &len));
        CHECK(ward_module_custom_section(m, "note", 0, &data, &len) && len == 0);
        CHECK(!ward_module_custom_section(m, "produce", 0, &data, &len));
        CHECK(!ward_module_custom_section(m, "name", 0, &data, &len));
        const char *name = NULL;
        size_t name_len = 0;
        CHECK(ward_module_custom_at(m, 1, &name, &name_len, &data, &len));
        CHECK(name_len == 4 && memcmp(name, "note", 4) == 0 && len == 0);
        CHECK(!ward_module_custom_at(m, 3, &name, &name_len, &data, &len));
    }
    ward_module_free(m);
    ward_engine_free(e);
}

/* ---- loading from files ----------------------------------------------------- */

static bool write_file(const char *path, const void *bytes, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(bytes, 1, size, f) == size;
    return fclose(f) == 0 && ok;
}

static void test_module_from_file(void)
{
    char dir[] = "/tmp/ward-embed-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK_MSG(false, "mkdtemp: %s", strerror(errno));
        return;
    }
    char good[64], bad[64], missing[64];
    snprintf(good, sizeof good, "%s/good.wasm", dir);
    snprintf(bad, sizeof bad, "%s/bad.wasm", dir);
    snprintf(missing, sizeof missing, "%s/missing.wasm", dir);
    CHECK(write_file(good, typed_wasm, sizeof typed_wasm));
    CHECK(write_file(bad, typed_wasm, 20)); /* cut inside the first section */

    ward_engine *e = ward_engine_new(NULL);
    ward_error err = {0};
    ward_module *m = ward_module_from_file(e, good, &err);
    CHECK_MSG(m != NULL, "%s", err.message);
    CHECK(m && ward_module_export_count(m) == 5 && ward_module_custom_count(m) == 3);
    ward_module_free(m);

    char want[256];
    CHECK(ward_module_from_file(e, missing, &err) == NULL);
    snprintf(want, sizeof want, "cannot open %s: %s", missing, strerror(ENOENT));
    CHECK_STR(err.message, want);
    CHECK(ward_module_from_file(e, dir, &err) == NULL);
    snprintf(want, sizeof want, "cannot read %s: %s", dir, strerror(EISDIR));
    CHECK_STR(err.message, want);
    CHECK(ward_module_from_file(e, bad, &err) == NULL);
    snprintf(want, sizeof want, "%s: ", bad);
    CHECK_MSG(strncmp(err.message, want, strlen(want)) == 0 && strlen(err.message) > strlen(want), "%s",
              err.message);
    CHECK(ward_module_from_file(e, NULL, &err) == NULL);
    CHECK(ward_module_from_file(e, missing, NULL) == NULL); /* err may be NULL */
    ward_engine_free(e);

    unlink(good);
    unlink(bad);
    rmdir(dir);
}

int main(void)
{
    test_caller_context();
    test_caller_span_out_of_bounds();
    test_caller_u32_u64();
    test_memory_helpers();
    test_caller_memory_choice();
    test_shared_host_function();
    test_caller_from_host();
    test_wasi_uses_caller_memory();
    test_link_errors();
    test_link_shared_memory();
    test_import_types();
    test_export_types();
    test_custom_sections();
    test_module_from_file();
    return test_summary("embed_api");
}
