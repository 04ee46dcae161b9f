/* ward_wat_to_wasm and its source map: the text parser behind ward.h's
 * error record. */
#include <stdio.h>
#include <stdlib.h>

#include "text_internal.h"
#include "../common/util.h"

static void text_error(ward_error *err, const wtext_error *e)
{
    if (!err)
        return;
    err->stage = WARD_STAGE_TEXT;
    if (e->line) {
        err->line = e->line;
        err->column = e->column;
        snprintf(err->message, sizeof err->message, "line %u, column %u: %.200s", e->line, e->column, e->msg);
    } else {
        snprintf(err->message, sizeof err->message, "%s", e->msg);
    }
}

static ward_result convert(const char *text, size_t len, uint8_t **wasm, size_t *wasm_len, ward_wat_map **map,
                           ward_error *err)
{
    wtext_module m;
    wtext_error e;
    wtext_options opt = {.source_map = map != NULL};
    if (err)
        werror_public_init(err, WARD_STAGE_NONE);
    if (map)
        *map = NULL;
    if (!wasm || !wasm_len || (!text && len)) {
        if (err) {
            err->stage = WARD_STAGE_ARGUMENT;
            snprintf(err->message, sizeof err->message, "ward_wat_to_wasm: NULL argument");
        }
        return WARD_ERROR;
    }
    *wasm = NULL;
    *wasm_len = 0;
    if (!wtext_parse_text_with(text, len, &opt, &m, &e)) {
        text_error(err, &e);
        return WARD_ERROR;
    }
    *wasm = m.wasm;
    *wasm_len = m.wasm_len;
    if (map)
        *map = m.map;
    return WARD_OK;
}

ward_result ward_wat_to_wasm(const char *text, size_t len, uint8_t **wasm, size_t *wasm_len, ward_error *err)
{
    return convert(text, len, wasm, wasm_len, NULL, err);
}

ward_result ward_wat_to_wasm_map(const char *text, size_t len, uint8_t **wasm, size_t *wasm_len,
                                 ward_wat_map **map, ward_error *err)
{
    if (!map) {
        if (err) {
            werror_public_init(err, WARD_STAGE_ARGUMENT);
            snprintf(err->message, sizeof err->message, "ward_wat_to_wasm_map: NULL map");
        }
        return WARD_ERROR;
    }
    return convert(text, len, wasm, wasm_len, map, err);
}

bool ward_wat_map_find(const ward_wat_map *map, uint32_t func_index, uint32_t offset, uint32_t *line,
                       uint32_t *column)
{
    return line && column && wtext_srcmap_find(map, func_index, offset, line, column);
}

void ward_wat_map_free(ward_wat_map *map)
{
    wtext_srcmap_free(map);
}

void ward_wasm_free(uint8_t *wasm)
{
    free(wasm);
}
