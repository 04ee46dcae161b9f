/*
 * The vault's tables on SQLite (backend.h, "vault"; schema in
 * sqlite_schema.c): vault_secret holds one row per version of a secret,
 * sealed (the plaintext never reaches this file), vault_rule the access
 * rules.  Everything here is a plain statement: the meaning (versions,
 * tombstones, authentication) is src/vault's.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/sqlite_internal.h"

static const char sql_latest[] =
    "SELECT version, deleted FROM vault_secret WHERE name = ?1 ORDER BY version DESC LIMIT 1";
static const char sql_insert[] =
    "INSERT INTO vault_secret (name, version, deleted, created, nonce, sealed) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_load[] =
    "SELECT deleted, created, nonce, sealed FROM vault_secret WHERE name = ?1 AND version = ?2";
/* names with the prefix whose highest version is not a tombstone */
static const char sql_names[] =
    "SELECT name FROM vault_secret AS s WHERE substr(name, 1, length(?1)) = ?1 AND deleted = 0"
    " AND version = (SELECT max(version) FROM vault_secret WHERE name = s.name) ORDER BY name";
static const char sql_versions[] =
    "SELECT version, deleted, created FROM vault_secret WHERE name = ?1 ORDER BY version";
static const char sql_rule_insert[] =
    "INSERT INTO vault_rule (prefix, perms, kind, subject, level) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_rule_delete[] = "DELETE FROM vault_rule WHERE id = ?1";
static const char sql_rules[] = "SELECT id, prefix, perms, kind, subject, level FROM vault_rule ORDER BY id";

bool wdb_vault_latest(wdb *c, const char *name, uint64_t *version, bool *deleted, bool *found, const char *op,
                      ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_latest, op, err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (!wdb_step_row(c, st, found, op, err))
        return false;
    if (*found) {
        *version = (uint64_t)sqlite3_column_int64(st, 0);
        *deleted = sqlite3_column_int(st, 1) != 0;
    }
    sqlite3_reset(st);
    return true;
}

bool wdb_vault_insert(wdb *c, const char *name, const wdb_vault_row *row, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_insert, op, err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)row->version);
    sqlite3_bind_int(st, 3, row->deleted ? 1 : 0);
    sqlite3_bind_int64(st, 4, row->created);
    sqlite3_bind_blob(st, 5, row->nonce, (int)sizeof row->nonce, SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, row->sealed, (int)row->sealed_len, SQLITE_STATIC);
    return wdb_exec_stmt(c, st, op, err);
}

bool wdb_vault_load(wdb *c, const char *name, uint64_t version, wdb_vault_row *row, bool *found, const char *op,
                    ward_db_error *err)
{
    memset(row, 0, sizeof *row);
    sqlite3_stmt *st = wdb_stmt(c, sql_load, op, err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)version);
    if (!wdb_step_row(c, st, found, op, err))
        return false;
    bool ok = true;
    if (*found) {
        row->version = version;
        row->deleted = sqlite3_column_int(st, 0) != 0;
        row->created = sqlite3_column_int64(st, 1);
        /* a nonce of another size is left zero: the seal then fails to open (TAMPERED above) */
        if (sqlite3_column_bytes(st, 2) == (int)sizeof row->nonce)
            memcpy(row->nonce, sqlite3_column_blob(st, 2), sizeof row->nonce);
        ok = wdb_column_copy(st, 3, &row->sealed, &row->sealed_len);
    }
    sqlite3_reset(st);
    if (!ok)
        wdb_fail(c, err, WARD_DB_ERR_NOMEM, op, "out of memory");
    return ok;
}

bool wdb_vault_names(wdb *c, const char *prefix, wdb_name_fn fn, void *ctx, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_names, op, err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    bool row, ok;
    while ((ok = wdb_step_row(c, st, &row, op, err)) && row) {
        if (!fn(ctx, (const char *)sqlite3_column_text(st, 0)))
            break;
    }
    sqlite3_reset(st);
    return ok;
}

bool wdb_vault_versions(wdb *c, const char *name, wdb_version_fn fn, void *ctx, const char *op,
                        ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_versions, op, err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    bool row, ok;
    while ((ok = wdb_step_row(c, st, &row, op, err)) && row) {
        wdb_vault_row r = {0};
        r.version = (uint64_t)sqlite3_column_int64(st, 0);
        r.deleted = sqlite3_column_int(st, 1) != 0;
        r.created = sqlite3_column_int64(st, 2);
        if (!fn(ctx, &r))
            break;
    }
    sqlite3_reset(st);
    return ok;
}

bool wdb_vault_rule_insert(wdb *c, const wdb_vault_rule_row *rule, int64_t *id, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_rule_insert, op, err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, rule->prefix, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, (int)rule->perms);
    sqlite3_bind_int(st, 3, (int)rule->kind);
    if (rule->subject)
        sqlite3_bind_blob(st, 4, rule->subject, 32, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, (int)rule->level);
    if (!wdb_exec_stmt(c, st, op, err))
        return false;
    *id = sqlite3_last_insert_rowid(wdb_handle(c));
    return true;
}

bool wdb_vault_rule_delete(wdb *c, int64_t id, bool *found, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_rule_delete, op, err);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    if (!wdb_exec_stmt(c, st, op, err))
        return false;
    *found = sqlite3_changes(wdb_handle(c)) > 0;
    return true;
}

bool wdb_vault_rules(wdb *c, wdb_rule_fn fn, void *ctx, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_rules, op, err);
    if (!st)
        return false;
    bool row, ok;
    while ((ok = wdb_step_row(c, st, &row, op, err)) && row) {
        wdb_vault_rule_row r;
        r.id = sqlite3_column_int64(st, 0);
        r.prefix = (const char *)sqlite3_column_text(st, 1);
        r.perms = (uint32_t)sqlite3_column_int(st, 2);
        r.kind = (uint32_t)sqlite3_column_int(st, 3);
        /* a subject of another size is passed as absent: the rule then fails the set's MAC */
        r.subject = sqlite3_column_bytes(st, 4) == 32 ? sqlite3_column_blob(st, 4) : NULL;
        r.level = (uint32_t)sqlite3_column_int(st, 5);
        if (!r.prefix)
            r.prefix = "";
        if (!fn(ctx, &r))
            break;
    }
    sqlite3_reset(st);
    return ok;
}
