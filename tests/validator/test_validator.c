/*
 * Validator unit tests.  Modules are built from small byte arrays: a harness
 * wraps one function body in a module that has a memory, two tables
 * (funcref, externref), globals, element and data segments, so each test
 * states only the instructions it is about.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decoder/module.h"
#include "test.h"
#include "validator/validate.h"

/* ---- byte buffer --------------------------------------------------------- */

typedef struct buf {
    uint8_t *p;
    size_t n, cap;
} buf;

static void put(buf *b, uint8_t byte)
{
    if (!wgrow((void **)&b->p, &b->cap, b->n + 1, 1))
        abort();
    b->p[b->n++] = byte;
}

static void put_bytes(buf *b, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(b, p[i]);
}

static void put_u32(buf *b, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        put(b, byte | (v ? 0x80 : 0));
    } while (v);
}

static void put_section(buf *b, uint8_t id, const buf *content)
{
    put(b, id);
    put_u32(b, (uint32_t)content->n);
    put_bytes(b, content->p, content->n);
}

static uint8_t type_letter(char c)
{
    switch (c) {
    case 'i':
        return WT_I32;
    case 'I':
        return WT_I64;
    case 'f':
        return WT_F32;
    case 'F':
        return WT_F64;
    case 'v':
        return WT_V128;
    case 'r':
        return WT_FUNCREF;
    default:
        return WT_EXTERNREF; /* 'e' */
    }
}

/* "ii:i" -> functype encoding */
static void put_functype(buf *b, const char *sig)
{
    const char *colon = strchr(sig, ':');
    put(b, 0x60);
    put_u32(b, (uint32_t)(colon - sig));
    for (const char *c = sig; c < colon; c++)
        put(b, type_letter(*c));
    put_u32(b, (uint32_t)strlen(colon + 1));
    for (const char *c = colon + 1; *c; c++)
        put(b, type_letter(*c));
}

/* ---- the harness module -------------------------------------------------- */

typedef struct harness {
    const char *sig;     /* type of function 0, the function under test */
    const char *locals;  /* one letter per declared local */
    const uint8_t *body; /* instructions including the final end */
    size_t body_len;
    bool no_memory;
    bool no_datacount;
    bool simd;
    bool threads;
} harness;

/*
 * Types: 0 = h->sig, 1 = []->[], 2 = [i32]->[i32], 3 = [i32 i32]->[i32].
 * Functions: 0 (type 0, under test), 1 (type 1, exported: declared),
 * 2 (type 2, not referenced anywhere: undeclared).
 * Tables: 0 funcref, 1 externref.  Memory 0 (1 page) unless no_memory.
 * Globals: 0 immutable i32, 1 mutable i64.  Elems: 0 passive funcref [1],
 * 1 passive externref [ref.null extern].  Data: 0 passive.
 */
static buf build_harness(const harness *h, uint32_t *body_offset)
{
    buf m = {0}, s = {0};
    static const uint8_t header[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    put_bytes(&m, header, sizeof header);

    static const char *const sigs[] = {NULL, ":", "i:i", "ii:i"};
    put_u32(&s, 4);
    put_functype(&s, h->sig);
    for (int i = 1; i < 4; i++)
        put_functype(&s, sigs[i]);
    put_section(&m, 1, &s), s.n = 0;

    static const uint8_t funcs[] = {3, 0, 1, 2};
    put_bytes(&s, funcs, sizeof funcs), put_section(&m, 3, &s), s.n = 0;

    static const uint8_t tables[] = {2, 0x70, 0, 1, 0x6F, 0, 1};
    put_bytes(&s, tables, sizeof tables), put_section(&m, 4, &s), s.n = 0;

    if (!h->no_memory) {
        static const uint8_t mems[] = {1, 0, 1};
        put_bytes(&s, mems, sizeof mems), put_section(&m, 5, &s), s.n = 0;
    }
    static const uint8_t globals[] = {2, 0x7F, 0, 0x41, 0, 0x0B, 0x7E, 1, 0x42, 0, 0x0B};
    put_bytes(&s, globals, sizeof globals), put_section(&m, 6, &s), s.n = 0;

    static const uint8_t exports[] = {1, 2, 'f', '1', 0, 1};
    put_bytes(&s, exports, sizeof exports), put_section(&m, 7, &s), s.n = 0;

    static const uint8_t elems[] = {2, 1, 0x00, 1, 1, 5, 0x6F, 1, 0xD0, 0x6F, 0x0B};
    put_bytes(&s, elems, sizeof elems), put_section(&m, 9, &s), s.n = 0;

    if (!h->no_datacount) {
        put(&s, 1), put_section(&m, 12, &s), s.n = 0;
    }

    buf body = {0};
    size_t nlocals = h->locals ? strlen(h->locals) : 0;
    put_u32(&body, (uint32_t)nlocals);
    for (size_t i = 0; i < nlocals; i++)
        put(&body, 1), put(&body, type_letter(h->locals[i]));
    size_t instr_start = body.n;
    put_bytes(&body, h->body, h->body_len);

    put(&s, 3);
    put_u32(&s, (uint32_t)body.n);
    size_t body_start_in_section = s.n;
    put_bytes(&s, body.p, body.n);
    static const uint8_t other_bodies[] = {2, 0, 0x0B, 4, 0, 0x20, 0, 0x0B};
    put_bytes(&s, other_bodies, sizeof other_bodies);
    put(&m, 10);
    put_u32(&m, (uint32_t)s.n);
    *body_offset = (uint32_t)(m.n + body_start_in_section + instr_start);
    put_bytes(&m, s.p, s.n), s.n = 0;

    static const uint8_t datas[] = {1, 1, 2, 'h', 'i'};
    put_bytes(&s, datas, sizeof datas), put_section(&m, 11, &s);
    free(s.p);
    free(body.p);
    return m;
}

/* Decode and validate; returns 1 valid, 0 invalid, -1 decode failure. */
static int check_bytes_with(const uint8_t *p, size_t n, const wfeatures *features, werror *err)
{
    wmodule *m = wdecode_module(p, n, features, err);
    if (!m)
        return -1;
    int valid = wvalidate_module(m, err) ? 1 : 0;
    wmodule_free(m);
    return valid;
}

static int check_bytes(const uint8_t *p, size_t n, bool simd, werror *err)
{
    wfeatures features = {.simd = simd};
    return check_bytes_with(p, n, &features, err);
}

static int check_harness(const harness *h, werror *err, uint32_t *body_offset)
{
    uint32_t off;
    buf m = build_harness(h, &off);
    wfeatures features = {.simd = h->simd, .threads = h->threads, .tail_call = true};
    int r = check_bytes_with(m.p, m.n, &features, err);
    free(m.p);
    if (body_offset)
        *body_offset = off;
    return r;
}

#define BODY(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

/* Function 0 with signature `sig` and `body` must validate. */
#define VALID(sig, ...)                                                                                      \
    do {                                                                                                     \
        werror e_ = {0};                                                                                   \
        harness h_ = {sig, NULL, BODY(__VA_ARGS__), false, false, false, false};                             \
        int r_ = check_harness(&h_, &e_, NULL);                                                              \
        CHECK_MSG(r_ == 1, "expected valid (%d): %s", r_, e_.msg);                                           \
    } while (0)

/* ... must be rejected by the validator with a message containing `msg`. */
#define INVALID(want, sig, ...)                                                                              \
    do {                                                                                                     \
        werror e_ = {0};                                                                                   \
        harness h_ = {sig, NULL, BODY(__VA_ARGS__), false, false, false, false};                             \
        int r_ = check_harness(&h_, &e_, NULL);                                                              \
        CHECK_MSG(r_ == 0, "expected invalid (%d): %s", r_, e_.msg);                                         \
        if (r_ == 0)                                                                                         \
            CHECK_CONTAINS(e_.msg, want);                                                                    \
    } while (0)

/* The same with SIMD and threads enabled. */
#define VALID_EXT(sig, ...)                                                                                  \
    do {                                                                                                     \
        werror e_ = {0};                                                                                   \
        harness h_ = {sig, NULL, BODY(__VA_ARGS__), false, false, true, true};                               \
        int r_ = check_harness(&h_, &e_, NULL);                                                              \
        CHECK_MSG(r_ == 1, "expected valid (%d): %s", r_, e_.msg);                                           \
    } while (0)

#define INVALID_EXT(want, sig, ...)                                                                          \
    do {                                                                                                     \
        werror e_ = {0};                                                                                   \
        harness h_ = {sig, NULL, BODY(__VA_ARGS__), false, false, true, true};                               \
        int r_ = check_harness(&h_, &e_, NULL);                                                              \
        CHECK_MSG(r_ == 0, "expected invalid (%d): %s", r_, e_.msg);                                         \
        if (r_ == 0)                                                                                         \
            CHECK_CONTAINS(e_.msg, want);                                                                    \
    } while (0)

#define END 0x0B
#define I32C(v) 0x41, (v)
#define I64C(v) 0x42, (v)
#define F32C 0x43, 0, 0, 0, 0
#define F64C 0x44, 0, 0, 0, 0, 0, 0, 0, 0

/* ---- tests ----------------------------------------------------------------- */

static void test_numeric_typing(void)
{
    VALID(":i", I32C(1), I32C(2), 0x6A, END);
    VALID("I:F", 0x20, 0, 0xB9, END);        /* f64.convert_i64_s */
    VALID(":", F32C, 0xFC, 0x00, 0x1A, END); /* i32.trunc_sat_f32_s */
    VALID(":I", I64C(5), 0xC4, END);         /* i64.extend32_s */
    INVALID("type mismatch", ":i", I32C(1), I64C(2), 0x6A, END);
    INVALID("type mismatch", ":i", I64C(1), END);
    INVALID("type mismatch", ":i", END);            /* missing result */
    INVALID("type mismatch", ":", I32C(1), END);    /* extra value */
    INVALID("type mismatch", ":", 0x6A, 0x1A, END); /* underflow */
}

static void test_error_position(void)
{
    werror e = {0};
    uint32_t off = 0;
    /* i32.const 0 (2 bytes), then f32.neg on an i32 at body offset 2. */
    harness h = {":", NULL, BODY(I32C(0), 0x8C, 0x1A, END), false, false, false, false};
    CHECK(check_harness(&h, &e, &off) == 0);
    char want[64];
    snprintf(want, sizeof want, "function 0, offset 0x%x: type mismatch", off + 2);
    CHECK_CONTAINS(e.msg, want);
}

static void test_locals_and_globals(void)
{
    werror e = {0};
    harness h = {"i:I", "I", BODY(0x20, 0, 0x1A, 0x20, 1, 0x22, 1, END), false, false, false, false};
    CHECK_MSG(check_harness(&h, &e, NULL) == 1, "%s", e.msg);
    INVALID("unknown local 1", ":", 0x20, 1, 0x1A, END);
    VALID(":i", 0x23, 0, END);
    VALID(":", I64C(1), 0x24, 1, END);
    INVALID("global is immutable", ":", I32C(1), 0x24, 0, END);
    INVALID("unknown global 2", ":", 0x23, 2, 0x1A, END);
    INVALID("type mismatch", ":", I32C(1), 0x24, 1, END);
}

static void test_unreachable_polymorphism(void)
{
    VALID(":i", 0x00, 0x6A, END); /* i32.add on an unknown stack */
    VALID(":i", 0x00, END);
    VALID(":I", I64C(1), 0x0C, 0, 0x7C, END);       /* br 0, then i64.add */
    VALID(":", 0x00, 0x1B, 0x1A, END);              /* select of unknowns */
    VALID(":i", I32C(0), 0x0F, I64C(0), 0x1A, END); /* after return */
    INVALID("type mismatch", ":i", 0x00, I64C(0), END);
    INVALID("type mismatch", ":", 0x00, F32C, 0x6A, 0x1A, END);
    /* Unknown values do not leak out of the block that became unreachable. */
    INVALID("type mismatch", ":i", 0x02, 0x40, 0x00, END, 0x6A, END);
}

static void test_blocks_multi_value(void)
{
    /* block (type 3: [i32 i32] -> [i32]) consumes two i32 */
    VALID(":i", I32C(1), I32C(2), 0x02, 3, 0x6A, END, END);
    /* loop with params: br 0 takes the params */
    VALID(":i", I32C(1), 0x03, 2, 0x0C, 0, END, END);
    /* if with params and else */
    VALID(":i", I32C(1), I32C(0), 0x04, 2, 0x05, END, END);
    /* if without else: params must equal results (i32 -> i32: fine) */
    VALID(":i", I32C(1), I32C(0), 0x04, 2, END, END);
    INVALID("type mismatch", ":i", I32C(0), 0x04, 0x7F, I32C(1), END, END);
    INVALID("type mismatch", ":i", I32C(1), 0x02, 3, 0x6A, END, END); /* one arg short */
    INVALID("type mismatch", ":", 0x02, 0x7F, END, 0x1A, END);
    INVALID("unknown type", ":", 0x02, 9, END, END);
    INVALID("else", ":", 0x02, 0x40, 0x05, END, END);
}

static void test_branches(void)
{
    VALID(":i", 0x02, 0x7F, I32C(1), 0x0C, 0, END, END);
    VALID(":i", 0x02, 0x7F, I32C(1), I32C(0), 0x0D, 0, END, END);
    INVALID("unknown label 1", ":", 0x0C, 1, END);
    INVALID("type mismatch", ":i", 0x02, 0x7F, I64C(1), 0x0C, 0, END, END);
    /* br_table: all targets i32 */
    VALID(":i", 0x02, 0x7F, I32C(7), I32C(0), 0x0E, 1, 0, 1, END, END);
    /* br_table targets of different arity */
    INVALID("type mismatch", ":i", 0x02, 0x7F, 0x02, 0x40, I32C(7), I32C(0), 0x0E, 1, 0, 1, END, END, END);
    INVALID("unknown label", ":", I32C(0), 0x0E, 0, 3, END);
    /* polymorphic br_table after unreachable against labels of different types */
    VALID(":", 0x02, 0x7D, 0x02, 0x7E, 0x00, 0x0E, 1, 0, 1, END, 0x1A, 0x43, 0, 0, 0, 0, END, 0x1A, END);
}

static void test_select(void)
{
    VALID(":i", I32C(1), I32C(2), I32C(0), 0x1B, END);
    INVALID("type mismatch", ":i", I32C(1), I64C(2), I32C(0), 0x1B, END);
    /* untyped select must not take references */
    INVALID("type mismatch", ":", 0xD0, 0x70, 0xD0, 0x70, I32C(0), 0x1B, 0x1A, END);
    /* typed select takes them */
    VALID(":", 0xD0, 0x70, 0xD0, 0x70, I32C(0), 0x1C, 1, 0x70, 0x1A, END);
    INVALID("invalid result arity", ":", I32C(1), I32C(2), I32C(0), 0x1C, 2, 0x7F, 0x7F, 0x1A, END);
}

static void test_references(void)
{
    VALID(":", 0xD2, 1, 0x1A, END); /* exported: declared */
    INVALID("undeclared function reference", ":", 0xD2, 2, 0x1A, END);
    INVALID("unknown function 9", ":", 0xD2, 9, 0x1A, END);
    VALID(":i", 0xD0, 0x6F, 0xD1, END);
    INVALID("type mismatch", ":i", I32C(0), 0xD1, END);
    VALID(":i", I32C(0), 0x25, 0, 0xD1, END);      /* table.get 0 */
    VALID(":", I32C(0), 0xD0, 0x6F, 0x26, 1, END); /* table.set 1 */
    INVALID("type mismatch", ":", I32C(0), 0xD0, 0x6F, 0x26, 0, END);
    VALID(":i", 0xD0, 0x70, I32C(1), 0xFC, 15, 0, END);         /* table.grow */
    VALID(":", I32C(0), 0xD0, 0x6F, I32C(1), 0xFC, 17, 1, END); /* table.fill */
    INVALID("unknown table 5", ":i", 0xFC, 16, 5, END);
    VALID(":", I32C(0), I32C(0), I32C(0), 0xFC, 12, 0, 0, END); /* table.init elem 0 table 0 */
    INVALID("type mismatch", ":", I32C(0), I32C(0), I32C(0), 0xFC, 12, 1, 0, END);
    INVALID("unknown elem segment 4", ":", 0xFC, 13, 4, END);
    INVALID("type mismatch", ":", I32C(0), I32C(0), I32C(0), 0xFC, 14, 0, 1, END);
}

static void test_calls(void)
{
    VALID(":i", I32C(3), 0x10, 2, END);
    INVALID("type mismatch", ":i", I64C(3), 0x10, 2, END);
    INVALID("unknown function 7", ":", 0x10, 7, END);
    VALID(":i", I32C(3), I32C(0), 0x11, 2, 0, END);
    INVALID("type mismatch", ":i", I32C(3), I32C(0), 0x11, 2, 1, END); /* externref table */
    INVALID("unknown type", ":", I32C(0), 0x11, 8, 0, END);
}

static void test_memory(void)
{
    VALID(":i", I32C(0), 0x28, 2, 0, END);
    INVALID("alignment must not be larger than natural", ":i", I32C(0), 0x28, 3, 0, END);
    INVALID("alignment must not be larger than natural", ":i", I32C(0), 0x2C, 1, 0, END);
    VALID(":", I32C(0), I64C(0), 0x3E, 2, 0, END); /* i64.store32 align 4 */
    INVALID("alignment must not be larger than natural", ":", I32C(0), I64C(0), 0x3E, 3, 0, END);
    VALID(":i", 0x3F, 0, END);
    VALID(":i", I32C(1), 0x40, 0, END);
    VALID(":", I32C(0), I32C(0), I32C(1), 0xFC, 8, 0, 0, END); /* memory.init */
    VALID(":", 0xFC, 9, 0, END);                               /* data.drop */
    INVALID("unknown data segment 1", ":", 0xFC, 9, 1, END);
    VALID(":", I32C(0), I32C(0), I32C(1), 0xFC, 10, 0, 0, END); /* memory.copy */
    VALID(":", I32C(0), I32C(0), I32C(1), 0xFC, 11, 0, END);    /* memory.fill */
    INVALID("type mismatch", ":", I32C(0), I64C(0), I32C(1), 0xFC, 11, 0, END);

    werror e = {0};
    harness h = {":i", NULL, BODY(I32C(0), 0x28, 2, 0, END), true, false, false, false};
    CHECK(check_harness(&h, &e, NULL) == 0);
    CHECK_CONTAINS(e.msg, "unknown memory 0");
    harness h2 = {":", NULL, BODY(0x3F, 0, 0x1A, END), true, false, false, false};
    CHECK(check_harness(&h2, &e, NULL) == 0);
    CHECK_CONTAINS(e.msg, "unknown memory 0");
    harness h3 = {":", NULL, BODY(0xFC, 9, 0, END), false, true, false, false};
    CHECK(check_harness(&h3, &e, NULL) == 0);
    CHECK_CONTAINS(e.msg, "data count section required");
    harness h4 = {":", NULL, BODY(I32C(0), I32C(0), I32C(1), 0xFC, 8, 0, 0, END), false, true, false, false};
    CHECK(check_harness(&h4, &e, NULL) == 0);
    CHECK_CONTAINS(e.msg, "data count section required");
}

static void test_body_end(void)
{
    werror e = {0};
    /* trailing bytes after the final end: bodies are sized, so an extra
     * `nop` after the end is a malformed body */
    harness h = {":", NULL, BODY(END, 0x01), false, false, false, false};
    CHECK(check_harness(&h, &e, NULL) <= 0);
    /* no final end */
    harness h2 = {":", NULL, BODY(0x02, 0x40, END), false, false, false, false};
    CHECK(check_harness(&h2, &e, NULL) <= 0);
}

#define V128C 0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

static void test_simd_and_atomics(void)
{
    VALID_EXT(":i", V128C, 0xFD, 0x15, 15, END); /* i8x16.extract_lane_s 15 */
    INVALID_EXT("invalid lane index", ":i", V128C, 0xFD, 0x15, 16, END);
    INVALID_EXT("invalid lane index", ":i", V128C, 0xFD, 0x1B, 4, END); /* i32x4 has 4 lanes */
    INVALID_EXT("type mismatch", ":I", V128C, 0xFD, 0x1B, 0, END);
    VALID_EXT(":", I32C(0), 0xFD, 0x00, 4, 0, 0x1A, END); /* v128.load align 16 */
    INVALID_EXT("alignment must not be larger than natural", ":", I32C(0), 0xFD, 0x00, 5, 0, 0x1A, END);
    VALID_EXT(":", V128C, V128C, I32C(0), 0x1B, 0x1A, END); /* untyped select of v128 */
    VALID_EXT(":i", I32C(0), 0xFE, 0x10, 2, 0, END);        /* i32.atomic.load align 4 */
    INVALID_EXT("atomic alignment must be natural", ":i", I32C(0), 0xFE, 0x10, 1, 0, END);
    VALID_EXT(":i", I32C(0), I32C(1), 0xFE, 0x1E, 2, 0, END); /* i32.atomic.rmw.add */
    VALID_EXT(":", 0xFE, 0x03, 0, END);                       /* atomic.fence */
    /* without the features, the instructions are not accepted */
    INVALID("", ":i", V128C, 0xFD, 0x15, 0, END);
}

static void test_tail_calls(void)
{
    VALID(":", 0x12, 1, END);                             /* return_call 1: [] -> [] */
    VALID("i:i", 0x20, 0, 0x12, 2, END);                  /* return_call 2: [i32] -> [i32] */
    INVALID("type mismatch", ":", I32C(0), 0x12, 2, END); /* results differ */
    VALID("i:i", 0x20, 0, I32C(0), 0x13, 2, 0, END);      /* return_call_indirect */
}

/* ---- module-level checks ------------------------------------------------ */

#define HEADER 0, 'a', 's', 'm', 1, 0, 0, 0
/* A section whose content is < 128 bytes: the size is computed for us. */
#define SEC(id, ...) (id), sizeof((const uint8_t[]){__VA_ARGS__}), __VA_ARGS__

#define MODULE_INVALID(want, ...)                                                                            \
    do {                                                                                                     \
        static const uint8_t bytes_[] = {HEADER, __VA_ARGS__};                                               \
        werror e_ = {0};                                                                                   \
        int r_ = check_bytes(bytes_, sizeof bytes_, false, &e_);                                             \
        CHECK_MSG(r_ == 0, "expected invalid (%d): %s", r_, e_.msg);                                         \
        if (r_ == 0)                                                                                         \
            CHECK_CONTAINS(e_.msg, want);                                                                    \
    } while (0)

#define MODULE_VALID(...)                                                                                    \
    do {                                                                                                     \
        static const uint8_t bytes_[] = {HEADER, __VA_ARGS__};                                               \
        werror e_ = {0};                                                                                   \
        int r_ = check_bytes(bytes_, sizeof bytes_, false, &e_);                                             \
        CHECK_MSG(r_ == 1, "expected valid (%d): %s", r_, e_.msg);                                           \
    } while (0)

static void test_const_exprs(void)
{
    /* global i32 = i32.const 1 */
    MODULE_VALID(SEC(6, 1, 0x7F, 0, I32C(1), END));
    MODULE_INVALID("type mismatch", SEC(6, 1, 0x7F, 0, I64C(1), END));
    MODULE_INVALID("global 0: constant expression required", SEC(6, 1, 0x7F, 0, I32C(1), I32C(2), 0x6A, END));
    MODULE_INVALID("type mismatch", SEC(6, 1, 0x7F, 0, I32C(1), I32C(2), END));
    MODULE_INVALID("type mismatch", SEC(6, 1, 0x7F, 0, END));
    /* global.get of a defined global: only imported ones are visible */
    MODULE_INVALID("unknown global 0", SEC(6, 2, 0x7F, 0, I32C(1), END, 0x7F, 0, 0x23, 0, END));
    /* imported immutable global: fine; imported mutable: not constant */
    MODULE_VALID(SEC(2, 1, 1, 'm', 1, 'g', 3, 0x7F, 0), SEC(6, 1, 0x7F, 0, 0x23, 0, END));
    MODULE_INVALID("constant expression required", SEC(2, 1, 1, 'm', 1, 'g', 3, 0x7F, 1),
                   SEC(6, 1, 0x7F, 0, 0x23, 0, END));
    /* ref.func in a global declares the function for code */
    MODULE_VALID(SEC(1, 1, 0x60, 0, 0), SEC(3, 1, 0), SEC(6, 1, 0x70, 0, 0xD2, 0, END),
                 SEC(10, 1, 5, 0, 0xD2, 0, 0x1A, END));
    MODULE_INVALID("unknown function 3", SEC(6, 1, 0x70, 0, 0xD2, 3, END));
    /* data offset must be i32 */
    MODULE_INVALID("type mismatch", SEC(5, 1, 0, 1), SEC(11, 1, 0, I64C(0), END, 0));
    MODULE_INVALID("unknown memory 0", SEC(11, 1, 0, I32C(0), END, 0));
}

static void test_extended_const(void)
{
    static const uint8_t bytes[] = {HEADER, SEC(6, 1, 0x7F, 0, I32C(1), I32C(2), 0x6A, END)};
    wfeatures f = {.extended_const = true};
    werror e = {0};
    wmodule *m = wdecode_module(bytes, sizeof bytes, &f, &e);
    CHECK_MSG(m != NULL, "%s", e.msg);
    if (m) {
        CHECK_MSG(wvalidate_module(m, &e), "%s", e.msg);
        wmodule_free(m);
    }
}

static void test_module_limits(void)
{
    MODULE_INVALID("multiple memories", SEC(5, 2, 0, 1, 0, 1));
    MODULE_INVALID("size minimum must not be greater than maximum", SEC(5, 1, 1, 2, 1));
    MODULE_INVALID("memory size must be at most 65536 pages (4GiB)", SEC(5, 1, 0, 0x81, 0x80, 0x04));
    MODULE_INVALID("size minimum must not be greater than maximum", SEC(4, 1, 0x70, 1, 5, 4));
    MODULE_VALID(SEC(5, 1, 1, 0, 0x80, 0x80, 0x04));
}

static void test_exports_and_start(void)
{
    MODULE_INVALID("duplicate export name", SEC(1, 1, 0x60, 0, 0), SEC(3, 1, 0),
                   SEC(7, 2, 1, 'a', 0, 0, 1, 'a', 0, 0), SEC(10, 1, 2, 0, END));
    MODULE_VALID(SEC(1, 1, 0x60, 0, 0), SEC(3, 1, 0), SEC(7, 2, 1, 'a', 0, 0, 1, 'b', 0, 0),
                 SEC(10, 1, 2, 0, END));
    MODULE_INVALID("unknown function 1", SEC(1, 1, 0x60, 0, 0), SEC(3, 1, 0), SEC(7, 1, 1, 'a', 0, 1),
                   SEC(10, 1, 2, 0, END));
    MODULE_INVALID("unknown global 0", SEC(7, 1, 1, 'a', 3, 0));
    MODULE_INVALID("start function", SEC(1, 1, 0x60, 1, 0x7F, 0), SEC(3, 1, 0), SEC(8, 0),
                   SEC(10, 1, 5, 0, 0x20, 0, 0x1A, END));
    MODULE_VALID(SEC(1, 1, 0x60, 0, 0), SEC(3, 1, 0), SEC(8, 0), SEC(10, 1, 2, 0, END));
    MODULE_INVALID("unknown type", SEC(3, 1, 0), SEC(10, 1, 2, 0, END));
}

static void test_elem_segments(void)
{
    /* active funcref segment into an externref table */
    MODULE_INVALID("type mismatch", SEC(1, 1, 0x60, 0, 0), SEC(3, 1, 0), SEC(4, 1, 0x6F, 0, 1),
                   SEC(9, 1, 0, I32C(0), END, 1, 0), SEC(10, 1, 2, 0, END));
    MODULE_INVALID("unknown table 0", SEC(1, 1, 0x60, 0, 0), SEC(3, 1, 0), SEC(9, 1, 0, I32C(0), END, 1, 0),
                   SEC(10, 1, 2, 0, END));
    MODULE_INVALID("unknown function 4", SEC(1, 1, 0x60, 0, 0), SEC(3, 1, 0), SEC(4, 1, 0x70, 0, 1),
                   SEC(9, 1, 0, I32C(0), END, 1, 4), SEC(10, 1, 2, 0, END));
    /* a declarative segment declares function 0 for ref.func */
    MODULE_VALID(SEC(1, 1, 0x60, 0, 0), SEC(3, 1, 0), SEC(9, 1, 3, 0, 1, 0),
                 SEC(10, 1, 5, 0, 0xD2, 0, 0x1A, END));
    MODULE_INVALID("undeclared function reference", SEC(1, 1, 0x60, 0, 0), SEC(3, 1, 0),
                   SEC(10, 1, 5, 0, 0xD2, 0, 0x1A, END));
}

/* 100,000 nested blocks: no recursion, linear time. */
static void test_deep_nesting(void)
{
    enum { DEPTH = 100000 };
    buf body = {0};
    for (int i = 0; i < DEPTH; i++)
        put(&body, 0x02), put(&body, 0x40);
    for (int i = 0; i < DEPTH; i++)
        put(&body, END);
    put(&body, END);
    harness h = {":", NULL, body.p, body.n, false, false, false, false};
    werror e = {0};
    clock_t t0 = clock();
    int r = check_harness(&h, &e, NULL);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_MSG(r == 1, "%s", e.msg);
    CHECK_MSG(secs < 2.0, "took %.2f s", secs);

    /* The same depth with one `end` missing is rejected cleanly. */
    h.body_len--;
    CHECK(check_harness(&h, &e, NULL) <= 0);
    free(body.p);
}

static double seconds_since(clock_t t0)
{
    return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

/* Dead code and long br_tables must not cost O(instructions * arity). */
static void test_wide_signatures_stay_linear(void)
{
    enum { WIDTH = 20000, CALLS = 200000, TARGETS = 100000 };
    char *sig = malloc(2 * WIDTH + 2);
    memset(sig, 'i', 2 * WIDTH + 1);
    sig[WIDTH] = ':';
    sig[2 * WIDTH + 1] = '\0';

    /* 200,000 calls of a [20,000 x i32] -> [] function after `unreachable` */
    sig[WIDTH + 1] = '\0';
    buf body = {0};
    put(&body, 0x00);
    for (int i = 0; i < CALLS; i++)
        put(&body, 0x10), put(&body, 0);
    put(&body, END);
    harness h = {sig, NULL, body.p, body.n, false, false, false, false};
    werror e = {0};
    clock_t t0 = clock();
    CHECK_MSG(check_harness(&h, &e, NULL) == 1, "%s", e.msg);
    CHECK_MSG(seconds_since(t0) < 1.0, "dead calls took %.2f s", seconds_since(t0));

    /* a loop of 20,000 i32 params, then br_table with 100,000 targets to it */
    sig[WIDTH + 1] = 'i';
    body.n = 0;
    for (int i = 0; i < WIDTH; i++)
        put(&body, 0x41), put(&body, 0);
    put(&body, 0x03), put(&body, 0); /* loop (type 0) */
    put(&body, 0x41), put(&body, 0), put(&body, 0x0E);
    put_u32(&body, TARGETS);
    for (int i = 0; i < TARGETS; i++)
        put(&body, 0);
    put(&body, 0), put(&body, END), put(&body, END);
    h.body = body.p;
    h.body_len = body.n;
    t0 = clock();
    CHECK_MSG(check_harness(&h, &e, NULL) == 1, "%s", e.msg);
    CHECK_MSG(seconds_since(t0) < 1.0, "br_table took %.2f s", seconds_since(t0));
    free(body.p);
    free(sig);
}

int main(void)
{
    test_numeric_typing();
    test_error_position();
    test_locals_and_globals();
    test_unreachable_polymorphism();
    test_blocks_multi_value();
    test_branches();
    test_select();
    test_references();
    test_calls();
    test_memory();
    test_body_end();
    test_simd_and_atomics();
    test_tail_calls();
    test_const_exprs();
    test_extended_const();
    test_module_limits();
    test_exports_and_start();
    test_elem_segments();
    test_deep_nesting();
    test_wide_signatures_stay_linear();
    return test_summary("validator");
}
