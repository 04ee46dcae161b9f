/*
 * Unit tests of src/runtime: linking and import matching, exports,
 * instantiation order (globals, segments, traps), memories, tables, globals,
 * fuel accessors and ward_call's argument checks.
 */
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "../test_wat.h"
#include "modules.h"
#include "runtime/runtime.h"

/* Exact message comparison, printing both on a mismatch. */
#define CHECK_STR(got, want) CHECK_MSG(strcmp((got), (want)) == 0, "got \"%s\", want \"%s\"", (got), (want))

#define LOAD(engine, name) load_module((engine), name##_wasm, sizeof name##_wasm)

static ward_module *load_module(ward_engine *engine, const uint8_t *bytes, size_t size)
{
    ward_error err = {0};
    ward_module *m = ward_module_new(engine, bytes, size, &err);
    CHECK_MSG(m != NULL, "module failed to load: %s", err.message);
    return m;
}

static ward_result host_add(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                            ward_trap *trap)
{
    (void)caller;
    (void)trap;
    if (env)
        (*(int *)env)++;
    results[0].of.i32 = args[0].of.i32 + (uint32_t)args[1].of.i64;
    return WARD_OK;
}

static ward_result host_identity(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                                 ward_trap *trap)
{
    (void)env;
    (void)caller;
    (void)trap;
    results[0] = args[0];
    return WARD_OK;
}

static const ward_valkind k_i32[] = {WARD_I32};
static const ward_valkind k_i64[] = {WARD_I64};
static const ward_valkind k_i32_i64[] = {WARD_I32, WARD_I64};
static const ward_functype type_i32_to_i32 = {1, 1, k_i32, k_i32};
static const ward_functype type_i64_to_i64 = {1, 1, k_i64, k_i64};
static const ward_functype type_log = {2, 1, k_i32_i64, k_i32};

/* Everything mini.wasm imports, correctly typed. */
typedef struct env_objects {
    ward_table *t;
    ward_memory *m;
    ward_global *g;
    ward_func *f;
} env_objects;

static env_objects define_env(ward_store *s, ward_linker *l)
{
    env_objects o;
    o.t = ward_table_new(s, WARD_FUNCREF, 1, 0, false);
    o.m = ward_memory_new(s, 1, 2, true);
    o.g = ward_global_new(s, ward_val_i32(42), false);
    o.f = ward_func_new(s, &type_i32_to_i32, host_identity, NULL);
    ward_linker_define_table(l, "env", "t", o.t);
    ward_linker_define_memory(l, "env", "m", o.m);
    ward_linker_define_global(l, "env", "g", o.g);
    ward_linker_define_func(l, "env", "f", o.f);
    return o;
}

/* Instantiate and return the result; *msg gets the error message. */
static ward_result try_instantiate(ward_store *s, ward_module *m, ward_linker *l, ward_error *err)
{
    ward_instance *inst = NULL;
    ward_trap trap;
    memset(err, 0, sizeof *err);
    ward_result r = ward_instantiate(s, m, l, &inst, err, &trap);
    CHECK((r == WARD_OK) == (inst != NULL));
    return r;
}

static void test_config(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    CHECK(cfg.max_call_depth == 10000);
    CHECK(cfg.max_stack_slots == 1u << 20);
    CHECK(cfg.simd && !cfg.threads);
    cfg.max_call_depth = 0;
    cfg.max_stack_slots = 77;
    ward_engine *e = ward_engine_new(&cfg);
    CHECK(e && e->config.max_call_depth == 10000 && e->config.max_stack_slots == 77);
    ward_engine_free(e);
}

static void test_listings(ward_engine *e)
{
    ward_module *m = LOAD(e, imports);
    if (!m)
        return;
    CHECK(ward_module_import_count(m) == 5);
    CHECK(ward_module_export_count(m) == 6);
    ward_import_info imp;
    ward_module_import(m, 0, &imp);
    CHECK(strcmp(imp.module, "env") == 0 && imp.module_len == 3);
    CHECK(strcmp(imp.name, "f") == 0 && imp.name_len == 1 && imp.kind == WARD_EXTERN_FUNC);
    ward_module_import(m, 2, &imp);
    CHECK(strcmp(imp.name, "m") == 0 && imp.kind == WARD_EXTERN_MEMORY);
    ward_module_import(m, 4, &imp);
    CHECK(strcmp(imp.name, "mg") == 0 && imp.kind == WARD_EXTERN_GLOBAL);
    ward_export_info exp;
    ward_module_export(m, 1, &exp);
    CHECK(strcmp(exp.name, "copy") == 0 && exp.name_len == 4 && exp.kind == WARD_EXTERN_GLOBAL);
    ward_module_export(m, 4, &exp);
    CHECK(strcmp(exp.name, "tab") == 0 && exp.kind == WARD_EXTERN_TABLE);
    ward_module_export(m, 99, &exp);
    CHECK(exp.name == NULL);
    ward_module_free(m);
}

static void test_bad_module(ward_engine *e)
{
    static const uint8_t garbage[] = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00};
    ward_error err = {0};
    CHECK(ward_module_new(e, garbage, sizeof garbage, &err) == NULL);
    CHECK(err.message[0] != '\0');
}

/* Instantiate mini.wasm with one import of the environment replaced. */
typedef enum {
    BREAK_NONE,
    DROP_T,
    T_AS_MEMORY,
    T_EXTERNREF,
    G_TYPE,
    G_MUT,
    F_TYPE,
    M_MIN,
    M_NOMAX,
    M_BIGMAX,
    F_AS_GLOBAL
} wbreak;

static ward_result instantiate_mini(ward_engine *e, ward_module *mini, wbreak how, ward_error *err)
{
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    env_objects o = define_env(s, l);
    switch (how) {
    case BREAK_NONE:
        break;
    case DROP_T: {
        ward_linker *fresh = ward_linker_new();
        ward_linker_define_memory(fresh, "env", "m", o.m);
        ward_linker_free(l);
        l = fresh;
        break;
    }
    case T_AS_MEMORY:
        ward_linker_define_memory(l, "env", "t", o.m);
        break;
    case T_EXTERNREF:
        ward_linker_define_table(l, "env", "t", ward_table_new(s, WARD_EXTERNREF, 1, 0, false));
        break;
    case G_TYPE:
        ward_linker_define_global(l, "env", "g", ward_global_new(s, ward_val_i64(1), false));
        break;
    case G_MUT:
        ward_linker_define_global(l, "env", "g", ward_global_new(s, ward_val_i32(1), true));
        break;
    case F_TYPE:
        ward_linker_define_func(l, "env", "f", ward_func_new(s, &type_i64_to_i64, host_identity, NULL));
        break;
    case M_MIN:
        ward_linker_define_memory(l, "env", "m", ward_memory_new(s, 0, 2, true));
        break;
    case M_NOMAX:
        ward_linker_define_memory(l, "env", "m", ward_memory_new(s, 1, 0, false));
        break;
    case M_BIGMAX:
        ward_linker_define_memory(l, "env", "m", ward_memory_new(s, 1, 3, true));
        break;
    case F_AS_GLOBAL:
        ward_linker_define_global(l, "env", "f", ward_global_new(s, ward_val_i32(1), false));
        break;
    }
    ward_result r = try_instantiate(s, mini, l, err);
    ward_linker_free(l);
    ward_store_free(s);
    return r;
}

static void test_import_matching(ward_engine *e)
{
    ward_module *mini = LOAD(e, mini);
    if (!mini)
        return;
    ward_error err;
    CHECK_MSG(instantiate_mini(e, mini, BREAK_NONE, &err) == WARD_OK, "%s", err.message);
    CHECK(instantiate_mini(e, mini, DROP_T, &err) == WARD_ERROR);
    CHECK_STR(err.message, "unknown import env.t");
    /* Each mismatch says what the import expected and what it got. */
    static const struct {
        wbreak how;
        const char *message;
    } incompatible[] = {
        {T_AS_MEMORY, "incompatible import type for env.t: expected funcref table, got memory"},
        {T_EXTERNREF, "incompatible import type for env.t: expected funcref table, got externref table"},
        {G_TYPE, "incompatible import type for env.g: expected immutable global i32, got immutable global i64"},
        {G_MUT, "incompatible import type for env.g: expected immutable global i32, got mutable global i32"},
        {F_TYPE, "incompatible import type for env.f: expected (i32)->i32, got (i64)->i64"},
        {M_MIN, "incompatible import type for env.m: expected memory with at least 1 page, got 0"},
        {M_NOMAX, "incompatible import type for env.m: expected memory with at most 2 pages, got no maximum"},
        {M_BIGMAX, "incompatible import type for env.m: expected memory with at most 2 pages, got at most 3"},
        {F_AS_GLOBAL, "incompatible import type for env.f: expected function (i32)->i32, got immutable global i32"},
    };
    for (size_t i = 0; i < sizeof incompatible / sizeof incompatible[0]; i++) {
        CHECK_MSG(instantiate_mini(e, mini, incompatible[i].how, &err) == WARD_ERROR, "case %zu", i);
        CHECK_STR(err.message, incompatible[i].message);
    }
    ward_module_free(mini);
}

/* tabmax imports (table 1 5): the actual table must have a max <= 5. */
static void test_table_limits(ward_engine *e)
{
    ward_module *m = LOAD(e, tabmax);
    if (!m)
        return;
    static const struct {
        uint32_t min, max;
        bool has_max, ok;
        const char *message;
    } cases[] = {
        {1, 5, true, true, NULL},
        {3, 4, true, true, NULL},
        {1, 6, true, false, "incompatible import type for env.t: expected table with at most 5 elements, got at most 6"},
        {1, 0, false, false, "incompatible import type for env.t: expected table with at most 5 elements, got no maximum"},
        {0, 5, true, false, "incompatible import type for env.t: expected table with at least 1 element, got 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ward_store *s = ward_store_new(e);
        ward_linker *l = ward_linker_new();
        ward_linker_define_table(
            l, "env", "t", ward_table_new(s, WARD_FUNCREF, cases[i].min, cases[i].max, cases[i].has_max));
        ward_error err;
        ward_result r = try_instantiate(s, m, l, &err);
        CHECK_MSG((r == WARD_OK) == cases[i].ok, "table case %zu: %s", i, err.message);
        if (cases[i].message)
            CHECK_STR(err.message, cases[i].message);
        ward_linker_free(l);
        ward_store_free(s);
    }
    ward_module_free(m);
}

/* A table grown past the import's minimum matches by its current size. */
static void test_grown_table_matches(ward_engine *e)
{
    ward_module *m = LOAD(e, tabmax);
    if (!m)
        return;
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    ward_table *t = ward_table_new(s, WARD_FUNCREF, 0, 5, true);
    ward_linker_define_table(l, "env", "t", t);
    ward_error err;
    CHECK(try_instantiate(s, m, l, &err) == WARD_ERROR);
    CHECK(wtable_grow(t, 1, NULL) == 0);
    CHECK_MSG(try_instantiate(s, m, l, &err) == WARD_OK, "%s", err.message);
    ward_linker_free(l);
    ward_store_free(s);
    ward_module_free(m);
}

static void test_linker_replaces(ward_engine *e)
{
    ward_module *m = LOAD(e, mutg);
    if (!m)
        return;
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    ward_error err;
    ward_linker_define_global(l, "env", "mg", ward_global_new(s, ward_val_i32(1), false));
    CHECK(try_instantiate(s, m, l, &err) == WARD_ERROR);
    ward_linker_define_global(l, "env", "mg", ward_global_new(s, ward_val_i32(1), true));
    CHECK_MSG(try_instantiate(s, m, l, &err) == WARD_OK, "%s", err.message);
    ward_linker_define_func(l, "env", "mg", ward_func_new(s, &type_i32_to_i32, host_identity, NULL));
    CHECK(try_instantiate(s, m, l, &err) == WARD_ERROR);
    CHECK_CONTAINS(err.message, "incompatible import type");
    ward_linker_free(l);
    ward_store_free(s);
    ward_module_free(m);
}

/* Many definitions: each name keeps its own object through the linker's
 * index growth and replacement, and a module/field split never matches a
 * different split of the same bytes ("env"+"g1" is not "en"+"vg1"). */
static void test_linker_many_names(ward_engine *e)
{
    static const char wat[] =
        "(module (import \"env\" \"g2999\" (global $a i32)) (import \"env\" \"g5\" (global $b i32))\n"
        "  (import \"en\" \"vg1\" (global $c i32)) (import \"env\" \"g7\" (global $d i32))\n"
        "  (func (export \"get\") (param i32) (result i32)\n"
        "    (select (select (global.get $a) (global.get $b) (i32.eq (local.get 0) (i32.const 0)))\n"
        "            (select (global.get $c) (global.get $d) (i32.eq (local.get 0) (i32.const 2)))\n"
        "            (i32.lt_u (local.get 0) (i32.const 2)))))";
    ward_error err = {0};
    ward_module *m = test_wat_module(e, wat, &err);
    CHECK_MSG(m != NULL, "%s", err.message);
    if (!m)
        return;
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    char name[16];
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "g%d", i);
        CHECK(ward_linker_define_global(l, "env", name, ward_global_new(s, ward_val_i32(10 * i), false)) == WARD_OK);
    }
    for (int i = 0; i < 3000; i += 7) {
        snprintf(name, sizeof name, "g%d", i);
        ward_linker_define_global(l, "env", name, ward_global_new(s, ward_val_i32(i), false));
    }
    ward_linker_define_global(l, "en", "vg1", ward_global_new(s, ward_val_i32(-5), false));
    ward_instance *inst = NULL;
    ward_trap trap;
    CHECK_MSG(ward_instantiate(s, m, l, &inst, &err, &trap) == WARD_OK, "%s", err.message);
    ward_func *get = inst ? ward_instance_func(inst, "get") : NULL;
    static const int32_t expect[] = {29990, 50, -5, 7}; /* g2999 and g5 as first defined, g7 replaced */
    for (int i = 0; get && i < 4; i++) {
        ward_val arg = ward_val_i32(i), res;
        CHECK(ward_call(s, get, &arg, 1, &res, 1, &trap) == WARD_OK);
        CHECK_MSG((int32_t)res.of.i32 == expect[i], "import %d read %d", i, (int)res.of.i32);
    }
    ward_linker_free(l);
    ward_store_free(s);
    ward_module_free(m);
}

/* imports.wasm: exports by name and kind, global init from an imported
 * global, ref.func in a global initialiser, define_instance round trip. */
static void test_exports_and_globals(ward_engine *e)
{
    ward_module *m = LOAD(e, imports);
    if (!m)
        return;
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    ward_func *f = ward_func_new(s, &type_i32_to_i32, host_identity, NULL);
    ward_table *t = ward_table_new(s, WARD_FUNCREF, 2, 10, true);
    ward_memory *mem = ward_memory_new(s, 1, 4, true);
    ward_linker_define_func(l, "env", "f", f);
    ward_linker_define_table(l, "env", "t", t);
    ward_linker_define_memory(l, "env", "m", mem);
    ward_linker_define_global(l, "env", "g", ward_global_new(s, ward_val_i32(-5), false));
    ward_linker_define_global(l, "env", "mg", ward_global_new(s, ward_val_i64(9), true));
    ward_instance *inst = NULL;
    ward_error err = {0};
    ward_trap trap;
    CHECK_MSG(ward_instantiate(s, m, l, &inst, &err, &trap) == WARD_OK, "%s", err.message);
    if (inst) {
        ward_global *copy = ward_instance_global(inst, "copy");
        CHECK(copy && ward_global_get(copy).kind == WARD_I32 && (int32_t)ward_global_get(copy).of.i32 == -5);
        ward_func *own = ward_instance_func(inst, "own");
        ward_global *fref = ward_instance_global(inst, "fref");
        CHECK(own && own->inst == inst && own->func_index == 1);
        CHECK(fref && ward_global_get(fref).kind == WARD_FUNCREF && ward_global_get(fref).of.funcref == own);
        CHECK(ward_instance_func(inst, "imported_f") == f);
        CHECK(ward_instance_memory(inst, "mem") == mem);
        CHECK(ward_instance_table(inst, "tab") == t);
        CHECK(ward_instance_func(inst, "mem") == NULL);
        CHECK(ward_instance_global(inst, "own") == NULL);
        CHECK(ward_instance_func(inst, "absent") == NULL);
        CHECK(ward_instance_func(inst, "ow") == NULL);
        ward_functype ft;
        ward_func_type(own, &ft);
        CHECK(ft.nparams == 0 && ft.nresults == 1 && ft.results[0] == WARD_I32);
        ward_func_type(f, &ft);
        CHECK(ft.nparams == 1 && ft.params[0] == WARD_I32 && ft.results[0] == WARD_I32);
        CHECK(ward_linker_define_instance(l, "inst", inst) == WARD_OK);
    }
    /* The exports now satisfy a second module's imports by the new names. */
    ward_module *mini = LOAD(e, mini);
    if (inst && mini) {
        ward_linker *l2 = ward_linker_new();
        ward_linker_define_instance(l2, "env", inst);
        ward_linker_define_global(l2, "env", "g", ward_global_new(s, ward_val_i32(0), false));
        ward_linker_define_func(l2, "env", "f", f);
        /* mini wants (table 1) and (memory 1 2): "tab" is (2 10) and "mem" (1 4) -> m fails on max. */
        ward_linker_define_table(l2, "env", "t", ward_instance_table(inst, "tab"));
        ward_linker_define_memory(l2, "env", "m", ward_instance_memory(inst, "mem"));
        CHECK(try_instantiate(s, mini, l2, &err) == WARD_ERROR);
        CHECK_CONTAINS(err.message, "incompatible import type");
        ward_linker_free(l2);
    }
    ward_module_free(mini);
    ward_linker_free(l);
    ward_store_free(s);
    ward_module_free(m);
}

/* segs.wasm: the second active element segment is out of bounds of the
 * imported 3-entry table; the first one's write must stay, and the data
 * segment after it must not be applied. */
static void test_elem_oob_keeps_earlier_writes(ward_engine *e)
{
    ward_module *m = LOAD(e, segs);
    if (!m)
        return;
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    ward_table *t = ward_table_new(s, WARD_FUNCREF, 3, 0, false);
    ward_memory *mem = ward_memory_new(s, 1, 0, false);
    ward_linker_define_table(l, "env", "t", t);
    ward_linker_define_memory(l, "env", "m", mem);
    ward_instance *inst = (ward_instance *)&inst;
    ward_error err = {0};
    ward_trap trap;
    CHECK(ward_instantiate(s, m, l, &inst, &err, &trap) == WARD_TRAP);
    CHECK(inst == NULL);
    CHECK(trap.kind == WARD_TRAP_OOB_TABLE);
    CHECK(strcmp(trap.message, "out of bounds table access") == 0);
    CHECK(t->elems[0] != NULL && t->elems[1] == NULL && t->elems[2] == NULL);
    CHECK(t->elems[0] && ((ward_func *)t->elems[0])->func_index == 0);
    CHECK(ward_memory_data(mem)[0] == 0 && ward_memory_data(mem)[1] == 0);
    /* With a big enough table everything applies. */
    ward_table *big = ward_table_new(s, WARD_FUNCREF, 4, 0, false);
    ward_linker_define_table(l, "env", "t", big);
    CHECK_MSG(ward_instantiate(s, m, l, &inst, &err, &trap) == WARD_OK, "%s", err.message);
    CHECK(big->elems[0] && !big->elems[1] && big->elems[2] && big->elems[3] &&
          big->elems[2] != big->elems[3]);
    CHECK(memcmp(ward_memory_data(mem), "hi", 2) == 0);
    ward_linker_free(l);
    ward_store_free(s);
    ward_module_free(m);
}

static void test_data_oob_keeps_earlier_writes(ward_engine *e)
{
    ward_module *m = LOAD(e, dataoob);
    if (!m)
        return;
    ward_store *s = ward_store_new(e);
    ward_linker *l = ward_linker_new();
    ward_memory *mem = ward_memory_new(s, 1, 0, false);
    ward_linker_define_memory(l, "env", "m", mem);
    ward_instance *inst = NULL;
    ward_error err;
    ward_trap trap;
    CHECK(ward_instantiate(s, m, l, &inst, &err, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_OOB_MEMORY);
    CHECK(strcmp(trap.message, "out of bounds memory access") == 0);
    CHECK(memcmp(ward_memory_data(mem), "hi", 2) == 0);
    CHECK(ward_memory_data(mem)[65535] == 0);
    /* One more page makes the second segment fit. */
    CHECK(wmemory_grow(mem, 1) == 1);
    CHECK(ward_instantiate(s, m, l, &inst, &err, &trap) == WARD_OK);
    CHECK(memcmp(ward_memory_data(mem) + 65535, "xyz", 3) == 0);
    ward_linker_free(l);
    ward_store_free(s);
    ward_module_free(m);
}

/* passive.wasm: active segments applied and dropped; passive ones kept for
 * table.init / memory.init; declarative ones dropped. */
static void test_segment_modes(ward_engine *e)
{
    ward_module *m = LOAD(e, passive);
    if (!m)
        return;
    ward_store *s = ward_store_new(e);
    ward_instance *inst = NULL;
    ward_error err = {0};
    ward_trap trap;
    CHECK_MSG(ward_instantiate(s, m, NULL, &inst, &err, &trap) == WARD_OK, "%s", err.message);
    if (inst) {
        ward_table *t = ward_instance_table(inst, "t");
        CHECK(t && ward_table_size(t) == 4);
        CHECK(t && t->elems[0] == NULL && t->elems[1] == inst->funcs[0] && t->elems[2] == inst->funcs[1]);
        CHECK(inst->elems[0].count == 0);
        CHECK(inst->elems[1].count == 2 && inst->elems[1].refs[0] == inst->funcs[1] &&
              inst->elems[1].refs[1] == NULL);
        CHECK(inst->elems[2].count == 0);
        ward_memory *mem = ward_instance_memory(inst, "m");
        CHECK(mem && memcmp(ward_memory_data(mem) + 8, "abc", 3) == 0);
        CHECK(ward_memory_size(mem) == 65536);
        CHECK(inst->data_dropped[0] && !inst->data_dropped[1]);
    }
    ward_store_free(s);
    ward_module_free(m);
}

static void test_memory_grow(ward_engine *e)
{
    ward_store *s = ward_store_new(e);
    ward_memory *m = ward_memory_new(s, 1, 3, true);
    CHECK(m && ward_memory_size(m) == 65536);
    ward_memory_data(m)[65535] = 0xAB;
    CHECK(wmemory_grow(m, 1) == 1);
    CHECK(ward_memory_size(m) == 2 * 65536);
    CHECK(ward_memory_data(m)[65535] == 0xAB && ward_memory_data(m)[65536] == 0 &&
          ward_memory_data(m)[131071] == 0);
    ward_memory_data(m)[131071] = 1;
    CHECK(wmemory_grow(m, 2) == -1);
    CHECK(wmemory_grow(m, 0) == 2);
    CHECK(wmemory_grow(m, 1) == 2);
    CHECK(wmemory_grow(m, 1) == -1);
    CHECK(wmemory_grow(m, UINT64_MAX) == -1);
    CHECK(ward_memory_size(m) == 3 * 65536);

    /* 4 GiB up front: reserved lazily, usable at both ends. */
    ward_memory *huge = ward_memory_new(s, 65536, 0, false);
    CHECK(huge && ward_memory_size(huge) == 65536ull * 65536);
    if (huge) {
        ward_memory_data(huge)[0] = 1;
        ward_memory_data(huge)[65536ull * 65536 - 1] = 2;
        CHECK(ward_memory_data(huge)[65536ull * 65536 - 1] == 2);
        CHECK(wmemory_grow(huge, 0) == 65536 && wmemory_grow(huge, 1) == -1);
    }
    /* No max: grows to 65536 pages. */
    ward_memory *open = ward_memory_new(s, 0, 0, false);
    CHECK(open && ward_memory_size(open) == 0 && ward_memory_data(open) != NULL);
    CHECK(open && wmemory_grow(open, 65537) == -1 && wmemory_grow(open, 65536) == 0);
    CHECK(open && wmemory_grow(open, 1) == -1 && ward_memory_size(open) == 65536ull * 65536);
    ward_memory *zero = ward_memory_new(s, 0, 0, true);
    CHECK(zero && wmemory_grow(zero, 1) == -1 && wmemory_grow(zero, 0) == 0);
    CHECK(ward_memory_new(s, 2, 1, true) == NULL);
    CHECK(ward_memory_new(s, 65537, 0, false) == NULL);
    CHECK(ward_memory_new(s, 1, 65537, true) == NULL);
    ward_store_free(s);
}

static void test_table_grow(ward_engine *e)
{
    ward_store *s = ward_store_new(e);
    int marker;
    ward_table *t = ward_table_new(s, WARD_EXTERNREF, 1, 4, true);
    CHECK(t && ward_table_size(t) == 1 && t->elems[0] == NULL);
    CHECK(wtable_grow(t, 2, &marker) == 1);
    CHECK(ward_table_size(t) == 3 && t->elems[0] == NULL && t->elems[1] == &marker && t->elems[2] == &marker);
    CHECK(wtable_grow(t, 2, NULL) == -1);
    CHECK(wtable_grow(t, 0, NULL) == 3);
    CHECK(wtable_grow(t, 1, NULL) == 3 && t->elems[3] == NULL);
    CHECK(ward_table_size(t) == 4);
    ward_table *open = ward_table_new(s, WARD_FUNCREF, 0, 0, false);
    CHECK(open && wtable_grow(open, (uint64_t)WTABLE_MAX_ELEMS + 1, NULL) == -1);
    CHECK(open && wtable_grow(open, UINT64_MAX, NULL) == -1 && ward_table_size(open) == 0);
    CHECK(open && wtable_grow(open, 1000, NULL) == 0 && ward_table_size(open) == 1000);
    /* A declared max above the implementation limit is kept for matching. */
    ward_table *wide = ward_table_new(s, WARD_FUNCREF, 0, UINT32_MAX, true);
    CHECK(wide && wide->declared_max == UINT32_MAX && wide->max == WTABLE_MAX_ELEMS);
    CHECK(ward_table_new(s, WARD_I32, 0, 0, false) == NULL);
    CHECK(ward_table_new(s, WARD_FUNCREF, 5, 4, true) == NULL);
    CHECK(ward_table_new(s, WARD_FUNCREF, WTABLE_MAX_ELEMS + 1, 0, false) == NULL);
    ward_store_free(s);
}

static void test_globals(ward_engine *e)
{
    ward_store *s = ward_store_new(e);
    ward_global *c = ward_global_new(s, ward_val_f64(-0.5), false);
    CHECK(c && ward_global_get(c).kind == WARD_F64 && ward_val_as_f64(ward_global_get(c)) == -0.5);
    CHECK(ward_global_set(c, ward_val_f64(1.0)) == WARD_ERROR);
    ward_global *v = ward_global_new(s, ward_val_f32(1.5f), true);
    CHECK(ward_global_set(v, ward_val_i32(3)) == WARD_ERROR);
    CHECK(ward_global_set(v, ward_val_f32(2.5f)) == WARD_OK && ward_val_as_f32(ward_global_get(v)) == 2.5f);
    /* NaN payloads survive bit-exactly. */
    ward_val nan = {.kind = WARD_F32, .of.f32_bits = 0x7fa00001u};
    CHECK(ward_global_set(v, nan) == WARD_OK && ward_global_get(v).of.f32_bits == 0x7fa00001u);
    ward_val vec = {.kind = WARD_V128};
    for (int i = 0; i < 16; i++)
        vec.of.v128[i] = (uint8_t)(i * 7);
    ward_global *g128 = ward_global_new(s, vec, false);
    CHECK(g128 && memcmp(ward_global_get(g128).of.v128, vec.of.v128, 16) == 0);
    ward_val ext = {.kind = WARD_EXTERNREF, .of.externref = &vec};
    ward_global *gref = ward_global_new(s, ext, true);
    CHECK(gref && ward_global_get(gref).of.externref == &vec);
    ward_val bad = {.kind = (ward_valkind)0x12};
    CHECK(ward_global_new(s, bad, false) == NULL);
    ward_store_free(s);
}

static void test_fuel(ward_engine *e)
{
    ward_store *s = ward_store_new(e);
    CHECK(!ward_store_fuel_enabled(s));
    CHECK(ward_store_fuel_remaining(s) == 0 && ward_store_fuel_consumed(s) == 0);
    ward_store_set_fuel(s, 100);
    CHECK(ward_store_fuel_enabled(s));
    CHECK(ward_store_fuel_remaining(s) == 100 && ward_store_fuel_consumed(s) == 0);
    s->fuel -= 30; /* what the interpreter does while running */
    CHECK(ward_store_fuel_remaining(s) == 70 && ward_store_fuel_consumed(s) == 30);
    ward_store_disable_fuel(s);
    CHECK(!ward_store_fuel_enabled(s));
    CHECK(ward_store_fuel_remaining(s) == 70 && ward_store_fuel_consumed(s) == 30);
    ward_store_set_fuel(s, 5);
    CHECK(ward_store_fuel_remaining(s) == 5 && ward_store_fuel_consumed(s) == 0);
    ward_store_free(s);
}

static void test_traps(void)
{
    static const struct {
        ward_trap_kind kind;
        const char *text;
    } cases[] = {
        {WARD_TRAP_UNREACHABLE, "unreachable"},
        {WARD_TRAP_DIV_BY_ZERO, "integer divide by zero"},
        {WARD_TRAP_INT_OVERFLOW, "integer overflow"},
        {WARD_TRAP_INVALID_CONVERSION, "invalid conversion to integer"},
        {WARD_TRAP_OOB_MEMORY, "out of bounds memory access"},
        {WARD_TRAP_OOB_TABLE, "out of bounds table access"},
        {WARD_TRAP_INDIRECT_TYPE_MISMATCH, "indirect call type mismatch"},
        {WARD_TRAP_UNINITIALIZED_ELEMENT, "uninitialized element"},
        {WARD_TRAP_UNDEFINED_ELEMENT, "undefined element"},
        {WARD_TRAP_STACK_EXHAUSTED, "call stack exhausted"},
        {WARD_TRAP_OUT_OF_FUEL, "out of fuel"},
        {WARD_TRAP_INTERRUPTED, "interrupted"},
        {WARD_TRAP_TIMEOUT, "timeout"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ward_trap trap;
        memset(&trap, 0xff, sizeof trap);
        wtrap_set(&trap, cases[i].kind);
        CHECK(trap.kind == cases[i].kind && trap.nframes == 0);
        CHECK_MSG(strcmp(trap.message, cases[i].text) == 0, "%s", trap.message);
        CHECK(strcmp(wtrap_message(cases[i].kind), cases[i].text) == 0);
    }
    CHECK(strcmp(wtrap_message((ward_trap_kind)999), "unknown trap") == 0);
}

static void test_call_checks(ward_engine *e)
{
    ward_store *s = ward_store_new(e);
    ward_store *other = ward_store_new(e);
    ward_func *f = ward_func_new(s, &type_log, host_add, NULL);
    ward_val args[2] = {ward_val_i32(1), ward_val_i64(2)};
    ward_val res[1];
    ward_trap trap;
    CHECK(ward_call(s, f, args, 1, res, 1, &trap) == WARD_ERROR);
    CHECK(trap.kind == WARD_TRAP_NONE);
    CHECK_CONTAINS(trap.message, "wrong number of arguments");
    CHECK(ward_call(s, f, args, 2, res, 0, &trap) == WARD_ERROR);
    CHECK_CONTAINS(trap.message, "results");
    ward_val swapped[2] = {ward_val_i64(2), ward_val_i32(1)};
    CHECK(ward_call(s, f, swapped, 2, res, 1, &trap) == WARD_ERROR);
    CHECK_CONTAINS(trap.message, "argument 0");
    CHECK(ward_call(other, f, args, 2, res, 1, &trap) == WARD_ERROR);
    CHECK(ward_call(s, f, args, 2, res, 1, NULL) == WARD_OK);
    CHECK(res[0].kind == WARD_I32 && res[0].of.i32 == 3);
    ward_valkind bad_kind = (ward_valkind)0x55;
    ward_functype bad = {1, 0, &bad_kind, NULL};
    CHECK(ward_func_new(s, &bad, host_add, NULL) == NULL);
    ward_store_free(other);
    ward_store_free(s);
}

static void test_values(void)
{
    CHECK(ward_val_i32(-1).of.i32 == 0xffffffffu && ward_val_i32(-1).kind == WARD_I32);
    CHECK(ward_val_i64(-2).of.i64 == 0xfffffffffffffffeull);
    CHECK(ward_val_f32(1.0f).of.f32_bits == 0x3f800000u);
    CHECK(ward_val_f64(-2.0).of.f64_bits == 0xc000000000000000ull);
    CHECK(ward_val_as_f32(ward_val_f32(3.25f)) == 3.25f);
    uint64_t bits[2];
    wval_to_bits(ward_val_i32(-1), bits);
    CHECK(bits[0] == 0xffffffffu && bits[1] == 0);
}

/* Constant expressions of every width; v128.const needs a SIMD engine. */
static void test_const_globals(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.simd = true;
    ward_engine *e = ward_engine_new(&cfg);
    ward_module *m = LOAD(e, v128g);
    ward_store *s = ward_store_new(e);
    ward_instance *inst = NULL;
    ward_error err = {0};
    ward_trap trap;
    if (m)
        CHECK_MSG(ward_instantiate(s, m, NULL, &inst, &err, &trap) == WARD_OK, "%s", err.message);
    if (inst) {
        static const uint8_t want[16] = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 1, 2, 3, 4};
        ward_val v = ward_global_get(ward_instance_global(inst, "v"));
        CHECK(v.kind == WARD_V128 && memcmp(v.of.v128, want, 16) == 0);
        ward_val i = ward_global_get(ward_instance_global(inst, "i"));
        CHECK(i.kind == WARD_I64 && (int64_t)i.of.i64 == -3);
    }
    /* Freeing the module before the store must not touch freed memory. */
    ward_module_free(m);
    ward_store_free(s);
    ward_engine_free(e);
}

/* Export names are compared as bytes: the _n lookups see names with NUL. */
static void test_nul_names(ward_engine *e)
{
    ward_module *m = LOAD(e, nulname);
    ward_store *s = ward_store_new(e);
    ward_instance *inst = NULL;
    ward_error err = {0};
    ward_trap trap;
    if (m)
        CHECK_MSG(ward_instantiate(s, m, NULL, &inst, &err, &trap) == WARD_OK, "%s", err.message);
    if (inst) {
        ward_func *a = ward_instance_func(inst, "a");
        ward_func *anulb = ward_instance_func_n(inst, "a\0b", 3);
        CHECK(a && anulb && a != anulb && a->func_index == 0 && anulb->func_index == 1);
        CHECK(ward_instance_func_n(inst, "a", 1) == a);
        CHECK(ward_instance_func_n(inst, "a\0c", 3) == NULL);
        CHECK(ward_instance_global_n(inst, "a\0g", 3) != NULL);
        CHECK(ward_instance_global(inst, "a") == NULL);
        CHECK(ward_instance_func_n(inst, "a\0g", 3) == NULL);
        ward_export_info info;
        ward_module_export(m, 1, &info);
        CHECK(info.name_len == 3 && memcmp(info.name, "a\0b", 4) == 0);
    }
    ward_store_free(s);
    ward_module_free(m);
}

int main(void)
{
    test_config();
    test_traps();
    test_values();
    ward_engine *e = ward_engine_new(NULL);
    test_listings(e);
    test_bad_module(e);
    test_import_matching(e);
    test_table_limits(e);
    test_grown_table_matches(e);
    test_linker_replaces(e);
    test_linker_many_names(e);
    test_exports_and_globals(e);
    test_elem_oob_keeps_earlier_writes(e);
    test_data_oob_keeps_earlier_writes(e);
    test_segment_modes(e);
    test_memory_grow(e);
    test_table_grow(e);
    test_globals(e);
    test_fuel(e);
    test_call_checks(e);
    test_const_globals();
    test_nul_names(e);
    ward_engine_free(e);
    return test_summary("runtime");
}
