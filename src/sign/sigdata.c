/*
 * The signature data of Signatures.md (docs/signatures.md has the layout):
 * parsed strictly, every length checked against what is left, every count
 * against its limit, nothing after the last field.
 *
 * Two layouts: the document's, where hash sets and signature records
 * follow each other bare, which ward writes; and wasmsign2's, which puts
 * a varuint32 byte length before each hash set and each signature record
 * (the document's tables do not have them).  Verification accepts both,
 * so modules signed by wasmsign2 verify too: the document's layout is
 * tried first, and a parse must consume the data exactly, so one input
 * cannot be read both ways.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "sig_internal.h"

bool wsig_fail(ward_sig_error *err, ward_sig_error_kind kind, ward_sig_where where, uint64_t offset,
               const char *fmt, ...)
{
    if (!err)
        return false;
    err->kind = kind;
    err->where = where;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (offset != UINT64_MAX) {
        char at[32];
        snprintf(at, sizeof at, "offset 0x%llx", (unsigned long long)offset);
        wsig_prefix(err, at);
    }
    return false;
}

void wsig_prefix(ward_sig_error *err, const char *prefix)
{
    if (!err)
        return;
    char text[sizeof err->message];
    size_t cap = sizeof text - 1, n = 0;
    for (const char *parts[3] = {prefix, ": ", err->message}, **q = parts; q < parts + 3; q++)
        for (const char *c = *q; *c && n < cap; c++)
            text[n++] = *c;
    text[n] = 0;
    memcpy(err->message, text, n + 1);
}

void wsig_clear(ward_sig_error *err)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->offset = UINT64_MAX;
    }
}

static const char *const kind_names[] = {
    [WARD_SIG_OK] = "ok",
    [WARD_SIG_ERR_ARGUMENT] = "bad argument",
    [WARD_SIG_ERR_NOMEM] = "out of memory",
    [WARD_SIG_ERR_IO] = "i/o error",
    [WARD_SIG_ERR_MODULE] = "malformed module",
    [WARD_SIG_ERR_TRUNCATED] = "truncated",
    [WARD_SIG_ERR_MALFORMED] = "malformed",
    [WARD_SIG_ERR_OVERSIZED] = "oversized",
    [WARD_SIG_ERR_VERSION] = "unknown version",
    [WARD_SIG_ERR_CONTENT_TYPE] = "unknown content type",
    [WARD_SIG_ERR_HASH_FUNCTION] = "unknown hash function",
    [WARD_SIG_ERR_ALGORITHM] = "unknown algorithm",
    [WARD_SIG_ERR_SIGNATURE_LENGTH] = "bad signature length",
    [WARD_SIG_ERR_PLACEMENT] = "misplaced signature",
    [WARD_SIG_ERR_TOO_MANY_PARTS] = "too many parts",
    [WARD_SIG_ERR_KEY] = "bad key",
    [WARD_SIG_ERR_DUPLICATE] = "duplicate signature",
    [WARD_SIG_ERR_NOT_SIGNED] = "not signed",
    [WARD_SIG_ERR_NO_VALID_SIGNATURE] = "no valid signature",
    [WARD_SIG_ERR_HASH_MISMATCH] = "hash mismatch",
};

const char *ward_sig_error_kind_name(ward_sig_error_kind kind)
{
    if ((size_t)kind < sizeof kind_names / sizeof kind_names[0] && kind_names[kind])
        return kind_names[kind];
    return "unknown error";
}

bool wsig_read_u32(wsig_reader *r, uint32_t *out)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < 5; i++) {
        if (r->pos >= r->end)
            return false;
        uint8_t b = r->p[r->pos++];
        if (i == 4 && (b & 0xf0))
            return false; /* bits past 32, or a sixth byte */
        v |= (uint32_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* Shared state of one parse: the input's identity for error records. */
typedef struct parse_ctx {
    wsig_reader r;
    ward_sig_where where;
    ward_sig_error *err;
    bool framed; /* wasmsign2's length-prefixed sets and records */
} parse_ctx;

static uint64_t here(const parse_ctx *c)
{
    return c->r.base + c->r.pos;
}

static bool truncated(parse_ctx *c, const char *what)
{
    return wsig_fail(c->err, WARD_SIG_ERR_TRUNCATED, c->where, here(c), "signature data truncated in %s", what);
}

static bool read_u32(parse_ctx *c, uint32_t *v, const char *what)
{
    size_t start = c->r.pos;
    if (wsig_read_u32(&c->r, v))
        return true;
    c->r.pos = start;
    /* truncated: the input ends before a last byte (high bit clear)
     * within the 5 a varuint32 may take */
    size_t i = start;
    while (i < c->r.end && i - start < 5 && (c->r.p[i] & 0x80))
        i++;
    if (i >= c->r.end)
        return truncated(c, what);
    return wsig_fail(c->err, WARD_SIG_ERR_MALFORMED, c->where, here(c), "malformed varuint32 in %s", what);
}

static bool read_byte(parse_ctx *c, uint8_t *b, const char *what)
{
    if (c->r.pos >= c->r.end)
        return truncated(c, what);
    *b = c->r.p[c->r.pos++];
    return true;
}

/* `n` bytes at the current position, or a truncation error. */
static bool take(parse_ctx *c, size_t n, const uint8_t **out, const char *what)
{
    if (n > c->r.end - c->r.pos)
        return truncated(c, what);
    *out = c->r.p + c->r.pos;
    c->r.pos += n;
    return true;
}

/* A varuint32 length and that many bytes: a sub-reader over them. */
static bool slice(parse_ctx *c, wsig_reader *sub, const char *what)
{
    uint32_t n;
    const uint8_t *p;
    if (!read_u32(c, &n, what))
        return false;
    size_t start = c->r.pos;
    if (!take(c, n, &p, what))
        return false;
    *sub = (wsig_reader){c->r.p, start, start + n, c->r.base};
    return true;
}

static bool no_trailing(parse_ctx *c, const char *what)
{
    if (c->r.pos == c->r.end)
        return true;
    return wsig_fail(c->err, WARD_SIG_ERR_OVERSIZED, c->where, here(c), "%zu unexpected byte(s) after %s",
                     c->r.end - c->r.pos, what);
}

static bool parse_signature(parse_ctx *c, wsig_signature *s)
{
    uint32_t n;
    s->offset = here(c);
    if (!read_u32(c, &n, "a key id length"))
        return false;
    if (n > WARD_SIG_MAX_KEY_ID)
        return wsig_fail(c->err, WARD_SIG_ERR_OVERSIZED, c->where, s->offset, "key id of %u bytes (limit %d)", n,
                         WARD_SIG_MAX_KEY_ID);
    s->key_id_len = n;
    if (!take(c, n, &s->key_id, "a key id"))
        return false;
    uint64_t alg_at = here(c);
    if (!read_byte(c, &s->alg, "a signature algorithm"))
        return false;
    if (s->alg != WSIG_ALG_ED25519)
        return wsig_fail(c->err, WARD_SIG_ERR_ALGORITHM, c->where, alg_at,
                         "unknown signature algorithm 0x%02x (only 0x01, Ed25519)", s->alg);
    uint64_t len_at = here(c);
    if (!read_u32(c, &n, "a signature length"))
        return false;
    if (n != WCRYPTO_SIGN_BYTES)
        return wsig_fail(c->err, WARD_SIG_ERR_SIGNATURE_LENGTH, c->where, len_at,
                         "Ed25519 signature of %u bytes (must be 64)", n);
    s->sig_len = n;
    return take(c, n, &s->sig, "a signature") && (!c->framed || no_trailing(c, "a signature record"));
}

/* Run parse on the next item: in wasmsign2's layout within its length
 * prefix (and the item must fill it), in the document's where it stands. */
typedef bool (*item_parser)(parse_ctx *c, void *item);

static bool in_frame(parse_ctx *c, const char *what, item_parser parse, void *item)
{
    if (!c->framed)
        return parse(c, item);
    parse_ctx sub = {.where = c->where, .err = c->err, .framed = true};
    return slice(c, &sub.r, what) && parse(&sub, item);
}

static bool parse_signature_at(parse_ctx *c, void *item)
{
    return parse_signature(c, item);
}

static bool parse_hashset(parse_ctx *c, wsig_hashset *h)
{
    uint32_t n;
    h->offset = here(c);
    if (!read_u32(c, &n, "a hash count"))
        return false;
    if (n > WARD_SIG_MAX_HASHES)
        return wsig_fail(c->err, WARD_SIG_ERR_OVERSIZED, c->where, h->offset, "%u hashes in a set (limit %d)", n,
                         WARD_SIG_MAX_HASHES);
    h->nhashes = n;
    if (!take(c, (size_t)n * WSIG_HASH_BYTES, &h->hashes, "the hashes"))
        return false;
    uint64_t count_at = here(c);
    if (!read_u32(c, &n, "a signature count"))
        return false;
    if (n > WARD_SIG_MAX_SIGNATURES)
        return wsig_fail(c->err, WARD_SIG_ERR_OVERSIZED, c->where, count_at, "%u signatures in a set (limit %d)", n,
                         WARD_SIG_MAX_SIGNATURES);
    h->sigs = wcalloc(n ? n : 1, sizeof *h->sigs);
    if (!h->sigs)
        return wsig_fail(c->err, WARD_SIG_ERR_NOMEM, c->where, UINT64_MAX, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        if (!in_frame(c, "a signature record", parse_signature_at, &h->sigs[i]))
            return false;
        h->nsigs = i + 1;
    }
    return !c->framed || no_trailing(c, "a hash set");
}

static bool parse_header(parse_ctx *c)
{
    static const struct {
        ward_sig_error_kind kind;
        const char *what;
    } fields[] = {
        {WARD_SIG_ERR_VERSION, "spec_version"},
        {WARD_SIG_ERR_CONTENT_TYPE, "content_type"},
        {WARD_SIG_ERR_HASH_FUNCTION, "hash_fn"},
    };
    for (size_t i = 0; i < 3; i++) {
        uint64_t at = here(c);
        uint8_t b = 0;
        if (!read_byte(c, &b, fields[i].what))
            return false;
        if (b != 0x01) /* the only identifier of each so far */
            return wsig_fail(c->err, fields[i].kind, c->where, at, "unknown %s 0x%02x (expected 0x01)", fields[i].what,
                             b);
    }
    return true;
}

static bool parse_hashset_at(parse_ctx *c, void *item)
{
    return parse_hashset(c, item);
}

static bool parse_layout(wsig_data *d, const uint8_t *p, size_t len, uint64_t base, ward_sig_where where,
                         ward_sig_error *err, bool framed)
{
    memset(d, 0, sizeof *d);
    parse_ctx c = {{p, 0, len, base}, where, err, framed};
    uint32_t n;
    if (!parse_header(&c) || !read_u32(&c, &n, "the hash set count"))
        return false;
    if (n > WARD_SIG_MAX_HASH_SETS)
        return wsig_fail(err, WARD_SIG_ERR_OVERSIZED, where, here(&c) - 1, "%u hash sets (limit %d)", n,
                         WARD_SIG_MAX_HASH_SETS);
    d->sets = wcalloc(n ? n : 1, sizeof *d->sets);
    if (!d->sets)
        return wsig_fail(err, WARD_SIG_ERR_NOMEM, where, UINT64_MAX, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        d->nsets = i + 1;
        if (!in_frame(&c, "a hash set", parse_hashset_at, &d->sets[i])) {
            wsig_data_free(d);
            return false;
        }
    }
    if (!no_trailing(&c, "the last hash set")) {
        wsig_data_free(d);
        return false;
    }
    return true;
}

bool wsig_data_parse(wsig_data *d, const uint8_t *p, size_t len, uint64_t base, ward_sig_where where,
                     ward_sig_error *err)
{
    if (parse_layout(d, p, len, base, where, err, false))
        return true;
    /* wasmsign2's layout; when that fails too, the document's error stands
     * (it is the layout ward documents and writes) */
    ward_sig_error plain_err;
    if (err)
        plain_err = *err;
    if (parse_layout(d, p, len, base, where, NULL, true))
        return true;
    if (err)
        *err = plain_err;
    return false;
}

void wsig_data_free(wsig_data *d)
{
    for (size_t i = 0; d->sets && i < d->nsets; i++)
        free(d->sets[i].sigs);
    free(d->sets);
    d->sets = NULL;
    d->nsets = 0;
}

void wsig_buf_put(wsig_buf *b, const void *p, size_t len)
{
    size_t need;
    if (b->failed || !wsize_add(b->len, len, &need)) {
        b->failed = true;
        return;
    }
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        uint8_t *grown = realloc(b->p, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    if (len)
        memcpy(b->p + b->len, p, len);
    b->len = need;
}

void wsig_buf_u32(wsig_buf *b, uint32_t v)
{
    uint8_t out[10];
    wsig_buf_put(b, out, wleb_u64(out, v));
}

/* The document's layout: sets and records back to back, no lengths. */
static void put_hashset(wsig_buf *b, const wsig_hashset *h)
{
    wsig_buf_u32(b, (uint32_t)h->nhashes);
    wsig_buf_put(b, h->hashes, h->nhashes * WSIG_HASH_BYTES);
    wsig_buf_u32(b, (uint32_t)h->nsigs);
    for (size_t i = 0; i < h->nsigs; i++) {
        const wsig_signature *s = &h->sigs[i];
        wsig_buf_u32(b, (uint32_t)s->key_id_len);
        wsig_buf_put(b, s->key_id, s->key_id_len);
        wsig_buf_put(b, &s->alg, 1);
        wsig_buf_u32(b, (uint32_t)s->sig_len);
        wsig_buf_put(b, s->sig, s->sig_len);
    }
}

uint8_t *wsig_data_serialize(const wsig_data *d, size_t *len)
{
    static const uint8_t header[3] = {WSIG_VERSION, WSIG_CONTENT_WASM, WSIG_HASH_SHA256};
    wsig_buf b = {0};
    wsig_buf_put(&b, header, sizeof header);
    wsig_buf_u32(&b, (uint32_t)d->nsets);
    for (size_t i = 0; i < d->nsets; i++)
        put_hashset(&b, &d->sets[i]);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    *len = b.len;
    return b.p;
}

uint8_t *wsig_message(const uint8_t *hashes, size_t nhashes, size_t *len)
{
    static const uint8_t ids[3] = {WSIG_VERSION, WSIG_CONTENT_WASM, WSIG_HASH_SHA256};
    wsig_buf b = {0};
    wsig_buf_put(&b, WSIG_DOMAIN, strlen(WSIG_DOMAIN));
    wsig_buf_put(&b, ids, sizeof ids);
    wsig_buf_put(&b, hashes, nhashes * WSIG_HASH_BYTES);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    *len = b.len;
    return b.p;
}
