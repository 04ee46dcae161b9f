/*
 * The text format (src/text, docs/text.md): numbers, strings, identifiers,
 * abbreviations, every immediate kind, and error positions.
 */
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "text/text_internal.h"
#include "ward.h"

/* ---- numbers ---- */

static wtok number(const char *s)
{
    wtok t = {WTOK_NUMBER, s, strlen(s), 1, 1};
    if ((s[0] >= 'a' && s[0] <= 'z'))
        t.kind = WTOK_KEYWORD;
    return t;
}

static bool f32_is(const char *s, uint32_t bits)
{
    wtok t = number(s);
    wtext_error e;
    uint32_t v;
    bool ok = wtext_f32(&t, &v, &e) && v == bits;
    if (!ok)
        fprintf(stderr, "f32 %s: got %08x\n", s, v);
    return ok;
}

static bool f64_is(const char *s, uint64_t bits)
{
    wtok t = number(s);
    wtext_error e;
    uint64_t v;
    bool ok = wtext_f64(&t, &v, &e) && v == bits;
    if (!ok)
        fprintf(stderr, "f64 %s: got %016llx\n", s, (unsigned long long)v);
    return ok;
}

static bool f32_fails(const char *s, const char *why)
{
    wtok t = number(s);
    wtext_error e;
    uint32_t v;
    return !wtext_f32(&t, &v, &e) && strstr(e.msg, why) != NULL;
}

static bool f64_fails(const char *s, const char *why)
{
    wtok t = number(s);
    wtext_error e;
    uint64_t v;
    return !wtext_f64(&t, &v, &e) && strstr(e.msg, why) != NULL;
}

static bool int_is(const char *s, unsigned bits, uint64_t want)
{
    wtok t = number(s);
    wtext_error e;
    uint64_t v;
    return wtext_int(&t, bits, &v, &e) && v == want;
}

static bool int_fails(const char *s, unsigned bits, const char *why)
{
    wtok t = number(s);
    wtext_error e;
    uint64_t v;
    return !wtext_int(&t, bits, &v, &e) && strstr(e.msg, why) != NULL;
}

static void test_integers(void)
{
    CHECK(int_is("0", 32, 0));
    CHECK(int_is("4294967295", 32, 0xFFFFFFFF));
    CHECK(int_is("-2147483648", 32, 0x80000000));
    CHECK(int_is("-0x8000_0000", 32, 0x80000000));
    CHECK(int_is("+0x7fffffff", 32, 0x7FFFFFFF));
    CHECK(int_is("1_000_000", 32, 1000000));
    CHECK(int_is("0xFFFF_FFFF_FFFF_FFFF", 64, UINT64_MAX));
    CHECK(int_is("-9223372036854775808", 64, 0x8000000000000000ull));
    CHECK(int_fails("4294967296", 32, "constant out of range"));
    CHECK(int_fails("-2147483649", 32, "constant out of range"));
    CHECK(int_fails("+2147483648", 32, "constant out of range"));
    CHECK(int_fails("18446744073709551616", 64, "constant out of range"));
    CHECK(int_fails("1__0", 32, "malformed"));
    CHECK(int_fails("1_", 32, "malformed"));
    CHECK(int_fails("0x", 32, "malformed"));
    CHECK(int_fails("1.0", 32, "malformed"));
    CHECK(int_fails("0x1g", 32, "malformed"));
    wtok t = number("+5");
    wtext_error e;
    uint32_t u;
    CHECK(!wtext_u32(&t, &u, &e));   /* indices take no sign */
}

static void test_floats(void)
{
    CHECK(f32_is("0", 0));
    CHECK(f32_is("-0", 0x80000000));
    CHECK(f32_is("1", 0x3F800000));
    CHECK(f32_is("0x1.8p1", 0x40400000));
    CHECK(f32_is("3.4028234663852886e38", 0x7F7FFFFF));
    CHECK(f32_is("0x1.fffffefffffffffffp127", 0x7F7FFFFF));     /* just below the overflow tie */
    CHECK(f32_fails("0x1.ffffffp127", "constant out of range")); /* the tie rounds to infinity */
    CHECK(f32_fails("1e39", "constant out of range"));
    CHECK(f32_is("0x1p-149", 0x00000001));      /* smallest subnormal */
    CHECK(f32_is("0x1p-150", 0x00000000));      /* half of it: tie to even, zero */
    CHECK(f32_is("0x1.000002p-150", 0x00000001));
    CHECK(f32_is("0x1.8p-149", 0x00000002));    /* tie to even, up */
    CHECK(f32_is("1e-50", 0));
    /* decimal ties: 1 + 2^-24 is halfway between 1 and the next float */
    CHECK(f32_is("1.000000059604644775390625", 0x3F800000));
    CHECK(f32_is("1.000000059604644775390626", 0x3F800001));
    CHECK(f32_is("1.000000178813934326171875", 0x3F800002));   /* 1 + 3*2^-24: to even, up */
    CHECK(f32_is("inf", 0x7F800000));
    CHECK(f32_is("-inf", 0xFF800000));
    CHECK(f32_is("nan", 0x7FC00000));
    CHECK(f32_is("-nan", 0xFFC00000));
    CHECK(f32_is("nan:0x200000", 0x7FA00000));
    CHECK(f32_is("nan:0x7f_ffff", 0x7FFFFFFF));
    CHECK(f32_fails("nan:0x0", "constant out of range"));
    CHECK(f32_fails("nan:0x80_0000", "constant out of range"));
    CHECK(f32_fails("1.e", "malformed"));
    CHECK(f32_fails("0x.1", "malformed"));
    CHECK(f32_fails("1_.0", "malformed"));
    CHECK(f32_is("1.", 0x3F800000));
    CHECK(f32_is("0x1.p0", 0x3F800000));
    CHECK(f32_is("1e+0_1", 0x41200000));
    CHECK(f64_is("0.1", 0x3FB999999999999Aull));
    CHECK(f64_is("1.7976931348623157e308", 0x7FEFFFFFFFFFFFFFull));
    CHECK(f64_fails("1.7976931348623159e308", "constant out of range"));
    CHECK(f64_is("4.9406564584124654e-324", 1));
    CHECK(f64_is("2.4703282292062327e-324", 0));   /* below half the smallest: zero */
    CHECK(f64_is("2.4703282292062328e-324", 1));   /* above half: rounds up */
    CHECK(f64_fails("0x1.fffffffffffff8p1023", "constant out of range"));
    CHECK(f64_is("0x1.fffffffffffff7ffffffp1023", 0x7FEFFFFFFFFFFFFFull));
    CHECK(f64_is("nan:0xf_ffff_ffff_ffff", 0x7FFFFFFFFFFFFFFFull));
    CHECK(f64_is("1e-400", 0));
    CHECK(f64_is("0e999999999", 0));
    CHECK(f64_fails("1e999999999", "constant out of range"));
    /* a long decimal that is a hair above the f64 tie 1 + 2^-53 */
    CHECK(f64_is("1.00000000000000011102230246251565404236316680908203125", 0x3FF0000000000000ull));
    CHECK(f64_is("1.000000000000000111022302462515654042363166809082031250000000000000001",
                 0x3FF0000000000001ull));
}

/* ---- strings ---- */

static bool string_is(const char *text, const char *want, size_t want_len)
{
    wtok t = {WTOK_STRING, text, strlen(text), 1, 1};
    wtext_error e;
    uint8_t *out;
    size_t len;
    if (!wtext_string(&t, &out, &len, &e))
        return false;
    bool ok = len == want_len && (len == 0 || memcmp(out, want, len) == 0);
    free(out);
    return ok;
}

static void test_strings(void)
{
    CHECK(string_is("\"\"", "", 0));
    CHECK(string_is("\"a\\tb\\n\\r\\\"\\'\\\\\"", "a\tb\n\r\"'\\", 8));
    CHECK(string_is("\"\\00\\ff\\7F\"", "\0\xff\x7f", 3));
    CHECK(string_is("\"\\u{41}\\u{e9}\\u{20AC}\\u{1F600}\"", "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10));
    CHECK(string_is("\"\\u{1_0000}\"", "\xf0\x90\x80\x80", 4));
    CHECK(!string_is("\"\\x\"", "", 0));
    CHECK(!string_is("\"\\u{D800}\"", "", 0));
    CHECK(!string_is("\"\\u{110000}\"", "", 0));
    CHECK(!string_is("\"\\u{}\"", "", 0));
    CHECK(!string_is("\"\\0\"", "", 0));
    wtok bad = {WTOK_STRING, "\"\\ff\"", 5, 1, 1};
    wtext_error e;
    uint8_t *out;
    size_t len;
    CHECK(!wtext_name(&bad, &out, &len, &e));
    CHECK_CONTAINS(e.msg, "malformed UTF-8");
}

/* ---- whole modules ---- */

static uint8_t *wat(const char *text, size_t *len, ward_error *err)
{
    uint8_t *wasm = NULL;
    if (ward_wat_to_wasm(text, strlen(text), &wasm, len, err) != WARD_OK)
        return NULL;
    return wasm;
}

/* Two texts that must give the same binary. */
static bool same_binary(const char *a, const char *b)
{
    size_t la, lb;
    ward_error e;
    uint8_t *wa = wat(a, &la, &e);
    if (!wa)
        fprintf(stderr, "same_binary: %s\n", e.message);
    uint8_t *wb = wat(b, &lb, &e);
    if (!wb)
        fprintf(stderr, "same_binary: %s\n", e.message);
    bool same = wa && wb && la == lb && memcmp(wa, wb, la) == 0;
    ward_wasm_free(wa);
    ward_wasm_free(wb);
    return same;
}

/* text converts to exactly these bytes (hex) */
static bool binary_is(const char *text, const char *hex)
{
    size_t len;
    ward_error e;
    uint8_t *w = wat(text, &len, &e);
    if (!w) {
        fprintf(stderr, "binary_is: %s\n", e.message);
        return false;
    }
    char *got = malloc(len * 2 + 1);
    for (size_t i = 0; i < len; i++)
        sprintf(got + 2 * i, "%02x", w[i]);
    got[len * 2] = 0;
    bool ok = strcmp(got, hex) == 0;
    if (!ok)
        fprintf(stderr, "binary_is: got %s\n     want %s\n", got, hex);
    free(got);
    ward_wasm_free(w);
    return ok;
}

/* the text converts, and ward decodes and validates the result */
static bool valid(const char *text)
{
    size_t len;
    ward_error e;
    uint8_t *w = wat(text, &len, &e);
    if (!w) {
        fprintf(stderr, "valid: %s\n", e.message);
        return false;
    }
    ward_config cfg;
    ward_config_default(&cfg);
    cfg.threads = true;
    cfg.exceptions = true;
    cfg.extended_const = true;
    ward_engine *engine = ward_engine_new(&cfg);
    ward_module *m = ward_module_new(engine, w, len, &e);
    if (!m)
        fprintf(stderr, "valid: %s\n", e.message);
    ward_module_free(m);
    ward_engine_free(engine);
    ward_wasm_free(w);
    return m != NULL;
}

/* the text is malformed: error at line:column, message containing what */
static bool malformed_at(const char *text, uint32_t line, uint32_t column, const char *what)
{
    size_t len;
    ward_error e;
    uint8_t *w = wat(text, &len, &e);
    bool ok = !w && e.stage == WARD_STAGE_TEXT && e.line == line && e.column == column &&
              strstr(e.message, what) != NULL;
    if (!ok)
        fprintf(stderr, "malformed_at: %s -> %s (%u:%u)\n", text, w ? "accepted" : e.message, e.line, e.column);
    ward_wasm_free(w);
    return ok;
}

static void test_identifiers(void)
{
    /* forward references in every index space */
    CHECK(valid("(module (func $a (call $b)) (func $b)"
                " (func (drop (table.size $t)) (drop (memory.size $m)) (drop (global.get $g)))"
                " (func (elem.drop $e) (data.drop $d) (throw $x))"
                " (table $t 0 funcref) (memory $m 1) (global $g i32 (i32.const 0))"
                " (elem $e func $a) (data $d \"\") (tag $x))"));
    CHECK(valid("(module (func (param $p i32) (local $l i64) (local.set $p (local.get 0))"
                " (local.set $l (i64.const 1)) (block $out (loop $top (br_if $out (i32.const 1)) (br $top)))))"));
    CHECK(malformed_at("(module (func $f) (func $f))", 1, 25, "duplicate func $f"));
    CHECK(malformed_at("(module (func (param $x i32) (local $x i32)))", 1, 37, "duplicate local $x"));
    CHECK(malformed_at("(module (func (call $nope)))", 1, 21, "unknown func $nope"));
    CHECK(malformed_at("(module (func (br $l)))", 1, 19, "unknown label $l"));
    CHECK(malformed_at("(module (func block $a end $b))", 1, 28, "mismatching label"));
    /* labels shadow: the innermost $l is depth 0 */
    CHECK(same_binary("(module (func (block $l (block $l (br $l)))))",
                      "(module (func (block (block (br 0)))))"));
    CHECK(same_binary("(module (func (block $a (block $b (br $a)))))",
                      "(module (func (block (block (br 1)))))"));
}

static void test_abbreviations(void)
{
    CHECK(same_binary("(module (func $f (export \"a\") (export \"b\")))",
                      "(module (func $f) (export \"a\" (func $f)) (export \"b\" (func 0)))"));
    CHECK(same_binary("(module (func (import \"m\" \"f\") (param i32)))",
                      "(module (import \"m\" \"f\" (func (param i32))))"));
    CHECK(same_binary("(module (memory (import \"m\" \"mem\") 1 2 shared))",
                      "(module (import \"m\" \"mem\" (memory 1 2 shared)))"));
    /* regression (text-bugs.md 1): the field goes on after an inline import */
    CHECK(same_binary("(module (table (import \"m\" \"t\") 10 20 funcref) (memory (export \"e\") (import \"m\" \"m\") 2)"
                      " (type (func)) (func $p (import \"m\" \"p\") (type 0)) (global (import \"m\" \"g\") i32))",
                      "(module (type (func)) (import \"m\" \"t\" (table 10 20 funcref)) (import \"m\" \"m\" (memory 2))"
                      " (export \"e\" (memory 0)) (import \"m\" \"p\" (func (type 0))) (import \"m\" \"g\" (global i32)))"));
    CHECK(same_binary("(module (global (import \"m\" \"g\") (mut i64)))",
                      "(module (import \"m\" \"g\" (global (mut i64))))"));
    CHECK(same_binary("(module (memory (data \"ab\" \"c\")))",
                      "(module (memory 1 1) (data (memory 0) (offset (i32.const 0)) \"abc\"))"));
    CHECK(same_binary("(module (table funcref (elem $f $f)) (func $f))",
                      "(module (table 2 2 funcref) (elem (table 0) (offset (i32.const 0)) func $f $f) (func $f))"));
    CHECK(same_binary("(module (elem (i32.const 1) $f) (table 2 funcref) (func $f))",
                      "(module (elem (table 0) (offset (i32.const 1)) func 0) (table 2 funcref) (func $f))"));
    CHECK(same_binary("(module (elem funcref (item ref.func 0) (ref.null func)) (func))",
                      "(module (elem funcref (ref.func 0) (item ref.null func)) (func))"));
    /* implicit types: reuse an identical one, else append after the explicit ones */
    CHECK(same_binary("(module (func (param i32)) (type (func)) (type $t (func (param i32))) (func (type $t)))",
                      "(module (type (func)) (type (func (param i32))) (func (type 1)) (func (type 1)))"));
    CHECK(same_binary("(module (func (result i64)))",
                      "(module (type (func (result i64))) (func (type 0)))"));
    CHECK(binary_is("(module (func (param i32) (result i32) (local.get 0)))",
                    "0061736d0100000001060160017f017f030201000a0601040020000b"));
    /* folded and flat instructions are the same code */
    CHECK(same_binary("(module (func (result i32) (i32.add (i32.const 1) (i32.const 2))))",
                      "(module (func (result i32) i32.const 1 i32.const 2 i32.add))"));
    CHECK(same_binary("(module (func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))))",
                      "(module (func (param i32) (result i32) local.get 0 if (result i32) i32.const 1 else i32.const 2 end))"));
    /* a multi-value block type becomes a type */
    CHECK(same_binary("(module (func (block (param) (result i32 i32) (i32.const 1) (i32.const 2)) drop drop))",
                      "(module (type (func)) (type (func (result i32 i32))) (func (block (type 1) (i32.const 1) (i32.const 2)) drop drop))"));
    /* inline module fields without (module ...) */
    CHECK(same_binary("(func) (memory 1)", "(module (func) (memory 1))"));
    CHECK(same_binary("(module quote \"(func)\" \"(memory 1)\")", "(module (func) (memory 1))"));
    CHECK(binary_is("(module binary \"\\00asm\" \"\\01\\00\\00\\00\")", "0061736d01000000"));
    /* data count: written when memory.init or data.drop is used */
    CHECK(binary_is("(module (memory 1) (data \"\") (func (data.drop 0)))",
                    "0061736d010000000104016000000302010005030100010c01010a07010500fc09000b0b03010100"));
    CHECK(valid("(module (memory 1) (data \"x\") (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1))))"));
}

static void test_immediates(void)
{
    /* one instruction of every immediate kind, validated by ward */
    CHECK(valid("(module (type $t (func (param i32) (result i32)))"
                " (table $tab 2 funcref) (table $tab2 1 externref) (memory $m2 1 1 shared)"
                " (global $g (mut i32) (i32.const 0)) (tag $e (param i32))"
                " (elem $el func $f) (elem $el2 funcref) (data $d \"abc\")"
                " (func $f (type $t) (local $v v128) (local $x externref)"
                "  (drop (block $b (result i32) (br_table $b 0 (i32.const 1) (i32.const 0))))"
                "  (drop (call_indirect $tab (type $t) (i32.const 7) (i32.const 0)))"
                "  (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))"
                "  (drop (select (i32.const 1) (i32.const 2) (i32.const 0)))"
                "  (local.set 0 (i32.const 1)) (global.set $g (i32.const 5))"
                "  (table.set 0 (i32.const 0) (table.get $tab (i32.const 1)))"
                "  (local.set $x (table.get $tab2 (i32.const 0)))"
                "  (drop (i32.load $m2 offset=4 align=2 (i32.const 0)))"
                "  (drop (i64.load offset=0x10 (i32.const 0)))"
                "  (drop (memory.size $m2)) (drop (memory.grow 0 (i32.const 0)))"
                "  (drop (i64.const -1)) (drop (f32.const -0x1.8p3)) (drop (f64.const 1e10))"
                "  (drop (ref.null extern)) (drop (ref.func $f)) (drop (ref.is_null (ref.null func)))"
                "  (memory.init $m2 $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d)"
                "  (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))"
                "  (memory.fill 0 (i32.const 0) (i32.const 0) (i32.const 0))"
                "  (table.init $tab $el (i32.const 0) (i32.const 0) (i32.const 1)) (elem.drop $el2)"
                "  (table.copy $tab $tab (i32.const 0) (i32.const 0) (i32.const 0))"
                "  (local.set $v (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1))"
                "  (local.set $v (v128.const f32x4 1 -1 nan inf))"
                "  (local.set $v (v128.const i64x2 0xffff_ffff_ffff_ffff -9223372036854775808))"
                "  (drop (i16x8.extract_lane_s 7 (local.get $v)))"
                "  (local.set $v (v128.load8_lane 15 (i32.const 0) (local.get $v)))"
                "  (local.set $v (v128.load32_lane $m2 offset=0 3 (i32.const 0) (local.get $v)))"
                "  (local.set $v (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get $v) (local.get $v)))"
                "  (drop (i32.atomic.rmw.add offset=8 (i32.const 0) (i32.const 1))) (atomic.fence)"
                "  (try (do (throw $e (i32.const 1))) (catch $e drop) (catch_all))"
                "  (try $t1 (do (nop)) (delegate 0))"
                "  (return_call $f (i32.const 0)))"
                " (func (result i32) (i32.add (i32.const 1) (global.get $g))))"));
    /* multi-memory and memory64 (ward decodes them; these bytes are wabt's) */
    CHECK(binary_is("(module (memory $m 1) (memory $m2 i64 1) (data $d \"abc\")"
                    " (func (drop (i32.load $m2 offset=4 align=2 (i64.const 0)))"
                    " (drop (memory.size $m2)) (drop (memory.grow 1 (i64.const 0)))"
                    " (memory.init $m2 $d (i64.const 0) (i32.const 0) (i32.const 1))"
                    " (memory.copy $m2 $m (i64.const 0) (i32.const 0) (i32.const 0))"
                    " (memory.fill 1 (i64.const 0) (i32.const 0) (i64.const 0))))",
                    "0061736d0100000001040160000003020100050502000104010c01010a30012e004200284101041a3f011a4200"
                    "40011a420041004101fc080001420041004100fc0a0100420041004200fc0b010b0b06010103616263"));
    /* a 64-bit memory's offsets go up to 2^64-1 */
    CHECK(binary_is("(module (memory i64 1) (func (drop (i64.load offset=0xffff_ffff_ffff_ffff (i64.const 0)))))",
                    "0061736d010000000104016000000302010005030104010a1301110042002903ffffffffffffffffff011a0b"));
    CHECK(malformed_at("(module (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))", 1, 42,
                       "out of range"));
    CHECK(malformed_at("(module (memory 1) (func (drop (i32.load align=3 (i32.const 0)))))", 1, 42,
                       "power of two"));
    CHECK(malformed_at("(module (func (drop (i8x16.extract_lane_s 256 (v128.const i64x2 0 0)))))", 1, 43,
                       "lane index"));
    CHECK(malformed_at("(module (func (v128.const i32x4 0 0 0)))", 1, 38, "expected a number"));
    /* a bare (ref.null): only as a reference-typed global's initializer (wasm-c-api's hostref.wat) */
    CHECK(same_binary("(module (global (mut externref) (ref.null)) (global funcref (ref.null)))",
                      "(module (global (mut externref) (ref.null extern)) (global funcref (ref.null func)))"));
    CHECK(malformed_at("(module (func (drop (ref.null))))", 1, 30, "expected 'func' or 'extern'"));
    CHECK(malformed_at("(module (global i32 (ref.null)))", 1, 30, "expected 'func' or 'extern'"));
}

/* the memory64 proposal's text: u64 limits and offsets on any memory */
static bool memory64_text(const char *text, bool with)
{
    wtext_options opt = {.memory64 = with};
    wtext_module m;
    wtext_error e;
    bool ok = wtext_parse_text_with(text, strlen(text), &opt, &m, &e);
    if (ok)
        free(m.wasm);
    return ok;
}

static void test_memory64_option(void)
{
    /* regression (text-bugs.md 2): parsed, left to the validator */
    CHECK(memory64_text("(memory 0x1_0000_0000)", true));
    CHECK(!memory64_text("(memory 0x1_0000_0000)", false));
    CHECK(memory64_text("(memory 0 0x1_0000_0000)", true));
    CHECK(memory64_text("(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))", true));
    CHECK(!memory64_text("(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))", false));
    CHECK(memory64_text("(memory i64 1) (func (drop (i32.load offset=4294967296 (i64.const 0))))", false));
}

static void test_errors(void)
{
    CHECK(malformed_at("(module\n  (func\n    i32.const 1\n    i32.ad))", 4, 5, "unknown operator 'i32.ad'"));
    ward_error e;
    size_t len;
    CHECK(!wat("(module\n  (func\n    i32.const 1\n    i32.ad))", &len, &e));
    CHECK_CONTAINS(e.message, "line 4, column 5: unknown operator 'i32.ad'");
    CHECK(malformed_at("(module (func (i32.const 0x1_)))", 1, 26, "0x1_"));
    CHECK(malformed_at("(module (func (i32.const 1)))\n  (func)", 2, 3, "after the module"));
    CHECK(malformed_at("(module (func) (import \"a\" \"b\" (func)))", 1, 17, "import after function"));
    CHECK(malformed_at("(module (start 0) (start 0) (func))", 1, 20, "multiple start"));
    CHECK(malformed_at("(module (func \"x\"))", 1, 15, "unexpected token"));
    CHECK(malformed_at("(module (func (; never closed", 1, 15, "unclosed block comment"));
    CHECK(malformed_at("(module (func))\n\"abc", 2, 5, "unclosed string"));
    CHECK(malformed_at("(module (type $t (func (param i32))) (func (type $t) (param i64)))", 1, 54,
                       "inline function type"));
    CHECK(malformed_at("(module (func (result i32) (param i32)))", 1, 29, "params come before results"));
    CHECK(malformed_at("(module (func (block (param $x i32))))", 1, 29, "expected a value type"));
    CHECK(malformed_at("(module (func)", 1, 15, "end of input"));
    /* comments and odd spacing are fine */
    CHECK(same_binary("(module(;c;)(func(;(;nested;);)(nop)nop);;x\n)", "(module (func nop nop))"));
    /* nothing but hostile bytes: a clean error */
    CHECK(malformed_at("\x01", 1, 1, "illegal character"));
    CHECK(malformed_at("(module \xff)", 1, 9, "illegal character"));
}

/* hostile nesting: a clean error, not a C stack overflow */
static void test_limits(void)
{
    size_t n = 100000, len;
    char *deep = malloc(n * 8 + 64);
    strcpy(deep, "(module (func ");
    size_t at = strlen(deep);
    for (size_t i = 0; i < n; i++, at += 7)
        memcpy(deep + at, "(block ", 7);
    memset(deep + at, ')', n + 2);
    deep[at + n + 2] = 0;
    ward_error e;
    uint8_t *w = NULL;
    CHECK(ward_wat_to_wasm(deep, strlen(deep), &w, &len, &e) == WARD_ERROR);
    CHECK_CONTAINS(e.message, "nested more than 1000 deep");
    free(deep);
    CHECK(valid("(module (func block block end end (block (block)) (drop (i32.add (i32.const 1) (i32.const 2)))))"));
    /* quote in quote in quote... */
    CHECK(same_binary("(module quote \"(module quote \\\"(func)\\\")\")", "(module (func))"));
    /* each level doubles the backslashes: 10 levels fit in 1 MiB */
    size_t cap = 1 << 20;
    char *nest = malloc(cap), *next = malloc(cap);
    strcpy(nest, "(func)");
    for (int i = 0; i < 10; i++) {
        char *o = next;
        o += sprintf(o, "(module quote \"");
        for (const char *c = nest; *c && o < next + cap - 8; c++) {
            if (*c == '"' || *c == '\\')
                *o++ = '\\';
            *o++ = *c;
        }
        sprintf(o, "\")");
        char *t = nest;
        nest = next;
        next = t;
    }
    CHECK(ward_wat_to_wasm(nest, strlen(nest), &w, &len, &e) == WARD_ERROR);
    CHECK_CONTAINS(e.message, "nested too deeply");
    free(nest);
    free(next);
    CHECK(ward_wat_to_wasm(NULL, 0, &w, &len, &e) == WARD_OK);   /* empty text: an empty module */
    CHECK(len == 8);
    ward_wasm_free(w);
}

int main(void)
{
    test_limits();
    test_memory64_option();
    test_integers();
    test_floats();
    test_strings();
    test_identifiers();
    test_abbreviations();
    test_immediates();
    test_errors();
    return test_summary("text");
}
