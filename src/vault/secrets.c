/*
 * Secrets (docs/vault.md, "Secrets"): versions sealed with
 * XChaCha20-Poly1305 under a subkey per (name, version), with the name,
 * version, tombstone flag and time as associated data, so a row moved to
 * another name or version, or a tombstone forged, fails to open.
 *
 * Each call is one body (secret_job) that asks the rules, does its work
 * and appends its audit entry; a refusal (denied, not found) is audited in
 * a body that commits, and reported after it as the job's outcome.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/util.h"
#include "vault_internal.h"

static const char ad_tag[] = "ward-vault-secret/1";
/* tag, name length, name, version, deleted, created */
#define AD_MAX (sizeof ad_tag - 1 + 1 + WARD_VAULT_NAME_MAX + 8 + 1 + 8)

/* The subkey of (name, version): crypto_kdf id = the first 8 bytes (LE) of
 * BLAKE2b-128(name || u64le version). */
static void secret_key(const uint8_t master[32], const char *name, uint64_t version, uint8_t key[32])
{
    size_t n = strlen(name);
    uint8_t in[WARD_VAULT_NAME_MAX + 8], h[16];
    memcpy(in, name, n);
    wvault_put_u64(in + n, version);
    wcrypto_blake2b(h, sizeof h, in, n + 8, NULL, 0);
    wcrypto_kdf(key, 32, wvault_get_u64(h), (const uint8_t *)WVAULT_CTX_SECRET, master);
}

static size_t secret_ad(uint8_t ad[AD_MAX], const char *name, const wdb_vault_row *row)
{
    size_t n = strlen(name), at = sizeof ad_tag - 1;
    memcpy(ad, ad_tag, at);
    ad[at++] = (uint8_t)n;
    memcpy(ad + at, name, n);
    at += n;
    wvault_put_u64(ad + at, row->version);
    ad[at + 8] = row->deleted ? 1 : 0;
    wvault_put_u64(ad + at + 9, (uint64_t)row->created);
    return at + 17;
}

/* row->sealed = the sealed value (malloc'd); false when out of memory. */
static bool seal(const ward_vault *v, const char *name, wdb_vault_row *row, const uint8_t *value, size_t len)
{
    uint8_t key[32], ad[AD_MAX];
    row->sealed_len = len + WCRYPTO_AEAD_TAG_BYTES;
    row->sealed = malloc(row->sealed_len);
    if (!row->sealed)
        return false;
    wcrypto_random(row->nonce, sizeof row->nonce);
    secret_key(v->master, name, row->version, key);
    wcrypto_aead_encrypt(row->sealed, value, len, ad, secret_ad(ad, name, row), row->nonce, key);
    wcrypto_wipe(key, sizeof key);
    return true;
}

/* The plaintext of row into *out (malloc'd, *out NULL for an empty value);
 * -1 when it does not authenticate, -2 when out of memory. */
static int open_sealed(const ward_vault *v, const char *name, const wdb_vault_row *row, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (row->sealed_len < WCRYPTO_AEAD_TAG_BYTES)
        return -1;
    size_t n = row->sealed_len - WCRYPTO_AEAD_TAG_BYTES;
    uint8_t key[32], ad[AD_MAX], *plain = malloc(n ? n : 1);
    if (!plain)
        return -2;
    secret_key(v->master, name, row->version, key);
    int rc = wcrypto_aead_decrypt(plain, row->sealed, row->sealed_len, ad, secret_ad(ad, name, row), row->nonce, key);
    wcrypto_wipe(key, sizeof key);
    if (rc != 0 || n == 0) {
        free(plain); /* zeroed by the failed decrypt, or empty */
        return rc != 0 ? -1 : 0;
    }
    *out = plain;
    *len = n;
    return 0;
}

/* ---- the jobs -------------------------------------------------------------- */

typedef struct secret_job {
    ward_vault *v;
    const ward_vault_actor *actor;
    const char *name;
    const char *op;             /* "vault put" (error records) */
    const char *audit_op;       /* "put" (audit records) */
    uint32_t perm;
    const uint8_t *value;       /* put */
    size_t len;
    uint64_t asked;             /* get: the version asked, 0 = latest */
    uint64_t version;           /* the version written or read */
    int64_t created;
    bool deleted;               /* get: the version is a tombstone */
    uint8_t *plain;             /* get: the value */
    size_t plain_len;
    wvault_outcome outcome;
} secret_job;

static bool audit(wdb *c, secret_job *job, uint64_t version, const char *result, ward_db_error *err)
{
    wvault_event ev = {job->audit_op, job->name, version, job->actor, result, NULL};
    return wvault_audit_append(c, job->v, &ev, job->op, err);
}

/* Begin every body: forget a failed try, then ask the rules.  *go false
 * when refused (the refusal audited). */
static bool job_guard(wdb *c, secret_job *job, bool *go, ward_db_error *err)
{
    job->outcome.kind = WARD_DB_OK;
    job->version = 0;
    job->deleted = false;
    if (job->plain) {
        wcrypto_wipe(job->plain, job->plain_len);
        free(job->plain);
        job->plain = NULL;
        job->plain_len = 0;
    }
    bool tampered = false;
    if (!wvault_allowed(c, job->v, job->actor, job->name, job->perm, go, &tampered, job->op, err))
        return false;
    if (*go)
        return true;
    if (tampered)
        wvault_outcome_set(&job->outcome, WARD_DB_ERR_TAMPERED,
                           "the access rules fail their MAC (changed outside ward): every module is refused");
    else
        wvault_outcome_set(&job->outcome, WARD_DB_ERR_DENIED, "no rule lets this module %s %s",
                           job->perm == WARD_VAULT_READ ? "read" : "write", job->name);
    return audit(c, job, job->asked, tampered ? "tampered" : "denied", err);
}

/* The checks a write starts with: *go false when the access was refused
 * (and audited: the body then ends well, with nothing written); else the
 * name's latest version, if any. */
static bool write_guard(wdb *c, secret_job *job, bool *go, uint64_t *latest, bool *deleted, bool *found,
                        ward_db_error *err)
{
    *latest = 0;
    if (!job_guard(c, job, go, err))
        return false;
    return !*go || wdb_vault_latest(c, job->name, latest, deleted, found, job->op, err);
}

static bool put_body(wdb *c, void *ctx, ward_db_error *err)
{
    secret_job *job = ctx;
    bool go, found, deleted;
    uint64_t latest;
    if (!write_guard(c, job, &go, &latest, &deleted, &found, err))
        return false;
    if (!go)
        return true; /* refused and audited */
    wdb_vault_row row = {.version = found ? latest + 1 : 1, .created = (int64_t)time(NULL)};
    if (!seal(job->v, job->name, &row, job->value, job->len)) {
        ward_db_fail(job->v->db, err, WARD_DB_ERR_NOMEM, job->op, "out of memory");
        return false;
    }
    bool ok = wdb_vault_insert(c, job->name, &row, job->op, err) && audit(c, job, row.version, "ok", err);
    free(row.sealed);
    job->version = row.version;
    return ok;
}

static bool delete_body(wdb *c, void *ctx, ward_db_error *err)
{
    secret_job *job = ctx;
    bool go, found, deleted;
    uint64_t latest;
    if (!write_guard(c, job, &go, &latest, &deleted, &found, err))
        return false;
    if (!go)
        return true; /* refused and audited */
    if (!found || deleted) {
        if (found)
            wvault_outcome_set(&job->outcome, WARD_DB_ERR_NOT_FOUND, "%s was deleted already at version %llu",
                               job->name, (unsigned long long)latest);
        else
            wvault_outcome_set(&job->outcome, WARD_DB_ERR_NOT_FOUND, "no secret %s", job->name);
        return audit(c, job, 0, found ? "deleted" : "not_found", err);
    }
    wdb_vault_row row = {.version = latest + 1, .deleted = true, .created = (int64_t)time(NULL)};
    if (!seal(job->v, job->name, &row, NULL, 0)) {
        ward_db_fail(job->v->db, err, WARD_DB_ERR_NOMEM, job->op, "out of memory");
        return false;
    }
    bool ok = wdb_vault_insert(c, job->name, &row, job->op, err) && audit(c, job, row.version, "ok", err);
    free(row.sealed);
    job->version = row.version;
    return ok;
}

/* Which version get reads: the asked one, or the latest; 0 when none. */
static bool get_version(wdb *c, secret_job *job, uint64_t *version, ward_db_error *err)
{
    bool found, deleted;
    *version = job->asked;
    if (job->asked)
        return true;
    if (!wdb_vault_latest(c, job->name, version, &deleted, &found, job->op, err))
        return false;
    if (!found)
        *version = 0;
    return true;
}

static bool get_body(wdb *c, void *ctx, ward_db_error *err)
{
    secret_job *job = ctx;
    bool go, found = false;
    uint64_t version;
    wdb_vault_row row = {0};
    if (!job_guard(c, job, &go, err))
        return false;
    if (!go)
        return true; /* refused and audited */
    if (!get_version(c, job, &version, err) ||
        (version && !wdb_vault_load(c, job->name, version, &row, &found, job->op, err)))
        return false;
    const char *result = "ok";
    int rc = found ? open_sealed(job->v, job->name, &row, &job->plain, &job->plain_len) : 0;
    if (rc == -2) {
        free(row.sealed);
        ward_db_fail(job->v->db, err, WARD_DB_ERR_NOMEM, job->op, "out of memory");
        return false;
    }
    if (!found) {
        if (job->asked)
            wvault_outcome_set(&job->outcome, WARD_DB_ERR_NOT_FOUND, "no version %llu of %s",
                               (unsigned long long)job->asked, job->name);
        else
            wvault_outcome_set(&job->outcome, WARD_DB_ERR_NOT_FOUND, "no secret %s", job->name);
        result = "not_found";
    } else if (rc == -1) {
        /* a tombstone is sealed too: a forged one is caught here */
        wvault_outcome_set(&job->outcome, WARD_DB_ERR_TAMPERED,
                           "version %llu of %s fails authentication (changed outside ward)",
                           (unsigned long long)version, job->name);
        result = "tampered";
    } else if (row.deleted) {
        job->deleted = true;
        wvault_outcome_set(&job->outcome, WARD_DB_ERR_NOT_FOUND, "%s was deleted at version %llu", job->name,
                           (unsigned long long)version);
        result = "deleted";
    }
    free(row.sealed);
    job->version = found ? version : 0;
    job->created = row.created;
    return audit(c, job, found ? version : job->asked, result, err);
}

/* ---- the public calls ------------------------------------------------------ */

static bool job_start(secret_job *job, ward_vault *v, const ward_vault_actor *actor, const char *name,
                      const char *op, ward_db_error *err)
{
    static const ward_vault_actor operator = {.kind = WARD_VAULT_ACTOR_OPERATOR};
    memset(job, 0, sizeof *job);
    job->v = v;
    job->actor = actor ? actor : &operator;
    job->name = name;
    job->op = op;
    if (!v)
        return false;
    if (!wvault_name_valid(name, false)) {
        ward_db_fail(v->db, err, WARD_DB_ERR_ARGUMENT, op,
                     "a secret's name is 1 to 255 of the characters A-Z a-z 0-9 . _ / : @ -");
        return false;
    }
    return true;
}

bool ward_vault_put(ward_vault *v, const ward_vault_actor *actor, const char *name, const uint8_t *value,
                    size_t len, uint64_t *version, ward_db_error *err)
{
    secret_job job;
    if (!job_start(&job, v, actor, name, "vault put", err))
        return false;
    if (len > WARD_VAULT_VALUE_MAX || (!value && len)) {
        ward_db_fail(v->db, err, WARD_DB_ERR_ARGUMENT, job.op, "a value is at most %u bytes (this one: %zu)",
                     WARD_VAULT_VALUE_MAX, len);
        return false;
    }
    job.audit_op = "put";
    job.perm = WARD_VAULT_WRITE;
    job.value = value;
    job.len = len;
    if (!wdb_transact(v->db, job.op, true, put_body, &job, err) || !wvault_outcome_report(v, &job.outcome, job.op, err))
        return false;
    if (version)
        *version = job.version;
    return true;
}

bool ward_vault_delete(ward_vault *v, const ward_vault_actor *actor, const char *name, uint64_t *version,
                       ward_db_error *err)
{
    secret_job job;
    if (!job_start(&job, v, actor, name, "vault delete", err))
        return false;
    job.audit_op = "delete";
    job.perm = WARD_VAULT_WRITE;
    if (!wdb_transact(v->db, job.op, true, delete_body, &job, err) ||
        !wvault_outcome_report(v, &job.outcome, job.op, err))
        return false;
    if (version)
        *version = job.version;
    return true;
}

bool ward_vault_get(ward_vault *v, const ward_vault_actor *actor, const char *name, uint64_t version,
                    ward_vault_secret *out, ward_db_error *err)
{
    secret_job job;
    if (out)
        memset(out, 0, sizeof *out);
    if (!out || !job_start(&job, v, actor, name, "vault get", err))
        return false;
    job.audit_op = "get";
    job.perm = WARD_VAULT_READ;
    job.asked = version;
    bool ran = wdb_transact(v->db, job.op, true, get_body, &job, err);
    if (!ran || !wvault_outcome_report(v, &job.outcome, job.op, err)) {
        out->deleted = ran && job.deleted;
        out->version = out->deleted ? job.version : 0;
        if (job.plain) {
            wcrypto_wipe(job.plain, job.plain_len);
            free(job.plain);
        }
        return false;
    }
    out->value = job.plain;
    out->len = job.plain_len;
    out->version = job.version;
    out->created = job.created;
    return true;
}

void ward_vault_secret_free(ward_vault_secret *s)
{
    if (!s)
        return;
    if (s->value) {
        wcrypto_wipe(s->value, s->len);
        free(s->value);
    }
    memset(s, 0, sizeof *s);
}
