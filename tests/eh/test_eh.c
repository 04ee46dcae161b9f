/*
 * Exception handling through the embedding API (docs/exceptions.md): an
 * uncaught exception is a clean "uncaught exception" trap at the embedder
 * with the throw's location and backtrace; an exception never crosses a
 * host function (a catch_all around the host call does not see it); tags
 * are identities the embedder can import, export and list; the feature
 * flag; a tag section between memory and global sections (the pandoc-wasm
 * load failure); fuel stays exact through throws, catches and rethrows
 * (block-metered stops agree with the per-instruction step code).
 *
 * eh_wasm is wat2wasm --enable-exceptions of:
 *   (module
 *     (import "env" "host" (func $host (param i32) (result i32)))
 *     (import "env" "tag" (tag $imp (param i64)))
 *     (tag $e (export "e") (param i32))
 *     (func $thrower (export "thrower") (param i32) (result i32)
 *       (if (local.get 0) (then (throw $e (local.get 0))))
 *       (i32.const 0))
 *     (func (export "via-host") (param i32) (result i32)
 *       (try (result i32) (do (call $host (local.get 0))) (catch_all (i32.const -1))))
 *     (func (export "uncaught") (param i32) (result i32)
 *       (i32.add (i32.const 1) (call $thrower (local.get 0))))
 *     (func (export "throw-imported") (param i64) (throw $imp (local.get 0)))
 *     (func (export "catch-imported") (param i64) (result i64)
 *       (try (result i64) (do (throw $imp (local.get 0))) (catch $imp)))
 *     (func (export "count") (param i32) (result i32)
 *       (local i32)
 *       (loop $l
 *         (try
 *           (do (drop (call $thrower (i32.and (local.get 0) (i32.const 1)))))
 *           (catch $e (local.get 1) (i32.add) (local.set 1))
 *           (catch_all))
 *         (try
 *           (do (try (do (throw $e (local.get 0))) (catch_all (rethrow 0))))
 *           (catch $e (local.get 1) (i32.add) (local.set 1)))
 *         (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
 *         (br_if $l))
 *       (local.get 1)))
 */
#include <stdint.h>
#include <string.h>

#include "../test.h"
#include "interp/exec.h"
#include "ward.h"

static const uint8_t eh_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x13, 0x04, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60,
    0x01, 0x7e, 0x00, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x02, 0x17, 0x02, 0x03, 0x65,
    0x6e, 0x76, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x00, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x74, 0x61, 0x67,
    0x04, 0x00, 0x01, 0x03, 0x07, 0x06, 0x00, 0x00, 0x00, 0x01, 0x03, 0x00, 0x0d, 0x03, 0x01, 0x00, 0x02,
    0x07, 0x4f, 0x07, 0x01, 0x65, 0x04, 0x01, 0x07, 0x74, 0x68, 0x72, 0x6f, 0x77, 0x65, 0x72, 0x00, 0x01,
    0x08, 0x76, 0x69, 0x61, 0x2d, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x02, 0x08, 0x75, 0x6e, 0x63, 0x61, 0x75,
    0x67, 0x68, 0x74, 0x00, 0x03, 0x0e, 0x74, 0x68, 0x72, 0x6f, 0x77, 0x2d, 0x69, 0x6d, 0x70, 0x6f, 0x72,
    0x74, 0x65, 0x64, 0x00, 0x04, 0x0e, 0x63, 0x61, 0x74, 0x63, 0x68, 0x2d, 0x69, 0x6d, 0x70, 0x6f, 0x72,
    0x74, 0x65, 0x64, 0x00, 0x05, 0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x06, 0x0a, 0x73, 0x06, 0x0d,
    0x00, 0x20, 0x00, 0x04, 0x40, 0x20, 0x00, 0x08, 0x01, 0x0b, 0x41, 0x00, 0x0b, 0x0c, 0x00, 0x06, 0x7f,
    0x20, 0x00, 0x10, 0x00, 0x19, 0x41, 0x7f, 0x0b, 0x0b, 0x09, 0x00, 0x41, 0x01, 0x20, 0x00, 0x10, 0x01,
    0x6a, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x08, 0x00, 0x0b, 0x0b, 0x00, 0x06, 0x7e, 0x20, 0x00, 0x08, 0x00,
    0x07, 0x00, 0x0b, 0x0b, 0x39, 0x01, 0x01, 0x7f, 0x03, 0x40, 0x06, 0x40, 0x20, 0x00, 0x41, 0x01, 0x71,
    0x10, 0x01, 0x1a, 0x07, 0x01, 0x20, 0x01, 0x6a, 0x21, 0x01, 0x19, 0x0b, 0x06, 0x40, 0x06, 0x40, 0x20,
    0x00, 0x08, 0x01, 0x19, 0x09, 0x00, 0x0b, 0x07, 0x01, 0x20, 0x01, 0x6a, 0x21, 0x01, 0x0b, 0x20, 0x00,
    0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b,
};

/* type (func (param i32)), memory 1, a tag section, then a global: the
 * section order pandoc-wasm has (tags between memory and global). */
static const uint8_t tag_section_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, /* header */
    0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00,       /* type 0 */
    0x05, 0x03, 0x01, 0x00, 0x01,                   /* memory 1 */
    0x0d, 0x03, 0x01, 0x00, 0x00,                   /* tag section: attribute 0, type 0 */
    0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b, /* global i32 */
    0x07, 0x05, 0x01, 0x01, 0x74, 0x04, 0x00,       /* export "t" (tag 0) */
};

typedef struct env {
    ward_engine *engine;
    ward_module *module;
    ward_store *store;
    ward_linker *linker;
    ward_instance *inst;
    ward_tag *imported; /* env.tag, from a second instance */
    ward_module *extra[2]; /* the tag modules, freed after the store */
} env;

/* env.host: calls back into the guest's "thrower", and passes its trap on. */
static ward_result host(void *envp, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    env *e = envp;
    (void)caller;
    ward_func *thrower = ward_instance_func(e->inst, "thrower");
    return ward_call(e->store, thrower, args, 1, results, 1, trap);
}

static ward_result call(env *e, const char *name, ward_val arg, ward_val *result, ward_trap *trap)
{
    ward_func *f = ward_instance_func(e->inst, name);
    if (!f)
        return WARD_ERROR;
    return ward_call(e->store, f, &arg, 1, result, result ? 1 : 0, trap);
}

static void env_open(env *e)
{
    memset(e, 0, sizeof *e);
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.exceptions = true;
    e->engine = ward_engine_new(&cfg);
    ward_error err;
    e->module = ward_module_new(e->engine, eh_wasm, sizeof eh_wasm, &err);
    CHECK_MSG(e->module != NULL, "%s", err.message);
    ward_module *tags = ward_module_new(e->engine, tag_section_wasm, sizeof tag_section_wasm, &err);
    CHECK_MSG(tags != NULL, "%s", err.message);
    if (!e->module || !tags)
        return;
    e->store = ward_store_new(e->engine);
    e->linker = ward_linker_new();
    /* env.tag must be an (i64) tag: the tag module's (i32) tag is refused */
    ward_instance *tag_inst;
    ward_trap trap;
    CHECK(ward_instantiate(e->store, tags, NULL, &tag_inst, &err, &trap) == WARD_OK);
    ward_tag *i32_tag = ward_instance_tag(tag_inst, "t");
    CHECK(i32_tag != NULL && ward_instance_tag(tag_inst, "missing") == NULL);
    static const ward_valkind i32[] = {WARD_I32};
    ward_functype ft = {1, 1, i32, i32};
    ward_func *h = ward_func_new(e->store, &ft, host, e);
    CHECK(ward_linker_define_func(e->linker, "env", "host", h) == WARD_OK);
    CHECK(ward_linker_define_tag(e->linker, "env", "tag", i32_tag) == WARD_OK);
    CHECK(ward_instantiate(e->store, e->module, e->linker, &e->inst, &err, &trap) == WARD_ERROR);
    CHECK_MSG(strstr(err.message, "incompatible import type") != NULL, "%s", err.message);
    /* an (i64) tag exported by another instance of eh_wasm's module is fine */
    ward_instance *first;
    ward_module *exporter = ward_module_new(
        e->engine,
        (const uint8_t[]){0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7e,
                          0x00, 0x0d, 0x03, 0x01, 0x00, 0x00, 0x07, 0x05, 0x01, 0x01, 0x74, 0x04, 0x00},
        27, &err);
    CHECK_MSG(exporter != NULL, "%s", err.message);
    CHECK(ward_instantiate(e->store, exporter, NULL, &first, &err, &trap) == WARD_OK);
    e->imported = ward_instance_tag(first, "t");
    CHECK(ward_linker_define_tag(e->linker, "env", "tag", e->imported) == WARD_OK);
    CHECK_MSG(ward_instantiate(e->store, e->module, e->linker, &e->inst, &err, &trap) == WARD_OK, "%s",
              err.message);
    e->extra[0] = tags;
    e->extra[1] = exporter;
}

static void env_close(env *e)
{
    ward_linker_free(e->linker);
    ward_store_free(e->store);
    ward_module_free(e->module);
    ward_module_free(e->extra[0]);
    ward_module_free(e->extra[1]);
    ward_engine_free(e->engine);
}

/* Import/export listings name tags, with their payload types. */
static void test_listing(env *e)
{
    ward_import_info ii;
    ward_export_info ei;
    ward_externtype t;
    ward_module_import(e->module, 1, &ii);
    CHECK(strcmp(ii.name, "tag") == 0 && ii.kind == WARD_EXTERN_TAG);
    CHECK(ward_module_import_type(e->module, 1, &t) && t.kind == WARD_EXTERN_TAG && t.of.tag.nparams == 1 &&
          t.of.tag.params[0] == WARD_I64 && t.of.tag.nresults == 0);
    ward_module_export(e->module, 0, &ei);
    CHECK(strcmp(ei.name, "e") == 0 && ei.kind == WARD_EXTERN_TAG);
    CHECK(ward_module_export_type(e->module, 0, &t) && t.kind == WARD_EXTERN_TAG && t.of.tag.nparams == 1 &&
          t.of.tag.params[0] == WARD_I32);
    CHECK(ward_instance_tag(e->inst, "e") != NULL && ward_instance_tag(e->inst, "thrower") == NULL);
}

/* An uncaught exception: a trap at the throw, with the backtrace. */
static void test_uncaught(env *e)
{
    ward_val r;
    ward_trap trap;
    CHECK(call(e, "uncaught", ward_val_i32(0), &r, &trap) == WARD_OK && r.of.i32 == 1);
    CHECK(call(e, "uncaught", ward_val_i32(5), &r, &trap) == WARD_TRAP);
    CHECK(trap.kind == WARD_TRAP_UNCAUGHT_EXCEPTION);
    CHECK_MSG(strcmp(trap.message, "uncaught exception") == 0, "%s", trap.message);
    CHECK(trap.func_index == 1 && trap.nframes == 2); /* thrower, called by "uncaught" (function 3) */
    CHECK(trap.nframes == 2 && trap.backtrace[1].func_index == 3);
    /* the store stays usable, the exception stack empty */
    CHECK(call(e, "count", ward_val_i32(10), &r, &trap) == WARD_OK && r.of.i32 == 60);
    struct wexec *ex = wexec_get(e->store);
    CHECK(ex && ex->exn.n == 0);
    /* an imported tag throws and catches as itself */
    ward_val r64;
    CHECK(call(e, "catch-imported", ward_val_i64(-3), &r64, &trap) == WARD_OK && r64.of.i64 == (uint64_t)-3);
    CHECK(call(e, "throw-imported", ward_val_i64(1), NULL, &trap) == WARD_TRAP &&
          trap.kind == WARD_TRAP_UNCAUGHT_EXCEPTION);
}

/* A host function between a throw and a try: the exception ends the
 * inner call from the host as a trap; the catch_all never sees it. */
static void test_host_boundary(env *e)
{
    ward_val r;
    ward_trap trap;
    CHECK(call(e, "via-host", ward_val_i32(0), &r, &trap) == WARD_OK && r.of.i32 == 0);
    CHECK(call(e, "via-host", ward_val_i32(7), &r, &trap) == WARD_TRAP);
    CHECK_MSG(strstr(trap.message, "uncaught exception") != NULL, "%s", trap.message);
    CHECK(call(e, "via-host", ward_val_i32(0), &r, &trap) == WARD_OK && r.of.i32 == 0);
}

/* Fuel through throws: the same result metered; every budget below the
 * total stops with out of fuel, and consumes exactly the budget. */
static void test_fuel(env *e, uint64_t *total, uint32_t *offsets)
{
    ward_val r;
    ward_trap trap;
    ward_store_set_fuel(e->store, 1000000);
    CHECK(call(e, "count", ward_val_i32(6), &r, &trap) == WARD_OK && r.of.i32 == 24);
    uint64_t used = ward_store_fuel_consumed(e->store);
    CHECK(used > 0);
    if (*total)
        CHECK_MSG(used == *total, "%llu vs %llu", (unsigned long long)used, (unsigned long long)*total);
    *total = used;
    for (uint64_t f = 0; f < used && f < 512; f++) {
        ward_store_set_fuel(e->store, f);
        ward_result res = call(e, "count", ward_val_i32(6), &r, &trap);
        CHECK_MSG(res == WARD_TRAP && trap.kind == WARD_TRAP_OUT_OF_FUEL, "fuel %llu", (unsigned long long)f);
        CHECK_MSG(ward_store_fuel_consumed(e->store) == f, "fuel %llu: consumed %llu", (unsigned long long)f,
                  (unsigned long long)ward_store_fuel_consumed(e->store));
        if (offsets[f] == 0)
            offsets[f] = trap.offset;
        else
            CHECK_MSG(offsets[f] == trap.offset, "fuel %llu: stop at 0x%x, step code 0x%x",
                      (unsigned long long)f, trap.offset, offsets[f]);
    }
    ward_store_disable_fuel(e->store);
    CHECK(call(e, "count", ward_val_i32(6), &r, &trap) == WARD_OK && r.of.i32 == 24);
}

/* Off by default: a tag section is refused as the unsupported proposal. */
static void test_feature_flag(void)
{
    ward_engine *plain = ward_engine_new(NULL);
    ward_error err;
    ward_module *m = ward_module_new(plain, tag_section_wasm, sizeof tag_section_wasm, &err);
    CHECK(m == NULL);
    CHECK_MSG(strstr(err.message, "exception handling (the exceptions feature) is off") != NULL, "%s", err.message);
    ward_module_free(m);
    ward_engine_free(plain);
}

int main(void)
{
    env e;
    env_open(&e);
    if (e.inst) {
        test_listing(&e);
        test_uncaught(&e);
        test_host_boundary(&e);
        static uint32_t offsets[512];
        uint64_t total = 0;
        test_fuel(&e, &total, offsets);
        CHECK(wexec_set_step_only(e.store, true));
        test_fuel(&e, &total, offsets);
        CHECK(wexec_set_step_only(e.store, false));
    }
    env_close(&e);
    test_feature_flag();
    return test_summary("eh");
}
