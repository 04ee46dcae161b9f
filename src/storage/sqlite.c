#define _POSIX_C_SOURCE 200809L /* strdup */
/*
 * The SQLite backend: the connection, its schema check and migrations,
 * transactions, the statement cache, error mapping and metadata.  The
 * service-specific statements are in sqlite_dag.c, sqlite_vault.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/sqlite_internal.h"

/* Statements compiled once per connection, keyed by their text's address. */
#define WDB_STMT_CACHE 64

typedef struct wdb_cached {
    const char *sql;
    sqlite3_stmt *stmt;
} wdb_cached;

struct wdb {
    sqlite3 *db;
    char *path;
    wdb_cached cache[WDB_STMT_CACHE];
    size_t ncached;
};

sqlite3 *wdb_handle(wdb *c)
{
    return c->db;
}

const char *wdb_path(const wdb *c)
{
    return c->path;
}

static void fail_v(const char *path, ward_db_error *err, ward_db_error_kind kind, const char *op, int code,
                   const char *fmt, va_list ap)
{
    if (!err)
        return;
    err->kind = kind;
    err->op = op;
    err->backend_code = code;
    char what[300];
    vsnprintf(what, sizeof what, fmt, ap);
    snprintf(err->message, sizeof err->message, "%s: %s: %s", path ? path : "(database)", op ? op : "open", what);
}

void wdb_fail(const wdb *c, ward_db_error *err, ward_db_error_kind kind, const char *op, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(c ? c->path : NULL, err, kind, op, 0, fmt, ap);
    va_end(ap);
}

static void fail_code(const char *path, ward_db_error *err, ward_db_error_kind kind, const char *op, int code,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void fail_code(const char *path, ward_db_error *err, ward_db_error_kind kind, const char *op, int code,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(path, err, kind, op, code, fmt, ap);
    va_end(ap);
}

/* SQLite's primary result codes and what they mean to a caller. */
static const struct {
    int code;
    ward_db_error_kind kind;
} code_kinds[] = {
    {SQLITE_BUSY, WARD_DB_ERR_BUSY},         {SQLITE_LOCKED, WARD_DB_ERR_BUSY},
    {SQLITE_NOMEM, WARD_DB_ERR_NOMEM},       {SQLITE_READONLY, WARD_DB_ERR_READONLY},
    {SQLITE_IOERR, WARD_DB_ERR_IO},          {SQLITE_CORRUPT, WARD_DB_ERR_CORRUPT},
    {SQLITE_FULL, WARD_DB_ERR_FULL},         {SQLITE_CANTOPEN, WARD_DB_ERR_CANTOPEN},
    {SQLITE_NOTADB, WARD_DB_ERR_NOT_DATABASE}, {SQLITE_TOOBIG, WARD_DB_ERR_ARGUMENT},
    {SQLITE_PERM, WARD_DB_ERR_READONLY},     {SQLITE_AUTH, WARD_DB_ERR_READONLY},
};

static ward_db_error_kind kind_of_code(int rc)
{
    int primary = rc & 0xff;
    /* a write that ran out of file-size limit or disk shows as an I/O
     * error on write; it is a full disk to the caller */
    if (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_TRUNCATE)
        return WARD_DB_ERR_FULL;
    for (size_t i = 0; i < sizeof code_kinds / sizeof code_kinds[0]; i++)
        if (code_kinds[i].code == primary)
            return code_kinds[i].kind;
    return WARD_DB_ERR_IO;
}

static bool sql_fail_path(const char *path, sqlite3 *db, ward_db_error *err, const char *op, int rc)
{
    ward_db_error_kind kind = kind_of_code(rc);
    const char *why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (kind == WARD_DB_ERR_FULL && (rc & 0xff) == SQLITE_IOERR)
        fail_code(path, err, kind, op, rc, "cannot write (disk full or file size limit): %s", why);
    else if (kind == WARD_DB_ERR_CORRUPT)
        fail_code(path, err, kind, op, rc, "the database file is damaged (%s); restore it from a backup", why);
    else
        fail_code(path, err, kind, op, rc, "%s", why);
    return false;
}

bool wdb_sql_fail(wdb *c, ward_db_error *err, const char *op, int rc)
{
    return sql_fail_path(c->path, c->db, err, op, rc);
}

sqlite3_stmt *wdb_stmt(wdb *c, const char *sql, const char *op, ward_db_error *err)
{
    for (size_t i = 0; i < c->ncached; i++)
        if (c->cache[i].sql == sql) {
            sqlite3_reset(c->cache[i].stmt);
            sqlite3_clear_bindings(c->cache[i].stmt);
            return c->cache[i].stmt;
        }
    if (c->ncached == WDB_STMT_CACHE) {
        wdb_fail(c, err, WARD_DB_ERR_NOMEM, op, "statement cache full (raise WDB_STMT_CACHE)");
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        wdb_sql_fail(c, err, op, rc);
        return NULL;
    }
    c->cache[c->ncached++] = (wdb_cached){sql, st};
    return st;
}

bool wdb_exec_stmt(wdb *c, sqlite3_stmt *st, const char *op, ward_db_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return wdb_sql_fail(c, err, op, rc);
    return true;
}

bool wdb_column_copy(sqlite3_stmt *st, int col, uint8_t **out, size_t *len)
{
    const void *p = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    *out = NULL;
    *len = 0;
    if (n == 0)
        return p != NULL || sqlite3_errcode(sqlite3_db_handle(st)) != SQLITE_NOMEM;
    *out = malloc(n);
    if (!*out)
        return false;
    memcpy(*out, p, n);
    *len = n;
    return true;
}

bool wdb_step_row(wdb *c, sqlite3_stmt *st, bool *row, const char *op, ward_db_error *err)
{
    int rc = sqlite3_step(st);
    *row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return true;
    sqlite3_reset(st);
    return wdb_sql_fail(c, err, op, rc);
}

bool wdb_step_blob(wdb *c, sqlite3_stmt *st, uint8_t **value, size_t *len, bool *found, const char *op,
                   ward_db_error *err)
{
    *value = NULL;
    *len = 0;
    int rc = sqlite3_step(st);
    bool ok = true;
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        if (!wdb_column_copy(st, 0, value, len)) {
            wdb_fail(c, err, WARD_DB_ERR_NOMEM, op, "out of memory");
            ok = false;
        }
    } else if (rc != SQLITE_DONE) {
        ok = wdb_sql_fail(c, err, op, rc);
    }
    sqlite3_reset(st);
    return ok;
}

/* A statement without results or parameters, run once (not cached). */
static bool exec_once(wdb *c, const char *sql, const char *op, ward_db_error *err)
{
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK || wdb_sql_fail(c, err, op, rc);
}

/* An integer PRAGMA's value. */
static bool pragma_int(wdb *c, const char *sql, int64_t *value, ward_db_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *value = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK || wdb_sql_fail(c, err, "open", rc);
}

/* ---- opening: check before writing, then WAL and migrations -------------- */

typedef struct schema_state {
    int64_t version;            /* PRAGMA user_version */
    int64_t app_id;             /* PRAGMA application_id */
    int64_t objects;            /* tables, indexes ... in the file */
} schema_state;

static bool read_schema_state(wdb *c, schema_state *s, ward_db_error *err)
{
    return pragma_int(c, "PRAGMA user_version", &s->version, err) &&
           pragma_int(c, "PRAGMA application_id", &s->app_id, err) &&
           pragma_int(c, "SELECT count(*) FROM sqlite_schema", &s->objects, err);
}

/* Refuse a file this ward must not touch, before anything is written. */
static bool check_schema_state(wdb *c, const schema_state *s, ward_db_error *err)
{
    if (s->objects > 0 && s->app_id != WDB_APPLICATION_ID) {
        wdb_fail(c, err, WARD_DB_ERR_NOT_DATABASE, "open",
                 "an SQLite database of another program (application_id 0x%08llx), not a ward database",
                 (unsigned long long)s->app_id);
        return false;
    }
    if (s->version > WDB_SCHEMA_VERSION) {
        wdb_fail(c, err, WARD_DB_ERR_NEWER_SCHEMA, "open",
                 "schema version %lld is newer than this ward's (%d): left untouched; use a newer ward",
                 (long long)s->version, WDB_SCHEMA_VERSION);
        return false;
    }
    if (s->version < 0 || (s->objects > 0 && s->version == 0)) {
        wdb_fail(c, err, WARD_DB_ERR_CORRUPT, "open", "ward database without a schema version");
        return false;
    }
    return true;
}

/* Take the file from its version to WDB_SCHEMA_VERSION, all or nothing. */
static bool migrate(wdb *c, int64_t from, ward_db_error *err)
{
    if (!exec_once(c, "BEGIN IMMEDIATE", "open", err))
        return false;
    /* another process may have migrated while we waited for the lock */
    schema_state s;
    if (!read_schema_state(c, &s, err) || !check_schema_state(c, &s, err))
        goto fail;
    from = s.version;
    for (int64_t v = from; v < WDB_SCHEMA_VERSION; v++)
        if (!exec_once(c, wdb_migrations[v], "open", err))
            goto fail;
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d", WDB_SCHEMA_VERSION,
             WDB_APPLICATION_ID);
    if (!exec_once(c, sql, "open", err) || !exec_once(c, "COMMIT", "open", err))
        goto fail;
    return true;
fail:
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return false;
}

/* Connection settings:
 *   WAL: readers never block the writer;
 *   synchronous FULL: a committed batch survives power loss, not only kill -9;
 *   secure_delete: deleted content is overwritten;
 *   a 32 MiB page cache: ids are hashes, so lookups land on random pages;
 *   checkpoints every 8192 pages rather than 1000: hot index pages are
 *     copied back to the file less often;
 *   temp_store MEMORY: a batch's savepoints keep their undo records in
 *     memory instead of a temporary file written page by page (that file
 *     was most of the cost of a batched put); the price is that an ancestry
 *     search keeps its visited rows (8-byte numbers, never payloads) in
 *     memory too. */
static bool configure(wdb *c, bool read_only, ward_db_error *err)
{
    if (read_only)
        return exec_once(c, "PRAGMA query_only = 1", "open", err);
    int64_t dummy;
    return pragma_int(c, "PRAGMA journal_mode = WAL", &dummy, err) &&
           exec_once(c,
                     "PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA cache_size = -32768;"
                     " PRAGMA wal_autocheckpoint = 8192; PRAGMA temp_store = MEMORY",
                     "open", err);
}

/* SQLite says only "unable to open database file": say why, from the
 * system's error (a file that is not there is the usual one, for commands
 * that read and so never create it). */
static bool open_failed(wdb *c, int flags, int rc, ward_db_error *err)
{
    int sys = c->db ? sqlite3_system_errno(c->db) : 0;
    if ((rc & 0xff) != SQLITE_CANTOPEN || sys == 0)
        return sql_fail_path(c->path, c->db, err, "open", rc);
    bool missing = sys == ENOENT && !(flags & SQLITE_OPEN_CREATE);
    fail_code(c->path, err, WARD_DB_ERR_CANTOPEN, "open", rc, "cannot open the database file: %s%s", strerror(sys),
              missing ? " (it is created only by a command that writes)" : "");
    return false;
}

static bool open_connection(wdb *c, const ward_db_options *o, ward_db_error *err)
{
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    flags |= o->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (o->create && !o->read_only)
        flags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(c->path, &c->db, flags, NULL);
    if (rc != SQLITE_OK)
        return open_failed(c, flags, rc, err);
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, (int)(o->busy_timeout_ms ? o->busy_timeout_ms : 5000));
    return true;
}

wdb *wdb_open(const char *path, const ward_db_options *opts, ward_db_error *err)
{
    ward_db_options o;
    if (opts)
        o = *opts;
    else
        ward_db_options_default(&o);
    wdb *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path))) {
        free(c);
        fail_code(path, err, WARD_DB_ERR_NOMEM, "open", 0, "out of memory");
        return NULL;
    }
    schema_state s;
    bool ok = open_connection(c, &o, err) && read_schema_state(c, &s, err) && check_schema_state(c, &s, err);
    /* a file we may not write to opens read-only: reads work, writes say why */
    o.read_only = o.read_only || (ok && sqlite3_db_readonly(c->db, "main") == 1);
    if (ok && o.read_only && s.version < WDB_SCHEMA_VERSION) {
        wdb_fail(c, err, WARD_DB_ERR_READONLY, "open",
                 s.objects ? "the schema needs an upgrade, which a read-only open cannot do"
                           : "no ward database here (a read-only open does not create one)");
        ok = false;
    }
    ok = ok && configure(c, o.read_only, err);
    if (ok && s.version < WDB_SCHEMA_VERSION)
        ok = migrate(c, s.version, err);
    if (!ok) {
        wdb_close(c);
        return NULL;
    }
    return c;
}

void wdb_close(wdb *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->ncached; i++)
        sqlite3_finalize(c->cache[i].stmt);
    if (c->db && !sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(c->db);
    free(c->path);
    free(c);
}

/* ---- transactions -------------------------------------------------------- */

static const char SQL_BEGIN_READ[] = "BEGIN";
static const char SQL_BEGIN_WRITE[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_SAVEPOINT[] = "SAVEPOINT op";
static const char SQL_RELEASE[] = "RELEASE op";

static bool run_cached(wdb *c, const char *sql, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, sql, op, err);
    return st && wdb_exec_stmt(c, st, op, err);
}

bool wdb_begin(wdb *c, bool write, const char *op, ward_db_error *err)
{
    return run_cached(c, write ? SQL_BEGIN_WRITE : SQL_BEGIN_READ, op, err);
}

bool wdb_commit(wdb *c, const char *op, ward_db_error *err)
{
    return run_cached(c, SQL_COMMIT, op, err);
}

void wdb_rollback(wdb *c)
{
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

bool wdb_savepoint(wdb *c, const char *op, ward_db_error *err)
{
    return run_cached(c, SQL_SAVEPOINT, op, err);
}

bool wdb_release(wdb *c, const char *op, ward_db_error *err)
{
    return run_cached(c, SQL_RELEASE, op, err);
}

void wdb_undo(wdb *c)
{
    sqlite3_exec(c->db, "ROLLBACK TO op; RELEASE op", NULL, NULL, NULL);
}

bool wdb_integrity_check(wdb *c, bool *ok, ward_db_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, "PRAGMA integrity_check", -1, &st, NULL);
    *ok = true;
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        if (!line || strcmp(line, "ok") != 0)
            *ok = false;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return true;
    if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
        *ok = false;
        return true;
    }
    return wdb_sql_fail(c, err, "integrity check", rc);
}

/* ---- metadata ------------------------------------------------------------ */

static const char SQL_META_GET[] = "SELECT value FROM meta WHERE key = ?1";
static const char SQL_META_PUT[] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)";

bool wdb_meta_get(wdb *c, const char *key, uint8_t **value, size_t *len, bool *found, const char *op,
                  ward_db_error *err)
{
    *value = NULL;
    *len = 0;
    *found = false;
    sqlite3_stmt *st = wdb_stmt(c, SQL_META_GET, op, err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    return wdb_step_blob(c, st, value, len, found, op, err);
}

bool wdb_meta_put(wdb *c, const char *key, const uint8_t *value, size_t len, const char *op, ward_db_error *err)
{
    sqlite3_stmt *st = wdb_stmt(c, SQL_META_PUT, op, err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 2, len ? (const void *)value : "", len, SQLITE_STATIC);
    return wdb_exec_stmt(c, st, op, err);
}
