/*
 * The second pass over a module's fields: each writes its entries into
 * the sections, expanding the abbreviations (inline imports and exports,
 * a table's inline elements, a memory's inline data, the short forms of
 * element and data segments).
 */
#include <stdlib.h>
#include <string.h>

#include "text_parse.h"
#include "../common/util.h"

enum { EXT_FUNC = 0, EXT_TABLE, EXT_MEMORY, EXT_GLOBAL, EXT_TAG };

static bool skip_id(wparser *p)
{
    wtok t;
    if (!wp_peek(p, &t))
        return false;
    if (t.kind == WTOK_ID)
        wp_next(p, &t);
    return true;
}

static bool name_string(wparser *p, wtbuf *out)
{
    wtok t;
    uint8_t *bytes;
    size_t len;
    if (!wp_next(p, &t))
        return false;
    if (t.kind != WTOK_STRING)
        return wp_unexpected(p, &t, "a name string");
    if (!wtext_name(&t, &bytes, &len, p->err))
        return false;
    wtbuf_name(out, bytes, len);
    free(bytes);
    return true;
}

/* (export "name")* of a definition with index `index` */
static bool inline_exports(wparser *p, uint8_t kind, uint32_t index)
{
    wtok t;
    while (wp_peek_field(p, "export")) {
        wp_next(p, &t);
        wp_next(p, &t);
        if (!name_string(p, &p->sec[SEC_EXPORT]) || !wp_close(p))
            return false;
        wtbuf_byte(&p->sec[SEC_EXPORT], kind);
        wtbuf_u32(&p->sec[SEC_EXPORT], index);
        p->count[SEC_EXPORT]++;
    }
    return true;
}

/* (import "m" "n") of a definition: the import entry's names and kind;
 * *is_import false when there is none. */
static bool inline_import(wparser *p, uint8_t kind, bool *is_import)
{
    wtok t;
    *is_import = wp_peek_field(p, "import");
    if (!*is_import)
        return true;
    wp_next(p, &t);
    wp_next(p, &t);
    wtbuf *b = &p->sec[SEC_IMPORT];
    if (!name_string(p, b) || !name_string(p, b) || !wp_close(p))
        return false;
    wtbuf_byte(b, kind);
    p->count[SEC_IMPORT]++;
    return true;
}

/* limits: min max? (u64 for a 64-bit memory) */
static bool limits_values(wparser *p, bool is64, uint64_t *min, uint64_t *max, bool *has_max)
{
    wtok t;
    uint32_t v32;
    if (!wp_next(p, &t))
        return false;
    if (t.kind != WTOK_NUMBER)
        return wp_unexpected(p, &t, "a limit");
    if (is64 ? !wtext_u64(&t, min, p->err) : !wtext_u32(&t, &v32, p->err))
        return false;
    if (!is64)
        *min = v32;
    *has_max = wp_peek(p, &t) && t.kind == WTOK_NUMBER;
    if (*has_max) {
        wp_next(p, &t);
        if (is64 ? !wtext_u64(&t, max, p->err) : !wtext_u32(&t, &v32, p->err))
            return false;
        if (!is64)
            *max = v32;
    }
    return true;
}

/* Memory type: (i32|i64)? min max? shared?  Table limits: min max?. */
bool wp_limits(wparser *p, wtbuf *out, bool memory)
{
    wtok t;
    bool is64 = false, has_max = false, shared = false;
    uint64_t min, max = 0;
    if (memory && wp_peek(p, &t) && (wtok_is(&t, "i64") || wtok_is(&t, "i32"))) {
        is64 = wtok_is(&t, "i64");
        wp_next(p, &t);
    }
    if (!limits_values(p, is64 || (memory && p->opt.memory64), &min, &max, &has_max))
        return false;
    if (memory && wp_peek(p, &t) && wtok_is(&t, "shared")) {
        wp_next(p, &t);
        shared = true;
    }
    wtbuf_byte(out, (uint8_t)((has_max ? 1 : 0) | (shared ? 2 : 0) | (is64 ? 4 : 0)));
    wtbuf_u64(out, min);
    if (has_max)
        wtbuf_u64(out, max);
    return true;
}

static bool reftype(wparser *p, uint8_t *out)
{
    wtok t;
    if (!wp_next(p, &t))
        return false;
    return wp_reftype_kw(&t, out) || wp_unexpected(p, &t, "a reference type");
}

static bool tabletype(wparser *p, wtbuf *out)
{
    wtbuf limits = {0};
    uint8_t rt;
    bool ok = wp_limits(p, &limits, false) && reftype(p, &rt);
    if (ok) {
        wtbuf_byte(out, rt);
        wtbuf_append(out, &limits);
    }
    wtbuf_free(&limits);
    return ok;
}

static bool globaltype(wparser *p, wtbuf *out)
{
    uint8_t vt;
    bool mut = wp_peek_field(p, "mut");
    if (mut) {
        wtok t;
        wp_next(p, &t);
        wp_next(p, &t);
    }
    if (!wp_valtype(p, &vt) || (mut && !wp_close(p)))
        return false;
    wtbuf_byte(out, vt);
    wtbuf_byte(out, mut ? 1 : 0);
    return true;
}

/* ---- imports and definitions ---- */

static bool import_desc(wparser *p, int kind, wtbuf *b)
{
    uint32_t type;
    switch (kind) {
    case EXT_FUNC:
        if (!wp_typeuse(p, &type, false, true))
            return false;
        wtbuf_u32(b, type);
        return true;
    case EXT_TABLE:
        return tabletype(p, b);
    case EXT_MEMORY:
        return wp_limits(p, b, true);
    case EXT_GLOBAL:
        return globaltype(p, b);
    default:
        if (!wp_typeuse(p, &type, false, true))
            return false;
        wtbuf_byte(b, 0);
        wtbuf_u32(b, type);
        return true;
    }
}

static const struct {
    const char *kw;
    int kind, space;
} extern_kinds[] = {
    {"func", EXT_FUNC, SP_FUNC}, {"table", EXT_TABLE, SP_TABLE}, {"memory", EXT_MEMORY, SP_MEMORY},
    {"global", EXT_GLOBAL, SP_GLOBAL}, {"tag", EXT_TAG, SP_TAG},
};

static int extern_kind(const wtok *t)
{
    for (size_t i = 0; i < sizeof extern_kinds / sizeof extern_kinds[0]; i++)
        if (wtok_is(t, extern_kinds[i].kw))
            return (int)i;
    return -1;
}

static bool field_import(wparser *p, const wtok *kw)
{
    (void)kw;
    wtbuf *b = &p->sec[SEC_IMPORT];
    wtok t;
    if (!name_string(p, b) || !name_string(p, b) || !wp_expect(p, WTOK_LPAREN, "an import description") ||
        !wp_next(p, &t))
        return false;
    int k = extern_kind(&t);
    if (k < 0)
        return wp_unexpected(p, &t, "func, table, memory, global or tag");
    wtbuf_byte(b, (uint8_t)extern_kinds[k].kind);
    p->space[extern_kinds[k].space].count++;
    p->count[SEC_IMPORT]++;
    return skip_id(p) && import_desc(p, extern_kinds[k].kind, b) && wp_close(p) && wp_close(p);
}

/* (local $id t) | (local t*), after the type use's params */
static bool locals(wparser *p, wtbuf *out)
{
    uint8_t *types = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    wtok t;
    while (ok && wp_peek_field(p, "local")) {
        wp_next(p, &t);
        wp_next(p, &t);
        wtok id;
        bool named = wp_peek(p, &id) && id.kind == WTOK_ID;
        if (named)
            wp_next(p, &id);
        while (ok && wp_peek(p, &t) && t.kind != WTOK_RPAREN) {
            uint8_t v;
            ok = wp_valtype(p, &v) && wgrow((void **)&types, &cap, n + 1, 1);
            if (ok) {
                types[n++] = v;
                ok = wspace_add(p, &p->locals, named ? &id : NULL);
            }
            if (named)
                break;
        }
        ok = ok && wp_close(p);
    }
    /* runs of one type share an entry */
    uint32_t runs = 0;
    for (size_t i = 0; i < n; i++)
        runs += i == 0 || types[i] != types[i - 1];
    if (ok) {
        wtbuf_u32(out, runs);
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && types[j] == types[i])
                j++;
            wtbuf_u32(out, (uint32_t)(j - i));
            wtbuf_byte(out, types[i]);
            i = j;
        }
    }
    free(types);
    return ok;
}

static void reset_locals(wparser *p)
{
    p->locals.n = 0;
    p->locals.count = 0;
}

static bool field_func(wparser *p, const wtok *kw)
{
    uint32_t index = p->space[SP_FUNC].count++, type;
    bool is_import;
    if (!skip_id(p) || !inline_exports(p, EXT_FUNC, index) || !inline_import(p, EXT_FUNC, &is_import))
        return false;
    if (is_import)
        return import_desc(p, EXT_FUNC, &p->sec[SEC_IMPORT]) && wp_close(p);
    reset_locals(p);
    wtbuf body = {0};
    wsrc_func_begin(p, &body, kw);
    bool ok = wp_typeuse(p, &type, true, true) && locals(p, &body) && wspace_sort(p, &p->locals, "local");
    if (ok) {
        wp_labels_reset(p);
        ok = wp_instrs(p, &body);
        wsrc_mark_next(p, &body);   /* the function's closing ')' is its end */
        ok = ok && wp_close(p);
    }
    wtbuf_byte(&body, 0x0B);
    if (ok) {
        wtbuf_u32(&p->sec[SEC_FUNC], type);
        p->count[SEC_FUNC]++;
        wtbuf_u32(&p->sec[SEC_CODE], (uint32_t)body.len);
        wsrc_func_end(p, p->sec[SEC_CODE].len);
        wtbuf_append(&p->sec[SEC_CODE], &body);
        p->count[SEC_CODE]++;
    }
    wtbuf_free(&body);
    p->code = NULL;
    return ok;
}

static bool field_global(wparser *p, const wtok *kw)
{
    (void)kw;
    uint32_t index = p->space[SP_GLOBAL].count++;
    bool is_import;
    if (!skip_id(p) || !inline_exports(p, EXT_GLOBAL, index) || !inline_import(p, EXT_GLOBAL, &is_import))
        return false;
    if (is_import)
        return globaltype(p, &p->sec[SEC_IMPORT]) && wp_close(p);
    wp_labels_reset(p);
    reset_locals(p);
    p->count[SEC_GLOBAL]++;
    wtbuf *b = &p->sec[SEC_GLOBAL];
    if (!globaltype(p, b))
        return false;
    /* a bare (ref.null) in the initializer takes the global's type */
    p->global_ref = b->oom ? 0 : b->data[b->len - 2];
    bool ok = wp_expr(p, b) && wp_close(p);
    p->global_ref = 0;
    return ok;
}

static bool field_tag(wparser *p, const wtok *kw)
{
    (void)kw;
    uint32_t index = p->space[SP_TAG].count++;
    bool is_import;
    if (!skip_id(p) || !inline_exports(p, EXT_TAG, index) || !inline_import(p, EXT_TAG, &is_import))
        return false;
    if (is_import)
        return import_desc(p, EXT_TAG, &p->sec[SEC_IMPORT]) && wp_close(p);
    p->count[SEC_TAG]++;
    return import_desc(p, EXT_TAG, &p->sec[SEC_TAG]) && wp_close(p);
}

/* ---- segments ---- */

/* An element segment, ready to write: the binary's flags follow from it. */
typedef struct elemseg {
    enum { SEG_ACTIVE, SEG_PASSIVE, SEG_DECLARE } mode;
    uint32_t table;
    bool exprs;          /* items are expressions (else function indices) */
    uint8_t type;        /* the reference type of expression items */
    wtbuf offset;         /* active: the offset expression, end included */
    wtbuf items;
    uint32_t count;
    /* expression items that are all `ref.func x`: their x, for the shorter
     * function-index form wabt writes too (same meaning) */
    bool all_ref_func;
    wtbuf ref_funcs;
} elemseg;

static void write_elem(wparser *p, elemseg *s)
{
    wtbuf *b = &p->sec[SEC_ELEM];
    if (s->exprs && s->type == 0x70 && (s->count == 0 || s->all_ref_func)) {
        s->exprs = false;
        wtbuf t = s->items;
        s->items = s->ref_funcs;
        s->ref_funcs = t;
    }
    bool explicit_table = s->mode == SEG_ACTIVE && (s->table != 0 || (s->exprs && s->type != 0x70));
    uint8_t flags = (uint8_t)((s->mode == SEG_PASSIVE ? 1 : s->mode == SEG_DECLARE ? 3 : 0) |
                              (explicit_table ? 2 : 0) | (s->exprs ? 4 : 0));
    wtbuf_byte(b, flags);
    if (explicit_table)
        wtbuf_u32(b, s->table);
    if (s->mode == SEG_ACTIVE)
        wtbuf_append(b, &s->offset);
    if (flags & 3)
        wtbuf_byte(b, s->exprs ? s->type : 0x00);
    wtbuf_u32(b, s->count);
    wtbuf_append(b, &s->items);
    p->count[SEC_ELEM]++;
}

static bool elem_expr_bytes(wparser *p, wtbuf *out);

/* Is [p, end) exactly ref.func x, end?  x appended to funcs. */
static bool note_ref_func(const uint8_t *p, const uint8_t *end, wtbuf *funcs)
{
    if (end - p < 3 || p[0] != 0xD2 || end[-1] != 0x0B)
        return false;
    const uint8_t *x = p + 1;
    while (x < end - 1 && (*x & 0x80))
        x++;
    if (x != end - 2)
        return false;
    wtbuf_bytes(funcs, p + 1, (size_t)(end - 1 - (p + 1)));
    return true;
}

/* One element expression into s's items. */
static bool elem_expr(wparser *p, elemseg *s)
{
    size_t start = s->items.len;
    if (!elem_expr_bytes(p, &s->items))
        return false;
    if (s->count == 0)
        s->all_ref_func = true;
    if (s->all_ref_func && !s->items.oom)
        s->all_ref_func = note_ref_func(s->items.data + start, s->items.data + s->items.len, &s->ref_funcs);
    s->count++;
    return true;
}

/* (item instr*) or one folded instruction */
static bool elem_expr_bytes(wparser *p, wtbuf *out)
{
    wtok t;
    if (wp_peek_field(p, "item")) {
        wp_next(p, &t);
        wp_next(p, &t);
        return wp_expr(p, out) && wp_close(p);
    }
    if (!wp_peek(p, &t))
        return false;
    if (t.kind != WTOK_LPAREN)
        return wp_unexpected(p, &t, "an element expression");
    /* one folded instruction */
    if (!wp_folded(p, out))
        return false;
    wtbuf_byte(out, 0x0B);
    return true;
}

/* func x* | reftype elemexpr* | x* (when bare_funcs) */
static bool elem_list(wparser *p, elemseg *s, bool bare_funcs)
{
    wtok t;
    if (!wp_peek(p, &t))
        return false;
    if (wp_reftype_kw(&t, &s->type)) {
        wp_next(p, &t);
        s->exprs = true;
        while (wp_peek(p, &t) && t.kind == WTOK_LPAREN) {
            if (!elem_expr(p, s))
                return false;
        }
        return true;
    }
    if (wtok_is(&t, "func"))
        wp_next(p, &t);
    else if (!bare_funcs)
        return wp_unexpected(p, &t, "'func' or a reference type");
    s->type = 0x70;
    while (wp_peek_index(p)) {
        uint32_t f;
        if (!wp_index(p, SP_FUNC, &f))
            return false;
        wtbuf_u32(&s->items, f);
        s->count++;
    }
    return true;
}

/* (offset instr*) or one folded instruction */
static bool offset_expr(wparser *p, wtbuf *out)
{
    wtok t;
    if (wp_peek_field(p, "offset")) {
        wp_next(p, &t);
        wp_next(p, &t);
        return wp_expr(p, out) && wp_close(p);
    }
    if (!wp_folded(p, out))
        return false;
    wtbuf_byte(out, 0x0B);
    return true;
}

static bool field_elem(wparser *p, const wtok *kw)
{
    (void)kw;
    elemseg s;
    wtok t;
    memset(&s, 0, sizeof s);
    p->space[SP_ELEM].count++;
    wp_labels_reset(p);
    reset_locals(p);
    bool ok = skip_id(p) && wp_peek(p, &t);
    if (ok && wtok_is(&t, "declare")) {
        wp_next(p, &t);
        s.mode = SEG_DECLARE;
    } else if (ok && (wp_peek_field(p, "table") || t.kind == WTOK_LPAREN || wp_peek_index(p))) {
        s.mode = SEG_ACTIVE;
        if (wp_peek_field(p, "table")) {
            wp_next(p, &t);
            wp_next(p, &t);
            ok = wp_index(p, SP_TABLE, &s.table) && wp_close(p);
        } else if (wp_peek_index(p)) {
            ok = wp_index(p, SP_TABLE, &s.table);
        }
        ok = ok && offset_expr(p, &s.offset);
    } else {
        s.mode = SEG_PASSIVE;
    }
    ok = ok && elem_list(p, &s, s.mode == SEG_ACTIVE) && wp_close(p);
    if (ok)
        write_elem(p, &s);
    wtbuf_free(&s.offset);
    wtbuf_free(&s.items);
    wtbuf_free(&s.ref_funcs);
    return ok;
}

static bool field_table(wparser *p, const wtok *kw)
{
    (void)kw;
    uint32_t index = p->space[SP_TABLE].count++;
    bool is_import;
    wtok t;
    if (!skip_id(p) || !inline_exports(p, EXT_TABLE, index) || !inline_import(p, EXT_TABLE, &is_import))
        return false;
    if (is_import)
        return tabletype(p, &p->sec[SEC_IMPORT]) && wp_close(p);
    uint8_t rt;
    if (!wp_peek(p, &t))
        return false;
    p->count[SEC_TABLE]++;
    if (!wp_reftype_kw(&t, &rt))
        return tabletype(p, &p->sec[SEC_TABLE]) && wp_close(p);
    /* reftype (elem ...): a table just large enough, and its segment */
    elemseg s;
    memset(&s, 0, sizeof s);
    s.mode = SEG_ACTIVE;
    s.table = index;
    p->space[SP_ELEM].count++;
    wp_next(p, &t);
    wp_labels_reset(p);
    reset_locals(p);
    bool ok = wp_expect(p, WTOK_LPAREN, "'(elem'") && wp_expect_kw(p, "elem");
    if (ok && wp_peek(p, &t) && t.kind == WTOK_LPAREN) {
        s.exprs = true;
        s.type = rt;
        while (ok && wp_peek(p, &t) && t.kind == WTOK_LPAREN)
            ok = elem_expr(p, &s);
    } else if (ok) {
        ok = elem_list(p, &s, true);
    }
    ok = ok && wp_close(p) && wp_close(p);
    if (ok) {
        wtbuf *b = &p->sec[SEC_TABLE];
        wtbuf_byte(b, rt);
        wtbuf_byte(b, 1);
        wtbuf_u32(b, s.count);
        wtbuf_u32(b, s.count);
        static const uint8_t zero[] = {0x41, 0x00, 0x0B};
        wtbuf_bytes(&s.offset, zero, sizeof zero);
        write_elem(p, &s);
    }
    wtbuf_free(&s.offset);
    wtbuf_free(&s.items);
    wtbuf_free(&s.ref_funcs);
    return ok;
}

static void write_data(wparser *p, bool active, uint32_t memory, const wtbuf *offset, const wtbuf *bytes)
{
    wtbuf *b = &p->sec[SEC_DATA];
    if (!active) {
        wtbuf_byte(b, 1);
    } else if (memory == 0) {
        wtbuf_byte(b, 0);
    } else {
        wtbuf_byte(b, 2);
        wtbuf_u32(b, memory);
    }
    if (active)
        wtbuf_append(b, offset);
    if (bytes->len > UINT32_MAX)
        b->oom = true;
    wtbuf_u32(b, (uint32_t)bytes->len);
    wtbuf_append(b, bytes);
    p->count[SEC_DATA]++;
}

static bool data_strings(wparser *p, wtbuf *out)
{
    wtok t;
    while (wp_peek(p, &t) && t.kind == WTOK_STRING) {
        uint8_t *bytes;
        size_t len;
        wp_next(p, &t);
        if (!wtext_string(&t, &bytes, &len, p->err))
            return false;
        wtbuf_bytes(out, bytes, len);
        free(bytes);
    }
    return true;
}

static bool field_memory(wparser *p, const wtok *kw)
{
    (void)kw;
    uint32_t index = p->space[SP_MEMORY].count++;
    bool is_import;
    wtok t;
    if (!skip_id(p) || !inline_exports(p, EXT_MEMORY, index) || !inline_import(p, EXT_MEMORY, &is_import))
        return false;
    if (is_import)
        return wp_limits(p, &p->sec[SEC_IMPORT], true) && wp_close(p);
    p->count[SEC_MEMORY]++;
    bool is64 = wp_memory_is64(p, index);
    if (!wp_peek_field(p, "data")) {
        wlexer ahead = p->lx;
        wtok a, b;
        wtext_error ignored;
        bool index_type_then_data = wlex_next(&ahead, &a, &ignored) &&
                                    (wtok_is(&a, "i64") || wtok_is(&a, "i32")) &&
                                    wlex_next(&ahead, &b, &ignored) && b.kind == WTOK_LPAREN;
        if (!index_type_then_data)
            return wp_limits(p, &p->sec[SEC_MEMORY], true) && wp_close(p);
        wp_next(p, &t);
    }
    /* (data "..."*): a memory just large enough, and its segment */
    wtbuf bytes = {0}, offset = {0};
    p->space[SP_DATA].count++;
    bool ok = wp_expect(p, WTOK_LPAREN, "'(data'") && wp_expect_kw(p, "data") && data_strings(p, &bytes) &&
              wp_close(p) && wp_close(p);
    if (ok) {
        uint64_t pages = ((uint64_t)bytes.len + 65535) / 65536;
        wtbuf *m = &p->sec[SEC_MEMORY];
        wtbuf_byte(m, is64 ? 5 : 1);
        wtbuf_u64(m, pages);
        wtbuf_u64(m, pages);
        static const uint8_t zero32[] = {0x41, 0x00, 0x0B}, zero64[] = {0x42, 0x00, 0x0B};
        wtbuf_bytes(&offset, is64 ? zero64 : zero32, 3);
        write_data(p, true, index, &offset, &bytes);
    }
    wtbuf_free(&bytes);
    wtbuf_free(&offset);
    return ok;
}

static bool field_data(wparser *p, const wtok *kw)
{
    (void)kw;
    wtbuf bytes = {0}, offset = {0};
    uint32_t memory = 0;
    bool active = false;
    wtok t;
    p->space[SP_DATA].count++;
    wp_labels_reset(p);
    reset_locals(p);
    bool ok = skip_id(p);
    if (ok && wp_peek_field(p, "memory")) {
        wp_next(p, &t);
        wp_next(p, &t);
        ok = wp_index(p, SP_MEMORY, &memory) && wp_close(p);
        active = true;
    } else if (ok && wp_peek_index(p)) {
        ok = wp_index(p, SP_MEMORY, &memory);
        active = true;
    }
    if (ok && (active || (wp_peek(p, &t) && t.kind == WTOK_LPAREN))) {
        active = true;
        ok = offset_expr(p, &offset);
    }
    ok = ok && data_strings(p, &bytes) && wp_close(p);
    if (ok)
        write_data(p, active, memory, &offset, &bytes);
    wtbuf_free(&bytes);
    wtbuf_free(&offset);
    return ok;
}

static bool field_export(wparser *p, const wtok *kw)
{
    (void)kw;
    wtbuf *b = &p->sec[SEC_EXPORT];
    wtok t;
    uint32_t index;
    if (!name_string(p, b) || !wp_expect(p, WTOK_LPAREN, "an export description") || !wp_next(p, &t))
        return false;
    int k = extern_kind(&t);
    if (k < 0)
        return wp_unexpected(p, &t, "func, table, memory, global or tag");
    if (!wp_index(p, extern_kinds[k].space, &index) || !wp_close(p) || !wp_close(p))
        return false;
    wtbuf_byte(b, (uint8_t)extern_kinds[k].kind);
    wtbuf_u32(b, index);
    p->count[SEC_EXPORT]++;
    return true;
}

static bool field_start(wparser *p, const wtok *kw)
{
    uint32_t index;
    if (p->has_start)
        return wtext_fail(p->err, kw, "multiple start sections");
    if (!wp_index(p, SP_FUNC, &index) || !wp_close(p))
        return false;
    p->has_start = true;
    wtbuf_u32(&p->sec[SEC_START], index);
    return true;
}

static bool field_type(wparser *p, const wtok *kw)
{
    (void)kw;
    return wlex_skip_to_close(&p->lx, p->err);   /* written from the scan's type list */
}


static const struct {
    const char *kw;
    bool (*write)(wparser *p, const wtok *kw);
} field_writers[] = {
    {"type", field_type},     {"import", field_import}, {"func", field_func},
    {"table", field_table}, {"memory", field_memory}, {"global", field_global},
    {"tag", field_tag}, {"export", field_export}, {"start", field_start},
    {"elem", field_elem}, {"data", field_data},
};

bool wp_field(wparser *p, const wtok *kw)
{
    for (size_t i = 0; i < sizeof field_writers / sizeof field_writers[0]; i++)
        if (wtok_is(kw, field_writers[i].kw))
            return field_writers[i].write(p, kw);
    return wp_unexpected(p, kw, "a module field");
}
