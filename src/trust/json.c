/*
 * The strict JSON walk of trust stores and policies, on cJSON: every
 * member checked against the format's names (cJSON keeps duplicate
 * members; we refuse them), every value against its type and range, and
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

cJSON *wtj_parse(const wtj_ctx *c, const char *text, size_t len)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    size_t at = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
    /* only whitespace may follow the value */
    while (root && at < len && strchr(" \t\r\n", text[at]))
        at++;
    if (root && at == len)
        return root;
    cJSON_Delete(root);
    unsigned line = 1, col = 1;
    for (size_t i = 0; i < at && i < len; i++, col++)
        if (text[i] == '\n')
            line++, col = 0;
    if (c->err)
        c->err->offset = at;
    wtj_fail(c, WARD_TRUST_ERR_SYNTAX, "", "line %u, column %u: %s", line, col,
             root ? "text after the JSON value" : "not valid JSON");
    return NULL;
}

static const char *type_name(const cJSON *v)
{
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    return "null";
}

static void join(char *out, size_t cap, const char *path, const char *name)
{
    snprintf(out, cap, "%s%s%s", path, path[0] ? "." : "", name);
}

bool wtj_fields(const wtj_ctx *c, const cJSON *obj, const char *path, const char *const *names, size_t n,
                uint32_t required, const cJSON **out)
{
    if (!cJSON_IsObject(obj))
        return wtj_fail(c, WARD_TRUST_ERR_TYPE, path, "must be an object, not %s", type_name(obj));
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    for (const cJSON *m = obj->child; m; m = m->next) {
        size_t i = 0;
        while (i < n && strcmp(m->string, names[i]) != 0)
            i++;
        char sub[96];
        join(sub, sizeof sub, path, m->string);
        if (i == n)
            return wtj_fail(c, WARD_TRUST_ERR_UNKNOWN_FIELD, sub, "unknown field \"%s\"", m->string);
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

bool wtj_uint(const wtj_ctx *c, const cJSON *v, const char *path, uint64_t max, bool unlimited_ok, uint64_t *out)
{
    if (unlimited_ok && cJSON_IsString(v) && strcmp(v->valuestring, "unlimited") == 0) {
        *out = 0;
        return true;
    }
    if (!cJSON_IsNumber(v))
        return wtj_fail(c, WARD_TRUST_ERR_TYPE, path, "must be a whole number%s, not %s",
                        unlimited_ok ? " or \"unlimited\"" : "", type_name(v));
    double d = v->valuedouble;
    /* doubles hold integers exactly up to 2^53 */
    if (!(d >= 0) || d != floor(d) || d > 9007199254740992.0 || (uint64_t)d > max)
        return wtj_fail(c, WARD_TRUST_ERR_VALUE, path, "must be a whole number from 0 to %llu, not %g",
                        (unsigned long long)max, d);
    *out = (uint64_t)d;
    return true;
}

bool wtj_string(const wtj_ctx *c, const cJSON *v, const char *path, const char **out)
{
    if (!cJSON_IsString(v))
        return wtj_fail(c, WARD_TRUST_ERR_TYPE, path, "must be a string, not %s", type_name(v));
    if (!v->valuestring[0])
        return wtj_fail(c, WARD_TRUST_ERR_VALUE, path, "must not be empty");
    *out = v->valuestring;
    return true;
}

bool wtj_array(const wtj_ctx *c, const cJSON *v, const char *path)
{
    if (!cJSON_IsArray(v))
        return wtj_fail(c, WARD_TRUST_ERR_TYPE, path, "must be an array, not %s", type_name(v));
    return true;
}

static const char *const level_names[WARD_TRUST_LEVELS] = {"untrusted", "community", "publisher", "enterprise"};

const char *ward_trust_level_name(ward_trust_level level)
{
    return (unsigned)level < WARD_TRUST_LEVELS ? level_names[level] : "unknown";
}

bool wtj_level(const wtj_ctx *c, const cJSON *v, const char *path, bool allow_untrusted, ward_trust_level *out)
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

bool wtj_version(const wtj_ctx *c, const cJSON *v)
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
