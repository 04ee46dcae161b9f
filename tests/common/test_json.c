/*
 * The strict JSON reader (src/common/json.h): the values it builds, the
 * texts it refuses and where it says reading stopped.
 */
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "test.h"

static wjson *parse(const char *text, wjson_error *err)
{
    return wjson_parse(text, strlen(text), err);
}

static void test_values(void)
{
    wjson_error err;
    wjson *v = parse(" {\"a\": [1, -2.5e1, true, false, null], \"b\": \"x\\n\\u00e9\\ud83d\\ude00\", \"a\": {}} ", &err);
    CHECK(v && v->kind == WJSON_OBJECT && v->count == 3);
    if (v) {
        const wjson *a = v->child, *b = a ? a->next : NULL, *dup = b ? b->next : NULL;
        CHECK(a && strcmp(a->key, "a") == 0 && a->kind == WJSON_ARRAY && a->count == 5);
        CHECK(a && a->child->kind == WJSON_NUMBER && a->child->number == 1);
        CHECK(a && a->child->next->number == -25);
        CHECK(a && a->child->next->next->kind == WJSON_TRUE);
        CHECK(a && a->child->next->next->next->next->kind == WJSON_NULL);
        CHECK(b && b->kind == WJSON_STRING && strcmp(b->string, "x\n\xc3\xa9\xf0\x9f\x98\x80") == 0);
        /* duplicates are kept, in order, for the caller to refuse */
        CHECK(dup && strcmp(dup->key, "a") == 0 && dup->kind == WJSON_OBJECT && dup->count == 0 && !dup->next);
    }
    wjson_free(v);
    v = parse("\"\"", &err);
    CHECK(v && v->kind == WJSON_STRING && v->string[0] == '\0');
    wjson_free(v);
    v = parse("[]", &err);
    CHECK(v && v->kind == WJSON_ARRAY && v->count == 0 && !v->child);
    wjson_free(v);
    /* U+0000 in a value is a NUL byte the length counts (ward's receipts
     * escape the NUL bytes of an output so; regression: the reader refused
     * them and replay could not read its own receipts), and such a string
     * is not text a caller may take as a C string */
    v = parse("\"a\\u0000b\"", &err);
    CHECK(v && v->kind == WJSON_STRING && v->string_len == 3 && memcmp(v->string, "a\0b", 4) == 0);
    CHECK(v && !wjson_is_text(v));
    wjson *w = parse("\"a\\u0000c\"", &err);
    CHECK(v && w && !wjson_equal(v, w));
    wjson_free(w);
    wjson_free(v);
    v = parse("\"ab\"", &err);
    CHECK(v && wjson_is_text(v) && v->string_len == 2);
    wjson_free(v);
}

/* Each value knows its bytes in the text; members are found by name;
 * equality ignores member order and formatting. */
static void test_spans_members_equality(void)
{
    const char *text = "{\"k\": [1, {\"z\": null}], \"s\" : \"a\\\"b\"}";
    wjson *v = parse(text, NULL);
    const wjson *k = wjson_member(v, "k"), *s = wjson_member(v, "s");
    CHECK(k && k->len == 16 && strncmp(text + k->at, "[1, {\"z\": null}]", k->len) == 0);
    CHECK(s && s->len == 6 && strncmp(text + s->at, "\"a\\\"b\"", s->len) == 0 && strcmp(s->string, "a\"b") == 0);
    CHECK(!wjson_member(v, "missing") && !wjson_member(k, "k") && !wjson_member(NULL, "k"));
    CHECK(wjson_is(k, WJSON_ARRAY) && !wjson_is(k, WJSON_OBJECT) && !wjson_is(NULL, WJSON_NULL));
    wjson *same = parse("{\"s\":\"a\\u0022b\",\"k\":[1.0,{\"z\":null}]}", NULL);
    wjson *other = parse("{\"s\":\"a\\\"b\",\"k\":[1,{\"z\":false}]}", NULL);
    CHECK(wjson_equal(v, same));
    CHECK(!wjson_equal(v, other));
    CHECK(!wjson_equal(v, k) && wjson_equal(NULL, NULL) && !wjson_equal(v, NULL));
    wjson_free(v);
    wjson_free(same);
    wjson_free(other);
}

static void test_refused(void)
{
    static const struct {
        const char *text;
        size_t offset;
        const char *message;
    } cases[] = {
        {"", 0, "not valid JSON"},
        {"   ", 3, "not valid JSON"},
        {"{\"a\": 1,}", 8, "not valid JSON"},
        {"[1, 2", 5, "not valid JSON"},
        {"[01]", 2, "not valid JSON"},
        {"[1.]", 3, "not valid JSON"},
        {"[.5]", 1, "not valid JSON"},
        {"{a: 1}", 1, "not valid JSON"},
        {"\"tab\there\"", 4, "not valid JSON"},
        {"\"\\x\"", 3, "not valid JSON"},
        /* a member name is looked up as a C string: no NUL in it */
        {"{\"\\u0000\":1}", 9, "not valid JSON"},
        {"\"\\udc00\"", 7, "not valid JSON"},
        {"\"\\ud800x\"", 7, "not valid JSON"},
        {"\"open", 5, "not valid JSON"},
        {"tru", 0, "not valid JSON"},
        {"NaN", 0, "not valid JSON"},
        {"// no\n1", 0, "not valid JSON"},
        {"1 2", 2, "text after the JSON value"},
        {"{} x", 3, "text after the JSON value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wjson_error err = {0};
        wjson *v = parse(cases[i].text, &err);
        CHECK_MSG(!v, "%s parsed", cases[i].text);
        wjson_free(v);
        CHECK_MSG(err.offset == cases[i].offset, "%s: offset %zu, expected %zu", cases[i].text, err.offset,
                  cases[i].offset);
        CHECK_MSG(err.message && strcmp(err.message, cases[i].message) == 0, "%s: %s", cases[i].text,
                  err.message ? err.message : "(none)");
    }
}

/* Nesting past WJSON_MAX_DEPTH is refused with a message, not a crash;
 * the deepest allowed nesting still parses. */
static void test_depth(void)
{
    size_t n = 100000;
    char *deep = malloc(2 * n + 1);
    if (!deep)
        return;
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    wjson_error err = {0};
    wjson *v = parse(deep, &err);
    CHECK(!v && err.message && strcmp(err.message, "nested too deeply") == 0);
    wjson_free(v);
    size_t ok = WJSON_MAX_DEPTH;
    memset(deep, '[', ok);
    memset(deep + ok, ']', ok);
    deep[2 * ok] = '\0';
    v = parse(deep, &err);
    CHECK(v && v->kind == WJSON_ARRAY);
    wjson_free(v);
    free(deep);
}

int main(void)
{
    test_values();
    test_spans_members_equality();
    test_refused();
    test_depth();
    return test_summary("json");
}
