/*
 * Validation errors are records (issue 11): an invalid function body's
 * error carries the code section's id, the function index (in the module's
 * index space, imports first) and the offset of the offending instruction.
 */
#include "decoder/module.h"
#include "test.h"
#include "validator/validate.h"

#define CHECK_U32(got, want) CHECK_MSG((got) == (want), "got %u, want %u", (unsigned)(got), (unsigned)(want))

/*
 * (module (import "env" "cb" (func $cb))
 *         (func (result i32) (i64.const 0)))
 * Function 1 (after the import) leaves an i64 where an i32 is due: the
 * error is at its `end`, offset 0x29.
 */
static const uint8_t bad_body[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x60, 0x00, 0x00,
    0x60, 0x00, 0x01, 0x7f, 0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x02, 0x63, 0x62,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x01, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x42, 0x00, 0x0b,
};

static void test_invalid_function_body(void)
{
    werror e;
    wmodule *m = wdecode_module(bad_body, sizeof bad_body, NULL, &e);
    CHECK_MSG(m != NULL, "%s", e.msg);
    if (!m)
        return;
    CHECK(!wvalidate_module(m, &e));
    CHECK_CONTAINS(e.msg, "function 1, offset 0x29: type mismatch");
    CHECK_U32(e.section, 10);
    CHECK_U32(e.func, 1);
    CHECK_U32(e.offset, 0x29);
    CHECK_U32(e.stage, WARD_STAGE_NONE); /* ward_module_new says VALIDATE */
    wmodule_free(m);
}

int main(void)
{
    test_invalid_function_body();
    return test_summary("validate_errors");
}
