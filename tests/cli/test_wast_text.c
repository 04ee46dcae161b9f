/* The .wast reader (spec-tests/wast_text.c): every command kind and result
 * pattern read from hand-written scripts into wast_cmd records, errors with
 * line:column, and reading going on after a broken command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../spec-tests/wast.h"
#include "../../spec-tests/wast_cmd.h"
#include "../test.h"

#define MAX_CMDS 32

typedef struct script {
    wast_cmd cmds[MAX_CMDS];
    size_t n;
} script;

/* Write text to a temporary .wast file; its path is static. */
static const char *write_script(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/test_wast_text_%ld.wast", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

/* Read every command of text into *s (memory64: the proposal's text);
 * false when the file cannot be read. */
static bool read_script_with(const char *text, bool memory64, script *s)
{
    werror why;
    wast_reader *r = wast_text_open_buffer("test.wast", text, strlen(text), memory64, &why);
    s->n = 0;
    if (!r)
        return false;
    while (s->n < MAX_CMDS && r->next(r, &s->cmds[s->n]))
        s->n++;
    r->close(r);
    return true;
}

static bool read_script(const char *text, script *s)
{
    return read_script_with(text, false, s);
}

static void free_script(script *s)
{
    for (size_t i = 0; i < s->n; i++)
        wast_cmd_free(&s->cmds[i]);
    s->n = 0;
}

static const wast_value *result(const wast_cmd *c, size_t i)
{
    return i < c->nexpected && c->expected[i].nalts ? &c->expected[i].alts[0] : NULL;
}

static uint32_t lane32(const wast_value *v, unsigned lane)
{
    const uint8_t *b = v->val.of.v128 + 4 * lane;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void test_modules(void)
{
    script s;
    CHECK(read_script("(module $M (func (export \"f\")))\n"
                      "(module binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
                      "(module $Q quote \"(func)\")\n"
                      "(module (func (i32.const)))\n"
                      "(register \"m\" $M)\n"
                      "(register \"cur\")\n",
                      &s));
    CHECK(s.n == 6);
    CHECK(s.cmds[0].kind == WAST_CMD_MODULE && s.cmds[0].line == 1);
    CHECK(s.cmds[0].module.form == WAST_MODULE_BINARY && s.cmds[0].module.size > 8);
    CHECK(s.cmds[0].name && strcmp(s.cmds[0].name, "$M") == 0);
    CHECK(s.cmds[1].module.form == WAST_MODULE_BINARY && s.cmds[1].module.size == 8 && !s.cmds[1].name);
    CHECK(memcmp(s.cmds[1].module.bytes, "\0asm\1\0\0\0", 8) == 0);
    CHECK(s.cmds[2].module.form == WAST_MODULE_BINARY && s.cmds[2].name && strcmp(s.cmds[2].name, "$Q") == 0);
    /* the parser refuses line 4's module: malformed, and reading goes on */
    CHECK(s.cmds[3].kind == WAST_CMD_MODULE && s.cmds[3].module.form == WAST_MODULE_MALFORMED);
    CHECK_CONTAINS(s.cmds[3].module.problem.msg, "4:");
    CHECK(s.cmds[4].kind == WAST_CMD_REGISTER && strcmp(s.cmds[4].as, "m") == 0 &&
          strcmp(s.cmds[4].name, "$M") == 0 && s.cmds[4].line == 5);
    CHECK(s.cmds[5].kind == WAST_CMD_REGISTER && !s.cmds[5].name);
    free_script(&s);

    /* A script of bare module fields is one inline module. */
    CHECK(read_script("(func) (memory 0) (func (export \"f\"))", &s));
    CHECK(s.n == 1 && s.cmds[0].kind == WAST_CMD_MODULE && s.cmds[0].module.form == WAST_MODULE_BINARY);
    free_script(&s);
}

static void test_actions(void)
{
    script s;
    CHECK(read_script(";; comment\n"
                      "(invoke \"f\" (i32.const -1) (i64.const 0x10) (f32.const 1.5) (f64.const -0x1p-1))\n"
                      "(get $M \"g\\00x\")\n"
                      "(invoke \"v\" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1) (ref.null func)\n"
                      "  (ref.null extern) (ref.extern 7))\n",
                      &s));
    CHECK(s.n == 3);
    const wast_action *a = &s.cmds[0].action;
    CHECK(s.cmds[0].kind == WAST_CMD_ACTION && s.cmds[0].line == 2);
    CHECK(a->kind == WAST_ACTION_INVOKE && !a->module && strcmp(a->field, "f") == 0 && a->nargs == 4);
    if (a->nargs == 4) {
        CHECK(a->args[0].val.kind == WARD_I32 && a->args[0].val.of.i32 == 0xffffffffu);
        CHECK(a->args[1].val.kind == WARD_I64 && a->args[1].val.of.i64 == 16);
        CHECK(a->args[2].val.kind == WARD_F32 && a->args[2].val.of.f32_bits == 0x3fc00000u);
        CHECK(a->args[3].val.kind == WARD_F64 && a->args[3].val.of.f64_bits == 0xbfe0000000000000u);
    }
    a = &s.cmds[1].action;
    CHECK(a->kind == WAST_ACTION_GET && strcmp(a->module, "$M") == 0);
    CHECK(a->field_len == 3 && memcmp(a->field, "g\0x", 3) == 0); /* names may hold NUL */
    a = &s.cmds[2].action;
    CHECK(a->nargs == 4);
    if (a->nargs == 4) {
        CHECK(a->args[0].val.kind == WARD_V128 && a->args[0].val.of.v128[15] == 0xff &&
              a->args[0].val.of.v128[1] == 1);
        CHECK(a->args[1].val.kind == WARD_FUNCREF && !a->args[1].val.of.funcref);
        CHECK(a->args[2].val.kind == WARD_EXTERNREF && !a->args[2].val.of.externref);
        CHECK(a->args[3].val.kind == WARD_EXTERNREF && a->args[3].val.of.externref == (void *)(uintptr_t)8);
    }
    free_script(&s);
}

static void test_results(void)
{
    script s;
    CHECK(read_script("(assert_return (invoke \"f\")\n"
                      "  (f32.const nan:canonical) (f64.const nan:arithmetic) (f32.const -nan:0x200000)\n"
                      "  (v128.const f32x4 nan:canonical 1 -0 inf) (v128.const i16x8 0 1 2 3 4 5 6 -32768)\n"
                      "  (ref.func) (ref.extern) (ref.extern 2) (ref.null extern)\n"
                      "  (either (i32.const 1) (i32.const 2)))\n"
                      "(assert_return (invoke \"g\"))\n",
                      &s));
    CHECK(s.n == 2);
    const wast_cmd *c = &s.cmds[0];
    CHECK(c->kind == WAST_CMD_ASSERT_RETURN && c->nexpected == 10);
    if (c->nexpected == 10) {
        CHECK(result(c, 0)->val.kind == WARD_F32 && result(c, 0)->nan[0] == WAST_NAN_CANONICAL);
        CHECK(result(c, 1)->val.kind == WARD_F64 && result(c, 1)->nan[0] == WAST_NAN_ARITHMETIC);
        CHECK(result(c, 2)->nan[0] == WAST_NAN_NONE && result(c, 2)->val.of.f32_bits == 0xffa00000u);
        const wast_value *v = result(c, 3);
        CHECK(v->val.kind == WARD_V128 && v->lane_bits == 32 && v->lane_float);
        CHECK(v->nan[0] == WAST_NAN_CANONICAL && v->nan[1] == WAST_NAN_NONE);
        CHECK(lane32(v, 1) == 0x3f800000u && lane32(v, 2) == 0x80000000u && lane32(v, 3) == 0x7f800000u);
        CHECK(result(c, 4)->lane_bits == 16 && !result(c, 4)->lane_float && result(c, 4)->val.of.v128[15] == 0x80);
        CHECK(result(c, 5)->val.kind == WARD_FUNCREF && result(c, 5)->nonnull);
        CHECK(result(c, 6)->val.kind == WARD_EXTERNREF && result(c, 6)->nonnull);
        CHECK(result(c, 7)->val.of.externref == (void *)(uintptr_t)3 && !result(c, 7)->nonnull);
        CHECK(result(c, 8)->val.kind == WARD_EXTERNREF && !result(c, 8)->val.of.externref);
        CHECK(c->expected[9].nalts == 2 && c->expected[9].alts[1].val.of.i32 == 2);
    }
    CHECK(s.cmds[1].kind == WAST_CMD_ASSERT_RETURN && s.cmds[1].nexpected == 0);
    free_script(&s);
}

static void test_assertions(void)
{
    script s;
    CHECK(read_script("(assert_trap (invoke \"f\") \"unreachable\")\n"
                      "(assert_trap (module (func unreachable) (start 0)) \"unreachable\")\n"
                      "(assert_exhaustion (invoke \"rec\") \"call stack exhausted\")\n"
                      "(assert_exception (invoke \"throw\"))\n"
                      "(assert_invalid (module (func (result i32))) \"type mismatch\")\n"
                      "(assert_malformed (module quote \"(func i32.const)\") \"unexpected token\")\n"
                      "(assert_malformed (module binary \"\\00asm\") \"unexpected end\")\n"
                      "(assert_unlinkable (module (import \"x\" \"y\" (func))) \"unknown import\")\n"
                      "(assert_uninstantiable (module (func unreachable) (start 0)) \"unreachable\")\n",
                      &s));
    CHECK(s.n == 9);
    static const wast_cmd_kind kinds[] = {
        WAST_CMD_ASSERT_TRAP,      WAST_CMD_ASSERT_TRAP,      WAST_CMD_ASSERT_EXHAUSTION,
        WAST_CMD_ASSERT_EXCEPTION, WAST_CMD_ASSERT_INVALID,   WAST_CMD_ASSERT_MALFORMED,
        WAST_CMD_ASSERT_MALFORMED, WAST_CMD_ASSERT_UNLINKABLE, WAST_CMD_ASSERT_UNINSTANTIABLE,
    };
    for (size_t i = 0; i < s.n && i < 9; i++) {
        CHECK_MSG(s.cmds[i].kind == kinds[i], "command %zu is kind %d", i, (int)s.cmds[i].kind);
        CHECK(s.cmds[i].line == (int)i + 1);
    }
    if (s.n == 9) {
        CHECK(s.cmds[0].action.kind == WAST_ACTION_INVOKE && strcmp(s.cmds[0].text, "unreachable") == 0);
        CHECK(s.cmds[1].action.kind == WAST_ACTION_NONE && s.cmds[1].module.form == WAST_MODULE_BINARY);
        CHECK(s.cmds[3].action.kind == WAST_ACTION_INVOKE && !s.cmds[3].text);
        CHECK(s.cmds[4].module.form == WAST_MODULE_BINARY && strcmp(s.cmds[4].text, "type mismatch") == 0);
        CHECK(s.cmds[5].module.form == WAST_MODULE_MALFORMED);
        CHECK(s.cmds[6].module.form == WAST_MODULE_BINARY && s.cmds[6].module.size == 4);
    }
    free_script(&s);
}

/* The memory64 proposal's text takes u64 limits (the validator refuses
 * them for an i32 memory); core text stops at u32. */
static void test_memory64_text(void)
{
    const char *text = "(assert_invalid (module quote \"(memory 0x1_0000_0000)\") \"memory size\")\n";
    script s;
    CHECK(read_script_with(text, false, &s) && s.n == 1);
    CHECK(s.n == 1 && s.cmds[0].module.form == WAST_MODULE_MALFORMED);
    free_script(&s);
    CHECK(read_script_with(text, true, &s) && s.n == 1);
    CHECK(s.n == 1 && s.cmds[0].module.form == WAST_MODULE_BINARY);
    free_script(&s);
}

/* Script errors: a broken command with line:column, then the next one. */
static void test_errors(void)
{
    script s;
    CHECK(read_script("(assert_return (invoke \"f\" (i32.const x)))\n"
                      "  (frobnicate 1 2)\n"
                      "(assert_return (invoke \"f\") (i32.const 1) \"extra\")\n"
                      "(assert_return (invoke \"f\" (f32.const nan:canonical)))\n"
                      "(assert_trap (invoke \"f\"))\n"
                      "(assert_return (invoke \"f\" (i32.const 4294967296)))\n"
                      "(invoke \"ok\")\n"
                      "(assert_return (invoke \"f\")",
                      &s));
    CHECK(s.n == 8);
    if (s.n == 8) {
        for (size_t i = 0; i < 6; i++)
            CHECK_MSG(s.cmds[i].kind == WAST_CMD_BROKEN, "command %zu is kind %d", i, (int)s.cmds[i].kind);
        CHECK_CONTAINS(s.cmds[0].problem.msg, "1:39: ");
        CHECK(s.cmds[1].line == 2);
        CHECK_CONTAINS(s.cmds[1].problem.msg, "2:4: expected a command");
        CHECK_CONTAINS(s.cmds[2].problem.msg, "3:43: ");
        CHECK_CONTAINS(s.cmds[3].problem.msg, "4:39: ");
        CHECK_CONTAINS(s.cmds[4].problem.msg, "5:26: ");
        CHECK_CONTAINS(s.cmds[5].problem.msg, "6:39: ");
        CHECK(s.cmds[6].kind == WAST_CMD_ACTION && strcmp(s.cmds[6].action.field, "ok") == 0);
        CHECK(s.cmds[7].kind == WAST_CMD_BROKEN && s.cmds[7].line == 8);
    }
    free_script(&s);

    /* a file: read as the buffer is; no such file */
    werror why;
    const char *path = write_script("(invoke \"f\")\n(get \"g\")");
    wast_reader *r = path ? wast_text_open(path, false, &why) : NULL;
    wast_cmd c;
    CHECK(r && r->next(r, &c) && c.kind == WAST_CMD_ACTION && strcmp(c.action.field, "f") == 0);
    if (r) {
        wast_cmd_free(&c);
        CHECK(r->next(r, &c) && c.action.kind == WAST_ACTION_GET);
        wast_cmd_free(&c);
        CHECK(!r->next(r, &c));
        CHECK(strcmp(r->source, path) == 0);
        r->close(r);
    }
    remove(path);
    CHECK(!wast_text_open("/nonexistent/x.wast", false, &why));
    CHECK_CONTAINS(why.msg, "/nonexistent/x.wast");
}

/* The engine runs text scripts: `ward wast FILE.wast`. */
static void test_run(void)
{
    const char *path = write_script("(module (func (export \"add\") (param i32 i32) (result i32)\n"
                                    "  (i32.add (local.get 0) (local.get 1))))\n"
                                    "(assert_return (invoke \"add\" (i32.const 1) (i32.const 2)) (i32.const 3))\n"
                                    "(assert_return (invoke \"add\" (i32.const 1) (i32.const 2))\n"
                                    "  (either (i32.const 4) (i32.const 3)))\n"
                                    "(assert_malformed (module quote \"(func i32.const)\") \"unexpected token\")\n"
                                    "(assert_invalid (module (func (result i32))) \"type mismatch\")\n");
    CHECK(path);
    char *argv[] = {"wast", (char *)path, NULL};
    CHECK(ward_wast_main(2, argv) == 0);
    remove(path);
    path = write_script("(module (func (export \"one\") (result i32) (i32.const 1)))\n"
                        "(assert_return (invoke \"one\") (either (i32.const 2) (i32.const 3)))\n");
    char *argv2[] = {"wast", (char *)path, NULL};
    CHECK(ward_wast_main(2, argv2) == 1);
    remove(path);
    /* assert_invalid wants a module that parses and fails validation: the
     * text parser's refusal is a failure, not a pass */
    path = write_script("(assert_invalid (module (func (i32.const))) \"type mismatch\")\n");
    char *argv3[] = {"wast", (char *)path, NULL};
    CHECK(ward_wast_main(2, argv3) == 1);
    remove(path);
}

int main(void)
{
    test_modules();
    test_actions();
    test_results();
    test_assertions();
    test_errors();
    test_memory64_text();
    test_run();
    return test_summary("wast_text");
}
