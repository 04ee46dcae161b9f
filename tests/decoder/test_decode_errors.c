/*
 * Decoder errors are records (issue 11): besides the message, a malformed
 * module's error names the section id, the function being decoded and the
 * byte offset, the same ones the message's "... section, function N,
 * offset 0xX: " prefix shows.
 */
#include <string.h>

#include "decoder/module.h"
#include "test.h"

#define CHECK_U32(got, want) CHECK_MSG((got) == (want), "got %u, want %u", (unsigned)(got), (unsigned)(want))

static bool decode_fails(const uint8_t *bytes, size_t size, werror *e)
{
    wmodule *m = wdecode_module(bytes, size, NULL, e);
    wmodule_free(m);
    return m == NULL;
}

/* A function type whose form byte is not 0x60: type section (id 1), the
 * form byte at offset 11. */
static void test_malformed_type_section(void)
{
    static const uint8_t bytes[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                    0x01, 0x04, 0x01, 0x61, 0x00, 0x00};
    werror e;
    CHECK(decode_fails(bytes, sizeof bytes, &e));
    CHECK_CONTAINS(e.msg, "type section, entry 0, offset 0xb: ");
    CHECK_U32(e.section, 1);
    CHECK_U32(e.offset, 11);
    CHECK_U32(e.func, WARD_NONE);
    /* the decoder does not choose the stage: ward_module_new says DECODE */
    CHECK_U32(e.stage, WARD_STAGE_NONE);
}

/* Function 0 declares a local of no value type (0x55): code section (id
 * 10), function 0, at that byte. */
static void test_malformed_function_body(void)
{
    static const uint8_t bytes[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,  /* type () -> () */
                                    0x03, 0x02, 0x01, 0x00,              /* function 0: type 0 */
                                    0x0a, 0x06, 0x01, 0x04, 0x01, 0x01, 0x55, 0x0b};
    werror e;
    CHECK(decode_fails(bytes, sizeof bytes, &e));
    CHECK_CONTAINS(e.msg, "code section, function 0, offset 0x18: ");
    CHECK_U32(e.section, 10);
    CHECK_U32(e.func, 0);
    CHECK_U32(e.offset, 0x18);
}

/* Before any section: the header. */
static void test_bad_magic(void)
{
    static const uint8_t bytes[] = {0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00};
    werror e;
    CHECK(decode_fails(bytes, sizeof bytes, &e));
    CHECK_CONTAINS(e.msg, "module, offset 0x0: magic header not detected");
    CHECK_U32(e.section, WARD_NONE);
    CHECK_U32(e.func, WARD_NONE);
    CHECK_U32(e.offset, 0);
}

/* A later error leaves no trace of an earlier location: the record is
 * rewritten whole. */
static void test_record_is_rewritten(void)
{
    werror e;
    werror_set(&e, "x");
    e.section = 3;
    e.func = 4;
    e.offset = 5;
    werror_set(&e, "plain");
    CHECK(strcmp(e.msg, "plain") == 0);
    CHECK_U32(e.section, WARD_NONE);
    CHECK_U32(e.func, WARD_NONE);
    CHECK_U32(e.offset, WARD_NONE);
    werror_set_stage(&e, WARD_STAGE_LIMIT, "capped");
    CHECK_U32(e.stage, WARD_STAGE_LIMIT);
}

int main(void)
{
    test_malformed_type_section();
    test_malformed_function_body();
    test_bad_magic();
    test_record_is_rewritten();
    return test_summary("decode_errors");
}
