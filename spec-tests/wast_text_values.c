/*
 * Values in .wast text: the constants of invoke's arguments and the
 * patterns of assert_return's results, read with ward's own lexer and
 * number conversions (src/text/num.c) into wast_value records.
 */
#include <stdlib.h>
#include <string.h>

#include "wast_text.h"

/* ---- tokens ------------------------------------------------------------- */

static const char *token_kind_name(wtok_kind kind)
{
    static const char *const names[] = {
        [WTOK_EOF] = "end of file", [WTOK_LPAREN] = "'('",  [WTOK_RPAREN] = "')'",
        [WTOK_KEYWORD] = "keyword", [WTOK_ID] = "identifier", [WTOK_STRING] = "string",
        [WTOK_NUMBER] = "number",   [WTOK_RESERVED] = "token",
    };
    return names[kind];
}

bool wast_text_expect(wlexer *lx, wtok_kind kind, const char *what, wtok *tok, wtext_error *err)
{
    if (!wlex_next(lx, tok, err))
        return false;
    if (tok->kind != kind)
        return wtext_fail(err, tok, "expected %s, found %s", what ? what : token_kind_name(kind),
                          token_kind_name(tok->kind));
    return true;
}

bool wast_text_head(wlexer *lx, wtok *head, wtext_error *err)
{
    return wast_text_expect(lx, WTOK_KEYWORD, "a keyword after '('", head, err);
}

bool wast_text_peek_form(const wlexer *lx, wtok *head)
{
    wlexer copy = *lx;
    wtext_error ignored;
    wtok open;
    return wlex_next(&copy, &open, &ignored) && open.kind == WTOK_LPAREN && wlex_next(&copy, head, &ignored) &&
           head->kind == WTOK_KEYWORD;
}

static bool expect_close(wlexer *lx, wtext_error *err)
{
    wtok tok;
    return wast_text_expect(lx, WTOK_RPAREN, "')'", &tok, err);
}

/* ---- numbers ------------------------------------------------------------ */

static bool nan_pattern(const wtok *tok, wast_nan *out)
{
    if (wtok_is(tok, "nan:canonical"))
        *out = WAST_NAN_CANONICAL;
    else if (wtok_is(tok, "nan:arithmetic"))
        *out = WAST_NAN_ARITHMETIC;
    else
        return false;
    return true;
}

/* One number `bits` wide: an integer's two's-complement bits, a float's
 * bits, or with `pattern` a float's NaN class. */
static bool read_number(wlexer *lx, unsigned bits, bool is_float, bool pattern, uint64_t *out, wast_nan *nan,
                        wtext_error *err)
{
    wtok tok;
    *nan = WAST_NAN_NONE;
    *out = 0;
    if (!wlex_next(lx, &tok, err))
        return false;
    if (is_float && nan_pattern(&tok, nan)) {
        if (!pattern)
            return wtext_fail(err, &tok, "a NaN pattern is not a value");
        return true;
    }
    return wtext_number(&tok, bits, is_float, out, err);
}

static void store_lane(uint8_t *bytes, unsigned lane, unsigned bits, uint64_t v)
{
    for (unsigned i = 0; i < bits / 8; i++)
        bytes[lane * (bits / 8) + i] = (uint8_t)(v >> (8 * i));
}

/* ---- forms -------------------------------------------------------------- */

typedef bool (*form_parser)(wlexer *lx, const wtok *head, bool pattern, wast_value *out, wtext_error *err);

static bool scalar_form(wlexer *lx, const wtok *head, bool pattern, wast_value *out, wtext_error *err)
{
    (void)head;
    ward_valkind kind = out->val.kind;
    unsigned bits = kind == WARD_I32 || kind == WARD_F32 ? 32 : 64;
    bool is_float = kind == WARD_F32 || kind == WARD_F64;
    uint64_t v;
    if (!read_number(lx, bits, is_float, pattern, &v, &out->nan[0], err))
        return false;
    if (bits == 32)
        out->val.of.i32 = (uint32_t)v;
    else
        out->val.of.i64 = v;
    return true;
}

static bool v128_form(wlexer *lx, const wtok *head, bool pattern, wast_value *out, wtext_error *err)
{
    (void)head;
    wtok tok;
    if (!wast_text_expect(lx, WTOK_KEYWORD, "a v128 shape (i32x4, f64x2, ...)", &tok, err))
        return false;
    const wtext_shape *shape = wtext_shape_of(&tok);
    if (!shape)
        return wtext_fail(err, &tok, "unknown v128 shape");
    out->lane_bits = shape->bits;
    out->lane_float = shape->is_float;
    for (unsigned lane = 0; lane < shape->lanes; lane++) {
        uint64_t v;
        if (!read_number(lx, shape->bits, shape->is_float, pattern, &v, &out->nan[lane], err))
            return false;
        store_lane(out->val.of.v128, lane, shape->bits, v);
    }
    return true;
}

/* (ref.null func) / (ref.null extern): the abbreviated heap types too. */
static bool ref_null_form(wlexer *lx, const wtok *head, bool pattern, wast_value *out, wtext_error *err)
{
    (void)head;
    (void)pattern;
    wtok tok;
    if (!wast_text_expect(lx, WTOK_KEYWORD, "a heap type (func, extern)", &tok, err))
        return false;
    if (wtok_is(&tok, "func") || wtok_is(&tok, "funcref"))
        out->val.kind = WARD_FUNCREF;
    else if (wtok_is(&tok, "extern") || wtok_is(&tok, "externref"))
        out->val.kind = WARD_EXTERNREF;
    else
        return wtext_fail(err, &tok, "unknown heap type");
    return true; /* the reference is NULL: memset by the caller */
}

/* (ref.extern N) is the host reference the runner maps to pointer N + 1;
 * a bare (ref.extern) or (ref.func) is any non-null one (results only). */
static bool ref_form(wlexer *lx, const wtok *head, bool pattern, wast_value *out, wtext_error *err)
{
    wtok tok;
    if (!wlex_peek(lx, &tok, err))
        return false;
    if (tok.kind == WTOK_RPAREN) {
        if (!pattern)
            return wtext_fail(err, head, "a reference without a value is no argument");
        out->nonnull = true;
        return true;
    }
    if (out->val.kind != WARD_EXTERNREF)
        return wtext_fail(err, head, "only a bare (ref.func) is a result pattern");
    uint64_t n;
    if (!wlex_next(lx, &tok, err) || !wtext_u64(&tok, &n, err))
        return false;
    if (n >= UINTPTR_MAX)
        return wtext_fail(err, &tok, "constant out of range");
    out->val.of.externref = (void *)(uintptr_t)(n + 1);
    return true;
}

typedef struct value_form {
    const char *head;
    ward_valkind kind;
    form_parser parse;
} value_form;

static const value_form value_forms[] = {
    {"i32.const", WARD_I32, scalar_form},         {"i64.const", WARD_I64, scalar_form},
    {"f32.const", WARD_F32, scalar_form},         {"f64.const", WARD_F64, scalar_form},
    {"v128.const", WARD_V128, v128_form},         {"ref.null", WARD_FUNCREF, ref_null_form},
    {"ref.extern", WARD_EXTERNREF, ref_form},     {"ref.func", WARD_FUNCREF, ref_form},
};

/* The rest of a value form whose '(' and head are read, its ')' included. */
static bool value_body(wlexer *lx, const wtok *head, bool pattern, wast_value *out, wtext_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof value_forms / sizeof value_forms[0]; i++) {
        if (wtok_is(head, value_forms[i].head)) {
            out->val.kind = value_forms[i].kind;
            return value_forms[i].parse(lx, head, pattern, out, err) && expect_close(lx, err);
        }
    }
    return wtext_fail(err, head, "unknown %s", pattern ? "result" : "constant");
}

static bool form_head(wlexer *lx, wtok *head, wtext_error *err)
{
    wtok open;
    return wast_text_expect(lx, WTOK_LPAREN, "'(' of a value", &open, err) && wast_text_head(lx, head, err);
}

bool wast_text_const(wlexer *lx, wast_value *out, wtext_error *err)
{
    wtok head;
    return form_head(lx, &head, err) && value_body(lx, &head, false, out, err);
}

/* Grow the alternatives by one; NULL when out of memory. */
static wast_value *add_alternative(wast_result *r)
{
    wast_value *alts = wrealloc_array(r->alts, r->nalts + 1, sizeof *alts);
    if (!alts)
        return NULL;
    r->alts = alts;
    return &alts[r->nalts++];
}

static bool either_body(wlexer *lx, wast_result *out, wtext_error *err)
{
    wtok tok, head;
    for (;;) {
        if (!wlex_peek(lx, &tok, err))
            return false;
        if (tok.kind == WTOK_RPAREN && out->nalts > 0)
            return wlex_next(lx, &tok, err);
        wast_value *alt = add_alternative(out);
        if (!alt)
            return wtext_fail(err, &tok, "out of memory");
        if (!form_head(lx, &head, err) || !value_body(lx, &head, true, alt, err))
            return false;
    }
}

bool wast_text_result(wlexer *lx, wast_result *out, wtext_error *err)
{
    memset(out, 0, sizeof *out);
    wtok head;
    if (!form_head(lx, &head, err))
        return false;
    if (wtok_is(&head, "either"))
        return either_body(lx, out, err);
    wast_value *v = add_alternative(out);
    if (!v)
        return wtext_fail(err, &head, "out of memory");
    return value_body(lx, &head, true, v, err);
}
