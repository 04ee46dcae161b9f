/*
 * The contract state in the database: reads during a call, and the one
 * transaction that applies a successful call's overlay and its root
 * (docs/contracts.md, "State").  Through the backend only (backend.h).
 */
#include <stdlib.h>
#include <string.h>

#include "contract_internal.h"
#include "storage/storage.h"

typedef struct read_ctx {
    const uint8_t *contract, *key;
    size_t klen;
    uint8_t *value;
    size_t vlen;
    bool found;
} read_ctx;

static bool read_body(wdb *c, void *p, ward_db_error *err)
{
    read_ctx *r = p;
    free(r->value);
    return wdb_state_get(c, r->contract, r->key, r->klen, &r->value, &r->vlen, &r->found, "state get", err);
}

bool wcontract_state_read(wcontract_run *run, const uint8_t *key, size_t klen, uint8_t **value, size_t *vlen,
                          bool *found)
{
    read_ctx r = {run->contract, key, klen, NULL, 0, false};
    *value = NULL;
    *vlen = 0;
    *found = false;
    if (!run->db)
        return true;
    if (!wdb_read_one(run->db, "state get", read_body, &r, &run->db_err)) {
        free(r.value);
        run->host_failed = true;
        return false;
    }
    *value = r.value;
    *vlen = r.vlen;
    *found = r.found;
    return true;
}

typedef struct commit_ctx {
    const uint8_t *contract;
    const woverlay *overlay;
    const woverlay *reads;
    bool dry;
    const uint8_t *acc_before;
    uint8_t *acc_after;
} commit_ctx;

/* Take one written key's old row out of acc and its new row in; write it.
 * The old row is the one the call read, when it did: the accumulator
 * check of commit_body has made sure the state has not changed since. */
static bool commit_entry(wdb *c, commit_ctx *k, const woverlay_entry *e, uint8_t *acc, ward_db_error *err)
{
    uint8_t *old = NULL;
    size_t oldlen;
    bool found;
    const woverlay_entry *read = woverlay_find(k->reads, e->key, e->klen);
    if (read) {
        found = !read->removed;
        oldlen = read->vlen;
    } else if (!wdb_state_get(c, k->contract, e->key, e->klen, &old, &oldlen, &found, "state commit", err)) {
        return false;
    }
    if (found)
        wroot_add(acc, e->key, e->klen, read ? read->value : old, oldlen, true);
    free(old);
    if (!e->removed)
        wroot_add(acc, e->key, e->klen, e->value, e->vlen, false);
    if (k->dry)
        return true;
    if (e->removed)
        return !found || wdb_state_delete(c, k->contract, e->key, e->klen, "state commit", err);
    return wdb_state_put(c, k->contract, e->key, e->klen, e->value, e->vlen, "state commit", err);
}

static bool commit_body(wdb *c, void *p, ward_db_error *err)
{
    commit_ctx *k = p;
    uint8_t *acc = k->acc_after;
    if (!wdb_state_acc_get(c, k->contract, acc, "state commit", err))
        return false;
    if (memcmp(acc, k->acc_before, WDB_STATE_ACC_BYTES) != 0) {
        wdb_fail(c, err, WARD_DB_ERR_BUSY, "state commit",
                 "another writer changed this contract's state during the call; run it again");
        return false;
    }
    for (size_t i = 0; i < k->overlay->n; i++)
        if (!commit_entry(c, k, &k->overlay->entries[i], acc, err))
            return false;
    return k->dry || k->overlay->n == 0 || wdb_state_acc_put(c, k->contract, acc, "state commit", err);
}

bool wcontract_state_commit(ward_db *db, const uint8_t contract[32], const woverlay *o, const woverlay *reads,
                            bool dry, const uint8_t acc_before[WDB_STATE_ACC_BYTES],
                            uint8_t acc_after[WDB_STATE_ACC_BYTES], ward_db_error *err)
{
    commit_ctx k = {contract, o, reads, dry, acc_before, acc_after};
    return wdb_transact(db, "state commit", !dry, commit_body, &k, err);
}

typedef struct acc_ctx {
    const uint8_t *contract;
    uint8_t *acc;
} acc_ctx;

static bool acc_body(wdb *c, void *p, ward_db_error *err)
{
    acc_ctx *a = p;
    return wdb_state_acc_get(c, a->contract, a->acc, "state root", err);
}

bool wcontract_state_acc(ward_db *state, const uint8_t contract[32], uint8_t acc[WDB_STATE_ACC_BYTES],
                         ward_db_error *err)
{
    acc_ctx a = {contract, acc};
    memset(acc, 0, WDB_STATE_ACC_BYTES);
    return !state || wdb_read_one(state, "state root", acc_body, &a, err);
}

bool ward_contract_state_root(ward_db *state, const uint8_t contract[32], uint8_t root[32], ward_db_error *err)
{
    uint8_t acc[WDB_STATE_ACC_BYTES];
    if (!wcontract_state_acc(state, contract, acc, err))
        return false;
    wroot_digest(acc, root);
    return true;
}

typedef struct verify_ctx {
    const uint8_t *contract;
    uint8_t acc[WDB_STATE_ACC_BYTES];
    bool ok;
} verify_ctx;

static bool add_row(void *p, const uint8_t *key, size_t klen, const uint8_t *value, size_t vlen)
{
    wroot_add(p, key, klen, value, vlen, false);
    return true;
}

static bool verify_body(wdb *c, void *p, ward_db_error *err)
{
    verify_ctx *v = p;
    uint8_t stored[WDB_STATE_ACC_BYTES];
    memset(v->acc, 0, sizeof v->acc);
    if (!wdb_state_acc_get(c, v->contract, stored, "state verify", err) ||
        !wdb_state_scan(c, v->contract, add_row, v->acc, "state verify", err))
        return false;
    v->ok = memcmp(stored, v->acc, WDB_STATE_ACC_BYTES) == 0;
    return true;
}

bool ward_contract_state_verify(ward_db *state, const uint8_t contract[32], bool *ok, ward_db_error *err)
{
    verify_ctx v = {contract, {0}, false};
    bool done = wdb_transact(state, "state verify", false, verify_body, &v, err);
    *ok = done && v.ok;
    return done;
}
