/* Unit tests of src/decoder: LEB128 reader, instruction reader, module decoder. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decoder/instr.h"
#include "decoder/module.h"
#include "decoder/reader.h"
#include "test.h"

/* ---- a tiny module builder ------------------------------------------- */

typedef struct buf {
    uint8_t b[4096];
    size_t n;
} buf;

static void put(buf *o, const void *p, size_t n)
{
    if (o->n + n > sizeof o->b) {
        fprintf(stderr, "test buffer overflow\n");
        exit(2);
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void put_byte(buf *o, uint8_t v) { put(o, &v, 1); }

static void put_u32(buf *o, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        put_byte(o, byte | (v ? 0x80 : 0));
    } while (v);
}

#define PUT(o, ...) put((o), (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static void put_header(buf *o) { PUT(o, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00); }

static void put_section(buf *o, uint8_t id, const buf *content)
{
    put_byte(o, id);
    put_u32(o, (uint32_t)content->n);
    put(o, content->b, content->n);
}

static void put_name(buf *o, const char *s)
{
    put_u32(o, (uint32_t)strlen(s));
    put(o, s, strlen(s));
}

static const wfeatures no_features;
static const wfeatures simd_features = {.simd = true};

static wmodule *decode(const buf *o, werror *err) { return wdecode_module(o->b, o->n, &no_features, err); }

/* Decoding must fail and the message mention every given fragment. */
static void expect_failure(const buf *o, const char *frag1, const char *frag2)
{
    werror err = {0};
    wmodule *m = decode(o, &err);
    CHECK_MSG(m == NULL, "decoded although \"%s\" was expected", frag1);
    wmodule_free(m);
    CHECK_CONTAINS(err.msg, frag1);
    if (frag2)
        CHECK_CONTAINS(err.msg, frag2);
    CHECK_CONTAINS(err.msg, "offset 0x");
}

/* ---- LEB128 ---------------------------------------------------------- */

typedef enum { U32, S32, S33, S64, U64 } leb_kind;

static bool read_kind(leb_kind k, wreader *r, int64_t *v, werror *e)
{
    uint32_t u32;
    int32_t s32;
    uint64_t u64;
    bool ok;
    switch (k) {
    case U32:
        ok = wread_u32(r, &u32, e);
        *v = u32;
        return ok;
    case S32:
        ok = wread_s32(r, &s32, e);
        *v = s32;
        return ok;
    case S33:
        return wread_s33(r, v, e);
    case S64:
        return wread_s64(r, v, e);
    default:
        ok = wread_u64(r, &u64, e);
        memcpy(v, &u64, sizeof *v);
        return ok;
    }
}

/* Reads `bytes` as kind k: expect either the value (msg NULL) or an error. */
static void leb_case(leb_kind k, const uint8_t *bytes, size_t n, int64_t want, const char *msg)
{
    wreader r = {bytes, bytes, bytes + n};
    werror e = {0};
    int64_t v = 0;
    bool ok = read_kind(k, &r, &v, &e);
    if (!msg) {
        CHECK_MSG(ok && v == want, "kind %d: got %lld (%s), want %lld", (int)k, (long long)v, e.msg,
                  (long long)want);
        CHECK(r.p == r.end);
    } else {
        CHECK_MSG(!ok, "kind %d: accepted, want \"%s\"", (int)k, msg);
        CHECK_CONTAINS(e.msg, msg);
        CHECK(r.p == bytes); /* a failed read leaves the position at the item */
    }
}

#define LEB(k, want, msg, ...)                                                                            \
    leb_case(k, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}), want, msg)

static void test_leb128(void)
{
    LEB(U32, 0, NULL, 0x00);
    LEB(U32, 624485, NULL, 0xE5, 0x8E, 0x26);
    LEB(U32, 0, NULL, 0x80, 0x80, 0x80, 0x80, 0x00);
    LEB(U32, 0xFFFFFFFF, NULL, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    LEB(U32, 0, "too long", 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    LEB(U32, 0, "integer too large", 0xFF, 0xFF, 0xFF, 0xFF, 0x1F);
    LEB(U32, 0, "integer too large", 0x82, 0x80, 0x80, 0x80, 0x70);
    LEB(U32, 0, "unexpected end", 0x80, 0x80);

    LEB(S32, -1, NULL, 0x7F);
    LEB(S32, -1, NULL, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
    LEB(S32, INT32_MIN, NULL, 0x80, 0x80, 0x80, 0x80, 0x78);
    LEB(S32, INT32_MAX, NULL, 0xFF, 0xFF, 0xFF, 0xFF, 0x07);
    LEB(S32, 0, "integer too large", 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    LEB(S32, 0, "integer too large", 0x80, 0x80, 0x80, 0x80, 0x70);
    LEB(S32, 0, "integer too large", 0xFF, 0xFF, 0xFF, 0xFF, 0x4F);
    LEB(S32, 0, "too long", 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
    LEB(S32, 0, "unexpected end", 0xFF);

    LEB(S33, 0xFFFFFFFFll, NULL, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    LEB(S33, -(1ll << 32), NULL, 0x80, 0x80, 0x80, 0x80, 0x70);
    LEB(S33, -64, NULL, 0x40);
    LEB(S33, 0, "integer too large", 0xFF, 0xFF, 0xFF, 0xFF, 0x1F);
    LEB(S33, 0, "integer too large", 0x80, 0x80, 0x80, 0x80, 0x60);
    LEB(S33, 0, "too long", 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);

    LEB(S64, INT64_MIN, NULL, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F);
    LEB(S64, INT64_MAX, NULL, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00);
    LEB(S64, -1, NULL, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
    LEB(S64, 0, "integer too large", 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E);
    LEB(S64, 0, "integer too large", 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    LEB(S64, 0, "too long", 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);

    LEB(U64, -1, NULL, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    LEB(U64, 0, "integer too large", 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x03);
    LEB(U64, 0, "too long", 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);

    const uint8_t f[] = {0x00, 0x00, 0x80, 0x3F, 1, 2, 3, 4, 5, 6, 7, 8};
    wreader r = {f, f, f + sizeof f};
    uint32_t f32 = 0;
    uint64_t f64 = 0;
    werror e;
    CHECK(wread_f32(&r, &f32, &e) && f32 == 0x3F800000u);
    CHECK(wread_f64(&r, &f64, &e) && f64 == 0x0807060504030201ull);
    CHECK(!wread_f32(&r, &f32, &e));
    CHECK_CONTAINS(e.msg, "unexpected end");
}

/* ---- the opcode table ------------------------------------------------- */

static void test_opcode_table(void)
{
    int bad_roundtrip = 0, duplicates = 0, bad_sig = 0;
    for (int i = 0; i < WOP_COUNT; i++) {
        const wopinfo *info = &wop_info[i];
        if (wop_lookup(info->prefix, info->code) != (wop)i)
            bad_roundtrip++;
        for (int j = i + 1; j < WOP_COUNT; j++)
            if (wop_info[j].prefix == info->prefix && wop_info[j].code == info->code)
                duplicates++;
        if (info->sig && !strchr(info->sig, ':'))
            bad_sig++;
    }
    CHECK_MSG(bad_roundtrip == 0, "%d opcodes do not round-trip", bad_roundtrip);
    CHECK_MSG(duplicates == 0, "%d duplicate (prefix, code) pairs", duplicates);
    CHECK(bad_sig == 0);
    int simd = 0, atomic = 0;
    for (int i = 0; i < WOP_COUNT; i++) {
        simd += wop_info[i].prefix == 0xFD;
        atomic += wop_info[i].prefix == 0xFE;
    }
    CHECK_MSG(simd == 236, "%d SIMD opcodes", simd);
    CHECK_MSG(atomic == 67, "%d atomic opcodes", atomic);
    CHECK(wop_lookup(0xFD, 0x0C) == WOP_V128_CONST);
    CHECK(wop_lookup(0xFD, 0xBA) == WOP_I32X4_DOT_I16X8_S);
    CHECK(wop_lookup(0xFD, 0x5F) == WOP_F64X2_PROMOTE_LOW_F32X4);
    CHECK(wop_lookup(0xFE, 0x4E) == WOP_I64_ATOMIC_RMW32_CMPXCHG_U);
    CHECK(wop_lookup(0xFE, 0x03) == WOP_ATOMIC_FENCE);
    CHECK(wop_lookup(0, 0x06) == WOP_TRY && wop_lookup(0, 0x19) == WOP_CATCH_ALL);
    CHECK(wop_lookup(0, 0x0A) == WOP_COUNT);
    CHECK(wop_lookup(0xFD, 0x9A) == WOP_COUNT);
    CHECK(wop_lookup(0xFC, 0x10000) == WOP_COUNT);
}

/* ---- the instruction reader ------------------------------------------- */

static bool read_one(const uint8_t *p, size_t n, const wfeatures *f, winstr *in, werror *e, size_t *used)
{
    winstr_scratch s = {0};
    wreader r = {p, p, p + n};
    bool ok = wread_instr(&r, &s, f, in, e);
    *used = (size_t)(r.p - p);
    winstr_scratch_free(&s);
    return ok;
}

#define INSTR(f, in, e, used, ...)                                                                         \
    read_one((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}), f, in, e, used)

/* The validator's inline reader (wread_instr_quick) takes the common
 * single-byte instructions itself: a proposal's opcode whose immediate it
 * could read (return_call's function, rethrow's and delegate's label,
 * catch_all's none) must still be refused while its feature is off, by the
 * opcode table's feature column, as wread_instr refuses it. */
static void test_quick_reader_gating(void)
{
    static const struct {
        uint8_t bytes[3];
        wop op;
        const char *message;
    } gated[] = {
        {{0x12, 0x00, 0x0B}, WOP_RETURN_CALL, "illegal opcode 0x12 (tail_calls is off)"},
        {{0x09, 0x00, 0x0B}, WOP_RETHROW, "illegal opcode 0x09 (exceptions is off)"},
        {{0x18, 0x00, 0x0B}, WOP_DELEGATE, "illegal opcode 0x18 (exceptions is off)"},
        {{0x19, 0x0B, 0x0B}, WOP_CATCH_ALL, "illegal opcode 0x19 (exceptions is off)"},
    };
    const wfeatures on = {.tail_call = true, .exceptions = true};
    for (size_t i = 0; i < sizeof gated / sizeof gated[0]; i++) {
        winstr_scratch s = {0};
        winstr in = {0};
        werror e = {0};
        wreader r = {gated[i].bytes, gated[i].bytes, gated[i].bytes + 3};
        CHECK_MSG(!wread_instr_quick(&r, &s, &no_features, &in, &e), "0x%02x read", gated[i].bytes[0]);
        CHECK_CONTAINS(e.msg, gated[i].message);
        r.p = r.base;
        CHECK(wread_instr_quick(&r, &s, &on, &in, &e) && in.op == gated[i].op);
        winstr_scratch_free(&s);
    }
}

static void test_instr_reader(void)
{
    winstr in;
    werror e = {0};
    size_t used;
    wfeatures tail = {.tail_call = true}, multi = {.multi_memory = true}, mem64 = {.memory64 = true};

    CHECK(INSTR(&no_features, &in, &e, &used, 0x41, 0x7F) && in.op == WOP_I32_CONST && in.imm == 0xFFFFFFFFu);
    CHECK(INSTR(&no_features, &in, &e, &used, 0x42, 0x7F) && in.imm == UINT64_MAX);
    CHECK(INSTR(&no_features, &in, &e, &used, 0x02, 0x40) && in.block.kind == WBLOCK_EMPTY);
    CHECK(INSTR(&no_features, &in, &e, &used, 0x02, 0x7E) && in.block.kind == WBLOCK_VALTYPE &&
          in.block.valtype == 0x7E);
    CHECK(INSTR(&no_features, &in, &e, &used, 0x03, 0x85, 0x01) && in.block.kind == WBLOCK_TYPEIDX &&
          in.block.type_index == 133);
    CHECK(!INSTR(&no_features, &in, &e, &used, 0x04, 0x50));
    CHECK_CONTAINS(e.msg, "malformed block type");
    CHECK(INSTR(&no_features, &in, &e, &used, 0x0E, 0x02, 0x03, 0x04, 0x05) && in.a == 2 && in.b == 5 &&
          used == 5);
    CHECK(!INSTR(&no_features, &in, &e, &used, 0x0E, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00));
    CHECK_CONTAINS(e.msg, "unexpected end");
    CHECK(INSTR(&no_features, &in, &e, &used, 0x11, 0x03, 0x01) && in.a == 3 && in.b == 1);
    CHECK(INSTR(&no_features, &in, &e, &used, 0x1C, 0x01, 0x6F) && in.a == 1 && in.reftype == 0x6F);
    CHECK(!INSTR(&no_features, &in, &e, &used, 0x1C, 0x01, 0x40));
    CHECK_CONTAINS(e.msg, "malformed value type");
    CHECK(INSTR(&no_features, &in, &e, &used, 0x28, 0x02, 0x10) && in.memarg.align == 2 &&
          in.memarg.offset == 16 && in.memarg.memory == 0);
    CHECK(INSTR(&multi, &in, &e, &used, 0x28, 0x42, 0x01, 0x10) && in.memarg.align == 2 &&
          in.memarg.memory == 1 && in.memarg.offset == 16);
    CHECK(INSTR(&mem64, &in, &e, &used, 0x28, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10) &&
          in.memarg.offset == (1ull << 32));
    CHECK(!INSTR(&no_features, &in, &e, &used, 0x28, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10));
    CHECK(INSTR(&no_features, &in, &e, &used, 0x40, 0x00) && in.op == WOP_MEMORY_GROW);
    CHECK(!INSTR(&no_features, &in, &e, &used, 0x3F, 0x01));
    CHECK_CONTAINS(e.msg, "zero byte expected");
    CHECK(!INSTR(&no_features, &in, &e, &used, 0x3F, 0x80, 0x00));
    CHECK_CONTAINS(e.msg, "zero byte expected");
    CHECK(INSTR(&multi, &in, &e, &used, 0x3F, 0x02) && in.a == 2);
    CHECK(INSTR(&no_features, &in, &e, &used, 0xFC, 0x08, 0x07, 0x00) && in.op == WOP_MEMORY_INIT && in.a == 7);
    CHECK(!INSTR(&no_features, &in, &e, &used, 0xFC, 0x0A, 0x00, 0x01));
    CHECK_CONTAINS(e.msg, "zero byte expected");
    CHECK(INSTR(&no_features, &in, &e, &used, 0xFC, 0x8E, 0x00, 0x01, 0x02) && in.op == WOP_TABLE_COPY &&
          in.a == 1 && in.b == 2);
    CHECK(INSTR(&no_features, &in, &e, &used, 0xD0, 0x70) && in.reftype == 0x70);
    CHECK(!INSTR(&no_features, &in, &e, &used, 0xD0, 0x7F));
    CHECK_CONTAINS(e.msg, "malformed reference type");
    CHECK(INSTR(&no_features, &in, &e, &used, 0x43, 0x00, 0x00, 0xC0, 0x7F) && in.imm == 0x7FC00000u);

    /* Unknown opcodes and feature gating. */
    CHECK(!INSTR(&no_features, &in, &e, &used, 0x06));
    CHECK_CONTAINS(e.msg, "illegal opcode 0x06 (exceptions is off)");
    CHECK(!INSTR(&no_features, &in, &e, &used, 0x0A));
    CHECK(strcmp(e.msg, "illegal opcode 0x0a") == 0); /* unknown: no feature named */
    CHECK(!INSTR(&no_features, &in, &e, &used, 0xFC, 0x20));
    CHECK(strcmp(e.msg, "illegal opcode 0xfc 0x20") == 0);
    CHECK(!INSTR(&no_features, &in, &e, &used, 0xFD, 0x0F));
    CHECK_CONTAINS(e.msg, "illegal opcode 0xfd 0xf (simd is off)");
    CHECK(INSTR(&simd_features, &in, &e, &used, 0xFD, 0x0F) && in.op == WOP_I8X16_SPLAT);
    CHECK(!INSTR(&no_features, &in, &e, &used, 0xFE, 0x03, 0x00));
    CHECK_CONTAINS(e.msg, "illegal opcode 0xfe 0x3 (threads is off)");
    CHECK(!INSTR(&no_features, &in, &e, &used, 0x12, 0x00));
    CHECK_CONTAINS(e.msg, "illegal opcode 0x12 (tail_calls is off)");
    CHECK(INSTR(&tail, &in, &e, &used, 0x12, 0x00) && in.op == WOP_RETURN_CALL);

    /* SIMD immediates. */
    CHECK(INSTR(&simd_features, &in, &e, &used, 0xFD, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                16) &&
          in.bytes16[0] == 1 && in.bytes16[15] == 16 && used == 18);
    CHECK(INSTR(&simd_features, &in, &e, &used, 0xFD, 0x15, 0x07) && in.lane == 7);
    CHECK(INSTR(&simd_features, &in, &e, &used, 0xFD, 0x54, 0x00, 0x04, 0x0F) && in.memarg.offset == 4 &&
          in.lane == 15);
    CHECK(INSTR(&simd_features, &in, &e, &used, 0xFD, 0xFF, 0x01) && in.op == WOP_F64X2_CONVERT_LOW_I32X4_U);
    wfeatures threads = {.threads = true};
    CHECK(INSTR(&threads, &in, &e, &used, 0xFE, 0x03, 0x00) && in.op == WOP_ATOMIC_FENCE);
    CHECK(!INSTR(&threads, &in, &e, &used, 0xFE, 0x03, 0x01));
    CHECK(INSTR(&threads, &in, &e, &used, 0xFE, 0x48, 0x02, 0x00) && in.op == WOP_I32_ATOMIC_RMW_CMPXCHG);
}

/* ---- a valid module with every section ---------------------------------- */

/* Section boundaries of the full module, for the prefix test. */
static size_t boundaries[32];
static int nboundaries;

static void add_section(buf *o, uint8_t id, const buf *content)
{
    put_section(o, id, content);
    boundaries[nboundaries++] = o->n;
}

static void build_full_module(buf *o)
{
    buf s;
    memset(o, 0, sizeof *o);
    nboundaries = 0;
    put_header(o);
    boundaries[nboundaries++] = o->n;

    s.n = 0; /* custom section first: allowed anywhere */
    put_name(&s, "hello");
    PUT(&s, 1, 2, 3);
    add_section(o, 0, &s);

    s.n = 0; /* types: (i32 i64) -> (f32), () -> () */
    PUT(&s, 2, 0x60, 2, 0x7F, 0x7E, 1, 0x7D, 0x60, 0, 0);
    add_section(o, 1, &s);

    s.n = 0; /* imports: func, table, memory, global */
    put_u32(&s, 4);
    put_name(&s, "env");
    put_name(&s, "f");
    PUT(&s, 0x00, 0x00);
    put_name(&s, "env");
    put_name(&s, "t");
    PUT(&s, 0x01, 0x70, 0x01, 0x01, 0x0A);
    put_name(&s, "env");
    put_name(&s, "m");
    PUT(&s, 0x02, 0x00, 0x01);
    put_name(&s, "env");
    put_name(&s, "g");
    PUT(&s, 0x03, 0x7F, 0x00);
    add_section(o, 2, &s);

    s.n = 0; /* functions 1 and 2, both of type 1 */
    PUT(&s, 2, 1, 1);
    add_section(o, 3, &s);

    s.n = 0; /* table 1: externref, min 2 */
    PUT(&s, 1, 0x6F, 0x00, 0x02);
    add_section(o, 4, &s);

    s.n = 0; /* memory 1: min 1 max 3 */
    PUT(&s, 1, 0x01, 0x01, 0x03);
    add_section(o, 5, &s);

    s.n = 0; /* global 1: mut i64 = 7 */
    PUT(&s, 1, 0x7E, 0x01, 0x42, 0x07, 0x0B);
    add_section(o, 6, &s);

    s.n = 0;
    PUT(&s, 2);
    put_name(&s, "run");
    PUT(&s, 0x00, 0x01);
    put_name(&s, "mem");
    PUT(&s, 0x02, 0x00);
    add_section(o, 7, &s);

    s.n = 0;
    PUT(&s, 0x02);
    add_section(o, 8, &s);

    s.n = 0; /* elements: one active with function indices */
    PUT(&s, 1, 0x00, 0x41, 0x00, 0x0B, 0x02, 0x01, 0x02);
    add_section(o, 9, &s);

    s.n = 0;
    PUT(&s, 2);
    add_section(o, 12, &s);

    s.n = 0; /* code: f1 has locals (2 i32, 1 f64); f2 is empty */
    PUT(&s, 2, 0x07, 0x02, 0x02, 0x7F, 0x01, 0x7C, 0x01, 0x0B, 0x02, 0x00, 0x0B);
    add_section(o, 10, &s);

    s.n = 0; /* data: active "hi" at 8, passive "xyz" */
    PUT(&s, 2, 0x00, 0x41, 0x08, 0x0B, 0x02, 'h', 'i', 0x01, 0x03, 'x', 'y', 'z');
    add_section(o, 11, &s);

    s.n = 0; /* name section: function 2 is "two" */
    buf names = {{0}, 0};
    PUT(&names, 1, 2);
    put_name(&names, "two");
    put_name(&s, "name");
    put_section(&s, 1, &names);
    add_section(o, 0, &s);
}

static bool names_equal(wname n, const char *s) { return n.len == strlen(s) && memcmp(n.ptr, s, n.len) == 0; }

static void test_full_module(void)
{
    buf o;
    build_full_module(&o);
    werror err = {0};
    wmodule *m = decode(&o, &err);
    CHECK_MSG(m != NULL, "%s", err.msg);
    if (!m)
        return;
    CHECK(m->ntypes == 2 && m->types[0].nparams == 2 && m->types[0].nresults == 1);
    CHECK(WFUNCTYPE_PARAM(&m->types[0], 1) == WT_I64 && WFUNCTYPE_RESULT(&m->types[0], 0) == WT_F32);
    CHECK(m->nimports == 4 && names_equal(m->imports[1].name, "t") && m->imports[1].kind == WEXT_TABLE);
    CHECK(m->imports[1].desc.table.limits.has_max && m->imports[1].desc.table.limits.max == 10);
    CHECK(m->nfuncs == 3 && m->nimported_funcs == 1 && m->func_types[0] == 0 && m->func_types[2] == 1);
    CHECK(m->ntables == 2 && m->nimported_tables == 1 && m->tables[1].elemtype == WT_EXTERNREF);
    CHECK(m->nmemories == 2 && m->memories[1].limits.min == 1 && m->memories[1].limits.max == 3);
    CHECK(m->nglobals == 2 && m->nimported_globals == 1 && m->globals[1].type.valtype == WT_I64 &&
          m->globals[1].type.mutable_);
    CHECK(m->globals[1].init.len == 3 && m->bytes[m->globals[1].init.offset] == 0x42);
    CHECK(m->nexports == 2 && names_equal(m->exports[1].name, "mem") && m->exports[1].kind == WEXT_MEMORY);
    CHECK(m->has_start && m->start == 2);
    CHECK(m->nelems == 1 && m->elems[0].mode == WSEG_ACTIVE && m->elems[0].count == 2 &&
          m->elems[0].func_indices[1] == 2 && !m->elems[0].uses_exprs);
    CHECK(m->has_datacount && m->datacount == 2 && m->ndatas == 2);
    CHECK(m->datas[0].mode == WSEG_ACTIVE && m->datas[0].data_len == 2 &&
          memcmp(m->bytes + m->datas[0].data_offset, "hi", 2) == 0);
    CHECK(m->datas[1].mode == WSEG_PASSIVE && m->datas[1].data_len == 3);
    CHECK(m->ncodes == 2 && m->codes[0].nlocals == 3 && m->codes[0].local_types[1] == WT_I32 &&
          m->codes[0].local_types[2] == WT_F64);
    CHECK(m->codes[0].body_len == 2 && m->bytes[m->codes[0].body_offset] == 0x01);
    CHECK(m->codes[1].nlocals == 0 && m->codes[1].body_len == 1);
    CHECK(m->ncustoms == 2 && names_equal(m->customs[0].name, "hello") && m->customs[0].data_len == 3);
    CHECK(m->func_names && m->func_names[2].len == 3 && names_equal(m->func_names[2], "two"));
    CHECK(m->func_names && m->func_names[0].len == 0);
    CHECK(wfunctype_equal(&m->types[0], &m->types[0]) && !wfunctype_equal(&m->types[0], &m->types[1]));
    CHECK(strcmp(wvaltype_name(WT_EXTERNREF), "externref") == 0);
    wmodule_free(m);
}

/* Every prefix fails cleanly, except those ending exactly after a section
 * whose module is complete on its own. */
static void test_prefixes(void)
{
    buf o;
    build_full_module(&o);
    int unexpected = 0;
    for (size_t len = 0; len < o.n; len++) {
        werror err = {0};
        wmodule *m = wdecode_module(o.b, len, &no_features, &err);
        bool at_boundary = false;
        for (int i = 0; i < nboundaries; i++)
            at_boundary |= boundaries[i] == len;
        if (m && !at_boundary)
            unexpected++;
        if (!m && !strstr(err.msg, "offset 0x"))
            unexpected++;
        wmodule_free(m);
    }
    CHECK_MSG(unexpected == 0, "%d prefixes misbehaved", unexpected);
}

/* ---- malformed modules ------------------------------------------------ */

static void module_with(buf *o, uint8_t id, const uint8_t *content, size_t n)
{
    memset(o, 0, sizeof *o);
    put_header(o);
    put_byte(o, id);
    put_u32(o, (uint32_t)n);
    put(o, content, n);
}

#define MODULE_WITH(o, id, ...)                                                                           \
    module_with(o, id, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static void test_header_and_sections(void)
{
    buf o = {{0}, 0};
    expect_failure(&o, "unexpected end", NULL);
    PUT(&o, 0x00, 0x61, 0x73, 0x6E, 1, 0, 0, 0);
    expect_failure(&o, "magic header not detected", "offset 0x0");
    o.n = 0;
    PUT(&o, 0x00, 0x61, 0x73, 0x6D, 2, 0, 0, 0);
    expect_failure(&o, "unknown binary version", "offset 0x4");

    /* Section size past the end. */
    o.n = 0;
    put_header(&o);
    PUT(&o, 0x01, 0x10, 0x00);
    expect_failure(&o, "type section", "length out of bounds");

    /* Section size larger than its contents. */
    MODULE_WITH(&o, 1, 0x01, 0x60, 0x00, 0x00, 0x00);
    expect_failure(&o, "type section, offset 0xe", "section size mismatch");

    /* Contents running past a too-small section size. */
    MODULE_WITH(&o, 1, 0x01, 0x60, 0x00);
    expect_failure(&o, "type section, entry 0", "unexpected end");

    /* Out of order and duplicated sections. */
    o.n = 0;
    put_header(&o);
    PUT(&o, 0x03, 0x01, 0x00, 0x01, 0x01, 0x00);
    expect_failure(&o, "unexpected content after last section", "offset 0xb");
    o.n = 0;
    put_header(&o);
    PUT(&o, 0x01, 0x01, 0x00, 0x01, 0x01, 0x00);
    expect_failure(&o, "unexpected content after last section", NULL);
    /* Data count goes between element and code. */
    o.n = 0;
    put_header(&o);
    PUT(&o, 0x0A, 0x01, 0x00, 0x0C, 0x01, 0x00);
    expect_failure(&o, "unexpected content after last section", "data count");
    o.n = 0;
    put_header(&o);
    PUT(&o, 0x0C, 0x01, 0x00, 0x0A, 0x01, 0x00);
    werror err;
    wmodule *m = decode(&o, &err);
    CHECK(m && m->has_datacount && m->datacount == 0);
    wmodule_free(m);
    o.n = 0;
    put_header(&o);
    PUT(&o, 0x0E, 0x00);
    expect_failure(&o, "malformed section id 14", NULL);
    /* A tag section is valid wasm of a proposal ward lacks: say which
     * (pandoc-wasm was once refused as "malformed"). */
    o.n = 0;
    put_header(&o);
    PUT(&o, 0x0D, 0x00);
    expect_failure(&o, "tag section (id 13)", "exception handling (the exceptions feature) is off");
    /* With exceptions on, it holds tags: (attribute 0, type index) each. */
    {
        static const wfeatures eh = {.exceptions = true};
        o.n = 0;
        put_header(&o);
        PUT(&o, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x0D, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00);
        m = wdecode_module(o.b, o.n, &eh, &err);
        CHECK_MSG(m && m->ntags == 2 && m->tag_types[1] == 0, "%s", err.msg);
        wmodule_free(m);
        o.b[o.n - 2] = 0x01; /* attribute 1 */
        m = wdecode_module(o.b, o.n, &eh, &err);
        CHECK(!m && strstr(err.msg, "tag section") && strstr(err.msg, "malformed tag attribute 0x01"));
    }

    /* A type section claiming 10^9 entries fails fast, before allocating. */
    MODULE_WITH(&o, 1, 0x80, 0x94, 0xEB, 0xDC, 0x03, 0x60, 0x00, 0x00);
    clock_t t0 = clock();
    expect_failure(&o, "type section, offset 0xa", "unexpected end");
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5);
}

static void test_section_counts(void)
{
    buf o, s;
    /* One function, no code. */
    MODULE_WITH(&o, 1, 1, 0x60, 0, 0);
    PUT(&o, 0x03, 0x02, 0x01, 0x00);
    expect_failure(&o, "function and code section have inconsistent lengths", NULL);
    /* Code without functions. */
    memset(&o, 0, sizeof o);
    put_header(&o);
    s.n = 0;
    PUT(&s, 1, 2, 0, 0x0B);
    put_section(&o, 10, &s);
    expect_failure(&o, "code section", "function and code section have inconsistent lengths");
    /* Data count disagreeing with the data section, or with a missing one. */
    memset(&o, 0, sizeof o);
    put_header(&o);
    PUT(&o, 0x0C, 0x01, 0x02, 0x0B, 0x04, 0x01, 0x01, 0x01, 'a');
    expect_failure(&o, "data count and data section have inconsistent lengths", NULL);
    memset(&o, 0, sizeof o);
    put_header(&o);
    PUT(&o, 0x0C, 0x01, 0x01);
    expect_failure(&o, "data count and data section have inconsistent lengths", NULL);
}

static void code_module(buf *o, const uint8_t *entry, size_t n)
{
    buf s = {{0}, 0};
    memset(o, 0, sizeof *o);
    put_header(o);
    PUT(o, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00);
    PUT(&s, 1);
    put_u32(&s, (uint32_t)n);
    put(&s, entry, n);
    put_section(o, 10, &s);
}

#define CODE_MODULE(o, ...) code_module(o, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static void test_locals(void)
{
    buf o;
    /* 2^32-1 locals in one group: a clean error, no allocation. */
    CODE_MODULE(&o, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x0B);
    expect_failure(&o, "code section, function 0", "too many locals");
    /* Groups whose sum wraps 32 bits. */
    CODE_MODULE(&o, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x02, 0x7E, 0x0B);
    expect_failure(&o, "too many locals", NULL);
    /* Exactly at the limit is fine. */
    CODE_MODULE(&o, 0x02, 0xA8, 0xC3, 0x01, 0x7F, 0x00, 0x7E, 0x0B); /* 25,000 */
    werror err;
    wmodule *m = decode(&o, &err);
    CHECK_MSG(m && m->codes[0].nlocals == 25000, "%s", err.msg);
    wmodule_free(m);
    CODE_MODULE(&o, 0x02, 0xA8, 0xC3, 0x01, 0x7F, 0xA9, 0xC3, 0x01, 0x7E, 0x0B); /* 50,001 */
    expect_failure(&o, "too many locals", NULL);
    CODE_MODULE(&o, 0x01, 0x01, 0x40, 0x0B);
    expect_failure(&o, "malformed value type", "function 0");
    /* Empty body. */
    CODE_MODULE(&o, 0x00);
    expect_failure(&o, "code section, function 0", "unexpected end");
    /* Entry size past the section. */
    memset(&o, 0, sizeof o);
    put_header(&o);
    PUT(&o, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x04, 0x01, 0x09, 0x00, 0x0B);
    expect_failure(&o, "code section, function 0", "unexpected end");
}

static void test_utf8_names(void)
{
    buf o;
    /* Import module name with a lone continuation byte. */
    MODULE_WITH(&o, 2, 0x01, 0x01, 0x80, 0x01, 'f', 0x00, 0x00);
    expect_failure(&o, "import section, entry 0", "malformed UTF-8 encoding");
    /* Export name with an overlong encoding of '/'. */
    MODULE_WITH(&o, 7, 0x01, 0x02, 0xC0, 0xAF, 0x00, 0x00);
    expect_failure(&o, "export section", "malformed UTF-8 encoding");
    /* Custom section name with a surrogate. */
    MODULE_WITH(&o, 0, 0x03, 0xED, 0xA0, 0x80);
    expect_failure(&o, "custom section", "malformed UTF-8 encoding");
    /* Name length past the section. */
    MODULE_WITH(&o, 0, 0x05, 'a');
    expect_failure(&o, "custom section", "length out of bounds");
    /* Valid multi-byte names decode. */
    MODULE_WITH(&o, 0, 0x04, 0xF0, 0x9F, 0x98, 0x80);
    werror err;
    wmodule *m = decode(&o, &err);
    CHECK_MSG(m && m->ncustoms == 1 && m->customs[0].name.len == 4, "%s", err.msg);
    wmodule_free(m);
}

static void test_types_and_limits(void)
{
    buf o;
    MODULE_WITH(&o, 1, 0x01, 0x61, 0x00, 0x00);
    expect_failure(&o, "type section, entry 0", "malformed function type");
    MODULE_WITH(&o, 1, 0x01, 0x60, 0x01, 0x7B, 0x00); /* v128 needs simd */
    expect_failure(&o, "malformed value type", NULL);
    wmodule *m = wdecode_module(o.b, o.n, &simd_features, NULL);
    CHECK(m && m->types[0].types[0] == WT_V128);
    wmodule_free(m);
    MODULE_WITH(&o, 4, 0x01, 0x7F, 0x00, 0x00);
    expect_failure(&o, "table section", "malformed reference type");
    MODULE_WITH(&o, 4, 0x01, 0x70, 0x02, 0x00);
    expect_failure(&o, "table section", "integer too large");
    MODULE_WITH(&o, 5, 0x01, 0x03, 0x00, 0x01); /* shared needs threads */
    expect_failure(&o, "integer too large", "a shared memory needs the threads feature");
    wfeatures threads = {.threads = true};
    m = wdecode_module(o.b, o.n, &threads, NULL);
    CHECK(m && m->memories[0].limits.shared && m->memories[0].limits.max == 1);
    wmodule_free(m);
    MODULE_WITH(&o, 5, 0x01, 0x04, 0x00); /* i64 limits: memory64 */
    expect_failure(&o, "integer too large", "needs the memory64 proposal");
    MODULE_WITH(&o, 5, 0x01, 0x08, 0x00); /* no proposal defines 0x08: no hint */
    expect_failure(&o, "integer too large (malformed limits flags 0x08)", "memory section");
    MODULE_WITH(&o, 5, 0x01, 0x81, 0x00);
    expect_failure(&o, "memory section", "integer representation too long");
    MODULE_WITH(&o, 6, 0x01, 0x7F, 0x02, 0x41, 0x00, 0x0B);
    expect_failure(&o, "global section, entry 0", "malformed mutability");
    MODULE_WITH(&o, 6, 0x01, 0x7F, 0x00, 0x41, 0x00);
    expect_failure(&o, "global section", "unexpected end");
    MODULE_WITH(&o, 6, 0x01, 0x7F, 0x00, 0x06, 0x0B);
    expect_failure(&o, "global section", "illegal opcode 0x06");
    MODULE_WITH(&o, 2, 0x01, 0x00, 0x00, 0x04, 0x00);
    expect_failure(&o, "import section", "malformed import kind");
    /* An overlong integer cut by the section end is reported as overlong. */
    MODULE_WITH(&o, 3, 0x01, 0x80, 0x80);
    PUT(&o, 0x80, 0x80, 0x80, 0x00);
    expect_failure(&o, "function section, entry 0", "integer representation too long");
    MODULE_WITH(&o, 7, 0x01, 0x00, 0x04, 0x00);
    expect_failure(&o, "export section", "malformed export kind");
}

/* Every element segment encoding, flags 0..7. */
static void test_element_encodings(void)
{
    static const struct {
        uint8_t bytes[16];
        size_t n;
        uint8_t mode, elemtype;
        bool exprs;
        uint32_t table, count;
    } cases[8] = {
        {{0x00, 0x41, 0x00, 0x0B, 0x02, 0x00, 0x00}, 7, WSEG_ACTIVE, WT_FUNCREF, false, 0, 2},
        {{0x01, 0x00, 0x01, 0x00}, 4, WSEG_PASSIVE, WT_FUNCREF, false, 0, 1},
        {{0x02, 0x01, 0x41, 0x00, 0x0B, 0x00, 0x01, 0x00}, 8, WSEG_ACTIVE, WT_FUNCREF, false, 1, 1},
        {{0x03, 0x00, 0x01, 0x00}, 4, WSEG_DECLARATIVE, WT_FUNCREF, false, 0, 1},
        {{0x04, 0x41, 0x00, 0x0B, 0x01, 0xD2, 0x00, 0x0B}, 8, WSEG_ACTIVE, WT_FUNCREF, true, 0, 1},
        {{0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B}, 6, WSEG_PASSIVE, WT_EXTERNREF, true, 0, 1},
        {{0x06, 0x01, 0x41, 0x00, 0x0B, 0x70, 0x02, 0xD2, 0x00, 0x0B, 0xD0, 0x70, 0x0B}, 13, WSEG_ACTIVE,
         WT_FUNCREF, true, 1, 2},
        {{0x07, 0x70, 0x01, 0xD2, 0x00, 0x0B}, 6, WSEG_DECLARATIVE, WT_FUNCREF, true, 0, 1},
    };
    for (int i = 0; i < 8; i++) {
        uint8_t content[20];
        content[0] = 1;
        memcpy(content + 1, cases[i].bytes, cases[i].n);
        buf o;
        module_with(&o, 9, content, cases[i].n + 1);
        werror err = {0};
        wmodule *m = decode(&o, &err);
        CHECK_MSG(m != NULL, "flags %d: %s", i, err.msg);
        if (!m)
            continue;
        const welem *e = &m->elems[0];
        CHECK_MSG(e->mode == cases[i].mode && e->elemtype == cases[i].elemtype && e->uses_exprs == cases[i].exprs &&
                      e->count == cases[i].count,
                  "flags %d decoded wrongly", i);
        if (e->mode == WSEG_ACTIVE)
            CHECK(e->table_index == cases[i].table && e->offset.len == 3);
        if (e->uses_exprs)
            CHECK(e->exprs[0].len >= 2 && m->bytes[e->exprs[0].offset + e->exprs[0].len - 1] == 0x0B);
        wmodule_free(m);
    }
    buf o;
    MODULE_WITH(&o, 9, 0x01, 0x08, 0x00);
    expect_failure(&o, "element section, entry 0", "malformed elements segment kind");
    MODULE_WITH(&o, 9, 0x01, 0x01, 0x01, 0x00);
    expect_failure(&o, "element section", "malformed element kind");
    MODULE_WITH(&o, 11, 0x01, 0x03, 0x00);
    expect_failure(&o, "data section, entry 0", "malformed data segment kind");
    MODULE_WITH(&o, 11, 0x01, 0x01, 0x05, 'a');
    expect_failure(&o, "data section", "unexpected end");
}

/* The name section is never an error, and out-of-range indices are skipped. */
static void test_name_section(void)
{
    buf o, s, sub;
    memset(&o, 0, sizeof o);
    put_header(&o);
    PUT(&o, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B);
    size_t base = o.n;
    s.n = 0;
    sub.n = 0;
    PUT(&sub, 2, 0, 1, 'a', 9, 1, 'b');
    put_name(&s, "name");
    PUT(&s, 0, 1, 0); /* module name subsection, skipped */
    put_section(&s, 1, &sub);
    put_section(&o, 0, &s);
    werror err;
    wmodule *m = decode(&o, &err);
    CHECK_MSG(m && m->func_names && names_equal(m->func_names[0], "a"), "%s", err.msg);
    wmodule_free(m);

    /* Truncated name map: decodes, without names. */
    o.n = base;
    s.n = 0;
    put_name(&s, "name");
    PUT(&s, 1, 5, 2, 0, 9, 'a', 'b');
    put_section(&o, 0, &s);
    m = decode(&o, &err);
    CHECK_MSG(m && m->func_names == NULL, "%s", m ? "names kept" : err.msg);
    wmodule_free(m);

    /* Invalid UTF-8 in a function name: ignored too. */
    o.n = base;
    s.n = 0;
    put_name(&s, "name");
    PUT(&s, 1, 4, 1, 0, 1, 0xFF);
    put_section(&o, 0, &s);
    m = decode(&o, &err);
    CHECK(m && m->func_names == NULL);
    wmodule_free(m);
}

int main(void)
{
    test_leb128();
    test_opcode_table();
    test_quick_reader_gating();
    test_instr_reader();
    test_full_module();
    test_prefixes();
    test_header_and_sections();
    test_section_counts();
    test_locals();
    test_utf8_names();
    test_types_and_limits();
    test_element_encodings();
    test_name_section();
    return test_summary("decoder");
}
