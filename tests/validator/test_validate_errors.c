/*
 * Validation errors are records (issue 11): an invalid function body's
 * error carries the code section's id, the function index (in the module's
 * index space, imports first) and the offset of the offending instruction.
 */
#include <string.h>

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

/*
 * The validator's fast run (validate_fast.c) takes only what it can accept;
 * each body below makes it hand an instruction to the general path, which
 * must word the same error at the same offset.  The module: one type
 * [] -> [], one function with one i64 local, one memory; the body's
 * instructions start at offset 30.
 */
static wmodule *module_with_body(const uint8_t *instrs, size_t n, werror *e)
{
    static const uint8_t head[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01,
                                   0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01};
    uint8_t bytes[128];
    size_t len = 0;
    memcpy(bytes, head, sizeof head);
    len = sizeof head;
    bytes[len++] = 0x0a;
    bytes[len++] = (uint8_t)(2 + 3 + n + 1);
    bytes[len++] = 0x01;
    bytes[len++] = (uint8_t)(3 + n + 1);
    bytes[len++] = 0x01; /* one local: */
    bytes[len++] = 0x01;
    bytes[len++] = 0x7e; /* i64 */
    memcpy(bytes + len, instrs, n);
    len += n;
    bytes[len++] = 0x0b;
    return wdecode_module(bytes, len, NULL, e);
}

static void check_body_error(const uint8_t *instrs, size_t n, const char *want)
{
    werror e;
    wmodule *m = module_with_body(instrs, n, &e);
    CHECK_MSG(m != NULL, "%s", e.msg);
    if (!m)
        return;
    CHECK_MSG(!wvalidate_module(m, &e), "valid, want %s", want);
    CHECK_MSG(strcmp(e.msg, want) == 0, "got \"%s\", want \"%s\"", e.msg, want);
    wmodule_free(m);
}

static void test_fast_run_hands_errors_over(void)
{
    /* i32.const 0; local.set 0 (an i64) */
    check_body_error((const uint8_t[]){0x41, 0x00, 0x21, 0x00}, 4,
                     "function 0, offset 0x20: type mismatch: expected i64, got i32");
    /* local.get 5: no such local */
    check_body_error((const uint8_t[]){0x20, 0x05, 0x1a}, 3, "function 0, offset 0x1e: unknown local 5");
    /* i32.const 0; i32.load align=8 */
    check_body_error((const uint8_t[]){0x41, 0x00, 0x28, 0x03, 0x00, 0x1a}, 6,
                     "function 0, offset 0x20: alignment must not be larger than natural");
    /* block; i32.const 1; end: one value too many at the inner end */
    check_body_error((const uint8_t[]){0x02, 0x40, 0x41, 0x01, 0x0b}, 5,
                     "function 0, offset 0x22: type mismatch: 1 extra value(s) at the end of a block");
    /* local.get 0 (i64); br_if 0: the condition must be an i32 */
    check_body_error((const uint8_t[]){0x20, 0x00, 0x0d, 0x00}, 4,
                     "function 0, offset 0x20: type mismatch: expected i32, got i64");
    /* i32.const 0; br_if 1: no such label */
    check_body_error((const uint8_t[]){0x41, 0x00, 0x0d, 0x01}, 4, "function 0, offset 0x20: unknown label 1");
    /* f32.const 0; i32.eqz */
    check_body_error((const uint8_t[]){0x43, 0, 0, 0, 0, 0x45, 0x1a}, 7,
                     "function 0, offset 0x23: type mismatch: expected i32, got f32");
}

/* Past `unreachable` the fast run leaves the polymorphic pops to the
 * general path: unreachable; i32.add; drop; local.set 0; i32.const 0;
 * br_if 0 is valid. */
static void test_fast_run_polymorphic_valid(void)
{
    static const uint8_t instrs[] = {0x00, 0x6a, 0x1a, 0x21, 0x00, 0x41, 0x00, 0x0d, 0x00};
    werror e;
    wmodule *m = module_with_body(instrs, sizeof instrs, &e);
    CHECK_MSG(m != NULL, "%s", e.msg);
    if (!m)
        return;
    CHECK_MSG(wvalidate_module(m, &e), "%s", e.msg);
    wmodule_free(m);
}

int main(void)
{
    test_invalid_function_body();
    test_fast_run_hands_errors_over();
    test_fast_run_polymorphic_valid();
    return test_summary("validate_errors");
}
