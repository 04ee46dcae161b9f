/*
 * libFuzzer target: any bytes → ward_wat_to_wasm (the text parser,
 * docs/text.md) through the public API; what it accepts goes on to
 * ward_module_new, as `ward run app.wat` does.
 *
 * Besides "no crash, no leak, no UB", it checks the API's promises: a
 * rejected text leaves stage WARD_STAGE_TEXT, a terminated non-empty
 * message and either a position (line and column >= 1) or none (both
 * WARD_NONE); an accepted one gives a buffer (a `(module binary "...")`
 * gives its bytes as written, so not necessarily "\0asm": ward_module_new
 * judges them, as for any binary).
 * A broken promise calls __builtin_trap() so libFuzzer records the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ward.h"

static void require(int condition)
{
    if (!condition)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *wasm = NULL;
    size_t len = 0;
    ward_error err;
    if (ward_wat_to_wasm((const char *)data, size, &wasm, &len, &err) != WARD_OK) {
        require(wasm == NULL);
        require(err.stage == WARD_STAGE_TEXT);
        require(err.message[0] != '\0' && memchr(err.message, '\0', sizeof err.message) != NULL);
        require((err.line == WARD_NONE) == (err.column == WARD_NONE));
        require(err.line == WARD_NONE || (err.line >= 1 && err.column >= 1));
        return 0;
    }
    require(wasm != NULL);
    ward_config config;
    ward_config_default(&config);
    config.threads = true;
    config.exceptions = true;
    config.extended_const = true;
    ward_engine *engine = ward_engine_new(&config);
    if (engine) {
        ward_module *module = ward_module_new(engine, wasm, len, &err);
        ward_module_free(module);
        ward_engine_free(engine);
    }
    ward_wasm_free(wasm);
    return 0;
}
