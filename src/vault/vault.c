/*
 * The vault's keys (docs/vault.md, "Keys"): initialising a database as a
 * vault, unlocking it, key files and actors.
 *
 * The master key is Argon2id(passphrase, salt, ops, mem) or the 32 bytes
 * of a key file; the database holds how it was had (vault.params) and a
 * key-check value, a keyed BLAKE2b of a constant under the master key's
 * subkey WVAULT_KEY_CHECK, so a wrong key is told apart from a right one
 * without the key (or anything it decrypts) ever being stored.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "vault_internal.h"

static const char check_constant[] = "ward-vault-key-check/1";

void wvault_put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t wvault_get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void wvault_subkey(const uint8_t master[32], uint64_t id, uint8_t out[32])
{
    wcrypto_kdf(out, 32, id, (const uint8_t *)WVAULT_CTX_KEYS, master);
}

static bool name_char(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (ch && strchr("._/:@-", ch));
}

bool wvault_name_valid(const char *name, bool prefix)
{
    if (!name)
        return false;
    size_t n = 0;
    for (; name[n]; n++)
        if (n >= WARD_VAULT_NAME_MAX || !name_char((unsigned char)name[n]))
            return false;
    return n > 0 || prefix;
}

void wvault_outcome_set(wvault_outcome *o, ward_db_error_kind kind, const char *fmt, ...)
{
    o->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->detail, sizeof o->detail, fmt, ap);
    va_end(ap);
}

bool wvault_outcome_report(const ward_vault *v, const wvault_outcome *o, const char *op, ward_db_error *err)
{
    if (o->kind == WARD_DB_OK)
        return true;
    ward_db_fail(v->db, err, o->kind, op, "%s", o->detail);
    return false;
}

void ward_vault_kdf_default(ward_vault_kdf *kdf)
{
    kdf->ops = 3;
    kdf->mem_bytes = 64u << 20;
}

/* ---- the key check and the vault object ---------------------------------- */

static void key_check(const uint8_t master[32], uint8_t out[32])
{
    uint8_t k[32];
    wvault_subkey(master, WVAULT_KEY_CHECK, k);
    wcrypto_blake2b(out, 32, (const uint8_t *)check_constant, sizeof check_constant - 1, k, sizeof k);
    wcrypto_wipe(k, sizeof k);
}

static ward_vault *vault_new(ward_db *db, const uint8_t master[32], ward_db_error *err, const char *op)
{
    ward_vault *v = wcalloc(1, sizeof *v);
    if (!v || pthread_mutex_init(&v->lock, NULL) != 0) {
        free(v);
        ward_db_fail(db, err, WARD_DB_ERR_NOMEM, op, "out of memory");
        return NULL;
    }
    v->db = db;
    memcpy(v->master, master, sizeof v->master);
    wvault_subkey(master, WVAULT_KEY_AUDIT, v->audit_key);
    wvault_subkey(master, WVAULT_KEY_RULES, v->rules_key);
    return v;
}

void ward_vault_free(ward_vault *v)
{
    if (!v)
        return;
    wvault_bindings_free(v->bindings);
    pthread_mutex_destroy(&v->lock);
    wcrypto_wipe(v, sizeof *v);
    free(v);
}

ward_db *ward_vault_db(const ward_vault *v)
{
    return v ? v->db : NULL;
}

/* ---- init ------------------------------------------------------------------ */

typedef struct init_job {
    const ward_vault *v;
    uint8_t params[WVAULT_PARAMS_BYTES];
    bool exists;
} init_job;

static bool init_body(wdb *c, void *ctx, ward_db_error *err)
{
    init_job *job = ctx;
    static const char op[] = "vault init";
    uint8_t *old = NULL;
    size_t len = 0;
    if (!wdb_meta_get(c, WVAULT_META_PARAMS, &old, &len, &job->exists, op, err))
        return false;
    free(old);
    if (job->exists)
        return true;
    uint8_t check[32];
    key_check(job->v->master, check);
    wvault_event ev = {"init", NULL, 0, NULL, "ok", NULL};
    return wdb_meta_put(c, WVAULT_META_PARAMS, job->params, sizeof job->params, op, err) &&
           wdb_meta_put(c, WVAULT_META_CHECK, check, sizeof check, op, err) && wvault_rules_seal(c, job->v, op, err) &&
           wvault_audit_append(c, job->v, &ev, op, err);
}

static bool vault_init(ward_db *db, const uint8_t master[32], const uint8_t params[WVAULT_PARAMS_BYTES],
                       ward_db_error *err)
{
    static const char op[] = "vault init";
    ward_vault *v = vault_new(db, master, err, op);
    if (!v)
        return false;
    init_job job = {.v = v};
    memcpy(job.params, params, sizeof job.params);
    bool ok = wdb_transact(db, op, true, init_body, &job, err);
    if (ok && job.exists) {
        ward_db_fail(db, err, WARD_DB_ERR_EXISTS, op, "the database holds a vault already");
        ok = false;
    }
    ward_vault_free(v);
    return ok;
}

static void params_encode(uint8_t p[WVAULT_PARAMS_BYTES], int mode, const uint8_t *salt, uint64_t ops, uint64_t mem)
{
    memset(p, 0, WVAULT_PARAMS_BYTES);
    p[0] = WVAULT_PARAMS_FORMAT;
    p[1] = (uint8_t)mode;
    if (salt)
        memcpy(p + 2, salt, WCRYPTO_PWHASH_SALT_BYTES);
    wvault_put_u64(p + 2 + WCRYPTO_PWHASH_SALT_BYTES, ops);
    wvault_put_u64(p + 10 + WCRYPTO_PWHASH_SALT_BYTES, mem);
}

static bool derive(ward_db *db, const uint8_t *pass, size_t len, const uint8_t *salt, uint64_t ops, uint64_t mem,
                   uint8_t master[32], const char *op, ward_db_error *err)
{
    if (wcrypto_pwhash(master, 32, pass, len, salt, ops, (size_t)mem) == 0)
        return true;
    ward_db_fail(db, err, WARD_DB_ERR_NOMEM, op, "Argon2id with %llu passes over %llu bytes cannot run here",
                 (unsigned long long)ops, (unsigned long long)mem);
    return false;
}

bool ward_vault_init_passphrase(ward_db *db, const uint8_t *pass, size_t len, const ward_vault_kdf *kdf,
                                ward_db_error *err)
{
    static const char op[] = "vault init";
    ward_vault_kdf defaults;
    ward_vault_kdf_default(&defaults);
    if (!kdf)
        kdf = &defaults;
    if (!db || (!pass && len) || kdf->ops < WCRYPTO_PWHASH_OPS_MIN || kdf->mem_bytes < WCRYPTO_PWHASH_MEM_MIN ||
        kdf->mem_bytes > SIZE_MAX || wcrypto_init() != 0) {
        if (db)
            ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, op,
                         "Argon2id needs at least 1 pass and 8192 bytes of memory (and a passphrase)");
        return false;
    }
    uint8_t salt[WCRYPTO_PWHASH_SALT_BYTES], master[32], params[WVAULT_PARAMS_BYTES];
    wcrypto_random(salt, sizeof salt);
    params_encode(params, WVAULT_MODE_PASSPHRASE, salt, kdf->ops, kdf->mem_bytes);
    bool ok = derive(db, pass, len, salt, kdf->ops, kdf->mem_bytes, master, op, err) &&
              vault_init(db, master, params, err);
    wcrypto_wipe(master, sizeof master);
    return ok;
}

bool ward_vault_init_key(ward_db *db, const uint8_t key[WARD_VAULT_KEY_BYTES], ward_db_error *err)
{
    if (!db || !key || wcrypto_init() != 0) {
        if (db)
            ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, "vault init", "no key");
        return false;
    }
    uint8_t params[WVAULT_PARAMS_BYTES];
    params_encode(params, WVAULT_MODE_KEY, NULL, 0, 0);
    return vault_init(db, key, params, err);
}

/* ---- unlock ---------------------------------------------------------------- */

typedef struct unlock_job {
    uint8_t *params, *check;
    size_t params_len, check_len;
    bool found;
} unlock_job;

static void unlock_job_clear(unlock_job *job)
{
    free(job->params);
    free(job->check);
    job->params = job->check = NULL;
}

static bool unlock_body(wdb *c, void *ctx, ward_db_error *err)
{
    unlock_job *job = ctx;
    static const char op[] = "vault unlock";
    bool found_check = false;
    unlock_job_clear(job);
    return wdb_meta_get(c, WVAULT_META_PARAMS, &job->params, &job->params_len, &job->found, op, err) &&
           wdb_meta_get(c, WVAULT_META_CHECK, &job->check, &job->check_len, &found_check, op, err) &&
           (job->found = job->found && found_check, true);
}

/* The stored parameters, checked: false with err (KEY when no vault). */
static bool load_params(ward_db *db, unlock_job *job, const char *op, ward_db_error *err)
{
    if (!wdb_transact(db, op, false, unlock_body, job, err))
        return false;
    if (!job->found) {
        ward_db_fail(db, err, WARD_DB_ERR_KEY, op, "the database holds no vault (ward vault init makes one)");
        return false;
    }
    if (job->params_len != WVAULT_PARAMS_BYTES || job->params[0] != WVAULT_PARAMS_FORMAT || job->check_len != 32) {
        ward_db_fail(db, err, WARD_DB_ERR_TAMPERED, op, "the vault's parameters are damaged");
        return false;
    }
    return true;
}

static ward_vault *unlock_with(ward_db *db, unlock_job *job, const uint8_t master[32], const char *op,
                               ward_db_error *err)
{
    uint8_t check[32];
    key_check(master, check);
    if (!wcrypto_equal(check, job->check, sizeof check)) {
        ward_db_fail(db, err, WARD_DB_ERR_KEY, op, "wrong %s",
                     job->params[1] == WVAULT_MODE_PASSPHRASE ? "passphrase" : "key");
        return NULL;
    }
    return vault_new(db, master, err, op);
}

static bool mode_is(ward_db *db, const unlock_job *job, int mode, const char *op, ward_db_error *err)
{
    if (job->params[1] == mode)
        return true;
    ward_db_fail(db, err, WARD_DB_ERR_KEY, op, "this vault is unlocked with a %s, not a %s",
                 job->params[1] == WVAULT_MODE_PASSPHRASE ? "passphrase" : "key file",
                 mode == WVAULT_MODE_PASSPHRASE ? "passphrase" : "key file");
    return false;
}

ward_vault *ward_vault_unlock_passphrase(ward_db *db, const uint8_t *pass, size_t len, ward_db_error *err)
{
    static const char op[] = "vault unlock";
    if (!db || (!pass && len) || wcrypto_init() != 0) {
        if (db)
            ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, op, "no passphrase");
        return NULL;
    }
    unlock_job job = {0};
    ward_vault *v = NULL;
    uint8_t master[32];
    if (load_params(db, &job, op, err) && mode_is(db, &job, WVAULT_MODE_PASSPHRASE, op, err)) {
        const uint8_t *p = job.params + 2;
        uint64_t ops = wvault_get_u64(p + WCRYPTO_PWHASH_SALT_BYTES);
        uint64_t mem = wvault_get_u64(p + WCRYPTO_PWHASH_SALT_BYTES + 8);
        if (derive(db, pass, len, p, ops, mem, master, op, err))
            v = unlock_with(db, &job, master, op, err);
        wcrypto_wipe(master, sizeof master);
    }
    unlock_job_clear(&job);
    return v;
}

ward_vault *ward_vault_unlock_key(ward_db *db, const uint8_t key[WARD_VAULT_KEY_BYTES], ward_db_error *err)
{
    static const char op[] = "vault unlock";
    if (!db || !key || wcrypto_init() != 0) {
        if (db)
            ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, op, "no key");
        return NULL;
    }
    unlock_job job = {0};
    ward_vault *v = NULL;
    if (load_params(db, &job, op, err) && mode_is(db, &job, WVAULT_MODE_KEY, op, err))
        v = unlock_with(db, &job, key, op, err);
    unlock_job_clear(&job);
    return v;
}

bool ward_vault_exists(ward_db *db, bool *exists, ward_db_error *err)
{
    unlock_job job = {0};
    if (!db || !exists)
        return false;
    bool ok = wdb_transact(db, "vault exists", false, unlock_body, &job, err);
    *exists = ok && job.found;
    unlock_job_clear(&job);
    return ok;
}

/* ---- key files and actors -------------------------------------------------- */

bool ward_vault_key_parse(const uint8_t *bytes, size_t len, uint8_t key[WARD_VAULT_KEY_BYTES], ward_db_error *err)
{
    if (bytes && len == WARD_VAULT_KEY_BYTES) {
        memcpy(key, bytes, WARD_VAULT_KEY_BYTES);
        return true;
    }
    size_t digits = len;
    if (bytes && digits > 0 && bytes[digits - 1] == '\n')
        digits--;
    if (bytes && digits == 2 * WARD_VAULT_KEY_BYTES &&
        wcrypto_from_hex(key, WARD_VAULT_KEY_BYTES, (const char *)bytes, digits))
        return true;
    if (err) {
        memset(err, 0, sizeof *err);
        err->kind = WARD_DB_ERR_ARGUMENT;
        err->op = "vault key";
        snprintf(err->message, sizeof err->message,
                 "a key file holds 32 raw bytes or 64 hex digits (and a newline); this one has %zu bytes%s", len,
                 digits == 64 ? " that are not all hex digits" : "");
    }
    return false;
}

void ward_vault_actor_operator(ward_vault_actor *actor)
{
    memset(actor, 0, sizeof *actor);
    actor->kind = WARD_VAULT_ACTOR_OPERATOR;
}

void ward_vault_actor_module(ward_vault_actor *actor, const uint8_t *module, size_t len)
{
    memset(actor, 0, sizeof *actor);
    actor->kind = WARD_VAULT_ACTOR_MODULE;
    actor->level = WARD_TRUST_UNTRUSTED;
    wcrypto_sha256(actor->module_sha256, module, len);
}

bool ward_vault_actor_add_signer(ward_vault_actor *actor, const uint8_t key[32])
{
    if (!actor || !key || actor->nsigners >= WARD_VAULT_MAX_SIGNERS)
        return false;
    memcpy(actor->signers[actor->nsigners++], key, 32);
    return true;
}
