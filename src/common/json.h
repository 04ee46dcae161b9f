/*
 * A small strict JSON reader: RFC 8259 text into a tree, for the JSON
 * libward reads itself (trust stores and policies, contract batch lines and
 * receipts).  No writer, no
 * extensions (comments, trailing commas, NaN); duplicate object members are
 * kept in order, for the caller to refuse.  Nesting is bounded, so hostile
 * text cannot exhaust the C stack.
 */
#ifndef WARD_JSON_H
#define WARD_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef enum wjson_kind {
    WJSON_NULL,
    WJSON_FALSE,
    WJSON_TRUE,
    WJSON_NUMBER,
    WJSON_STRING,
    WJSON_ARRAY,
    WJSON_OBJECT,
} wjson_kind;

typedef struct wjson {
    wjson_kind kind;
    struct wjson *child; /* ARRAY, OBJECT: the first element or member */
    struct wjson *next;  /* the next element or member of the parent */
    char *key;           /* a member's name (NUL-terminated), else NULL */
    char *string;        /* STRING: the value, UTF-8, NUL-terminated */
    size_t string_len;   /* STRING: its bytes, which may include NULs (\u0000) */
    double number;       /* NUMBER */
    size_t count;        /* ARRAY, OBJECT: elements or members */
    size_t at, len;      /* the value's bytes in the parsed text */
} wjson;

/* The deepest nesting of arrays and objects wjson_parse accepts. */
#define WJSON_MAX_DEPTH 256

/* Why wjson_parse failed: the byte offset where reading stopped and what
 * was wrong ("not valid JSON", "text after the JSON value", "nested too
 * deeply"; out of memory reads as not valid). */
typedef struct wjson_error {
    size_t offset;
    const char *message;
} wjson_error;

/* Parse the whole of text[0..len) as one JSON value with optional
 * whitespace around it.  NULL when it is not, with *err (may be NULL)
 * saying why. */
wjson *wjson_parse(const char *text, size_t len, wjson_error *err);

/* Whether v is there and of kind k. */
static inline bool wjson_is(const wjson *v, wjson_kind k)
{
    return v && v->kind == k;
}

/* Whether v is a string with no NUL byte in it: one a caller may read as
 * a C string (a name, hex digits) without it being cut short. */
static inline bool wjson_is_text(const wjson *v)
{
    return wjson_is(v, WJSON_STRING) && !memchr(v->string, 0, v->string_len);
}

/* The first member of object obj named key; NULL when there is none or
 * obj is not an object (or NULL). */
const wjson *wjson_member(const wjson *obj, const char *key);

/* Same kind and value: numbers equal, strings byte-equal, arrays element
 * by element, objects with the same members in any order (each member of
 * one matched by the first of that name in the other).  Bounded by the
 * parser's nesting limit. */
bool wjson_equal(const wjson *a, const wjson *b);

/* Free a tree from wjson_parse (NULL is allowed). */
void wjson_free(wjson *v);

#endif
