/*
 * libFuzzer target: any bytes → ward_module_new (decode, validate,
 * translate) through the public API, once with the default configuration
 * and once with every optional feature on, so both the "feature off:
 * reject" and "feature on: accept and translate" paths are covered.
 *
 * Besides "no crash, no leak, no UB" (ASan/UBSan/LeakSanitizer), it checks
 * the API's promises: a failed load leaves a non-empty, terminated message;
 * a loaded module's import/export names have the lengths they claim.
 * A broken promise calls __builtin_trap() so libFuzzer records the input.
 *
 * WARD_FUZZ_FEATURES=base in the environment skips the all-features pass
 * (useful while a proposal's translation is still being written).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ward.h"

static void require(int condition)
{
    if (!condition)
        __builtin_trap();
}

/* A NUL-terminated name whose strlen may stop early at an embedded NUL. */
static void check_name(const char *name, size_t len)
{
    require(name != NULL);
    require(strlen(name) <= len);
    require(name[len] == '\0');
}

static void check_import_export_tables(const ward_module *module)
{
    uint32_t nimports = ward_module_import_count(module);
    for (uint32_t i = 0; i < nimports; i++) {
        ward_import_info info;
        ward_module_import(module, i, &info);
        check_name(info.module, info.module_len);
        check_name(info.name, info.name_len);
        require(info.kind <= WARD_EXTERN_TAG);
    }
    uint32_t nexports = ward_module_export_count(module);
    for (uint32_t i = 0; i < nexports; i++) {
        ward_export_info info;
        ward_module_export(module, i, &info);
        check_name(info.name, info.name_len);
        require(info.kind <= WARD_EXTERN_TAG);
    }
}

static void load_with(const ward_config *config, const uint8_t *data, size_t size)
{
    ward_engine *engine = ward_engine_new(config);
    if (!engine)
        return;
    ward_error err;
    memset(&err, 0x55, sizeof err);   /* an unterminated message would show */
    ward_module *module = ward_module_new(engine, data, size, &err);
    if (module) {
        check_import_export_tables(module);
        ward_module_free(module);
    } else {
        require(memchr(err.message, '\0', sizeof err.message) != NULL);
        require(err.message[0] != '\0');
    }
    ward_engine_free(engine);
}

/* Harness configuration, read once from the environment. */
static bool fuzz_all_features = true;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *features = getenv("WARD_FUZZ_FEATURES");
    fuzz_all_features = !(features && strcmp(features, "base") == 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ward_config config;
    ward_config_default(&config);
    load_with(&config, data, size);
    if (fuzz_all_features) {
        config.simd = true;
        config.threads = true;
        config.exceptions = true;
        config.multi_memory = true;
        config.memory64 = true;
        load_with(&config, data, size);
    }
    return 0;
}
