/*
 * The strict JSON reader of json.h: recursive descent over the grammar of
 * RFC 8259, one function per production.  A failure leaves the reader at
 * the byte where the text stopped being JSON, which the caller reports as
 * a line and column.
 */
#include "json.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct jreader {
    const char *base, *p, *end;
    int depth;
    bool too_deep;
} jreader;

static wjson *parse_value(jreader *r);

static void skip_space(jreader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static bool take(jreader *r, char c)
{
    if (r->p < r->end && *r->p == c) {
        r->p++;
        return true;
    }
    return false;
}

static bool take_word(jreader *r, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return false;
    r->p += n;
    return true;
}

static wjson *new_node(wjson_kind kind)
{
    wjson *v = calloc(1, sizeof *v);
    if (v)
        v->kind = kind;
    return v;
}

static bool is_digit(const jreader *r)
{
    return r->p < r->end && *r->p >= '0' && *r->p <= '9';
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static wjson *parse_number(jreader *r)
{
    const char *start = r->p;
    take(r, '-');
    if (take(r, '0')) {
    } else if (is_digit(r)) {
        while (is_digit(r))
            r->p++;
    } else {
        return NULL;
    }
    if (take(r, '.')) {
        if (!is_digit(r))
            return NULL;
        while (is_digit(r))
            r->p++;
    }
    if (take(r, 'e') || take(r, 'E')) {
        if (!take(r, '+'))
            take(r, '-');
        if (!is_digit(r))
            return NULL;
        while (is_digit(r))
            r->p++;
    }
    /* strtod needs a terminated copy: the text is not */
    size_t n = (size_t)(r->p - start);
    char *copy = malloc(n + 1);
    wjson *v = copy ? new_node(WJSON_NUMBER) : NULL;
    if (v) {
        memcpy(copy, start, n);
        copy[n] = '\0';
        v->number = strtod(copy, NULL);
    }
    free(copy);
    return v;
}

/* The four hex digits after "\u". */
static bool read_hex4(jreader *r, uint32_t *out)
{
    if (r->end - r->p < 4)
        return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int d = whex_digit(r->p[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint32_t)d;
    }
    r->p += 4;
    *out = v;
    return true;
}

/* A \u escape (a surrogate pair takes two) as a code point.  U+0000 is
 * allowed (ward's receipts escape NUL bytes of a call's output): a string
 * value carries its length, and member names holding one are refused. */
static bool read_unicode_escape(jreader *r, uint32_t *cp)
{
    if (!read_hex4(r, cp))
        return false;
    if (*cp >= 0xDC00 && *cp <= 0xDFFF)
        return false;
    if (*cp >= 0xD800 && *cp <= 0xDBFF) {
        uint32_t low;
        if (!take_word(r, "\\u") || !read_hex4(r, &low) || low < 0xDC00 || low > 0xDFFF)
            return false;
        *cp = 0x10000 + ((*cp - 0xD800) << 10) + (low - 0xDC00);
    }
    return true;
}

static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One escape after the backslash, appended to out at *n. */
static bool read_escape(jreader *r, char *out, size_t *n)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    if (r->p >= r->end)
        return false;
    char c = *r->p++;
    const char *at = c ? strchr(from, c) : NULL;
    if (at) {
        out[(*n)++] = to[at - from];
        return true;
    }
    uint32_t cp;
    if (c != 'u' || !read_unicode_escape(r, &cp))
        return false;
    *n += put_utf8(out + *n, cp);
    return true;
}

/* Bytes from p to the string's closing quote (or the end of the text). */
static size_t quoted_length(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && *q != '"')
        q += *q == '\\' && q + 1 < end ? 2 : 1;
    return (size_t)(q - p);
}

/* A string after its opening quote, as a new NUL-terminated copy of
 * *len bytes (NUL bytes may be among them).  The decoded text is never
 * longer than the quoted one, so a buffer of the quoted length is enough. */
static char *parse_string_text(jreader *r, size_t *len)
{
    char *out = malloc(quoted_length(r->p, r->end) + 1);
    size_t n = 0;
    bool ok = out != NULL;
    while (ok && r->p < r->end && *r->p != '"') {
        unsigned char c = (unsigned char)*r->p;
        if (c < 0x20) /* control characters must be escaped */
            break;
        r->p++;
        if (c == '\\')
            ok = read_escape(r, out, &n);
        else
            out[n++] = (char)c;
    }
    if (!ok || !take(r, '"')) {
        free(out);
        return NULL;
    }
    out[n] = '\0';
    *len = n;
    return out;
}

static wjson *parse_string(jreader *r)
{
    size_t len;
    char *s = parse_string_text(r, &len);
    wjson *v = s ? new_node(WJSON_STRING) : NULL;
    if (!v) {
        free(s);
        return NULL;
    }
    v->string = s;
    v->string_len = len;
    return v;
}

/* Append child to parent's list (tail kept by the caller). */
static void append(wjson *parent, wjson ***tail, wjson *child)
{
    **tail = child;
    *tail = &child->next;
    parent->count++;
}

static bool parse_member(jreader *r, wjson *obj, wjson ***tail)
{
    skip_space(r);
    if (!take(r, '"'))
        return false;
    size_t key_len;
    char *key = parse_string_text(r, &key_len);
    if (key && strlen(key) != key_len) { /* names are looked up as C strings */
        free(key);
        key = NULL;
    }
    if (!key)
        return false;
    skip_space(r);
    wjson *v = take(r, ':') ? parse_value(r) : NULL;
    if (!v) {
        free(key);
        return false;
    }
    v->key = key;
    append(obj, tail, v);
    return true;
}

static bool parse_element(jreader *r, wjson *array, wjson ***tail)
{
    wjson *v = parse_value(r);
    if (v)
        append(array, tail, v);
    return v != NULL;
}

/* An array or object after its opening bracket, up to close. */
static wjson *parse_container(jreader *r, wjson_kind kind, char close)
{
    if (r->depth == WJSON_MAX_DEPTH) {
        r->too_deep = true;
        return NULL;
    }
    wjson *c = new_node(kind);
    if (!c)
        return NULL;
    r->depth++;
    wjson **tail = &c->child;
    skip_space(r);
    bool ok = take(r, close);
    while (!ok) {
        if (!(kind == WJSON_OBJECT ? parse_member(r, c, &tail) : parse_element(r, c, &tail)))
            break;
        skip_space(r);
        if (take(r, close))
            ok = true;
        else if (!take(r, ','))
            break;
    }
    r->depth--;
    if (!ok) {
        wjson_free(c);
        return NULL;
    }
    return c;
}

static wjson *parse_value_at(jreader *r)
{
    switch (*r->p) {
    case '{':
        r->p++;
        return parse_container(r, WJSON_OBJECT, '}');
    case '[':
        r->p++;
        return parse_container(r, WJSON_ARRAY, ']');
    case '"':
        r->p++;
        return parse_string(r);
    case 't':
        return take_word(r, "true") ? new_node(WJSON_TRUE) : NULL;
    case 'f':
        return take_word(r, "false") ? new_node(WJSON_FALSE) : NULL;
    case 'n':
        return take_word(r, "null") ? new_node(WJSON_NULL) : NULL;
    default:
        return parse_number(r);
    }
}

static wjson *parse_value(jreader *r)
{
    skip_space(r);
    if (r->p >= r->end)
        return NULL;
    const char *start = r->p;
    wjson *v = parse_value_at(r);
    if (v) {
        v->at = (size_t)(start - r->base);
        v->len = (size_t)(r->p - start);
    }
    return v;
}

wjson *wjson_parse(const char *text, size_t len, wjson_error *err)
{
    jreader r = {text, text, text + len, 0, false};
    wjson *v = parse_value(&r);
    const char *why = r.too_deep ? "nested too deeply" : "not valid JSON";
    if (v)
        skip_space(&r);
    if (v && r.p != r.end) {
        wjson_free(v);
        v = NULL;
        why = "text after the JSON value";
    }
    if (!v && err) {
        err->offset = (size_t)(r.p - text);
        err->message = why;
    }
    return v;
}

const wjson *wjson_member(const wjson *obj, const char *key)
{
    if (!obj || obj->kind != WJSON_OBJECT)
        return NULL;
    for (const wjson *m = obj->child; m; m = m->next)
        if (strcmp(m->key, key) == 0)
            return m;
    return NULL;
}

bool wjson_equal(const wjson *a, const wjson *b)
{
    if (!a || !b || a->kind != b->kind || a->count != b->count)
        return a == b;
    switch (a->kind) {
    case WJSON_NUMBER:
        return a->number == b->number;
    case WJSON_STRING:
        return a->string_len == b->string_len && memcmp(a->string, b->string, a->string_len) == 0;
    case WJSON_ARRAY:
        for (const wjson *x = a->child, *y = b->child; x && y; x = x->next, y = y->next)
            if (!wjson_equal(x, y))
                return false;
        return true;
    case WJSON_OBJECT:
        for (const wjson *x = a->child; x; x = x->next)
            if (!wjson_equal(x, wjson_member(b, x->key)))
                return false;
        return true;
    default:
        return true;
    }
}

void wjson_free(wjson *v)
{
    while (v) {
        wjson *next = v->next;
        wjson_free(v->child);
        free(v->key);
        free(v->string);
        free(v);
        v = next;
    }
}
