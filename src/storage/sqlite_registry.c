/*
 * The module registry's table on SQLite (backend.h, "registry"; schema in
 * sqlite_schema.c, migration 1 -> 2): registry_module holds one row per
 * module, keyed by the SHA-256 of its bytes.  Plain statements only: what
 * a row means (validation, names, the hash check on load) is src/registry's.
 */
#include <string.h>

#include "storage/sqlite_internal.h"

/* the size is length(bytes), which SQLite reads from the record header
 * without loading the blob */
#define META_COLUMNS \
    "sha256, name, gas_limit, length(bytes), added, signed, trust_checked, trust_level, signer_name, signer_key"

static const char sql_by_hash[] = "SELECT " META_COLUMNS " FROM registry_module WHERE sha256 = ?1";
static const char sql_by_name[] = "SELECT " META_COLUMNS " FROM registry_module WHERE name = ?1";
static const char sql_by_hash_bytes[] = "SELECT " META_COLUMNS ", bytes FROM registry_module WHERE sha256 = ?1";
static const char sql_by_name_bytes[] = "SELECT " META_COLUMNS ", bytes FROM registry_module WHERE name = ?1";
static const char sql_insert[] = "INSERT INTO registry_module (sha256, name, gas_limit, added, signed,"
                                 " trust_checked, trust_level, signer_name, signer_key, bytes)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char sql_update[] = "UPDATE registry_module SET name = ?2, gas_limit = ?3, signed = ?4,"
                                 " trust_checked = ?5, trust_level = ?6, signer_name = ?7, signer_key = ?8"
                                 " WHERE sha256 = ?1";
static const char sql_unname[] = "UPDATE registry_module SET name = NULL WHERE name = ?1";
static const char sql_delete[] = "DELETE FROM registry_module WHERE sha256 = ?1";
/* named modules by name, then the nameless by hash */
static const char sql_list[] = "SELECT " META_COLUMNS " FROM registry_module ORDER BY name IS NULL, name, sha256";

/* The row under the cursor (the bytes as column 10 when with_bytes).  A
 * hash or key of another size is passed as zeros / absent: the hash check
 * on load then fails (TAMPERED above). */
static void read_row(sqlite3_stmt *st, bool with_bytes, wdb_registry_row *r)
{
    memset(r, 0, sizeof *r);
    if (sqlite3_column_bytes(st, 0) == (int)sizeof r->sha256)
        memcpy(r->sha256, sqlite3_column_blob(st, 0), sizeof r->sha256);
    r->name = (const char *)sqlite3_column_text(st, 1);
    r->gas_limit = (uint64_t)sqlite3_column_int64(st, 2);
    r->size = (uint64_t)sqlite3_column_int64(st, 3);
    r->added = sqlite3_column_int64(st, 4);
    r->is_signed = sqlite3_column_int(st, 5) != 0;
    r->trust_checked = sqlite3_column_int(st, 6) != 0;
    r->trust_level = (uint32_t)sqlite3_column_int(st, 7);
    r->signer_name = (const char *)sqlite3_column_text(st, 8);
    r->signer_key = sqlite3_column_bytes(st, 9) == 32 ? sqlite3_column_blob(st, 9) : NULL;
    if (with_bytes) {
        r->bytes = sqlite3_column_blob(st, 10);
        r->len = (size_t)sqlite3_column_bytes(st, 10);
        if (!r->bytes)
            r->bytes = (const uint8_t *)"";
    }
}

bool wdb_registry_lookup(wdb *c, const uint8_t *sha256, const char *name, bool with_bytes, wdb_registry_fn fn,
                         void *ctx, bool *found, const char *op, ward_db_error *err)
{
    const char *sql = sha256 ? (with_bytes ? sql_by_hash_bytes : sql_by_hash)
                             : (with_bytes ? sql_by_name_bytes : sql_by_name);
    sqlite3_stmt *st = wdb_stmt(c, sql, op, err);
    if (!st)
        return false;
    if (sha256)
        sqlite3_bind_blob(st, 1, sha256, 32, SQLITE_STATIC);
    else
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (!wdb_step_row(c, st, found, op, err))
        return false;
    bool ok = true;
    if (*found) {
        wdb_registry_row r;
        read_row(st, with_bytes, &r);
        ok = fn(ctx, &r);
    }
    sqlite3_reset(st);
    if (!ok)
        wdb_fail(c, err, WARD_DB_ERR_NOMEM, op, "out of memory");
    return ok;
}

/* Bind the metadata fields shared by insert and update, from parameter
 * `first` on: signed, trust_checked, trust_level, signer_name, signer_key. */
static void bind_signature(sqlite3_stmt *st, int first, const wdb_registry_row *row)
{
    sqlite3_bind_int(st, first, row->is_signed ? 1 : 0);
    sqlite3_bind_int(st, first + 1, row->trust_checked ? 1 : 0);
    sqlite3_bind_int(st, first + 2, (int)row->trust_level);
    if (row->signer_name)
        sqlite3_bind_text(st, first + 3, row->signer_name, -1, SQLITE_STATIC);
    if (row->signer_key)
        sqlite3_bind_blob(st, first + 4, row->signer_key, 32, SQLITE_STATIC);
}

static void bind_name(sqlite3_stmt *st, int index, const char *name)
{
    if (name)
        sqlite3_bind_text(st, index, name, -1, SQLITE_STATIC);
}

bool wdb_registry_insert(wdb *c, const wdb_registry_row *row, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_insert, op, err);
    if (!st)
        return false;
    sqlite3_bind_blob(st, 1, row->sha256, 32, SQLITE_STATIC);
    bind_name(st, 2, row->name);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)row->gas_limit);
    sqlite3_bind_int64(st, 4, row->added);
    bind_signature(st, 5, row);
    /* a zero-length blob, not NULL, for an empty buffer (NOT NULL column) */
    sqlite3_bind_blob64(st, 10, row->bytes ? (const void *)row->bytes : "", row->len, SQLITE_STATIC);
    return wdb_exec_stmt(c, st, op, err);
}

bool wdb_registry_update(wdb *c, const wdb_registry_row *row, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_update, op, err);
    if (!st)
        return false;
    sqlite3_bind_blob(st, 1, row->sha256, 32, SQLITE_STATIC);
    bind_name(st, 2, row->name);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)row->gas_limit);
    bind_signature(st, 4, row);
    return wdb_exec_stmt(c, st, op, err);
}

bool wdb_registry_unname(wdb *c, const char *name, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_unname, op, err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    return wdb_exec_stmt(c, st, op, err);
}

bool wdb_registry_delete(wdb *c, const uint8_t sha256[32], bool *found, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_delete, op, err);
    if (!st)
        return false;
    sqlite3_bind_blob(st, 1, sha256, 32, SQLITE_STATIC);
    if (!wdb_exec_stmt(c, st, op, err))
        return false;
    *found = sqlite3_changes(wdb_handle(c)) > 0;
    return true;
}

bool wdb_registry_list(wdb *c, wdb_registry_fn fn, void *ctx, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql_list, op, err);
    if (!st)
        return false;
    bool row, ok;
    while ((ok = wdb_step_row(c, st, &row, op, err)) && row) {
        wdb_registry_row r;
        read_row(st, false, &r);
        if (!fn(ctx, &r))
            break;
    }
    sqlite3_reset(st);
    return ok;
}
