/*
 * The strict JSON walk of trust stores and policies, on the JSON reader of
 * src/common/json.h: every member checked against the format's names (the
 * reader keeps duplicate members; we refuse them), every value against its type and range, and
 * every error one line naming the file and the field path.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../host/file.h"
#include "trust_internal.h"

void wtj_clear(ward_trust_error *err)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->offset = UINT64_MAX;
        err->sig.offset = UINT64_MAX;
    }
}

bool wtj_fail(const wtj_ctx *c, ward_trust_error_kind kind, const char *path, const char *fmt, ...)
{
    ward_trust_error *err = c->err;
    if (!err)
        return false;
    err->kind = kind;
    snprintf(err->path, sizeof err->path, "%s", path ? path : "");
    char text[240];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    snprintf(err->message, sizeof err->message, "%s%s%s%s%s", c->file, c->file[0] ? ": " : "", err->path,
             err->path[0] ? ": " : "", text);
    return false;
}

wjson *wtj_parse(const wtj_ctx *c, const char *text, size_t len)
{
    wjson_error why;
    wjson *root = wjson_parse(text, len, &why);
    if (root)
        return root;
    size_t at = why.offset;
    unsigned line = 1, col = 1;
    for (size_t i = 0; i < at && i < len; i++, col++)
        if (text[i] == '\n')
            line++, col = 0;
    if (c->err)
        c->err->offset = at;
    wtj_fail(c, WARD_TRUST_ERR_SYNTAX, "", "line %u, column %u: %s", line, col, why.message);
    return NULL;
}

static const char *type_name(const wjson *v)
{
    static const char *const names[] = {
        [WJSON_NULL] = "null",         [WJSON_FALSE] = "a boolean", [WJSON_TRUE] = "a boolean",
        [WJSON_NUMBER] = "a number",   [WJSON_STRING] = "a string", [WJSON_ARRAY] = "an array",
        [WJSON_OBJECT] = "an object",
    };
    return names[v->kind];
}

static void join(char *out, size_t cap, const char *path, const char *name)
{
    snprintf(out, cap, "%s%s%s", path, path[0] ? "." : "", name);
}

bool wtj_fields(const wtj_ctx *c, const wjson *obj, const char *path, const char *const *names, size_t n,
                uint32_t required, const wjson **out)
{
    if (obj->kind != WJSON_OBJECT)
        return wtj_fail(c, WARD_TRUST_ERR_TYPE, path, "must be an object, not %s", type_name(obj));
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    for (const wjson *m = obj->child; m; m = m->next) {
        size_t i = 0;
        while (i < n && strcmp(m->key, names[i]) != 0)
            i++;
        char sub[96];
        join(sub, sizeof sub, path, m->key);
        if (i == n)
            return wtj_fail(c, WARD_TRUST_ERR_UNKNOWN_FIELD, sub, "unknown field \"%s\"", m->key);
        if (out[i])
            return wtj_fail(c, WARD_TRUST_ERR_DUPLICATE, sub, "given twice");
        out[i] = m;
    }
    for (size_t i = 0; i < n; i++) {
        char sub[96];
        join(sub, sizeof sub, path, names[i]);
        if ((required >> i & 1) && !out[i])
            return wtj_fail(c, WARD_TRUST_ERR_MISSING_FIELD, sub, "missing");
    }
    return true;
}

bool wtj_uint(const wtj_ctx *c, const wjson *v, const char *path, uint64_t max, bool unlimited_ok, uint64_t *out)
{
    if (unlimited_ok && wjson_is_text(v) && strcmp(v->string, "unlimited") == 0) {
        *out = 0;
        return true;
    }
    if (v->kind != WJSON_NUMBER)
        return wtj_fail(c, WARD_TRUST_ERR_TYPE, path, "must be a whole number%s, not %s",
                        unlimited_ok ? " or \"unlimited\"" : "", type_name(v));
    double d = v->number;
    /* doubles hold integers exactly up to 2^53 */
    if (!(d >= 0) || d != floor(d) || d > 9007199254740992.0 || (uint64_t)d > max)
        return wtj_fail(c, WARD_TRUST_ERR_VALUE, path, "must be a whole number from 0 to %llu, not %g",
                        (unsigned long long)max, d);
    *out = (uint64_t)d;
    return true;
}

bool wtj_string(const wtj_ctx *c, const wjson *v, const char *path, const char **out)
{
    if (v->kind != WJSON_STRING)
        return wtj_fail(c, WARD_TRUST_ERR_TYPE, path, "must be a string, not %s", type_name(v));
    if (!wjson_is_text(v))
        return wtj_fail(c, WARD_TRUST_ERR_VALUE, path, "must not contain U+0000");
    if (!v->string[0])
        return wtj_fail(c, WARD_TRUST_ERR_VALUE, path, "must not be empty");
    *out = v->string;
    return true;
}

bool wtj_array(const wtj_ctx *c, const wjson *v, const char *path)
{
    if (v->kind != WJSON_ARRAY)
        return wtj_fail(c, WARD_TRUST_ERR_TYPE, path, "must be an array, not %s", type_name(v));
    return true;
}

static const char *const level_names[WARD_TRUST_LEVELS] = {"untrusted", "community", "publisher", "enterprise"};

const char *ward_trust_level_name(ward_trust_level level)
{
    return (unsigned)level < WARD_TRUST_LEVELS ? level_names[level] : "unknown";
}

bool wtj_level(const wtj_ctx *c, const wjson *v, const char *path, bool allow_untrusted, ward_trust_level *out)
{
    const char *s;
    if (!wtj_string(c, v, path, &s))
        return false;
    for (int i = allow_untrusted ? 0 : 1; i < WARD_TRUST_LEVELS; i++)
        if (strcmp(s, level_names[i]) == 0) {
            *out = (ward_trust_level)i;
            return true;
        }
    return wtj_fail(c, WARD_TRUST_ERR_LEVEL, path, "unknown level \"%s\" (%scommunity, publisher, enterprise)", s,
                    allow_untrusted ? "untrusted, " : "");
}

bool wtj_version(const wtj_ctx *c, const wjson *v)
{
    uint64_t version;
    if (!wtj_uint(c, v, "version", UINT32_MAX, false, &version))
        return false;
    if (version != 1)
        return wtj_fail(c, WARD_TRUST_ERR_VALUE, "version", "unknown version %llu (this ward reads version 1)",
                        (unsigned long long)version);
    return true;
}

char *wtj_read_file(const char *path, size_t *len, ward_trust_error *err)
{
    werror why;
    uint8_t *bytes = path ? wfile_read(path, len, &why) : NULL;
    if (!bytes) {
        wtj_ctx c = {path ? path : "(no file)", err};
        wtj_fail(&c, path ? WARD_TRUST_ERR_READ : WARD_TRUST_ERR_ARGUMENT, "", "%s",
                 path ? why.msg : "no file given");
    }
    return (char *)bytes;
}
