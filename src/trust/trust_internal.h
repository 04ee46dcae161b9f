/* Trust stores and policies, internal: the strict JSON walk shared by
 * store.c and policy.c. */
#ifndef WARD_TRUST_INTERNAL_H
#define WARD_TRUST_INTERNAL_H

#include "../common/json.h"

#include "../../include/ward_trust.h"

/* The file being parsed, for error messages. */
typedef struct wtj_ctx {
    const char *file;
    ward_trust_error *err;
} wtj_ctx;

void wtj_clear(ward_trust_error *err);
/* "FILE: PATH: text" (PATH left out when empty); returns false. */
bool wtj_fail(const wtj_ctx *c, ward_trust_error_kind kind, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Parse the whole text as one JSON value (NULL with a SYNTAX error that
 * gives line and column). */
wjson *wtj_parse(const wtj_ctx *c, const char *text, size_t len);

/* obj must be an object whose members are all among names[0..n), each at
 * most once; out[i] is member names[i] (NULL when absent).  Members in
 * `required` (a bit per name) must be present. */
bool wtj_fields(const wtj_ctx *c, const wjson *obj, const char *path, const char *const *names, size_t n,
                uint32_t required, const wjson **out);

/* A non-negative integer up to max; "unlimited" (when allowed) is 0. */
bool wtj_uint(const wtj_ctx *c, const wjson *v, const char *path, uint64_t max, bool unlimited_ok, uint64_t *out);
/* A non-empty string. */
bool wtj_string(const wtj_ctx *c, const wjson *v, const char *path, const char **out);
bool wtj_array(const wtj_ctx *c, const wjson *v, const char *path);
/* The level named by v ("untrusted" only when allow_untrusted). */
bool wtj_level(const wtj_ctx *c, const wjson *v, const char *path, bool allow_untrusted, ward_trust_level *out);
/* "version": 1 */
bool wtj_version(const wtj_ctx *c, const wjson *v);

/* Read a whole file (NULL with a READ error). */
char *wtj_read_file(const char *path, size_t *len, ward_trust_error *err);

#endif
