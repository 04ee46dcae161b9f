/*
 * Modules written as WebAssembly text in a test: assembled by ward's own
 * parser (ward_wat_to_wasm), then loaded like any binary.
 */
#ifndef WARD_TEST_WAT_H
#define WARD_TEST_WAT_H

#include <string.h>

#include "ward.h"

/* The module of `text`, or NULL with *err (may be NULL) saying why. */
static inline ward_module *test_wat_module(ward_engine *engine, const char *text, ward_error *err)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (ward_wat_to_wasm(text, strlen(text), &bytes, &len, err) != WARD_OK)
        return NULL;
    ward_module *m = ward_module_new(engine, bytes, len, err);
    ward_wasm_free(bytes);
    return m;
}

#endif
