/*
 * Objects of one store used with another (issue 11, defect 5): a funcref of
 * store A stored into a global of store B outlived A and was called after A
 * was freed (heap-use-after-free).  Every entry point that takes an object
 * must refuse one of another store: globals (new, set), call arguments and
 * host results of reference type, ward_call itself, every kind of linker
 * definition (host-made or an instance's exports) and a module of another
 * engine.  Shared memories belong to their engine: any store of it may
 * import them.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "ward.h"

#define CHECK_STR(got, want) CHECK_MSG(strcmp((got), (want)) == 0, "got \"%s\", want \"%s\"", (got), (want))

/*
 * (module
 *   (tag (export "tag") (param i32))
 *   (func (export "f") (result i32) (i32.const 42))
 *   (table (export "t") 1 funcref)
 *   (memory (export "m") 1)
 *   (global (export "g") (mut i32) (i32.const 0)))
 */
static const uint8_t provider_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60,
    0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x01, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01, 0x05, 0x03, 0x01,
    0x00, 0x01, 0x0d, 0x03, 0x01, 0x00, 0x00, 0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x07,
    0x17, 0x05, 0x03, 0x74, 0x61, 0x67, 0x04, 0x00, 0x01, 0x66, 0x00, 0x00, 0x01, 0x74, 0x01, 0x00,
    0x01, 0x6d, 0x02, 0x00, 0x01, 0x67, 0x03, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,
};

/*
 * (module (memory (export "sm") 1 1 shared))
 */
static const uint8_t shared_provider_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x04, 0x01, 0x03, 0x01, 0x01, 0x07, 0x06,
    0x01, 0x02, 0x73, 0x6d, 0x02, 0x00,
};

/*
 * (module (import "env" "f" (func (result i32))))
 */
static const uint8_t imp_func_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x02,
    0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00,
};

/*
 * (module (import "env" "t" (table 1 funcref)))
 */
static const uint8_t imp_table_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0b, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01,
    0x74, 0x01, 0x70, 0x00, 0x01,
};

/*
 * (module (import "env" "m" (memory 1)))
 */
static const uint8_t imp_memory_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01,
    0x6d, 0x02, 0x00, 0x01,
};

/*
 * (module (import "env" "g" (global (mut i32))))
 */
static const uint8_t imp_global_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01,
    0x67, 0x03, 0x7f, 0x01,
};

/*
 * (module (import "env" "tag" (tag (param i32))))
 */
static const uint8_t imp_tag_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00, 0x02,
    0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x74, 0x61, 0x67, 0x04, 0x00, 0x00,
};

/*
 * (module (import "env" "sm" (memory 1 1 shared)))
 */
static const uint8_t imp_shared_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x02,
    0x73, 0x6d, 0x02, 0x03, 0x01, 0x01,
};

/*
 * (module
 *   (type $t (func (result i32)))
 *   (import "env" "give" (func $give (result funcref)))
 *   (table $tab 1 funcref)
 *   (global $g (export "g") (mut funcref) (ref.null func))
 *   (func (export "call_g") (result i32)
 *     (table.set $tab (i32.const 0) (global.get $g))
 *     (call_indirect (type $t) (i32.const 0)))
 *   (func (export "take") (param funcref) (result i32)
 *     (table.set $tab (i32.const 0) (local.get 0))
 *     (call_indirect (type $t) (i32.const 0)))
 *   (func (export "use_give") (result i32)
 *     (table.set $tab (i32.const 0) (call $give))
 *     (call_indirect (type $t) (i32.const 0))))
 */
static const uint8_t holder_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0e, 0x03, 0x60, 0x00, 0x01, 0x7f, 0x60,
    0x00, 0x01, 0x70, 0x60, 0x01, 0x70, 0x01, 0x7f, 0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x04,
    0x67, 0x69, 0x76, 0x65, 0x00, 0x01, 0x03, 0x04, 0x03, 0x00, 0x02, 0x00, 0x04, 0x04, 0x01, 0x70,
    0x00, 0x01, 0x06, 0x06, 0x01, 0x70, 0x01, 0xd0, 0x70, 0x0b, 0x07, 0x20, 0x04, 0x01, 0x67, 0x03,
    0x00, 0x06, 0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x67, 0x00, 0x01, 0x04, 0x74, 0x61, 0x6b, 0x65, 0x00,
    0x02, 0x08, 0x75, 0x73, 0x65, 0x5f, 0x67, 0x69, 0x76, 0x65, 0x00, 0x03, 0x0a, 0x2b, 0x03, 0x0d,
    0x00, 0x41, 0x00, 0x23, 0x00, 0x26, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b, 0x0d, 0x00, 0x41,
    0x00, 0x20, 0x00, 0x26, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b, 0x0d, 0x00, 0x41, 0x00, 0x10,
    0x00, 0x26, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b,
};

#define LOAD(engine, name) load((engine), name##_wasm, sizeof name##_wasm)

static const ward_valkind k_i32[] = {WARD_I32};
static const ward_valkind k_funcref[] = {WARD_FUNCREF};
static const ward_functype type_answer = {0, 1, NULL, k_i32};
static const ward_functype type_give = {0, 1, NULL, k_funcref};

static ward_module *load(ward_engine *engine, const uint8_t *bytes, size_t size)
{
    ward_error err = {0};
    ward_module *m = ward_module_new(engine, bytes, size, &err);
    CHECK_MSG(m != NULL, "load: %s", err.message);
    return m;
}

/* () -> i32: 7 */
static ward_result answer(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                          ward_trap *trap)
{
    (void)env, (void)caller, (void)args, (void)trap;
    results[0] = ward_val_i32(7);
    return WARD_OK;
}

/* () -> funcref: whatever *env holds */
static ward_result give(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                        ward_trap *trap)
{
    (void)caller, (void)args, (void)trap;
    results[0].of.funcref = *(ward_func **)env;
    return WARD_OK;
}

static ward_engine *new_engine(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.threads = true;
    cfg.exceptions = true;
    return ward_engine_new(&cfg);
}

/* Store b with the holder module instantiated; env.give returns *given. */
typedef struct holder {
    ward_store *store;
    ward_module *module;
    ward_instance *inst;
    ward_func *given;
    ward_func *give;
} holder;

static bool holder_open(holder *h, ward_engine *e)
{
    memset(h, 0, sizeof *h);
    h->store = ward_store_new(e);
    h->module = LOAD(e, holder);
    ward_linker *l = ward_linker_new();
    h->give = ward_func_new(h->store, &type_give, give, &h->given);
    ward_linker_define_func(l, "env", "give", h->give);
    ward_error err = {0};
    ward_result r = h->module ? ward_instantiate(h->store, h->module, l, &h->inst, &err, NULL) : WARD_ERROR;
    CHECK_MSG(r == WARD_OK, "holder: %s", err.message);
    ward_linker_free(l);
    return r == WARD_OK;
}

static void holder_close(holder *h)
{
    ward_store_free(h->store);
    ward_module_free(h->module);
}

/* Call export `name` of h (no arguments, or one funcref), expecting *want. */
static ward_result call_export(holder *h, const char *name, const ward_val *arg, ward_val *result,
                               ward_trap *trap)
{
    memset(trap, 0, sizeof *trap);
    return ward_call(h->store, ward_instance_func(h->inst, name), arg, arg ? 1 : 0, result, 1, trap);
}

/* ---- the review's reproducer --------------------------------------------- */

/* global_set of a funcref of store a into store b's global, free a, the
 * guest calls it: it read freed memory.  Now the set is refused, the
 * global stays null and the call traps cleanly. */
static void test_global_set_then_free(void)
{
    ward_engine *e = new_engine();
    ward_store *a = ward_store_new(e);
    ward_func *fa = ward_func_new(a, &type_answer, answer, NULL);
    holder h;
    if (holder_open(&h, e)) {
        ward_global *g = ward_instance_global(h.inst, "g");
        ward_val v = {.kind = WARD_FUNCREF, .of.funcref = fa};
        CHECK(ward_global_set(g, v) == WARD_ERROR);
        CHECK(ward_global_get(g).of.funcref == NULL);
        ward_store_free(a);
        a = NULL;
        ward_val result;
        ward_trap trap;
        ward_result r = call_export(&h, "call_g", NULL, &result, &trap);
        CHECK_MSG(r == WARD_TRAP && trap.kind == WARD_TRAP_UNINITIALIZED_ELEMENT, "call_g: %d %s", (int)r,
                  trap.message);
        /* a funcref of its own store is fine */
        ward_func *fb = ward_func_new(h.store, &type_answer, answer, NULL);
        v.of.funcref = fb;
        CHECK(ward_global_set(g, v) == WARD_OK);
        r = call_export(&h, "call_g", NULL, &result, &trap);
        CHECK_MSG(r == WARD_OK && result.of.i32 == 7, "call_g: %d %s", (int)r, trap.message);
    }
    holder_close(&h);
    ward_store_free(a);
    ward_engine_free(e);
}

/* ---- globals, calls, host results -------------------------------------- */

static void test_global_new(void)
{
    ward_engine *e = new_engine();
    ward_store *a = ward_store_new(e), *b = ward_store_new(e);
    ward_val v = {.kind = WARD_FUNCREF, .of.funcref = ward_func_new(a, &type_answer, answer, NULL)};
    CHECK(ward_global_new(b, v, true) == NULL);
    CHECK(ward_global_new(b, v, false) == NULL);
    CHECK(ward_global_new(a, v, true) != NULL);
    v.of.funcref = NULL;
    CHECK(ward_global_new(b, v, true) != NULL);
    /* externrefs are the embedder's own pointers: no store to check */
    ward_val x = {.kind = WARD_EXTERNREF, .of.externref = a};
    CHECK(ward_global_new(b, x, true) != NULL);
    ward_store_free(a);
    ward_store_free(b);
    ward_engine_free(e);
}

static void test_call(void)
{
    ward_engine *e = new_engine();
    ward_store *a = ward_store_new(e);
    ward_func *fa = ward_func_new(a, &type_answer, answer, NULL);
    holder h;
    if (holder_open(&h, e)) {
        ward_val result;
        ward_trap trap;
        /* the function itself */
        CHECK(ward_call(h.store, fa, NULL, 0, &result, 1, &trap) == WARD_ERROR);
        CHECK(trap.kind == WARD_TRAP_NONE);
        CHECK_CONTAINS(trap.message, "another store");
        /* a funcref argument */
        ward_val arg = {.kind = WARD_FUNCREF, .of.funcref = fa};
        CHECK(call_export(&h, "take", &arg, &result, &trap) == WARD_ERROR);
        CHECK(trap.kind == WARD_TRAP_NONE);
        CHECK_STR(trap.message, "argument 0 is a function of another store");
        arg.of.funcref = ward_func_new(h.store, &type_answer, answer, NULL);
        ward_result r = call_export(&h, "take", &arg, &result, &trap);
        CHECK_MSG(r == WARD_OK && result.of.i32 == 7, "take: %d %s", (int)r, trap.message);
    }
    holder_close(&h);
    ward_store_free(a);
    ward_engine_free(e);
}

/* A host function of store b returning a funcref of store a: a trap, not a
 * reference that dangles once a is freed. */
static void test_host_result(void)
{
    ward_engine *e = new_engine();
    ward_store *a = ward_store_new(e);
    holder h;
    if (holder_open(&h, e)) {
        h.given = ward_func_new(a, &type_answer, answer, NULL);
        ward_val result;
        ward_trap trap;
        /* called by the guest */
        CHECK(call_export(&h, "use_give", NULL, &result, &trap) == WARD_TRAP);
        CHECK(trap.kind == WARD_TRAP_HOST);
        CHECK_STR(trap.message, "host function returned a function of another store");
        /* called by the host */
        memset(&trap, 0, sizeof trap);
        CHECK(ward_call(h.store, h.give, NULL, 0, &result, 1, &trap) == WARD_TRAP);
        CHECK(trap.kind == WARD_TRAP_HOST);
        CHECK_STR(trap.message, "host function returned a function of another store");
        /* its own store's function, or null, is fine */
        h.given = ward_func_new(h.store, &type_answer, answer, NULL);
        ward_result r = call_export(&h, "use_give", NULL, &result, &trap);
        CHECK_MSG(r == WARD_OK && result.of.i32 == 7, "use_give: %d %s", (int)r, trap.message);
        h.given = NULL;
        CHECK(ward_call(h.store, h.give, NULL, 0, &result, 1, &trap) == WARD_OK);
    }
    holder_close(&h);
    ward_store_free(a);
    ward_engine_free(e);
}

/* ---- linking ---------------------------------------------------------------- */

/* Instantiate module in store s through l: OK, or WARD_ERROR with `want`. */
static void link_expect(ward_store *s, const ward_module *module, ward_linker *l, const char *want)
{
    ward_error err = {0};
    ward_instance *inst = NULL;
    ward_result r = ward_instantiate(s, module, l, &inst, &err, NULL);
    if (!want) {
        CHECK_MSG(r == WARD_OK, "instantiate: %s", err.message);
        return;
    }
    CHECK_MSG(r == WARD_ERROR && inst == NULL, "instantiate: %d, expected \"%s\"", (int)r, want);
    CHECK_STR(err.message, want);
}

typedef struct importers {
    ward_module *func, *table, *memory, *global, *tag, *shared;
} importers;

static void importers_load(importers *im, ward_engine *e)
{
    im->func = LOAD(e, imp_func);
    im->table = LOAD(e, imp_table);
    im->memory = LOAD(e, imp_memory);
    im->global = LOAD(e, imp_global);
    im->tag = LOAD(e, imp_tag);
    im->shared = LOAD(e, imp_shared);
}

static void importers_free(importers *im)
{
    ward_module_free(im->func);
    ward_module_free(im->table);
    ward_module_free(im->memory);
    ward_module_free(im->global);
    ward_module_free(im->tag);
    ward_module_free(im->shared);
}

/* Each importer in store `s` through l, whose env.* belong to store a:
 * refused in s, accepted in a. */
static void link_each(ward_store *s, ward_store *a, const importers *im, ward_linker *l, bool has_tag)
{
    link_expect(s, im->func, l, "import env.f: function belongs to another store");
    link_expect(s, im->table, l, "import env.t: table belongs to another store");
    link_expect(s, im->memory, l, "import env.m: memory belongs to another store");
    link_expect(s, im->global, l, "import env.g: global belongs to another store");
    if (has_tag)
        link_expect(s, im->tag, l, "import env.tag: tag belongs to another store");
    link_expect(a, im->func, l, NULL);
    link_expect(a, im->table, l, NULL);
    link_expect(a, im->memory, l, NULL);
    link_expect(a, im->global, l, NULL);
    if (has_tag)
        link_expect(a, im->tag, l, NULL);
}

/* Objects the host made in store a, and an instance's exports. */
static void test_linker(void)
{
    ward_engine *e = new_engine();
    ward_store *a = ward_store_new(e), *b = ward_store_new(e);
    importers im;
    importers_load(&im, e);
    ward_linker *host_made = ward_linker_new();
    ward_linker_define_func(host_made, "env", "f", ward_func_new(a, &type_answer, answer, NULL));
    ward_linker_define_table(host_made, "env", "t", ward_table_new(a, WARD_FUNCREF, 1, 0, false));
    ward_linker_define_memory(host_made, "env", "m", ward_memory_new(a, 1, 0, false));
    ward_linker_define_global(host_made, "env", "g", ward_global_new(a, ward_val_i32(0), true));
    link_each(b, a, &im, host_made, false);

    ward_module *provider = LOAD(e, provider);
    ward_instance *pa = NULL;
    ward_linker *exports = ward_linker_new();
    if (provider && ward_instantiate(a, provider, NULL, &pa, NULL, NULL) == WARD_OK) {
        CHECK(ward_linker_define_instance(exports, "env", pa) == WARD_OK);
        link_each(b, a, &im, exports, true);
        /* one by one, as ward_instance_* hand them out */
        ward_linker *one = ward_linker_new();
        ward_linker_define_tag(one, "env", "tag", ward_instance_tag(pa, "tag"));
        link_expect(b, im.tag, one, "import env.tag: tag belongs to another store");
        ward_linker_free(one);
    } else {
        CHECK_MSG(false, "provider did not instantiate");
    }
    ward_linker_free(exports);
    ward_linker_free(host_made);
    ward_module_free(provider);
    importers_free(&im);
    ward_store_free(b);
    ward_store_free(a);
    ward_engine_free(e);
}

/* Shared memories belong to their engine: any of its stores may import
 * them, a store of another engine may not. */
static void test_shared_memory(void)
{
    ward_engine *e = new_engine(), *other = new_engine();
    ward_store *a = ward_store_new(e), *b = ward_store_new(e), *c = ward_store_new(other);
    importers im, im_other;
    importers_load(&im, e);
    importers_load(&im_other, other);
    ward_memory *engine_wide = ward_memory_new_shared(e, 1, 1);
    ward_linker *l = ward_linker_new();
    ward_linker_define_memory(l, "env", "sm", engine_wide);
    link_expect(a, im.shared, l, NULL);
    link_expect(b, im.shared, l, NULL);
    link_expect(c, im_other.shared, l, "import env.sm: shared memory belongs to another engine");
    /* a module's shared memory, made in store a */
    ward_module *provider = LOAD(e, shared_provider);
    ward_instance *pa = NULL;
    if (provider && ward_instantiate(a, provider, NULL, &pa, NULL, NULL) == WARD_OK) {
        ward_linker_define_instance(l, "env", pa);
        link_expect(b, im.shared, l, NULL);
        link_expect(c, im_other.shared, l, "import env.sm: shared memory belongs to another engine");
    } else {
        CHECK_MSG(false, "shared provider did not instantiate");
    }
    ward_linker_free(l);
    ward_module_free(provider);
    importers_free(&im);
    importers_free(&im_other);
    ward_store_free(a);
    ward_store_free(b);
    ward_store_free(c);
    ward_memory_release(engine_wide);
    ward_engine_free(e);
    ward_engine_free(other);
}

/* A module belongs to the engine that made it (its features and limits). */
static void test_module_of_another_engine(void)
{
    ward_engine *e = new_engine(), *other = new_engine();
    ward_store *s = ward_store_new(e);
    ward_module *m = LOAD(other, provider);
    ward_error err = {0};
    ward_instance *inst = NULL;
    CHECK(m && ward_instantiate(s, m, NULL, &inst, &err, NULL) == WARD_ERROR && inst == NULL);
    CHECK_STR(err.message, "module belongs to another engine");
    ward_store_free(s);
    ward_module_free(m);
    ward_engine_free(e);
    ward_engine_free(other);
}

int main(void)
{
    test_global_set_then_free();
    test_global_new();
    test_call();
    test_host_result();
    test_linker();
    test_shared_memory();
    test_module_of_another_engine();
    return test_summary("cross_store");
}
