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
 * judges them, as for any binary).  ward_wat_to_wasm_map gives the same
 * bytes and a source map whose every answer lies inside the text; a
 * module's validation error is looked up in it, as `ward validate` does.
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

/* Every position the map gives lies in the text: lines 1..nlines. */
static void check_map(const ward_wat_map *map, const uint8_t *text, size_t size, size_t wasm_len)
{
    uint32_t nlines = 1, line, column;
    for (size_t i = 0; i < size; i++)
        nlines += text[i] == '\n';
    size_t step = wasm_len / 512 + 1;
    for (size_t off = 0; off < wasm_len; off += step)
        if (ward_wat_map_find(map, WARD_NONE, (uint32_t)off, &line, &column))
            require(line >= 1 && line <= nlines && column >= 1 && column <= size + 1);
}

/* The mapped conversion makes the same bytes, and a map inside the text. */
static void check_mapped(const uint8_t *data, size_t size, const uint8_t *wasm, size_t len, ward_wat_map **map)
{
    uint8_t *again = NULL;
    size_t again_len = 0;
    require(ward_wat_to_wasm_map((const char *)data, size, &again, &again_len, map, NULL) == WARD_OK);
    require(again_len == len && memcmp(again, wasm, len) == 0);
    check_map(*map, data, size, len);
    ward_wasm_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *wasm = NULL;
    size_t len = 0;
    ward_error err;
    ward_wat_map *map = NULL;
    if (ward_wat_to_wasm((const char *)data, size, &wasm, &len, &err) != WARD_OK) {
        require(wasm == NULL);
        require(err.stage == WARD_STAGE_TEXT);
        require(err.message[0] != '\0' && memchr(err.message, '\0', sizeof err.message) != NULL);
        require((err.line == WARD_NONE) == (err.column == WARD_NONE));
        require(err.line == WARD_NONE || (err.line >= 1 && err.column >= 1));
        return 0;
    }
    require(wasm != NULL);
    check_mapped(data, size, wasm, len, &map);
    ward_config config;
    ward_config_default(&config);
    config.threads = true;
    config.exceptions = true;
    config.extended_const = true;
    ward_engine *engine = ward_engine_new(&config);
    if (engine) {
        uint32_t line, column;
        ward_module *module = ward_module_new(engine, wasm, len, &err);
        if (!module && ward_wat_map_find(map, err.func_index, err.offset, &line, &column))
            require(line >= 1 && column >= 1);
        ward_module_free(module);
        ward_engine_free(engine);
    }
    ward_wat_map_free(map);
    ward_wasm_free(wasm);
    return 0;
}
