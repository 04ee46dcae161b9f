/* ward_wat_to_wasm: the text parser behind ward.h's error record. */
#include <stdio.h>
#include <stdlib.h>

#include "text_internal.h"
#include "../common/util.h"

ward_result ward_wat_to_wasm(const char *text, size_t len, uint8_t **wasm, size_t *wasm_len,
                             ward_error *err)
{
    wtext_module m;
    wtext_error e;
    if (err)
        werror_public_init(err, WARD_STAGE_NONE);
    if (!wasm || !wasm_len || (!text && len)) {
        if (err) {
            err->stage = WARD_STAGE_ARGUMENT;
            snprintf(err->message, sizeof err->message, "ward_wat_to_wasm: NULL argument");
        }
        return WARD_ERROR;
    }
    *wasm = NULL;
    *wasm_len = 0;
    if (!wtext_parse_text(text, len, &m, &e)) {
        if (err) {
            err->stage = WARD_STAGE_TEXT;
            if (e.line) {
                err->line = e.line;
                err->column = e.column;
                snprintf(err->message, sizeof err->message, "line %u, column %u: %.200s", e.line, e.column, e.msg);
            } else {
                snprintf(err->message, sizeof err->message, "%s", e.msg);
            }
        }
        return WARD_ERROR;
    }
    *wasm = m.wasm;
    *wasm_len = m.wasm_len;
    return WARD_OK;
}

void ward_wasm_free(uint8_t *wasm)
{
    free(wasm);
}
