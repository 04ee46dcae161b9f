/*
 * The module registry (docs/contracts.md, "Module registry"): records kept
 * by the storage backend (backend.h, "registry"), one body per operation.
 * An add stores what wreg_admit let through; a get hashes the bytes again
 * after reading them, so damaged or edited storage never reaches a run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/util.h"
#include "crypto/crypto.h"
#include "registry_internal.h"

#define OP_GET "registry get"
#define OP_LIST "registry list"
#define OP_REMOVE "registry remove"

void ward_registry_add_options_default(ward_registry_add_options *opts)
{
    memset(opts, 0, sizeof *opts);
}

/* ---- references ---------------------------------------------------------- */

bool ward_registry_is_hash_ref(const char *ref)
{
    return ref && strncmp(ref, "sha256:", 7) == 0;
}

void ward_registry_hash_ref(const uint8_t sha256[32], char out[WARD_REGISTRY_HASH_REF_BYTES])
{
    memcpy(out, "sha256:", 7);
    wcrypto_to_hex(out + 7, sha256, 32);
}

/* What a ref names: a hash, or a name. */
typedef struct reg_ref {
    bool by_hash;
    uint8_t sha256[32];
    const char *name;
} reg_ref;

static bool parse_ref(ward_db *db, const char *ref, reg_ref *r, const char *op, ward_db_error *err)
{
    memset(r, 0, sizeof *r);
    if (!ref) {
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, op, "no module reference");
        return false;
    }
    if (ward_registry_is_hash_ref(ref)) {
        r->by_hash = true;
        if (wcrypto_from_hex(r->sha256, 32, ref + 7, strlen(ref + 7)))
            return true;
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, op, "\"%.80s\": sha256: must be followed by 64 hex digits", ref);
        return false;
    }
    r->name = ref;
    if (ward_registry_name_valid(ref))
        return true;
    ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, op, "\"%.140s\" is neither sha256:HEX nor a module name", ref);
    return false;
}

/* ---- records ------------------------------------------------------------- */

static void entry_from_row(ward_registry_entry *e, const wdb_registry_row *r)
{
    memset(e, 0, sizeof *e);
    memcpy(e->sha256, r->sha256, sizeof e->sha256);
    wreg_copy_text(e->name, sizeof e->name, r->name);
    e->gas_limit = r->gas_limit;
    e->size = r->size;
    e->added = r->added;
    e->is_signed = r->is_signed;
    e->trust_checked = r->trust_checked;
    e->trust_level = r->trust_level < WARD_TRUST_LEVELS ? (ward_trust_level)r->trust_level : WARD_TRUST_UNTRUSTED;
    e->has_signer = r->signer_key != NULL;
    if (e->has_signer)
        memcpy(e->signer_key.key, r->signer_key, sizeof e->signer_key.key);
    wreg_copy_text(e->signer, sizeof e->signer, r->signer_name);
}

/* The row of e (pointers into e: keep e alive while the row is used). */
static wdb_registry_row row_from_entry(const ward_registry_entry *e)
{
    wdb_registry_row r;
    memset(&r, 0, sizeof r);
    memcpy(r.sha256, e->sha256, sizeof r.sha256);
    r.name = e->name[0] ? e->name : NULL;
    r.gas_limit = e->gas_limit;
    r.size = e->size;
    r.added = e->added;
    r.is_signed = e->is_signed;
    r.trust_checked = e->trust_checked;
    r.trust_level = (uint32_t)e->trust_level;
    r.signer_name = e->has_signer ? e->signer : NULL;
    r.signer_key = e->has_signer ? e->signer_key.key : NULL;
    return r;
}

static bool take_entry(void *ctx, const wdb_registry_row *r)
{
    entry_from_row(ctx, r);
    return true;
}

/* ---- add ----------------------------------------------------------------- */

typedef struct add_job {
    const wreg_admission *a;
    const uint8_t *bytes;
    size_t len;
    int64_t now;
    ward_registry_entry out;
} add_job;

static void short_hash(const uint8_t sha256[32], char out[17])
{
    wcrypto_to_hex(out, sha256, 8);
}

static bool same_signature(const ward_registry_entry *x, const ward_registry_entry *y)
{
    return x->is_signed == y->is_signed && x->trust_checked == y->trust_checked && x->trust_level == y->trust_level &&
           x->has_signer == y->has_signer &&
           (!x->has_signer || memcmp(x->signer_key.key, y->signer_key.key, sizeof x->signer_key.key) == 0);
}

/* Does the add ask for other metadata than stored bytes have? */
static bool asks_other(const wreg_admission *a, const ward_registry_entry *old)
{
    return (a->name_given && strcmp(a->proto.name, old->name) != 0) ||
           (a->gas_given && a->proto.gas_limit != old->gas_limit) ||
           (a->trust_given && !same_signature(&a->proto, old));
}

/* The stored record with what the add gave put over it. */
static void apply_given(const wreg_admission *a, ward_registry_entry *e)
{
    const ward_registry_entry *p = &a->proto;
    if (a->name_given)
        memcpy(e->name, p->name, sizeof e->name);
    if (a->gas_given)
        e->gas_limit = p->gas_limit;
    if (a->trust_given) {
        e->is_signed = p->is_signed;
        e->trust_checked = p->trust_checked;
        e->trust_level = p->trust_level;
        e->has_signer = p->has_signer;
        e->signer_key = p->signer_key;
        memcpy(e->signer, p->signer, sizeof e->signer);
    }
}

/* The add's name, for its module: refused when another module holds it,
 * unless replace takes it from that one. */
static bool claim_name(wdb *c, const wreg_admission *a, ward_db_error *err)
{
    ward_registry_entry holder;
    bool found;
    if (!wdb_registry_lookup(c, NULL, a->proto.name, false, take_entry, &holder, &found, WREG_OP_ADD, err))
        return false;
    if (!found || memcmp(holder.sha256, a->proto.sha256, 32) == 0)
        return true;
    if (a->replace)
        return wdb_registry_unname(c, a->proto.name, WREG_OP_ADD, err);
    char h[17];
    short_hash(holder.sha256, h);
    wdb_fail(c, err, WARD_DB_ERR_EXISTS, WREG_OP_ADD,
             "the name \"%s\" is taken by sha256:%s... (replace moves it to this module)", a->proto.name, h);
    return false;
}

static bool refuse_other_metadata(wdb *c, const ward_registry_entry *old, ward_db_error *err)
{
    char h[17];
    short_hash(old->sha256, h);
    wdb_fail(c, err, WARD_DB_ERR_EXISTS, WREG_OP_ADD,
             "sha256:%s... is already in the registry (%s%s%sgas limit %llu) with other metadata than asked"
             " (update changes it)",
             h, old->name[0] ? "as \"" : "", old->name, old->name[0] ? "\", " : "",
             (unsigned long long)old->gas_limit);
    return false;
}

static bool add_body(wdb *c, void *ctx, ward_db_error *err)
{
    add_job *job = ctx;
    const wreg_admission *a = job->a;
    ward_registry_entry old;
    bool found;
    if (!wdb_registry_lookup(c, a->proto.sha256, NULL, false, take_entry, &old, &found, WREG_OP_ADD, err))
        return false;
    if (found && !asks_other(a, &old)) {
        job->out = old; /* the same again: nothing to do */
        return true;
    }
    if (found && !a->update)
        return refuse_other_metadata(c, &old, err);
    if (a->name_given && !claim_name(c, a, err))
        return false;
    if (found) {
        job->out = old;
        apply_given(a, &job->out);
    } else {
        job->out = a->proto;
        job->out.added = job->now;
    }
    wdb_registry_row row = row_from_entry(&job->out);
    if (found)
        return wdb_registry_update(c, &row, WREG_OP_ADD, err);
    row.bytes = job->bytes;
    row.len = job->len;
    return wdb_registry_insert(c, &row, WREG_OP_ADD, err);
}

bool ward_registry_add(ward_db *db, const uint8_t *bytes, size_t len, const ward_registry_add_options *opts,
                       ward_registry_entry *out, ward_db_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!db) {
        ward_db_fail(NULL, err, WARD_DB_ERR_ARGUMENT, WREG_OP_ADD, "no database");
        return false;
    }
    wreg_admission a;
    if (!wreg_admit(db, bytes, len, opts, &a, err))
        return false;
    add_job job;
    memset(&job, 0, sizeof job);
    job.a = &a;
    job.bytes = bytes;
    job.len = len;
    job.now = (int64_t)time(NULL);
    if (!wdb_transact(db, WREG_OP_ADD, true, add_body, &job, err))
        return false;
    if (out)
        *out = job.out;
    return true;
}

/* ---- get ----------------------------------------------------------------- */

typedef struct get_job {
    const reg_ref *ref;
    bool found;
    ward_registry_entry entry;
    uint8_t *bytes;
    size_t len;
} get_job;

static bool take_module(void *ctx, const wdb_registry_row *r)
{
    get_job *job = ctx;
    entry_from_row(&job->entry, r);
    job->bytes = malloc(r->len ? r->len : 1);
    if (!job->bytes)
        return false;
    memcpy(job->bytes, r->bytes, r->len);
    job->len = r->len;
    return true;
}

static bool get_body(wdb *c, void *ctx, ward_db_error *err)
{
    get_job *job = ctx;
    free(job->bytes); /* from a try that was retried */
    job->bytes = NULL;
    const reg_ref *r = job->ref;
    return wdb_registry_lookup(c, r->by_hash ? r->sha256 : NULL, r->name, true, take_module, job, &job->found, OP_GET,
                               err);
}

/* Are the bytes the ones their key names?  TAMPERED naming ref if not. */
static bool check_bytes(ward_db *db, const char *ref, const get_job *job, ward_db_error *err)
{
    uint8_t sha[32];
    wcrypto_sha256(sha, job->bytes, job->len);
    if (memcmp(sha, job->entry.sha256, sizeof sha) == 0)
        return true;
    char got[65], want[65];
    wcrypto_to_hex(got, sha, sizeof sha);
    wcrypto_to_hex(want, job->entry.sha256, sizeof sha);
    ward_db_fail(db, err, WARD_DB_ERR_TAMPERED, OP_GET, "%.140s: stored bytes hash to %s, not %s", ref, got, want);
    return false;
}

bool ward_registry_get(ward_db *db, const char *ref, ward_registry_entry *entry, uint8_t **bytes, size_t *len,
                       ward_db_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (bytes)
        *bytes = NULL;
    if (len)
        *len = 0;
    reg_ref r;
    if (!db) {
        ward_db_fail(NULL, err, WARD_DB_ERR_ARGUMENT, OP_GET, "no database");
        return false;
    }
    if (!parse_ref(db, ref, &r, OP_GET, err))
        return false;
    get_job job;
    memset(&job, 0, sizeof job);
    job.ref = &r;
    bool ok = wdb_read_one(db, OP_GET, get_body, &job, err);
    if (ok && !job.found) {
        ward_db_fail(db, err, WARD_DB_ERR_NOT_FOUND, OP_GET, "no module %.140s in the registry", ref);
        ok = false;
    }
    ok = ok && check_bytes(db, ref, &job, err);
    if (ok && entry)
        *entry = job.entry;
    if (ok && bytes) {
        *bytes = job.bytes;
        job.bytes = NULL;
    }
    if (ok && len)
        *len = job.len;
    free(job.bytes);
    return ok;
}

/* ---- list ---------------------------------------------------------------- */

typedef struct list_job {
    ward_registry_entry *entries;
    size_t count, cap;
    bool nomem;
} list_job;

static bool list_one(void *ctx, const wdb_registry_row *r)
{
    list_job *job = ctx;
    if (!wgrow((void **)&job->entries, &job->cap, job->count + 1, sizeof *job->entries)) {
        job->nomem = true;
        return false;
    }
    entry_from_row(&job->entries[job->count++], r);
    return true;
}

static bool list_body(wdb *c, void *ctx, ward_db_error *err)
{
    list_job *job = ctx;
    job->count = 0; /* a retried try starts over */
    job->nomem = false;
    if (!wdb_registry_list(c, list_one, job, OP_LIST, err))
        return false;
    if (job->nomem)
        wdb_fail(c, err, WARD_DB_ERR_NOMEM, OP_LIST, "out of memory");
    return !job->nomem;
}

bool ward_registry_list(ward_db *db, ward_registry_entry **entries, size_t *count, ward_db_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!db || !entries || !count) {
        ward_db_fail(db, err, WARD_DB_ERR_ARGUMENT, OP_LIST, "no place for the entries");
        return false;
    }
    *entries = NULL;
    *count = 0;
    list_job job = {0};
    if (!wdb_read_one(db, OP_LIST, list_body, &job, err)) {
        free(job.entries);
        return false;
    }
    if (job.count == 0) {
        free(job.entries);
        job.entries = NULL;
    }
    *entries = job.entries;
    *count = job.count;
    return true;
}

/* ---- remove -------------------------------------------------------------- */

typedef struct remove_job {
    const reg_ref *ref;
    bool found;
    ward_registry_entry removed;
} remove_job;

static bool remove_body(wdb *c, void *ctx, ward_db_error *err)
{
    remove_job *job = ctx;
    const reg_ref *r = job->ref;
    if (!wdb_registry_lookup(c, r->by_hash ? r->sha256 : NULL, r->name, false, take_entry, &job->removed,
                             &job->found, OP_REMOVE, err))
        return false;
    return !job->found || wdb_registry_delete(c, job->removed.sha256, &job->found, OP_REMOVE, err);
}

bool ward_registry_remove(ward_db *db, const char *ref, ward_registry_entry *removed, ward_db_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    reg_ref r;
    if (!db) {
        ward_db_fail(NULL, err, WARD_DB_ERR_ARGUMENT, OP_REMOVE, "no database");
        return false;
    }
    if (!parse_ref(db, ref, &r, OP_REMOVE, err))
        return false;
    remove_job job;
    memset(&job, 0, sizeof job);
    job.ref = &r;
    if (!wdb_transact(db, OP_REMOVE, true, remove_body, &job, err))
        return false;
    if (!job.found) {
        ward_db_fail(db, err, WARD_DB_ERR_NOT_FOUND, OP_REMOVE, "no module %.140s in the registry", ref);
        return false;
    }
    if (removed)
        *removed = job.removed;
    return true;
}
