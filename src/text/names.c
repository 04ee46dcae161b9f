/*
 * Index spaces and types: $ids bound to indices (checked for duplicates,
 * found by binary search), value types, and the type uses whose inline
 * (param)/(result) lists reuse an identical type or append a new one.
 */
#include <stdlib.h>
#include <string.h>

#include "text_parse.h"
#include "../common/util.h"

static const char *const space_names[SP_COUNT] = {
    "type", "func", "table", "memory", "global", "elem", "data", "tag",
};

static int compare_ids(const wtok *a, const wtok *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->start, b->start, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int compare_names(const void *a, const void *b)
{
    return compare_ids(&((const wtextid *)a)->tok, &((const wtextid *)b)->tok);
}

bool wspace_add(wparser *p, wspace *s, const wtok *id)
{
    if (id) {
        if (!wgrow((void **)&s->names, &s->cap, s->n + 1, sizeof *s->names))
            return wp_oom(p);
        s->names[s->n].tok = *id;
        s->names[s->n].index = s->count;
        s->n++;
    }
    s->count++;
    return true;
}

/* Sort for lookups; two equal ids are a duplicate definition. */
bool wspace_sort(wparser *p, wspace *s, const char *what)
{
    if (s->n > 1)
        qsort(s->names, s->n, sizeof *s->names, compare_names);
    for (size_t i = 1; i < s->n; i++) {
        if (compare_ids(&s->names[i - 1].tok, &s->names[i].tok) == 0) {
            /* report the later definition */
            const wtextid *a = &s->names[i - 1], *b = &s->names[i];
            const wtok *t = a->index > b->index ? &a->tok : &b->tok;
            return wtext_fail(p->err, t, "duplicate %s %.*s", what, (int)t->len, t->start);
        }
    }
    return true;
}

static int compare_key(const void *element, const void *key)
{
    return compare_ids(&((const wtextid *)element)->tok, (const wtok *)key);
}

bool wspace_find(const wspace *s, const wtok *id, uint32_t *index)
{
    bool found;
    size_t at = wlower_bound(s->names, s->n, sizeof *s->names, id, compare_key, &found);
    if (found)
        *index = s->names[at].index;
    return found;
}

bool wp_peek_index(wparser *p)
{
    wtok t;
    return wp_peek(p, &t) && (t.kind == WTOK_NUMBER || t.kind == WTOK_ID);
}

bool wp_index(wparser *p, int sp, uint32_t *out)
{
    wtok t;
    if (!wp_next(p, &t))
        return false;
    if (t.kind == WTOK_NUMBER)
        return wtext_u32(&t, out, p->err);
    if (t.kind != WTOK_ID)
        return wp_unexpected(p, &t, sp == SP_LOCAL ? "a local index" : "an index");
    const wspace *s = sp == SP_LOCAL ? &p->locals : &p->space[sp];
    if (!wspace_find(s, &t, out))
        return wtext_fail(p->err, &t, "unknown %s %.*s", sp == SP_LOCAL ? "local" : space_names[sp],
                          (int)t.len, t.start);
    return true;
}

static const struct {
    const char *name;
    uint8_t type;
} valtypes[] = {
    {"i32", 0x7F}, {"i64", 0x7E}, {"f32", 0x7D}, {"f64", 0x7C}, {"v128", 0x7B},
    {"funcref", 0x70}, {"externref", 0x6F},
};

bool wp_reftype_kw(const wtok *t, uint8_t *out)
{
    if (wtok_is(t, "funcref"))
        *out = 0x70;
    else if (wtok_is(t, "externref"))
        *out = 0x6F;
    else
        return false;
    return true;
}

bool wp_valtype(wparser *p, uint8_t *out)
{
    wtok t;
    if (!wp_next(p, &t))
        return false;
    for (size_t i = 0; i < sizeof valtypes / sizeof valtypes[0]; i++) {
        if (wtok_is(&t, valtypes[i].name)) {
            *out = valtypes[i].type;
            return true;
        }
    }
    return wp_unexpected(p, &t, "a value type");
}

void wftype_free(wftype *ft)
{
    free(ft->vals);
    ft->vals = NULL;
}

static bool ftype_equal(const wftype *a, const wftype *b)
{
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           (a->nparams + a->nresults == 0 || memcmp(a->vals, b->vals, a->nparams + a->nresults) == 0);
}

bool wtypes_add(wparser *p, const wftype *ft, uint32_t *index)
{
    if (!wgrow((void **)&p->types, &p->types_cap, p->ntypes + 1, sizeof *p->types))
        return wp_oom(p);
    wftype *t = &p->types[p->ntypes];
    size_t n = (size_t)ft->nparams + ft->nresults;
    t->nparams = ft->nparams;
    t->nresults = ft->nresults;
    t->vals = malloc(n ? n : 1);
    if (!t->vals)
        return wp_oom(p);
    if (n)
        memcpy(t->vals, ft->vals, n);
    *index = (uint32_t)p->ntypes++;
    return true;
}

bool wtypes_find_or_add(wparser *p, const wftype *ft, uint32_t *index)
{
    for (size_t i = 0; i < p->ntypes; i++) {
        if (ftype_equal(&p->types[i], ft)) {
            *index = (uint32_t)i;
            return true;
        }
    }
    return wtypes_add(p, ft, index);
}

static bool push_val(wparser *p, wftype *ft, size_t *cap, uint8_t v)
{
    size_t n = (size_t)ft->nparams + ft->nresults;
    if (!wgrow((void **)&ft->vals, cap, n + 1, 1))
        return wp_oom(p);
    ft->vals[n] = v;
    return true;
}

/* (param $id t) binds one local; (param t*) several unnamed. */
static bool param_list(wparser *p, wftype *ft, size_t *cap, bool bind, bool allow_ids)
{
    wtok t;
    if (!wp_peek(p, &t))
        return false;
    if (t.kind == WTOK_ID) {
        if (!allow_ids)
            return wp_unexpected(p, &t, "a value type");
        wp_next(p, &t);
        uint8_t v;
        if (!wp_valtype(p, &v) || !push_val(p, ft, cap, v))
            return false;
        ft->nparams++;
        if (bind && (!wspace_add(p, &p->locals, &t)))
            return false;
        return wp_close(p);
    }
    while (wp_peek(p, &t) && t.kind != WTOK_RPAREN) {
        uint8_t v;
        if (!wp_valtype(p, &v) || !push_val(p, ft, cap, v))
            return false;
        ft->nparams++;
        if (bind && !wspace_add(p, &p->locals, NULL))
            return false;
    }
    return wp_close(p);
}

static bool result_list(wparser *p, wftype *ft, size_t *cap)
{
    wtok t;
    while (wp_peek(p, &t) && t.kind != WTOK_RPAREN) {
        uint8_t v;
        if (!wp_valtype(p, &v) || !push_val(p, ft, cap, v))
            return false;
        ft->nresults++;
    }
    return wp_close(p);
}

bool wp_params_results(wparser *p, wftype *ft, bool bind, bool allow_ids)
{
    size_t cap = 0;
    memset(ft, 0, sizeof *ft);
    while (wp_peek_field(p, "param")) {
        wtok t;
        wp_next(p, &t);
        wp_next(p, &t);
        if (!param_list(p, ft, &cap, bind, allow_ids))
            goto fail;
    }
    while (wp_peek_field(p, "result")) {
        wtok t;
        wp_next(p, &t);
        wp_next(p, &t);
        if (!result_list(p, ft, &cap))
            goto fail;
    }
    /* a (param) after a (result) is out of order */
    if (wp_peek_field(p, "param")) {
        wtok t;
        wp_next(p, &t);
        wp_next(p, &t);
        wp_unexpected(p, &t, "')' (params come before results)");
        goto fail;
    }
    return true;
fail:
    wftype_free(ft);
    return false;
}

bool wp_typeuse(wparser *p, uint32_t *index, bool bind, bool allow_ids)
{
    bool has_type = false;
    wtok at;
    wp_peek(p, &at);
    if (wp_peek_field(p, "type")) {
        wtok t;
        wp_next(p, &t);
        wp_next(p, &t);
        if (!wp_index(p, SP_TYPE, index) || !wp_close(p))
            return false;
        has_type = true;
    }
    wtok inline_at;
    if (!wp_peek(p, &inline_at))
        return false;
    wftype ft;
    if (!wp_params_results(p, &ft, bind, allow_ids))
        return false;
    bool ok = true;
    size_t n = (size_t)ft.nparams + ft.nresults;
    if (has_type) {
        if (*index >= p->ntypes) {
            /* the validator reports an unknown type unless there is an
             * inline signature to compare */
            if (n > 0)
                ok = wtext_fail(p->err, &at, "unknown type %u", *index);
        } else if (n > 0 && !ftype_equal(&p->types[*index], &ft)) {
            ok = wtext_fail(p->err, &inline_at, "inline function type does not match (type %u)", *index);
        } else if (n == 0 && bind) {
            /* the type's params are the function's first locals, unnamed */
            for (uint32_t i = 0; ok && i < p->types[*index].nparams; i++)
                ok = wspace_add(p, &p->locals, NULL);
        }
    } else {
        ok = wtypes_find_or_add(p, &ft, index);
    }
    wftype_free(&ft);
    return ok;
}
