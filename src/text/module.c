/*
 * Modules: the entry points, the token helpers every part of the parser
 * uses, and the two passes over a module's fields.  The first pass (scan)
 * only binds $ids to indices in every index space and collects the
 * explicit types, so a field may name what is defined after it; the
 * second writes each field into its section.  The sections are then laid
 * out in the binary format's order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_parse.h"
#include "../common/util.h"

/* ---- token helpers ---- */

bool wp_next(wparser *p, wtok *t)
{
    return wlex_next(&p->lx, t, p->err);
}

bool wp_peek(wparser *p, wtok *t)
{
    return wlex_peek(&p->lx, t, p->err);
}

bool wp_peek_field(wparser *p, const char *kw)
{
    wlexer ahead = p->lx;
    wtext_error ignored;
    wtok a, b;
    return wlex_next(&ahead, &a, &ignored) && a.kind == WTOK_LPAREN &&
           wlex_next(&ahead, &b, &ignored) && wtok_is(&b, kw);
}

bool wp_unexpected(wparser *p, const wtok *t, const char *expected)
{
    if (t->kind == WTOK_EOF)
        return wtext_fail(p->err, t, "unexpected end of input, expected %s", expected);
    return wtext_fail(p->err, t, "unexpected token '%.*s', expected %s", (int)(t->len > 40 ? 40 : t->len),
                      t->start, expected);
}

bool wp_expect(wparser *p, wtok_kind kind, const char *what)
{
    wtok t;
    if (!wp_next(p, &t))
        return false;
    return t.kind == kind || wp_unexpected(p, &t, what);
}

bool wp_expect_kw(wparser *p, const char *kw)
{
    wtok t;
    if (!wp_next(p, &t))
        return false;
    if (wtok_is(&t, kw))
        return true;
    char what[48];
    snprintf(what, sizeof what, "'%s'", kw);
    return wp_unexpected(p, &t, what);
}

bool wp_close(wparser *p)
{
    return wp_expect(p, WTOK_RPAREN, "')'");
}

bool wp_oom(wparser *p)
{
    return wtext_fail(p->err, NULL, "out of memory");
}

/* ---- the scan: $ids and explicit types ---- */

/* What imports must not follow (the spec's "import after function"). */
typedef struct scanstate {
    const char *first_definition;   /* NULL while only imports were seen */
} scanstate;

static bool optional_id(wparser *p, wtok *id, bool *has)
{
    wtok t;
    if (!wp_peek(p, &t))
        return false;
    *has = t.kind == WTOK_ID;
    if (*has)
        wp_next(p, id);
    return true;
}

static bool skip_rest(wparser *p)
{
    return wlex_skip_to_close(&p->lx, p->err);
}

static bool note_import(wparser *p, scanstate *st, const wtok *at)
{
    if (st->first_definition)
        return wtext_fail(p->err, at, "import after %s", st->first_definition);
    return true;
}

static bool note_memory(wparser *p, bool is64)
{
    uint32_t index = p->space[SP_MEMORY].count;
    if (!wgrow((void **)&p->mem_is64, &p->mem_is64_cap, (size_t)index + 1, 1))
        return wp_oom(p);
    p->mem_is64[index] = is64;
    p->nmemories = (size_t)index + 1;
    return true;
}

bool wp_memory_is64(const wparser *p, uint32_t index)
{
    return index < p->nmemories && p->mem_is64[index];
}

static bool next_is_kw(wparser *p, const char *kw)
{
    wtok t;
    return wp_peek(p, &t) && wtok_is(&t, kw);
}

static bool scan_type(wparser *p, scanstate *st)
{
    (void)st;
    wtok id;
    bool has_id;
    wftype ft;
    uint32_t index;
    if (!optional_id(p, &id, &has_id) || !wp_expect(p, WTOK_LPAREN, "'(func'") || !wp_expect_kw(p, "func"))
        return false;
    if (!wp_params_results(p, &ft, false, true))
        return false;
    bool ok = wtypes_add(p, &ft, &index) && wspace_add(p, &p->space[SP_TYPE], has_id ? &id : NULL);
    wftype_free(&ft);
    return ok && wp_close(p) && wp_close(p);
}

static const struct {
    const char *kw;
    int space;
} desc_kinds[] = {
    {"func", SP_FUNC}, {"table", SP_TABLE}, {"memory", SP_MEMORY}, {"global", SP_GLOBAL}, {"tag", SP_TAG},
};

static int desc_space(const wtok *t)
{
    for (size_t i = 0; i < sizeof desc_kinds / sizeof desc_kinds[0]; i++)
        if (wtok_is(t, desc_kinds[i].kw))
            return desc_kinds[i].space;
    return -1;
}

static bool scan_import(wparser *p, scanstate *st, const wtok *kw)
{
    wtok t, id;
    bool has_id;
    if (!note_import(p, st, kw) || !wp_expect(p, WTOK_STRING, "a module name") ||
        !wp_expect(p, WTOK_STRING, "an import name") || !wp_expect(p, WTOK_LPAREN, "an import description") ||
        !wp_next(p, &t))
        return false;
    int sp = desc_space(&t);
    if (sp < 0)
        return wp_unexpected(p, &t, "func, table, memory, global or tag");
    if (!optional_id(p, &id, &has_id))
        return false;
    if (sp == SP_MEMORY && !note_memory(p, next_is_kw(p, "i64")))
        return false;
    return wspace_add(p, &p->space[sp], has_id ? &id : NULL) && skip_rest(p) && skip_rest(p);
}

/* func, table, memory, global, tag: an $id, exports, maybe an inline import */
static bool scan_definition(wparser *p, scanstate *st, const wtok *kw)
{
    int sp = desc_space(kw);
    wtok id, t;
    bool has_id;
    if (!optional_id(p, &id, &has_id))
        return false;
    while (wp_peek_field(p, "export")) {
        wp_next(p, &t);
        if (!skip_rest(p))
            return false;
    }
    if (wp_peek_field(p, "import")) {
        wp_next(p, &t);
        wp_next(p, &t);
        if (!note_import(p, st, &t) || !skip_rest(p))
            return false;
    } else if (!st->first_definition) {
        st->first_definition = sp == SP_FUNC ? "function" : sp == SP_TABLE ? "table"
                             : sp == SP_MEMORY ? "memory" : sp == SP_GLOBAL ? "global" : "tag";
    }
    if (sp == SP_MEMORY) {
        if (!note_memory(p, next_is_kw(p, "i64")))
            return false;
        if (next_is_kw(p, "i64") || next_is_kw(p, "i32"))
            wp_next(p, &t);
        if (wp_peek_field(p, "data") && !wspace_add(p, &p->space[SP_DATA], NULL))
            return false;
    }
    if (sp == SP_TABLE) {
        uint8_t rt;
        if (wp_peek(p, &t) && wp_reftype_kw(&t, &rt)) {
            wp_next(p, &t);
            if (wp_peek_field(p, "elem") && !wspace_add(p, &p->space[SP_ELEM], NULL))
                return false;
        }
    }
    return wspace_add(p, &p->space[sp], has_id ? &id : NULL) && skip_rest(p);
}

static bool scan_segment(wparser *p, int sp)
{
    wtok id;
    bool has_id;
    return optional_id(p, &id, &has_id) && wspace_add(p, &p->space[sp], has_id ? &id : NULL) && skip_rest(p);
}

static bool scan_field(wparser *p, scanstate *st, const wtok *kw)
{
    if (wtok_is(kw, "type"))
        return scan_type(p, st);
    if (wtok_is(kw, "import"))
        return scan_import(p, st, kw);
    if (desc_space(kw) >= 0)
        return scan_definition(p, st, kw);
    if (wtok_is(kw, "elem"))
        return scan_segment(p, SP_ELEM);
    if (wtok_is(kw, "data"))
        return scan_segment(p, SP_DATA);
    if (wtok_is(kw, "export") || wtok_is(kw, "start"))
        return skip_rest(p);
    return wp_unexpected(p, kw, "a module field");
}

static bool at_fields_end(wparser *p, wtok_kind end, bool *done)
{
    wtok t;
    if (!wp_peek(p, &t))
        return false;
    *done = t.kind == end;
    if (!*done && t.kind != WTOK_LPAREN)
        return wp_unexpected(p, &t, end == WTOK_EOF ? "'(' or end of input" : "'(' or ')'");
    return true;
}

static bool scan_fields(wparser *p, wtok_kind end)
{
    scanstate st = {NULL};
    bool done;
    wtok kw;
    while (at_fields_end(p, end, &done) && !done) {
        wp_next(p, &kw);
        if (!wp_next(p, &kw) || !scan_field(p, &st, &kw))
            return false;
    }
    if (!done)
        return false;
    static const char *const what[SP_COUNT] = {"type", "func", "table", "memory",
                                               "global", "elem", "data", "tag"};
    for (int sp = 0; sp < SP_COUNT; sp++) {
        if (!wspace_sort(p, &p->space[sp], what[sp]))
            return false;
        p->space[sp].count = 0;   /* the second pass counts again */
    }
    return true;
}

static bool write_fields(wparser *p, wtok_kind end)
{
    bool done;
    wtok kw;
    while (at_fields_end(p, end, &done) && !done) {
        wp_next(p, &kw);
        if (!wp_next(p, &kw) || !wp_field(p, &kw))
            return false;
    }
    return done;
}

/* ---- laying out the binary ---- */

static void write_types(wparser *p)
{
    wtbuf *b = &p->sec[SEC_TYPE];
    for (size_t i = 0; i < p->ntypes; i++) {
        const wftype *t = &p->types[i];
        wtbuf_byte(b, 0x60);
        wtbuf_u32(b, t->nparams);
        wtbuf_bytes(b, t->vals, t->nparams);
        wtbuf_u32(b, t->nresults);
        wtbuf_bytes(b, t->vals + t->nparams, t->nresults);
    }
    p->count[SEC_TYPE] = (uint32_t)p->ntypes;
}

static void write_section(wtbuf *out, uint8_t id, uint32_t count, bool with_count, const wtbuf *body)
{
    wtbuf whole = {0};
    if (with_count)
        wtbuf_u32(&whole, count);
    wtbuf_append(&whole, body);
    wtbuf_byte(out, id);
    if (whole.len > UINT32_MAX)
        out->oom = true;
    wtbuf_u32(out, (uint32_t)whole.len);
    wtbuf_append(out, &whole);
    wtbuf_free(&whole);
}

static bool assemble(wparser *p, wtext_module *out)
{
    static const uint8_t order[] = {SEC_TYPE, SEC_IMPORT, SEC_FUNC, SEC_TABLE, SEC_MEMORY, SEC_TAG,
                                    SEC_GLOBAL, SEC_EXPORT, SEC_START, SEC_ELEM, SEC_DATACOUNT,
                                    SEC_CODE, SEC_DATA};
    static const uint8_t header[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    wtbuf m = {0};
    write_types(p);
    wtbuf_bytes(&m, header, sizeof header);
    size_t code_start = 0, code_end = 0;
    for (size_t i = 0; i < sizeof order; i++) {
        int s = order[i];
        if (s == SEC_START ? p->has_start : s == SEC_DATACOUNT ? p->uses_data_index : p->count[s] > 0)
            write_section(&m, (uint8_t)s, p->count[s], s != SEC_START, &p->sec[s]);
        if (s == SEC_CODE) {
            code_end = m.len;
            code_start = m.len - (p->count[s] > 0 ? p->sec[s].len : 0);
        }
    }
    if (m.oom || m.len > UINT32_MAX || !wsrc_finish(p, (uint32_t)code_start, (uint32_t)code_end, &out->map)) {
        wtbuf_free(&m);
        return wp_oom(p);
    }
    out->wasm = m.data;
    out->wasm_len = m.len;
    return true;
}

static void parser_free(wparser *p)
{
    for (int i = 0; i < SP_COUNT; i++)
        free(p->space[i].names);
    for (size_t i = 0; i < p->ntypes; i++)
        wftype_free(&p->types[i]);
    free(p->types);
    for (int i = 0; i < SEC_COUNT; i++)
        wtbuf_free(&p->sec[i]);
    free(p->mem_is64);
    free(p->locals.names);
    free(p->labels);
    wsrc_free(p);
}

/* The fields from lx's position up to `end` (')' or end of input, not
 * consumed), both passes; lx is left at `end`. */
static bool parse_fields(wlexer *lx, const wtext_options *opt, wtok_kind end, wtext_module *out, wtext_error *err)
{
    wparser *p = calloc(1, sizeof *p);
    if (!p)
        return wtext_fail(err, NULL, "out of memory");
    p->err = err;
    p->opt = *opt;
    p->lx = *lx;
    bool ok = scan_fields(p, end);
    if (ok) {
        p->lx = *lx;
        ok = write_fields(p, end);
        /* the data count section is the count alone */
        p->count[SEC_DATACOUNT] = p->space[SP_DATA].count;
    }
    if (ok)
        ok = assemble(p, out);
    *lx = p->lx;
    parser_free(p);
    free(p);
    return ok;
}

/* "..."*: the strings' bytes, concatenated */
static bool concat_strings(wlexer *lx, wtbuf *out, wtext_error *err)
{
    wtok t;
    while (wlex_peek(lx, &t, err) && t.kind == WTOK_STRING) {
        uint8_t *bytes;
        size_t len;
        wlex_next(lx, &t, err);
        if (!wtext_string(&t, &bytes, &len, err))
            return false;
        wtbuf_bytes(out, bytes, len);
        free(bytes);
    }
    if (out->oom)
        return wtext_fail(err, NULL, "out of memory");
    return true;
}

static bool expect_close(wlexer *lx, wtext_error *err)
{
    wtok t;
    if (!wlex_next(lx, &t, err))
        return false;
    if (t.kind == WTOK_RPAREN)
        return true;
    return wtext_fail(err, &t, "unexpected token '%.*s', expected ')'", (int)(t.len > 40 ? 40 : t.len), t.start);
}

static bool parse_text(const char *text, size_t len, const wtext_options *opt, wtext_module *out, wtext_error *err,
                       unsigned depth);

/* A quote module's text may hold a quote module: bounded, so hostile
 * input cannot recurse deeply. */
#define MAX_QUOTE_DEPTH 8

static bool parse_module_form(wlexer *lx, const wtext_options *opt, wtext_module *out, wtext_error *err,
                              unsigned depth)
{
    wtok t;
    memset(out, 0, sizeof *out);
    out->id.kind = WTOK_EOF;
    if (!wlex_next(lx, &t, err))
        return false;
    if (t.kind != WTOK_LPAREN || !wlex_next(lx, &t, err) || !wtok_is(&t, "module"))
        return err->msg[0] ? false : wtext_fail(err, &t, "unexpected token '%.*s', expected '(module'",
                                                (int)(t.len > 40 ? 40 : t.len), t.start);
    if (!wlex_peek(lx, &t, err))
        return false;
    if (t.kind == WTOK_ID) {
        out->id = t;
        wlex_next(lx, &t, err);
        if (!wlex_peek(lx, &t, err))
            return false;
    }
    bool binary = wtok_is(&t, "binary"), quote = wtok_is(&t, "quote");
    if (!binary && !quote) {
        out->kind = WTEXT_MODULE_TEXT;
        return parse_fields(lx, opt, WTOK_RPAREN, out, err) && expect_close(lx, err);
    }
    wlex_next(lx, &t, err);
    wtbuf bytes = {0};
    if (!concat_strings(lx, &bytes, err) || !expect_close(lx, err)) {
        wtbuf_free(&bytes);
        return false;
    }
    if (binary) {
        out->kind = WTEXT_MODULE_BINARY;
        out->wasm = bytes.data ? bytes.data : calloc(1, 1);
        out->wasm_len = bytes.len;
        return out->wasm != NULL || wtext_fail(err, NULL, "out of memory");
    }
    wtok id = out->id;
    bool ok = depth < MAX_QUOTE_DEPTH ? parse_text((const char *)bytes.data, bytes.len, opt, out, err, depth + 1)
                                      : wtext_fail(err, &t, "module quote nested too deeply");
    wtbuf_free(&bytes);
    /* positions inside the quoted strings would mislead: no map */
    wtext_srcmap_free(out->map);
    out->map = NULL;
    out->id = id;
    out->kind = WTEXT_MODULE_QUOTE;
    return ok;
}

static const wtext_options no_options;

bool wtext_parse_module(wlexer *lx, wtext_module *out, wtext_error *err)
{
    return parse_module_form(lx, &no_options, out, err, 0);
}

bool wtext_parse_module_with(wlexer *lx, const wtext_options *opt, wtext_module *out, wtext_error *err)
{
    return parse_module_form(lx, opt ? opt : &no_options, out, err, 0);
}

bool wtext_parse_text(const char *text, size_t len, wtext_module *out, wtext_error *err)
{
    return parse_text(text, len, &no_options, out, err, 0);
}

bool wtext_parse_text_with(const char *text, size_t len, const wtext_options *opt, wtext_module *out,
                           wtext_error *err)
{
    return parse_text(text, len, opt ? opt : &no_options, out, err, 0);
}

static bool parse_text(const char *text, size_t len, const wtext_options *opt, wtext_module *out, wtext_error *err,
                       unsigned depth)
{
    wlexer lx, ahead;
    wtok a, b;
    memset(out, 0, sizeof *out);
    out->id.kind = WTOK_EOF;
    err->msg[0] = 0;
    err->line = err->column = 0;
    wlex_init(&lx, text ? text : "", text ? len : 0);
    ahead = lx;
    bool wrapped = wlex_next(&ahead, &a, err) && a.kind == WTOK_LPAREN && wlex_next(&ahead, &b, err) &&
                   wtok_is(&b, "module");
    if (err->msg[0])
        return false;
    bool ok = wrapped ? parse_module_form(&lx, opt, out, err, depth) : parse_fields(&lx, opt, WTOK_EOF, out, err);
    if (ok && wrapped && (!wlex_next(&lx, &a, err) || a.kind != WTOK_EOF)) {
        ok = err->msg[0] ? false : wtext_fail(err, &a, "unexpected token '%.*s' after the module",
                                              (int)(a.len > 40 ? 40 : a.len), a.start);
    }
    if (!ok) {
        free(out->wasm);
        wtext_srcmap_free(out->map);
        out->wasm = NULL;
        out->map = NULL;
        out->wasm_len = 0;
    }
    return ok;
}
