/*
 * Policies (docs/trust.md):
 *   {"version": 1, "levels": {LEVEL: {"fuel": N|"unlimited",
 *     "max_memory_bytes": N|"unlimited", "timeout_ms": N|"unlimited",
 *     "max_threads": N, "host_modules": [NAME...], "dirs": [PATH...]}, ...}}
 * Every field of a level is required: a level's rules are all written
 * down, none comes from a default.  A level left out has no rules, and
 * its modules do not run.
 */
#define _XOPEN_SOURCE 700
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../crypto/crypto.h"
#include "trust_internal.h"

typedef struct level_rules {
    bool defined;
    ward_trust_limits limits;
    char **dirs;
} level_rules;

struct ward_trust_policy {
    uint8_t *bytes;
    size_t len;
    level_rules levels[WARD_TRUST_LEVELS];
};

/* Host module names an import may use, and the policy name of each bit. */
static const struct {
    const char *import_module;
    uint32_t bit;
} host_imports[] = {
    {"wasi_snapshot_preview1", WARD_TRUST_HOST_WASI}, {"wasi_unstable", WARD_TRUST_HOST_WASI},
    {"wasi", WARD_TRUST_HOST_WASI},
    {"ward:crypto", WARD_TRUST_HOST_CRYPTO},          {"ward:tee", WARD_TRUST_HOST_TEE},
    {"ward:vault", WARD_TRUST_HOST_VAULT},            {"ward:dag", WARD_TRUST_HOST_DAG},
};

static const struct {
    const char *name;
    uint32_t bit;
} host_names[] = {
    {"wasi", WARD_TRUST_HOST_WASI},   {"ward:crypto", WARD_TRUST_HOST_CRYPTO}, {"ward:tee", WARD_TRUST_HOST_TEE},
    {"ward:vault", WARD_TRUST_HOST_VAULT}, {"ward:dag", WARD_TRUST_HOST_DAG},
};

#define NHOST_IMPORTS (sizeof host_imports / sizeof host_imports[0])
#define NHOST_NAMES (sizeof host_names / sizeof host_names[0])

static uint32_t import_bit(const char *module)
{
    for (size_t i = 0; i < NHOST_IMPORTS; i++)
        if (strcmp(module, host_imports[i].import_module) == 0)
            return host_imports[i].bit;
    return 0;
}

static bool parse_host_modules(const wtj_ctx *c, const cJSON *v, const char *path, uint32_t *bits)
{
    if (!wtj_array(c, v, path))
        return false;
    *bits = 0;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        char sub[128];
        const char *name;
        size_t k = 0;
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        if (!wtj_string(c, e, sub, &name))
            return false;
        while (k < NHOST_NAMES && strcmp(name, host_names[k].name) != 0)
            k++;
        if (k == NHOST_NAMES)
            return wtj_fail(c, WARD_TRUST_ERR_VALUE, sub,
                            "unknown host module \"%s\" (wasi, ward:crypto, ward:tee, ward:vault, ward:dag)", name);
        if (*bits & host_names[k].bit)
            return wtj_fail(c, WARD_TRUST_ERR_DUPLICATE, sub, "\"%s\" given twice", name);
        *bits |= host_names[k].bit;
    }
    return true;
}

static bool parse_dirs(const wtj_ctx *c, const cJSON *v, const char *path, level_rules *r)
{
    if (!wtj_array(c, v, path))
        return false;
    size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
    r->dirs = wcalloc(n ? n : 1, sizeof *r->dirs);
    if (!r->dirs)
        return wtj_fail(c, WARD_TRUST_ERR_NOMEM, "", "out of memory");
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        char sub[128];
        const char *dir;
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        if (!wtj_string(c, e, sub, &dir))
            return false;
        if (dir[0] != '/')
            return wtj_fail(c, WARD_TRUST_ERR_VALUE, sub, "\"%s\" is not an absolute path", dir);
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->dirs[j], dir) == 0)
                return wtj_fail(c, WARD_TRUST_ERR_DUPLICATE, sub, "\"%s\" given twice", dir);
        if (!(r->dirs[i] = strdup(dir)))
            return wtj_fail(c, WARD_TRUST_ERR_NOMEM, "", "out of memory");
        r->limits.ndirs = i + 1;
    }
    r->limits.dirs = (const char *const *)r->dirs;
    return true;
}

static bool parse_level(const wtj_ctx *c, const cJSON *v, const char *level, level_rules *r)
{
    static const char *const names[] = {"fuel", "max_memory_bytes", "timeout_ms", "max_threads", "host_modules",
                                        "dirs"};
    const cJSON *f[6];
    char path[64], sub[6][96];
    uint64_t threads;
    snprintf(path, sizeof path, "levels.%s", level);
    for (int i = 0; i < 6; i++)
        snprintf(sub[i], sizeof sub[i], "%s.%s", path, names[i]);
    r->defined = true;
    return wtj_fields(c, v, path, names, 6, 0x3f, f) &&
           wtj_uint(c, f[0], sub[0], UINT64_MAX, true, &r->limits.fuel) &&
           wtj_uint(c, f[1], sub[1], UINT64_MAX, true, &r->limits.max_memory_bytes) &&
           wtj_uint(c, f[2], sub[2], UINT64_MAX, true, &r->limits.timeout_ms) &&
           wtj_uint(c, f[3], sub[3], UINT32_MAX, false, &threads) && (r->limits.max_threads = (uint32_t)threads, true) &&
           parse_host_modules(c, f[4], sub[4], &r->limits.host_modules) && parse_dirs(c, f[5], sub[5], r);
}

static bool parse_policy(const wtj_ctx *c, const cJSON *root, ward_trust_policy *p)
{
    static const char *const names[] = {"version", "levels"};
    static const char *const level_names[WARD_TRUST_LEVELS] = {"untrusted", "community", "publisher", "enterprise"};
    const cJSON *f[2], *lv[WARD_TRUST_LEVELS];
    if (!wtj_fields(c, root, "", names, 2, 0x3, f) || !wtj_version(c, f[0]))
        return false;
    /* levels may be left out (their modules do not run), never misspelt */
    if (!wtj_fields(c, f[1], "levels", level_names, WARD_TRUST_LEVELS, 0, lv)) {
        if (c->err && c->err->kind == WARD_TRUST_ERR_UNKNOWN_FIELD) {
            const char *bad = strchr(c->err->path, '.') + 1;
            char path[96];
            snprintf(path, sizeof path, "%s", c->err->path);
            return wtj_fail(c, WARD_TRUST_ERR_LEVEL, path,
                            "unknown level \"%s\" (untrusted, community, publisher, enterprise)", bad);
        }
        return false;
    }
    for (int i = 0; i < WARD_TRUST_LEVELS; i++)
        if (lv[i] && !parse_level(c, lv[i], level_names[i], &p->levels[i]))
            return false;
    return true;
}

ward_trust_policy *ward_trust_policy_parse(const char *name, const char *json, size_t len, ward_trust_error *err)
{
    wtj_clear(err);
    wtj_ctx c = {name ? name : "policy", err};
    if (!json) {
        wtj_fail(&c, WARD_TRUST_ERR_ARGUMENT, "", "no text");
        return NULL;
    }
    cJSON *root = wtj_parse(&c, json, len);
    if (!root)
        return NULL;
    ward_trust_policy *p = wcalloc(1, sizeof *p);
    bool ok = p && (p->bytes = malloc(len ? len : 1));
    if (!ok)
        wtj_fail(&c, WARD_TRUST_ERR_NOMEM, "", "out of memory");
    else {
        memcpy(p->bytes, json, len);
        p->len = len;
        ok = parse_policy(&c, root, p);
    }
    cJSON_Delete(root);
    if (!ok) {
        ward_trust_policy_free(p);
        return NULL;
    }
    return p;
}

ward_trust_policy *ward_trust_policy_load(const char *path, ward_trust_error *err)
{
    size_t len;
    char *text = wtj_read_file(path, &len, err);
    if (!text)
        return NULL;
    ward_trust_policy *p = ward_trust_policy_parse(path, text, len, err);
    free(text);
    return p;
}

void ward_trust_policy_free(ward_trust_policy *policy)
{
    if (!policy)
        return;
    for (int i = 0; i < WARD_TRUST_LEVELS; i++) {
        for (size_t j = 0; policy->levels[i].dirs && j < policy->levels[i].limits.ndirs; j++)
            free(policy->levels[i].dirs[j]);
        free(policy->levels[i].dirs);
    }
    free(policy->bytes);
    free(policy);
}

const uint8_t *ward_trust_policy_bytes(const ward_trust_policy *policy, size_t *len)
{
    if (!policy)
        return NULL;
    if (len)
        *len = policy->len;
    return policy->bytes;
}

void ward_trust_policy_sha256(const ward_trust_policy *policy, uint8_t out[32])
{
    wcrypto_sha256(out, policy->bytes, policy->len);
}

static const level_rules *rules(const ward_trust_policy *policy, ward_trust_level level)
{
    if (!policy || (unsigned)level >= WARD_TRUST_LEVELS || !policy->levels[level].defined)
        return NULL;
    return &policy->levels[level];
}

bool ward_trust_policy_limits(const ward_trust_policy *policy, ward_trust_level level, ward_trust_limits *out)
{
    const level_rules *r = rules(policy, level);
    if (r && out)
        *out = r->limits;
    return r != NULL;
}

bool ward_trust_allows_module(const ward_trust_policy *policy, ward_trust_level level, const char *host_module)
{
    const level_rules *r = rules(policy, level);
    uint32_t bit = host_module ? import_bit(host_module) : 0;
    return r && bit && (r->limits.host_modules & bit);
}

/* Is `path` the directory `dir` or inside it (both real paths)? */
static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1) /* "/" */
        return true;
    return strncmp(path, dir, n) == 0 && (path[n] == 0 || path[n] == '/');
}

bool ward_trust_allows_dir(const ward_trust_policy *policy, ward_trust_level level, const char *host_dir)
{
    const level_rules *r = rules(policy, level);
    if (!r || !host_dir || !(r->limits.host_modules & WARD_TRUST_HOST_WASI))
        return false;
    char real[PATH_MAX], allowed[PATH_MAX];
    if (!realpath(host_dir, real))
        return false;
    for (size_t i = 0; i < r->limits.ndirs; i++)
        if (realpath(r->dirs[i], allowed) && under(real, allowed))
            return true;
    return false;
}

bool ward_trust_check_imports(const ward_trust_policy *policy, ward_trust_level level, const ward_module *module,
                              ward_trust_error *err)
{
    wtj_clear(err);
    wtj_ctx c = {"", err}; /* about the module, not a file */
    const level_rules *r = rules(policy, level);
    if (!module)
        return wtj_fail(&c, WARD_TRUST_ERR_ARGUMENT, "", "no module");
    if (!r)
        return wtj_fail(&c, WARD_TRUST_ERR_NO_RULES, "", "the policy gives no rules for trust level %s",
                        ward_trust_level_name(level));
    for (uint32_t i = 0; i < ward_module_import_count(module); i++) {
        ward_import_info info;
        ward_module_import(module, i, &info);
        uint32_t bit = import_bit(info.module);
        if (bit && !(r->limits.host_modules & bit))
            return wtj_fail(&c, WARD_TRUST_ERR_FORBIDDEN, "", "import %s.%s: host module %s is not allowed at trust level %s",
                            info.module, info.name, info.module, ward_trust_level_name(level));
        if (strcmp(info.module, "wasi") == 0 && strcmp(info.name, "thread-spawn") == 0 && r->limits.max_threads == 0)
            return wtj_fail(&c, WARD_TRUST_ERR_FORBIDDEN, "", "import %s.%s: trust level %s allows no threads (max_threads 0)",
                            info.module, info.name, ward_trust_level_name(level));
    }
    return true;
}

static uint64_t tighter(uint64_t current, uint64_t limit)
{
    return limit && (current == 0 || limit < current) ? limit : current;
}

void ward_trust_apply_config(const ward_trust_limits *limits, ward_config *cfg)
{
    if (!limits || !cfg)
        return;
    cfg->max_memory_bytes = tighter(cfg->max_memory_bytes, limits->max_memory_bytes);
    if (limits->max_threads)
        cfg->max_threads = (uint32_t)tighter(cfg->max_threads, limits->max_threads);
    if (limits->timeout_ms)
        cfg->interruptible = true;
}

void ward_trust_apply_store(const ward_trust_limits *limits, ward_store *store)
{
    if (!limits || !store)
        return;
    if (limits->fuel)
        ward_store_set_fuel(store, limits->fuel);
    if (limits->timeout_ms)
        ward_store_set_timeout(store, limits->timeout_ms);
}
