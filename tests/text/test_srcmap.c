/*
 * The text source map (ward_wat_to_wasm_map, docs/text.md): each opcode's
 * byte in the binary leads back to its keyword's line and column, flat or
 * folded, for 'end' and closing parentheses too; validation errors and
 * trap frames are found by their records' offset or function.
 */
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "ward.h"

typedef struct mapped {
    uint8_t *wasm;
    size_t len;
    ward_wat_map *map;
} mapped;

static mapped convert(const char *text)
{
    mapped m = {0};
    ward_error err;
    CHECK_MSG(ward_wat_to_wasm_map(text, strlen(text), &m.wasm, &m.len, &m.map, &err) == WARD_OK, "%s",
              err.message);
    return m;
}

static void release(mapped *m)
{
    ward_wat_map_free(m->map);
    ward_wasm_free(m->wasm);
}

/* The offset of the n-th (0-based) occurrence of byte b at or after `from`. */
static uint32_t find_byte(const mapped *m, size_t from, uint8_t b, int n)
{
    for (size_t i = from; i < m->len; i++)
        if (m->wasm[i] == b && n-- == 0)
            return (uint32_t)i;
    return WARD_NONE;
}

/* Where the map puts offset: line * 1000 + column, 0 when nowhere. */
static uint32_t place(const mapped *m, uint32_t func_index, uint32_t offset)
{
    uint32_t line, column;
    return ward_wat_map_find(m->map, func_index, offset, &line, &column) ? line * 1000 + column : 0;
}

/* The code section's contents: after its id (10), size and count. */
static size_t code_start(const mapped *m)
{
    for (size_t i = 8; i < m->len;) {
        uint8_t id = m->wasm[i++];
        uint32_t size = 0, shift = 0;
        while (m->wasm[i] & 0x80)
            size |= (uint32_t)(m->wasm[i++] & 0x7f) << shift, shift += 7;
        size |= (uint32_t)m->wasm[i++] << shift;
        if (id == 10)
            return i;
        i += size;
    }
    return m->len;
}

static void test_flat_and_folded(void)
{
    static const char text[] =
        "(module\n"                                         /* 1 */
        "  (func $f (param i32) (result i32)\n"             /* 2 */
        "    (if (result i32) (local.get 0)\n"              /* 3 */
        "      (then (i32.const 7))\n"                      /* 4 */
        "      (else (i32.mul (i32.const 6) (i32.const 9)))))\n" /* 5 */
        "  (func (result i32)\n"                            /* 6 */
        "    block (result i32)\n"                          /* 7 */
        "      i32.const 1\n"                               /* 8 */
        "      i32.const 0\n"                               /* 9 */
        "      i32.div_u\n"                                 /* 10 */
        "    end))\n";                                      /* 11 */
    mapped m = convert(text);
    if (!m.map)
        return;
    size_t code = code_start(&m);
    /* function 0: local.get 0 comes before the if in the binary */
    uint32_t get = find_byte(&m, code, 0x20, 0);
    CHECK_MSG(place(&m, WARD_NONE, get) == 3023, "local.get at %u", place(&m, WARD_NONE, get));
    uint32_t if_op = find_byte(&m, code, 0x04, 0);
    CHECK(if_op == get + 2 && place(&m, WARD_NONE, if_op) == 3006);
    CHECK(place(&m, WARD_NONE, if_op + 1) == 3006);   /* its block type */
    CHECK(place(&m, WARD_NONE, find_byte(&m, if_op, 0x41, 0)) == 4014);
    CHECK(place(&m, WARD_NONE, find_byte(&m, if_op, 0x6c, 0)) == 5014);   /* i32.mul after its operands */
    CHECK(place(&m, WARD_NONE, find_byte(&m, if_op, 0x41, 1)) == 5023);
    /* the if's end is the ')' closing (if ...); the function's end its own ')' */
    uint32_t mul = find_byte(&m, if_op, 0x6c, 0);
    CHECK_MSG(m.wasm[mul + 1] == 0x0b && place(&m, WARD_NONE, mul + 1) == 5051, "if end at %u",
              place(&m, WARD_NONE, mul + 1));
    CHECK(m.wasm[mul + 2] == 0x0b && place(&m, WARD_NONE, mul + 2) == 5052);
    /* function 1: flat, 'end' where it is written */
    uint32_t div = find_byte(&m, code, 0x6e, 0);
    CHECK(place(&m, WARD_NONE, div) == 10007);
    CHECK(m.wasm[div + 1] == 0x0b && place(&m, WARD_NONE, div + 1) == 11005);
    CHECK(place(&m, WARD_NONE, div - 2) == 9007);
    /* a function's first bytes (its locals) are its 'func' keyword */
    CHECK(place(&m, WARD_NONE, (uint32_t)code + 2) == 2004);   /* count, body size, locals */
    /* by function when the offset says nothing */
    CHECK(place(&m, 1, WARD_NONE) == 6004);
    CHECK(place(&m, 2, WARD_NONE) == 0);
    CHECK(place(&m, WARD_NONE, 0) == 0);   /* the header is no code */
    CHECK(place(&m, WARD_NONE, (uint32_t)m.len) == 0);
    release(&m);
}

static void test_validation_error_found(void)
{
    static const char text[] =
        "(module\n"
        "  (import \"env\" \"f\" (func))\n"
        "  (func (result i32)\n"
        "    (i32.add (i32.const 1) (f32.const 2))))\n";
    mapped m = convert(text);
    ward_engine *engine = ward_engine_new(NULL);
    ward_error err;
    CHECK(ward_module_new(engine, m.wasm, m.len, &err) == NULL);
    CHECK(err.func_index == 1);
    CHECK_MSG(place(&m, err.func_index, err.offset) == 4006, "%s at %u", err.message,
              place(&m, err.func_index, err.offset));
    CHECK(place(&m, 0, WARD_NONE) == 0);   /* an imported function has no text body */
    ward_engine_free(engine);
    release(&m);

    mapped t = convert("(module (type (func)) (func $a (type 5)))");
    engine = ward_engine_new(NULL);
    CHECK(ward_module_new(engine, t.wasm, t.len, &err) == NULL);
    CHECK_MSG(place(&t, err.func_index, err.offset) == 1024, "%s", err.message);
    ward_engine_free(engine);
    release(&t);
}

static void test_trap_frames_found(void)
{
    static const char text[] =
        "(module\n"
        "  (func $inner (result i32) (i32.div_s (i32.const 1) (i32.const 0)))\n"
        "  (func (export \"run\") (result i32) (call $inner)))\n";
    mapped m = convert(text);
    ward_engine *engine = ward_engine_new(NULL);
    ward_module *module = ward_module_new(engine, m.wasm, m.len, NULL);
    ward_store *store = ward_store_new(engine);
    ward_instance *inst = NULL;
    ward_trap trap;
    if (module && ward_instantiate(store, module, NULL, &inst, NULL, &trap) == WARD_OK) {
        ward_val result;
        CHECK(ward_call(store, ward_instance_func(inst, "run"), NULL, 0, &result, 1, &trap) == WARD_TRAP);
        CHECK(trap.nframes == 2);
        CHECK(place(&m, trap.backtrace[0].func_index, trap.backtrace[0].offset) == 2030);
        CHECK(place(&m, trap.backtrace[1].func_index, trap.backtrace[1].offset) == 3038);
    } else {
        CHECK(!"instantiated");
    }
    ward_store_free(store);
    ward_module_free(module);
    ward_engine_free(engine);
    release(&m);
}

static void test_no_map(void)
{
    mapped q = convert("(module quote \"(func (nop))\")");
    CHECK(q.wasm != NULL && q.map == NULL);   /* positions in a quoted string would mislead */
    CHECK(place(&q, 0, 0) == 0);
    release(&q);
    uint8_t *wasm = (uint8_t *)"x";
    size_t len = 1;
    ward_wat_map *map = (ward_wat_map *)&len;
    ward_error err;
    CHECK(ward_wat_to_wasm_map("(module (func nope))", 20, &wasm, &len, &map, &err) == WARD_ERROR);
    CHECK(wasm == NULL && map == NULL && err.line == 1 && err.column == 15);
    CHECK(ward_wat_to_wasm_map("(module)", 8, &wasm, &len, NULL, &err) == WARD_ERROR);
    CHECK(err.stage == WARD_STAGE_ARGUMENT);
    uint32_t line, column;
    CHECK(!ward_wat_map_find(NULL, 0, 0, &line, &column));
    ward_wat_map_free(NULL);
}

int main(void)
{
    test_flat_and_folded();
    test_validation_error_found();
    test_trap_frames_found();
    test_no_map();
    return test_summary("text_srcmap");
}
