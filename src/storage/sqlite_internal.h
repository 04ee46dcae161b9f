/*
 * Shared by the SQLite backend's files (sqlite.c: connection, schema,
 * transactions, metadata; sqlite_dag.c; sqlite_vault.c ...).  Only files
 * of src/storage include this, and only they include sqlite3.h.
 */
#ifndef WARD_STORAGE_SQLITE_INTERNAL_H
#define WARD_STORAGE_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "storage/backend.h"

/* The schema this ward writes (PRAGMA user_version) and the file's mark
 * (PRAGMA application_id, "ward"). */
#define WDB_SCHEMA_VERSION 2
#define WDB_APPLICATION_ID 0x77617264

/* Migrations: wdb_migrations[v] takes a database from version v to v + 1
 * (sqlite_schema.c); WDB_SCHEMA_VERSION of them. */
extern const char *const wdb_migrations[WDB_SCHEMA_VERSION];

sqlite3 *wdb_handle(wdb *c);

/*
 * The prepared statement for sql, reset and with bindings cleared.  sql
 * must be a string with static storage (a `static const char[]`): the cache
 * is keyed by its address, so each statement is compiled once per
 * connection.  NULL with err filled when it does not compile.
 */
sqlite3_stmt *wdb_stmt(wdb *c, const char *sql, const char *op, ward_db_error *err);

/* err for SQLite result rc (BUSY, FULL, READONLY, CORRUPT ... mapped to
 * their kinds, the message with SQLite's own words); always false. */
bool wdb_sql_fail(wdb *c, ward_db_error *err, const char *op, int rc);

/* Step a statement that returns no rows (SQLITE_DONE), then reset it. */
bool wdb_exec_stmt(wdb *c, sqlite3_stmt *st, const char *op, ward_db_error *err);

/* A column's blob copied into malloc'd memory (NULL with *len 0 for an
 * empty or NULL blob); false when out of memory. */
bool wdb_column_copy(sqlite3_stmt *st, int col, uint8_t **out, size_t *len);

/* Step a statement that returns rows: *row true on a row, false when done
 * (true either way); on an error it is reset and err says why. */
bool wdb_step_row(wdb *c, sqlite3_stmt *st, bool *row, const char *op, ward_db_error *err);

/* Step a bound statement that returns at most one row: its column 0 copied
 * to *value (malloc'd, *len bytes) with *found true, or *found false; the
 * statement is reset. */
bool wdb_step_blob(wdb *c, sqlite3_stmt *st, uint8_t **value, size_t *len, bool *found, const char *op,
                   ward_db_error *err);

#endif
