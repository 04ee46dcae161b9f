/*
 * Errors are records, not strings (issue 11): every ward_error says at
 * which stage loading, linking or instantiating failed and, where the
 * message names them, the section id, function index and byte offset, so
 * an embedder acts on the fields without parsing English.
 */
#include <string.h>

#include "../test.h"
#include "error_modules.h"
#include "ward.h"

#define CHECK_U32(got, want) CHECK_MSG((got) == (want), "got %u, want %u", (unsigned)(got), (unsigned)(want))

static const uint8_t malformed_type[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                         0x01, 0x04, 0x01, 0x61, 0x00, 0x00};

static void test_decode_error(void)
{
    ward_engine *engine = ward_engine_new(NULL);
    ward_error err;
    memset(&err, 0xAB, sizeof err);
    CHECK(ward_module_new(engine, malformed_type, sizeof malformed_type, &err) == NULL);
    CHECK_U32(err.stage, WARD_STAGE_DECODE);
    CHECK_U32(err.section, 1);
    CHECK_U32(err.offset, 11);
    CHECK_U32(err.func_index, WARD_NONE);
    /* the message is as it was: the spec suite matches on it */
    CHECK_CONTAINS(err.message, "type section, entry 0, offset 0xb: malformed");
    ward_engine_free(engine);
}

static void test_validate_error(void)
{
    ward_engine *engine = ward_engine_new(NULL);
    ward_error err;
    CHECK(ward_module_new(engine, badbody_wasm, sizeof badbody_wasm, &err) == NULL);
    CHECK_U32(err.stage, WARD_STAGE_VALIDATE);
    CHECK_U32(err.section, 10);
    CHECK_U32(err.func_index, 1);
    CHECK_U32(err.offset, 0x29);
    CHECK_CONTAINS(err.message, "function 1, offset 0x29: type mismatch");
    ward_engine_free(engine);
}

/* A function whose type index is out of range: "function 0: unknown
 * type 5", and the record names function 0 too (it said WARD_NONE). */
static void test_function_type_error(void)
{
    static const uint8_t unknown_type[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                           0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                           0x03, 0x02, 0x01, 0x05,
                                           0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
    ward_engine *engine = ward_engine_new(NULL);
    ward_error err;
    CHECK(ward_module_new(engine, unknown_type, sizeof unknown_type, &err) == NULL);
    CHECK_U32(err.stage, WARD_STAGE_VALIDATE);
    CHECK_U32(err.func_index, 0);
    CHECK_CONTAINS(err.message, "function 0: unknown type 5");
    ward_engine_free(engine);
}

static void test_argument_and_read_errors(void)
{
    ward_error err;
    CHECK(ward_module_new(NULL, deep_wasm, sizeof deep_wasm, &err) == NULL);
    CHECK_U32(err.stage, WARD_STAGE_ARGUMENT);
    CHECK_U32(err.offset, WARD_NONE);
    ward_engine *engine = ward_engine_new(NULL);
    CHECK(ward_module_from_file(engine, "/nonexistent/ward/module.wasm", &err) == NULL);
    CHECK_U32(err.stage, WARD_STAGE_READ);
    CHECK_U32(err.section, WARD_NONE);
    CHECK_CONTAINS(err.message, "cannot open");
    ward_engine_free(engine);
}

static ward_result nothing(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                           ward_trap *trap)
{
    (void)env, (void)caller, (void)args, (void)results, (void)trap;
    return WARD_OK;
}

static void test_link_errors(void)
{
    ward_engine *engine = ward_engine_new(NULL);
    ward_store *store = ward_store_new(engine);
    ward_module *mod = ward_module_new(engine, hostcall_wasm, sizeof hostcall_wasm, NULL);
    ward_linker *linker = ward_linker_new();
    ward_instance *inst = NULL;
    ward_error err;
    CHECK(ward_instantiate(store, mod, linker, &inst, &err, NULL) == WARD_ERROR);
    CHECK_U32(err.stage, WARD_STAGE_LINK);
    CHECK_CONTAINS(err.message, "unknown import env.cb");
    CHECK_U32(err.func_index, WARD_NONE);

    static const ward_valkind i32[] = {WARD_I32};
    const ward_functype wrong = {1, 0, i32, NULL};
    CHECK(ward_linker_define_func(linker, "env", "cb", ward_func_new(store, &wrong, nothing, NULL)) == WARD_OK);
    CHECK(ward_instantiate(store, mod, linker, &inst, &err, NULL) == WARD_ERROR);
    CHECK_U32(err.stage, WARD_STAGE_LINK);
    CHECK_CONTAINS(err.message, "incompatible import type");

    CHECK(ward_instantiate(NULL, mod, linker, &inst, &err, NULL) == WARD_ERROR);
    CHECK_U32(err.stage, WARD_STAGE_ARGUMENT);
    ward_linker_free(linker);
    ward_module_free(mod);
    ward_store_free(store);
    ward_engine_free(engine);
}

/* A memory whose minimum is past max_memory_bytes: refused by a cap, not
 * because the module is wrong. */
static void test_limit_error(void)
{
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.max_memory_bytes = 65536;
    ward_engine *engine = ward_engine_new(&cfg);
    ward_store *store = ward_store_new(engine);
    ward_module *mod = ward_module_new(engine, bigmem_wasm, sizeof bigmem_wasm, NULL);
    ward_linker *linker = ward_linker_new();
    ward_instance *inst = NULL;
    ward_error err;
    CHECK(ward_instantiate(store, mod, linker, &inst, &err, NULL) == WARD_ERROR);
    CHECK_U32(err.stage, WARD_STAGE_LIMIT);
    CHECK_CONTAINS(err.message, "memory minimum exceeds the configured limit");
    ward_linker_free(linker);
    ward_module_free(mod);
    ward_store_free(store);
    ward_engine_free(engine);
}

static void test_wasi_error(void)
{
    ward_wasi_config cfg;
    ward_wasi_config_default(&cfg);
    const ward_wasi_preopen dir = {"/nonexistent/ward/dir", "/"};
    cfg.npreopens = 1;
    cfg.preopens = &dir;
    ward_error err;
    CHECK(ward_wasi_new(&cfg, &err) == NULL);
    CHECK_U32(err.stage, WARD_STAGE_WASI);
    CHECK_U32(err.section, WARD_NONE);
    CHECK_CONTAINS(err.message, "cannot open directory");
}

int main(void)
{
    test_decode_error();
    test_validate_error();
    test_function_type_error();
    test_argument_and_read_errors();
    test_link_errors();
    test_limit_error();
    test_wasi_error();
    return test_summary("error_records");
}
