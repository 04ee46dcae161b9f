/* Helpers shared by the wasm.h tests. */
#ifndef WARD_TEST_CAPI_H
#define WARD_TEST_CAPI_H

#include <string.h>

#include "../test.h"
#include "wasm.h"

/* A byte vector viewing (not owning) a module array: never deleted. */
#define BYTES_OF(array) ((wasm_byte_vec_t){sizeof(array), (wasm_byte_t *)(array)})

/* Does name equal the C string s (no NUL counted)? */
static inline bool name_is(const wasm_name_t *name, const char *s)
{
    return name->size == strlen(s) && memcmp(name->data, s, name->size) == 0;
}

/* Does a trap's message read s? */
static inline bool trap_says(const wasm_trap_t *trap, const char *s)
{
    wasm_message_t m;
    wasm_trap_message(trap, &m);
    bool same = m.size == strlen(s) + 1 && memcmp(m.data, s, m.size) == 0;
    wasm_byte_vec_delete(&m);
    return same;
}

#endif
