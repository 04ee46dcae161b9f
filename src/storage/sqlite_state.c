/*
 * Contract state on SQLite (backend.h, "contract state"; schema v2 in
 * sqlite_schema.c): contract_state holds each contract's key/value pairs,
 * contract_root its running state hash.  Plain statements only: overlays,
 * commits and the hash's meaning are src/contract's.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/sqlite_internal.h"

static const char sql_get[] = "SELECT value FROM contract_state WHERE contract = ?1 AND key = ?2";
static const char sql_put[] = "INSERT OR REPLACE INTO contract_state (contract, key, value) VALUES (?1, ?2, ?3)";
static const char sql_delete[] = "DELETE FROM contract_state WHERE contract = ?1 AND key = ?2";
static const char sql_acc_get[] = "SELECT acc FROM contract_root WHERE contract = ?1";
/* an upsert, not a REPLACE: the row is rewritten in place (same size), not
 * deleted and inserted again */
static const char sql_acc_put[] = "INSERT INTO contract_root (contract, acc) VALUES (?1, ?2)"
                                  " ON CONFLICT (contract) DO UPDATE SET acc = excluded.acc";
static const char sql_scan[] = "SELECT key, value FROM contract_state WHERE contract = ?1 ORDER BY key";

/* SQLite compares blobs with memcmp, then by length: bytewise key order. */

static void bind_key(sqlite3_stmt *st, const uint8_t contract[32], const uint8_t *key, size_t klen)
{
    sqlite3_bind_blob(st, 1, contract, 32, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 2, klen ? (const void *)key : "", klen, SQLITE_STATIC);
}

bool wdb_state_get(wdb *c, const uint8_t contract[32], const uint8_t *key, size_t klen, uint8_t **value,
                   size_t *vlen, bool *found, const char *op, ward_db_error *err)
{
    *value = NULL;
    *vlen = 0;
    *found = false;
    sqlite3_stmt *st = wdb_stmt(c, sql_get, op, err);
    if (!st)
        return false;
    bind_key(st, contract, key, klen);
    return wdb_step_blob(c, st, value, vlen, found, op, err);
}

bool wdb_state_put(wdb *c, const uint8_t contract[32], const uint8_t *key, size_t klen, const uint8_t *value,
                   size_t vlen, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_put, op, err);
    if (!st)
        return false;
    bind_key(st, contract, key, klen);
    sqlite3_bind_blob64(st, 3, vlen ? (const void *)value : "", vlen, SQLITE_STATIC);
    return wdb_exec_stmt(c, st, op, err);
}

bool wdb_state_delete(wdb *c, const uint8_t contract[32], const uint8_t *key, size_t klen, const char *op,
                      ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_delete, op, err);
    if (!st)
        return false;
    bind_key(st, contract, key, klen);
    return wdb_exec_stmt(c, st, op, err);
}

bool wdb_state_acc_get(wdb *c, const uint8_t contract[32], uint8_t acc[WDB_STATE_ACC_BYTES], const char *op,
                       ward_db_error *err)
{
    memset(acc, 0, WDB_STATE_ACC_BYTES);
    sqlite3_stmt *st = wdb_stmt(c, sql_acc_get, op, err);
    if (!st)
        return false;
    sqlite3_bind_blob(st, 1, contract, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    bool ok = true;
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) == WDB_STATE_ACC_BYTES) {
            memcpy(acc, sqlite3_column_blob(st, 0), WDB_STATE_ACC_BYTES);
        } else {
            wdb_fail(c, err, WARD_DB_ERR_TAMPERED, op, "contract state hash of the wrong size");
            ok = false;
        }
    } else if (rc != SQLITE_DONE) {
        ok = wdb_sql_fail(c, err, op, rc);
    }
    sqlite3_reset(st);
    return ok;
}

bool wdb_state_acc_put(wdb *c, const uint8_t contract[32], const uint8_t acc[WDB_STATE_ACC_BYTES], const char *op,
                       ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_acc_put, op, err);
    if (!st)
        return false;
    sqlite3_bind_blob(st, 1, contract, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, acc, WDB_STATE_ACC_BYTES, SQLITE_STATIC);
    return wdb_exec_stmt(c, st, op, err);
}

bool wdb_state_scan(wdb *c, const uint8_t contract[32], wdb_state_fn fn, void *ctx, const char *op,
                    ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_scan, op, err);
    if (!st)
        return false;
    sqlite3_bind_blob(st, 1, contract, 32, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!fn(ctx, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), sqlite3_column_blob(st, 1),
                (size_t)sqlite3_column_bytes(st, 1)))
            break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE || wdb_sql_fail(c, err, op, rc);
}
